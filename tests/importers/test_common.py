"""What every importer shares: SSB's symbols, status rows, validation by the loader's rules, atomic writes."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.importers.common import (STATUS_COLUMNS, SYMBOLS, ImportResult, format_value, status_path,
                                        status_row, symbol_meaning, to_csv_bytes, validate, write_atomic,
                                        write_outputs)
from dashboard.model import schema
from dashboard.model.dataset import DataError, catalogues, load_dataset

MEASURES, SOURCES = catalogues()
SOURCE = "ssb-statbank-2019"


def coords(region="0301", year=2023, **kw):
    return {"year": year, "region": region, "group": "all", "gender": "all", "education": "all", "age": "all",
            "country": "all", **kw}


def tidy_row(measure="ended", value=120.0, unit="count", **kw):
    return {**coords(**kw), "measure": measure, "value": value, "unit": unit, "approx": False, "source": SOURCE}


def read(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_symbols_are_ssbs_five_with_both_languages():
    assert set(SYMBOLS) == {".", "..", "...", ":", "-"}
    assert SYMBOLS[":"] == ("Vises ikke av konfidensialitetshensyn", "Suppressed for confidentiality")
    for nb, en in SYMBOLS.values():
        assert nb and en and nb != en


def test_symbol_meaning_in_each_language_and_for_an_unknown_symbol():
    assert symbol_meaning(":") == "Suppressed for confidentiality"
    assert symbol_meaning(":", "nb") == "Vises ikke av konfidensialitetshensyn"
    assert symbol_meaning("..", "en") == "Data not available or too uncertain"
    assert symbol_meaning("?", "en") == "unknown symbol" and symbol_meaning("?", "nb") == "ukjent symbol"


def test_a_status_row_has_the_cells_coordinates_and_the_symbols_meaning():
    r = status_row({**coords(gender="women"), "extra": "ignored"}, "to_work", ":", SOURCE)
    assert tuple(r) == STATUS_COLUMNS
    assert r == {**coords(gender="women"), "measure": "to_work", "status": ":",
                 "meaning": "Suppressed for confidentiality", "source": SOURCE}
    assert STATUS_COLUMNS == schema.DIMENSIONS + ("measure", "status", "meaning", "source")


@pytest.mark.parametrize("value,text", [(120.0, "120"), (0.0, "0"), (41.5, "41.5"), (24.323114790780934,
                                        "24.3231147908"), (-3.0, "-3"), (1e6, "1000000")])
def test_format_value_writes_whole_numbers_without_decimals(value, text):
    assert format_value(value) == text


def test_to_csv_bytes_writes_the_tidy_columns():
    text = to_csv_bytes([tidy_row(), tidy_row("to_work", 41.0, "percent")]).decode()
    lines = text.splitlines()
    assert lines[0] == ",".join(schema.COLUMNS)
    assert lines[1] == f"2023,0301,all,all,all,all,all,ended,120,count,false,{SOURCE}"
    assert lines[2] == f"2023,0301,all,all,all,all,all,to_work,41,percent,false,{SOURCE}"
    assert text.endswith("\n") and "\r" not in text
    assert to_csv_bytes([{**tidy_row(), "approx": True}]).decode().splitlines()[1].endswith(f",true,{SOURCE}")


def test_validate_holds_the_rows_to_the_loaders_rules():
    r = ImportResult([tidy_row(), tidy_row("to_work_count", 46.0), tidy_row("to_work", 38.3, "percent")],
                     name="x.csv")
    frame = validate(r, MEASURES, SOURCES)
    assert len(frame) == 3
    assert dict(zip(frame["measure"].astype(str), frame["value"])) == {"ended": 120, "to_work_count": 46,
                                                                       "to_work": 38.3}


def test_validate_refuses_nothing_to_import_and_counts_the_symbols():
    with pytest.raises(DataError) as e:
        validate(ImportResult([], name="t.json"), MEASURES, SOURCES)
    assert str(e.value) == "t.json: nothing to import: no cell with a number was found"
    only = ImportResult([], [status_row(coords(), "ended", ":", SOURCE)] * 3, name="t.json")
    with pytest.raises(DataError) as e:
        validate(only, MEASURES, SOURCES)
    assert str(e.value).endswith("(3 cells hold only SSB symbols)")


def test_validate_reports_a_problem_at_the_line_of_the_users_file():
    rows = [tidy_row(), tidy_row("ended", 12.5, region="4601"), tidy_row("to_work", 140.0, "percent")]
    r = ImportResult(rows, lines=[7, 9, 12], name="k.csv")       # where the importer found each row
    with pytest.raises(DataError) as e:
        validate(r, MEASURES, SOURCES)
    lines = {p.line: p.message for p in e.value.problems}
    assert set(lines) == {9, 12}
    assert "12.5 is not a whole number" in lines[9] and "140 is outside 0–100" in lines[12]


def test_validate_without_lines_reports_the_generated_lines():
    r = ImportResult([tidy_row(), tidy_row("ended", -1.0, region="4601")], name="t.json")
    with pytest.raises(DataError) as e:
        validate(r, MEASURES, SOURCES)
    assert [p.line for p in e.value.problems] == [3]


def test_validate_refuses_a_source_not_in_the_catalogue():
    r = ImportResult([{**tidy_row(), "source": "nowhere"}], lines=[2], name="k.csv")
    with pytest.raises(DataError) as e:
        validate(r, MEASURES, SOURCES)
    assert e.value.problems[0].line == 2 and "nowhere" in e.value.problems[0].message


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"old")
    write_atomic(p, b"new")
    assert p.read_bytes() == b"new"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["x.csv"]


def test_write_atomic_never_leaves_half_a_file(tmp_path, monkeypatch):
    p = tmp_path / "x.csv"
    p.write_bytes(b"the good version")

    def fail(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr("dashboard.importers.common.os.replace", fail)
    with pytest.raises(OSError):
        write_atomic(p, b"the new version")
    assert p.read_bytes() == b"the good version"


def test_write_outputs_writes_the_csv_and_the_status_file_beside_it(tmp_path):
    out = tmp_path / "sub" / "ssb.csv"
    r = ImportResult([tidy_row()], [status_row(coords(region="4601"), "ended", ":", SOURCE)], name="t")
    written = write_outputs(r, out)
    side = tmp_path / "sub" / "ssb.status.csv"
    assert written == [out, side] and status_path(out) == side
    assert read(out) == [{k: ("120" if k == "value" else "false" if k == "approx" else str(v))
                          for k, v in tidy_row().items()}]
    assert read(side) == [{**coords(region="4601", year="2023"), "measure": "ended", "status": ":",
                           "meaning": "Suppressed for confidentiality", "source": SOURCE}]
    ds = load_dataset(out)                               # the loader reads what was written, not the symbols
    assert len(ds.cells) == 1 and float(ds.cells["value"].iloc[0]) == 120
    loaded_folder = load_dataset(tmp_path / "sub")
    assert len(loaded_folder.cells) == 1                 # NAME.status.csv is no data file


def test_write_outputs_removes_a_stale_status_file(tmp_path):
    out = tmp_path / "ssb.csv"
    write_outputs(ImportResult([tidy_row()], [status_row(coords(), "ended", "..", SOURCE)]), out)
    assert status_path(out).exists()
    written = write_outputs(ImportResult([tidy_row("ended", 130.0)]), out)
    assert written == [out] and not status_path(out).exists()
    assert read(out)[0]["value"] == "130"


def test_summary_counts_rows_years_regions_measures_and_symbols():
    r = ImportResult([tidy_row(region="0"), tidy_row(region="46", year=2021), tidy_row(region="0301"),
                      tidy_row("to_work_count", 40.0, region="4601")],
                     [status_row(coords(), "ended", ":", SOURCE), status_row(coords(), "ended", ":", SOURCE),
                      status_row(coords(), "ended", "-", SOURCE)], notes=["a note"])
    lines = r.summary().splitlines()
    assert lines[:4] == ["4 rows", "years: 2021–2023", "regions: 1 country, 1 counties, 2 municipalities",
                         "measures: ended, to_work_count"]
    assert lines[4] == "cells with an SSB symbol instead of a number (not written as numbers): ':' 2, '-' 1"
    assert lines[5] == "a note"
    assert ImportResult([]).summary() == "0 rows"
    lines = ImportResult([tidy_row(region="46"), tidy_row(region="4601")]).summary().splitlines()
    assert lines[2] == "regions: 0 country, 1 counties, 1 municipalities"


def test_write_outputs_makes_the_folders_it_needs(tmp_path):
    out = tmp_path / "a" / "b" / "x.csv"
    assert write_outputs(ImportResult([tidy_row()]), out) == [out] and out.is_file()


def test_validate_maps_the_first_and_the_last_generated_row_to_the_users_lines():
    rows = [tidy_row("ended", 12.5), tidy_row(region="4601"), tidy_row("ended", -1.0, region="4601")]
    with pytest.raises(DataError) as e:
        validate(ImportResult(rows, lines=[7, 9, 12], name="k.csv"), MEASURES, SOURCES)
    assert sorted(p.line for p in e.value.problems) == [7, 12]
