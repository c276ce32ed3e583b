"""A municipality's CSV/.xlsx to tidy rows: headers through the dimension table, numbers as a municipality
writes them, and every refusal with its line and column. (The shipped fixture's export, Windows-1252, the
.xlsx title row and formulas are in test_ssb_jsonstat.py.)"""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from dashboard.importers import spreadsheet
from dashboard.importers.common import validate
from dashboard.importers.spreadsheet import HEADER_MAP, ID_HEADERS, MEASURE_HEADERS, norm_header, to_result
from dashboard.model import dimensions as dims
from dashboard.model.dataset import DataError, catalogues

MEASURES, SOURCES = catalogues()
SOURCE = "ssb-statbank-2019"


def sheet(text: str, name="k.csv", source=SOURCE, encoding="utf-8"):
    return to_result(text.encode(encoding), name, MEASURES, source)


def refused(text: str, **kw) -> list[str]:
    with pytest.raises(DataError) as e:
        sheet(text, **kw)
    return [str(p) for p in e.value.problems]


def values(result) -> dict:
    return {(r["region"], r["year"], r["group"], r["gender"], r["measure"]): r["value"] for r in result.rows}


def xlsx(rows, percent_cols=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for col in percent_cols:
        for cell in ws[col][1:]:
            cell.number_format = "0.0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- headers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["Andel arbeid (%)", "andel arbeid %", " ANDEL  ARBEID, %", "Andel arbeid i %",
                                    "Andel arbeid prosent", "\ufeffAndel arbeid (%)", "Andel\u00a0arbeid ( % ):"])
def test_one_header_in_many_spellings(header):
    assert norm_header(header) == "andel arbeid %"
    assert HEADER_MAP[norm_header(header)] == ("measure", "to_work")


def test_the_dimension_tables_sheet_headers_name_its_columns():
    for d in dims.DIMENSIONS:
        for h in d.sheet_headers:
            assert HEADER_MAP[norm_header(h)] == (d.id, None), h
    assert ID_HEADERS["year"] == dims.get(dims.YEAR).sheet_headers
    assert HEADER_MAP["kommunenummer"] == ("region", None) and HEADER_MAP["kjønn"] == ("gender", None)
    assert HEADER_MAP["gruppe"] == ("group", None) and HEADER_MAP["kilde"] == ("source", None)


def test_every_measure_header_names_a_measure_of_the_catalogue_with_its_unit():
    for mid, headers in MEASURE_HEADERS.items():
        assert mid in MEASURES, mid
        for h in headers:
            assert HEADER_MAP[norm_header(h)] == ("measure", mid)
            assert ("%" in norm_header(h)) == (MEASURES[mid].unit == "percent"), h


def test_headers_become_columns_in_any_order_and_case():
    r = sheet("år;KJØNN;Målgruppe;knr;Antall avsluttet;Til arbeid;Andel til arbeid (%)\n"
              "2023;Kvinner;Fordrevne fra Ukraina;0301;1300;400;30,8\n")
    assert values(r) == {("0301", 2023, "ukraine", "women", "ended"): 1300,
                         ("0301", 2023, "ukraine", "women", "to_work_count"): 400,
                         ("0301", 2023, "ukraine", "women", "to_work"): 30.8}
    assert {r["unit"] for r in r.rows if r["measure"] == "to_work"} == {"percent"}
    validate(r, MEASURES, SOURCES)


# ---- values -------------------------------------------------------------------------------------------

def test_gender_and_group_cells_through_the_dimension_table():
    gender, group = dims.get(dims.GENDER), dims.get(dims.GROUP)
    text = "Kommunenummer;År;Kjønn;Gruppe;Avsluttet\n" + "".join(
        f"0301;2023;{g};{p};{10 + i}\n" for i, (g, p) in enumerate(
            (g, p) for g in gender.sheet_values for p in ("Alle", "Øvrige")))
    r = sheet(text)
    assert [(x["gender"], x["group"]) for x in r.rows] == [
        (gender.sheet_values[g], group.sheet_values[p.casefold()]) for g in gender.sheet_values
        for p in ("Alle", "Øvrige")]


def test_without_a_split_column_a_row_is_the_margin():
    r = sheet("Kommunenummer;År;Avsluttet\n4601;2023;812\n")
    row = r.rows[0]
    assert {d: row[d] for d in dims.CATEGORY_IDS + ("country",)} == {d: "all" for d in dims.CATEGORY_IDS + ("country",)}


@pytest.mark.parametrize("cell,value", [("2 310", 2310), ("2\u00a0310", 2310), ("2.310", 2310), ("1.234,5", 1234.5),
                                        ("41,0", 41.0), ("41,0 %", 41.0), ("12.5", 12.5), ("−3", -3)])
def test_numbers_as_a_norwegian_spreadsheet_writes_them(cell, value):
    # (to_result converts; whether -3 may stand in that column is validate's question)
    r = sheet(f"Kommunenummer;År;Avsluttet\n0301;2023;{cell}\n")
    assert r.rows[0]["value"] == value


def test_an_empty_cell_is_no_figure_and_a_symbol_is_kept_as_a_symbol():
    r = sheet("Kommunenummer;År;Avsluttet;Gikk til arbeid;Gikk til utdanning\n0301;2023;100;;..\n")
    assert [x["measure"] for x in r.rows] == ["ended"]
    assert [(s["measure"], s["status"], s["meaning"]) for s in r.status] == [
        ("to_education_count", "..", "Data not available or too uncertain")]
    assert r.status[0]["source"] == SOURCE and r.status[0]["region"] == "0301"


def test_a_total_row_is_left_out_and_said():
    r = sheet("Kommunenummer;Kommune;År;Avsluttet\n;I alt;2023;3000\n;Hele landet;2023;11381\n0301;Oslo;2023;2310\n")
    assert [x["region"] for x in r.rows] == ["0301"]
    assert "line 2: the total row ('I alt') is left out; the app adds nothing up" in r.notes
    assert any(n.startswith("line 3: the total row ('Hele landet')") for n in r.notes)


def test_three_digit_numbers_get_their_leading_zero_and_it_is_said():
    r = sheet("Kommunenummer;År;Avsluttet\n301;2023;10\n")
    assert r.rows[0]["region"] == "0301" and any("301 -> 0301" in n for n in r.notes)


def test_the_source_column_wins_row_by_row():
    r = sheet("Kommunenummer;År;Avsluttet;Kilde\n0301;2023;10;imdi-nokkeltall-2023\n4601;2023;12;\n")
    assert [x["source"] for x in r.rows] == ["imdi-nokkeltall-2023", SOURCE]


def test_blank_lines_are_skipped_and_lines_are_the_files():
    r = sheet("Kommunenummer;År;Avsluttet\n\n0301;2023;10\n;;\n4601;2023;12\n")
    assert r.lines == [3, 5]


def test_a_tab_separated_file():
    r = sheet("Kommunenummer\tÅr\tAvsluttet\n0301\t2023\t10\n")
    assert values(r) == {("0301", 2023, "all", "all", "ended"): 10}


# ---- refusals, each with its line and column ------------------------------------------------------------

def test_an_unknown_gender_or_group_is_refused_with_line_and_column():
    text = refused("Kommunenummer;År;Kjønn;Gruppe;Avsluttet\n0301;2023;Menn;Alle;5\n0301;2023;Barn;Alle;5\n"
                   "0301;2023;Menn;Syrere;5\n")
    assert text[0] == ("k.csv, line 3, column 'Kjønn': 'Barn' is not known; expected one of: "
                       + ", ".join(dims.get(dims.GENDER).sheet_values))
    assert text[1].startswith("k.csv, line 4, column 'Gruppe': 'Syrere' is not known; expected one of: alle")
    assert len(text) == 2


def test_the_year_must_be_a_year_and_not_a_date():
    assert refused("Kommunenummer;År;Avsluttet\n0301;23;10\n0301;2023;x\n") == [
        "k.csv, line 2, column 'År': '23' is not a year", "k.csv, line 3, column 'Avsluttet': 'x' is not a number"]
    raw = xlsx([["Kommunenummer", "År", "Avsluttet"], ["0301", datetime(2023, 1, 1), 10]])
    with pytest.raises(DataError) as e:
        to_result(raw, "k.xlsx", MEASURES, SOURCE)
    assert str(e.value).startswith("k.xlsx (sheet 'Sheet'), line 2, column 'År': the year is formatted as a date")


def test_an_empty_municipality_number_and_a_wrong_county():
    text = refused("Kommunenummer;Fylkesnummer;År;Avsluttet\n;03;2023;10\n4601;03;2023;12\n4601;46;2023;12\n")
    assert text == ["k.csv, line 2, column 'Kommunenummer': the municipality number is empty",
                    "k.csv, line 3, column 'Fylkesnummer': 4601 Bergen was in county 46 in 2023, not 03"]


def test_a_number_out_of_use_that_year_is_refused():
    # Bærum was 0219 until 2019, then 3024 (Viken), 3201 from 2024.
    assert refused("Kommunenummer;År;Avsluttet\n3024;2018;10\n")[0] == \
        "k.csv, line 2, column 'Kommunenummer': '3024' is not a municipality number in use in 2018"
    assert sheet("Kommunenummer;År;Avsluttet\n0219;2018;10\n").rows[0]["region"] == "0219"


def test_headers_that_cannot_be_used():
    assert refused("Kommunenummer;År;Avsluttet;Avsluttet program\n0301;2023;1;1\n") == [
        "k.csv, line 1: two columns mean the same: ended"]
    assert refused("Kommunenummer;År;Kommune\n0301;2023;Oslo\n") == [
        "k.csv, line 1: no column with figures (such as 'Avsluttet')"]
    assert refused("Kommune;Avsluttet\nOslo;1\n") == [
        "k.csv, line 1: no header row with a municipality number and a year was found; the first row reads: "
        "'Kommune', 'Avsluttet'"]


def test_the_header_may_stand_below_a_title_and_its_line_is_kept():
    text = refused("Resultater 2023\n\nKommunenummer;År;Avsluttet;Katter\n0301;2023;1;1\n")
    assert text[0].startswith("k.csv, line 3: unknown column(s): 'Katter'. Known headers: ")


def test_an_empty_or_binary_file_is_refused_plainly():
    assert refused("") == ["k.csv: the file is empty"]
    assert refused(" \n\n") == ["k.csv: the file is empty"]
    with pytest.raises(DataError) as e:
        to_result(b"Kommunenummer\x00;\x00", "k.csv", MEASURES, SOURCE)
    assert str(e.value) == "k.csv: this is not a text file; expected CSV or .xlsx"


def test_a_broken_workbook_and_a_workbook_without_a_known_header():
    with pytest.raises(DataError) as e:
        to_result(b"PK\x03\x04 not really a zip", "k.xlsx", MEASURES, SOURCE)
    assert str(e.value) == ("k.xlsx: this is not an .xlsx workbook Excel can open (BadZipFile); save it as .xlsx or "
                            "as 'CSV UTF-8'")
    with pytest.raises(DataError) as e:
        to_result(xlsx([["Navn", "Tall"], ["Oslo", 1]]), "k.xlsx", MEASURES, SOURCE)
    assert str(e.value) == ("k.xlsx: no sheet has a header row this importer knows (such as 'Kommunenummer', 'År', "
                            "'Avsluttet')")
    # the header is looked for in the first 20 rows only
    titles = [[f"tittel {i}"] for i in range(20)]
    with pytest.raises(DataError) as e:
        to_result(xlsx(titles + [["Kommunenummer", "År", "Avsluttet"], ["0301", 2023, 10]]), "k.xlsx", MEASURES, SOURCE)
    assert str(e.value) == ("k.xlsx: no sheet has a header row this importer knows (such as 'Kommunenummer', 'År', "
                            "'Avsluttet')")
    r = to_result(xlsx(titles[1:] + [["Kommunenummer", "År", "Avsluttet"], ["0301", 2023, 10]]), "k.xlsx", MEASURES,
                  SOURCE)
    assert [(x["region"], x["value"]) for x in r.rows] == [("0301", 10.0)] and r.lines == [21]


def test_a_workbook_too_large_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setenv("INTRODASH_MAX_XLSX_ROWS", "2")
    raw = xlsx([["Kommunenummer", "År", "Avsluttet"], ["0301", 2023, 10], ["0301", 2024, 11]])
    with pytest.raises(DataError) as e:
        to_result(raw, "k.xlsx", MEASURES, SOURCE)
    assert str(e.value) == "k.xlsx: the workbook has more than 2 rows in a sheet; the limit is 2 (setting max_xlsx_rows)"


def test_an_xlsx_with_numbers_codes_and_percent_cells():
    raw = xlsx([["Kommunenr", "Kommune", "År", "Gruppe", "Avsluttet", "Andel arbeid (%)"],
                [301, "Oslo", 2023, "Ukraina", 2000, 0.452], [4601.0, "Bergen", 2023.0, "Andre", 812, None]],
               percent_cols=("F",))
    r = to_result(raw, "k.xlsx", MEASURES, SOURCE)
    v = values(r)
    assert v[("0301", 2023, "ukraine", "all", "ended")] == 2000
    assert v[("0301", 2023, "ukraine", "all", "to_work")] == pytest.approx(45.2)
    assert v[("4601", 2023, "other", "all", "ended")] == 812 and len(v) == 3
    assert r.lines == [2, 2, 3]


def test_problems_stop_after_fifty_rows():
    text = "Kommunenummer;År;Avsluttet\n" + "".join(f"0301;2023;x{i}\n" for i in range(80))
    assert len(refused(text)) == 50


# ---- a workbook's size, from its zip directory and a streamed count of tags, word for word --------------

import zipfile  # noqa: E402


def zipped(parts: dict[str, bytes], n_extra: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        for i in range(n_extra):
            z.writestr(f"x/{i}", b"")
    return buf.getvalue()


def limits(raw: bytes) -> str | None:
    try:
        spreadsheet._xlsx_limits(raw, "k.xlsx")
    except DataError as e:
        (p,) = e.problems
        return str(p)
    return None


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setenv("INTRODASH_MAX_XLSX_ROWS", "1000")
    monkeypatch.setenv("INTRODASH_MAX_XLSX_STRINGS", "1000")


def test_a_workbook_that_unpacks_to_too_much_or_has_too_many_parts(monkeypatch):
    monkeypatch.setenv("INTRODASH_MAX_XLSX_BYTES", "1050000")
    assert limits(zipped({"a": b"\0" * 1_050_000})) is None                 # at the limit: read
    assert limits(zipped({"a": b"\0" * 1_050_001})) == (
        "k.xlsx: the workbook unpacks to 1050001 bytes in 1 parts; the limit (setting max_xlsx_bytes) is 1050000 "
        "bytes (1.0 MB)")
    monkeypatch.setenv("INTRODASH_MAX_XLSX_BYTES", "50000000")
    assert limits(zipped({}, 1000)) is None
    assert limits(zipped({}, 1001)) == (
        "k.xlsx: the workbook unpacks to 0.0 MB in 1001 parts; the limit (setting max_xlsx_bytes) is 47.7 MB")
    assert limits(b"PK\x03\x04 not a zip") is None          # openpyxl refuses it, with its own message


@pytest.mark.parametrize("tag", [b"<row>", b'<row r="1">', b"<x:row "])
def test_rows_in_a_sheet_are_counted_by_their_tags(small_limits, tag):
    sheet_part = "xl/worksheets/Sheet1.XML"
    assert limits(zipped({sheet_part: tag * 1000})) is None
    assert limits(zipped({sheet_part: tag * 1001})) == (
        "k.xlsx: the workbook has more than 1 000 rows in a sheet; the limit is 1 000 (setting max_xlsx_rows)")
    assert limits(zipped({"xl/workbook.xml": tag * 1001, "xl/worksheets/sheet1.txt": tag * 1001})) is None


@pytest.mark.parametrize("tag", [b"<si>", b'<si a="1">', b"<x:si>", b"<x:si a>"])
def test_shared_strings_are_counted_by_their_tags(small_limits, tag):
    assert limits(zipped({"xl/sharedStrings.xml": tag * 1000})) is None
    assert limits(zipped({"xl/SharedStrings.xml": tag * 1001})) == (
        "k.xlsx: the workbook has more than 1 000 shared strings; the limit is 1 000 (setting max_xlsx_strings)")


def test_a_tag_cut_by_the_end_of_a_read_is_counted_once(small_limits):
    mib = 1 << 20
    for tag in (b"<row", b":row "):
        for cut in range(1, len(tag)):        # the tag's first `cut` bytes end the first MiB
            part = b" " * (mib - 999 * len(tag) - cut) + tag * 999 + tag + b" " * 10
            assert limits(zipped({"xl/worksheets/sheet1.xml": part})) is None, (tag, cut)
            assert limits(zipped({"xl/worksheets/sheet1.xml": part + tag})) is not None, (tag, cut)
        ends = b" " * (mib - 1000 * len(tag)) + tag * 1000 + b" " * 10     # a tag ends the first MiB exactly
        assert limits(zipped({"xl/worksheets/sheet1.xml": ends})) is None


def test_a_damaged_part_is_refused_word_for_word(small_limits):
    raw = bytearray(zipped({"xl/worksheets/sheet1.xml": b"<row>" * 10}))
    raw[raw.index(b"PK\x01\x02") - 20] ^= 0xFF     # the compressed data, not the directory
    assert limits(bytes(raw)) == ("k.xlsx: this is not an .xlsx workbook Excel can open (a damaged part); save it as "
                                  ".xlsx or as 'CSV UTF-8'")


# ---- reading a CSV, finding its header and placing its rows, word for word ---------------------------------

NO_HEADER = "k.csv, line 1: no header row with a municipality number and a year was found; the first row reads: "


def test_the_delimiter_is_the_first_lines_and_a_broken_csv_names_its_line():
    assert refused("Kommunenummer\tÅr\tKommune\tAvsluttet\n0301\t2023\tOslo,,,,,,,,\t10\n") == [
        "k.csv, line 2, column 'Kommune': 0301 is Oslo in 2023, not 'Oslo,,,,,,,,'; check the columns"]
    assert values(sheet("Kommunenummer,År,Avsluttet\n0301,2023,10\n")) == {("0301", 2023, "all", "all", "ended"): 10}
    assert refused("Kommunenummer;År;Avsluttet\n0301;2023;" + "9" * 200_000 + "\n") == [
        "k.csv, line 2: the CSV is broken here (field larger than field limit (131072))"]


def test_a_csv_has_at_most_twenty_times_max_xlsx_rows_lines(monkeypatch):
    monkeypatch.setenv("INTRODASH_MAX_XLSX_ROWS", "50")
    text = "Kommunenummer;År;Avsluttet\n0301;2023;10\n"
    assert len(sheet(text + "\n" * 998).rows) == 1                   # 1 000 lines: the limit
    assert refused(text + "\n" * 999) == ["k.csv: the file has 1 001 lines; the limit is 1 000"]


def test_the_header_names_a_region_and_a_year_within_the_first_twenty_rows():
    assert refused("Kommunenummer;Avsluttet\n0301;10\n") == [NO_HEADER + "'Kommunenummer', 'Avsluttet'"]
    titles = "\n".join(f"tittel {i}" for i in range(20)) + "\n"
    head = "Kommunenummer;År;Avsluttet\n0301;2023;10\n"
    assert refused(titles + head) == [NO_HEADER + "'tittel 0'"]
    assert sheet(titles.split("\n", 1)[1] + head).lines == [21]
    assert refused(";;;\n") == [NO_HEADER]
    assert refused(";;\nKommune;;Avsluttet\nOslo;;1\n") == [NO_HEADER + "'Kommune', 'Avsluttet'"]
    assert refused("a;b;c;d;e;f;g;h;i;j\n1;2\n") == [NO_HEADER + "'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'"]
    with pytest.raises(DataError) as e:
        to_result(b"\xef\xbb\xbf", "k.csv", MEASURES, SOURCE)
    assert str(e.value) == "k.csv: no header row with a municipality number and a year was found; the first row reads: "


def test_empty_header_cells_are_skipped_and_the_columns_after_them_kept():
    for header in ("Kommunenummer;År;;Avsluttet", "Kommunenummer;År;  ;Avsluttet"):
        assert values(sheet(header + "\n0301;2023;;10\n")) == {("0301", 2023, "all", "all", "ended"): 10}
    r = to_result(xlsx([["Kommunenummer", "År", None, "Avsluttet"], ["0301", 2023, None, 10]]), "k.xlsx", MEASURES,
                  SOURCE)
    assert [(x["region"], x["value"]) for x in r.rows] == [("0301", 10.0)]


def test_unknown_and_doubled_columns_are_listed_word_for_word():
    known = "; ".join(sorted({h for hs in list(MEASURE_HEADERS.values()) + list(ID_HEADERS.values()) for h in hs}))
    assert refused("Kommunenummer;År;Avsluttet;Katter;Hunder\n0301;2023;1;1;1\n") == [
        f"k.csv, line 1: unknown column(s): 'Katter', 'Hunder'. Known headers: {known} "
        "(see dashboard/importers/spreadsheet.py)"]
    assert refused("Kommunenummer;Knr;År;Avsluttet;Avsluttede\n0301;0301;2023;1;1\n") == [
        "k.csv, line 1: two columns mean the same: ended, region"]


def test_a_cells_spaces_a_municipality_number_and_a_county_number_or_name():
    assert values(sheet("Kommunenummer;År;Avsluttet\n 0301 ;2023;10\n")) == {("0301", 2023, "all", "all", "ended"): 10}
    assert refused("Kommunenummer;År;Avsluttet\n03;2023;10\n") == [
        "k.csv, line 2, column 'Kommunenummer': '03' is not a municipality number in use in 2023"]
    assert len(sheet("Kommunenummer;Fylke;År;Avsluttet\n4601;Vestland;2023;10\n").rows) == 1   # a name: not checked
    assert len(sheet("Kommunenummer;Fylke;År;Avsluttet\n4601;46.0;2023;10\n").rows) == 1
    assert refused("Kommunenummer;Fylke;År;Avsluttet\n4601;3.0;2023;10\n") == [
        "k.csv, line 2, column 'Fylke': 4601 Bergen was in county 46 in 2023, not 3.0"]
    r = sheet("Kommunenummer;Kjønn;År;Avsluttet\n4601;;2023;10\n")
    assert [(x["gender"], x["approx"]) for x in r.rows] == [("all", False)]


def test_a_symbol_or_an_empty_cell_does_not_end_the_rows_figures():
    r = sheet("Kommunenummer;År;Avsluttet;Gikk til arbeid;Gikk til utdanning;Deltakere\n0301;2023;;..;5;7\n")
    assert [(x["measure"], x["value"], x["approx"]) for x in r.rows] == [
        ("to_education_count", 5.0, False), ("participants", 7.0, False)]
    assert [(s["measure"], s["status"]) for s in r.status] == [("to_work_count", "..")]
    assert refused("Kommunenummer;År;Avsluttet\n0301;2023;10X\n") == [
        "k.csv, line 2, column 'Avsluttet': '10X' is not a number"]


def _xlsx_with_floats(rows) -> bytes:
    """A workbook whose numbers are stored as 4601.0 (as some programs write them; openpyxl writes 4601)."""
    raw = xlsx(rows)
    src, buf = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>301</v>", b"<v>301.0</v>").replace(b"<v>2023</v>", b"<v>2023.0</v>")
            out.writestr(info, data)
    return buf.getvalue()


def test_whole_numbers_stored_with_a_decimal_point_are_codes_and_years():
    r = to_result(_xlsx_with_floats([["Kommunenummer", "År", "Avsluttet"], [301, 2023, 10]]), "k.xlsx", MEASURES, SOURCE)
    assert [(x["region"], x["year"]) for x in r.rows] == [("0301", 2023)]
    assert r.notes == ["municipality numbers with three digits (301…) were read with a leading zero (Excel drops it): "
                       "301 -> 0301"]


def test_an_empty_year_an_empty_source_cell_and_the_note_on_three_digit_numbers():
    assert refused("Kommunenummer;År;Avsluttet\n0301;;10\n") == ["k.csv, line 2, column 'År': '' is not a year"]
    r = sheet("Kommunenummer;År;Kilde;Avsluttet\n0301;2023;;10\n", source=None)
    assert [x["source"] for x in r.rows] == [""]            # (validate refuses it: no such source)
    codes = ("301", "101", "104", "105", "106", "111")
    r = sheet("Kommunenummer;År;Avsluttet\n" + "".join(f"{c};2019;10\n" for c in codes))
    assert [x["region"] for x in r.rows] == ["0" + c for c in codes]
    assert r.notes == ["municipality numbers with three digits (101, 104, 105, 106, 111…) were read with a leading zero "
                       "(Excel drops it): 301 -> 0301"]


def test_a_name_is_checked_without_its_bracketed_addition():
    r = sheet("Kommunenummer;Kommune;År;Avsluttet\n0301;Oslo (by);2023;10\n1820;Alstahaug;2023;3\n")
    assert [x["region"] for x in r.rows] == ["0301", "1820"]
    assert refused("Kommunenummer;Kommune;År;Avsluttet\n0301;Bergen (Oslo);2023;10\n") == [
        "k.csv, line 2, column 'Kommune': 0301 is Oslo in 2023, not 'Bergen (Oslo)'; check the columns"]
