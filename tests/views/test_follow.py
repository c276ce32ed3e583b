"""The view follows the data (views/follow.py, query.years_with_figures): "Siste år" is the view's own latest
year, a change lands on the nearest year with figures, and the notes say so."""
from __future__ import annotations

import pytest

from dashboard.model.query import nearest_year_with_figures, resolve_year, years_with_figures
from dashboard.views import follow
from dashboard.views.state import ViewState


@pytest.fixture(scope="module")
def ds():
    from dashboard.model.dataset import load_dataset
    from dashboard.model.suppression import protect
    return protect(load_dataset())


def test_latest_year_is_the_latest_with_the_views_own_figures(ds):
    assert resolve_year(ds, ViewState(region="4204")) == 2022 == years_with_figures(ds, ViewState(region="4204"))[-1]
    assert resolve_year(ds, ViewState()) == 2023
    assert resolve_year(ds, ViewState(year=2019, region="4204")) == 2019      # a year asked for is kept
    assert "2022" in follow.latest_note(ds, ViewState(region="4204"), "nb")
    assert follow.latest_note(ds, ViewState(), "nb") == ""


def test_a_change_moves_to_the_nearest_year_with_figures(ds):
    after = ViewState(year=2023, region="4204")
    state, moved = follow.follow_year(ds, ViewState(year=2023), after)
    assert state.year == 2022 and moved == (2023, 2022)
    assert "Viser 2022" in follow.moved_note(state, moved, "nb")
    assert nearest_year_with_figures(ds, ViewState(year=2018, region="03", series="ssb_one_year_after")) == 2020
    same, none = follow.follow_year(ds, ViewState(), ViewState(year=2022))
    assert same.year == 2022 and none is None                             # figures that year: no move
    nothing = ViewState(year=2023, region="4601")                           # no year has figures: stay
    assert follow.follow_year(ds, ViewState(), nothing) == (nothing, None)


def test_the_region_list_is_that_years_structure_with_the_region_on_screen():
    listed = follow.region_values({"10": True, "42": False, "0301": True, "4601": False}, 2022, "0219")
    assert "42" in listed and "10" not in listed and "0301" in listed and "4601" not in listed
    assert "0219" in listed and listed[0] == "0"
    assert "10" in follow.region_values({"10": True}, 2019, "0")
