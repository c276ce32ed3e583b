"""Shared fixtures: the real app on a loopback port, and Playwright on Debian's Chromium.

Browser tests use pytest-playwright's `page` fixture. Any test that uses `page` is marked
`browser` automatically, so `pytest -m "not browser"` runs everything that needs no Chromium.
`page.goto("/")` opens the app started by `live_server` (or the server given by --base-url).
"""

from __future__ import annotations

import logging

import os
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

# ---- Hypothesis: the same examples on every run ----------------------------------------------------------
# "ci" (loaded when CI=true, and by default): derandomized, so a run on CI and on a laptop try the same examples
# and a failure reproduces; no deadline (a loaded 2-core runner is slow, not wrong). "explore" draws new random
# examples, many more, for hunting bugs by hand: HYPOTHESIS_PROFILE=explore pytest tests/test_robustness_*.py.
# Whatever a fuzzer ever finds becomes a named regression test beside it (.hypothesis/ is not committed).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("explore", derandomize=False, deadline=None, max_examples=2000,
                                     suppress_health_check=[HealthCheck.too_slow])
HYPOTHESIS_PROFILE = ("ci" if os.environ.get("CI", "").lower() == "true"
                      else os.environ.get("HYPOTHESIS_PROFILE", "ci"))
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Keep Chromium from dialling out (updates, sync, QUIC probes); Playwright adds --headless itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it with\n"
            "  apt-get install -y --no-install-recommends chromium fonts-liberation "
            "fonts-dejavu-core libatomic1\n"
            "(or run `bash scripts/setup.sh --test`), or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="session")
def live_server():
    """The real app (create_app() with default data and settings) served by werkzeug in a thread.

    Yields the base URL, e.g. "http://127.0.0.1:41234" (no trailing slash).
    """
    from werkzeug.serving import make_server

    from dashboard.web.app import create_app

    app = create_app()
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live_server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(pytestconfig, request):
    """Base URL for Playwright's `page` (so `page.goto("/")` works): --base-url if given, else live_server."""
    given = pytestconfig.getoption("--base-url", default=None) or pytestconfig.getini("base_url")
    return given or request.getfixturevalue("live_server")


@pytest.fixture
def console_errors(page):
    """A list that collects console messages of type "error" and uncaught page errors, as strings."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
            errors.append(f"console.error: {message.text}{where}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


@pytest.fixture
def no_external_requests(page):
    """A list of every request URL (and WebSocket URL) whose host is not loopback.

    Use: `page.goto("/") ...; assert no_external_requests == []`.
    data:, blob: and about: URLs have no host and are not recorded.
    """
    external: list[str] = []

    def record(url: str) -> None:
        host = urlsplit(url).hostname
        if host is not None and host not in LOCAL_HOSTS:
            external.append(url)

    page.on("request", lambda req: record(req.url))
    page.on("websocket", lambda ws: record(ws.url))
    return external


# A loaded 2-core CI machine can take seconds for the first callback; assertions wait for it.
from playwright.sync_api import expect as _expect  # noqa: E402

_expect.set_options(timeout=15_000)


@pytest.fixture
def records():
    """Log records of the 'dashboard' logger from INFO up (pytest runs with -p no:logging, so no caplog)."""
    got: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = got.append
    logger = logging.getLogger("dashboard")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    yield got
    logger.removeHandler(handler)
    logger.setLevel(old)


# The app as shipped (default data and settings), once per test module; a module that needs another defines
# its own fixture of the same name.
@pytest.fixture(scope="module")
def app():
    from dashboard.web.app import create_app
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def ds(app):
    return app.server.config["DATA_STORE"].dataset


@pytest.fixture(scope="module")
def store(app):
    return app.server.config["DATA_STORE"]
