"""Protection of small numbers: thresholds, linked shares, and that no hidden count can be recovered by
subtracting shown figures, checked by an attacker written here independently of dashboard.model.suppression."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model import regions
from dashboard.model.dataset import dataset_from_frame, load_dataset
from dashboard.model.query import Coords, data_cells, get_cell
from dashboard.views.state import ViewState
from dashboard.model.suppression import (SYMBOL, SuppressedCell, Threshold, explanation, is_suppressed, protect,
                                   suppress_cells, suppression_reason)
from tests.cube_regions import PARTS, make_region_cube, municipalities

SHARES = {"to_work": "work", "to_education": "edu", "to_work_or_education": "woe"}
COUNT_FAMILY = {"ended": "ended", "to_work_count": "work", "to_education_count": "edu",
                "neither_work_nor_education_count": "neither"}


def key_of(row) -> tuple:
    return (int(row["year"]), str(row["region"]), str(row["group"]), str(row["gender"]))


def rows_by_measure(frame: pd.DataFrame) -> dict[tuple, float]:
    return {(str(r["measure"]),) + key_of(r): float(r["value"]) for _, r in frame.iterrows()}


def attacker_view(original: pd.DataFrame, protected: pd.DataFrame):
    """True counts, and which of them an outsider can read off the protected figures directly."""
    orig, shown = rows_by_measure(original), rows_by_measure(protected)
    true, known = {}, set()
    for (measure, *key), v in orig.items():
        key = tuple(key)
        if measure in COUNT_FAMILY:
            true[(COUNT_FAMILY[measure], key)] = v
    for (fam, key) in list(true):
        # Work or education has no count row: it exists where its share does (not where ended = 0).
        if fam == "work" and ("to_work_or_education",) + key in orig:
            true[("woe", key)] = true[("work", key)] + true[("edu", key)]
    for (measure, *key), v in shown.items():
        key = tuple(key)
        if measure in COUNT_FAMILY:
            known.add((COUNT_FAMILY[measure], key))
        elif measure in SHARES and ("ended",) + key in shown:
            known.add((SHARES[measure], key))       # a share of a shown base is its count
    return orig, shown, true, known


def relations(true: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every (total, parts) an outsider could subtract along: gender, group, county, measures."""
    out = []
    keys = {k for _, k in true}
    for fam, key in true:
        year, region, group, gender = key
        if group == "all":
            out.append(((fam, key), [(fam, (year, region, p, gender)) for p in PARTS["group"]]))
        if gender == "all":
            out.append(((fam, key), [(fam, (year, region, group, p)) for p in PARTS["gender"]]))
        if len(region) == 2:
            munis = [k[1] for k in keys if k[0] == year and len(k[1]) == 4
                     and regions.county_of(k[1], year) == region]
            out.append(((fam, key), [(fam, (year, m, group, gender)) for m in sorted(set(munis))]))
    for key in keys:
        out.append((("woe", key), [("work", key), ("edu", key)]))
        out.append((("ended", key), [("woe", key), ("neither", key)]))
    return [(t, ps) for t, ps in out if t in true and all(p in true for p in ps)]


def assert_protected(original: pd.DataFrame, ds_protected, threshold=Threshold()):
    orig, shown, true, known = attacker_view(original, ds_protected.cells)
    # 1. Nothing below the threshold survives.
    for (measure, *key), v in shown.items():
        if measure in COUNT_FAMILY:
            assert v >= threshold.min_count, (measure, key, v)
        if measure in SHARES:
            base = orig.get(("ended",) + tuple(key))
            assert base is None or base >= threshold.min_base, (measure, key, base)
            # A share shown next to a hidden base would give the base away (count / share).
            assert base is None or ("ended",) + tuple(key) in shown, (measure, key)
    # 2. No hidden count equals a shown total minus the shown other parts (or a sum of shown parts).
    hidden = {n for n in true if n not in known}
    attempts = 0
    for total, parts in relations(true):
        if total in known:
            for p in parts:
                if p in hidden:
                    attempts += 1
                    guess = true[total] - sum(true[q] for q in parts if q != p and q in known)
                    assert guess != true[p], f"{p} = {true[p]} recovered as {total} minus the shown parts"
        if total in hidden and all(p in known for p in parts):
            raise AssertionError(f"{total} = sum of its shown parts {parts}")
    # 3. The query never returns a removed figure, neither as published nor computed from others.
    for (measure, *key) in set(orig) - set(shown):
        year, region, group, gender = key
        coords = Coords(region=region, group=group, gender=gender)
        assert get_cell(ds_protected, measure, year, coords) is None, (measure, key)
        assert is_suppressed(ds_protected, measure, year, coords), (measure, key)
    return attempts, len(hidden)


# ---- thresholds -------------------------------------------------------------------------------------

def tiny(rows):
    base = dict(year=2024, region="0301", group="all", gender="all", education="all", age="all", country="all",
                approx=False, source="t")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_counts_at_the_threshold_are_shown_and_below_it_hidden():
    df = tiny([dict(measure="ended", value=5.0, unit="count"),
               dict(measure="ended", value=4.0, unit="count", year=2023)])
    p = protect(dataset_from_frame(df))
    kept = rows_by_measure(p.cells)
    assert ("ended", 2024, "0301", "all", "all") in kept
    assert ("ended", 2023, "0301", "all", "all") not in kept
    assert list(p.suppressed["reason"]) == ["count"]
    assert "value" not in p.suppressed.columns          # the hidden number is not kept anywhere


def test_a_share_of_fewer_than_ten_is_hidden_with_its_count_and_not_computed_back():
    df = tiny([dict(measure="ended", value=9.0, unit="count"),
               dict(measure="to_work_count", value=6.0, unit="count"),
               dict(measure="to_work", value=66.7, unit="percent"),
               dict(measure="ended", value=10.0, unit="count", region="4601"),
               dict(measure="to_work_count", value=6.0, unit="count", region="4601"),
               dict(measure="to_work", value=60.0, unit="percent", region="4601")])
    ds = dataset_from_frame(df)
    assert get_cell(ds, "to_work", 2024, Coords(region="0301")) is not None
    p = protect(ds)
    oslo, bergen = Coords(region="0301"), Coords(region="4601")
    assert get_cell(p, "to_work", 2024, oslo) is None
    assert get_cell(p, "to_work_count", 2024, oslo) is None      # 6 >= 5, but it would give 6 of 9
    assert get_cell(p, "ended", 2024, oslo).value == 9           # the base itself is a count of 9: shown
    assert get_cell(p, "to_work", 2024, bergen).value == 60      # base exactly 10: shown
    assert suppression_reason(p, "to_work", 2024, oslo) == "base"
    assert not is_suppressed(p, "to_work", 2024, bergen)


def test_the_threshold_is_configurable():
    df = tiny([dict(measure="ended", value=7.0, unit="count")])
    assert len(protect(dataset_from_frame(df)).cells) == 1
    assert len(protect(dataset_from_frame(df), Threshold(min_count=10, min_base=20)).cells) == 0


def test_counts_of_municipalities_are_not_counts_of_persons():
    df = tiny([dict(measure="municipalities_with_5plus_ended", value=3.0, unit="count", region="0")])
    assert len(protect(dataset_from_frame(df)).cells) == 1


def test_men_cannot_be_recovered_as_all_minus_women():
    df = tiny([dict(measure="ended", value=30.0, unit="count"),
               dict(measure="ended", value=3.0, unit="count", gender="men"),
               dict(measure="ended", value=27.0, unit="count", gender="women")])
    p = protect(dataset_from_frame(df))
    left = {str(g) for g in p.cells["gender"]}
    assert left == {"all"}                                   # women hidden too, as the complement
    assert sorted(p.suppressed["reason"]) == ["count", "secondary"]


def test_a_municipality_cannot_be_recovered_from_its_county():
    # Vestfold 2024 has six municipalities: one small one forces a second one out, the smallest other.
    munis = municipalities("39", 2024)
    assert len(munis) == 6
    values = dict(zip(munis, (3, 40, 12, 50, 60, 70)))
    df = tiny([dict(measure="ended", value=float(v), unit="count", region=m) for m, v in values.items()]
              + [dict(measure="ended", value=float(sum(values.values())), unit="count", region="39")])
    p = protect(dataset_from_frame(df))
    gone = set(p.suppressed["region"])
    assert gone == {munis[0], munis[2]}                      # 3 (count) and 12 (next smallest)
    assert "39" in set(p.cells["region"].astype(str))


def test_oslo_is_a_county_of_one_municipality():
    df = tiny([dict(measure="ended", value=4.0, unit="count"),
               dict(measure="ended", value=4.0, unit="count", region="03")])
    assert len(protect(dataset_from_frame(df)).cells) == 0


def test_a_zero_next_to_its_total_hides_the_total_too():
    # all = 12, men = 12, women = 0: hiding 0 and 12 still leaves 12 - 0, so the margin goes as well.
    df = tiny([dict(measure="ended", value=12.0, unit="count"),
               dict(measure="ended", value=12.0, unit="count", gender="men"),
               dict(measure="ended", value=0.0, unit="count", gender="women")])
    assert len(protect(dataset_from_frame(df)).cells) == 0


def test_a_hidden_share_is_not_rebuilt_from_next_years_level_and_change():
    df = tiny([dict(measure="ended", value=8.0, unit="count", year=2022),
               dict(measure="to_work", value=50.0, unit="percent", year=2022),
               dict(measure="ended", value=200.0, unit="count", year=2023),
               dict(measure="to_work", value=60.0, unit="percent", year=2023),
               dict(measure="to_work_change_pp", value=10.0, unit="percent", year=2023)])
    ds = dataset_from_frame(df)
    assert get_cell(ds, "to_work", 2022, Coords(region="0301")) is not None
    p = protect(ds)
    assert get_cell(p, "to_work", 2022, Coords(region="0301")) is None
    assert get_cell(p, "to_work_change_pp", 2023, Coords(region="0301")) is None
    assert get_cell(p, "to_work", 2023, Coords(region="0301")).value == 60


def test_suppress_cells_replaces_published_and_computed_cells():
    df = tiny([dict(measure="ended", value=9.0, unit="count"),
               dict(measure="to_work_count", value=6.0, unit="count"),
               dict(measure="ended", value=40.0, unit="count", region="4601"),
               dict(measure="to_work_count", value=6.0, unit="count", region="4601")])
    ds = dataset_from_frame(df)
    computed = get_cell(ds, "to_work", 2024, Coords(region="0301"))
    fine = get_cell(ds, "to_work", 2024, Coords(region="4601"))
    assert computed.computed and fine.computed
    out = suppress_cells(ds, [computed, fine, None])
    assert isinstance(out[0], SuppressedCell) and out[0].symbol == SYMBOL == ":" and out[0].value is None
    assert out[1] is fine and out[2] is None
    assert "personvern" in out[0].explanation("nb") and "privacy" in out[0].explanation("en")
    assert "10" in explanation("en", "base")


def test_data_export_of_a_protected_cube_holds_no_hidden_row():
    original = make_region_cube(seed=3)
    p = protect(dataset_from_frame(original))
    hidden = {(r.measure, int(r.year), r.region, r.group, r.gender) for r in p.suppressed.itertuples()}
    assert hidden
    for region in ("0301", "03", municipalities("39", 2024)[0]):
        state = ViewState(region=region, year=None)
        exported = data_cells(p, state, year_given=False, series_given=False)
        for c in exported:
            assert (c.measure, c.year, c.coords.region, c.coords.group, c.coords.gender) not in hidden


def test_published_national_figures_are_untouched():
    ds = load_dataset()
    assert len(protect(ds).cells) == len(ds.cells)


# ---- the differencing attack on full cubes -------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_count_is_recovered_by_any_difference_in_a_full_cube(seed):
    """Oslo and Vestfold og Telemark (2023), Oslo, Vestfold and Telemark (2024): every municipality ×
    year × gender × group with all margins; the attacker tries every single subtraction."""
    original = make_region_cube(seed=seed)
    ds = dataset_from_frame(original, origin="user")
    attempts, hidden = assert_protected(original, protect(ds))
    # The test must have had something to attack: many hidden cells, many subtractions tried.
    assert hidden > 100 and attempts > 100


def test_the_protection_is_not_trivial():
    """With larger numbers most figures stay visible: it does not simply hide everything."""
    original = make_region_cube(seed=4, high=1000)
    p = protect(dataset_from_frame(original))
    assert len(p.cells) > 0.7 * len(original)
    assert set(p.suppressed["reason"]) == {"count", "base", "secondary"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_small_cubes_are_protected(data):
    county = data.draw(st.sampled_from(["03", "39"]), label="county")
    year = 2024
    munis = municipalities(county, year)
    rows = []
    for muni, (g, s) in itertools.product(munis, itertools.product(PARTS["group"], PARTS["gender"])):
        ended = data.draw(st.integers(0, 25))
        work = data.draw(st.integers(0, ended))
        edu = data.draw(st.integers(0, ended - work))
        rows.append(dict(year=year, county=county, region=muni, group=g, gender=s, ended=ended, work=work, edu=edu))
    threshold = data.draw(st.sampled_from([Threshold(), Threshold(3, 5), Threshold(10, 20)]))
    original = make_region_cube(rows=rows)
    assert_protected(original, protect(dataset_from_frame(original), threshold), threshold)


# ---- the pieces of the analysis, one at a time (for the mutants scripts/mutation.sh found alive) -------------

def test_the_level_of_each_kind_of_change():
    from dashboard.model.dataset import catalogues
    from dashboard.model.suppression import change_level
    measures, _ = catalogues()
    assert [change_level(m, measures) for m in ("employed_change_pp_1y", "to_work_change_pp", "ended_change_pct",
                                                "participants_change", "to_work", "nothing_change_pp")] == [
        "employed_1y", "to_work", "ended", "participants", None, None]


def test_an_empty_dataset_is_protected_as_empty():
    empty = dataset_from_frame(load_dataset().cells.head(0))
    p = protect(empty)
    assert len(p.cells) == 0 and len(p.suppressed) == 0 and list(p.suppressed.columns) == [
        "year", "region", "group", "gender", "education", "age", "country", "measure", "source", "reason"]


def test_the_list_of_hidden_cells_is_plain_strings_and_whole_years_and_the_protection_is_kept():
    from tests.cube import cube_dataset
    ds = cube_dataset()
    p = protect(ds, Threshold(5, 10))
    s = p.suppressed
    assert list(s.columns) == ["year", "region", "group", "gender", "education", "age", "country", "measure",
                               "source", "reason"] and list(s.index) == list(range(len(s)))
    assert str(s["year"].dtype) == "int64" and not any(isinstance(s[c].dtype, pd.CategoricalDtype) for c in s)
    assert set(s["reason"]) == {"count", "base", "secondary"} and all(isinstance(v, str) for v in s["region"])
    assert p.protection == Threshold(5, 10)
    gone = ds.cells[p.__dict__["_analysis"].removed]
    assert p.hidden_rows.equals(gone) and len(p.hidden_rows) == len(s) == len(ds.cells) - len(p.cells)


def test_the_keys_codec_refuses_more_than_an_int64_can_hold():
    from dashboard.model.suppression import _KEY_DIMS, _Codec
    years = list(range(2000, 2000 + 255))                 # 256 year codes (and the one before the first)
    vocab = {d: [f"{i:03d}" for i in range(512)] for d in _KEY_DIMS}
    with pytest.raises(OverflowError) as e:
        _Codec(["ended"], years, vocab)                   # 1 × 256 × 512^6 = 2^62
    assert str(e.value) == "too many distinct values for an int64 key"
    c = _Codec(["ended"], years[:-1], vocab)              # one year fewer fits
    key = ("ended", 2100) + tuple(vocab[d][7] for d in _KEY_DIMS)
    assert c.decode(c.encode(key)) == key


def test_column_codes_of_a_plain_column_as_of_a_categorical_one():
    from dashboard.model.suppression import _column_codes, _strings
    code = {"a": 0, "b": 1, "c": 2}
    plain = pd.Series(["c", "a", "c", "b"])
    assert _column_codes(plain, code).tolist() == [2, 0, 2, 1]
    assert _column_codes(plain.astype("category"), code).tolist() == [2, 0, 2, 1]
    assert _strings(plain) == ["c", "a", "b"] and _strings(plain.astype("category")) == ["a", "b", "c"]


def _rows(rows):
    base = dict(year=2024, group="all", gender="all", education="all", age="all", country="all", approx=False,
                source="t", region="0301", unit="count")
    return pd.DataFrame([{**base, **r} for r in rows])


def _hidden(frame):
    from tests.model.test_suppression_oracle import assert_same
    assert_same(frame)                                       # and exactly as the plain-Python protection
    return {(k[0], k[2], k[6]): r for k, r in protect(dataset_from_frame(frame)).__dict__["_analysis"].reasons.items()}


def test_the_age_bands_are_a_relation_even_when_the_education_before_them_has_no_parts():
    ages = {"18-25": 3, "26-35": 20, "36-45": 30, "46-55": 25, "56+": 12}
    frame = _rows([dict(measure="ended", value=float(sum(ages.values())))]
                  + [dict(measure="ended", age=a, value=float(v)) for a, v in ages.items()])
    assert _hidden(frame) == {("ended", "0301", "18-25"): "count", ("ended", "0301", "56+"): "secondary"}


def test_the_country_is_the_sum_of_its_counties_and_a_county_of_its_municipalities():
    counties = [r.code for r in regions.regions_in(2024, "county")]
    values = {c: 40.0 + i for i, c in enumerate(counties)}
    values["18"] = 3.0
    frame = _rows([dict(measure="ended", region=c, value=v) for c, v in values.items()]
                  + [dict(measure="ended", region="0", value=sum(values.values())),
                     dict(measure="ended", region="0301", value=values["03"])])
    # 03 (40) would open a gap in 03 = 0301: the next smallest, 11 (41), goes instead
    assert _hidden(frame) == {("ended", "18", "all"): "count", ("ended", "11", "all"): "secondary"}


def test_the_measure_sums_are_relations_whichever_of_them_the_data_has():
    frame = _rows([dict(measure="to_work_or_education_count", value=30.0), dict(measure="to_work_count", value=3.0),
                   dict(measure="to_education_count", value=27.0)])
    assert _hidden(frame) == {("to_work_count", "0301", "all"): "count",
                              ("to_education_count", "0301", "all"): "secondary"}
    frame = _rows([dict(measure="former_participants_1y", value=60.0),
                   dict(measure="in_work_or_education_count_1y", value=2.0),
                   dict(measure="unemployed_or_labour_measures_count_1y", value=20.0),
                   dict(measure="other_or_unknown_status_count_1y", value=38.0)])
    assert _hidden(frame) == {("in_work_or_education_count_1y", "0301", "all"): "count",
                              ("unemployed_or_labour_measures_count_1y", "0301", "all"): "secondary"}


def test_lookup_in_nothing_finds_nothing():
    import numpy as np
    from dashboard.model.suppression import _lookup
    got = _lookup(np.zeros(0, dtype=np.int64), np.array([3, 4], dtype=np.int64))
    assert got.tolist() == [-1, -1] and got.dtype == np.int64
    assert _lookup(np.array([2, 4, 9]), np.array([4, 5, 9, 1])).tolist() == [1, -1, 2, -1]


def test_a_dataset_of_shares_and_no_counts_is_analysed():
    """(A user's file of percentages only made the analysis index an empty array: IndexError.)"""
    frame = _rows([dict(measure="to_work", value=40.0, unit="percent"),
                   dict(measure="to_work", value=3.0, unit="percent", region="4601")])
    assert _hidden(frame) == {}
    assert len(protect(dataset_from_frame(frame)).cells) == 2


def test_a_dataset_whose_columns_are_plain_strings_is_analysed_as_a_compact_one():
    from dashboard.model.dataset import Dataset, catalogues
    from dashboard.model.suppression import analyse
    from tests.cube import make_cube
    frame = make_cube(seed=7)
    frame["basis"] = "published"
    compact = analyse(dataset_from_frame(frame))
    measures, sources = catalogues()
    plain = analyse(Dataset(frame.astype({c: str for c in ("measure", "unit", "region", "group", "gender")}),
                            measures, sources))
    assert (plain.removed == compact.removed).all() and dict(plain.reasons) == dict(compact.reasons)
    assert plain.removed.any() and set(compact.reasons.values()) == {"count", "base", "secondary"}


def test_a_share_whose_base_is_the_first_count_of_all_is_worked_out_from_it():
    frame = _rows([dict(measure="ended", value=3.0), dict(measure="to_work", value=33.3, unit="percent"),
                   dict(measure="ended", value=30.0, region="4601"),
                   dict(measure="to_work", value=10.0, unit="percent", region="4601")])
    # 33.3 % of 3 and 10 % of 30 are 1 and 3 persons: counts below 5, though no count of them is published
    assert _hidden(frame) == {("ended", "0301", "all"): "count", ("to_work_count", "0301", "all"): "count",
                              ("to_work_count", "4601", "all"): "count"}
    assert _removed(frame) == [True, True, False, True]


def _removed(frame):
    from dashboard.model.suppression import analyse
    return analyse(dataset_from_frame(frame)).removed.tolist()
