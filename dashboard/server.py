"""Serving: gunicorn in production (the default), Flask's server with Dash's dev tools under --dev."""
from __future__ import annotations

from pathlib import Path


def serve(host: str, port: int, data: str | None, dev: bool, workers: int = 2) -> int:
    from .app import create_app
    if dev:
        app = create_app(data)
        app.run(host=host, port=port, debug=True)
        return 0
    from gunicorn.app.base import BaseApplication

    # Load once in the master to fail early with a clear message, then each worker builds its own app.
    create_app(data)

    class Production(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", max(1, workers))
            self.cfg.set("accesslog", "-")
            self.cfg.set("control_socket_disable", True) if "control_socket_disable" in self.cfg.settings else None

        def load(self):
            return create_app(data).server

    print(f"Serving on http://{host}:{port} with {workers} worker(s)" + (f", data: {Path(data)}" if data else ""))
    Production().run()
    return 0
