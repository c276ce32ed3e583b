"""create_app(): the Dash app and its Flask server, with no side effects at import time."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import flask
from dash import Dash

from . import callbacks, downloads, embed, layout, performance, security
from .. import settings as settings_table
from ..model.dataset import REPO_ROOT, load_dataset
from ..model.suppression import protect
from .proxy import PrefixMiddleware
from .routes import register_routes
from ..model.store import DataStore, install_reload
from ..views import i18n

ASSETS = REPO_ROOT / "assets"
VENDOR_FILES = ("vendor/bootstrap.min.css", "vendor/plotly-basic.min.js")
SETUP_HINT = "bash scripts/setup.sh"
log = logging.getLogger("dashboard")


class DashboardApp(Dash):
    """Dash with <html lang> set from the link (?lang=en), so the first paint already says the language."""

    def interpolate_index(self, **kw):
        html = super().interpolate_index(**kw)
        lang = "en" if flask.has_request_context() and flask.request.args.get("lang") == "en" else "nb"
        html = html.replace("<html>", f'<html lang="{lang}">', 1)
        # Dash wraps its scripts in a <footer>; the page has its own, and two contentinfo landmarks confuse
        # screen readers (axe: landmark-no-duplicate-contentinfo).
        return html.replace("<footer>", '<div class="dash-scripts">', 1).replace("</footer>", "</div>", 1)


def missing_vendor_files() -> list[str]:
    return [f for f in VENDOR_FILES if not (ASSETS / f).exists()]


def plotly_locale() -> dict | None:
    path = ASSETS / "vendor" / "plotly-locale-no.json"
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    return None


def create_app(data_path: str | Path | None = None, settings: dict | None = None) -> Dash:
    settings = settings_table.resolve(settings)  # defaults < INTRODASH_* environment < given
    max_bytes = settings["max_data_bytes"]
    # Small numbers are hidden before anything can serve them (suppression.py: threshold and why).
    dataset = protect(load_dataset(data_path, max_bytes=max_bytes))
    store = DataStore(dataset, Path(data_path) if data_path else None, max_bytes)
    server = flask.Flask("dashboard", root_path=str(REPO_ROOT))
    # flask-compress leaves streamed /assets/ responses uncompressed for gzip-only clients unless told.
    server.config["COMPRESS_ALGORITHM_STREAMING"] = ["zstd", "br", "gzip", "deflate"]
    app = DashboardApp("dashboard", server=server, assets_folder=str(ASSETS), compress=True,
                       title="Introduksjonsprogrammet i tall", update_title=None, serve_locally=True,
                       requests_pathname_prefix=settings["url_prefix"], routes_pathname_prefix="/")
    if settings["url_prefix"] != "/":
        server.wsgi_app = PrefixMiddleware(server.wsgi_app, settings["url_prefix"])
    missing = missing_vendor_files()
    if missing:
        print(f"Front-end files are missing ({', '.join(missing)}). Run: {SETUP_HINT}", file=sys.stderr)
    i18n.load_number_formats()
    app.layout = layout.page("nb", locale=plotly_locale(), missing_assets=missing, setup_hint=SETUP_HINT)
    callbacks.register(app, store)
    register_routes(server, store)
    downloads.register(server, store)
    embed.register(app, store)  # ?embed=1: one chart on a page of its own
    server.config["DATA_STORE"] = store
    install_reload(server, store, settings["reload_interval"])
    performance.install(app, settings)
    security.install(app, settings)  # last: the CSP needs every inline script known
    return app
