"""The callbacks without a browser: URL <-> controls, the charts and the texts, and what goes out on a change."""
from __future__ import annotations

from markupsafe import escape

import pytest
from dash import Patch, no_update

from dashboard.views import charts
from dashboard.views.state import ViewState
from dashboard.web import callbacks
from dashboard.web.layout import CONTROLS


def controls_of(state: ViewState) -> list:
    values = callbacks.control_values(state)
    return [values[n] for n in CONTROLS]


def sync(app, store, search, trigger=None, controls=None, typed=None, clicked=None, user=None) -> dict:
    with app.server.test_request_context("/"):
        out = callbacks.sync(store, search, controls or controls_of(ViewState.from_query(search or "")[0]),
                             trigger, typed, clicked, user)
    return dict(zip(callbacks.SYNC_OUTPUTS, out))


def test_a_control_change_writes_the_url(app, store):
    controls = controls_of(ViewState())
    controls[CONTROLS.index("gender")] = "women"
    out = sync(app, store, "", "f-gender", controls)
    assert out[("url", "search")] == "?gender=women"
    assert out[("f-gender", "value")] is no_update          # the control already shows it
    assert [o["value"] for o in out[("f-gender", "options")]] == ["all", "men", "women"]


def test_a_link_sets_the_controls_and_leaves_the_url(app, store):
    # A pasted link: the controls still show the defaults, so each is set to the link's value.
    out = sync(app, store, "?year=2021&group=ukraine", controls=controls_of(ViewState()))
    assert out[("url", "search")] is no_update
    assert out[("f-year", "value")] == "2021" and out[("f-group", "value")] == "ukraine"
    assert out[("f-region", "value")] is no_update           # it shows Norge already


def test_a_value_chosen_meanwhile_is_not_put_back(app, store):
    """The answer to a change of group must not set the year back: the user may have chosen 2020 already."""
    controls = controls_of(ViewState(group="ukraine"))
    controls[CONTROLS.index("group")] = "all"
    out = sync(app, store, "?group=ukraine", "f-group", controls)
    assert out[("url", "search")] == ""
    assert all(out[(f"f-{n}", "value")] is no_update for n in CONTROLS)   # every control already shows it


def test_reset_keeps_the_language_only(app, store):
    out = sync(app, store, "?year=2021&gender=men&lang=en", "reset")
    assert out[("url", "search")] == "?lang=en"


def test_a_click_on_the_map_chooses_its_region(app, store):
    click = {"points": [{"curveNumber": 3, "customdata": ["46"]}]}
    out = sync(app, store, "?series=ssb_one_year_after&year=2022", "map-graph", clicked=click)
    assert out[("url", "search")] == "?region=46&series=ssb_one_year_after&year=2022".replace(
        "?region=46&series=ssb_one_year_after&year=2022", "?" + ViewState(
            region="46", series="ssb_one_year_after", year=2022).to_query())


@pytest.mark.parametrize("typed", ["Bergen", "Bergen (4601, 2020–)", "4601"])
def test_the_region_search_finds_by_name_or_code(app, store, typed):
    out = sync(app, store, "?year=2022", "f-region-search", typed=typed)
    assert out[("url", "search")] == "?year=2022&region=4601"
    assert out[("f-region-search", "value")] == "" and out[("region-notice", "data")] is None


@pytest.mark.parametrize("typed", [{"a": 1}, 7, True, ["x"], "Atlantis"])
def test_a_region_search_that_finds_nothing_says_so(app, store, typed):
    """Regression: a dict, an int or True as the search's value answered 500 (the notice cut it as text)."""
    out = sync(app, store, "?year=2022", "f-region-search", typed=typed)
    assert out[("url", "search")] is no_update
    assert isinstance(out[("region-notice", "data")], str) and out[("region-notice", "data")]
    with app.server.test_request_context("/"):
        html = callbacks.notices_html(store.dataset, ViewState(year=2022), [], out[("region-notice", "data")])
    assert "alert-warning notice" in html and escape(str(out[("region-notice", "data")])[:10]) in html


def test_the_charts_callback_draws_every_page_chart(app, store):
    with app.server.test_request_context("/"):
        out = callbacks.render_charts(store.dataset, ViewState())
    for chart in charts.PAGE_CHARTS:
        assert isinstance(out[(f"{chart}-graph", "figure")], dict), chart
        assert f'id="{chart}-title"' in out[(f"{chart}-head", "html")]
        assert f'id="{chart}-png"' in out[(f"{chart}-foot", "html")]
    assert out[("section-region", "hidden")] is True
    with app.server.test_request_context("/"):
        assert callbacks.render_charts(store.dataset, ViewState(embed=True, chart="groups")) == {}


def test_only_what_changed_goes_out_and_a_figure_with_the_same_layout_is_a_patch(app, store):
    with app.server.test_request_context("/"):
        before = callbacks.render_charts(store.dataset, ViewState())
        after = callbacks.render_charts(store.dataset, ViewState(gender="women"))
    out = callbacks.changes(after, before)
    assert out[("section-region", "hidden")] is no_update       # the same value is not sent again
    patched = [k for k, v in out.items() if isinstance(v, Patch)]
    assert len(patched) >= 3, "figures went out whole"
    for k in patched:  # applying the patch to the figure on screen gives the new figure
        assert apply_patch(before[k], out[k]) == after[k], k
    assert callbacks.changes(after, None) == after


def apply_patch(figure: dict, patch: Patch) -> dict:
    """What dash-renderer does with a Patch's Assign and Delete operations on the figure it holds."""
    import copy
    out = copy.deepcopy(figure)
    for op in patch.to_plotly_json()["operations"]:
        *path, last = op["location"]
        target = out
        for step in path:
            target = target[step]
        if op["operation"] == "Assign":
            target[last] = op["params"]["value"]
        elif op["operation"] == "Delete":
            del target[last]
        else:
            raise AssertionError(op)
    return out


def test_the_shown_view_is_tied_to_its_data(app, store):
    ds = store.dataset
    token = callbacks.shown_token(ds, ViewState(gender="men"))
    assert callbacks._shown_state(ds, token) == ViewState(gender="men")
    assert callbacks._shown_state(ds, "someotherdata?gender=men") is None
    assert callbacks._shown_state(ds, None) is None


def test_the_texts_callback_writes_cards_links_and_the_mode(app, store):
    with app.server.test_request_context("/"):
        page = callbacks.render_texts(store.dataset, ViewState(gender="women"))
        slide = callbacks.render_texts(store.dataset, ViewState(present=True, slide=1))
        embed = callbacks.render_texts(store.dataset, ViewState(embed=True, chart="groups", lang="en"))
    assert page[("page", "hidden")] is False and page[("solo", "hidden")] is True
    assert page[("lang-link", "href")] == "?gender=women&lang=en"
    assert page[("present-link", "href")] == "?gender=women&present=1"
    assert page[("download-all", "href")] == "data.csv?gender=women"
    assert page[("cards", "html")].count('class="kf-card"') == len(callbacks.cached_query(
        store.dataset, ViewState(gender="women")).key_figures) == 6
    assert slide[("page", "hidden")] is True and slide[("solo-nav", "hidden")] is False
    assert slide[("solo-counter", "children")].startswith("2")
    assert embed[("solo-back", "hidden")] is False and embed[("solo-nav", "hidden")] is True
    assert embed[("solo-back", "href")] == "?lang=en"
    assert "Ukraine" in embed[("solo-title", "children")] or "Ukrain" in embed[("solo-caption", "children")]


def test_an_invalid_link_is_a_notice_not_an_error(app, store):
    state, problems = callbacks.parse_view(store.dataset, "?year=1899&gender=robots&chart=nonsense")
    assert state == ViewState() and {p.param for p in problems} == {"year", "gender", "chart"}
    with app.server.test_request_context("/"):
        html = callbacks.notices_html(store.dataset, state, problems, None)
    assert html.count("notice_invalid") == 0 and "robots" in html and "1899" in html
    state, problems = callbacks.parse_view(store.dataset, {"not": "a string"})
    assert state == ViewState() and problems == []


def test_the_compare_field_is_written_only_when_it_shows_something_else(app, store):
    def compare_out(search, shown, trigger=None, typed=None):
        with app.server.test_request_context("/"):
            out = callbacks.sync(store, search, controls_of(ViewState.from_query(search)[0]), trigger, typed, None,
                                 None, compare_shown=shown)
        return dict(zip(callbacks.SYNC_OUTPUTS, out))[("f-compare", "value")]
    # Another control's answer leaves the field (and whatever is being typed in it) alone
    assert compare_out("?compare=03,46", "Oslo (03), Vestland (46)", "f-gender") is no_update
    # A name typed and sent is written back in full, and a URL that changed the regions sets the field
    assert compare_out("", "oslo, vestland", "f-compare", "oslo, vestland") == "Oslo (03), Vestland (46)"
    assert compare_out("?compare=03,46", "") == "Oslo (03), Vestland (46)"
