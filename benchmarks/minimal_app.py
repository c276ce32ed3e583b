"""The reference for page weight: a minimal Dash page with one dcc.Graph and dash-bootstrap-components,
as the Dash and dbc docs would have it (Dash's own plotly.min.js, compress=True), served the same way.

  python -m benchmarks.minimal_app --port P
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create(assets: str):
    import dash_bootstrap_components as dbc
    import plotly.graph_objects as go
    from dash import Dash, dcc, html
    app = Dash("minimal", compress=True, assets_folder=assets, serve_locally=True)
    fig = go.Figure(go.Bar(x=["2021", "2022", "2023"], y=[41, 45, 48]))
    app.layout = dbc.Container([html.H1("Minimal"), dcc.Graph(id="graph", figure=fig)])

    @app.server.route("/healthz")
    def healthz():
        return "ok\n"
    return app


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    a = p.parse_args(argv)
    assets = tempfile.mkdtemp(prefix="introdash-minimal-")
    # The same vendored Bootstrap CSS as the app (dbc.themes.* would be a CDN link).
    shutil.copy(ROOT / "assets" / "vendor" / "bootstrap.min.css", assets)
    from dashboard.web.server import run_gunicorn
    try:
        return run_gunicorn(lambda: create(assets).server, "127.0.0.1", a.port, 1)
    finally:
        shutil.rmtree(assets, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
