"""Headers and configuration: a strict CSP that the page still works under, nosniff, Referrer-Policy,
settings from create_app and the environment (each documented), and a URL prefix for a proxy."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dash._utils import split_callback_id

from dashboard.web import security
from dashboard.web.app import create_app
from dashboard.settings import SETTINGS, SettingError, env_name, resolve

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_every_response_carries_the_csp_and_the_other_headers(app):
    client = app.server.test_client()
    for path in ("/", "/data.csv", "/healthz", "/data.csv?year=robots", "/_dash-layout", "/assets/nope.css"):
        r = client.get(path)
        d = directives(r.headers["Content-Security-Policy"])
        assert d["default-src"] == ["'self'"]
        assert d["script-src"] == ["'self'"] + list(app.csp_hashes())  # no 'unsafe-inline', no 'unsafe-eval'
        assert d["style-src"] == ["'self'", "'unsafe-inline'"]       # plotly's inline styles
        assert d["img-src"] == ["'self'", "data:"] and d["connect-src"] == ["'self'"]
        assert d["frame-ancestors"] == ["'self'"] and d["base-uri"] == ["'self'"] and d["object-src"] == ["'none'"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_script_hash_matches_the_inline_script_on_the_page(app):
    import base64
    import hashlib
    html = app.server.test_client().get("/").get_data(as_text=True)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # Dash's IE-only alert sits in a conditional comment
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
    assert hashes <= set(app.csp_hashes())


def test_dev_tools_alone_get_unsafe_eval():
    assert "'unsafe-eval'" not in security.content_security_policy(["'sha256-x'"], "'self'")
    assert "'unsafe-eval'" in security.content_security_policy(["'sha256-x'"], "'self'", dev=True)


def test_frame_ancestors_from_settings_or_the_environment(monkeypatch):
    r = create_app(settings={"frame_ancestors": "'self' https://www.kommune.no"}).server.test_client().get("/")
    assert directives(r.headers["Content-Security-Policy"])["frame-ancestors"] == ["'self'", "https://www.kommune.no"]
    monkeypatch.setenv("INTRODASH_FRAME_ANCESTORS", "https://a.example https://b.example")
    r = create_app().server.test_client().get("/healthz")
    assert directives(r.headers["Content-Security-Policy"])["frame-ancestors"] == ["https://a.example",
                                                                                   "https://b.example"]


def test_settings_precedence_and_refusals():
    env = {"INTRODASH_RELOAD_INTERVAL": "5", "INTRODASH_URL_PREFIX": "/env/"}
    values = resolve({"url_prefix": "/given/"}, env)
    assert values["url_prefix"] == "/given/" and values["reload_interval"] == 5.0
    assert values["frame_ancestors"] == SETTINGS["frame_ancestors"].default
    bad = [({"colour": "red"}, {}, "unknown setting(s): colour"),
           ({}, {"INTRODASH_RELOAD_INTERVAL": "soon"}, "INTRODASH_RELOAD_INTERVAL: 'soon' is not a valid float"),
           ({"max_request_bytes": -1}, {}, "must be 0 or more"),
           ({"max_request_bytes": True}, {}, "not a valid int"),
           ({"url_prefix": "intro"}, {}, "must start and end with '/'"),
           ({"frame_ancestors": "'self'; script-src *"}, {}, "would break the Content-Security-Policy"),
           ({"max_request_bytes": 100_000}, {}, "so that an upload of max_upload_bytes")]
    for given, environ, message in bad:
        with pytest.raises(SettingError, match=re.escape(message)):
            resolve(given, environ)
    with pytest.raises(SettingError, match="unknown setting"):
        create_app(settings={"frame_ancestor": "'none'"})  # a typo fails the start, it is not ignored


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Settings"):]
    for name in SETTINGS:
        row = next((line for line in section.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"setting {name} is not in README.md's Settings table"
        assert f"`{env_name(name)}`" in row


def test_under_a_url_prefix_the_page_its_files_callbacks_and_data_are_served():
    app = create_app(settings={"url_prefix": "/intro/"})
    client = app.server.test_client()
    page = client.get("/intro/")
    html = page.get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert page.status_code == 200 and config["requests_pathname_prefix"] == "/intro/"
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    assert assets and all(a.startswith("/intro/") for a in assets), assets
    for url in assets[:6]:
        assert client.get(url).status_code == 200, url
    assert client.get("/intro/_dash-layout").status_code == 200
    assert client.get("/intro/_dash-dependencies").status_code == 200
    csv = client.get("/intro/data.csv?year=2023&group=ukraine")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "2023,0,ukraine,all,all,all,all,to_work,45,percent" in csv.get_data(as_text=True)
    assert client.get("/intro/healthz").get_data(as_text=True).startswith("ok\ndata: sha256:")
    output = next(k for k in app.callback_map if "f-year.options" in k)   # the controls a URL sets
    spec = app.callback_map[output]
    r = client.post("/intro/_dash-update-component", json={
        "output": output, "outputs": split_callback_id(output), "changedPropIds": ["url.search"],
        "inputs": [dict(i, value="?gender=women" if i["id"] == "url" else None) for i in spec["inputs"]],
        "state": [dict(s, value=None) for s in spec["state"]]})
    assert r.status_code == 200 and r.get_json()["response"]
    # A proxy that strips the prefix itself reaches the same app.
    assert client.get("/data.csv?year=2023").status_code == 200


def test_the_page_works_under_the_csp_with_no_console_errors(page, console_errors):
    response = page.goto("/")
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    page.wait_for_selector("#trend-graph .main-svg")
    page.wait_for_selector("#cards .kf-card")
    page.select_option("#f-gender", "women")  # a callback round trip under connect-src 'self'
    page.wait_for_url(re.compile(r"gender=women"))
    page.wait_for_selector("#trend-graph .main-svg")
    assert console_errors == []  # a CSP violation is reported as a console error
