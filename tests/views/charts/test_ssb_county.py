"""SSB one year after, by county (ssb_county.py)."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values

COUNTIES_2023 = [("Troms og Finnmark", 71), ("Nordland", 70), ("Vestfold og Telemark", 70), ("Møre og Romsdal", 69),
                 ("Trøndelag", 68), ("Viken", 67), ("Innlandet", 67), ("Vestland", 66), ("Oslo", 65),
                 ("Rogaland", 64), ("Agder", 64)]


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_the_bars_are_the_counties_published_shares_highest_on_top(ds):
    spec = charts.spec("ssb_county", query(ds, ViewState()), "nb")
    bar = spec.figure.data[0]
    assert list(zip(bar.y, bar.x))[::-1] == COUNTIES_2023
    assert values("in_work_or_education_1y", 2023, region="03") == {65.0}
    assert values("in_work_or_education_1y", 2023, region="54") == {71.0}
    assert [nb(t) for t in bar.text][::-1] == [f"{v} %" for _, v in COUNTIES_2023]
    assert "(2023)" in spec.title


def test_cells_table_and_caption(ds):
    spec = charts.spec("ssb_county", query(ds, ViewState()), "nb")
    assert [c.coords.region for c in spec.cells] == ["54", "18", "38", "15", "50", "30", "34", "46", "03", "11", "42"]
    assert all(is_published(c) for c in spec.cells)
    assert [[nb(v) for v in r] for r in spec.rows] == [[n, f"{v} %"] for n, v in COUNTIES_2023]
    assert nb(spec.caption) == "; ".join(f"{n} {v} %" for n, v in COUNTIES_2023)


def test_english(ds):
    spec = charts.spec("ssb_county", query(ds, ViewState(lang="en")), "en")
    assert spec.rows[0] == ["Troms og Finnmark", "71%"]
    assert spec.caption.startswith("Troms og Finnmark 71%; Nordland 70%")


def test_filters_it_cannot_follow_are_named(ds):
    spec = charts.spec("ssb_county", query(ds, ViewState(group="ukraine", education="higher", lang="en")), "en")
    assert spec.note == ("Not published for displaced from Ukraine, higher education: "
                         "the chart shows the figures for everyone.")
    assert len(spec.cells) == 11


def test_a_view_with_nothing_published_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("ssb_county", query(ds, ViewState(gender="women")), "nb")  # it follows gender
    assert spec.figure.data == [] and spec.cells == [] and spec.rows == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", year=2021)):
        _, alone = charts.one(ds, state, "ssb_county")
        full = charts.spec("ssb_county", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert alone.cells
