"""Serving: gunicorn in production (the default), Flask's server with Dash's dev tools under --dev.

The app is built once in the gunicorn master, before any worker starts: a bad data file fails the start
with the loader's message (not a worker boot loop), the data is parsed once instead of once per worker,
and the workers share the master's loaded data copy-on-write. Workers keep no state of their own that a
request depends on: the view is the URL, and the optional shared cache (performance.py) is keyed by the
dataset's content, so any worker, on any machine, answers any request the same way.

If create_app() ever starts a thread, forking after it would silently lose that thread in the workers;
the master then falls back to building one app per worker (and says so).
"""
from __future__ import annotations

import gc
import os
import sys
import threading
from pathlib import Path
from typing import Callable

from gunicorn.app.base import BaseApplication

ACCESS_LOG_ENV = "INTRODASH_ACCESS_LOG"  # "0" turns gunicorn's access log off ("-" = stdout, the default)


def gunicorn_options(host: str, port: int, workers: int) -> dict:
    """The production settings. More can be given in GUNICORN_CMD_ARGS (e.g. --forwarded-allow-ips)."""
    access_log = os.environ.get(ACCESS_LOG_ENV, "-")
    options = {
        "bind": f"{host}:{port}",
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


def run_gunicorn(factory: Callable[[], object], host: str, port: int, workers: int) -> int:
    app, preload = build_in_master(factory)
    production = Production(factory, gunicorn_options(host, port, workers), preload=preload)
    production.application = app
    production.run()
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
