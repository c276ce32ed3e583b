"""Serving: gunicorn in production (the default), Flask's server with Dash's dev tools under --dev.

The app is built once in the gunicorn master, before any worker starts: a bad data file fails the start
with the loader's message (not a worker boot loop), the data is parsed once instead of once per worker,
and the workers share the master's loaded data copy-on-write. Workers keep no state of their own that a
request depends on: the view is the URL, and the optional shared cache (performance.py) is keyed by the
dataset's content, so any worker, on any machine, answers any request the same way.

If create_app() ever starts a thread, forking after it would silently lose that thread in the workers;
the master then falls back to building one app per worker (and says so).

Clients never reach the sync workers directly: `serve` binds the public address itself and hands it to
the front (front.py, a separate asyncio process) that buffers each request under header and body
timeouts and per-client rate limits; gunicorn listens only on a Unix socket in a private folder.

Data reloads are the master's (DataArbiter): it notices a changed file, waits until it has been quiet
for reload_quiet s, loads and validates it beside the served version while the workers go on answering,
then replaces every worker at once (a new version or a refusal alike), so all workers serve the same
version, and any worker forked later (after a crash, a kill, SIGHUP) is forked from the last good data.
"""
from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

ACCESS_LOG_ENV = "INTRODASH_ACCESS_LOG"  # "0" turns gunicorn's access log off ("-" = stdout, the default)


def gunicorn_options(bind: str, workers: int) -> dict:
    """The production settings. More can be given in GUNICORN_CMD_ARGS (e.g. --timeout)."""
    access_log = os.environ.get(ACCESS_LOG_ENV, "-")
    options = {
        "bind": bind,
        "workers": max(1, int(workers)),
        "worker_class": "sync",      # the callbacks are CPU-bound: one request per worker, one worker per core
        "accesslog": None if access_log in ("0", "", "off") else access_log,
        "proc_name": "introdash",
        # gunicorn >= 25.1 opens a control socket at ~/.gunicorn/gunicorn.ctl unless told not to. The real
        # setting name in gunicorn 27 is control_socket_disable (CLI: --no-control-socket).
        "control_socket_disable": True,
    }
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        options["worker_tmp_dir"] = "/dev/shm"   # heartbeat files off a possibly slow or full disk
    return options


class Production(BaseApplication):
    """gunicorn running a WSGI app made by `factory` (the app is built in the master when `preload`)."""

    def __init__(self, factory: Callable[[], object], options: dict, preload: bool = True):
        self.factory = factory
        self.options = dict(options)
        self.preload = preload
        self.application = None
        super().__init__()

    def load_config(self):
        known = self.cfg.settings
        for key, value in self.options.items():
            if key == "control_socket_disable" and key not in known:
                continue  # gunicorn < 25.1 has no control socket at all
            if key not in known:
                raise ValueError(f"gunicorn has no setting {key!r}")
            self.cfg.set(key, value)
        # Operators add any other gunicorn option through GUNICORN_CMD_ARGS, as with the gunicorn command.
        env_args = self.cfg.get_cmd_args_from_env()
        if env_args:
            parsed = self.cfg.parser().parse_args(env_args)
            for key, value in vars(parsed).items():
                if value is not None and key.lower() in known:
                    self.cfg.set(key.lower(), value)
        self.cfg.set("preload_app", self.preload)

    def load(self):
        if self.application is None:
            self.application = self.factory()
        return self.application

    def run(self):
        try:
            DataArbiter(self).run()
        except RuntimeError as e:
            print(f"\nError: {e}\n", file=sys.stderr, flush=True)
            sys.exit(1)


def _store(wsgi_app):
    config = getattr(wsgi_app, "config", None)
    return config.get("DATA_STORE") if config is not None else None


class DataArbiter(Arbiter):
    """gunicorn's master, which also reloads the data for every worker (see the module's docstring)."""

    def manage_dirty_arbiter(self):  # called once per turn of the master's loop (about once a second)
        super().manage_dirty_arbiter()
        self.poll_data()

    def poll_data(self) -> None:
        store = _store(self.app.callable) if self.app.preload else None
        if store is None or store.path is None or getattr(store, "interval", 0) <= 0:
            return
        now = time.monotonic()
        if now < getattr(self, "_next_data_check", 0.0):
            return
        self._next_data_check = now + store.interval
        if not store.changed_and_quiet(now):
            return
        # Beside the served version: the workers answer from theirs until they are replaced.
        result = store.load_candidate()
        before = (store.version, len(store.last_problems))
        swapped = store.take(*result)
        if (store.version, len(store.last_problems)) == before and not swapped:
            return  # moved while read, or the same content again: nothing for the workers to learn
        if swapped:
            gc.unfreeze()
            release_memory()
            gc.freeze()
        self.log.info("data %s; replacing the workers", "reloaded" if swapped else "refused")
        self.replace_workers()

    def replace_workers(self) -> None:
        """Stop every worker (each finishes the request it is answering), then fork new ones from the
        master's data. The listening socket stays open meanwhile: a request waits, none is refused."""
        for pid in list(self.WORKERS):
            self.kill_worker(pid, signal.SIGTERM)
        for _ in range(self.num_workers):
            self.spawn_worker()


def build_in_master(factory: Callable[[], object]) -> tuple[object | None, bool]:
    """Build the WSGI app before forking. Returns (app, preload): preload is False, and the app dropped,
    if building it started a thread (a thread does not survive fork())."""
    before = threading.active_count()
    app = factory()
    if threading.active_count() > before:
        print("create_app() started a thread; building one app per worker instead of sharing the master's",
              file=sys.stderr)
        del app
        release_memory()
        return None, False
    release_memory()
    gc.freeze()  # loaded objects move to a permanent generation: the collector no longer writes to their pages
    return app, True


def release_memory() -> None:
    """Give the loader's freed peak back to the OS (glibc keeps it otherwise; 503 -> 250 MB at 1M rows)."""
    gc.collect()
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def listen(host: str, port: int) -> socket.socket:
    """The public address, bound here so that a port in use fails the start at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def start_front(sock: socket.socket, upstream: str) -> subprocess.Popen:
    fd = sock.fileno()
    return subprocess.Popen([sys.executable, "-m", "dashboard.web.front", "--fd", str(fd), "--upstream", upstream,
                             "--parent", str(os.getpid())], pass_fds=(fd,), cwd=str(Path(__file__).resolve().parents[2]))


def stop_front(front: subprocess.Popen) -> None:
    if front.poll() is None:
        front.terminate()
        try:
            front.wait(timeout=10)
        except subprocess.TimeoutExpired:
            front.kill()
            front.wait()


def run_gunicorn(factory: Callable[[], object], host: str, port: int, workers: int) -> int:
    app, preload = build_in_master(factory)
    store = _store(app)
    if store is not None:
        store.follow_master = True  # the master reloads (DataArbiter); the workers it forks only serve
    sock = listen(host, port)
    private = tempfile.mkdtemp(prefix="introdash-")  # 0700: only this user reaches the workers
    upstream = os.path.join(private, "workers.sock")
    front = start_front(sock, upstream)
    sock.close()
    master = os.getpid()
    try:
        production = Production(factory, gunicorn_options(f"unix:{upstream}", workers), preload=preload)
        production.application = app
        production.run()
    finally:
        # A worker leaves gunicorn by SystemExit through this same frame (it was forked inside run()):
        # only the master stops the front and removes the socket's folder.
        if os.getpid() == master:
            stop_front(front)
            shutil.rmtree(private, ignore_errors=True)
    return 0


def serve(host: str, port: int, data: str | None, dev: bool, workers: int = 2) -> int:
    from .app import create_app
    if dev:
        app = create_app(data)
        # No version check: Dash's dev tools would call a third-party host (and the CSP blocks it).
        app.run(host=host, port=port, debug=True, dev_tools_disable_version_check=True)
        return 0
    print(f"Serving on http://{host}:{port} with {workers} worker(s)" + (f", data: {Path(data)}" if data else ""),
          flush=True)
    return run_gunicorn(lambda: create_app(data).server, host, port, workers)
