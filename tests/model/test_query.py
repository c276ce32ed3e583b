"""The query layer reproduces every figure of the seed page (IMDi, Nøkkeltall 2023) and earlier years."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import Coords, get_cell, query
from dashboard.views.state import ViewState


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def value(ds, measure, year, **coords):
    c = get_cell(ds, measure, year, Coords(**coords))
    assert c is not None, f"{measure} {year} {coords} missing"
    return c


SEED_2023 = [
    ("ended", {}, 11381), ("started", {}, 17699), ("to_work_or_education", {}, 49), ("to_work", {}, 41),
    ("to_education", {}, 8), ("to_primary_school", {}, 3),
    ("to_work", {"group": "ukraine"}, 45), ("to_education", {"group": "ukraine"}, 3),
    ("to_work", {"group": "other"}, 23), ("to_education", {"group": "other"}, 28),
    ("to_work_or_education", {"gender": "men"}, 60), ("to_work_or_education", {"gender": "women"}, 44),
    ("to_work_or_education", {"gender": "women", "education": "higher"}, 46),
    ("to_work_or_education", {"gender": "men", "education": "higher"}, 62),
    ("to_work_or_education", {"age": "19-24"}, 63),
    ("neither_work_nor_education_count", {}, 5837), ("to_labour_measures_count", {}, 3844),
    ("to_primary_school_count", {}, 286), ("other_reason_count", {}, 1707), ("no_end_reason", {}, 905),
    ("neither_to_labour_measures", {}, 66), ("neither_to_primary_school", {}, 5), ("neither_other_reason", {}, 29),
]


@pytest.mark.parametrize("measure,coords,expected", SEED_2023)
def test_seed_key_findings_2023(ds, measure, coords, expected):
    c = value(ds, measure, 2023, **coords)
    assert c.value == expected
    assert c.basis == "published"
    assert not c.approx


# Headline figures for earlier years (IMDi's published key figures; the rows are in data/figures.csv).
EARLIER = [
    (2016, "ended", 4469), (2016, "to_work_or_education", 46), (2017, "to_work_or_education", 48),
    (2018, "to_work", 25), (2018, "to_work_or_education", 55), (2019, "to_work", 26), (2019, "to_education", 29),
    (2019, "to_work_or_education", 55), (2020, "ended", 4820), (2020, "to_work", 17), (2020, "to_education", 33),
    (2020, "to_work_or_education", 49), (2021, "ended", 3295), (2021, "to_work", 19), (2021, "to_education", 31),
    (2021, "to_work_or_education", 49), (2022, "ended", 2757), (2022, "to_education", 29),
    (2022, "to_work_or_education", 52),
]


@pytest.mark.parametrize("year,measure,expected", EARLIER)
def test_earlier_headline_figures(ds, year, measure, expected):
    assert value(ds, measure, year).value == expected


def test_2016_shares_are_computed_from_published_counts(ds):
    work = value(ds, "to_work", 2016)
    edu = value(ds, "to_education", 2016)
    assert work.basis == edu.basis == "computed"
    assert work.method == "share_of_counts"
    assert work.value == pytest.approx(100 * 1087 / 4469)
    assert edu.value == pytest.approx(100 * 961 / 4469)
    assert [c.value for c in work.inputs] == [1087, 4469]


def test_2022_work_is_computed_from_2023_level_and_published_change(ds):
    c = value(ds, "to_work", 2022)
    assert c.basis == "computed" and c.method == "level_from_change"
    assert c.value == 41 - 17
    assert [i.measure for i in c.inputs] == ["to_work", "to_work_change_pp"]


def test_published_value_wins_over_a_computable_one(ds):
    # 2022 education is published (29 %); 2023's 8 % and the −20 change would give 28: not used.
    c = value(ds, "to_education", 2022)
    assert c.basis == "published" and c.value == 29


def test_exact_figure_preferred_and_approximate_kept_traceable(ds):
    c = value(ds, "ended", 2022)
    assert c.value == 2757 and not c.approx
    assert any(a.approx for a in c.alternatives)


def test_nothing_is_interpolated(ds):
    # 2017: only the total is published; neither work nor education may be filled in.
    assert get_cell(ds, "to_work", 2017, Coords()) is None
    assert get_cell(ds, "to_education", 2017, Coords()) is None


def test_query_default_view(ds):
    r = query(ds, ViewState())
    assert r.year == 2023
    kf = {k.measure: k for k in r.key_figures}
    assert kf["ended"].cell.value == 11381
    assert kf["to_work"].change.value == 17 and kf["to_work"].change.basis == "published"
    assert kf["to_work_or_education"].change.value == 49 - 52
    assert kf["to_work_or_education"].change.basis == "computed"
    assert r.groups["ukraine"]["work"].value == 45 and r.groups["other"]["study"].value == 28
    # Stavanger's 2013 figure is the only IMDi one before 2016: the national trend starts where its figures do.
    assert list(r.trend["total"]) == list(range(2016, 2024))
    assert r.trend["work"][2017] is None and r.trend["total"][2017].value == 48


def test_missing_combination_names_nearest_margins(ds):
    # Published for women and for 19–24-year-olds, but not for both together.
    r = query(ds, ViewState(gender="women", age="19-24"))
    miss = [m for m in r.missing if m.measure == "to_work_or_education"]
    assert miss, "the view must say the combination is not published"
    nearest = set(miss[0].nearest)
    assert ("gender=women",) in nearest and ("age=19-24",) in nearest


def test_availability_disables_values_without_figures(ds):
    r = query(ds, ViewState())
    assert r.availability["education"]["higher"] is False  # higher only exists together with a gender
    assert r.availability["age"]["19-24"] is True
    r = query(ds, ViewState(gender="women"))
    assert r.availability["education"]["higher"] is True


def test_ssb_series_never_mixes_with_imdi(ds):
    for series in ("ssb_one_year_after", "imdi_direct"):
        r = query(ds, ViewState(series=series))
        for part in ("work", "study", "total"):
            cells = [c for c in r.trend[part].values() if c is not None]
            assert len(cells) >= 3, (series, part)          # the trend has figures of its own definition
            assert all(ds.measures[c.measure].series == series for c in cells), (series, part)
            assert {c.measure for c in cells} == {r.series_measures[part]}


def test_region_against_county_and_country(ds):
    r = query(ds, ViewState(region="3020", year=2022))
    rc = r.region
    assert rc.county == "30"
    assert rc.lines["3020"][2022].value == 81 and rc.bases[2022].value == 27
    low, high = rc.intervals[2022]
    assert low < 81 < high and high - low > 20  # 27 persons: a wide interval
    assert rc.lines["0"][2022].value == 52


def test_region_series_follows_a_renumbered_municipality(ds):
    # Bergen is 1201 until 2019 and 4601 from 2020: a one-to-one change is followed, and said.
    from dashboard.views import charts
    r = query(ds, ViewState(region="4601"))
    caption = charts.spec("region", r, "nb").caption
    assert "1201 ble 4601" in caption
    # a sentence of its own, with its full stop (it ran into the next: "… 1201 ble 4601 Ingen tall for …")
    assert "fikk nytt kommunenummer i 2020: 1201 ble 4601." in caption


def test_county_rank_only_when_every_county_is_published(ds):
    r = query(ds, ViewState(region="46", series="ssb_one_year_after", year=2023))
    assert r.region.rank == (8, 11, 2023)
    r = query(ds, ViewState(region="3020", year=2022))
    assert r.region.rank is None  # municipalities: not every one is published


def test_municipality_without_figures_points_to_its_county_or_the_country(ds):
    r = query(ds, ViewState(region="4601", year=2020))
    miss = [m for m in r.missing if m.measure == "to_work_or_education"][0]
    assert ("region=46",) in miss.nearest and ("region=0",) in miss.nearest
