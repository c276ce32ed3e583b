"""Work or education by education level and gender (education_gender.py; chart id `education`)."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def trace(spec, name):
    return next(t for t in spec.figure.data if t.name == name)


def test_women_and_men_with_higher_education_in_2023(ds):
    spec = charts.spec("education", query(ds, ViewState()), "nb")
    assert spec.id == "education"
    women, men = trace(spec, "Kvinner"), trace(spec, "Menn")
    assert list(zip(women.x, women.y)) == [("Høyere utdanning", 46)]
    assert list(zip(men.x, men.y)) == [("Høyere utdanning", 62)]
    assert values("to_work_or_education", 2023, gender="women", education="higher") == {46.0}
    assert values("to_work_or_education", 2023, gender="men", education="higher") == {62.0}
    # Told apart by a pattern as well as by colour.
    assert women.marker.pattern.shape == "." and men.marker.pattern.shape == ""
    assert [t.name for t in spec.figure.data] == ["Kvinner", "Menn"]


def test_cells_table_and_caption(ds):
    spec = charts.spec("education", query(ds, ViewState()), "nb")
    assert [(c.coords.gender, c.coords.education, c.value) for c in spec.cells] == [
        ("women", "higher", 46), ("men", "higher", 62)]
    assert all(is_published(c) for c in spec.cells)
    assert spec.columns == ["Utdanning", "Kvinner", "Menn"]
    assert [[nb(v) for v in r] for r in spec.rows] == [["Høyere utdanning", "46 %", "62 %"]]
    assert nb(spec.caption) == "Andel i arbeid eller utdanning i 2023: Høyere utdanning: kvinner 46 %, menn 62 %."
    assert "(2023)" in spec.title


def test_english(ds):
    spec = charts.spec("education", query(ds, ViewState(lang="en")), "en")
    assert list(trace(spec, "Women").text) == ["46%"] and list(trace(spec, "Men").text) == ["62%"]
    assert spec.rows == [["Higher education", "46%", "62%"]]


def test_a_year_without_such_figures_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("education", query(ds, ViewState(year=2016)), "nb")
    assert spec.figure.data == [] and spec.cells == [] and spec.rows == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", year=2023)):
        _, alone = charts.one(ds, state, "education")
        full = charts.spec("education", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert len(alone.cells) == 2
