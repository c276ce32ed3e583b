"""The two rules by which a value is computed (a share from its published count and base; a level from next
year's level and change) and the change from the year before, at their edges: what each needs, what it carries
along (approx, source, the cells behind it), and when it must not compute (written for the mutants
scripts/mutation.sh found alive)."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model.dataset import dataset_from_frame
from dashboard.model.query import Coords, change_from_previous, change_measure, get_cell, published

C = Coords()


def ds_of(rows):
    base = dict(region="0", group="all", gender="all", education="all", age="all", country="all", approx=False,
                source="imdi-nokkeltall-2023")
    return dataset_from_frame(pd.DataFrame([{**base, **r} for r in rows]))


def count(measure, value, year=2024, **kw):
    return dict(year=year, measure=measure, value=float(value), unit="count", **kw)


def share(measure, value, year=2024, **kw):
    return dict(year=year, measure=measure, value=float(value), unit="percent", **kw)


def test_change_measure_ids():
    assert change_measure("to_work") == "to_work_change_pp"
    assert change_measure("employed_1y") == "employed_change_pp_1y"
    assert change_measure("in_work_or_education_1y") == "in_work_or_education_change_pp_1y"


def test_a_share_from_its_count_and_base():
    ds = ds_of([count("ended", 40), count("to_work_count", 10, approx=True, source="imdi-nokkeltall-2022")])
    cell = get_cell(ds, "to_work", 2024, C)
    assert (cell.value, cell.unit, cell.basis, cell.method) == (25.0, "percent", "computed", "share_of_counts")
    assert cell.approx is True and cell.source == "imdi-nokkeltall-2022"          # the count's source
    assert [(c.measure, c.value) for c in cell.inputs] == [("to_work_count", 10), ("ended", 40)]
    assert cell.behind == cell.inputs
    assert (cell.year, cell.coords, cell.measure) == (2024, C, "to_work")
    assert get_cell(ds, "to_work", 2024, C, compute=False) is None
    assert get_cell(ds, "to_work", 2023, C) is None                              # not that year


def test_no_share_of_nobody_or_of_a_missing_part():
    assert get_cell(ds_of([count("ended", 0), count("to_work_count", 0)]), "to_work", 2024, C) is None
    assert get_cell(ds_of([count("ended", 40)]), "to_work", 2024, C) is None
    assert get_cell(ds_of([count("to_work_count", 4)]), "to_work", 2024, C) is None
    assert get_cell(ds_of([count("ended", 40)]), "no_such_measure", 2024, C) is None


def test_an_exact_base_and_an_approximate_one():
    ds = ds_of([count("ended", 40, approx=True), count("to_work_count", 10)])
    assert get_cell(ds, "to_work", 2024, C).approx is True
    ds = ds_of([count("ended", 40), count("to_work_count", 10)])
    assert get_cell(ds, "to_work", 2024, C).approx is False


def test_a_published_share_carries_the_counts_behind_it():
    ds = ds_of([share("to_work", 25), count("ended", 40), count("to_work_count", 10)])
    cell = get_cell(ds, "to_work", 2024, C)
    assert cell.basis == "published" and cell.value == 25
    assert [(c.measure, c.value) for c in cell.behind] == [("to_work_count", 10), ("ended", 40)]
    assert get_cell(ds_of([share("to_work", 25), count("ended", 40)]), "to_work", 2024, C).behind == ()
    assert get_cell(ds, "ended", 2024, C).behind == ()                           # a count has nothing behind it


def test_a_level_from_next_years_level_and_change():
    ds = ds_of([share("to_work", 41, year=2023, approx=True),
                share("to_work_change_pp", 17, year=2023, source="imdi-nokkeltall-2022")])
    cell = get_cell(ds, "to_work", 2022, C)
    assert (cell.value, cell.method, cell.basis, cell.year) == (24.0, "level_from_change", "computed", 2022)
    assert cell.approx is True and cell.source == "imdi-nokkeltall-2022"         # the change's source
    assert [(c.measure, c.year) for c in cell.inputs] == [("to_work", 2023), ("to_work_change_pp", 2023)]
    assert get_cell(ds, "to_work", 2021, C) is None                              # two years back: no
    assert get_cell(ds_of([share("to_work", 41, year=2023)]), "to_work", 2022, C) is None
    assert get_cell(ds_of([share("to_work_change_pp", 17, year=2023)]), "to_work", 2022, C) is None
    exact = ds_of([share("to_work", 41, year=2023), share("to_work_change_pp", 17, year=2023, approx=True)])
    assert get_cell(exact, "to_work", 2022, C).approx is True


def test_a_count_is_never_computed_from_a_change():
    ds = ds_of([count("participants", 100, year=2023), count("participants_change", 20, year=2023)])
    assert get_cell(ds, "participants", 2022, C) is None


def test_a_published_change_wins_over_the_difference():
    ds = ds_of([share("to_work", 41, year=2023), share("to_work", 20, year=2022),
                share("to_work_change_pp", 17, year=2023)])
    cur, prev = published(ds, "to_work", 2023, C), published(ds, "to_work", 2022, C)
    change = change_from_previous(ds, cur, prev)
    assert change.basis == "published" and change.value == 17 and change.measure == "to_work_change_pp"


def test_the_difference_of_two_published_values():
    ds = ds_of([share("to_work", 41, year=2023, approx=True), share("to_work", 24, year=2022)])
    cur, prev = published(ds, "to_work", 2023, C), published(ds, "to_work", 2022, C)
    change = change_from_previous(ds, cur, prev)
    assert (change.measure, change.value, change.unit, change.method) == ("to_work_change", 17, "percent", "difference")
    assert change.approx is True and change.source == cur.source and change.inputs == (cur, prev)
    assert (change.year, change.coords, change.basis) == (2023, C, "computed")
    assert change_from_previous(ds, prev, cur).value == -17
    assert change_from_previous(ds, None, prev) is None and change_from_previous(ds, cur, None) is None


def test_a_count_change_is_published_under_its_own_id_or_is_the_difference():
    ds = ds_of([count("participants", 100, year=2023), count("participants", 80, year=2022),
                count("participants_change", 25, year=2023)])
    cur, prev = published(ds, "participants", 2023, C), published(ds, "participants", 2022, C)
    assert change_from_previous(ds, cur, prev).value == 25                       # as published, even if it differs
    ds = ds_of([count("ended", 100, year=2023), count("ended", 80, year=2022)])
    cur, prev = published(ds, "ended", 2023, C), published(ds, "ended", 2022, C)
    change = change_from_previous(ds, cur, prev)
    assert (change.value, change.unit, change.measure) == (20, "count", "ended_change")


def test_a_computed_value_never_feeds_a_change():
    ds = ds_of([count("ended", 40), count("to_work_count", 10), share("to_work", 20, year=2023)])
    cur, prev = get_cell(ds, "to_work", 2024, C), get_cell(ds, "to_work", 2023, C)
    assert cur.computed and not prev.computed
    assert change_from_previous(ds, cur, prev) is None and change_from_previous(ds, prev, cur) is None


def test_a_share_of_one_person_is_computed():
    cell = get_cell(ds_of([count("ended", 1), count("to_work_count", 1)]), "to_work", 2024, C)
    assert cell.value == 100 and cell.method == "share_of_counts"


def test_a_level_from_a_change_has_no_counts_behind_it():
    """Only a share from counts has counts behind it; a level from a change has a level and a change."""
    ds = ds_of([share("to_work", 41, year=2023), share("to_work_change_pp", 17, year=2023)])
    assert get_cell(ds, "to_work", 2022, C).behind == ()


def test_only_a_computed_value_has_a_formula():
    from dashboard.model.query import Cell
    from dashboard.views.text import formula
    ds = ds_of([share("to_work", 41, year=2023)])
    published_cell = get_cell(ds, "to_work", 2023, C)
    assert formula(published_cell, "nb") == "" and formula(published_cell, "en") == ""
    odd = Cell(2023, C, "to_work", 41.0, "percent", False, "s", "computed", "interpolated", (published_cell,) * 2)
    assert formula(odd, "nb") == ""                     # a rule the app does not have has no words
