"""Illustration 2 (groups.py): work and education for the displaced from Ukraine and the other refugees."""
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


def test_the_bars_are_imdis_2023_shares_for_the_two_groups(ds):
    spec = charts.spec("groups", query(ds, ViewState()), "nb")
    work, edu = trace(spec, "Arbeid"), trace(spec, "Utdanning")
    assert list(zip(work.x, work.y)) == [("Fordrevne fra Ukraina", 45), ("Øvrige flyktninger", 23)]
    assert list(zip(edu.x, edu.y)) == [("Fordrevne fra Ukraina", 3), ("Øvrige flyktninger", 28)]
    assert values("to_work", 2023, group="ukraine") == {45.0} and values("to_education", 2023, group="other") == {28.0}
    assert [nb(x) for x in work.text] == ["45 %", "23 %"]  # published: no star
    assert work.marker.color == "#0B5CAD" and edu.marker.color == "#B35C00"  # the same colours as illustration 1
    assert spec.figure.layout.barmode == "group"


def test_cells_are_exactly_the_four_bars_and_all_published(ds):
    spec = charts.spec("groups", query(ds, ViewState()), "nb")
    assert [(c.coords.group, c.measure, c.value) for c in spec.cells] == [
        ("ukraine", "to_work", 45), ("other", "to_work", 23), ("ukraine", "to_education", 3), ("other", "to_education", 28)]
    assert all(is_published(c) and not c.computed for c in spec.cells)
    assert spec.sources == ["IMDi: Nøkkeltall for introduksjonsprogrammet 2023"]


def test_table_and_caption_say_the_same(ds):
    spec = charts.spec("groups", query(ds, ViewState()), "nb")
    assert spec.columns == ["Gruppe", "Arbeid", "Utdanning"]
    assert [[nb(v) for v in r] for r in spec.rows] == [["Fordrevne fra Ukraina", "45 %", "3 %"],
                                                       ["Øvrige flyktninger", "23 %", "28 %"]]
    assert nb(spec.caption) == ("I 2023: fordrevne fra Ukraina 45 % til arbeid og 3 % til utdanning; "
                                "øvrige flyktninger 23 % til arbeid og 28 % til utdanning.")


def test_english(ds):
    spec = charts.spec("groups", query(ds, ViewState(lang="en")), "en")
    assert list(zip(trace(spec, "Work").x, trace(spec, "Work").text)) == [("Displaced from Ukraine", "45%"),
                                                                         ("Other refugees", "23%")]
    assert "45%" in spec.caption and "28%" in spec.caption and "Ukraine" in spec.caption
    assert spec.columns == ["Group", "Work", "Education"]


def test_the_group_filter_does_not_hide_the_other_group(ds):
    default = charts.spec("groups", query(ds, ViewState()), "nb")
    ukraine = charts.spec("groups", query(ds, ViewState(group="ukraine")), "nb")
    assert ukraine.figure == default.figure and ukraine.title == default.title
    assert "· Norge" in default.title and default.title.count("Ukraina") == 1


def test_a_year_without_group_figures_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("groups", query(ds, ViewState(year=2016)), "nb")
    assert values("to_work", 2016, group="ukraine") == set()
    assert spec.figure.data == [] and spec.cells == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."
    assert spec.rows == [["Fordrevne fra Ukraina", "ikke publisert", "ikke publisert"],
                         ["Øvrige flyktninger", "ikke publisert", "ikke publisert"]]


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", group="other")):
        _, alone = charts.one(ds, state, "groups")
        full = charts.spec("groups", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert len(alone.cells) == 4
