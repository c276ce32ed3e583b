"""ViewState <-> URL: round trip (property-based), defaults left out, bad values fall back and are named."""
from urllib.parse import parse_qsl, urlencode

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


FIELDS = tuple(ViewState.__dataclass_fields__)


def first_values(qs: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in parse_qsl(qs.lstrip("?"), keep_blank_values=True):
        out.setdefault(k, v)
    return out


def assert_read_or_named(qs: str):
    """Every field the query gives is either read (and then it is what the query says) or named as a problem
    (and then it is at its default); the fields it does not give are at their defaults; the state round-trips."""
    state, problems = ViewState.from_query(qs)
    assert isinstance(state, ViewState)
    given_values = first_values(qs)
    named = [p.param for p in problems]
    assert len(named) == len(set(named)) and set(named) <= set(given_values) & set(FIELDS)
    default = ViewState()
    for f in FIELDS:
        if f not in given_values or f in named:
            assert getattr(state, f) == getattr(default, f), f
        else:
            assert str(getattr(state, f)).lower() in (given_values[f].strip().lower(), "true", "false", "1", "0"), f
    for p in problems:
        assert p.value == given_values[p.param][:60]
    back, again = ViewState.from_query(state.to_query())
    assert again == [] and back == state
    return state, problems


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_query_string_gives_a_valid_state_and_names_what_it_could_not_read(qs):
    assert_read_or_named(qs)


VALUE_SAMPLES = st.one_of(st.text(max_size=12), st.sampled_from(
    ["2023", "1999", "2101", "0", "03", "0301", "301", "ukraine", "women", "higher", "18-25", "SY", "sy", "en",
     "ssb_one_year_after", "line", "table", "trend", "Trend", "1", "0", "true", "ja", "nei", "maybe", "12", "1234",
     " 2023 ", "²⁰²³", "chart=trend|chart=groups", "a\nb", "x" * 201]))


@given(st.lists(st.tuples(st.sampled_from(FIELDS), VALUE_SAMPLES), max_size=8))
@settings(max_examples=400, deadline=None)
def test_any_mix_of_fields_and_values_is_read_or_named(pairs):
    assert_read_or_named(urlencode(pairs))


def test_years_outside_the_data_are_invalid():
    state, problems = ViewState.from_query("year=1999", years=[2016, 2023])
    assert state.year is None and problems[0].param == "year"
