"""A code from another structure is translated to the region valid in the year shown, for EVERY change in
data/regions/region_changes.csv: one-to-one and mergers have a translation, splits say they have none.
The cases are generated from the file, not picked by hand."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from dashboard.model import regions
from dashboard.views import follow
from dashboard.views.state import ViewState

CHANGES = Path(regions.REGIONS_DIR) / regions.CHANGES
ROWS = list(csv.DictReader(open(CHANGES, encoding="utf-8", newline="")))
AREA = [r for r in ROWS if r["kind"] in regions.AREA_KINDS]
OUTS, INS = defaultdict(set), defaultdict(set)
for r in AREA:
    OUTS[(r["year"], r["level"], r["from_code"])].add(r["to_code"])
    INS[(r["year"], r["level"], r["to_code"])].add(r["from_code"])

FORWARD = sorted({(int(r["year"]), r["level"], r["from_code"]) for r in AREA
                  if regions.valid(r["from_code"], int(r["year"])) is None})
BACKWARD = sorted({(int(r["year"]), r["level"], r["to_code"]) for r in AREA
                   if regions.valid(r["to_code"], int(r["year"]) - 1) is None})


def test_the_cases_cover_every_kind_of_change():
    assert len(ROWS) > 400 and len(FORWARD) > 300 and len(BACKWARD) > 200
    kinds = {r["kind"] for r in AREA}
    assert {"renumbered", "merged", "split", "continued"} <= kinds
    splits = [c for c in FORWARD if len(OUTS[(str(c[0]), c[1], c[2])]) > 1]
    merges = [c for c in BACKWARD if len(INS[(str(c[0]), c[1], c[2])]) > 1]
    assert splits and merges


@pytest.mark.parametrize("year,level,code", FORWARD)
def test_an_old_code_in_the_year_of_the_change(year, level, code):
    """Forwards: a renumbering or a merger has its one successor; a split has none and names the parts."""
    outs = OUTS[(str(year), level, code)]
    tr = regions.translate(code, year)
    assert tr is not None and tr.forward and tr.change == year
    assert set(tr.held) == outs
    assert tr.to == (next(iter(outs)) if len(outs) == 1 else None)


@pytest.mark.parametrize("year,level,code", BACKWARD)
def test_a_new_code_in_the_year_before_the_change(year, level, code):
    """Backwards: only a one-to-one change (one predecessor, which became this code alone) translates."""
    ins = INS[(str(year), level, code)]
    tr = regions.translate(code, year - 1)
    assert tr is not None and not tr.forward and tr.change == year
    assert set(tr.held) == ins
    one = next(iter(ins))
    expected = one if len(ins) == 1 and OUTS[(str(year), level, one)] == {code} else None
    assert tr.to == expected


def test_a_code_in_use_is_not_translated():
    for r in ROWS:
        y = int(r["year"])
        for code, year in ((r["to_code"], y), (r["from_code"], y - 1)):
            assert regions.translate(code, year) is None, (code, year)
    assert regions.translate("0", 2016) is None and regions.translate("9999", 2020) is None


def test_the_examples_of_the_issue():
    assert regions.translate("0219", 2022).to == "3024" and regions.translate("0219", 2024).to == "3201"
    assert regions.translate("3201", 2023).to == "3024" and regions.translate("3024", 2019).to == "0219"
    assert regions.translate("1601", 2023).to == "5001"
    assert regions.translate("09", 2022).to == "42" and regions.translate("10", 2021).to == "42"
    assert regions.translate("42", 2019).to is None and regions.translate("30", 2024).to is None


@pytest.mark.parametrize("year,level,code", FORWARD + [(y - 1, lv, c) for y, lv, c in BACKWARD])
def test_every_translation_has_a_note_in_both_languages(year, level, code):
    """The note names what is shown, or says plainly that there is no translation and lists the regions."""
    tr = regions.translate(code, year) or regions.translate(code, year - 1)
    for lang in ("nb", "en"):
        text = follow.translation_note(tr, lang)
        assert code in text and str(tr.year) in text
        if tr.to is None:
            assert ("ingen entydig" in text) if lang == "nb" else ("no single" in text)
            assert all(h in text for h in tr.held)
        else:
            assert tr.to in text


def test_a_view_with_a_code_of_another_structure_shows_the_region_of_that_year(published):
    state, notes = follow.view_of(published, ViewState(year=2023, region="3201"))
    assert state.region == "3024" and "3024" in follow.translation_note(notes[0], "nb")
    state, notes = follow.view_of(published, ViewState(year=2022, region="10"))
    assert state.region == "42"
    state, notes = follow.view_of(published, ViewState(year=2024, region="30"))
    assert state.region == "30" and notes[0].to is None          # a split: no translation, said
    state, notes = follow.view_of(published, ViewState(year=2023, region="03"))
    assert state.region == "03" and notes == []


@pytest.fixture(scope="module")
def published():
    from dashboard.model.dataset import load_dataset
    from dashboard.model.suppression import protect
    return protect(load_dataset())
