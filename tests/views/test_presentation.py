"""The deck without a browser: which slides have figures (presentation.plan asks the query through the
chart registry), how many are left out, where the arrows go, and the presentation's filter bar keeping the
slide while the URL follows."""
from urllib.parse import parse_qs

import pytest

from dashboard.views import presentation, urls
from dashboard.views.state import ViewState
from dashboard.web import callbacks
from dashboard.web.app import create_app
from dashboard.web.layout import URL_CONTROLS

from ..helpers import run_dashboard_js


@pytest.fixture(scope="module")
def store():
    return create_app().server.config["DATA_STORE"]


# The rules below are tested on a deck of their own (five slides), so that a change of the default deck
# changes only the test of the default deck.
FIVE = "|".join(("chart=cards", "chart=trend", "chart=groups", "chart=outcomes", "chart=education"))


def state(q: str) -> ViewState:
    s = ViewState.from_query(q)[0]
    return s.replace(deck=FIVE) if s.present and not s.deck else s


def test_the_default_deck_tells_the_seed_pages_story():
    assert presentation.DEFAULT_DECK == ("chart=cards", "chart=trend", "chart=groups", "chart=definitions",
                                         "chart=outcomes", "chart=education")


# ---- plan() with a predicate of our own: the rule alone ----------------------------------------------

def charts_with_figures(*charts):
    return lambda view: view.chart in charts


def test_plan_keeps_slides_with_figures_and_counts_the_others():
    deck = presentation.plan(state("present=1"), charts_with_figures("cards", "trend", "education"))
    assert deck.kept == (0, 1, 4) and deck.total == 5 and deck.left_out == 2
    assert deck.current == 0 and deck.number == 1


def test_a_slide_left_out_gives_way_to_the_next_shown_else_the_one_before():
    has = charts_with_figures("cards", "trend", "education")
    assert presentation.plan(state("present=1&slide=2"), has).current == 4
    assert presentation.plan(state("present=1&slide=3"), has).current == 4
    only_first = charts_with_figures("cards", "trend")
    assert presentation.plan(state("present=1&slide=3"), only_first).current == 1
    assert presentation.plan(state("present=1&slide=99"), has).current == 4  # past the end: the last


def test_when_no_slide_has_figures_every_slide_is_shown():
    deck = presentation.plan(state("present=1&slide=2"), lambda view: False)
    assert deck.kept == (0, 1, 2, 3, 4) and deck.left_out == 0 and deck.current == 2


def test_the_arrows_step_over_the_slides_left_out():
    has = charts_with_figures("cards", "trend", "education")
    s = state("present=1&slide=1")
    deck = presentation.plan(s, has)
    assert presentation.step(s, +1, deck).slide == 4
    assert presentation.step(s, -1, deck).slide == 0
    last = state("present=1&slide=4")
    assert presentation.step(last, +1, presentation.plan(last, has)).slide == 4  # stays at the end
    assert presentation.step(s, +1).slide == 2  # without a plan: the whole deck


def test_a_prepared_deck_is_planned_the_same_way():
    s = ViewState.from_query({"present": "1", "deck": "chart=groups|chart=trend&gender=women|chart=groups&gender=women"})[0]
    assert len(presentation.slides(s)) == 3
    deck = presentation.plan(s, lambda v: not (v.chart == "groups" and v.gender == "women"))
    assert deck.kept == (0, 1) and deck.left_out == 1


# ---- the real query: a slide has figures when its ChartSpec has cells -------------------------------

def test_figures_in_asks_the_query(store):
    has = presentation.figures_in(store.dataset)
    assert presentation.plan(state("present=1"), has).kept == (0, 1, 2, 3, 4)
    women = presentation.plan(state("present=1&gender=women"), has)
    assert women.kept == (0, 1, 4) and women.left_out == 2  # groups and outcomes: nothing published for women
    for i in (2, 3):
        view = presentation.slide_state(state("present=1&gender=women"), i)
        assert not has(view) and view.gender == "women"


def test_the_counter_says_how_many_were_left_out(store):
    out = callbacks.render_solo(store.dataset, state("present=1&gender=women&slide=1"))
    assert out[("solo-counter", "children")] == "2 av 3 · 2 uten tall utelatt"
    assert parse_qs(out[("solo-next", "href")].lstrip("?"))["slide"] == ["4"]
    assert parse_qs(out[("solo-prev", "href")].lstrip("?")).get("slide") is None  # slide 0 is the default
    en = callbacks.render_solo(store.dataset, state("present=1&gender=women&lang=en"))
    assert en[("solo-counter", "children")] == "1 of 3 · 2 without figures left out"
    plain = callbacks.render_solo(store.dataset, state("present=1&slide=1"))
    assert plain[("solo-counter", "children")] == "2 av 5"


def test_a_link_to_a_slide_left_out_shows_the_next_one(store):
    out = callbacks.render_solo(store.dataset, state("present=1&gender=women&slide=2"))
    assert "utdanningsnivå" in out[("solo-title", "children")]
    assert out[("solo-chartbox", "hidden")] is False
    assert "Ingen publiserte tall" not in out[("solo-caption", "children")]


def test_a_slide_without_figures_is_one_line_not_an_empty_frame(store):
    # Nothing at all for women in Vestland: every slide is shown, each saying so once.
    out = callbacks.render_solo(store.dataset, state("present=1&region=46&gender=women&slide=1"))
    assert out[("solo-chartbox", "hidden")] is True
    assert out[("solo-caption", "children")] == "Vestland, kvinner. Ingen publiserte tall for dette utvalget."
    assert out[("solo-counter", "children")] == "2 av 5"


# ---- the filter bar's callback -----------------------------------------------------------------------

def bar(app, store, search: str, change=None) -> dict:
    """The controls callback's answer for the bar: each p-* control's value, and the URL moved to."""
    with app.server.test_request_context("/"):
        out = callbacks.controls(store, search, None, change)
    return {c: out[(c, "value")] for c in callbacks.PRESENT_IDS} | {"moved": out[("url-moved", "data")]}


def after_bar(search: str, control: str, value: str) -> str:
    """The URL the bar's control writes in the browser (assets/js, searchAfter)."""
    spec = urls.control_spec(URL_CONTROLS)
    return run_dashboard_js([("searchAfter", [search, {"search": search, "query": search}, spec, control, value],
                              [], "")])[0]["value"]


def test_the_bar_shows_the_filters_of_the_url(app, store):
    shown = bar(app, store, "?present=1&slide=1&gender=men&year=2021")
    assert shown == {"p-gender": "men", "p-group": "all", "p-year": "2021", "p-region": "0",
                     "p-series": "imdi_direct", "moved": callbacks.no_update}  # a URL reached by itself stays


def test_a_change_in_the_bar_keeps_the_slide_and_the_deck(app, store):
    search = after_bar("?present=1&slide=1", "p-gender", "women")
    assert parse_qs(search.lstrip("?")) == {"gender": ["women"], "present": ["1"], "slide": ["1"]}
    assert bar(app, store, search, {"search": search, "trigger": "p-gender"})["moved"] is callbacks.no_update
    deck = "chart=groups|chart=trend"
    start = "?" + ViewState(present=True, slide=1, deck=deck).to_query()
    search = after_bar(start, "p-year", "2021")
    assert parse_qs(search.lstrip("?")) == {"year": ["2021"], "present": ["1"], "slide": ["1"], "deck": [deck]}


def test_a_change_that_empties_the_slide_moves_to_the_next_with_figures(app, store):
    search = after_bar("?present=1&slide=2", "p-gender", "women")  # illustration 2: nothing for women
    moved = bar(app, store, search, {"search": search, "trigger": "p-gender"})["moved"]
    # In the default deck the next slide with figures for women is the two definitions side by side.
    assert parse_qs(moved["search"].lstrip("?"))["slide"] == [str(presentation.DEFAULT_DECK.index("chart=definitions"))]
    # The slide the texts draw at once, before the URL is replaced, is that one too
    shown = callbacks.view_after(store.dataset, search, {"search": search, "trigger": "p-gender"})[0]
    assert shown.slide == presentation.DEFAULT_DECK.index("chart=definitions") and shown.gender == "women"


def test_the_bar_is_left_alone_off_the_presentation(app, store):
    out = bar(app, store, "?gender=women")
    assert all(out[c] is callbacks.no_update for c in callbacks.PRESENT_IDS)
