"""The production server (`python -m dashboard serve`: gunicorn) serves what the dev app serves, compressed,
with long-lived cache headers on fingerprinted static files; the page uses plotly-basic; the view cache
(performance.memoize_view) never changes an answer. No test here measures time."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests

from dashboard.web import performance
from dashboard.web.app import create_app
from tests.helpers import free_port, start_serve, stop_serve

ROOT = Path(__file__).resolve().parents[2]
IMMUTABLE = "public, max-age=31536000, immutable"


def decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli
        return brotli.decompress(body)
    if encoding == "zstd":
        try:
            from compression import zstd
        except ImportError:
            from backports import zstd
        return zstd.decompress(body)
    raise AssertionError(encoding)


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    """`python -m dashboard serve --port P` with 2 workers; HOME is a fresh folder (control socket check)."""
    home = tmp_path_factory.mktemp("home")
    server = start_serve(home / "server.log", ["--workers", "2"], {"HOME": str(home)}, poll=0.05)
    try:
        yield {"base": server["base"], "proc": server["proc"], "home": home}
    finally:
        stop_serve(server)


@pytest.fixture(scope="module")
def dev():
    return create_app().server.test_client()


def get(base, path, encoding="identity"):
    return requests.get(base + path, headers={"Accept-Encoding": encoding}, timeout=60, stream=True)


def raw(resp) -> bytes:
    return resp.raw.read(decode_content=False)


def dev_get(client, path) -> tuple[int, bytes, dict]:
    with client.get(path, headers={"Accept-Encoding": "identity"}) as r:
        return r.status_code, r.get_data(), dict(r.headers)


def static_paths(html: str) -> list[str]:
    return [p for p in re.findall(r'(?:src|href)="(/[^"]+)"', html) if "m=" in p or "_dash-component-suites" in p]


def view_request(dependencies: list) -> dict:
    """The renderer's request for the charts of a view (the server callback a URL sets off with the most
    outputs), built from /_dash-dependencies."""
    from dash._utils import split_callback_id
    server = [c for c in dependencies if not c.get("clientside_function")
              and any((i["id"], i["property"]) == ("url", "search") for i in c["inputs"])]
    cb = max(server, key=lambda c: len(c["output"]))
    outputs = split_callback_id(cb["output"])
    return {"output": cb["output"], "outputs": outputs if isinstance(outputs, list) else [outputs],
            "inputs": [{"id": i["id"], "property": i["property"], "value": ""} for i in cb["inputs"]],
            "changedPropIds": ["url.search"], "state": [dict(s, value=None) for s in cb.get("state", [])]}


# ---- the production server ---------------------------------------------------------------------

PAGES = ["/", "/?lang=en", "/?gender=women&year=2021", "/_dash-layout", "/_dash-dependencies", "/healthz",
         "/data.csv", "/data.csv?gender=women&year=2021", "/data.csv?year=1800"]


def same(body: bytes) -> bytes:
    """Dash signs a fresh end_id into every page load (for background callbacks): not part of the page.
    /healthz says when each process loaded its data: not part of what is served either."""
    body = re.sub(rb" loaded \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b" loaded -", body)
    return re.sub(rb'"end_id":"[^"]*"', b'"end_id":""', body)


@pytest.mark.parametrize("path", PAGES)
def test_production_serves_what_the_dev_app_serves(prod, dev, path):
    r = get(prod["base"], path)
    status, body, _ = dev_get(dev, path)
    assert r.status_code == status
    assert same(raw(r)) == same(body), path


def test_production_answers_a_callback_like_the_dev_app(prod, dev):
    deps = requests.get(prod["base"] + "/_dash-dependencies", timeout=30).json()
    body = view_request(deps)
    # As a pasted link arrives (the URL changed): a whole answer. After a control change each process sends
    # only what differs from the view it last rendered, which depends on what that process has seen.
    for i in body["inputs"]:
        if i.get("id") == "url" and i.get("property") == "search":
            i["value"] = "?gender=women"
    body["changedPropIds"] = ["url.search"]
    r = requests.post(prod["base"] + "/_dash-update-component", json=body, timeout=60,
                      headers={"Accept-Encoding": "identity"})
    with dev.post("/_dash-update-component", json=body) as d:
        assert r.status_code == d.status_code == 200
        assert r.json() == d.get_json()


def test_workers_and_no_control_socket(prod):
    children = Path(f"/proc/{prod['proc'].pid}/task/{prod['proc'].pid}/children").read_text().split()
    fronts = [c for c in children if b"dashboard.web.front" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(fronts) == 1 and len(children) - len(fronts) == 2  # the front, and two workers behind it
    # gunicorn >= 25.1 would create ~/.gunicorn/gunicorn.ctl; server.py turns it off.
    assert not (prod["home"] / ".gunicorn").exists()


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_responses_are_compressed(prod, encoding):
    base = prod["base"]
    html = get(base, "/").text
    deps = requests.get(base + "/_dash-dependencies", timeout=30).json()
    body = view_request(deps)
    plain_callback = requests.post(base + "/_dash-update-component", json=body, timeout=60,
                                   headers={"Accept-Encoding": "identity"}).content
    callback = requests.post(base + "/_dash-update-component", json=body, timeout=60, stream=True,
                             headers={"Accept-Encoding": encoding})
    assert callback.headers.get("Content-Encoding") == encoding
    assert json.loads(decompress(raw(callback), encoding)) == json.loads(plain_callback)
    asset = next(p for p in static_paths(html) if p.startswith("/assets/") and p.split("?")[0].endswith(".js"))
    suite = next(p for p in static_paths(html) if "_dash-component-suites" in p)
    for path in ("/", asset, suite):
        plain = raw(get(base, path))
        for _ in range(2):  # the first answer and one from the stored harder compression alike
            r = get(base, path, encoding)
            assert r.headers.get("Content-Encoding") == encoding, path
            assert same(decompress(raw(r), encoding)) == same(plain), path


def test_static_files_have_long_lived_cache_headers(prod):
    base = prod["base"]
    html = get(base, "/").text
    paths = static_paths(html)
    assert any(p.startswith("/assets/") for p in paths) and any("_dash-component-suites" in p for p in paths)
    for path in paths:
        r = get(base, path)
        assert r.status_code == 200, path
        assert r.headers["Cache-Control"] == IMMUTABLE, path
    bare = next(p for p in paths if p.startswith("/assets/")).split("?")[0]
    assert get(base, bare).headers["Cache-Control"] == "public, max-age=300"
    assert "immutable" not in get(base, "/").headers.get("Cache-Control", "")


def test_page_uses_plotly_basic_and_not_the_full_bundle(prod, page):
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(prod["base"] + "/")
    page.wait_for_selector("#trend-graph .main-svg", timeout=60000)
    page.wait_for_load_state("networkidle")
    assert any("/assets/vendor/plotly-basic.min.js" in u for u in urls)
    assert not any(re.search(r"/plotly(\.v[\w.]+)?\.min\.js", u) for u in urls), urls
    assert page.evaluate("window.Plotly.version") == "4.1.1"


# ---- the view cache ----------------------------------------------------------------------------

def test_cache_config_from_environment():
    assert performance.cache_config({}, {}) is None                      # callbacks.py's own memo is faster
    assert performance.cache_config({}, {"INTRODASH_CACHE": "simple"})["CACHE_TYPE"] == "SimpleCache"
    assert performance.cache_config({"cache": "simple"}, {})["CACHE_TYPE"] == "SimpleCache"
    assert performance.cache_config({}, {"INTRODASH_CACHE": "none"}) is None
    with pytest.raises(ValueError):
        performance.cache_config({}, {"INTRODASH_CACHE": "redis"})  # no URL
    with pytest.raises(ValueError):
        performance.cache_config({}, {"INTRODASH_CACHE": "memcached"})
    import redis  # noqa: F401  (requirements-dev.txt: the Redis tests need it, so it is never optional here)
    cfg = performance.cache_config({}, {"INTRODASH_REDIS_URL": "redis://localhost:6379/0"})
    assert cfg["CACHE_TYPE"] == "RedisCache" and cfg["CACHE_REDIS_URL"] == "redis://localhost:6379/0"
    assert cfg["CACHE_KEY_PREFIX"] == performance.KEY_PREFIX and cfg["CACHE_DEFAULT_TIMEOUT"] == 3600
    assert performance.cache_config({"cache_timeout": 60}, {"INTRODASH_CACHE": "simple"})["CACHE_DEFAULT_TIMEOUT"] == 60


def test_a_redis_url_without_the_redis_package_says_what_to_install(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "redis", None)          # `import redis` now raises ImportError
    with pytest.raises(RuntimeError, match="pip install redis"):
        performance.cache_config({}, {"INTRODASH_REDIS_URL": "redis://localhost:6379/0"})


def test_the_redis_config_round_trips_a_value_through_a_real_redis(redis_url):
    """The config cache_config gives, used by flask-caching as the app uses it: a value goes into the real Redis
    under the app's prefix and comes back the same; another prefix does not see it."""
    import flask
    import redis
    from flask_caching import Cache
    cfg = performance.cache_config({}, {"INTRODASH_REDIS_URL": redis_url})
    server = flask.Flask("round-trip")
    cache = Cache(server, config=cfg)
    with server.app_context():
        assert cache.set("view-a", {"figure": [1, 2, 3], "text": "Bærum 3024"})
        assert cache.get("view-a") == {"figure": [1, 2, 3], "text": "Bærum 3024"}
        assert cache.get("view-b") is None
    raw = redis.Redis.from_url(redis_url)
    assert raw.keys(performance.KEY_PREFIX + "view-a") == [(performance.KEY_PREFIX + "view-a").encode()]
    assert 0 < raw.ttl(performance.KEY_PREFIX + "view-a") <= 3600


def test_memoize_view_returns_what_the_function_returns(monkeypatch):
    from dashboard.web import callbacks
    from dashboard.views.state import ViewState
    calls = []

    def render(store, state, problems):
        calls.append(state)
        return render_view(store, state)

    memo = performance.memoize_view(render)
    monkeypatch.setenv("INTRODASH_CACHE", "simple")
    app = create_app()
    store = app.server.config["DATA_STORE"]
    state = ViewState(gender="women", year=2021)
    plain = performance.plain(render_view(store, state))
    with app.server.test_request_context("/"):
        first = memo(store, state, [])
        second = memo(store, state, [])
        other = memo(store, state.replace(gender="men"), [])
    assert len(calls) == 2                     # the repeat came from the cache
    from plotly.io.json import to_json_plotly
    assert list(first) == list(second) == list(plain)
    assert to_json_plotly(list(first.values())) == to_json_plotly(list(second.values()))
    assert to_json_plotly(list(first.values())) == to_json_plotly(list(plain.values()))
    assert to_json_plotly(list(other.values())) != to_json_plotly(list(first.values()))
    # Outside a request (no app), or with the cache off, it is the plain function.
    assert memo(store, state, []) is not None and len(calls) == 3


def test_view_key_follows_data_and_view(tmp_path):
    from dashboard.model.dataset import dataset_from_frame
    from dashboard.views.state import ViewState
    from tests.cube import make_cube
    a = dataset_from_frame(make_cube(seed=1))
    b = dataset_from_frame(make_cube(seed=1))
    c = dataset_from_frame(make_cube(seed=2))
    key = performance.view_key
    assert performance.dataset_version(a) == performance.dataset_version(b)   # same content, other process
    assert performance.dataset_version(a) != performance.dataset_version(c)
    s = ViewState(gender="women")
    assert key("f", (a, s), {}) == key("f", (b, s), {})
    assert key("f", (a, s), {}) != key("f", (c, s), {})
    assert key("f", (a, s), {}) != key("f", (a, s.replace(lang="en")), {})
    assert key("f", (a, s), {}) != key("g", (a, s), {})
    assert key("f", (a, object()), {}) is None                                # not keyable: not cached
    user = dataset_from_frame(make_cube(seed=1), origin="user")
    assert key("f", (user, s), {}) is None                                    # an upload: never shared


def test_a_broken_cache_never_breaks_a_view():
    from dashboard.web import callbacks
    from dashboard.views.state import ViewState

    class Broken:
        def get(self, key):
            raise ConnectionError("redis is down")

        def set(self, *a, **k):
            raise ConnectionError("redis is down")

    app = create_app()
    app.server.extensions[performance.EXTENSION] = Broken()
    store = app.server.config["DATA_STORE"]
    with app.server.test_request_context("/"):
        out = callbacks.render_texts(store.dataset, ViewState())   # the app's own memoized render
    assert out and out[("page", "hidden")] is False and "kf-card" in out[("cards", "html")]


def test_high_level_compression_is_stored_and_identical():
    app = create_app()
    client = app.server.test_client()
    with client.get("/") as r:
        path = next(p for p in static_paths(r.get_data(as_text=True)) if "plotly-basic" in p)
    with client.get(path) as r:
        plain = r.get_data()
    with client.get(path, headers={"Accept-Encoding": "zstd"}) as r:
        first = r.get_data()
        assert r.headers["Content-Encoding"] == "zstd"
    assert app.server.extensions["introdash_static_compressor"].wait(120)
    with client.get(path, headers={"Accept-Encoding": "zstd"}) as r:
        stored = r.get_data()
        assert r.headers["Content-Encoding"] == "zstd" and r.headers["Cache-Control"] == IMMUTABLE
    # Compressed in advance (create_app): the very first request already gets the high-level result,
    # smaller than what flask-compress's per-request level gives.
    try:
        from compression import zstd
    except ImportError:
        from backports import zstd
    assert stored == first and len(first) < len(zstd.compress(plain, level=3))
    assert decompress(stored, "zstd") == decompress(first, "zstd") == plain


def test_choose_encoding():
    assert performance.choose_encoding("gzip, deflate, br, zstd") == "zstd"
    assert performance.choose_encoding("gzip, br") == "br"
    assert performance.choose_encoding("gzip;q=1, br;q=0") == "gzip"
    assert performance.choose_encoding("identity") is None
    assert performance.choose_encoding("*") == "zstd"


@pytest.fixture
def redis_url(tmp_path):
    import shutil
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed: run `bash scripts/setup.sh --test` (apt-get install redis-server)")
    import redis  # noqa: F401  (requirements-dev.txt)
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    import redis
    client = redis.Redis(port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def render_view(store, state):
    """Every output of a page view without any cache: the charts and the texts."""
    from dashboard.web import callbacks
    return {**callbacks.render_charts.uncached(store.dataset, state),
            **callbacks.render_texts.uncached(store.dataset, state)}


def test_two_workers_share_views_through_redis(redis_url, monkeypatch):
    """Two apps (as two workers, or two machines) on one real Redis: the app itself uses it. A view the
    first one drew is answered from Redis by the second, with the same outputs."""
    import redis
    from dashboard.views import charts
    from dashboard.web import callbacks
    drawn = []
    real_page = charts.page
    monkeypatch.setattr(charts, "page", lambda result, lang: drawn.append(result.state) or real_page(result, lang))
    monkeypatch.setenv("INTRODASH_REDIS_URL", redis_url)
    worker_a, worker_b = create_app(), create_app()
    body = charts_body(worker_a, "?gender=men")
    a = worker_a.server.test_client().post("/_dash-update-component", json=body)
    assert a.status_code == 200 and len(drawn) == 1
    assert redis.Redis.from_url(redis_url).keys(performance.KEY_PREFIX + "*"), "nothing was stored in Redis"
    b = worker_b.server.test_client().post("/_dash-update-component", json=body)
    assert b.status_code == 200 and len(drawn) == 1          # worker b drew nothing: Redis answered
    assert a.get_json()["response"] == b.get_json()["response"]
    assert "trend-graph" in a.get_json()["response"]
    other = worker_b.server.test_client().post("/_dash-update-component", json=charts_body(worker_b, "?gender=women"))
    assert other.status_code == 200 and len(drawn) == 2       # another view is drawn
    assert callbacks.render_charts.uncached is not None


def charts_body(app, search: str) -> dict:
    from dash._utils import split_callback_id
    output = next(k for k in app.callback_map if "trend-graph.figure" in k)
    inputs = app.callback_map[output]["inputs"]
    return {"output": output, "outputs": split_callback_id(output),
            "inputs": [dict(i, value=search if i["id"] == "url" else None) for i in inputs],
            "state": [dict(s, value=None) for s in app.callback_map[output].get("state", [])],
            "changedPropIds": ["url.search"]}


