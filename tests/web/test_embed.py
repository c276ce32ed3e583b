"""The embed page: one chart alone, its title, caption, source and a link back; no callbacks, no hidden charts."""
import json
import re

import pytest

from dashboard.views import charts
from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def figure_of(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="embed-figure">(.*?)</script>', html, re.S)[1])


@pytest.mark.parametrize("chart", [c for c in charts.REGISTRY if c != "cards"])
def test_an_embedded_chart_is_that_chart_alone(client, chart):
    html = client.get(f"/?embed=1&chart={chart}&series=ssb_one_year_after&year=2022").get_data(as_text=True)
    assert html.count('id="solo-graph"') == 1 and "-graph" not in html.replace("solo-graph", "")
    assert "_dash-" not in html and "dash_renderer" not in html        # not the app: no callbacks at all
    fig = figure_of(html)
    assert isinstance(fig["data"], list) and "height" not in fig["layout"]
    assert 'id="solo-back"' in html and 'href="?year=2022&amp;series=ssb_one_year_after"' in html


def test_the_embedded_chart_shows_its_numbers_and_words(client):
    html = client.get("/?embed=1&chart=groups&year=2023&lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Work and education: displaced from Ukraine and other refugees" in html
    bars = {t["name"]: dict(zip(t["x"], t["y"])) for t in figure_of(html)["data"]}
    assert bars["Work"] == {"Displaced from Ukraine": 45, "Other refugees": 23}
    assert "Source: IMDi" in html and "See the full view" in html


def test_the_key_figures_embed_as_cards(client):
    html = client.get("/?embed=1&chart=cards").get_data(as_text=True)
    assert html.count('class="kf-card"') == 6 and figure_of(html) == {}


def test_a_page_that_is_not_embedded_is_the_app(client):
    assert "_dash-config" in client.get("/").get_data(as_text=True)
    assert "_dash-config" in client.get("/?embed=0&chart=groups").get_data(as_text=True)
    assert "_dash-config" in client.get("/?embed=maybe").get_data(as_text=True)   # the app says what it could not read


def test_text_from_the_data_cannot_break_out_of_the_page(client, monkeypatch):
    from dashboard.web import embed
    real = charts.one

    def hostile(ds, state, chart):
        result, spec = real(ds, state, chart)
        spec.title, spec.caption = "<script>alert(1)</script>", "</script><script>alert(2)</script>"
        spec.figure["layout"]["title"] = {"text": "</script><img src=x onerror=alert(3)>"}
        return result, spec
    monkeypatch.setattr(embed.charts, "one", hostile)
    html = client.get("/?embed=1&chart=groups").get_data(as_text=True)
    assert "<script>alert" not in html and "<img" not in html
    assert html.count("<script") == 4          # the data block, plotly, panels.js and embed.js
    assert figure_of(html)["layout"]["title"]["text"].startswith("</script>")


@pytest.mark.parametrize("lang, words", [("nb", "Viser bare de publiserte tallene. Filen du har lastet inn"),
                                         ("en", "Shows the published figures only. The file you loaded")])
def test_the_embed_page_holds_a_note_for_a_tab_with_a_users_file(client, lang, words):
    """The server never has the user's file: the page carries the note hidden, and assets/js/embed.js shows it
    when the tab's session holds a file (tests/test_browser_solo_user.py)."""
    html = client.get(f"/?embed=1&chart=groups&lang={lang}").get_data(as_text=True)
    note = re.search(r'<p id="embed-user-note"[^>]*>(.*?)</p>', html, re.S)
    assert note and " hidden" in note.group(0).split(">")[0] and note.group(1).startswith(words)
