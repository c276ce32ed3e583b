"""security.install: CSP, nosniff and Referrer-Policy on every response; errors in plain text, no traceback."""
import json
import logging

import pytest

from dashboard.web import security
from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def app():
    app = create_app()

    @app.server.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret detail /etc/passwd")
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def headers_ok(r):
    csp = r.headers["Content-Security-Policy"]
    return (r.headers["X-Content-Type-Options"] == "nosniff"
            and r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
            and "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp)


def test_every_response_carries_the_headers(client):
    responses = [client.get("/"), client.get("/healthz"), client.get("/data.csv"), client.get("/data.csv?year=x"),
                 client.get("/assets/no-such-file.css"), client.delete("/healthz"), client.get("/boom-for-test"),
                 client.post("/_dash-update-component", data="{", content_type="application/json")]
    assert [r.status_code for r in responses] == [200, 200, 200, 400, 404, 405, 500, 400]
    assert all(headers_ok(r) for r in responses)


def test_the_policy_allows_no_inline_script_but_its_hashes_and_no_eval():
    csp = security.content_security_policy(["'sha256-abc'"], "'self' https://kommune.no")
    parts = dict(p.split(" ", 1) for p in csp.split("; "))
    assert parts["script-src"] == "'self' 'sha256-abc'"
    assert parts["frame-ancestors"] == "'self' https://kommune.no"
    assert parts["style-src"] == "'self' 'unsafe-inline'"  # plotly sets inline styles
    assert "'unsafe-eval'" in security.content_security_policy([], "'self'", dev=True)


def test_the_served_policy_hashes_the_apps_inline_scripts(app, client):
    csp = client.get("/").headers["Content-Security-Policy"]
    script = next(p for p in csp.split("; ") if p.startswith("script-src"))
    assert all(h in script for h in app.csp_hashes()) and "unsafe-eval" not in script and "unsafe-inline" not in script


def test_a_server_error_is_plain_text_without_a_traceback(client, caplog):
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        r = client.get("/boom-for-test")
    body = r.get_data(as_text=True)
    assert r.status_code == 500 and r.mimetype == "text/plain"
    assert body == "500 Internal Server Error: something went wrong on the server; it has been logged.\n"
    assert "Traceback" not in body and "secret" not in body
    assert "secret detail" in caplog.text  # logged for the operator instead


def test_a_client_error_says_status_and_name_only(client):
    r = client.get("/assets/no-such-file.css?<script>=1")
    assert r.status_code == 404 and r.get_data(as_text=True) == "404 Not Found\n" and r.mimetype == "text/plain"
    r = client.delete("/healthz")
    assert r.status_code == 405 and r.get_data(as_text=True) == "405 Method Not Allowed\n"
    r = client.post("/_dash-update-component", data=json.dumps({"output": "nope.children"}),
                    content_type="application/json")
    assert r.status_code == 400 and r.get_data(as_text=True) == "400 Bad Request: no such callback.\n"
    assert "Traceback" not in r.get_data(as_text=True)


def test_a_body_over_the_limit_is_a_413_that_says_the_limit():
    client = create_app(settings={"max_request_bytes": 100_000, "max_upload_bytes": 10_000}).server.test_client()
    r = client.post("/_dash-update-component", data="x" * 100_001, content_type="application/json")
    assert r.status_code == 413
    assert r.get_data(as_text=True) == "413 Request Entity Too Large: the request is larger than 100000 bytes\n"


def test_debug_is_off(app):
    assert app.server.config["DEBUG"] is False and app.server.config["PROPAGATE_EXCEPTIONS"] is False
