"""Every relation of the small-number protection, attacked (tests/attack.py): on generated cubes over every
dimension with parts, the region hierarchy, the measure sums and the level/change pairs; on the shipped data;
and on a user's file as the upload path protects it. Each relation is also taken out of the protection in
turn, to show that the attack finds what it then gives away."""
from __future__ import annotations

from types import SimpleNamespace

import base64

import pytest

from dashboard.model import dimensions as dims, suppression, uploads
from dashboard.model.dataset import dataset_from_frame, load_dataset
from dashboard.model.suppression import MEASURE_SUMS, Threshold, protect

from .attack import assert_protected, attack
from .cube_full import make_full_cube

IMDI_SUMS = tuple(s for s in MEASURE_SUMS if not s[0].endswith("_1y"))


def protected(cube, threshold=Threshold()):
    return protect(dataset_from_frame(cube, origin="user"), threshold)


@pytest.fixture(scope="module")
def full_cube():
    """Every dimension with parts crossed, Vestfold (2023 in Vestfold og Telemark, 2024 on its own) and its
    municipalities, two years (the changes), every measure sum."""
    return make_full_cube(seed=1)


@pytest.fixture(scope="module")
def country_cube():
    """The country, all its counties, and the municipalities of Oslo and Vestfold."""
    return make_full_cube(years=(2024,), counties_with_municipalities=("03", "39"), country=True, sums=IMDI_SUMS,
                          seed=2, high=8)


def small_cube(seed=3):
    return make_full_cube(counties_with_municipalities=("03",), sums=IMDI_SUMS, seed=seed, high=6)


def test_the_cube_holds_every_relation(full_cube, country_cube):
    rep = attack(full_cube, protected(full_cube).cells, protected(full_cube).measures)
    for d in dims.PARTS:                                      # every dimension with parts, from the table
        assert rep.attacked[d] > 100, d
    for label in ("region", "measure sum", "change", "share"):
        assert rep.attacked[label] > 10, label
    country = attack(country_cube, protected(country_cube).cells, protected(country_cube).measures)
    assert country.attacked["region"] > 1000
    assert {"0", "03", "0301", "39"} <= set(country_cube["region"])


def test_no_hidden_figure_is_recovered_in_the_full_cube(full_cube):
    rep = assert_protected(full_cube, protected(full_cube))
    assert rep.hidden > 5000 and rep.attempts > 10000 and rep.pair_attempts > 0


def test_no_hidden_figure_is_recovered_through_the_region_hierarchy(country_cube):
    rep = assert_protected(country_cube, protected(country_cube))
    assert rep.hidden > 5000 and rep.attacked["region"] > 1000


@pytest.mark.parametrize("threshold", [Threshold(3, 5), Threshold(10, 20)])
def test_other_thresholds_are_as_safe(threshold):
    cube = small_cube(seed=4)
    rep = assert_protected(cube, protected(cube, threshold), threshold)
    assert rep.hidden > 100


def test_the_shipped_data_is_safe_at_the_threshold_and_far_above_it():
    """The shipped figures are national and large: nothing is hidden at the threshold. At a threshold of 2 000
    persons much is, and every relation that the real rows hold is attacked."""
    ds = load_dataset()
    rep = assert_protected(ds.cells, protect(ds))
    assert rep.hidden == 0 and rep.attempts == 0
    high = Threshold(min_count=2000, min_base=4000)
    rep = assert_protected(ds.cells, protect(ds, high), high)
    assert rep.hidden > 50 and rep.attempts > 50
    assert rep.attacked["age"] > 0 and rep.attacked["measure sum"] > 0


def upload_of(cube) -> str:
    return "data:text/csv;base64," + base64.b64encode(cube.to_csv(index=False).encode()).decode()


def test_a_users_file_is_protected_on_the_upload_path():
    """The file goes through uploads.user_dataset over the published catalogues, as the page's upload does."""
    cube = small_cube(seed=5)
    cube["source"] = "user"
    uploads._parsed.clear()
    ds = uploads.user_dataset(upload_of(cube), "mine.csv", load_dataset())
    # The file is laid over the published figures: attack the user's own rows (their source names the file).
    cells = ds.cells[ds.cells["source"].astype(str).str.startswith("dine-tall:")].copy()
    cells["source"] = "user"
    mine = SimpleNamespace(cells=cells, measures=ds.measures)
    assert ds.origin == "user" and 0 < len(cells) < len(cube)
    rep = assert_protected(cube, mine)
    assert rep.hidden > 100


# ---- a user's file laid over published figures: sums between measures too ---------------------------------

def overlay_leaks(truth, published_measures, users_measures, threshold=Threshold()):
    """The truth is a full cube; the published figures are some of its measures (protected as the shipped ones
    are), the user's file some others, laid over them (uploads.overlay). A figure is secret if it is below the
    threshold, one of the user's that the protection hid, or a published one that the published figures hide
    (one they show is public, whatever the combination shows). Gives what the attack recovers of them from the
    combination, what it recovers from the published figures alone (of theirs), and the attack's report."""
    from .attack import facts
    published = truth[truth["measure"].isin(published_measures)]
    mine = truth[truth["measure"].isin(users_measures)]
    base = protect(dataset_from_frame(published), threshold)
    combined = uploads.overlay(base, dataset_from_frame(mine, origin="user", name="mine.csv"), threshold)
    public = facts(base.cells, combined.measures).value
    theirs, users = facts(published, combined.measures).value, facts(mine, combined.measures).value

    def secret(found, files):
        fact = found[0]
        return fact[0] == "C" and (found[1] < threshold.min_count or any(fact in f for f in files)) and \
            fact not in public
    both = attack(truth, combined.cells, combined.measures, threshold)
    alone = attack(truth, base.cells, combined.measures, threshold)
    return ([r for r in both.recovered if secret(r, (theirs, users))], [r for r in alone.recovered if secret(r, (theirs,))],
            both)


@pytest.mark.parametrize("seed", [8, 9, 10])
def test_a_published_total_and_the_users_part_of_another_measure_give_nothing_away(seed):
    """Published: ended, to work or education and neither; the user's: to work, to labour measures and to primary
    school. to education = to work or education − to work, other reasons = neither − the user's two: a hidden
    small figure must not come out of a published total and the user's parts (MEASURE_SUMS)."""
    truth = make_full_cube(years=(2024,), counties_with_municipalities=("39",), crossed=(dims.GROUP,), sums=IMDI_SUMS,
                           seed=seed, high=8)
    leaks, alone, rep = overlay_leaks(truth, ["ended", "to_work_or_education_count", "neither_work_nor_education_count"],
                                      ["to_work_count", "to_labour_measures_count", "to_primary_school_count"])
    assert alone == []                                 # the published figures alone give nothing away
    assert rep.attacked["measure sum"] > 10 and not rep.primary
    assert leaks == [], f"{len(leaks)} small figures recovered, e.g. {leaks[:2]}"


def test_a_users_shares_of_a_published_total_give_nothing_away():
    """The user's file holds shares (to work, of those who ended): each is a number of persons of the published
    total who ended, and ended − to work or education (published) − … must not leave a small figure."""
    truth = make_full_cube(years=(2024,), counties_with_municipalities=("39",), crossed=(dims.GROUP,), sums=IMDI_SUMS,
                           seed=11, high=8)
    leaks, alone, rep = overlay_leaks(truth, ["ended", "to_work_or_education_count"], ["to_work"])
    assert alone == [] and rep.attacked["measure sum"] > 10
    assert leaks == [], f"{len(leaks)} small figures recovered, e.g. {leaks[:2]}"


@pytest.mark.parametrize("published, users", [
    (["ended"], ["to_work_or_education_count", "to_work_count"]),
    (["to_work_or_education_count", "neither_work_nor_education_count"], ["ended", "to_education"]),
    (["ended", "neither_work_nor_education_count"], ["to_labour_measures_count", "to_work"]),
])
@pytest.mark.parametrize("seed", [12, 13])
def test_the_users_file_gives_nothing_away_beyond_what_the_published_figures_do(published, users, seed):
    """Other splits of the measure sums between the two files, the user's total over published parts too. The
    published figures alone may give a figure away (a shown total and a shown part leave a part that neither
    file holds): that is theirs, not the file's; nothing more may come out of the two together."""
    truth = make_full_cube(years=(2024,), counties_with_municipalities=("39",), crossed=(dims.GROUP,), sums=IMDI_SUMS,
                           seed=seed, high=8)
    leaks, alone, rep = overlay_leaks(truth, published, users)
    theirs = {r[0] for r in alone}
    more = [r for r in leaks if r[0] not in theirs]
    assert rep.attacked["measure sum"] > 10 and not rep.primary
    assert more == [], f"{len(more)} small figures recovered, e.g. {more[:2]}"


@pytest.mark.parametrize("seed", [1, 21])
def test_what_the_published_figures_hide_stays_hidden_beside_the_file(seed):
    """Found by the overlay attack: the protection of the combination chose other complements than the
    published figures' own, showed a published figure that they hide, and with it ended − neither gave away a
    small number of those who went to work or education, a figure neither file holds. What the published
    figures hide is hidden beside a file too."""
    truth = make_full_cube(years=(2024,), counties_with_municipalities=("39",), crossed=(dims.GROUP,), sums=IMDI_SUMS,
                           seed=seed, high=8)
    leaks, alone, _ = overlay_leaks(truth, ["ended", "neither_work_nor_education_count"],
                                    ["to_labour_measures_count", "to_work"])
    theirs = {r[0] for r in alone}
    assert [r for r in leaks if r[0] not in theirs] == []


# ---- the attack bites: take one relation out of the protection, and it finds what that gives away --------

@pytest.mark.parametrize("dimension", list(dims.PARTS))
def test_without_a_dimensions_parts_a_hidden_cell_is_recovered(monkeypatch, dimension):
    cube = small_cube()
    monkeypatch.setattr(suppression, "DIMENSION_PARTS", {d: p for d, p in dims.PARTS.items() if d != dimension})
    rep = attack(cube, protected(cube).cells, protected(cube).measures)
    along = [r for r in rep.recovered if r[2].startswith(dimension + ":")]
    assert along, f"nothing recovered along {dimension}"
    # The recovered figure is a small one, worked out exactly: a total minus its shown parts.
    assert any(r[1] < 5 for r in along)


def test_without_the_age_parts_an_18_25_count_below_5_is_recovered(monkeypatch):
    cube = small_cube()
    monkeypatch.setattr(suppression, "DIMENSION_PARTS", {d: p for d, p in dims.PARTS.items() if d != dims.AGE})
    rep = attack(cube, protected(cube).cells, protected(cube).measures)
    young = [r for r in rep.recovered if r[0][0] == "C" and r[0][2][dims.PLACE_IDS.index(dims.AGE) + 1] == "18-25"]
    assert any(v < 5 for _, v, _ in young), rep.recovered[:3]


def test_without_the_region_hierarchy_a_municipality_is_recovered(monkeypatch):
    cube = make_full_cube(years=(2024,), counties_with_municipalities=("39",), crossed=(), sums=IMDI_SUMS, seed=6,
                          high=30)
    monkeypatch.setattr(suppression, "_region_relations", lambda *a, **k: None)
    rep = attack(cube, protected(cube).cells, protected(cube).measures)
    assert any(r[2].startswith("region:") for r in rep.recovered)


def test_without_the_measure_sums_a_part_is_recovered(monkeypatch):
    cube = small_cube()
    monkeypatch.setattr(suppression, "MEASURE_SUMS", ())
    shown = protected(cube)
    monkeypatch.undo()                                  # the attacker knows the sums the protection forgot
    rep = attack(cube, shown.cells, shown.measures)
    assert any(r[2].startswith("measure sum:") for r in rep.recovered)


def test_without_the_changes_a_hidden_level_is_recovered(monkeypatch):
    cube = small_cube()
    monkeypatch.setattr(suppression, "_change_relations", lambda *a, **k: None)
    rep = attack(cube, protected(cube).cells, protected(cube).measures)
    assert any(r[2].startswith("change:") for r in rep.recovered)


def test_two_relations_together_are_attacked(monkeypatch):
    """Sums that share two parts: ended = work + neither, and work = neither + education (made up). Hiding work
    and neither leaves two unknowns in each; together they give both. The pairs find it, one at a time does not."""
    sums = (("ended", ("to_work_count", "neither_work_nor_education_count")),
            ("to_work_count", ("neither_work_nor_education_count", "to_education_count")))
    monkeypatch.setattr(suppression, "MEASURE_SUMS", sums)
    cube = make_full_cube(years=(2024,), counties_with_municipalities=("03",), crossed=(), sums=sums, seed=7,
                          high=40)
    cube = cube[cube["measure"].isin(["ended", "to_work_count", "neither_work_nor_education_count",
                                      "to_education_count"])]
    shown = cube[~cube["measure"].isin(["to_work_count", "neither_work_nor_education_count"])]
    ds = dataset_from_frame(cube, origin="user")
    single = attack(cube, shown, ds.measures, pairs=False)
    both = attack(cube, shown, ds.measures)
    assert single.recovered == [] and single.attacked["measure sum"] > 0
    assert {r[0][1] for r in both.recovered} == {"to_work_count", "neither_work_nor_education_count"}
    assert all(r[2].startswith("two relations") for r in both.recovered)


def test_two_overlapping_measure_sums_are_closed_by_their_difference():
    """in work or education = employed only + employed and in education + in education only, and employed =
    employed only + employed and in education: the pairs found in education only = the first minus the second.
    MEASURE_SUMS now holds that difference as a sum of its own."""
    assert ("in_work_or_education_count_1y", ("employed_1y", "in_education_only_count_1y")) in MEASURE_SUMS


def test_every_category_dimension_enters_the_protection():
    """Each filter's margin is published beside its values, so each category says which values add up to it,
    and the protection reads exactly those (the attack above derives its relations from the same table)."""
    for d in dims.CATEGORIES:
        assert d.parts, f"{d.id} has no parts: its margin minus its values would give a hidden value away"
        assert set(d.parts) < set(d.values) and dims.ALL not in d.parts
        assert tuple(suppression.DIMENSION_PARTS[d.id]) == d.parts
    assert set(suppression.DIMENSION_PARTS) == {d.id for d in dims.DIMENSIONS if d.parts}


def test_the_age_bands_of_the_shipped_data_add_up_to_all_ages():
    """SSB's age bands are the age parts: in the shipped data they add up to the total, year by year."""
    cells = load_dataset().cells
    ssb = cells[(cells["measure"] == "participants_ssb") & (cells["region"] == "0")]
    years = 0
    for year, rows in ssb.groupby("year", observed=True):
        by_age = dict(zip(rows["age"].astype(str), rows["value"]))
        if all(p in by_age for p in dims.PARTS[dims.AGE]) and dims.ALL in by_age:
            years += 1
            assert sum(by_age[p] for p in dims.PARTS[dims.AGE]) == pytest.approx(by_age[dims.ALL], abs=5)
    assert years >= 3


def test_a_share_of_a_small_base_count_is_hidden_as_a_count():
    """Regression (found by the attack on the shipped data): 30 % of 10 who ended is 3 persons, shown as a share
    next to its base. It is hidden now, as a count below 5 would be."""
    import pandas as pd
    base = dict(year=2024, region="0301", group="all", gender="all", education="all", age="all", country="all",
                approx=False, source="t")
    df = pd.DataFrame([{**base, "measure": "ended", "value": 10.0, "unit": "count"},
                       {**base, "measure": "to_work", "value": 30.0, "unit": "percent"},
                       {**base, "measure": "to_education", "value": 50.0, "unit": "percent"}])
    p = protect(dataset_from_frame(df))
    assert sorted(p.cells["measure"].astype(str)) == ["ended", "to_education"]     # 5 of 10: shown
    assert list(p.suppressed["reason"]) == ["count"]
