"""The app the benchmarks serve under gunicorn: create_app() plus a no-op callback.

The no-op is registered on the *same* Dash app, on two hidden components appended to its layout, rather
than in a separate tiny app: its requests then pass through exactly the same Flask app, before/after
request hooks (security headers, CSP, data-reload check, callback guard, compression) and gunicorn
worker as the real filter change, so the difference between the two is the view's own work.

  python -m benchmarks.bench_app --port P [--workers 2] [--memoize] [--data FILE]

--memoize is kept for old command lines: the app's render functions wear performance.memoize_view
themselves now (web/callbacks.py), so the shared cache is on whenever INTRODASH_REDIS_URL or
INTRODASH_CACHE is set.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOOP_IN, NOOP_OUT = "bench-noop-in", "bench-noop-out"


def noop_body(value: int = 1) -> dict:
    """The POST the renderer sends when the no-op's input changes."""
    return {"output": f"{NOOP_OUT}.children", "outputs": {"id": NOOP_OUT, "property": "children"},
            "inputs": [{"id": NOOP_IN, "property": "data", "value": value}],
            "changedPropIds": [f"{NOOP_IN}.data"], "state": []}


def add_noop(app) -> None:
    from dash import Input, Output, dcc, html
    layout = app.layout
    layout.children = list(layout.children) + [
        html.Div([dcc.Store(id=NOOP_IN, data=0), html.Div(id=NOOP_OUT)], hidden=True)]

    @app.callback(Output(NOOP_OUT, "children"), Input(NOOP_IN, "data"), prevent_initial_call=True)
    def bench_noop(value):
        return value


def create(data: str | None = None, memoize: bool = False):
    from dashboard.web.app import create_app
    app = create_app(data)
    add_noop(app)
    return app


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--data", default=None)
    p.add_argument("--memoize", action="store_true")
    a = p.parse_args(argv)
    os.environ.setdefault("INTRODASH_ACCESS_LOG", "0")
    from dashboard.web.server import run_gunicorn
    return run_gunicorn(lambda: create(a.data, a.memoize).server, a.host, a.port, a.workers)


if __name__ == "__main__":
    sys.exit(main())
