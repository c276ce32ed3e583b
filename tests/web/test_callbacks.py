"""The callbacks without a browser: URL <-> controls, the charts and the texts, and what goes out on a change."""
from __future__ import annotations

from markupsafe import escape

import pytest
from dash import Patch, no_update

from dashboard.views import charts
from dashboard.views.state import ViewState
from dashboard.web import callbacks
from dashboard.web.layout import URL_CONTROLS


def shown_of(state: ViewState) -> dict:
    """What every control shows for a view (the page's and the presentation's bar)."""
    values = callbacks.control_values(state)
    return {c: values[name] for c, name in URL_CONTROLS.items()}


def controls(app, store, search, change=None, shown=None, compare_shown=None, known=None, user=None) -> dict:
    with app.server.test_request_context("/"):
        return callbacks.controls(store, search, user, change, shown, compare_shown, known)


def find(app, store, search, trigger, typed=None, clicked=None) -> dict:
    with app.server.test_request_context("/"):
        return callbacks.find(store, search, trigger, typed, clicked, None)


def test_a_link_sets_the_controls_and_leaves_the_url(app, store):
    # A pasted link: the controls still show the defaults, so each is set to the link's value.
    out = controls(app, store, "?year=2021&group=ukraine", shown=shown_of(ViewState()))
    assert out[("f-year", "value")] == "2021" and out[("f-group", "value")] == "ukraine"
    assert out[("f-region", "value")] is no_update           # it shows Norge already
    assert out[("url-moved", "data")] is no_update
    assert [o["value"] for o in out[("f-gender", "options")]] == ["all", "men", "women"]
    assert out[("view-query", "data")]["query"] == "?year=2021&group=ukraine"
    assert out[("p-year", "value")] is no_update              # the bar is set while presenting only


def test_a_value_chosen_meanwhile_is_not_put_back(app, store):
    """The answer to a change of group must not set the year back: the user may have chosen 2020 already."""
    shown = shown_of(ViewState(group="ukraine", year=2020))
    out = controls(app, store, "?group=ukraine", shown=shown)
    assert out[("f-year", "value")] == "latest"
    out = controls(app, store, "?year=2020&group=ukraine", shown=shown)
    assert all(out[(c, "value")] is no_update for c in URL_CONTROLS)   # every control already shows it


def test_an_unreadable_value_in_the_link_sets_the_control_to_the_default(app, store):
    out = controls(app, store, "?gender=robots&year=2021", shown=shown_of(ViewState()) | {"f-gender": "robots"})
    assert out[("f-gender", "value")] == "all"
    assert out[("view-query", "data")]["query"] == "?year=2021"   # what assets/js writes the next URL from


def test_options_the_controls_show_already_are_not_sent_again(app, store):
    first = controls(app, store, "?gender=men", shown=shown_of(ViewState()))
    again = controls(app, store, "?gender=women", shown=shown_of(ViewState(gender="women")),
                     known=first[("view-query", "data")])
    assert again[("f-series", "options")] is no_update and again[("f-style", "options")] is no_update
    # Options that differ are sent: the year's say which years have figures for the filters (men vs women)
    changed = [c for c in URL_CONTROLS if c.startswith("f-") and again[(c, "options")] is not no_update]
    assert all(first[(c, "options")] != again[(c, "options")] for c in changed)
    # Another dataset's view-query (a user's file) says nothing of what these controls show
    other = dict(first[("view-query", "data")], data="another")
    assert isinstance(controls(app, store, "?gender=women", known=other)[("f-series", "options")], list)


def test_a_filter_that_empties_the_year_moves_it_and_replaces_the_url(app, store):
    """A control wrote ?year=2023&region=4204 (Kristiansand has no 2023 figures): the view moves to the nearest
    year with figures, and the URL it moved to goes back to the browser (moveUrl) with the years for the
    note."""
    search = "?year=2023&region=4204"
    out = controls(app, store, search, change={"search": search, "trigger": "f-region"})
    moved = out[("url-moved", "data")]
    assert moved is not no_update and moved["trigger"] == "f-region" and moved["moved"][0] == 2023
    assert moved["from"] == search          # moveUrl applies it only while the URL is still this one
    assert f"year={moved['moved'][1]}" in moved["search"] and out[("f-year", "value")] == str(moved["moved"][1])
    # The same URL reached otherwise (a link, Back) keeps its year, as does a change of the year itself
    assert controls(app, store, search)[("url-moved", "data")] is no_update
    assert controls(app, store, search, change={"search": search, "trigger": "f-year"})[("url-moved", "data")] \
        is no_update
    assert controls(app, store, search, change={"search": "?other", "trigger": "f-region"})[("url-moved", "data")] \
        is no_update


def test_the_moved_url_of_the_view_shown_sends_nothing_again(app, store):
    """moveUrl writes the moved URL once the charts and the texts show the moved view of this change (the
    key of change n): the texts' answer to it is empty, and so is the controls' (the options are those
    shown). Anything else is answered in full."""
    search = "?year=2023&region=4204"
    first = {"search": search, "trigger": "f-region", "n": 3}
    with app.server.test_request_context("/"):
        out = callbacks.texts(store, search, None, None, first)
        shown, moved = out[("texts-shown", "data")], controls(app, store, search, change=first)[("url-moved", "data")]
        assert out[("texts-moved", "data")] == moved["key"] == "3|" + shown   # what moveUrl waits for
        again = {"search": moved["search"], "trigger": "f-region", "moved": moved["moved"]}
        assert callbacks.texts(store, moved["search"], None, None, again, shown) == {}
        assert "Viser 2022" in out[("notices", "html")]
        # An ordinary change: texts-moved keeps its value, so moveUrl is not set off
        assert callbacks.texts(store, moved["search"], None, None, None)[("texts-moved", "data")] is no_update
        for change, token in ((again, "other?year=2022&region=4204"), (dict(first, search=moved["search"]), shown),
                              (None, shown)):
            assert callbacks.texts(store, moved["search"], None, None, change, token)[("cards", "html")]
        # The URL the control wrote had a problem of its own (its notice is on screen): the moved URL, which
        # has none, is answered in full, and the notice goes
        bad = "?year=2023&region=4204&gender=robots"
        out = callbacks.texts(store, bad, None, None, dict(first, search=bad))
        assert "robots" in out[("notices", "html")] and out[("texts-shown", "data")].endswith("!")
        answer = callbacks.texts(store, moved["search"], None, None, again, out[("texts-shown", "data")])
        assert "robots" not in answer[("notices", "html")]
    answer = controls(app, store, moved["search"], change=again, shown=shown_of(ViewState(year=2022, region="4204")),
                      compare_shown="", known=controls(app, store, search, change=first)[("view-query", "data")])
    assert all(v is no_update for k, v in answer.items() if k != ("view-query", "data"))


def test_the_charts_texts_and_controls_work_out_the_same_view(app, store):
    search = "?year=2023&region=4204"
    change = {"search": search, "trigger": "f-region"}
    state, _, _, moved, away = callbacks.view_after(store.dataset, search, change)
    assert away and not callbacks.view_after(store.dataset, search, None)[4]
    out = controls(app, store, search, change=change)
    assert "?" + state.to_query() == out[("url-moved", "data")]["search"] and moved == (2023, state.year)
    # After moveUrl the URL is the moved one, and the note of the move stays with it
    again = dict(change, search=out[("url-moved", "data")]["search"], moved=list(moved))
    assert callbacks.view_after(store.dataset, again["search"], again)[0] == state
    assert callbacks.view_after(store.dataset, again["search"], again)[3] == moved
    bad = dict(again, moved=["2023", {"x": 1}])                # a hand-made request: no note, no error
    assert callbacks.view_after(store.dataset, again["search"], bad)[3] is None


def test_the_notices_say_what_a_change_found_for_the_url_it_wrote(app, store):
    search = "?year=2023&region=4204"
    with app.server.test_request_context("/"):
        moved = callbacks.texts(store, search, None, None, {"search": search, "trigger": "f-region"})
        plain = callbacks.texts(store, search, None, None, None)
        found = find(app, store, "?year=2022", "f-region-search", typed="Atlantis")[("region-notice", "data")]
        shown = callbacks.texts(store, "?year=2022", None, found)
        later = callbacks.texts(store, "?year=2021", None, found)    # another URL: that notice is gone
    assert "Viser 2022, nærmeste år med tall" in moved[("notices", "html")]
    assert "Viser 2022" not in plain[("notices", "html")]       # a link keeps its year
    assert "Atlantis" in shown[("notices", "html")] and "Atlantis" not in later[("notices", "html")]


def test_entering_the_presentation_sends_the_bar_all_its_options(app, store):
    """Regression: the bar's options were compared with the page's, which the bar never had."""
    page = controls(app, store, "?gender=women", shown=shown_of(ViewState()))
    deck = controls(app, store, "?gender=women&present=1", shown=shown_of(ViewState(gender="women")),
                    known=page[("view-query", "data")])
    assert all(isinstance(deck[(c, "options")], list) and deck[(c, "options")] for c in callbacks.PRESENT_IDS)
    assert deck[("f-gender", "options")] is no_update             # the page's own are on screen already
    again = controls(app, store, "?gender=women&present=1&slide=1", shown=shown_of(ViewState(gender="women")),
                     known=deck[("view-query", "data")])
    assert all(again[(c, "options")] is no_update for c in callbacks.PRESENT_IDS)


@pytest.mark.parametrize("trigger", [["x"], {"a": 1}, 3, None, True])
def test_a_change_of_any_shape_from_a_hand_made_request_is_no_error(app, store, trigger):
    """Regression: a list as the change's trigger, for the URL it names, answered 500 (unhashable)."""
    search = "?year=2023&region=4204"
    change = {"search": search, "trigger": trigger, "moved": ["a", None]}
    with app.server.test_request_context("/"):
        state = callbacks.view_after(store.dataset, search, change)[0]
        assert state == ViewState(year=2023, region="4204")        # nothing followed
        assert controls(app, store, search, change=change)[("url-moved", "data")] is no_update
        notices = callbacks.texts(store, search, None, None, change)[("notices", "html")]
    assert "Nærmeste publiserte tall" in notices and "Viser 2022" not in notices   # the link's year, kept


def test_a_click_on_the_map_chooses_its_region(app, store):
    click = {"points": [{"curveNumber": 3, "customdata": ["46"]}]}
    out = find(app, store, "?series=ssb_one_year_after&year=2022", "map-graph", clicked=click)
    assert out[("url-found", "data")] == {"from": "?series=ssb_one_year_after&year=2022",
                                          "to": "?" + ViewState(region="46", series="ssb_one_year_after", year=2022).to_query()}


@pytest.mark.parametrize("typed", ["Bergen", "Bergen (4601, 2020–)", "4601"])
def test_the_region_search_finds_by_name_or_code(app, store, typed):
    out = find(app, store, "?year=2022", "f-region-search", typed=typed)
    assert out[("url-found", "data")]["to"] == "?year=2022&region=4601"
    assert out[("f-region-search", "value")] == "" and out[("region-notice", "data")] is None


@pytest.mark.parametrize("typed", [{"a": 1}, 7, True, ["x"], "Atlantis"])
def test_a_region_search_that_finds_nothing_says_so(app, store, typed):
    """Regression: a dict, an int or True as the search's value answered 500 (the notice cut it as text)."""
    out = find(app, store, "?year=2022", "f-region-search", typed=typed)
    assert out[("url-found", "data")] is no_update and out[("f-region-search", "value")] is no_update
    notice = out[("region-notice", "data")]
    assert notice["search"] == "?year=2022" and isinstance(notice["not_found"], str) and notice["not_found"]
    with app.server.test_request_context("/"):
        html = callbacks.notices_html(store.dataset, ViewState(year=2022), [], notice["not_found"])
    assert "alert-warning notice" in html and escape(notice["not_found"][:10]) in html


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
    def compare_out(search, shown):
        return controls(app, store, search, compare_shown=shown)[("f-compare", "value")]
    # An answer to another control leaves the field (and whatever is being typed in it) alone
    assert compare_out("?compare=03,46", "Oslo (03), Vestland (46)") is no_update
    # A URL that changed the regions sets the field, and a name typed and sent is written back in full
    assert compare_out("?compare=03,46", "") == "Oslo (03), Vestland (46)"
    typed = find(app, store, "", "f-compare", typed="oslo, vestland")
    assert typed[("url-found", "data")]["to"] == "?compare=03,46"
    assert typed[("f-compare", "value")] == "Oslo (03), Vestland (46)"    # written back in full at once
    assert compare_out(typed[("url-found", "data")]["to"], "oslo, vestland") == "Oslo (03), Vestland (46)"
    # Names of the regions already compared: the URL stays, and the field shows them by their names
    same = find(app, store, "?compare=03", "f-compare", typed="oslo")
    assert same[("url-found", "data")] is no_update and same[("f-compare", "value")] == "Oslo (03)"
    missing = find(app, store, "", "f-compare", typed="oslo, atlantis")
    assert missing[("region-notice", "data")] == {"compare_missing": ["atlantis"], "search": "?compare=03"}


TEXT_VIEWS = [ViewState(), ViewState(gender="women"), ViewState(gender="men", year=2019),
              ViewState(series="ssb_one_year_after", year=2022), ViewState(group="ukraine", lang="en"),
              ViewState(region="46", gender="women", education="higher", year=2023),
              ViewState(region="4204", year=2016), ViewState(region="03", series="ssb_one_year_after"),
              ViewState(age="30_39", group="other", year=2021), ViewState(year=2016, gender="women", lang="en")]


@pytest.mark.parametrize("state", TEXT_VIEWS, ids=lambda s: s.to_query() or "default")
def test_the_texts_read_only_their_parts_and_write_what_the_whole_query_writes(app, store, state):
    """The texts' worker asks for the cards', findings' and notices' parts alone (the charts' worker
    computes the rest): the cards, the findings and the notices are the same as from the whole query."""
    from dashboard.model.query import query
    ds, lang = store.dataset, state.lang
    alone, whole = query(ds, state, needs=callbacks.TEXT_PARTS), query(ds, state)
    assert alone.map is None and alone.outcomes == [] and whole.map is not None   # the charts' parts are not computed
    with app.server.test_request_context("/"):
        for write in (lambda r: callbacks.to_html(callbacks.pieces.cards(r, lang)),
                      lambda r: callbacks.findings(r, lang),
                      lambda r: callbacks.to_html(callbacks.pieces.notices([], r, lang))):
            assert write(alone) == write(whole)


def test_the_texts_use_the_whole_query_when_this_worker_has_it():
    from dashboard.web.app import create_app
    ds, state = create_app().server.config["DATA_STORE"].dataset, ViewState(gender="men", year=2018)  # a fresh cache
    alone = callbacks.texts_query(ds, state)
    assert alone.map is None and callbacks.texts_query(ds, state) is alone      # remembered
    whole = callbacks.cached_query(ds, state)
    assert callbacks.texts_query(ds, state) is whole
