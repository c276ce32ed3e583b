"""Every link the app writes: only what differs from the defaults, relative, and read back to the right view."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard.views import urls
from dashboard.views.state import ViewState

DEFAULT = ViewState()
# A view with every kind of option set away from its default.
BUSY = ViewState(year=2022, region="4601", gender="women", education="higher", style="line", lang="en",
                 view="table", chart="groups", present=True, embed=False, slide=3, deck="?year=2021|?year=2023")


def query_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


def read_back(link: str) -> ViewState:
    state, problems = ViewState.from_query(urlsplit(link).query)
    assert problems == []
    return state


def every_link(state: ViewState) -> list[str]:
    out = [urls.page(state), urls.view_data(state), urls.present(state), urls.present(state, 2),
           urls.embed(state, "trend"), urls.embed(state, "groups"), urls.other_language(state),
           urls.without_present(state), urls.full_view(state)]
    out += [urls.download(state, chart, kind) for chart in ("trend", "groups") for kind in urls.DOWNLOADS]
    return out


def test_with_query_writes_only_what_differs_from_the_defaults():
    assert urls.with_query("", DEFAULT) == "./"
    assert urls.with_query("data.csv", DEFAULT) == "data.csv"
    assert urls.with_query("", ViewState(year=2022)) == "?year=2022"
    assert urls.with_query("", ViewState(region="0", gender="all", lang="nb", style="bar")) == "./"
    assert query_of(urls.with_query("", ViewState(gender="men", lang="en"))) == {"gender": "men", "lang": "en"}


def test_with_query_always_writes_the_extra_parameters_after_the_view():
    assert urls.with_query("data.csv", DEFAULT, chart="trend") == "data.csv?chart=trend"
    assert urls.with_query("x", ViewState(year=2022), a="1 2") == "x?year=2022&a=1+2"


def test_the_page_link_reads_back_as_the_same_view():
    assert urls.page(DEFAULT) == "./"
    assert read_back(urls.page(BUSY)) == BUSY


def test_download_always_writes_the_chart_even_the_default_one():
    assert urls.download(DEFAULT, "trend", "csv") == "data.csv?chart=trend"
    assert urls.download(DEFAULT, "trend", "png") == "chart.png?chart=trend"
    for kind, route in urls.DOWNLOADS.items():
        link = urls.download(DEFAULT, "groups", kind)
        assert link == f"{route}?chart=groups"
        assert query_of(link)["chart"] == "groups"


def test_download_keeps_style_language_and_filters_and_drops_the_presentation():
    link = urls.download(BUSY, "trend", "svg")
    assert link.startswith("chart.svg?")
    q = query_of(link)
    assert q == {"year": "2022", "region": "4601", "gender": "women", "education": "higher", "style": "line",
                 "lang": "en", "chart": "trend"}
    for gone in ("present", "embed", "view", "slide", "deck"):
        assert gone not in q
    assert list(q)[-1] == "chart" and link.count("chart=") == 1
    assert read_back(link) == ViewState(year=2022, region="4601", gender="women", education="higher",
                                        style="line", lang="en", chart="trend")


def test_download_of_an_embedded_view_drops_embed():
    q = query_of(urls.download(BUSY.replace(present=False, embed=True), "groups", "png"))
    assert "embed" not in q and q["chart"] == "groups"


def test_view_data_is_the_whole_views_csv_without_a_chart():
    link = urls.view_data(BUSY)
    assert link.startswith("data.csv?") and "chart" not in query_of(link)
    assert query_of(link) == {"year": "2022", "region": "4601", "gender": "women", "education": "higher",
                              "style": "line", "lang": "en"}
    assert urls.view_data(DEFAULT) == "data.csv"


def test_present_opens_the_presentation_at_a_slide():
    assert urls.present(DEFAULT) == "?present=1"
    assert urls.present(DEFAULT, 4) == "?present=1&slide=4"
    s = read_back(urls.present(BUSY.replace(embed=True), 1))
    assert s.present and not s.embed and s.slide == 1 and s.deck == BUSY.deck and s.region == "4601"


def test_embed_is_one_chart_without_presentation():
    assert urls.embed(DEFAULT, "trend") == "?embed=1"           # the default chart is not written
    s = read_back(urls.embed(BUSY, "groups"))
    assert s.embed and s.chart == "groups" and not s.present and s.slide == 0 and s.deck == ""
    assert s.lang == "en" and s.gender == "women" and s.year == 2022


def test_other_language_swaps_nb_and_en_and_keeps_the_rest():
    assert urls.other_language(DEFAULT) == "?lang=en"
    assert urls.other_language(ViewState(lang="en")) == "./"
    assert read_back(urls.other_language(BUSY)) == BUSY.replace(lang="nb")


def test_without_present_is_the_page_behind_the_presentation():
    assert urls.without_present(ViewState(present=True, slide=2, deck="a")) == "./"
    s = read_back(urls.without_present(BUSY))
    assert s == BUSY.replace(present=False, slide=0, deck="", chart="trend")


def test_full_view_is_the_page_an_embed_links_back_to():
    assert urls.full_view(ViewState(embed=True, chart="groups")) == "./"
    embedded = ViewState(embed=True, chart="groups", region="0301", lang="en")
    assert read_back(urls.full_view(embedded)) == embedded.replace(embed=False, chart="trend")


@pytest.mark.parametrize("state", [DEFAULT, BUSY, BUSY.replace(present=False, embed=True)])
def test_every_link_is_relative(state):
    for link in every_link(state):
        parts = urlsplit(link)
        assert parts.scheme == "" and parts.netloc == "", link
        assert not link.startswith("/"), link
        assert link == "./" or link.startswith("?") or link.split("?")[0] in urls.DOWNLOADS.values(), link


def test_downloads_name_their_routes():
    assert urls.DOWNLOADS == {"png": "chart.png", "svg": "chart.svg", "csv": "data.csv", "xlsx": "data.xlsx"}
    assert set(urls.IMAGE_KINDS) <= set(urls.DOWNLOADS)
