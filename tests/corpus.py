"""A corpus of malformed data files: every break a spreadsheet export or a hand edit makes.

`make_corpus(folder)` writes each file and returns its Case: the words the refusal must contain
(the place: line and column where there is one; and the problem). `GOOD` is the valid file they
are all broken from, so a refusal can only come from the break.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source"
ROWS = [
    "2023,0,all,all,all,all,all,ended,11381,count,false,imdi-nokkeltall-2023",
    "2023,0,all,all,all,all,all,to_work,41,percent,false,imdi-nokkeltall-2023",
    "2023,0301,all,all,all,all,all,ended,1200,count,true,imdi-nokkeltall-2023",
    "2023,0,all,women,all,all,all,participants_change,-250,count,false,imdi-nokkeltall-2023",
]
GOOD = HEADER + "\n" + "\n".join(ROWS) + "\n"
OVERSIZE_LIMIT = 1_000_000  # the max_data_bytes the oversized case is checked with


@dataclass(frozen=True)
class Case:
    name: str          # file name; also what the case is
    expect: tuple      # fragments the messages must contain (place and problem)
    max_bytes: int | None = None  # a max_data_bytes to check it with


def _row(i: int, **change) -> str:
    cells = dict(zip(HEADER.split(","), ROWS[i].split(",")))
    cells.update(change)
    return ",".join(cells.values())


def _good_with(i: int, **change) -> str:
    """GOOD with row i (line i + 2) changed."""
    rows = list(ROWS)
    rows[i] = _row(i, **change)
    return HEADER + "\n" + "\n".join(rows) + "\n"


def _cases() -> list[tuple[Case, bytes]]:
    rnd = random.Random(20231125)
    two_rows = HEADER + "\n" + ROWS[0] + "\n" + ROWS[1] + "\n"
    c: list[tuple[Case, bytes]] = []

    def add(name, content, *expect, max_bytes=None):
        raw = content.encode("utf-8") if isinstance(content, str) else content
        c.append((Case(name, tuple(expect), max_bytes), raw))

    # --- the file as a whole
    add("empty.csv", b"", "the file is empty")
    add("only_blank_lines.csv", " \n\r\n\t\n", "the file is empty")
    add("header_only.csv", HEADER + "\n", "header but no data rows")
    add("binary_with_nul.csv", bytes(rnd.randrange(256) for _ in range(3000)) + b"\x00", "not a text file")
    add("binary_high_bytes.csv", bytes(rnd.randrange(128, 256) for _ in range(3000)), "line 1", "not UTF-8")
    add("excel_workbook_renamed.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook")
    add("old_excel.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "old Excel")
    add("pdf_renamed.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF")
    add("utf16_unicode_text.csv", GOOD.encode("utf-16"), "UTF-16")
    add("oversized.csv", GOOD + (ROWS[1] + "\n") * 80_000, "the limit is 1.0 MB", max_bytes=OVERSIZE_LIMIT)
    # --- encoding
    add("latin1_with_oe.csv", (two_rows + _row(2, source="imdi-tromsø") + "\n").encode("latin-1"),
        "line 4", "not UTF-8", "0xF8")
    add("truncated_mid_character.csv", (two_rows + _row(2, source="imdi-tromsø")).encode("utf-8")[:-1],
        "line 4", "not UTF-8")
    add("two_exports_joined_with_bom.csv", "\ufeff" + two_rows + "\ufeff" + HEADER + "\n" + ROWS[2] + "\n",
        "line 4, column 'year'", "repeats the header")
    # --- columns
    add("missing_column.csv", GOOD.replace(",source", "", 1), "line 1", "missing column(s): source")
    add("extra_column.csv", HEADER + ",colour\n" + ROWS[0] + ",red\n", "line 1", "unknown column(s): 'colour'")
    add("column_twice.csv", HEADER + ",value\n" + ROWS[0] + ",3\n", "line 1", "column(s) given twice: value")
    add("norwegian_header.csv", GOOD.replace("year,region,group", "år,region,gruppe", 1),
        "line 1", "missing column(s): year, group")
    # --- rows
    add("ragged_short_row.csv", two_rows + "2023,0,all\n", "line 4", "this row has 3 fields; expected 12")
    add("decimal_comma_unquoted.csv", _good_with(1, value="41,5"), "line 3", "this row has 13 fields; expected 12")
    add("truncated_mid_row.csv", GOOD[: GOOD.index(ROWS[3]) + 30], "line 5", "this row has")
    add("truncated_in_quotes.csv", two_rows + '2023,0,all,all,all,all,all,ended,"11 3', "line 4", "broken")
    add("stray_quote.csv", two_rows + '2023,0,"all,all,all,all,all,ended,5,count,false,imdi-nokkeltall-2023\n'
        + ROWS[2] + "\n", "line 4", "broken")
    add("giant_field.csv", _good_with(0, source="x" * 200_000), "line 2", "broken", "field larger than field limit")
    add("line_break_in_source.csv", _good_with(0, source='"imdi-nokkeltall\n2023"'),
        "line 2, column 'source'", "control character")
    # --- values
    add("text_in_number.csv", _good_with(0, value="many"), "line 2, column 'value'", "'many' is not a number")
    add("percent_sign_in_number.csv", _good_with(1, value='"41 %"'), "line 3, column 'value'", "'41 %' is not a number")
    add("empty_value.csv", _good_with(0, value=""), "line 2, column 'value'", "the value is empty")
    add("infinite_value.csv", _good_with(0, value="1e999"), "line 2, column 'value'", "too large")
    add("negative_count.csv", _good_with(0, value="-3"), "line 2, column 'value'", "negative count")
    add("fractional_count.csv", _good_with(2, value="12.5"), "line 4, column 'value'", "not a whole number")
    add("percent_over_100.csv", _good_with(1, value="141"), "line 3, column 'value'", "outside 0–100")
    add("year_as_excel_float.csv", _good_with(0, year="2023.0"), "line 2, column 'year'", "not a year")
    add("year_impossible.csv", _good_with(0, year="1899"), "line 2, column 'year'", "not a year")
    add("year_as_date.csv", _good_with(0, year="2023-01-01"), "line 2, column 'year'", "not a year")
    add("region_lost_leading_zero.csv", _good_with(2, region="301"), "line 4, column 'region'", "leading zero")
    add("approx_maybe.csv", _good_with(0, approx="maybe"), "line 2, column 'approx'", "not true or false")
    # --- codes
    add("unknown_group.csv", _good_with(0, group="everyone"), "line 2, column 'group'", "not a known value")
    add("unknown_country.csv", _good_with(0, country="Syria"), "line 2, column 'country'", "not a country")
    add("unknown_measure.csv", _good_with(0, measure="happiness"), "line 2, column 'measure'", "not a known measure")
    add("unit_does_not_match.csv", _good_with(0, unit="percent"), "line 2, column 'unit'",
        "measured in count, not percent")
    add("unknown_source.csv", _good_with(0, source="somewhere"), "line 2, column 'source'", "not a known source")
    add("empty_source.csv", _good_with(0, source=""), "line 2, column 'source'", "the source is empty")
    add("markup_in_code.csv", _good_with(0, group='"<script>alert(1)</script>"'), "line 2, column 'group'",
        "not a known value")
    # --- formulas a spreadsheet would run
    add("formula_cmd_in_source.csv", _good_with(0, source="\"=cmd|' /C calc'!A0\""), "line 2, column 'source'",
        "spreadsheet formula")
    add("formula_in_value.csv", _good_with(0, value="=SUM(A1:A3)"), "line 2, column 'value'", "not a number")
    add("formula_in_region.csv", _good_with(0, region="=1+1"), "line 2, column 'region'", "not a region code")
    add("formula_at_in_source.csv", _good_with(0, source="@SUM(1+1)*cmd|' /C calc'!A0"), "line 2, column 'source'",
        "spreadsheet formula")
    # --- contradictions
    add("duplicate_with_other_value.csv", GOOD + _row(0, value="11400") + "\n", "line 6, column 'value'",
        "lines 2, 6 give the same cell", "11381 vs 11400")
    return c


def make_corpus(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for case, content in _cases():
        (folder / case.name).write_bytes(content)
        cases.append(case)
    return cases
