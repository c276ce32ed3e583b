"""A municipality's own spreadsheet (CSV or .xlsx), one row per municipality and year -> the tidy format.

As a municipality would export it: Norwegian headers, semicolons, decimal commas, thousands spaces,
perhaps a byte-order mark (Excel's "CSV UTF-8") or Windows-1252 (Excel's plain "CSV"), perhaps title
rows above the header (.xlsx), perhaps SSB's symbols (`.` `..` `:` …) in cells. An empty cell is no
figure (never 0). A symbol is kept as a symbol (ImportResult.status, NAME.status.csv), never a number.

Headers are matched without regard to case, spaces or the form of the percent sign ("Andel arbeid
(%)", "andel arbeid %"). Every header must be known; an unknown one is refused by name.

| header (any of)                                         | column / measure id               | unit    |
|---------------------------------------------------------|-----------------------------------|---------|
| Kommunenummer, Kommunenr, Knr, Regionnummer             | region (4 digits; Excel's 301 -> 0301) | –  |
| Kommune, Kommunenavn                                    | checked against the code's name that year | – |
| Fylkesnummer, Fylke (a number)                          | checked against the code's county that year | – |
| År, Aar, Årstall, Year                                  | year                              | –       |
| Kjønn (Alle/Begge kjønn/I alt, Menn, Kvinner)           | gender (default all)              | –       |
| Gruppe, Målgruppe (Alle, Fordrevne fra Ukraina/Ukraina, Øvrige/Andre) | group (default all) | – |
| Kilde                                                   | source (else --source)            | –       |
| Avsluttet, Antall avsluttet, Avsluttet program          | ended                             | count   |
| Gikk til arbeid, Til arbeid                             | to_work_count                     | count   |
| Gikk til utdanning, Til utdanning                       | to_education_count                | count   |
| Gikk til arbeid eller utdanning, Arbeid eller utdanning | to_work_or_education_count        | count   |
| Verken arbeid eller utdanning                           | neither_work_nor_education_count  | count   |
| Gikk til grunnskole, Grunnskole                         | to_primary_school_count           | count   |
| Gikk til arbeidsrettede tiltak, Arbeidsrettede tiltak   | to_labour_measures_count          | count   |
| Annen årsak, Andre årsaker                              | other_reason_count                | count   |
| Uten registrert avslutningsårsak                        | no_end_reason                     | count   |
| Deltakere, Antall deltakere                             | participants                      | count   |
| Startet, Nye deltakere                                  | started                           | count   |
| Andel arbeid (%), Andel til arbeid (%)                  | to_work                           | percent |
| Andel utdanning (%), Andel til utdanning (%)            | to_education                      | percent |
| Andel arbeid eller utdanning (%), Måloppnåelse (%)      | to_work_or_education              | percent |
| Andel verken arbeid eller utdanning (%)                 | neither_work_nor_education        | percent |
| Andel grunnskole (%)                                    | to_primary_school                 | percent |
| Andel arbeidsrettede tiltak (%)                         | to_labour_measures                | percent |
| Andel annen årsak (%)                                   | other_reason                      | percent |

The figures are IMDi's definitions (status directly after the programme); a municipality whose own
definition differs should not use these headers. The output goes through dataset.parse_table.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from ..model import dimensions, regions
from ..model.dataset import DataError, Problem, check_budget, too_large
from ..model.schema import Measure
from .common import SYMBOLS, ImportResult, status_row

MEASURE_HEADERS = {
    "ended": ("avsluttet", "antall avsluttet", "avsluttet program", "avsluttede"),
    "to_work_count": ("gikk til arbeid", "til arbeid", "antall til arbeid"),
    "to_education_count": ("gikk til utdanning", "til utdanning", "antall til utdanning"),
    "to_work_or_education_count": ("gikk til arbeid eller utdanning", "arbeid eller utdanning"),
    "neither_work_nor_education_count": ("verken arbeid eller utdanning", "gikk verken til arbeid eller utdanning"),
    "to_primary_school_count": ("gikk til grunnskole", "grunnskole"),
    "to_labour_measures_count": ("gikk til arbeidsrettede tiltak", "arbeidsrettede tiltak"),
    "other_reason_count": ("annen årsak", "andre årsaker"),
    "no_end_reason": ("uten registrert avslutningsårsak",),
    "participants": ("deltakere", "antall deltakere"),
    "started": ("startet", "nye deltakere"),
    "to_work": ("andel arbeid %", "andel til arbeid %", "andel gikk til arbeid %"),
    "to_education": ("andel utdanning %", "andel til utdanning %", "andel gikk til utdanning %"),
    "to_work_or_education": ("andel arbeid eller utdanning %", "andel til arbeid eller utdanning %",
                             "måloppnåelse %"),
    "neither_work_nor_education": ("andel verken arbeid eller utdanning %",),
    "to_primary_school": ("andel grunnskole %", "andel til grunnskole %"),
    "to_labour_measures": ("andel arbeidsrettede tiltak %",),
    "other_reason": ("andel annen årsak %", "andel andre årsaker %"),
}
# Headers of the columns that place a row: the dimensions' (dimensions.py: sheet_headers) and a few more.
ID_HEADERS = {
    **{d.id: d.sheet_headers for d in dimensions.DIMENSIONS if d.sheet_headers},
    "region_name": ("kommune", "kommunenavn"),
    "county": ("fylkesnummer", "fylke", "fylkesnr"),
    "source": ("kilde",),
}
# The dimensions a spreadsheet may split by, each with the cell texts it knows (dimensions.py: sheet_values).
SHEET_DIMENSIONS = tuple(d for d in dimensions.DIMENSIONS if d.sheet_values)
TOTAL_WORDS = {"i alt", "totalt", "sum", "alle kommuner", "hele landet"}


def norm_header(h) -> str:
    """'Andel arbeid (%)', 'andel arbeid %' and ' ANDEL  ARBEID, %' are one header."""
    t = str(h or "").replace("\ufeff", "").replace("\u00a0", " ").casefold().strip()
    t = re.sub(r"\(\s*%\s*\)|,\s*%|\bi\s*%|\bprosent\b", " %", t)
    t = re.sub(r"\s+", " ", t).strip(" :")
    return t


HEADER_MAP = {norm_header(h): ("measure", mid) for mid, hs in MEASURE_HEADERS.items() for h in hs}
HEADER_MAP.update({norm_header(h): (col, None) for col, hs in ID_HEADERS.items() for h in hs})


def _decode(raw: bytes, name: str, notes: list[str]) -> str:
    if not raw.strip():
        raise DataError([Problem(name, None, None, "the file is empty")])
    if b"\x00" in raw[:4096]:
        raise DataError([Problem(name, None, None, "this is not a text file; expected CSV or .xlsx")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Norwegian Windows machine is Windows-1252; say that it was read so.
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's plain CSV). "
                     "Check æ, ø and å in the names, or save as 'CSV UTF-8'")
        return raw.decode("cp1252", errors="replace")


def read_csv(raw: bytes, name: str, notes: list[str]) -> list[tuple[int, list]]:
    text = _decode(raw, name, notes)
    from ..settings import get
    if text.count("\n") > 20 * get("max_xlsx_rows"):   # (a CSV is bounded by the upload size and the budget)
        raise DataError([Problem(name, None, None, f"the file has {text.count(chr(10)):,} lines; the limit is "
                                                   f"{20 * get('max_xlsx_rows'):,}".replace(",", " "))])
    first = text.split("\n", 1)[0]
    delim = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    out = []
    try:
        for row in reader:
            out.append((reader.line_num, row))
    except csv.Error as e:
        raise DataError([Problem(name, reader.line_num, None, f"the CSV is broken here ({e})")]) from None
    return out


def _xlsx_limits(raw: bytes, name: str) -> None:
    """Refuse a workbook whose unpacked size, rows or shared strings exceed the settings, from the zip's
    directory and a streamed count of tags, before openpyxl builds anything (2M shared strings fit in
    84 KB of zip and cost openpyxl 28 s; 200 000 empty rows in 50 KB, 17 s)."""
    import zipfile
    from ..settings import get
    max_bytes, max_rows, max_strings = get("max_xlsx_bytes"), get("max_xlsx_rows"), get("max_xlsx_strings")

    def refuse(message):
        raise DataError([Problem(name, None, None, message)])
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: openpyxl refuses it below with its own message
    total = sum(i.file_size for i in infos)
    if total > max_bytes or len(infos) > 1000:
        refuse(too_large(total, max_bytes, "the workbook unpacks to").replace(";", f" in {len(infos)} parts;", 1)
               .replace("the limit is", "the limit (setting max_xlsx_bytes) is", 1))
    row_tags, string_tags = (b"<row", b":row "), (b"<si>", b"<si ", b":si>", b":si ")
    for info in infos:
        lower = info.filename.lower()
        if lower.endswith("sharedstrings.xml"):
            tags, limit, what = string_tags, max_strings, "shared strings"
        elif lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
            tags, limit, what = row_tags, max_rows, "rows in a sheet"
        else:
            continue
        # bytes.count, not a regex: nothing is allocated per tag (a closing </x:row> has no space after it).
        count, tail, keep = 0, b"", max(len(t) for t in tags) - 1
        try:
            with zf.open(info) as fh:
                read = 0
                while chunk := fh.read(1 << 20):
                    read += len(chunk)
                    if read > info.file_size:  # a zip directory that under-states the size
                        refuse("the workbook's parts are larger than its directory says")
                    block = tail + chunk  # a tag cut by the chunk's end is whole here, and counted once
                    count += sum(block.count(t) - tail.count(t) for t in tags)  # (one wholly in tail was counted)
                    tail = block[-keep:]
                    if count > limit:
                        break
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            refuse("this is not an .xlsx workbook Excel can open (a damaged part); save it as .xlsx or as "
                   "'CSV UTF-8'")
        if count > limit:
            refuse(f"the workbook has more than {limit:,} {what}; the limit is {limit:,} (setting "
                   f"{'max_xlsx_strings' if what == 'shared strings' else 'max_xlsx_rows'})".replace(",", " "))


def read_xlsx(raw: bytes, name: str, notes: list[str]) -> tuple[str, list[tuple[int, list]]]:
    """The first sheet with a known header in its first 20 rows: (sheet title, [(row number, cells)])."""
    _xlsx_limits(raw, name)  # (before openpyxl is even imported: a refused workbook costs milliseconds)
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        check_budget()
        formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except DataError:
        raise                # the time budget ran out between the two readings
    except Exception as e:   # openpyxl raises many kinds for a file that is not a workbook
        raise DataError([Problem(name, None, None, f"this is not an .xlsx workbook Excel can open ({type(e).__name__})"
                                 "; save it as .xlsx or as 'CSV UTF-8'")]) from None
    for ws in wb.worksheets:
        rows = []
        fws = formulas[ws.title]
        for (i, cells), fcells in zip(enumerate(ws.iter_rows(), start=1), fws.iter_rows()):
            if not i & 255:
                check_budget()
            values = []
            for c, f in zip(cells, fcells):
                v = getattr(c, "value", None)
                fv = getattr(f, "value", None)
                if v is None and isinstance(fv, str) and fv.startswith("="):
                    raise DataError([Problem(f"{name} (sheet '{ws.title}')", i, None,
                                             f"cell {f.coordinate} holds a formula with no saved result; open the "
                                             "file in Excel and save it, or paste the values")])
                if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in str(getattr(c, "number_format", "")):
                    v = v * 100    # Excel stores 41 % as 0.41
                values.append(v)
            rows.append((i, values))
        if any(_header_score(r) for _, r in rows[:20]):
            return ws.title, rows
    raise DataError([Problem(name, None, None, "no sheet has a header row this importer knows "
                                               "(such as 'Kommunenummer', 'År', 'Avsluttet')")])


def _header_score(row) -> bool:
    kinds = [HEADER_MAP.get(norm_header(c), (None,))[0] for c in row if c not in (None, "")]
    return dimensions.REGION in kinds and dimensions.YEAR in kinds


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    t = re.sub(r"[\s\u00a0\u202f]", "", str(v)).rstrip("%").replace("−", "-")
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", t):     # 1.234,5: dot for thousands, comma for decimals
        t = t.replace(".", "")
    t = t.replace(",", ".")
    return float(t) if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", t) else None


def to_result(raw: bytes, name: str, measures: dict[str, Measure], source: str | None = None) -> ImportResult:
    """Convert the spreadsheet to tidy rows (not yet validated: see common.validate)."""
    notes: list[str] = []
    where = name
    if raw[:4] == b"PK\x03\x04":
        title, table = read_xlsx(raw, name, notes)
        where = f"{name} (sheet '{title}')"
    else:
        table = read_csv(raw, name, notes)
    problems: list[Problem] = []
    head_at, columns = _header_row(table, where)
    head_line, header = table[head_at]
    col = {k[0]: j for j, k in enumerate(columns) if k and k[0] != "measure"}
    measure_cols = [(j, k[1]) for j, k in enumerate(columns) if k and k[0] == "measure"]
    if source is None and "source" not in col:
        raise DataError([Problem(where, head_line, None, "no source: add a 'Kilde' column or give --source")])

    result = ImportResult([], [], notes, [], name=where)
    padded = set()
    for k, (line, cells) in enumerate(table[head_at + 1:]):
        if not k & 1023:
            check_budget()
        row = _Row(where, line, list(cells) + [None] * (len(header) - len(cells)), header, col)
        if all(c is None or not str(c).strip() for c in row.cells):
            continue
        coords = _row_coords(row, notes, padded)
        if isinstance(coords, Problem):
            problems.append(coords)
        elif coords is not None:
            src = str(row.cell("source") or source or "").strip()
            _row_figures(row, coords, src, measure_cols, measures, result, problems)
            if len(problems) >= 50:  # checked only after a row that got as far as its figures
                break
    if padded:
        notes.append(f"municipality numbers with three digits ({', '.join(sorted(padded)[:5])}…) were read with a "
                     "leading zero (Excel drops it): 301 -> 0301")
    if problems:
        raise DataError(problems)
    return result


def _header_row(table: list[tuple[int, list]], where: str) -> tuple[int, list[tuple[str, str | None] | None]]:
    """Where the header is (the first row that names a region and a year: a title may stand above it) and
    what each of its columns is (HEADER_MAP's kind, None for an empty one); DataError for a header with an
    unknown column, two columns that mean the same, or no column of figures."""
    head_at = next((k for k, (_, row) in enumerate(table[:20]) if _header_score(row)), None)
    if head_at is None:
        first = next((row for _, row in table if any(str(c or "").strip() for c in row)), [])
        raise DataError([Problem(where, table[0][0] if table else None, None,
                                 "no header row with a municipality number and a year was found; the first row "
                                 f"reads: {', '.join(repr(str(c)) for c in first[:8] if c not in (None, ''))}")])
    head_line, header = table[head_at]
    columns = []
    unknown = []
    for j, h in enumerate(header):
        if h in (None, "") or not str(h).strip():
            columns.append(None)
            continue
        kind = HEADER_MAP.get(norm_header(h))
        if kind is None:
            unknown.append(str(h).strip())
        columns.append(kind)
    if unknown:
        known = sorted({h for hs in list(MEASURE_HEADERS.values()) + list(ID_HEADERS.values()) for h in hs})
        raise DataError([Problem(where, head_line, None,
                                 f"unknown column(s): {', '.join(repr(u) for u in unknown)}. Known headers: "
                                 f"{'; '.join(known)} (see dashboard/importers/spreadsheet.py)")])
    seen = [k for k in columns if k is not None]
    dupes = sorted({str(k[1] or k[0]) for k in seen if seen.count(k) > 1})
    if dupes:
        raise DataError([Problem(where, head_line, None, f"two columns mean the same: {', '.join(dupes)}")])
    if not any(k and k[0] == "measure" for k in columns):
        raise DataError([Problem(where, head_line, None, "no column with figures (such as 'Avsluttet')")])
    return head_at, columns


@dataclass
class _Row:
    """One data row (padded to the header's width), and what names the place of a problem in it."""
    where: str
    line: int
    cells: list
    header: list
    col: dict          # an id column's kind -> its index

    def cell(self, key):
        j = self.col.get(key)
        v = self.cells[j] if j is not None else None
        return v.strip() if isinstance(v, str) else v

    def problem(self, key: str, message: str) -> Problem:
        return Problem(self.where, self.line, self.header[self.col[key]], message)


def _row_coords(row: _Row, notes: list[str], padded: set[str]) -> dict | Problem | None:
    """A row's coordinates (year, region, the sheet's dimensions), the Problem that keeps it from having
    them, or None for a total row (left out, with a note). The checks run in the order they are listed."""
    code = row.cell(dimensions.REGION)
    label = str(row.cell("region_name") or "").strip()
    if code in (None, ""):
        if label.casefold() in TOTAL_WORDS:
            notes.append(f"line {row.line}: the total row ('{label}') is left out; the app adds nothing up")
            return None
        return row.problem(dimensions.REGION, "the municipality number is empty")
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    code = str(code)
    if re.fullmatch(r"\d{3}", code):
        padded.add(code)
        code = "0" + code
    year_v = row.cell(dimensions.YEAR)
    if isinstance(year_v, (datetime, date)):
        return row.problem(dimensions.YEAR, "the year is formatted as a date; write it as a number such as 2023")
    year_s = str(int(year_v)) if isinstance(year_v, float) and year_v.is_integer() else str(year_v or "")
    if not re.fullmatch(r"\d{4}", year_s):
        return row.problem(dimensions.YEAR, f"{year_s!r} is not a year")
    year = int(year_s)
    r = regions.valid(code, year) if re.fullmatch(r"\d{4}", code) else None
    if r is None:
        return row.problem(dimensions.REGION, f"{code!r} is not a municipality number in use in {year}")
    if label:
        names = {n.casefold() for n in (r.name, regions.base_name(r.name)) + r.aliases}
        if label.casefold() not in names and regions.base_name(label).casefold() not in names:
            return row.problem("region_name", f"{code} is {r.name} in {year}, not {label!r}; check the columns")
    county = row.cell("county")
    if county not in (None, "") and re.fullmatch(r"\d{1,2}", str(county).split(".")[0]):
        if str(county).split(".")[0].zfill(2) != r.county:
            return row.problem("county", f"{code} {r.name} was in county {r.county} in {year}, not {county}")
    split = {d.id: (d.sheet_values.get(str(row.cell(d.id) or "alle").casefold()) if d.id in row.col else dimensions.ALL)
             for d in SHEET_DIMENSIONS}
    bad = next((d for d in SHEET_DIMENSIONS if split[d.id] is None), None)
    if bad is not None:
        return row.problem(bad.id, f"{row.cell(bad.id)!r} is not known; expected one of: {', '.join(bad.sheet_values)}")
    return {**dimensions.margins(), dimensions.YEAR: year, dimensions.REGION: code, **split}


def _row_figures(row: _Row, coords: dict, src: str, measure_cols: list[tuple[int, str]],
                 measures: dict[str, Measure], result: ImportResult, problems: list[Problem]) -> None:
    """A row's figures into result.rows (a symbol into result.status; an empty cell is no figure, not 0)."""
    for j, mid in measure_cols:
        v = row.cells[j]
        if v is None or (isinstance(v, str) and not v.strip()):
            continue                                   # no figure, not zero
        if isinstance(v, str) and v.strip() in SYMBOLS:
            result.status.append(status_row(coords, mid, v.strip(), src))
            continue
        m = measures[mid]
        x = _number(v)
        if x is None:
            problems.append(Problem(row.where, row.line, str(row.header[j]).strip(), f"{str(v)!r} is not a number"))
            continue
        result.rows.append({**coords, "measure": mid, "value": x, "unit": m.unit, "approx": False, "source": src})
        result.lines.append(row.line)
