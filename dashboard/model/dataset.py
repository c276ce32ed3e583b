"""Load and validate a tidy CSV into a Dataset, or refuse it with messages that name the place.

Nothing half-loaded is ever returned: `parse_table` either gives a complete, valid frame or raises
`DataError` with every problem it found (up to a cap), each naming file, line, column and what was
expected. Validation is vectorised so that a million-row cube loads in seconds.
"""
from __future__ import annotations

import codecs
import functools
import csv
import io
import os
import re
import stat
import threading
import time
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from . import dimensions as dims, schema
from .dimensions import CATEGORY_IDS, PLACE_IDS
from .schema import ALLOWED, COLUMNS, KEY, Measure, Source

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MB = 1024 * 1024  # as the settings and the README count: max_upload_bytes 2 MB is 2 097 152 bytes
MAX_PROBLEMS = 50
# A count of persons is whole and below this; anything larger is a typo or an attack (1e300 once made
# Babel raise on every view), never a figure of this programme.
MAX_COUNT = 10 ** 8
MAX_JSON_DEPTH = 32   # deeper JSON (a callback body, an uploaded .json) is refused before it is parsed


def too_large(size: int, limit: int, what: str = "the file is") -> str:
    """'the file is 2.9 MB; the limit is 2.0 MB', in the MB the settings use; in bytes when the two would
    read the same (a file one byte over the limit)."""
    a, b = f"{size / MB:.1f}", f"{limit / MB:.1f}"
    if a == b:
        return f"{what} {size} bytes; the limit is {limit} bytes ({b} MB)"
    return f"{what} {a} MB; the limit is {b} MB"


TRUE_WORDS = {"true", "1", "yes", "ja", "sann"}
FALSE_WORDS = {"false", "0", "no", "nei", "usann", ""}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        col = f", column '{self.column}'" if self.column else ""
        return f"{where}{col}: {self.message}"


class DataError(Exception):
    """A file was refused. `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TookTooLong(DataError):
    """A file refused because reading it ran past its time budget (parse_budget): a busy moment may be why,
    so unlike the file's own faults it is not remembered."""


@dataclass
class Dataset:
    cells: pd.DataFrame
    measures: dict[str, Measure]
    sources: dict[str, Source]
    origin: str = "published"  # "published" (shipped) or "user" (loaded by the user)
    name: str = ""
    by_measure: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        # Query speed: most look-ups name one measure, so split once here.
        self.by_measure = {str(m): g for m, g in self.cells.groupby("measure", observed=True, sort=False)}

    @functools.cached_property
    def years(self) -> list[int]:
        # Asked for by every view; on a million rows the unique() alone takes 6 ms. The cells never change.
        return sorted(int(y) for y in self.cells["year"].unique())

    def summary(self) -> str:
        c = self.cells
        regions = c["region"].astype(str)
        values = {d: sorted(set(c[d].astype(str)) - {"all"}) for d in CATEGORY_IDS}
        lines = [
            f"{len(c)} rows",
            f"years: {min(self.years)}–{max(self.years)}" if len(c) else "years: none",
            f"regions: {int((regions == '0').any())} country, {int((regions.str.len() == 2).sum() and regions[regions.str.len() == 2].nunique())} counties, "
            f"{int(regions[regions.str.len() == 4].nunique())} municipalities",
            f"measures: {c['measure'].nunique()} ({', '.join(sorted(map(str, c['measure'].unique()))[:12])}"
            + (", …)" if c['measure'].nunique() > 12 else ")"),
            "dimensions: " + "; ".join(f"{d}: {', '.join(v) if v else 'all only'}" for d, v in values.items())
            + "".join(f"; {d.id}: {c[d.id].nunique() - int((c[d.id] == 'all').any())} {d.plural}"
                      for d in dims.DIMENSIONS if d.kind == dims.CODE),
            f"sources: {c['source'].nunique()}",
        ]
        return "\n".join(lines)


_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')


def json_depth(raw: bytes | str) -> int:
    """How deeply a JSON text nests ([ and { outside strings), without parsing it (numpy over the bytes).

    json.loads, and Dash after it, recurse once per level: 100 000 levels is a RecursionError (a 500).
    A text that is not JSON gets some number; the parser refuses it afterwards."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if b"[" not in raw and b"{" not in raw:
        return 0
    if b"\\" not in raw:
        # No escapes (every callback body but a rare one): the brackets and quotes alone, in order, tell
        # the depth. bytes.translate keeps them in C, so a body of a few KB costs microseconds, not 80.
        raw = raw.translate(None, _NOT_STRUCTURE)
        if b'"' in raw:  # what lies between quotes is inside a string; an unclosed last string is not
            parts = raw.split(b'"')
            raw = b"".join(parts[::2] + (parts[-1:] if len(parts) % 2 == 0 else []))
        if len(raw) <= 4096:  # brackets alone now; numpy's fixed cost is more than a short loop
            return max(0, max(accumulate(1 if b in b"[{" else -1 for b in raw), default=0))
    elif b'"' in raw:
        raw = re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', raw)
    data = np.frombuffer(raw, dtype=np.uint8)
    step = np.zeros(256, dtype=np.int8)
    step[ord("[")] = step[ord("{")] = 1
    step[ord("]")] = step[ord("}")] = -1
    moves = step[data]
    moves = moves[moves != 0]
    return max(0, int(np.cumsum(moves, dtype=np.int64).max())) if len(moves) else 0


class _Budget(threading.local):
    deadline: float | None = None
    what: str = ""


_budget = _Budget()


class parse_budget:
    """`with parse_budget(seconds, name):` bounds the time a user's file may take to read; loops that can
    run long (the importers' rows and cells) call check_budget(), which refuses the file once it is spent."""

    def __init__(self, seconds: float | None, name: str):
        self.seconds, self.name = seconds, name

    def __enter__(self):
        self.outer = (_budget.deadline, _budget.what)
        if self.seconds:
            _budget.deadline, _budget.what = time.monotonic() + self.seconds, self.name
        return self

    def __exit__(self, *exc):
        _budget.deadline, _budget.what = self.outer
        return False


def check_budget() -> None:
    if _budget.deadline is not None and time.monotonic() > _budget.deadline:
        name = _budget.what
        _budget.deadline = None   # one refusal; the caller's `with` restores the outer budget
        raise TookTooLong([Problem(name, None, None, "the file takes too long to read; it is refused (split it "
                                                   "into smaller files, or import it with python -m dashboard "
                                                   "import)")])


def _shown(value: str) -> str:
    """A cell value quoted for a message: short, and never able to act as markup or a formula."""
    v = value if len(value) <= 40 else value[:37] + "…"
    return repr(v)


# Files larger than this are read by pandas' C reader when they are plain (see _fast_body); smaller ones,
# and any file that is not plain, by csv.reader.
FAST_READ_BYTES = 1 << 20
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # \t \n \r are judged by context
# Files people save by mistake instead of a CSV, told apart by their first bytes.
SIGNATURES = (
    (b"PK\x03\x04", "this is an Excel workbook or a zip file, not a CSV; in Excel use Save as > CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "this is an old Excel (.xls) file, not a CSV; in Excel use Save as > CSV UTF-8"),
    (b"%PDF", "this is a PDF file, not a CSV"),
    (b"\xff\xfe", "the file is UTF-16 text (Excel's 'Unicode text'); save it as CSV UTF-8"),
    (b"\xfe\xff", "the file is UTF-16 text (Excel's 'Unicode text'); save it as CSV UTF-8"),
)


def decode(raw: bytes, name: str) -> str:
    _check_head(raw, name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError([_not_utf8(raw, e.start, name)]) from None


def _not_utf8(raw: bytes, at: int, name: str) -> Problem:
    return Problem(name, raw[:at].count(b"\n") + 1, None,
                   f"the file is not UTF-8 text (byte 0x{raw[at]:02X} cannot be read); "
                   "save it as UTF-8 (in Excel: 'CSV UTF-8')")


def check_text(raw: bytes, name: str, block: int = 1 << 22) -> None:
    """What decode() checks, without keeping the text: UTF-8 is validated a block at a time."""
    _check_head(raw, name)
    decoder = codecs.getincrementaldecoder("utf-8")()
    for offset in range(0, len(raw), block):
        try:
            decoder.decode(raw[offset:offset + block], final=offset + block >= len(raw))
        except UnicodeDecodeError:
            decode(raw, name)  # not UTF-8: decode the whole file once to name the exact byte and line
            raise


def _check_head(raw: bytes, name: str) -> None:
    if not raw or raw.isspace():
        raise DataError([Problem(name, None, None, "the file is empty")])
    for magic, message in SIGNATURES:
        if raw.startswith(magic):
            raise DataError([Problem(name, None, None, message)])
    if b"\x00" in raw[:4096]:
        raise DataError([Problem(name, None, None,
                                 "this is not a text file (it contains binary data); expected a CSV file")])


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def read_rows(text: str, name: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Split CSV text into header, rows and each row's line number (1-based, header is line 1)."""
    return _read_rows(text, name)[:3]


def _read_rows(text: str, name: str) -> tuple[list[str], list[list[str]], list[int], str, bool]:
    """read_rows, plus the delimiter and whether a quoted field spans lines."""
    first = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise DataError([Problem(name, 1, None, f"the header line cannot be read ({e})")]) from None
    rows, lines = [], []
    end = reader.line_num  # a quoted field may span lines: a row is named by the line it starts on
    multiline = False
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            rows.append(row)
            lines.append(start)
            multiline = multiline or end > start
    except csv.Error as e:
        raise DataError([Problem(name, end + 1, None,
                                 f"the CSV is broken from here on ({e}); check quotes and line ends")]) from None
    return [h.replace("\ufeff", "").strip().lower() for h in header], rows, lines, delim, multiline


def _line_counts(data: np.ndarray, delimiter: int, block: int = 1 << 23):
    """Each line's start, and how many delimiters and visible characters it holds, a block of about 8 MB
    at a time (a mask of the whole file at once would cost a byte per byte, a running sum eight)."""
    newlines = np.concatenate([np.flatnonzero(data[o:o + block] == 10) + o for o in range(0, len(data), block)]
                              or [np.empty(0, np.int64)])
    starts = np.concatenate(([0], newlines + 1)).astype(np.int64)
    if starts[-1] == len(data):  # the file ends with a line break: no line after it
        starts = starts[:-1]
    invisible = np.frombuffer(b" \t\r\n" + bytes([delimiter]), np.uint8)
    n_delims = np.empty(len(starts), np.int32)
    n_visible = np.empty(len(starts), np.int32)
    i = 0
    while i < len(starts):
        j = max(int(np.searchsorted(starts, starts[i] + block, side="right")), i + 1)
        lo, hi = starts[i], (starts[j] if j < len(starts) else len(data))
        part, at = data[lo:hi], starts[i:j] - lo  # every line here includes its line break: never empty
        n_delims[i:j] = np.add.reduceat(part == delimiter, at, dtype=np.int32)
        n_visible[i:j] = np.add.reduceat(~np.isin(part, invisible), at, dtype=np.int32)
        i = j
    return starts, n_delims, n_visible


def _fast_body(raw: bytes, header: list[str], delimiter: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The data rows through pandas' C reader, or None when the file needs the careful path.

    Why: csv.reader makes a Python string of every cell (13 columns x 1M rows is about 700 MB); here each
    column is a categorical (a code per cell and one string per distinct value). The checks in parse_table
    work on both kinds of column.
    Only for plain files: no quotes (so no field spans lines and a delimiter always separates), no BOM
    inside, no blank-looking lines other than empty ones, and every row with as many fields as the header.
    Anything else goes through csv.reader, which names the line of each problem."""
    if b'"' in raw or raw.find(b"\xef\xbb\xbf", 3) != -1 or len(delimiter) != 1:  # (find: no copy of raw)
        return None
    if raw.count(b"\r") != raw.count(b"\r\n"):  # a lone CR ends a line for csv.reader, not here
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    starts, n_delims, n_visible = _line_counts(data, ord(delimiter))
    ends = np.append(starts[1:] - 1, len(data))  # where each line's break is (or the end of the file)
    line_numbers = np.arange(1, len(starts) + 1)
    body = slice(1, None)  # line 1 is the header
    length = ends - starts
    empty = (length == 0) | ((length == 1) & (data[np.minimum(starts, len(data) - 1)] == 13))
    blank = n_visible == 0
    if (blank & ~empty)[body].any() or (~blank & (n_delims != len(header) - 1))[body].any():
        return None
    # A row has a value in most columns; one with fewer visible bytes than columns may be a line of
    # delimiters and spaces this scan does not know (no-break space, form feed): the careful reader decides.
    if (~blank & (n_visible < len(header)))[body].any():
        return None
    rows = ~blank
    rows[0] = False
    if not rows.any():
        return None
    # As text, never as numbers (0301 stays 0301), a chunk at a time, each column kept as a categorical
    # (a small code per cell): the parser's buffers stay small and no column is a million pointers.
    reader = pd.read_csv(io.BytesIO(raw), sep=delimiter, header=None, skiprows=1, names=header, dtype=object,
                         na_filter=False, skip_blank_lines=True, quoting=csv.QUOTE_NONE, engine="c",
                         encoding="utf-8-sig", chunksize=200_000)
    parts: dict[str, list] = {c: [] for c in header}
    for chunk in reader:
        for c in header:
            parts[c].append(pd.Categorical(chunk[c].to_numpy()))
    df = pd.DataFrame({c: union_categoricals(parts.pop(c)) for c in header})
    if len(df) != int(rows.sum()):
        return None
    return df, line_numbers[rows]


def parse_table(raw: bytes, name: str, measures: dict[str, Measure], sources: dict[str, Source] | None,
                max_bytes: int = DEFAULT_MAX_BYTES, regions_by_year: bool = False,
                whole_lines: bool = False) -> pd.DataFrame:
    """Validate raw CSV bytes in the tidy format; return the frame or raise DataError.

    `sources=None` accepts any non-empty source id (a user's own file may cite its own sources).
    `regions_by_year`: every region code must have been in use in its row's year (data/regions/), as the
    page requires; load_dataset (so `check`) and uploads ask for it. `whole_lines`: the file must end with
    a line break (a file on disk that does not was cut off mid-row, or is still being written).

    The checks run in stages, and a stage with problems refuses the file before the next one starts:
    the file and its header, the rows' widths, a repeated header, then every cell, then repeated keys.
    """
    if len(raw) > max_bytes:
        raise DataError([Problem(name, None, None,
                                 too_large(len(raw), max_bytes))])
    df, line_no, header, delimiter, multiline = _read_frame(raw, name)
    problems: list[Problem] = []
    flag = _flagger(problems, name, df, line_no)
    # Two exports pasted together: the second header arrives as a data row; say only that.
    flag(df["year"].isin(("year", "Year", "YEAR")) & df["measure"].isin(("measure", "Measure", "MEASURE")), "year",
         lambda v, i: "this line repeats the header (two files joined?)")
    if problems:
        raise DataError(_capped(problems, name))
    # Control characters (NUL, line breaks inside quotes) are never part of a code or a source id.
    # Checking every cell costs seconds at a million rows, so a scan of the bytes decides if it is needed.
    if (multiline or CONTROL_BYTES.search(raw) or (delimiter != "\t" and b"\t" in raw)
            or (delimiter == "\t" and b'"' in raw)):
        for column in header:
            flag(df[column].str.contains(r"[\x00-\x1f\x7f]", regex=True), column,
                 lambda v, i: f"{_shown(v)} contains a control character (a line break or binary data)")
    year_num, year_ok = _check_years(df, flag)
    approx_l = _check_codes(df, flag, measures, sources, regions_by_year, year_ok)
    value = _check_values(df, flag)
    if problems:
        raise DataError(_capped(problems, name))

    # Categoricals from here on: a code per cell instead of a pointer, and the duplicate check below hashes
    # codes rather than strings (at a million rows this halves the loader's peak memory).
    out = pd.DataFrame({
        "year": year_num.astype("int16"),
        **{c: df[c].astype("category") for c in PLACE_IDS + ("measure",)},
        "value": value.astype("float64"), "unit": df["unit"].astype("category"),
        "approx": approx_l.isin(TRUE_WORDS), "source": df["source"].astype("category"),
        "basis": (df["basis"].replace("", "published") if "basis" in df
                  else pd.Series("published", index=df.index)).astype("category"),
    })
    del df, value, approx_l, year_num, flag  # (flag holds df too)
    out["_line"] = line_no
    out = _without_repeated_keys(out, name)
    if whole_lines and not raw.endswith((b"\n", b"\r")):
        last = raw[raw.rfind(b"\n") + 1:]
        raise DataError([Problem(name, raw.count(b"\n") + 1, None,
                                 f"the file ends in the middle of a line ({len(last)} bytes after the last line "
                                 "break): it may be cut off or still being written; a data file ends with a "
                                 "line break")])
    return out.drop(columns="_line").reset_index(drop=True)


def _read_frame(raw: bytes, name: str) -> tuple[pd.DataFrame, np.ndarray, list[str], str, bool]:
    """The data rows as a frame of stripped text, each row's line number, the header, the delimiter and
    whether a quoted field spans lines; or DataError for a file, a header or rows that cannot be taken.

    A large plain file goes through pandas' C reader (_fast_body); any other through csv.reader, which
    names the line of each problem. Both give the same frame."""
    text, header, rows, lines, delimiter, multiline = _read_head(raw, name)
    _check_columns(header, name)
    fast = None
    if text is None:
        fast = _fast_body(raw, header, delimiter)
        if fast is None:  # not a plain file: the careful reader, with a line number for each problem
            text = decode(raw, name)
            header, rows, lines, delimiter, multiline = _read_rows(text, name)
    if fast is None and not rows:
        raise DataError([Problem(name, None, None, "the file has a header but no data rows")])
    _check_widths(rows, lines, len(header), name)
    # Each copy is let go as soon as the next exists: the peak is what a million-row file may cost.
    if fast is not None:
        df, line_no = fast
        del fast
    else:
        df = pd.DataFrame(rows, columns=header, dtype=str)
        del rows
        if "\ufeff" in text:  # a BOM inside the file: two exports joined
            df = df.apply(lambda s: s.str.replace("\ufeff", "", regex=False))
        line_no = np.asarray(lines)
        del lines
    text = None
    for column in header:  # one column at a time: a whole second frame would double the peak
        df[column] = _strip(df[column])
    return df, line_no, header, delimiter, multiline


def _read_head(raw: bytes, name: str) -> tuple[str | None, list[str], list[list[str]], list[int], str, bool]:
    """The text, header, rows, line numbers, delimiter and multiline flag of `_read_rows`; for a large file
    whose first line is plain, only the header and delimiter (text None, no rows: _fast_body reads them)."""
    head = raw[: raw.find(b"\n")] if b"\n" in raw[:1 << 16] else b""
    if b"\r" in head.rstrip(b"\r"):  # lines end in a lone CR: the careful reader
        head = b""
    if len(raw) > FAST_READ_BYTES and head and b'"' not in head:
        # A large file is not decoded whole (a second copy of it): checked as UTF-8 in blocks, and its rows
        # read from the bytes by pandas' C reader (_fast_body).
        check_text(raw, name)
        first = head.decode("utf-8-sig")
        delimiter = _sniff_delimiter(first)
        header = [h.replace("\ufeff", "").strip().lower() for h in first.split(delimiter)]
        return None, header, [], [], delimiter, False
    text = decode(raw, name)  # refuses a file that is not UTF-8 text
    header, rows, lines, delimiter, multiline = _read_rows(text, name)
    return text, header, rows, lines, delimiter, multiline


def _check_columns(header: list[str], name: str) -> None:
    """Refuse a header that lacks a column, has an unknown one or names one twice (all three said at once)."""
    problems: list[Problem] = []
    expected = ", ".join(COLUMNS)
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + schema.OPTIONAL_COLUMNS]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s): {', '.join(missing)}; expected: {expected}"))
    if unknown:
        problems.append(Problem(name, 1, None, f"unknown column(s): {', '.join(_shown(u) for u in unknown)}; "
                                               f"expected: {expected} (and optionally basis)"))
    if dupes:
        problems.append(Problem(name, 1, None, f"column(s) given twice: {', '.join(dupes)}"))
    if problems:
        raise DataError(problems)


def _check_widths(rows: list[list[str]], lines: list[int], width: int, name: str) -> None:
    """Refuse rows with more or fewer fields than the header (the careful reader's rows; the fast one has
    already made sure every row fits)."""
    problems: list[Problem] = []
    for row, line in zip(rows, lines):
        if len(row) != width:
            problems.append(Problem(name, line, None, f"this row has {len(row)} fields; expected {width}"))
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise DataError(_capped(problems, name))


def _flagger(problems: list[Problem], name: str, df: pd.DataFrame, line_no: np.ndarray):
    """flag(mask, column, message_for): a problem in `problems` for each row the mask marks (up to
    MAX_PROBLEMS per check, then one line saying how many more), named by its line and column."""
    def flag(mask, column, message_for):
        idx = np.flatnonzero(np.asarray(mask))
        for i in idx[:MAX_PROBLEMS]:
            problems.append(Problem(name, int(line_no[i]), column, message_for(df[column].iat[i], i)))
        if len(idx) > MAX_PROBLEMS:
            problems.append(Problem(name, None, column, f"… and {len(idx) - MAX_PROBLEMS} more rows like these"))
    return flag


def _check_years(df: pd.DataFrame, flag) -> tuple[pd.Series, pd.Series]:
    """Flag cells of `year` that are not a year in range; return the years as numbers and where they are ok."""
    year_ok = df["year"].str.fullmatch(r"[0-9]{4}")
    year_num = pd.Series(pd.to_numeric(np.asarray(df["year"].where(year_ok), dtype=object), errors="coerce"),
                         index=df.index)
    year_ok &= year_num.between(*schema.YEAR_RANGE)
    flag(~year_ok, "year", lambda v, i: f"{_shown(v)} is not a year; expected four digits, e.g. 2023")
    return year_num, year_ok


def _check_codes(df: pd.DataFrame, flag, measures: dict[str, Measure], sources: dict[str, Source] | None,
                 regions_by_year: bool, year_ok: pd.Series) -> pd.Series:
    """Flag the cells that place a figure or say what it is (region to basis); return `approx` lower-cased."""
    flag(~(df["region"].str.fullmatch(schema.REGION_PATTERN.pattern) & df["region"].str.isascii()), "region",
         lambda v, i: f"{_shown(v)} is not a region code; expected 0 (Norway), two digits (county) or four "
                      "(municipality)" + ("; a spreadsheet may have dropped a leading zero (0301, not 301)"
                                          if v.isdigit() and len(v) in (1, 3) else ""))
    if regions_by_year:
        flag(_region_unknown(df["region"], df["year"], year_ok), "region",
             lambda v, i: f"{_shown(v)} is not a region code in use in {df['year'].iat[i]} (see data/regions/)")
    for dim, allowed in ALLOWED.items():
        flag(~df[dim].isin(allowed), dim,
             lambda v, i, allowed=allowed: f"{_shown(v)} is not a known value; expected one of: {', '.join(allowed)}")
    for d in dims.DIMENSIONS:
        if d.kind == dims.CODE:
            flag(~df[d.id].str.fullmatch(d.pattern), d.id, lambda v, i, d=d: f"{_shown(v)} {d.invalid}")
    known_measure = df["measure"].isin(list(measures))
    flag(~known_measure, "measure",
         lambda v, i: f"{_shown(v)} is not a known measure; see data/measures.csv for the list")
    flag(~df["unit"].isin(schema.UNITS), "unit", lambda v, i: f"{_shown(v)} is not a unit; expected count or percent")
    expected_unit = df["measure"].map({k: m.unit for k, m in measures.items()}).astype(object)
    flag(known_measure & df["unit"].isin(schema.UNITS) & (df["unit"].astype(object) != expected_unit), "unit",
         lambda v, i: f"measure {df['measure'].iat[i]} is measured in {expected_unit.iat[i]}, not {v}")
    approx_l = df["approx"].str.lower()
    flag(~approx_l.isin(TRUE_WORDS | FALSE_WORDS), "approx",
         lambda v, i: f"{_shown(v)} is not true or false")
    flag(df["source"] == "", "source", lambda v, i: "the source is empty; every number needs its source")
    # A source id is an identifier; one that a spreadsheet would run as a formula is refused outright.
    # (With a catalogue, it must also be a known id, and catalogue ids are checked the same way.)
    flag(df["source"].str.match(r"[=+\-@]"), "source",
         lambda v, i: f"{_shown(v)} looks like a spreadsheet formula; a source id is plain text")
    if sources is not None:
        flag((df["source"] != "") & ~df["source"].isin(list(sources)), "source",
             lambda v, i: f"{_shown(v)} is not a known source; see data/sources.csv")
    if "basis" in df:
        flag(~df["basis"].isin(("",) + schema.BASES), "basis",
             lambda v, i: f"{_shown(v)} is not a basis; expected published or computed")
    return approx_l


def _check_values(df: pd.DataFrame, flag) -> pd.Series:
    """Flag cells of `value` that are no number, or no possible figure of their unit; return the numbers."""
    # Numbers: accept decimal comma and spaces as thousands separators (Norwegian exports).
    cleaned = df["value"]
    if cleaned.str.contains(r"[\s\u00a0\u202f,]", regex=True).any():  # else no copy of a million strings
        cleaned = cleaned.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(",", ".", regex=False)
    numeric_ok = cleaned.str.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
    value = pd.Series(pd.to_numeric(np.asarray(cleaned.where(numeric_ok), dtype=object), errors="coerce"),
                      index=df.index)
    flag(~numeric_ok, "value", lambda v, i: f"{_shown(v)} is not a number" if v else "the value is empty")
    finite = np.isfinite(value.to_numpy(dtype="float64", na_value=np.nan))
    flag(numeric_ok & ~finite, "value", lambda v, i: f"{_shown(v)} is too large to be a figure")
    numeric_ok &= finite
    is_change = df["measure"].str.contains("change|gap", regex=True)
    is_count = df["unit"] == "count"
    flag(numeric_ok & is_count & ~is_change & (value < 0), "value",
         lambda v, i: f"{v} is a negative count; a count is 0 or more")
    flag(numeric_ok & is_count & ~is_change & (value >= 0) & (value % 1 != 0), "value",
         lambda v, i: f"{v} is not a whole number; a count of persons is whole")
    flag(numeric_ok & is_count & is_change & (value % 1 != 0), "value",
         lambda v, i: f"{v} is not a whole number; a change in a count of persons is whole")
    flag(numeric_ok & is_count & ~(value.abs() < MAX_COUNT), "value",
         lambda v, i: f"{v} is too large for a count of persons; a count lies below {MAX_COUNT:,}".replace(",", " "))
    flag(numeric_ok & (df["unit"] == "percent") & ~is_change & ~value.between(0, 100), "value",
         lambda v, i: f"{v} is outside 0–100; a percent share lies between 0 and 100")
    flag(numeric_ok & (df["unit"] == "percent") & is_change & ~value.between(-100, 100), "value",
         lambda v, i: f"{v} is outside −100–100; a change in percentage points lies between −100 and 100")
    return value


def _without_repeated_keys(out: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame with each key once. The same key twice with different values is a contradiction (refused,
    naming the lines); twice with the same value, a repeat (kept once)."""
    keyed = out.duplicated(list(KEY), keep=False)
    if not keyed.any():
        return out
    problems: list[Problem] = []
    dup = out[keyed]
    for _, g in dup.groupby(list(KEY), observed=True, sort=False):
        if g["value"].nunique() > 1:
            ls = ", ".join(str(x) for x in g["_line"].tolist()[:5])
            problems.append(Problem(name, int(g["_line"].iat[1]), "value",
                                    f"lines {ls} give the same cell ({_key_words(g.iloc[0])}) different values: "
                                    + " vs ".join(f"{v:g}" for v in g["value"].unique()[:5])))
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise DataError(_capped(problems, name))
    return out[~out.duplicated(list(KEY), keep="first")]


def _region_unknown(region: pd.Series, year: pd.Series, year_ok: pd.Series) -> np.ndarray:
    """Rows whose region code is well formed but was not a region in that year (data/regions/: 9999 or 77
    never were; 3024 Bærum only from 2020 to 2023). Checked once per distinct (code, year)."""
    from . import regions
    well_formed = (region.str.fullmatch(schema.REGION_PATTERN.pattern) & region.str.isascii()).fillna(False)
    ok = np.asarray(well_formed & year_ok.fillna(False), dtype=bool)
    out = np.zeros(len(region), dtype=bool)
    if not ok.any():
        return out
    pairs = pd.DataFrame({"r": np.asarray(region, dtype=object)[ok], "y": np.asarray(year, dtype=object)[ok]})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
    bad = np.array([regions.valid(str(r), int(y)) is None for r, y in uniques], dtype=bool)
    out[np.flatnonzero(ok)] = bad[codes]
    return out


def _strip(column: pd.Series) -> pd.Series:
    """Cells without their surrounding spaces; a column with none is returned as it is (no copy)."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # strip the distinct values, not every cell
        cats = column.cat.categories
        stripped = cats.str.strip()
        if (stripped == cats).all():
            return column
        codes, uniques = pd.factorize(stripped)
        return pd.Series(pd.Categorical.from_codes(codes[column.cat.codes.to_numpy()], uniques), index=column.index)
    values = pd.Series(pd.unique(column.to_numpy()))  # a handful in most columns: check those, not every cell
    padded = values.str.match(r"\s") | values.str.contains(r"\s$", regex=True)
    return column.str.strip() if padded.any() else column


def _key_words(row) -> str:
    return ", ".join(f"{k}={row[k]}" for k in KEY if str(row[k]) != "all")


def _capped(problems: list[Problem], name: str) -> list[Problem]:
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        return problems[:MAX_PROBLEMS] + [Problem(name, None, None, f"… and {rest} more problems")]
    return problems


CATEGORICAL = PLACE_IDS + ("measure", "unit", "source", "basis")


def _compact(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals cut memory several-fold on large cubes and make equality filters fast."""
    for c in CATEGORICAL:
        df[c] = df[c].astype("category")
    return df


CATALOGUE_COLUMNS = {
    "measures.csv": ("measure", "unit", "series", "label_nb", "label_en", "definition_nb", "definition_en"),
    "sources.csv": ("source", "publisher", "title", "date", "url"),
}
MEASURE_ID = r"[a-z][a-z0-9_]*"


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, refused by its size on disk before any of it is read into memory.

    Only a regular file is read: a FIFO or a device named figures.csv would block the reader (and every
    request waiting for it) or never end. It is opened without blocking and judged by fstat, so what is
    read is what was judged."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DataError([Problem(path.name, None, None, "this is not a regular file (a pipe, a device or a "
                                                        "socket); a data file must be a plain file")])
    size = info.st_size
    if size > max_bytes:
        os.close(fd)
        raise DataError([Problem(path.name, None, None,
                                 too_large(size, max_bytes))])
    os.set_blocking(fd, True)
    chunks, total = [], 0
    with open(fd, "rb") as fh:
        # In chunks, not read(max_bytes + 1): that would allocate the whole limit for a small file.
        # Stop one byte over the limit: a file that grew since stat() is then refused by parse_table.
        while total <= max_bytes and (chunk := fh.read(min(1 << 20, max_bytes + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def _catalogue(path: Path, reader, max_bytes: int) -> dict:
    """A catalogue (measures.csv, sources.csv) read by schema, or DataError naming what is wrong."""
    name = path.name
    try:
        header, _, _ = read_rows(decode(read_file(path, max_bytes), name), name)
        missing = [c for c in CATALOGUE_COLUMNS[name] if c not in header]
        if missing:
            raise DataError([Problem(name, 1, None, f"missing column(s): {', '.join(missing)}")])
        table = reader(path)
    except OSError as e:
        raise DataError([Problem(name, None, None, f"cannot be read: {e.strerror}")]) from None
    except (ValueError, KeyError, csv.Error) as e:  # UnicodeDecodeError is a ValueError
        raise DataError([Problem(name, None, None, f"cannot be read as a catalogue ({type(e).__name__})")]) from None
    problems = []
    for key, item in table.items():
        if name == "measures.csv" and not (re.fullmatch(MEASURE_ID, key) and item.unit in schema.UNITS):
            problems.append(Problem(name, None, "measure", f"{_shown(key)}: a measure id is lower-case letters, "
                                                           f"digits and _, and its unit count or percent"))
        if name == "sources.csv" and (not key or key[0] in "=+-@" or re.search(r"[\x00-\x1f\x7f]", key)):
            problems.append(Problem(name, None, "source", f"{_shown(key)} is not a plain source id"))
        # The page links a source's url: only web addresses, never javascript: or data:.
        if name == "sources.csv" and item.url and not re.match(r"https?://[^\s]+$", item.url, re.IGNORECASE):
            problems.append(Problem(name, None, "url", f"source {_shown(key)}: {_shown(item.url)} is not an "
                                                       "http(s) address"))
    if problems:
        raise DataError(_capped(problems, name))
    return table


def catalogues(data_dir: Path = DATA_DIR, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> tuple[dict[str, Measure], dict[str, Source]]:
    return (_catalogue(data_dir / "measures.csv", schema.read_measures, max_bytes),
            _catalogue(data_dir / "sources.csv", schema.read_sources, max_bytes))


CATALOGUE_FILES = {"measures.csv", "sources.csv"}


def data_files(path: Path) -> list[Path]:
    """The data files a path names: a file itself, or every tidy CSV in a folder (not the catalogues)."""
    if path.is_dir():
        # NAME.status.csv beside an import holds SSB's symbols (':' '..'), not figures: not data rows.
        return sorted(p for p in path.glob("*.csv")
                      if p.name not in CATALOGUE_FILES and not p.name.endswith(".status.csv"))
    return [path]


def load_dataset(path: Path | str | None = None, max_bytes: int | None = None) -> Dataset:
    """Load the shipped data (no path), a folder of tidy CSVs, or one file. Raise DataError if any is bad.

    `max_bytes` defaults to the max_data_bytes setting (INTRODASH_MAX_DATA_BYTES), so `check` obeys it too.
    """
    if max_bytes is None:
        from ..settings import get
        max_bytes = get("max_data_bytes")
    path = Path(path) if path else DATA_DIR
    if not path.exists():
        raise DataError([Problem(str(path), None, None, "no such file or folder")])
    cat_dir = path if (path.is_dir() and (path / "measures.csv").exists()) else DATA_DIR
    measures, sources = catalogues(cat_dir, max_bytes)
    if path.is_dir() and (path / "sources.csv").exists():
        sources = _catalogue(path / "sources.csv", schema.read_sources, max_bytes)
    files = data_files(path)
    if not files:
        raise DataError([Problem(str(path), None, None, "the folder holds no .csv data files")])
    frames, problems = [], []
    for f in files:
        try:
            frames.append(parse_table(read_file(f, max_bytes), f.name, measures, sources, max_bytes=max_bytes,
                                      regions_by_year=True, whole_lines=True))
        except DataError as e:
            problems.extend(e.problems)
        except OSError as e:
            problems.append(Problem(f.name, None, None, f"cannot be read: {e.strerror or e}"))
    if problems:
        raise DataError(problems)
    cells = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(frames) > 1:
        clash = cells.duplicated(list(KEY), keep=False) & ~cells.duplicated(list(KEY) + ["value"], keep=False)
        if clash.any():
            row = cells[clash].iloc[0]
            raise DataError([Problem(str(path), None, None,
                                     f"two files give the same cell ({_key_words(row)}) different values")])
        cells = cells.drop_duplicates(list(KEY)).reset_index(drop=True)
    return Dataset(_compact(cells), measures, sources, origin="published", name=str(path))


def dataset_from_bytes(raw: bytes, name: str, base: Dataset | None = None,
                       max_bytes: int = DEFAULT_MAX_BYTES) -> Dataset:
    """A user's own file (upload): validated like a shipped one; sources may be the user's own."""
    measures, sources = (base.measures, base.sources) if base else catalogues()
    cells = parse_table(raw, name, measures, None, max_bytes=max_bytes, regions_by_year=True)
    return Dataset(_compact(cells), measures, sources, origin="user", name=name)


def dataset_from_frame(df: pd.DataFrame, measures=None, sources=None, origin="published", name="") -> Dataset:
    """Build a Dataset from an already-valid frame (generated cubes in tests and benchmarks)."""
    if measures is None or sources is None:
        measures, sources = catalogues()
    df = df.copy()
    if "basis" not in df:
        df["basis"] = "published"
    return Dataset(_compact(df[list(COLUMNS) + ["basis"]]), measures, sources, origin=origin, name=name)
