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
    assert nb(spec.caption) == ("Deltakere i løpet av året (IMDi), 2023, største grupper: Ukraina om lag 23 000, "
                                "Syria 3 715, Kongo (DR) 1 272, Eritrea 1 070, Afghanistan 795.")
    assert spec.sources == ["IMDi: Nøkkeltall for introduksjonsprogrammet 2023"]


def test_english_names_and_numbers(ds):
    spec = charts.spec("countries", query(ds, ViewState(lang="en")), "en")
    assert spec.rows[0] == ["Ukraine", "about 23,000"] and spec.rows[1] == ["Syria", "3,715"]


def test_a_filter_it_cannot_follow_is_named_not_ignored(ds):
    spec = charts.spec("countries", query(ds, ViewState(gender="women")), "nb")
    assert spec.note == "Ikke publisert for kvinner: figuren viser tallene for alle."
    assert [c.value for c in spec.cells] == [23000, 3715, 1272, 1070, 795]
    assert charts.spec("countries", query(ds, ViewState()), "nb").note == ""


def test_a_year_imdi_has_no_countries_for_draws_ssbs_published_counts(ds):
    """IMDi gives participants by country for 2023 only; SSB for 2016-2020 and 2023-2024. A 2016 view draws
    SSB's 2016 counts (it opened empty before), named as SSB's on the caption and the source line."""
    spec = charts.spec("countries", query(ds, ViewState(year=2016)), "nb")
    assert all(is_published(c) and c.measure == "participants_ssb" and c.year == 2016 for c in spec.cells)
    top = [(c.coords.country, c.value) for c in spec.cells][:2]
    assert top == [("SY", 7504), ("ER", 7057)] or top == [("SY", 7504), ("ER", 7056)]
    assert {7504.0} == values("participants_ssb", 2016, country="SY")
    assert "(2016)" in spec.title
    assert nb(spec.caption).startswith("Deltakere i løpet av året (SSB), 2016, største grupper: Syria 7 504, Eritrea")
    assert all(s.startswith("SSB") for s in spec.sources), spec.sources


def test_the_measure_of_the_series_comes_first_where_both_publishers_have_the_year(ds):
    imdi = charts.spec("countries", query(ds, ViewState(year=2023)), "nb")
    ssb = charts.spec("countries", query(ds, ViewState(year=2023, series="ssb_one_year_after")), "nb")
    assert {c.measure for c in imdi.cells} == {"participants"} and imdi.cells[0].value == 23000
    assert {c.measure for c in ssb.cells} == {"participants_ssb"} and ssb.cells[0].value == 21276
    assert nb(imdi.caption).startswith("Deltakere i løpet av året (IMDi), 2023, største grupper: Ukraina om lag 23 000")


def test_a_year_without_country_figures_shows_the_latest_before_it(ds):
    spec = charts.spec("countries", query(ds, ViewState(year=2022)), "nb")
    assert {(c.measure, c.year) for c in spec.cells} == {("participants_ssb", 2020)}
    assert "(2020)" in spec.title


def test_a_year_before_any_country_figures_is_the_empty_figure_and_says_so(ds):
    from dashboard.model.query import _countries_uncached
    assert _countries_uncached(ds, 2015, 8, "imdi_direct") == []
    assert _countries_uncached(ds, None, 8, "imdi_direct") == []


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", gender="men")):
        _, alone = charts.one(ds, state, "countries")
        full = charts.spec("countries", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells, alone.note) == (
            full.figure, full.rows, full.caption, full.cells, full.note)
        assert len(alone.cells) == 5
