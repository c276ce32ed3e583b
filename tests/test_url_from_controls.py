"""URL <- controls in the browser (assets/js/dashboard.js: urlFromControls, searchAfter, moveUrl), run in Node:
the URL a control writes is the one ViewState.to_query() writes for the view it leads to, so one view keeps
one URL whichever side wrote it. The browser tests (tests/test_browser_follow.py) drive the real page."""
from __future__ import annotations

import itertools
from urllib.parse import parse_qsl

from dashboard.views import urls
from dashboard.views.state import ViewState
from dashboard.web.layout import URL_CONTROLS

from .helpers import NO_UPDATE, run_dashboard_js

SPEC = urls.control_spec(URL_CONTROLS)
VIEWS = [ViewState(), ViewState(year=2021, gender="men"), ViewState(series="ssb_one_year_after", region="46"),
         ViewState(lang="en", style="line", compare="03,46"), ViewState(present=True, slide=2, group="ukraine"),
         ViewState(deck="chart=groups|chart=trend", present=True, education="higher", age="26-35")]
CHOICES = {"f-year": ["latest", "2016", "2023"], "f-gender": ["all", "women"], "f-region": ["0", "3201"],
           "f-series": ["imdi_direct", "ssb_one_year_after"], "f-style": ["bar", "line"], "f-view": ["table"],
           "f-group": ["ukraine", "all"], "p-year": ["2019", "latest"], "p-region": ["46"], "p-gender": ["men"]}


def search_of(state: ViewState) -> str:
    q = state.to_query()
    return f"?{q}" if q else ""


def expected(state: ViewState, control: str, value: str) -> str | None:
    """What the server's own URL builder writes for the view the change leads to (None: the same view)."""
    field = URL_CONTROLS[control]
    merged = dict(parse_qsl(state.to_query()))
    merged[field] = value
    if merged.get("year") == "latest":
        merged.pop("year")
    after = ViewState.from_query(merged)[0]
    return None if after == state else search_of(after)


def test_every_control_writes_the_url_that_to_query_writes():
    cases = [(s, c, v) for s, (c, vs) in itertools.product(VIEWS, CHOICES.items()) for v in vs]
    calls = [("searchAfter", [search_of(s), {"search": search_of(s), "query": search_of(s)}, SPEC, c, v], [], "")
             for s, c, v in cases]
    for (state, control, value), got in zip(cases, run_dashboard_js(calls)):
        assert got["value"] == expected(state, control, value), (state.to_query(), control, value)
    assert len(cases) > 100


def test_a_url_the_server_has_not_answered_yet_is_the_base_with_unknown_keys_dropped():
    # The view-query is of another URL (its answer is on its way): the URL itself is the base, as written.
    calls = [("searchAfter", ["?year=2021&utm=x&gender=men&gender=women", {"search": "?year=2020", "query": "?year=2020"},
                              SPEC, "f-group", "ukraine"], [], ""),
             # The server's canonical query of the URL is the base: a value it could not read is gone.
             ("searchAfter", ["?gender=robots&year=2021", {"search": "?gender=robots&year=2021", "query": "?year=2021"},
                              SPEC, "f-style", "line"], [], "")]
    first, second = run_dashboard_js(calls)
    assert first["value"] == "?year=2021&group=ukraine&gender=men"
    assert second["value"] == "?year=2021&style=line"


def test_a_control_set_by_the_server_to_the_view_shown_writes_nothing():
    search = "?year=2021&gender=men"
    known = {"search": search, "query": search}
    calls = [("urlFromControls", values(gender="men") + [None, search, SPEC, known, None], [{"prop_id": "f-gender.value"}], search),
             ("urlFromControls", values(gender="women") + [None, search, SPEC, known, None], [{"prop_id": "f-gender.value"}], search),
             ("urlFromControls", values() + [3, "?year=2021&gender=men&lang=en", SPEC, None, None], [{"prop_id": "reset.n_clicks"}], ""),
             ("urlFromControls", values() + [3, "", SPEC, None, None], [{"prop_id": "reset.n_clicks"}], ""),
             ("urlFromControls", values() + [None, search, SPEC, known, None], [{"prop_id": "."}], search)]
    same, changed, reset, reset_nothing, first_call = (r["value"] for r in run_dashboard_js(calls))
    assert same == [NO_UPDATE] * 3
    # n numbers the page's changes (a moved view's answers belong to one: moveUrl)
    assert type(changed[1].pop("n")) is int and type(reset[1].pop("n")) is int
    assert changed == ["?year=2021&gender=women", {"search": "?year=2021&gender=women", "trigger": "f-gender"}, None]
    assert reset == ["?lang=en", {"search": "?lang=en", "trigger": "reset"}, None]
    assert reset_nothing == [NO_UPDATE] * 3 and first_call == [NO_UPDATE] * 3


def test_a_value_the_server_set_writes_no_url_only_a_choice_in_the_page_does():
    """The controls' answer sets f-gender, which sets off urlFromControls as a choice does. Only a control
    marked by a change event in the page writes a URL (an answer for a URL left since, after Back and then
    Forward, would write its old value back)."""
    search = "?year=2021&gender=women"
    args = values(gender="men") + [None, search, SPEC, {"search": "?year=2021&gender=men", "query": "?year=2021&gender=men"}, None]
    echo, chosen = run_dashboard_js([
        ("urlFromControls", args, [{"prop_id": "f-gender.value"}], search, {"f-gender": {"__chosen": False}}),
        ("urlFromControls", args, [{"prop_id": "f-gender.value"}], search, {"f-gender": {"__chosen": True}})])
    assert echo["value"] == [NO_UPDATE] * 3
    assert chosen["value"][0] == "?year=2021&gender=men"


def test_a_change_made_before_a_moved_view_replaced_its_url_leaves_the_moved_url_in_the_history():
    """The server moved ?year=2023&region=4204 to 2022, and its charts are still on their way (moveUrl waits):
    a change now keeps the moved URL in the history, so Back goes to the view that was shown."""
    first = "?year=2023&region=4204"
    known = {"search": first, "query": "?year=2022&region=4204"}
    moved = {"from": first, "search": "?year=2022&region=4204", "key": "1|v?year=2022&region=4204"}
    other = dict(moved, **{"from": "?year=2021&region=4204"})
    now, stale = run_dashboard_js([
        ("urlFromControls", values(region="4204", year="2022", gender="women") + [None, first, SPEC, known, moved],
         [{"prop_id": "f-gender.value"}], first),
        ("urlFromControls", values(region="4204", year="2022", gender="women") + [None, first, SPEC, known, other],
         [{"prop_id": "f-gender.value"}], first)])
    assert now["replaced"] == "/intro/?year=2022&region=4204" and now["value"][0] == "?year=2022&region=4204&gender=women"
    assert stale["replaced"] is None and stale["value"][0] == now["value"][0]


def values(**fields) -> list:
    """Every control's value, in the order of the callback's inputs (the defaults unless given)."""
    return [fields.get(URL_CONTROLS[c], SPEC["defaults"][URL_CONTROLS[c]]) for c in SPEC["order"]]


def test_a_view_that_followed_the_data_replaces_the_url_once_the_charts_and_texts_show_it():
    key = "7|v1?year=2022&region=4601"
    moved = {"from": "?year=2023&region=4601", "search": "?year=2022&region=4601", "trigger": "f-region",
             "moved": [2023, 2022], "key": key}
    earlier = "6|v1?year=2022&region=4601"      # the same view, moved by an earlier change: still in the store
    got, waits_charts, waits_texts, stale, other_url, nothing = run_dashboard_js([
        ("moveUrl", [moved, key, key, "?year=2023&region=4601"], [], "?year=2023&region=4601"),
        ("moveUrl", [moved, None, key, "?year=2023&region=4601"], [], "?year=2023&region=4601"),
        ("moveUrl", [moved, key, None, "?year=2023&region=4601"], [], "?year=2023&region=4601"),
        ("moveUrl", [moved, earlier, earlier, "?year=2023&region=4601"], [], "?year=2023&region=4601"),
        ("moveUrl", [moved, key, key, "?year=2021&region=4601"], [], "?year=2021&region=4601"),  # a control since
        ("moveUrl", [None, key, key, ""], [], "")])
    assert got["replaced"] == "/intro/?year=2022&region=4601"           # under the page's own path
    assert got["value"] == ["?year=2022&region=4601",
                            {"search": "?year=2022&region=4601", "trigger": "f-region", "moved": [2023, 2022]}]
    for waited in (waits_charts, waits_texts, stale, other_url, nothing):
        assert waited["value"] == [NO_UPDATE, NO_UPDATE] and waited["replaced"] is None


def test_the_spec_names_every_field_in_the_order_a_url_writes_them():
    assert SPEC["fields"][:2] == ["year", "region"] and SPEC["fields"][-1] == "compare"
    assert set(SPEC["controls"].values()) <= set(SPEC["fields"]) and SPEC["order"] == list(URL_CONTROLS)
    assert SPEC["defaults"]["year"] == "latest" and SPEC["defaults"]["gender"] == "all"
    assert search_of(ViewState(gender="women", year=2021)) == "?year=2021&gender=women"


def test_what_find_found_is_applied_only_to_the_url_it_was_found_for():
    found = {"from": "?year=2022", "to": "?year=2022&region=4601"}
    applied, stale, nothing = run_dashboard_js([("applyFound", [found, "?year=2022"], [], ""),
                                                ("applyFound", [found, "?year=2021"], [], ""),   # a control meanwhile
                                                ("applyFound", [None, ""], [], "")])
    assert applied["value"] == "?year=2022&region=4601"
    assert stale["value"] == NO_UPDATE and nothing["value"] == NO_UPDATE
