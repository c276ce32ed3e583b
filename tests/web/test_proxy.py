"""PrefixMiddleware: under /intro/ the prefix moves from PATH_INFO to SCRIPT_NAME; other paths pass unchanged."""
import flask
import pytest

from dashboard.web.proxy import PrefixMiddleware


def seen(prefix: str, path: str, script_name: str = "") -> tuple[str, str]:
    got = {}

    def app(environ, start_response):
        got["script"], got["path"] = environ.get("SCRIPT_NAME", ""), environ["PATH_INFO"]
        start_response("200 OK", [])
        return [b""]

    PrefixMiddleware(app, prefix)({"PATH_INFO": path, "SCRIPT_NAME": script_name}, lambda *a: None)
    return got["script"], got["path"]


@pytest.mark.parametrize("path, expected", [
    ("/intro/data.csv", ("/intro", "/data.csv")),
    ("/intro/", ("/intro", "/")),
    ("/intro", ("/intro", "/")),
    ("/data.csv", ("", "/data.csv")),          # a proxy that strips the prefix itself
    ("/introduction/x", ("", "/introduction/x")),  # only a whole path segment is the prefix
    ("/", ("", "/")),
])
def test_the_prefix_moves_to_script_name(path, expected):
    assert seen("/intro/", path) == expected


def test_an_existing_script_name_is_kept_in_front():
    assert seen("/intro/", "/intro/healthz", "/site") == ("/site/intro", "/healthz")


def test_a_flask_app_answers_under_the_prefix_and_writes_links_under_it():
    server = flask.Flask(__name__)

    @server.route("/where")
    def where():
        return flask.url_for("where")

    server.wsgi_app = PrefixMiddleware(server.wsgi_app, "/intro/")
    client = server.test_client()
    assert client.get("/intro/where").get_data(as_text=True) == "/intro/where"
    assert client.get("/where").get_data(as_text=True) == "/where"
    assert client.get("/intro/nope").status_code == 404
