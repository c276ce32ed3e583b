"""Participants by country of birth (countries.py): the largest groups, as published counts."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_the_bars_are_the_published_counts_largest_on_top(ds):
    spec = charts.spec("countries", query(ds, ViewState()), "nb")
    bar = spec.figure.data[0]
    assert list(zip(bar.y, bar.x))[::-1] == [("Ukraina", 23000), ("Syria", 3715), ("Kongo (DR)", 1272),
                                             ("Eritrea", 1070), ("Afghanistan", 795)]
    assert values("participants", 2023, country="SY") == {3715.0} and values("participants", 2023, country="UA") == {23000.0}
    # "om lag 23 000": a rounded figure says so, on the bar as in the table.
    assert [nb(t) for t in bar.text][::-1] == ["om lag 23 000", "3 715", "1 272", "1 070", "795"]
    assert bar.orientation == "h"


def test_cells_table_and_caption(ds):
    spec = charts.spec("countries", query(ds, ViewState()), "nb")
    assert [c.coords.country for c in spec.cells] == ["UA", "SY", "CD", "ER", "AF"]
    assert all(is_published(c) and c.measure == "participants" for c in spec.cells)
    assert spec.columns == ["Fødeland", "Personer"]
    assert [[nb(v) for v in r] for r in spec.rows] == [["Ukraina", "om lag 23 000"], ["Syria", "3 715"],
                                                       ["Kongo (DR)", "1 272"], ["Eritrea", "1 070"], ["Afghanistan", "795"]]
    assert nb(spec.caption) == ("Største grupper i 2023: Ukraina om lag 23 000, Syria 3 715, Kongo (DR) 1 272, "
                                "Eritrea 1 070, Afghanistan 795.")
    assert spec.sources == ["IMDi: Nøkkeltall for introduksjonsprogrammet 2023"]


def test_english_names_and_numbers(ds):
    spec = charts.spec("countries", query(ds, ViewState(lang="en")), "en")
    assert spec.rows[0] == ["Ukraine", "about 23,000"] and spec.rows[1] == ["Syria", "3,715"]


def test_a_filter_it_cannot_follow_is_named_not_ignored(ds):
    spec = charts.spec("countries", query(ds, ViewState(gender="women")), "nb")
    assert spec.note == "Ikke publisert for kvinner: figuren viser tallene for alle."
    assert [c.value for c in spec.cells] == [23000, 3715, 1272, 1070, 795]
    assert charts.spec("countries", query(ds, ViewState()), "nb").note == ""


def test_a_year_without_country_figures_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("countries", query(ds, ViewState(year=2016)), "nb")
    assert spec.figure.data == [] and spec.cells == [] and spec.rows == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."
    assert "(2016)" in spec.title


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", gender="men")):
        _, alone = charts.one(ds, state, "countries")
        full = charts.spec("countries", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells, alone.note) == (
            full.figure, full.rows, full.caption, full.cells, full.note)
        assert len(alone.cells) == 5
