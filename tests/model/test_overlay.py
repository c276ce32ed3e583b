"""A user's file is laid over the published figures (model/uploads.overlay): its rows win for their own
cells, everything else stays published, its rows carry the file name as their source, and the small-number
protection applies to the combination (no hidden or small number comes back by subtraction)."""
from __future__ import annotations

import base64

import pytest

from dashboard.model import dimensions as dims, uploads
from dashboard.model.dataset import dataset_from_bytes, load_dataset
from dashboard.model.query import Coords, get_cell, published, query
from dashboard.model.suppression import protect
from dashboard.views.state import ViewState

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
PARTS = dims.get(dims.GROUP).parts       # the two parts of the group margin (Ukraine, other refugees)


@pytest.fixture(scope="module")
def base():
    return protect(load_dataset())


def upload(base, rows: str, name="mine.csv"):
    contents = "data:text/csv;base64," + base64.b64encode((HEADER + rows).encode()).decode()
    return uploads.user_dataset(contents, name, base)


def row(year, region, measure, value, unit="count", group="all", source="mine"):
    return f"{year},{region},{group},all,all,all,all,{measure},{value},{unit},false,{source}\n"


def test_the_users_rows_win_for_their_cells_and_the_rest_stays_published(base):
    ds = upload(base, row(2023, "0", "to_work_or_education", 50, "percent"))
    assert ds.origin == "user" and ds.name == "mine.csv"
    mine = published(ds, "to_work_or_education", 2023, Coords())
    assert mine.value == 50 and uploads.is_user_source(mine.source) and "mine.csv" in mine.source
    assert ds.sources[mine.source].title == "mine.csv"
    # Every other published figure is still there, with its own source.
    for y in (2016, 2020, 2022):
        ours, theirs = published(ds, "to_work_or_education", y, Coords()), published(base, "to_work_or_education", y, Coords())
        assert ours.value == theirs.value and ours.source == theirs.source
    assert len(ds.cells) == len(base.cells)       # one replaced, none lost, none added
    result = query(ds, ViewState())
    total = next(k for k in result.key_figures if k.measure == "to_work_or_education")
    assert total.cell.value == 50 and total.cell.source == mine.source
    assert next(k for k in result.key_figures if k.measure == "participants").cell is not None   # Norway is published


def test_a_published_margin_minus_the_users_part_reveals_nothing(base):
    """The published number who ended in Norway in 2023 and a user's file with one of its two parts: the
    other part would be the margin minus the user's part. When that is a small number, the user's part is
    not shown, so the other part cannot be worked out."""
    margin = published(base, "ended", 2023, Coords()).value
    near = margin - 3                                    # leaves 3 for the other part
    ds = upload(base, row(2023, "0", "ended", int(near), group=PARTS[0]))
    assert published(ds, "ended", 2023, Coords()).value == margin          # the margin is published
    assert published(ds, "ended", 2023, Coords(**{dims.GROUP: PARTS[0]})) is None
    assert published(ds, "ended", 2023, Coords(**{dims.GROUP: PARTS[1]})) is None
    from dashboard.model.suppression import suppression_reason
    assert suppression_reason(ds, "ended", 2023, Coords(**{dims.GROUP: PARTS[0]})) == "secondary"
    # Nothing the view shows or a download holds gives the small part.
    cells = query(ds, ViewState(**{dims.GROUP: PARTS[0]})).cells() + query(ds, ViewState()).cells()
    values = {(c.measure, c.year, c.coords): c.value for c in cells if c.measure == "ended" and c.year == 2023}
    assert all(v != near for v in values.values())
    assert not any(margin - v < 5 for (m, y, co), v in values.items() if getattr(co, dims.GROUP) != dims.ALL)


def test_a_users_part_that_leaves_a_large_remainder_is_shown(base):
    margin = published(base, "ended", 2023, Coords()).value
    ds = upload(base, row(2023, "0", "ended", int(margin // 2), group=PARTS[0]))
    assert published(ds, "ended", 2023, Coords(**{dims.GROUP: PARTS[0]})).value == margin // 2


def test_a_hidden_published_cell_is_not_recovered_with_the_users_figure(base):
    """Published: a margin and its parts, one part small (hidden) and its complement hidden with it. A user
    who gives the complement must not get the small part back as margin − complement."""
    rows = (row(2023, "4601", "ended", 40) + row(2023, "4601", "ended", 3, group=PARTS[0])
            + row(2023, "4601", "ended", 37, group=PARTS[1]))
    shipped = protect(dataset_from_bytes((HEADER + rows).encode(), "published.csv", base))
    assert published(shipped, "ended", 2023, Coords(region="4601", **{dims.GROUP: PARTS[0]})) is None
    assert len(shipped.hidden_rows) >= 2
    ds = upload(shipped, row(2023, "4601", "ended", 37, group=PARTS[1]))
    shown = {g: published(ds, "ended", 2023, Coords(region="4601", **{dims.GROUP: g}))
             for g in (dims.ALL,) + PARTS}
    assert shown[PARTS[0]] is None
    assert shown[dims.ALL] is None or shown[PARTS[1]] is None      # never both: 40 − 37 = 3


def test_a_bad_file_changes_nothing(base):
    from dashboard.model.dataset import DataError
    with pytest.raises(DataError):
        upload(base, row(2023, "0", "ended", "lots"))
    assert base.origin == "published"


def test_a_published_county_minus_the_users_municipalities_reveals_nothing(base):
    """Along the region hierarchy too: a county's published figure and a user's file with all its
    municipalities but one must not leave that one as a small number."""
    from dashboard.model import regions
    county, year = "46", 2020
    total = published(base, "ended", year, Coords(region=county))
    assert total is not None
    towns = [r.code for r in regions.regions_in(year, "municipality") if r.county == county]
    share, rest = divmod(int(total.value) - 2, len(towns) - 1)       # leaves 2 for the last municipality
    rows = "".join(row(year, code, "ended", share + (rest if n == 0 else 0)) for n, code in enumerate(towns[:-1]))
    ds = upload(base, rows, "kommunene.csv")
    shown = [published(ds, "ended", year, Coords(region=c)) for c in towns[:-1]]
    assert published(ds, "ended", year, Coords(region=county)).value == total.value
    assert not all(c is not None for c in shown)          # the last one cannot be worked out


# ---- sums between measures (suppression.MEASURE_SUMS): ended = to work or education + neither, … ---------

def published_file(base, rows: str):
    """A made-up published dataset over the shipped catalogues, protected as the shipped one is."""
    return protect(dataset_from_bytes((HEADER + rows).encode(), "published.csv", base))


def test_a_published_total_minus_the_users_part_of_another_measure_reveals_nothing(base):
    """Published: 40 ended in Bergen. A user's file: 37 of them went to work or education. Ended = to work or
    education + neither (MEASURE_SUMS), so 40 − 37 would give the 3 with neither away: the user's part goes."""
    shipped = published_file(base, row(2023, "4601", "ended", 40))
    ds = upload(shipped, row(2023, "4601", "to_work_or_education_count", 37))
    where = Coords(region="4601")
    assert published(ds, "ended", 2023, where).value == 40
    assert published(ds, "to_work_or_education_count", 2023, where) is None
    from dashboard.model.suppression import suppression_reason
    assert suppression_reason(ds, "to_work_or_education_count", 2023, where) == "secondary"
    cells = [c for c in query(ds, ViewState(region="4601", year=2023)).cells() if c.year == 2023]
    assert not any(c.measure == "to_work_or_education_count" for c in cells)


def test_a_users_share_of_a_published_total_is_a_part_too(base):
    """The same through a share: 92.5 % of the 40 published is 37 persons, and 40 − 37 = 3."""
    shipped = published_file(base, row(2023, "4601", "ended", 40))
    ds = upload(shipped, row(2023, "4601", "to_work_or_education", 92.5, "percent"))
    assert published(ds, "to_work_or_education", 2023, Coords(region="4601")) is None
    ok = upload(shipped, row(2023, "4601", "to_work_or_education", 50, "percent"), "half.csv")
    assert published(ok, "to_work_or_education", 2023, Coords(region="4601")).value == 50   # 20 and 20 left


def test_a_published_total_minus_two_of_the_users_three_parts_reveals_nothing(base):
    """neither = to labour measures + to primary school + other reasons: 50 published, the user's 30 and 17
    would leave 3 for other reasons."""
    shipped = published_file(base, row(2023, "4601", "neither_work_nor_education_count", 50))
    rows = row(2023, "4601", "to_labour_measures_count", 30) + row(2023, "4601", "to_primary_school_count", 17)
    ds = upload(shipped, rows)
    where = Coords(region="4601")
    shown = [published(ds, m, 2023, where) for m in ("to_labour_measures_count", "to_primary_school_count")]
    assert not all(c is not None for c in shown)
    big = upload(shipped, row(2023, "4601", "to_labour_measures_count", 30)
                 + row(2023, "4601", "to_primary_school_count", 10), "big.csv")      # leaves 10: shown
    assert published(big, "to_primary_school_count", 2023, where).value == 10


def test_the_users_total_minus_a_published_part_of_another_measure_reveals_nothing(base):
    """The other way round: the published part and the user's total. 40 ended (the user's) − 37 to work or
    education (published) = 3."""
    shipped = published_file(base, row(2023, "4601", "to_work_or_education_count", 37))
    ds = upload(shipped, row(2023, "4601", "ended", 40))
    assert published(ds, "ended", 2023, Coords(region="4601")) is None
    assert published(ds, "to_work_or_education_count", 2023, Coords(region="4601")).value == 37


def test_rows_forced_out_go_with_their_complements_as_secondary():
    """The overlay hides the user's parts inside the protection (protect(force=…)): whatever their value, as
    secondary, and the protection hides what would give them back (here the other part: 100 − 60)."""
    import pandas as pd
    from dashboard.model.dataset import dataset_from_frame
    base = dict(year=2024, region="0301", gender="all", education="all", age="all", country="all",
                measure="ended", unit="count", approx=False, source="t")
    df = pd.DataFrame([{**base, "group": g, "value": v} for g, v in ((dims.ALL, 100.0), (PARTS[0], 60.0),
                                                                     (PARTS[1], 40.0))])
    ds = dataset_from_frame(df)
    assert len(protect(ds).cells) == 3                          # nothing small: everything shown
    forced = protect(ds, force=[1])                             # the first part, forced out
    assert sorted(forced.cells[dims.GROUP].astype(str)) == [dims.ALL]          # and the other part with it
    assert sorted(forced.suppressed[dims.GROUP]) == sorted(PARTS)
    assert set(forced.suppressed["reason"]) == {"secondary"}
    assert len(protect(ds).cells) == 3 and len(protect(ds, force=[]).cells) == 3   # cached apart


def test_a_figure_worked_out_from_two_published_ones_counts_as_known(base):
    """Found by the overlay attack (two relations): published, 40 ended and 10 with neither, so 30 went to work or
    education (a figure neither file holds). The user's 28 to work would leave 2 to education: the user's part
    goes."""
    shipped = published_file(base, row(2023, "4601", "ended", 40) + row(2023, "4601", "neither_work_nor_education_count", 10))
    ds = upload(shipped, row(2023, "4601", "to_work_count", 28))
    assert published(ds, "to_work_count", 2023, Coords(region="4601")) is None
    ok = upload(shipped, row(2023, "4601", "to_work_count", 20), "twenty.csv")          # 10 to education: shown
    assert published(ok, "to_work_count", 2023, Coords(region="4601")).value == 20



def test_a_sum_found_safe_is_judged_again_once_a_missing_figure_is_worked_out():
    """Published: to work, by group (20 and 18). The user's file: to work or education in all (40). The
    user's total is looked at first, while to work in all is missing (safe then); 20 + 18 then gives to work
    = 38, and 40 − 38 = 2 went to education: the sum must be judged again and the user's 40 hidden."""
    base = protect(load_dataset())
    shipped = published_file(base, row(2023, "4601", "to_work_count", 20, group=PARTS[0])
                             + row(2023, "4601", "to_work_count", 18, group=PARTS[1]))
    ds = upload(shipped, row(2023, "4601", "to_work_or_education_count", 40))
    where = Coords(region="4601")
    assert [published(ds, "to_work_count", 2023, Coords(region="4601", group=p)).value for p in PARTS] == [20, 18]
    assert published(ds, "to_work_or_education_count", 2023, where) is None
    assert get_cell(ds, "to_education_count", 2023, where) is None
