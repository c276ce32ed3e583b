"""Serving speed: cache headers for static files and an optional shared cache of computed views.

Static files
  Dash fingerprints its component suites (…/dash_table/bundle.v4_4_1m1732….min.js) and asks for
  /assets/ files with ?m=<mtime>; both change URL when the file changes, so they are sent with
  `Cache-Control: public, max-age=31536000, immutable`. An /assets/ file asked for without m= (a link
  typed by hand, the favicon) gets a short max-age instead.

  Those immutable files are also sent compressed harder than flask-compress's per-request defaults
  (zstd 19 / brotli 9 / gzip 9 instead of zstd 3 / brotli 4 / gzip 6: plotly-basic 400 -> 344 KB), and
  in advance: create_app() compresses every file a page loads (all of assets/, and the component suites'
  JavaScript and CSS that Dash registers when it writes the page) before it returns, so in production
  that happens once, in the gunicorn master, and the workers share the result. The compressed copies are
  also kept on disk, named by a digest of the file's bytes (INTRODASH_STATIC_CACHE, default
  ~/.cache/introdash/static; "off" for memory only), so a restart reads them instead of compressing
  again; scripts/setup.sh fills that folder at set-up (scripts/precompress_static.py). A response is
  matched to its stored copy by the bytes it carries (checked on every use), never by its path alone.
  Anything else immutable (a suite file over 1 MB, such as Dash's own plotly.min.js that this page
  never loads, or a source map) is queued for a background thread on its first request, which gets
  flask-compress's fast result.

Shared cache of views (flask-caching)
  INTRODASH_REDIS_URL=redis://host:6379/0   a Redis shared by every worker and machine (needs `redis`)
  INTRODASH_CACHE=redis|simple|none         default: redis if the URL is set, else none. `simple` is a
                                            per-process SimpleCache; measured, it is slower than
                                            callbacks.py's own per-dataset memo (values are pickled), so
                                            it is not the default
  INTRODASH_CACHE_TIMEOUT=3600              seconds an entry lives (0: until evicted)
  INTRODASH_CACHE_THRESHOLD=256             entries a per-process cache keeps (~100 KB each)
  The same names work as create_app(settings={"cache": ..., "redis_url": ...}) keys once they are in
  settings.SETTINGS.

  `memoize_view(fn)` caches fn(store_or_dataset, ViewState, *more) under a key made of the function,
  the code's version, the dataset's *content* version and the view's canonical query string, so two
  workers (or machines) with the same code and data share entries, and new data or new code can never
  be answered from old entries. With no cache configured, or outside a request, it just calls fn.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import queue
import threading
import zlib
from dataclasses import is_dataclass
from pathlib import Path

from ..model import cache
from typing import Any, Callable

import flask
from flask import request

log = logging.getLogger("dashboard.web.performance")

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
EXTENSION = "introdash_view_cache"
KEY_PREFIX = "introdash:view:"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


# ---- static files ----------------------------------------------------------------------------

def install(app, settings: dict) -> None:
    """Called once by create_app after every callback and route is registered."""
    install_cache_headers(app)
    install_cache(app, settings)
    precompress_app(app)   # in the gunicorn master, before the workers fork: done once, shared by all


def install_cache_headers(app, compressor: "StaticCompressor | None" = None) -> None:
    from dash.fingerprint import check_fingerprint

    prefix = app.config.routes_pathname_prefix or "/"
    assets = prefix + app.config.assets_url_path.strip("/") + "/"
    suites = prefix + "_dash-component-suites/"
    compressor = compressor or StaticCompressor()
    app.server.extensions["introdash_static_compressor"] = compressor

    # Registered after flask-compress (Dash(compress=True)), so Flask runs it before flask-compress.
    @app.server.after_request
    def static_cache_headers(response):
        if response.status_code not in (200, 304):
            return response
        path = request.path
        if path.startswith(assets):
            immutable = bool(request.args.get("m"))
        elif path.startswith(suites):
            immutable = check_fingerprint(path.rsplit("/", 1)[-1])[1]
        else:
            return response
        response.headers["Cache-Control"] = IMMUTABLE if immutable else SHORT
        if response.status_code == 200 and request.method == "GET":
            # A stored copy is used whenever the bytes match (also for the async chunks Dash asks for
            # without a fingerprint); only immutable files are queued for one when there is none.
            compressor.apply(response, path, queue=immutable)
        return response


# ---- static files compressed once, harder ------------------------------------------------------

COMPRESSIBLE = {"application/javascript", "text/javascript", "text/css", "application/json", "image/svg+xml"}
LEVELS = {"zstd": 19, "br": 9, "gzip": 9}
STATIC_CACHE_ENV = "INTRODASH_STATIC_CACHE"
PRECOMPRESS_SUITE_MAX_BYTES = 1_000_000   # suite files above this (plotly.min.js, MathJax) are never loaded here
MAX_STORED = 512                          # (file, encoding) entries a process keeps


def choose_encoding(accept_encoding: str) -> str | None:
    """zstd, br or gzip (in that order of preference) if the client accepts it (q > 0)."""
    accepted, star = set(), False
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > 0:
            accepted.add(name.strip())
            star = star or name.strip() == "*"
    for enc in LEVELS:
        if enc in accepted or star:
            return enc
    return None


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "zstd":
        try:
            from compression import zstd
        except ImportError:
            from backports import zstd
        return zstd.compress(data, level=LEVELS["zstd"])
    if encoding == "br":
        import brotli
        return brotli.compress(data, quality=LEVELS["br"])
    import gzip
    return gzip.compress(data, compresslevel=LEVELS["gzip"], mtime=0)


def _checksum(raw: bytes) -> tuple[int, int, int]:
    """What a response's bytes are matched by: two independent 32-bit checksums and the length."""
    return zlib.crc32(raw), zlib.adler32(raw), len(raw)


def _mimetype(path: Path) -> str | None:
    import mimetypes
    if path.suffix in (".js", ".mjs"):
        return "application/javascript"
    return mimetypes.guess_type(path.name)[0]


def static_cache_dir(environ=None) -> Path | None:
    """Where compressed copies are kept between starts, or None (memory only)."""
    environ = os.environ if environ is None else environ
    value = environ.get(STATIC_CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "none") else Path(value)
    base = environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "introdash" / "static"


def page_static_files(app) -> list[Path]:
    """The immutable files a page of this app loads: every compressible file in the assets folder, and the
    JavaScript and CSS of the component suites that Dash registers while it writes the page (their async
    chunks included; source maps and suite files over PRECOMPRESS_SUITE_MAX_BYTES left out)."""
    import sys
    import re
    files: list[Path] = []
    ignore = re.compile(app.config.assets_ignore) if app.config.assets_ignore else None
    for current, _, names in sorted(os.walk(app.config.assets_folder)):   # as Dash walks it (no symlinks)
        for name in sorted(names):
            p = Path(current) / name
            if (_mimetype(p) in COMPRESSIBLE and not name.startswith(".")
                    and not (ignore and ignore.search(name))):
                files.append(p)
    with app.server.test_request_context("/"):
        app.index()      # Dash fills app.registered_paths while it writes the page's script tags
    for namespace, paths in sorted(app.registered_paths.items()):
        module = sys.modules.get(namespace)
        if module is None or not getattr(module, "__file__", None):
            continue
        base = Path(module.__file__).parent
        for rel in sorted(paths):
            p = base / rel
            if (p.suffix in (".js", ".css") and p.is_file()
                    and p.stat().st_size <= PRECOMPRESS_SUITE_MAX_BYTES):
                files.append(p)
    return files


class StaticCompressor:
    """Per process: (checksum of the raw bytes, encoding) -> compressed bytes. Filled in advance by
    `precompress` (at start, and from the disk copies made at set-up), and for any other file by one
    background thread, so that no request waits for a slow, high-level compression."""

    def __init__(self):
        self.store: dict[tuple[tuple, str], bytes] = {}
        self.pending: set[tuple[tuple, str]] = set()
        self.lock = threading.Lock()
        self.jobs: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.pid = None

    def apply(self, response, path: str, queue: bool = True) -> None:
        if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
            return
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return
        response.direct_passthrough = False
        raw = response.get_data()
        key = (_checksum(raw), encoding)
        stored = self.store.get(key)
        if stored is None:
            if queue:
                self._queue(key, raw)
            return  # flask-compress compresses this one, fast
        response.set_data(stored)
        response.headers["Content-Encoding"] = encoding
        response.headers["Content-Length"] = str(len(stored))
        vary = response.headers.get("Vary", "")
        if "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:{encoding}")

    def precompress(self, files, cache_dir: Path | None = None) -> dict:
        """Compress each file in every encoding now (or read the copy made before from cache_dir), so that
        the first request for it already gets the high-level result. Never fatal: a file that cannot be
        read or compressed is left to the background thread. Returns what was done, for logs and tests."""
        import time
        start = time.perf_counter()
        done = {"files": 0, "raw_bytes": 0, "compressed": 0, "from_disk": 0, "errors": 0}
        for path in files:
            try:
                raw = Path(path).read_bytes()
            except OSError:
                done["errors"] += 1
                continue
            digest = hashlib.sha256(raw).hexdigest()[:40]
            done["files"] += 1
            done["raw_bytes"] += len(raw)
            for encoding, level in LEVELS.items():
                key = (_checksum(raw), encoding)
                if key in self.store:
                    continue
                disk = cache_dir / f"{digest}.{encoding}{level}" if cache_dir else None
                data = None
                if disk is not None and disk.is_file():
                    try:
                        data = disk.read_bytes()
                        done["from_disk"] += 1
                    except OSError:
                        data = None
                if data is None:
                    try:
                        data = compress(raw, encoding)
                    except Exception as e:  # never fatal
                        _warn_once("static compression", e)
                        done["errors"] += 1
                        continue
                    done["compressed"] += 1
                    if disk is not None:
                        _write_quietly(disk, data)
                self.store[key] = data
        done["seconds"] = round(time.perf_counter() - start, 2)
        return done

    def _queue(self, key, raw: bytes) -> None:
        with self.lock:
            if key in self.pending:
                return
            self.pending.add(key)
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                # Started lazily, in the process that serves (a gunicorn worker), never before a fork.
                self.pid = os.getpid()
                self.jobs = queue.Queue()
                self.thread = threading.Thread(target=self._work, name="static-compressor", daemon=True)
                self.thread.start()
        self.jobs.put((key, raw))

    def _work(self) -> None:
        while True:
            key, raw = self.jobs.get()
            try:
                if len(self.store) >= MAX_STORED:   # files that changed under a running dev server
                    self.store.clear()
                self.store[key] = compress(raw, key[1])
            except Exception as e:  # never fatal: flask-compress keeps answering
                _warn_once("static compression", e)
            finally:
                with self.lock:
                    self.pending.discard(key)
                self.jobs.task_done()

    def wait(self, timeout: float = 30.0) -> bool:
        """For tests and benchmarks: True once every queued file is compressed."""
        import time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if not self.pending:
                    return True
            time.sleep(0.02)
        return False


def _write_quietly(path: Path, data: bytes) -> None:
    """Write a compressed copy for the next start, atomically; a folder that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        if "static cache" not in _warned:
            _warned.add("static cache")
            log.info("compressed static files are not kept on disk (%s): they are compressed at each start", e)


def precompress_app(app) -> dict:
    """Compress the page's static files for this app's compressor now (create_app calls it via install)."""
    compressor = app.server.extensions["introdash_static_compressor"]
    try:
        files = page_static_files(app)
    except Exception as e:  # never fatal: requests then fill the store in the background
        _warn_once("static file list", e)
        return {"files": 0, "errors": 1}
    result = compressor.precompress(files, static_cache_dir())
    app.server.extensions["introdash_precompressed"] = result
    return result


# ---- the shared cache ------------------------------------------------------------------------

def cache_config(settings: dict | None = None, environ=None) -> dict | None:
    """flask-caching's config for the chosen backend, or None for no cache."""
    settings = settings or {}
    environ = os.environ if environ is None else environ

    def get(name, default=None):
        if settings.get(name) is not None:
            return settings[name]
        return environ.get("INTRODASH_" + name.upper(), default)

    redis_url = get("redis_url") or None
    kind = (get("cache") or ("redis" if redis_url else "none")).strip().lower()
    timeout = int(get("cache_timeout", 3600))
    if kind in ("none", "off", "0", ""):
        return None
    if kind == "simple":
        return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout,
                "CACHE_THRESHOLD": int(get("cache_threshold", 256))}
    if kind == "redis":
        if not redis_url:
            raise ValueError("INTRODASH_CACHE=redis needs INTRODASH_REDIS_URL (e.g. redis://localhost:6379/0)")
        try:
            import redis  # noqa: F401
        except ImportError:
            raise RuntimeError("INTRODASH_REDIS_URL is set, but the Python package 'redis' is not installed: "
                               "pip install redis") from None
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_DEFAULT_TIMEOUT": timeout,
                "CACHE_KEY_PREFIX": KEY_PREFIX,
                # A Redis that is down or slow must cost a request at most this, then the view is computed.
                "CACHE_OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    raise ValueError(f"INTRODASH_CACHE must be simple, redis or none, not {kind!r}")


def install_cache(app, settings: dict) -> None:
    config = cache_config(settings)
    if config is None:
        return
    from flask_caching import Cache
    cache = Cache(config=config)
    cache.init_app(app.server)
    app.server.extensions[EXTENSION] = cache


def current_cache():
    if not flask.has_app_context():
        return None
    return flask.current_app.extensions.get(EXTENSION)


# ---- versions: code and data -----------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code and texts: a new release never reads an old release's entries."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".json", ".po", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]



def dataset_version(ds) -> str:
    """A digest of the dataset's content (cells, catalogues, origin, name): equal in every process that
    loaded the same data, different as soon as one value differs. Computed once per Dataset."""
    return cache.once(ds, "version", lambda: _content_version(ds))


def _content_version(ds) -> str:
    import pandas as pd
    h = hashlib.sha256()
    cells = ds.cells
    h.update(repr((list(cells.columns), [str(t) for t in cells.dtypes], len(cells))).encode())
    h.update(pd.util.hash_pandas_object(cells, index=False).to_numpy().tobytes())
    h.update(repr(sorted((k, repr(v)) for k, v in ds.measures.items())).encode())
    h.update(repr(sorted((k, repr(v)) for k, v in ds.sources.items())).encode())
    h.update(repr((getattr(ds, "origin", ""), getattr(ds, "name", ""))).encode())
    return h.hexdigest()[:24]


def _key_part(arg) -> str | None:
    """A stable text for one argument, or None when it cannot be part of a key."""
    from ..model.dataset import Dataset
    from ..views.state import ViewState
    if isinstance(arg, ViewState):
        return "view:" + arg.to_query()
    if isinstance(arg, Dataset):
        # A user's own upload is never put in a shared cache.
        return None if getattr(arg, "origin", "") == "user" else "data:" + dataset_version(arg)
    if isinstance(getattr(arg, "dataset", None), Dataset):  # a DataStore: its dataset now
        return _key_part(arg.dataset)
    if arg is None or isinstance(arg, (str, int, float, bool)):
        return repr(arg)
    if isinstance(arg, (list, tuple)):
        parts = [_key_part(a) for a in arg]
        return None if None in parts else "[" + ",".join(parts) + "]"
    if is_dataclass(arg) and getattr(type(arg), "__dataclass_params__").frozen:
        return repr(arg)
    return None


def view_key(fn_name: str, args: tuple, kwargs: dict) -> str | None:
    parts = [_key_part(a) for a in args]
    for k, v in sorted(kwargs.items()):
        part = _key_part(v)
        parts.append(None if part is None else f"{k}={part}")
    if None in parts:
        return None
    text = "\x1f".join([fn_name, code_version()] + parts)
    return hashlib.sha256(text.encode()).hexdigest()


# ---- values: what is stored ------------------------------------------------------------------

def plain(value):
    """The value with each plotly Figure among the outputs (the value itself, or the items of a dict, list
    or tuple of outputs) replaced by its dict. Dash sends a Figure as exactly that dict, so the page is the
    same; but a pickled Figure is rebuilt through plotly's validators on load (~35 ms a figure). Only that
    one level is looked at: walking into every output's data costs more than it saves (300 ms a view)."""
    from plotly.basedatatypes import BaseFigure

    def leaf(v):
        return v.to_plotly_json() if isinstance(v, BaseFigure) else v
    if isinstance(value, dict):
        return {k: leaf(v) for k, v in value.items()}
    if isinstance(value, list):
        return [leaf(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(leaf(v) for v in value)
    return leaf(value)


_MISS = object()
_warned: set[str] = set()


def _warn_once(what: str, error: Exception) -> None:
    if what not in _warned:
        _warned.add(what)
        log.warning("view cache %s failed (%s: %s); computing views without it", what, type(error).__name__, error)


def memoize_view(fn: Callable | None = None, *, timeout: int | None = None):
    """Cache a view function's result in the app's cache (see the module docstring).

    Use on the function that turns (store or dataset, ViewState, …) into the rendered outputs: in
    callbacks.py, on `_render` (which its per-process memo calls on a miss), so a local hit never leaves
    the process. Arguments that are not a Dataset, a DataStore, a ViewState, plain values or frozen
    dataclasses make the call uncached, and so does a user's own (uploaded) dataset.
    When a cache is on, Figures in the result come back as their dicts (see `plain`).
    """
    if fn is None:
        return functools.partial(memoize_view, timeout=timeout)
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        cache = current_cache()
        if cache is None:
            return fn(*args, **kwargs)
        key = view_key(name, args, kwargs)
        if key is None:
            return fn(*args, **kwargs)
        try:
            hit = cache.get(key)
        except Exception as e:  # the cache is a speed-up, never a reason to fail a request
            _warn_once("get", e)
            hit = None
        if hit is not None:
            return pickle.loads(hit)
        value = plain(fn(*args, **kwargs))
        try:
            cache.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), timeout=timeout)
        except Exception as e:
            _warn_once("set", e)
        return value

    wrapper.uncached = fn
    return wrapper
