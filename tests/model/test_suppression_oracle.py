"""The vectorised protection (dashboard.model.suppression.analyse) hides exactly the cells, for exactly the
reasons, that the plain-Python implementation it replaced hid (tests/suppression_oracle.py): on generated
cubes (municipalities and counties, margins, shares, measure sums, levels with their changes), on random
small cubes, and on the shipped data at several thresholds."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model import suppression as S
from dashboard.model.dataset import dataset_from_frame, load_dataset
from tests import suppression_oracle as oracle
from tests.cube import make_cube
from tests.cube_regions import PARTS, make_region_cube, municipalities


def both(frame: pd.DataFrame, threshold=S.DEFAULT):
    """(oracle's analysis, the vectorised one), each on a dataset of its own (nothing cached is shared)."""
    return (oracle.analyse(dataset_from_frame(frame), threshold),
            S.analyse(dataset_from_frame(frame), threshold))


def assert_same(frame: pd.DataFrame, threshold=S.DEFAULT):
    want, got = both(frame, threshold)
    assert got.removed.dtype == bool and len(got.removed) == len(frame)
    assert (got.removed == want.removed).all(), f"rows differ: {int((got.removed != want.removed).sum())}"
    w, g = dict(want.reasons), dict(got.reasons)
    assert g == w, (f"only the oracle hides {sorted(set(w.items()) - set(g.items()))[:5]}; "
                    f"only the new one hides {sorted(set(g.items()) - set(w.items()))[:5]}")
    assert dict(got.row_reasons) == dict(want.row_reasons)
    # The protected dataset and its list of hidden cells follow from the same analysis.
    p = S.protect(dataset_from_frame(frame), threshold)
    assert len(p.cells) == int((~want.removed).sum())
    cols = ("measure", "year", "region", "group", "gender", "education", "age", "country")
    gone = frame[want.removed]
    expected = [k + (want.row_reasons[k],) for k in zip(*(gone[c].astype(int if c == "year" else str).tolist()
                                                          for c in cols))]
    shown = list(zip(*(p.suppressed[c].tolist() for c in cols + ("reason",))))
    assert shown == expected
    return want


def with_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add to_work_change_pp (this year's to_work minus last year's) wherever both years have the share."""
    share = frame[frame["measure"] == "to_work"].set_index(["region", "group", "gender", "year"])["value"]
    rows = []
    for (region, group, gender, year), v in share.items():
        last = share.get((region, group, gender, year - 1))
        if last is not None:
            rows.append(dict(year=year, region=region, group=group, gender=gender, education="all", age="all",
                             country="all", approx=False, source="test-cube", measure="to_work_change_pp",
                             value=round(v - last, 1), unit="percent"))
    assert rows, "the cube must have a region in two years"
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_region_cubes_are_protected_exactly_as_before(seed):
    want = assert_same(make_region_cube(seed=seed))
    assert {"count", "base", "secondary"} <= set(want.reasons.values()) and len(want.reasons) > 1000


@pytest.mark.parametrize("threshold", [S.Threshold(3, 5), S.Threshold(10, 20), S.Threshold(1, 1)])
def test_other_thresholds_give_the_same_as_before(threshold):
    assert_same(make_region_cube(seed=5), threshold)


def test_a_cube_of_large_numbers_with_few_small_ones():
    want = assert_same(make_region_cube(seed=4, high=1000))
    assert 0 < sum(r == "secondary" for r in want.reasons.values()) < len(want.reasons)


def test_a_level_and_its_change_are_protected_as_before():
    frame = with_changes(make_region_cube(seed=6))
    want = assert_same(frame)
    changes = {k for k, r in want.row_reasons.items() if k[0] == "to_work_change_pp"}
    assert changes, "the differencing case over years must have come up"


@pytest.mark.parametrize("kw", [dict(seed=7), dict(regions=("0", "03", "0301", "46", "4601"), seed=3),
                                dict(regions=("0", "03", "0301"), years=(2022, 2023), seed=11)])
def test_the_small_cubes_of_the_served_tests(kw):
    assert_same(make_cube(**kw))


@pytest.mark.parametrize("threshold", [S.DEFAULT, S.Threshold(200, 400), S.Threshold(1000, 3000)])
def test_the_shipped_data(threshold):
    frame = load_dataset().cells.copy()
    want = assert_same(frame, threshold)
    if threshold != S.DEFAULT:
        assert "secondary" in set(want.reasons.values())
    else:
        assert not want.removed.any()


def test_the_relations_are_read_at_call_time(monkeypatch):
    """DIMENSION_PARTS and MEASURE_SUMS are the declared inputs: a changed declaration changes the result."""
    frame = make_region_cube(seed=2)
    before = dict(S.analyse(dataset_from_frame(frame)).reasons)
    monkeypatch.setattr(S, "DIMENSION_PARTS", {k: v for k, v in S.DIMENSION_PARTS.items() if k != "gender"})
    monkeypatch.setattr(S, "MEASURE_SUMS", S.MEASURE_SUMS[:1])
    after = assert_same(frame)
    assert dict(after.reasons) != before


def test_lookups_of_the_analysis():
    frame = make_region_cube(seed=1)
    a = S.analyse(dataset_from_frame(frame))
    node, reason = next(iter(a.reasons.items()))
    assert a.reasons.get(node) == reason and node in a.reasons and a.reasons[node] == reason
    assert a.reasons.get(("no_such_measure",) + node[1:]) is None
    assert a.reasons.get(node[:1] + (1900,) + node[2:]) is None and ("x",) not in a.reasons
    with pytest.raises(KeyError):
        a.reasons[("ended", 2024, "9999", "all", "all", "all", "all", "all")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_small_cubes_give_the_same_as_before(data):
    county = data.draw(st.sampled_from(["03", "39", "40"]), label="county")
    munis = municipalities(county, 2024)
    rows = []
    for muni, (g, s) in itertools.product(munis, itertools.product(PARTS["group"], PARTS["gender"])):
        ended = data.draw(st.integers(0, 25))
        work = data.draw(st.integers(0, ended))
        edu = data.draw(st.integers(0, ended - work))
        rows.append(dict(year=2024, county=county, region=muni, group=g, gender=s, ended=ended, work=work, edu=edu))
    threshold = data.draw(st.sampled_from([S.Threshold(), S.Threshold(3, 5), S.Threshold(10, 20)]))
    assert_same(make_region_cube(rows=rows), threshold)
