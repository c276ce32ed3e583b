"""Without a browser, through the chart registry and the render functions: the presentation deck, the embed
mode, the notices, the protection of a user's upload, and regions that are valid in some years only."""
from __future__ import annotations

import base64

import pandas as pd
import pytest
from markupsafe import escape

from dashboard.model import regions
from dashboard.views import charts, presentation
from dashboard.views.i18n import t
from dashboard.views.state import Problem, ViewState
from dashboard.views.text import describe
from dashboard.web import callbacks, embed
from dashboard.model import uploads
from dashboard.model.suppression import SYMBOL


def title_of(ds, state: ViewState, chart: str) -> str:
    """What a slide or an embed must be titled: the chart's own title from the registry (cards: key figures)."""
    if chart == "cards":
        return t("key_figures", state.lang)
    _, spec = charts.one(ds, state, chart)
    return spec.title.split(" · ")[0]


# ---- the presentation deck ----------------------------------------------------------------------

def test_the_default_deck_tells_the_page_story_in_the_page_order(ds):
    """The key figures first (they open the page), then the charts in the order the page shows them."""
    state = ViewState(present=True)
    deck = [presentation.slide_state(state, i).chart for i in range(len(presentation.slides(state)))]
    assert len(deck) == 6 and deck[0] == "cards"
    assert all(c in charts.REGISTRY for c in deck)
    assert deck[1:] == sorted(deck[1:], key=charts.PAGE_CHARTS.index)
    # the seed page's story, with both definitions side by side after illustration 2
    assert deck[1:] == ["trend", "groups", "definitions", "outcomes", "education"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_each_slide_is_its_chart_alone_with_its_place_in_the_deck(ds, lang):
    state = ViewState(present=True, lang=lang)
    n = len(presentation.slides(state))
    for i in range(n):
        here = state.replace(slide=i)
        out = callbacks.render_solo(ds, here)
        chart = presentation.slide_state(here).chart
        assert out[("solo-title", "children")] == title_of(ds, presentation.slide_state(here), chart)
        assert out[("solo-counter", "children")] == t("present_counter", lang, n=i + 1, total=n)
        assert out[("solo-nav", "hidden")] is False and out[("solo-back", "hidden")] is True
        assert out[("solo-chartbox", "hidden")] is (chart == "cards")
        prev_slide, next_slide = max(i - 1, 0), min(i + 1, n - 1)
        assert out[("solo-prev", "href")] == presentation.step(here, -1).url()
        assert out[("solo-next", "href")] == presentation.step(here, +1).url()
        assert presentation.step(here, -1).slide == prev_slide and presentation.step(here, +1).slide == next_slide
    # Past the end: the last slide; the page's charts are not drawn behind it.
    last = callbacks.render_solo(ds, state.replace(slide=99))
    assert last[("solo-counter", "children")] == t("present_counter", lang, n=n, total=n)
    assert callbacks.render_charts.uncached(ds, state) == {}
    texts = callbacks.render_texts.uncached(ds, state)
    assert texts[("page", "hidden")] is True and texts[("solo", "hidden")] is False
    assert "presenting" in texts[("app-root", "className")]


def test_a_deck_from_a_link_sets_its_own_filters_and_nothing_else():
    state, problems = ViewState.from_query("present=1&lang=en&gender=women&deck=chart=outcomes%26year=2022"
                                           "|chart=groups%26lang=nb%26present=0")
    assert problems == [] and presentation.slides(state) == ["chart=outcomes&year=2022", "chart=groups&lang=nb&present=0"]
    first, second = presentation.slide_state(state, 0), presentation.slide_state(state, 1)
    assert (first.chart, first.year, first.gender, first.lang) == ("outcomes", 2022, "women", "en")
    # A slide may set the filters and the chart, not the language or the mode.
    assert (second.chart, second.year, second.lang, second.present) == ("groups", None, "en", False)
    assert presentation.slides(ViewState(deck="|  |")) == list(presentation.DEFAULT_DECK)


# ---- embed ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("chart", list(charts.REGISTRY))
def test_every_registered_chart_embeds_with_its_title_caption_and_link_back(app, ds, chart):
    # The region chart compares a region with its county and the country: it needs a region.
    state = ViewState(embed=True, chart=chart, year=2023, region="3020" if chart == "region" else "0")
    view = state.replace(embed=False)
    out = callbacks.render_solo(ds, state)
    _, spec = charts.one(ds, view, chart)
    assert out[("solo-title", "children")] == title_of(ds, view, chart)
    assert out[("solo-caption", "children")] == spec.caption and spec.caption
    assert out[("solo-subtitle", "children")] == describe(view, 2023, "nb")
    assert describe(view, 2023, "nb") == ("Nordre Follo, 2023" if chart == "region" else "Norge, 2023")
    back = "?year=2023&region=3020" if chart == "region" else "?year=2023"
    assert out[("solo-back", "hidden")] is False and out[("solo-back", "href")] == back
    assert out[("solo-nav", "hidden")] is True
    with app.server.test_request_context("/"):
        html = embed.page(app, ds, state)
    assert f'id="solo-title" class="solo-title">{escape(title_of(ds, view, chart))}</h1>' in html
    assert f'<p id="solo-caption" class="solo-caption">{escape(spec.caption)}</p>' in html
    assert f'href="{escape(back)}"' in html


# ---- notices ----------------------------------------------------------------------------------------

def test_a_bad_value_in_the_link_is_named(ds):
    state, problems = ViewState.from_query("gender=robots&year=2023")
    assert problems == [Problem("gender", "robots")]
    html = callbacks._notices_html(ds, state, problems, None)
    assert str(escape(t("notice_invalid_param", "nb", param="gender", value="robots"))) in html


def test_a_missing_figure_names_the_nearest_published_ones(ds):
    html = callbacks._notices_html(ds, ViewState(gender="women", age="19-24"), [], None)
    assert "Gikk direkte til arbeid eller utdanning er ikke publisert for Norge, 2023, kvinner, 19-24 år." in html
    assert '<a href="?age=19-24">Norge, 2023, 19-24 år</a>' in html
    assert '<a href="?gender=women">Norge, 2023, kvinner</a>' in html


def test_a_region_search_that_finds_nothing_is_noticed_and_no_notice_in_solo_modes(ds):
    html = callbacks._notices_html(ds, ViewState(), [], "Atlantis")
    assert str(escape(t("notice_region_not_found", "nb", text="Atlantis"))) in html
    assert callbacks.notices_html(ds, ViewState(present=True), [Problem("year", "x")], "Atlantis") == ""
    assert callbacks.notices_html(ds, ViewState(embed=True), [Problem("year", "x")], "Atlantis") == ""


# ---- a user's upload is protected ------------------------------------------------------------------

def upload(rows: list[dict], name="mine.csv") -> dict:
    base = dict(group="all", gender="all", education="all", age="all", country="all", approx="false", source="user")
    csv = pd.DataFrame([{**base, **r} for r in rows]).to_csv(index=False).encode()
    return {"name": name, "contents": "data:text/csv;base64," + base64.b64encode(csv).decode()}


def test_an_upload_is_protected_before_anything_shows_it(store):
    """Oslo 2024: 40 ended, 3 of them women (and so 37 men): neither is shown, on the page or in its file."""
    uploads._parsed.clear()
    user = upload([dict(year=2024, region="0301", measure="ended", value=v, unit="count", gender=g)
                   for g, v in (("all", 40), ("men", 37), ("women", 3))])
    ds = callbacks.user_data(store, user)
    assert ds.origin == "user" and ds is not store.dataset
    # The file is laid over the published figures: look at its own rows (their source names the file).
    mine = ds.cells[ds.cells["source"].astype(str).str.startswith("dine-tall:")]
    shown = {(r.gender, r.value) for r in mine.itertuples()}
    assert shown == {("all", 40.0)}
    hidden = ds.suppressed[ds.suppressed["source"].astype(str).str.startswith("dine-tall:")]
    assert sorted(hidden["reason"]) == ["count", "secondary"]
    state = ViewState(region="0301", gender="women")
    result = callbacks.cached_query(ds, state)
    cohort = next(k for k in result.key_figures if k.measure == "ended")
    assert cohort.cell is None and cohort.hidden == "count"
    assert SYMBOL in callbacks.render_texts.uncached(ds, state)[("cards", "html")]
    assert all(c.value >= 5 for c in result.cells() if c.unit == "count")


def test_a_refused_upload_leaves_the_published_data(store):
    bad = {"name": "bad.csv", "contents": "data:text/csv;base64," + base64.b64encode(b"not,a,table\n1,2").decode()}
    assert callbacks.user_data(store, bad) is store.dataset
    assert callbacks.user_data(store, None) is store.dataset


# ---- a presentation with a user's file loaded ---------------------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_slide_with_the_users_figures_says_so_in_its_title_source_and_cards(store, lang):
    """Oslo 2023 from the user's file (55 %): every slide that shows it is titled "Dine tall: …", names the
    file on its source line, and the cards mark the figure; the published slides of Norway stay as they were."""
    uploads._parsed.clear()
    user = upload([dict(year=2023, region="0301", measure="to_work_or_education", value=55, unit="percent",
                        source="kommunen")])
    ds = callbacks.user_data(store, user)
    oslo = ViewState(present=True, region="0301", year=2023, lang=lang)
    mark, source = t("your_figures", lang), f"{t('your_figures', lang)}: mine.csv"
    cards = callbacks.render_solo(ds, oslo)
    assert cards[("solo-title", "children")] == t("your_figures_title", lang, title=t("key_figures", lang))
    assert cards[("solo-title", "children")].startswith(mark + ": ")
    assert cards[("solo-source", "children")] == t("source_line", lang, sources=source)
    assert str(escape(t("your_figures_mark", lang, name="mine.csv"))) in cards[("solo-cards", "html")]
    assert "55" in cards[("solo-cards", "html")]
    trend = callbacks.render_solo(ds, oslo.replace(slide=1))
    _, spec = charts.one(ds, presentation.slide_state(oslo.replace(slide=1)), "trend")
    assert any(uploads.is_user_source(c.source) and c.value == 55 for c in spec.cells)
    assert trend[("solo-title", "children")] == t("your_figures_title", lang, title=spec.title.split(" · ")[0])
    assert source in trend[("solo-source", "children")]
    # Norway's slides hold no figure of the file: their titles and sources are the published ones.
    norway = ViewState(present=True, year=2023, lang=lang)
    for i in range(len(presentation.slides(norway))):
        here = norway.replace(slide=i)
        ours, theirs = callbacks.render_solo(ds, here), callbacks.render_solo(store.dataset, here)
        assert ours[("solo-title", "children")] == theirs[("solo-title", "children")]
        assert not ours[("solo-title", "children")].startswith(mark)
        assert ours[("solo-source", "children")] == theirs[("solo-source", "children")] and source not in ours[
            ("solo-source", "children")]


def test_a_slide_source_names_the_file_of_a_figure_computed_from_the_users(store):
    """A share the app computes from the user's count and a published base is the user's too (its inputs)."""
    from dashboard.model.query import Cell, Coords
    meta = store.dataset
    sid = uploads.user_source("kommunen.xlsx", "k")
    meta_sources = dict(meta.sources)
    from dashboard.model.schema import Source
    meta_sources[sid] = Source(sid, "Dine tall", "kommunen.xlsx", "", "")
    fake = type("Meta", (), {"sources": meta_sources})()
    published = next(c for c in meta.cells.itertuples() if c.measure == "ended")
    mine = Cell(2023, Coords(region="0301"), "to_work_count", 30.0, "count", False, sid)
    base = Cell(2023, Coords(region="0301"), "ended", 60.0, "count", False, str(published.source))
    share = Cell(2023, Coords(region="0301"), "to_work", 50.0, "percent", False, "", basis="computed",
                 inputs=(mine, base))
    line = callbacks.slide_sources(fake, [share], "nb")
    assert line.startswith("Kilde: ") and "Dine tall: kommunen.xlsx" in line
    assert meta.sources[str(published.source)].publisher in line
    assert callbacks.shows_user_figures([share]) and not callbacks.shows_user_figures([base])


# ---- regions valid in some years only -----------------------------------------------------------------

@pytest.mark.parametrize("year, code", [(2019, "0219"), (2021, "3024"), (2024, "3201")])
def test_a_region_search_finds_the_code_of_that_year(year, code):
    assert callbacks.resolve_region("Bærum", year) == code
    assert regions.valid(code, year) is not None
    assert all(regions.valid(c, year) is None for c in {"0219", "3024", "3201"} - {code})


def test_a_region_typed_with_its_code_and_period_is_that_code():
    assert callbacks.resolve_region("Bærum (3201, 2024–)", 2019) == "3201"
    assert callbacks.resolve_region("   ", 2024) is None and callbacks.resolve_region(3201, 2024) is None


@pytest.mark.parametrize("query, message", [
    ("region=3201&year=2019", "Region 3201 (Bærum) did not exist in 2019.\nIn 2019 its area had the code 0219 "
                              "(Bærum): ask for /data.csv?region=0219&year=2019.\n"),
    ("region=0219&year=2024", "Region 0219 (Bærum) did not exist in 2024.\nIn 2024 its area had the code 3201 "
                              "(Bærum): ask for /data.csv?region=3201&year=2024.\n"),
    ("region=46&year=2019&chart=trend", "Region 46 (Vestland) did not exist in 2019.\nIn 2019 its area had the codes "
                                        "12 (Hordaland), 14 (Sogn og Fjordane): ask for /data.csv?region=12&year=2019&chart=trend "
                                        "or /data.csv?region=14&year=2019&chart=trend.\n"),
])
def test_data_csv_for_a_region_that_did_not_exist_that_year_says_which_code_did(client, query, message):
    r = client.get(f"/data.csv?{query}")
    assert r.status_code == 404 and r.mimetype == "text/plain"
    assert r.get_data(as_text=True) == message


def test_data_csv_for_the_code_of_that_year_has_its_rows(client):
    r = client.get("/data.csv?region=0219&year=2019")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).splitlines()
    assert len(lines) >= 2 and all(line.startswith("2019,0219,") for line in lines[1:])
    # Without a year the code's every year is asked for: no 404, whatever years it held.
    assert client.get("/data.csv?region=3201").status_code == 200


@pytest.mark.parametrize("path", ["/data.xlsx", "/chart.svg", "/chart.png"])
def test_every_download_for_a_region_that_did_not_exist_that_year_says_which_code_did(client, path):
    """As /data.csv: a 404 that names the code of that year, with a link of the same kind (not an empty sheet
    or a chart with nothing on it)."""
    r = client.get(f"{path}?region=3201&year=2019&chart=groups&lang=en")
    assert r.status_code == 404 and r.mimetype == "text/plain"
    assert r.get_data(as_text=True) == ("Region 3201 (Bærum) did not exist in 2019.\nIn 2019 its area had the code "
                                        f"0219 (Bærum): ask for {path}?region=0219&year=2019&chart=groups&lang=en.\n")
    assert client.get("/data.xlsx?region=0219&year=2019").status_code == 200


@pytest.mark.parametrize("typed, code", [
    ("Bergen (46", "4601"),          # typing "Bergen (4601, …" stopped early: Bergen, not Vestland (46)
    ("Bergen (4601", "4601"), ("Vestland (46)", "46"), ("(46)", "46"), ("46", "46"), ("Oslo (03)", "03"),
    ("bærum (3201, 2024–)", "3201"),
])
def test_a_code_that_does_not_belong_to_the_name_typed_before_it_is_not_taken(typed, code):
    assert callbacks.resolve_region(typed, 2023) == code
