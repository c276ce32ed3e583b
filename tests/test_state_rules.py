"""ViewState's rules one by one, at their edges: what each parameter accepts, what it refuses, the exact URL
it writes, and how much of a hostile query it reads (written for the mutants mutation.sh found alive)."""
from __future__ import annotations

import pytest

from dashboard.model.schema import YEAR_RANGE
from dashboard.views.state import MAX_VALUE_LENGTH, Problem, ViewState


def read(qs, **known):
    return ViewState.from_query(qs, **known)


@pytest.mark.parametrize("qs, field, value", [
    ("year=1990", "year", 1990), ("year=2100", "year", 2100), ("year=2023", "year", 2023),
    ("region=0", "region", "0"), ("region=03", "region", "03"), ("region=0301", "region", "0301"),
    ("country=SY", "country", "SY"), ("country=all", "country", "all"),
    ("chart=trend", "chart", "trend"), ("chart=" + "a" * 40, "chart", "a" * 40),
    ("slide=0", "slide", 0), ("slide=999", "slide", 999),
    ("series=ssb_one_year_after", "series", "ssb_one_year_after"), ("lang=en", "lang", "en"),
    ("style=line", "style", "line"), ("view=table", "view", "table"),
    ("gender=%20women%20", "gender", "women"),             # spaces around a value are not part of it
])
def test_accepted(qs, field, value):
    state, problems = read(qs)
    assert problems == [] and getattr(state, field) == value


@pytest.mark.parametrize("qs", [
    f"year={YEAR_RANGE[0] - 1}", f"year={YEAR_RANGE[1] + 1}", "year=23", "year=02023", "year=²⁰²³", "year=٢٠٢٣",
    "region=301", "region=03011", "region=٠٣٠١", "region=x", "country=sy", "country=SYR", "country=ＳＹ",
    "chart=Trend", "chart=" + "a" * 41, "chart=1trend", "slide=1000", "slide=-1", "slide=²", "slide=١",
    "series=bogus", "lang=de", "style=pie", "view=list", "present=maybe", "embed=2", "gender=robots",
    "deck=" + "chart=trend|" * 200, "deck=chart=trend%0Achart=groups",
])
def test_refused_and_named(qs):
    state, problems = read(qs)
    field = qs.split("=", 1)[0]
    assert [p.param for p in problems] == [field]
    assert getattr(state, field) == getattr(ViewState(), field)


@pytest.mark.parametrize("raw, value", [(v, True) for v in ("1", "true", "TRUE", "Yes", "ja", "JA")]
                         + [(v, False) for v in ("0", "false", "False", "NO", "nei", "Nei", "")])
@pytest.mark.parametrize("field", ["present", "embed"])
def test_yes_and_no(field, raw, value):
    state, problems = read({field: raw})
    assert problems == [] and getattr(state, field) is value


def test_a_long_deck_is_a_deck():
    """A deck holds up to 2 000 characters (its slides are queries), far beyond the 200 of any other value."""
    deck = "|".join(["chart=trend&year=2022"] * 100)[:2000]
    assert len(deck) == 2000 > MAX_VALUE_LENGTH
    assert read({"deck": deck}) == (ViewState(deck=deck), [])
    assert read({"deck": deck + "x"})[1] == [Problem("deck", (deck + "x")[:60])]
    assert read({"gender": "women" + " " * 300})[0].gender == "women"   # stripped before it is measured


def test_known_years_regions_and_charts():
    assert read("year=2022", years=[2022, 2023])[0].year == 2022
    assert read("year=2021", years=[2022, 2023])[1] == [Problem("year", "2021")]
    assert read("region=0301", regions=["0", "03", "0301"])[0].region == "0301"
    assert read("region=4601", regions=iter(["0", "03", "0301"]))[1] == [Problem("region", "4601")]
    assert read("chart=groups", charts=("trend", "groups"))[0].chart == "groups"
    assert read("chart=map", charts=("trend", "groups"))[1] == [Problem("chart", "map")]


def test_the_url_it_writes():
    state = ViewState(year=2022, region="0301", gender="women", present=True, embed=True, slide=2, lang="en")
    assert state.to_query() == "year=2022&region=0301&gender=women&lang=en&present=1&embed=1&slide=2"
    assert ViewState().url() == "./" and ViewState().url("/intro/") == "/intro/"
    assert ViewState(year=2022).url() == "?year=2022" and ViewState(year=2022).url("/p") == "/p?year=2022"
    assert ViewState().replace(year=2021, gender="men") == ViewState(year=2021, gender="men")
    assert ViewState(gender="men", age="18-25").filters == {"gender": "men", "age": "18-25"}


@pytest.mark.parametrize("qs", ["?gender=women", "gender=women", "??gender=women"[1:]])
def test_a_leading_question_mark_is_not_part_of_the_first_key(qs):
    assert read(qs)[0].gender == "women"


def test_a_hostile_query_is_read_up_to_its_limits():
    # 20 000 characters: a value cut there is the value up to there.
    head = "x=" + "a" * 19991 + "&lang=e"
    assert len(head) == 20000
    state, problems = read(head + "n")
    assert state.lang == "nb" and problems == [Problem("lang", "e")]
    # 200 pairs: the 201st is not read, in a string, a mapping and a list alike.
    junk = [(f"k{i}", "v") for i in range(200)]
    string = "&".join(f"{k}={v}" for k, v in junk) + "&lang=en"
    assert read(string)[0].lang == "nb" and read(string.replace("k0=v&", ""))[0].lang == "en"
    assert read(dict(junk + [("lang", "en")]))[0].lang == "nb"
    assert read(dict(junk[1:] + [("lang", "en")]))[0].lang == "en"
    assert read(junk + [("lang", "en")])[0].lang == "nb"
    assert read(junk[1:] + [("lang", "en")])[0].lang == "en"


def test_whatever_a_client_sends_is_read_as_pairs_or_ignored():
    assert read({"gender": "women", "year": 2022})[0] == ViewState(gender="women", year=2022)
    got = read([("gender", "women"), ["lang", "en"], ("bad",), ("a", "b", "c"), 5, "xy"])
    assert got == (ViewState(gender="women", lang="en"), [])
    assert read(iter([("gender", "men")]))[0].gender == "men"
    assert read(5) == (ViewState(), []) and read(None) == (ViewState(), [])
    # The first of a repeated key counts, and a problem quotes at most 60 characters of what was sent.
    assert read([("gender", "women"), ("gender", "men")])[0].gender == "women"
    assert read({"gender": "r" * 100})[1] == [Problem("gender", "r" * 60)]
    assert Problem("gender", "x").key == "gender"
