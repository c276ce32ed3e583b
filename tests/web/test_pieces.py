"""The page's pieces as HTML (pieces.py): key-figure cards, notices, the table view and each chart's foot."""
import dataclasses
import re

import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import KeyFigure, Missing, query
from dashboard.model.suppression import explanation
from dashboard.views import charts, urls
from dashboard.views.state import Problem, ViewState
from dashboard.web import pieces
from dashboard.web.fragments import to_html
from tests.published import nb


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def card(result, measure, lang="nb"):
    k = next(k for k in result.key_figures if k.measure == measure)
    return nb(str(pieces.key_figure_card(k, result.meta, lang, result.year)))


def text_of(html: str) -> str:
    return nb(re.sub(r"<[^>]+>", "", html))


def test_a_published_card_has_its_value_and_the_change_from_the_year_before(ds):
    r = query(ds, ViewState())
    html = card(r, "to_work")
    assert '<p class="kf-label">Gikk direkte til arbeid</p>' in html and '<p class="kf-value">41 %</p>' in html
    assert "▲" in html and "Opp 17 prosentpoeng fra 2022" in html
    assert "kf-computed" not in html.split("kf-change")[0]  # the value itself is published
    started = card(r, "started")
    assert '<p class="kf-value">17 699</p>' in started and "Opp 6 533 personer fra 2022" in started
    assert "Endringen er beregnet: 17 699 − 11 166 = +6 533" in started  # the change is computed: said so


def test_a_computed_card_is_starred_with_its_formula(ds):
    r = query(ds, ViewState(year=2016))
    html = card(r, "to_work")
    assert '<p class="kf-value">24,3 %</p>' in html
    assert '<span aria-hidden="true">*</span> beregnet: 1 087 / 4 469 × 100 = 24,3 %' in html


def test_a_hidden_card_shows_a_colon_and_says_why(ds):
    r = query(ds, ViewState())
    k = KeyFigure("ended", None, None, None, hidden="count")
    html = nb(str(pieces.key_figure_card(k, r.meta, "nb", 2023)))
    why = nb(explanation("nb", "count"))
    assert '<p class="kf-value" title="' in html and ">:</p>" in html
    assert why in html and "Ikke publisert" not in html
    assert "Avsluttet programmet" in html


def test_a_missing_card_says_not_published(ds):
    r = query(ds, ViewState(education="higher"))
    html = card(r, "to_work_or_education")
    assert '<p class="kf-value kf-missing">Ikke publisert</p>' in html
    assert en_missing(ds) == "Not published"


def en_missing(ds):
    r = query(ds, ViewState(education="higher", lang="en"))
    html = card(r, "started", "en")
    return re.search(r'kf-missing">([^<]+)<', html).group(1)


def test_an_invalid_parameter_is_a_warning_that_names_it(ds):
    r = query(ds, ViewState())
    out = [to_html(n) for n in pieces.notices([Problem("year", "<b>1999</b>")], r, "nb")]
    assert len(out) == 1 and "alert-warning" in out[0]
    assert "Lenken hadde en ugyldig verdi for «year»" in out[0]
    assert "<b>1999</b>" not in out[0] and "&lt;b&gt;1999&lt;/b&gt;" in out[0]  # shown as text


def test_a_missing_figure_links_to_the_nearest_published_views(ds):
    r = query(ds, ViewState(education="higher"))
    out = [to_html(n) for n in pieces.notices([], r, "nb")]
    assert len(out) == 1
    assert "Gikk direkte til arbeid eller utdanning er ikke publisert for Norge, 2023, høyere utdanning." in nb(out[0])
    assert '<li><a href="./">Norge, 2023</a></li>' in nb(out[0])
    # Two nearest figures: each link is the page's URL for that view (urls.page), the other filters at all.
    state = ViewState(gender="women", education="higher", age="56+")
    missing = Missing("to_work_or_education", 2023, r.missing[0].coords, (("gender=women",), ("year=2022",)))
    r2 = dataclasses.replace(query(ds, state), missing=[missing])
    html = nb(to_html(pieces.missing_notice(missing, r2, "nb")))
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs == [urls.page(ViewState(gender="women")).replace("&", "&amp;"),
                     urls.page(ViewState(year=2022)).replace("&", "&amp;")]
    assert hrefs == ["?gender=women", "?year=2022"]
    assert "Nærmeste publiserte tall:" in html


def test_a_missing_figure_with_nothing_near_says_so(ds):
    r = query(ds, ViewState(education="higher"))
    m = dataclasses.replace(r.missing[0], nearest=())
    html = to_html(pieces.missing_notice(m, r, "en"))
    assert "<p>We found no published figures near this selection.</p>" in html
    assert "<a " not in html


def test_nearest_state_keeps_the_named_filters_and_resets_the_others():
    state = ViewState(region="46", gender="women", education="higher", year=2023, lang="en")
    assert pieces.nearest_state(state, ("gender=women", "year=2022")) == ViewState(
        region="46", gender="women", year=2022, lang="en")
    assert pieces.nearest_state(state, ("region=0",)) == ViewState(region="0", year=2023, lang="en")
    assert isinstance(pieces.nearest_state(state, ("year=2020",)).year, int)


def test_table_is_a_semantic_table_of_the_charts_rows(ds):
    spec = charts.spec("groups", query(ds, ViewState()), "nb")
    html = nb(str(pieces.table(spec)))
    assert html.startswith('<table class="table table-sm data-table"><caption>' + nb(spec.title) + "</caption>")
    assert html.count('scope="col"') == 3 and html.count('aria-sort="none"') == 3
    assert '<th scope="row">Fordrevne fra Ukraina</th><td>45 %</td><td>3 %</td>' in html
    assert '<th scope="row">Øvrige flyktninger</th><td>23 %</td><td>28 %</td>' in html
    assert '<th scope="col" aria-sort="none"><button type="button" class="sort-btn">Arbeid</button></th>' in html


def test_chart_foot_links_every_download_and_without_images_says_how_to_turn_them_on(ds):
    r = query(ds, ViewState(year=2023))
    spec = charts.spec("trend", r, "nb")
    full = str(pieces.chart_foot(spec, r, "nb"))
    for kind in ("png", "svg", "csv", "xlsx"):
        assert f'id="trend-{kind}"' in full and urls.download(r.state, "trend", kind).replace("&", "&amp;") in full
    assert '<p id="trend-sources" class="chart-sources">Kilde: ' in full and "Nøkkeltall for introduksjonsprogrammet 2023" in full
    assert '<summary>Definisjoner</summary>' in full and "Gikk direkte til arbeid: " in full
    lean = nb(str(pieces.chart_foot(spec, r, "nb", images=False)))
    assert 'id="trend-csv"' in lean and 'id="trend-xlsx"' in lean
    assert 'id="trend-png"' not in lean and 'id="trend-svg"' not in lean
    assert "Bilder (PNG og SVG) kan ikke lages på denne serveren: kjør bash run.sh" in lean
    assert "images_unavailable" not in full and "kan ikke lages" not in full


def test_a_users_own_data_downloads_through_the_page_not_a_published_link(ds):
    r = query(ds, ViewState())
    spec = charts.spec("trend", r, "nb")
    published = str(pieces.chart_foot(spec, r, "nb"))
    mine = dataclasses.replace(r, meta=dataclasses.replace(r.meta, origin="user", name="mine.csv"))
    user = str(pieces.chart_foot(spec, mine, "nb"))
    downloads = re.compile(r'<div[^>]*id="trend-downloads"[^>]*>')
    assert "hidden" not in downloads.search(published).group(0)
    # With a user's file loaded, the chart's files hold its rows too: buttons that the page answers (the file
    # stays in the browser), not links to the published figures.
    assert 'href="data.csv?' in published and 'class="chart-link btn btn-link p-0 user-download"' not in published
    assert 'href="data.csv?' not in user and user.count("user-download") >= 2
    assert 'data-chart="trend" data-kind="csv"' in user and 'data-chart="trend" data-kind="xlsx"' in user
    notes = [to_html(n) for n in pieces.notices([], mine, "nb")]
    assert any("Du ser dine egne data fra mine.csv" in n for n in notes)


def test_each_chart_offers_its_embed_page_which_with_a_file_loaded_says_it_shows_the_published_figures(ds):
    r = query(ds, ViewState(year=2023, gender="women"))
    spec = charts.spec("trend", r, "nb")
    published = str(pieces.chart_foot(spec, r, "nb"))
    href = urls.embed(r.state, "trend")
    assert href == "?year=2023&gender=women&embed=1"           # trend is the default chart
    groups = str(pieces.chart_foot(charts.spec("groups", r, "nb"), r, "nb"))
    assert 'id="groups-embed" href="?year=2023&amp;gender=women&amp;chart=groups&amp;embed=1"' in groups
    assert f'<a id="trend-embed" href="{href.replace("&", "&amp;")}" target="_blank" rel="opener"' in published
    assert 'id="trend-embed-note"' not in published and "bare de publiserte" not in published
    mine = dataclasses.replace(r, meta=dataclasses.replace(r.meta, origin="user", name="mine.csv"))
    user = str(pieces.chart_foot(spec, mine, "nb"))
    assert f'href="{href.replace("&", "&amp;")}"' in user      # the same published view: it cannot carry the file
    assert 'id="trend-embed-note"' in user
    assert "Den innebygde visningen viser bare de publiserte tallene: filen din blir i nettleseren din" in user
    en = str(pieces.chart_foot(charts.spec("trend", mine, "en"), mine, "en"))
    assert "Embed in a web page" in en and "shows the published figures only" in en


def chart_foot_with_el(spec, result, lang: str, images: bool = True) -> str:
    """chart_foot as it was written with el() (before it was one template for speed): the reference."""
    from dashboard.views.text import slug
    from dashboard.web.fragments import el
    from dashboard.views.i18n import t
    chart, state = spec.id, result.state
    name = slug(state, result.year, chart)
    kinds = [k for k in urls.DOWNLOADS if images or k not in urls.IMAGE_KINDS]
    user = result.meta.origin == "user"
    links = [el("button", t(f"download_{kind}", lang), id=f"{chart}-{kind}", type="button",
                class_="chart-link btn btn-link p-0 user-download", data_chart=chart, data_kind=kind)
             if user else
             el("a", t(f"download_{kind}", lang), id=f"{chart}-{kind}", href=urls.download(state, chart, kind),
                class_="chart-link", download=f"{name}.{kind}") for kind in kinds]
    if not images:
        links.append(el("span", t("images_unavailable", lang), class_="chart-note"))
    sources = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
    return str(el("p", sources, id=f"{chart}-sources", class_="chart-sources") + el(
        "div",
        el("details", el("summary", t("definitions", lang)),
           el("div", pieces.definitions(result, chart, lang), id=f"{chart}-defs", class_="chart-defs"),
           id=f"{chart}-details", class_="chart-details"),
        el("div", el("span", t("download_label", lang)), *links, id=f"{chart}-downloads", class_="chart-downloads"),
        embed_offer_with_el(state, chart, lang, user), class_="chart-actions"))


def embed_offer_with_el(state, chart: str, lang: str, user: bool) -> str:
    from dashboard.web.fragments import el
    from dashboard.views.i18n import t
    note = [" ", el("span", t("embed_published_only", lang), id=f"{chart}-embed-note", class_="chart-note")] \
        if user else []
    return el("p", el("a", t("embed_link", lang), id=f"{chart}-embed", href=urls.embed(state, chart),
                      target="_blank", rel="opener", class_="chart-embed-link"), *note, id=f"{chart}-embed-offer",
              class_="chart-embed")


@pytest.mark.parametrize("view", ["", "year=2023&gender=women", "series=ssb_one_year_after&region=46&lang=en",
                                  "style=line&compare=03,46&deck=chart%3Dgroups%7Cx"])
def test_the_chart_foot_template_writes_what_el_writes(ds, view):
    r = query(ds, ViewState.from_query(view)[0])
    mine = dataclasses.replace(r, meta=dataclasses.replace(r.meta, origin="user", name="<mine>.csv"))
    for result in (r, mine):
        for chart in charts.PAGE_CHARTS:
            spec = charts.spec(chart, result, result.state.lang)
            for images in (True, False):
                assert str(pieces.chart_foot(spec, result, result.state.lang, images)) == \
                    chart_foot_with_el(spec, result, result.state.lang, images), (view, chart, images)
