"""Images without a browser: images_available() says so, and /chart.png and /chart.svg answer 503 in plain words."""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from dashboard.model.dataset import REPO_ROOT
from dashboard.web import downloads
from dashboard.web.app import create_app


@pytest.fixture
def no_cache():
    downloads.images_available.cache_clear()
    yield
    downloads.images_available.cache_clear()


@pytest.fixture(scope="module")
def client():
    return create_app(settings={"reload_interval": 0}).server.test_client()


def test_a_browser_path_that_is_not_a_program_means_no_images(tmp_path, monkeypatch, no_cache):
    fake = tmp_path / "chromium"
    fake.write_text("not a program")
    fake.chmod(0o644)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert downloads.images_available() is False
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path))            # a folder
    downloads.images_available.cache_clear()
    assert downloads.images_available() is False


def test_an_executable_browser_path_means_images(tmp_path, monkeypatch, no_cache):
    exe = tmp_path / "chromium"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER_PATH", str(exe))
    assert downloads.images_available() is True


def test_the_answer_is_looked_up_once_per_process(tmp_path, monkeypatch, no_cache):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert downloads.images_available() is False
    exe = tmp_path / "missing"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    assert downloads.images_available() is False                 # cached: no new look-up per request
    downloads.images_available.cache_clear()
    assert downloads.images_available() is True


@pytest.mark.parametrize("path", ["/chart.png?chart=trend", "/chart.svg?chart=groups&lang=en"])
def test_without_a_browser_images_answer_503_in_plain_words(client, tmp_path, monkeypatch, no_cache, path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))

    def must_not_draw(*a, **k):
        raise AssertionError("kaleido must not be started without a browser")
    monkeypatch.setattr(downloads, "render_image", must_not_draw)
    r = client.get(path)
    assert r.status_code == 503
    assert r.mimetype == "text/plain"
    body = r.get_data(as_text=True)
    assert "bash run.sh" in body and "chromium" in body and "<" not in body
    # A bad request is still a bad request, browser or not.
    assert client.get("/chart.png?chart=nonsense").status_code == 400


def test_the_page_has_the_message_in_both_languages():
    for lang, word in (("nb", "Bilder"), ("en", "Images")):
        text = json.loads((REPO_ROOT / "dashboard" / "locales" / f"{lang}.json").read_text(encoding="utf-8"))[
            "images_unavailable"]
        assert word in text and "bash run.sh" in text and "chromium" in text


def test_this_machine_finds_the_browser_the_set_up_installs(monkeypatch, no_cache):
    """scripts/setup.sh installs Debian's chromium on the runtime path too; kaleido must find it."""
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    chromium = shutil.which("chromium")
    assert chromium and os.access(chromium, os.X_OK), "bash scripts/setup.sh installs chromium"
    assert downloads.images_available() is True
