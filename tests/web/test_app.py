"""create_app(): a data folder, the <html lang> from the link, and missing front-end files said plainly."""
import csv
import io
import shutil
from pathlib import Path

import pytest

from dashboard.web import app as app_module
from dashboard.web.app import SETUP_HINT, VENDOR_FILES, create_app, missing_vendor_files

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_the_html_lang_follows_the_link(client):
    assert '<html lang="nb">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="nb">' in client.get("/?lang=fr").get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "<title>Introduksjonsprogrammet i tall</title>" in page
    assert "<footer>" not in page and 'class="dash-scripts"' in page  # one contentinfo landmark: the page's own


def test_the_shipped_vendor_files_are_there():
    assert missing_vendor_files() == []
    assert all((app_module.ASSETS / f).stat().st_size > 1000 for f in VENDOR_FILES)


def test_missing_vendor_files_are_said_plainly(tmp_path, monkeypatch, capsys):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "bootstrap.min.css").write_text("/* present */")
    monkeypatch.setattr(app_module, "ASSETS", tmp_path)
    assert missing_vendor_files() == ["vendor/plotly-basic.min.js"]
    client = create_app().server.test_client()
    said = "Front-end files are missing (vendor/plotly-basic.min.js). Run: bash scripts/setup.sh"
    assert said in capsys.readouterr().err and SETUP_HINT == "bash scripts/setup.sh"
    layout = client.get("/_dash-layout").get_data(as_text=True).replace("\\u002f", "/")
    assert said in layout  # on the page too, not only in a log


def test_no_warning_when_nothing_is_missing(client):
    assert "Front-end files are missing" not in client.get("/_dash-layout").get_data(as_text=True)


def test_a_data_folder_is_served(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("build", "geo"))
    figures = folder / "figures.csv"
    kept = [r for r in csv.DictReader(io.StringIO(figures.read_text(encoding="utf-8")))
            if not (r["group"] == "ukraine" and r["measure"] == "to_work")]
    with open(figures, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    client = create_app(folder).server.test_client()
    got = list(csv.DictReader(io.StringIO(client.get("/data.csv?chart=groups").get_data(as_text=True))))
    assert [(x["group"], x["measure"], x["value"]) for x in got] == [
        ("other", "to_work", "23"), ("ukraine", "to_education", "3"), ("other", "to_education", "28")]
    health = client.get("/healthz").get_data(as_text=True).splitlines()
    assert health[0] == "ok" and f" rows {len(kept)} " in health[1]   # the folder's rows, not the shipped ones


def test_a_url_prefix_is_served_under_it():
    client = create_app(settings={"url_prefix": "/intro/"}).server.test_client()
    assert client.get("/intro/healthz").get_data(as_text=True).startswith("ok\ndata: sha256:")
    assert client.get("/healthz").get_data(as_text=True).startswith("ok\ndata: sha256:")
    page = client.get("/intro/").get_data(as_text=True).replace("\\u002f", "/")
    assert '"requests_pathname_prefix":"/intro/"' in page and 'src="/intro/_dash-component-suites/' in page
