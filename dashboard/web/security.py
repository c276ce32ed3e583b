"""Headers, limits and error pages: what keeps the app safe whatever it is sent.

- Content-Security-Policy as strict as Dash allows (dash-notes C.4), nosniff, Referrer-Policy.
- A size limit on request bodies (max_request_bytes; 413 above it).
- Malformed callback requests refused with a 400 (guard.py) before Dash reads them, and bodies that nest
  deeper than MAX_JSON_DEPTH before anything parses them (json.loads recurses once per level).
- 404, not the page, for any path but the page's own (/): Dash answers every unknown path with the page;
  and 404 for an unknown component-suite file (Dash raises DependencyException: a 500 and a traceback).
- Nothing a client sends is logged with a traceback: only server errors are.
- Errors answered in plain text without details; the exception is logged here instead. Debug stays
  off (FLASK_DEBUG in the environment is ignored): only `serve --dev` turns it on, after this runs.
"""
from __future__ import annotations

import logging

from dash.exceptions import DependencyException
from flask import Response, request
from werkzeug.exceptions import HTTPException

from . import guard
from ..model.dataset import MAX_JSON_DEPTH, json_depth

log = logging.getLogger("dashboard")
REFERRER_POLICY = "strict-origin-when-cross-origin"


def content_security_policy(script_hashes: list[str], frame_ancestors: str, dev: bool = False) -> str:
    # Plotly sets inline styles (plotly.js #2355), so style-src needs 'unsafe-inline'; scripts do not.
    # Dash's dev tools (serve --dev only) evaluate code, so only they get 'unsafe-eval'.
    script = " ".join(["'self'"] + script_hashes + (["'unsafe-eval'"] if dev else []))
    return "; ".join([
        "default-src 'self'",
        f"script-src {script}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        f"frame-ancestors {frame_ancestors}",
        "base-uri 'self'",
        "object-src 'none'",
        "form-action 'self'",
    ])


def plain(text: str, status: int) -> Response:
    return Response(text.rstrip("\n") + "\n", status=status, mimetype="text/plain")


def _is_callback_request() -> bool:
    return request.method == "POST" and request.path == guard.CALLBACK_PATH


def install(app, settings: dict) -> None:
    """Called once by create_app after every callback and route is registered."""
    server = app.server
    _configure(server, settings)
    catch_all = {r.rule for r in server.url_map.iter_rules() if r.rule.endswith("<path:path>")
                 and r.endpoint == r.rule}  # Dash's index for every other path
    frame_ancestors = settings["frame_ancestors"]
    policy: dict[bool, str] = {}

    def csp() -> str:
        # Hashed on first use: by then every inline script (clientside callbacks, renderer) is known.
        dev = bool(server.debug)
        if dev not in policy:
            policy[dev] = content_security_policy(list(app.csp_hashes()), frame_ancestors, dev)
        return policy[dev]

    @server.before_request
    def refuse_unknown_paths():
        rule = request.url_rule
        if rule is not None and rule.rule in catch_all:
            return plain("404 Not Found", 404)
        return None

    @server.before_request
    def refuse_malformed_callbacks():
        if not _is_callback_request():
            return None
        if json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH:
            return plain(f"400 Bad Request: the body nests deeper than {MAX_JSON_DEPTH} levels.", 400)
        reason = guard.problem(app.callback_map, request.get_json(silent=True))
        if reason:
            return plain(f"400 Bad Request: {reason}.", 400)
        return None

    @server.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = csp()
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        return response

    server.errorhandler(Exception)(_error_handler(app, settings))


def _configure(server, settings: dict) -> None:
    """Debug off, the request limit, and the settings that the upload callback, /healthz and the data
    store read from the server."""
    server.config["DEBUG"] = False
    server.config["PROPAGATE_EXCEPTIONS"] = False
    server.config["MAX_CONTENT_LENGTH"] = settings["max_request_bytes"]
    server.config["MAX_UPLOAD_BYTES"] = settings["max_upload_bytes"]  # for the upload callback to check
    server.config["PARSE_SECONDS"] = settings["parse_seconds"]          # uploads.budget_seconds
    server.config["HEALTHZ_DETAILS"] = settings["healthz_details"]      # routes.healthz
    store = server.config.get("DATA_STORE")
    if store is not None:
        store.quiet = settings["reload_quiet"]  # (create_app builds the store; the quiet period is set here)


def _error_handler(app, settings: dict):
    """The handler of every exception: a client's mistake is a 4xx in plain text without details, a server
    error a 500 whose exception is logged here (under `serve --dev` the debugger shows it instead)."""
    server = app.server

    def errors(e: Exception):
        if isinstance(e, HTTPException):
            # Status and name only: a description may quote the request.
            response = e.get_response()
            text = f"{e.code} {e.name}"
            if e.code == 413:
                text += f": the request is larger than {settings['max_request_bytes']} bytes"
            response.set_data((text + "\n").encode())
            response.mimetype = "text/plain"
            return response
        if isinstance(e, DependencyException):  # an unknown component-suite file: the client's mistake
            return plain("404 Not Found", 404)
        if server.debug:  # serve --dev: let the debugger show it
            raise e
        if isinstance(e, RecursionError) or (_is_callback_request()
                                             and guard.problem(app.callback_map, request.get_json(silent=True))):
            log.warning("refused %s %s: %s", request.method, request.path, type(e).__name__)
            return plain("400 Bad Request: the request could not be read.", 400)
        log.exception("error answering %s %s", request.method, request.path)
        return plain("500 Internal Server Error: something went wrong on the server; it has been logged.", 500)
    return errors
