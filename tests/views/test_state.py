"""ViewState <-> URL: round trip (property-based), defaults left out, bad values fall back and are named."""
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model.schema import ALLOWED, SERIES
from dashboard.views.charts import REGISTRY
from dashboard.views.state import LANGS, STYLES, VIEWS, ViewState

CHARTS = tuple(REGISTRY)

states = st.builds(
    ViewState,
    year=st.one_of(st.none(), st.integers(2000, 2030)),
    region=st.sampled_from(["0", "03", "46", "0301", "3201"]),
    group=st.sampled_from(ALLOWED["group"]), gender=st.sampled_from(ALLOWED["gender"]),
    education=st.sampled_from(ALLOWED["education"]), age=st.sampled_from(ALLOWED["age"]),
    series=st.sampled_from(SERIES), lang=st.sampled_from(LANGS), style=st.sampled_from(STYLES),
    view=st.sampled_from(VIEWS), chart=st.sampled_from(CHARTS), present=st.booleans(), embed=st.booleans(),
    slide=st.integers(0, 99), deck=st.sampled_from(["", "chart=trend|chart=groups&year=2022", "chart=cards"]),
)


@given(states)
@settings(max_examples=300, deadline=None)
def test_round_trip(state):
    back, problems = ViewState.from_query(state.to_query())
    assert problems == []
    assert back == state


def test_defaults_are_left_out():
    assert ViewState().to_query() == ""
    assert ViewState(year=2021, gender="women").to_query() == "year=2021&gender=women"


def test_invalid_values_fall_back_and_are_named():
    state, problems = ViewState.from_query("year=<script>&gender=robots&lang=en&foo=bar")
    assert state == ViewState(lang="en")
    assert [p.param for p in problems] == ["year", "gender"]


def test_unknown_keys_ignored_and_repeated_keys_take_the_first():
    state, problems = ViewState.from_query("gender=women&gender=men&utm_source=x")
    assert state.gender == "women" and problems == []


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_query_string_parses_without_raising(qs):
    state, problems = ViewState.from_query(qs)
    assert isinstance(state, ViewState)


def test_years_outside_the_data_are_invalid():
    state, problems = ViewState.from_query("year=1999", years=[2016, 2023])
    assert state.year is None and problems[0].param == "year"
