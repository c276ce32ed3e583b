"""What every importer shares: the result it returns, SSB's symbols, validation and the files it writes.

An importer turns a foreign format into rows of the tidy format (schema.COLUMNS) and nothing else: no
number is changed except where its docstring says so (SSB's measurement year -> cohort year). A cell
that holds one of SSB's symbols instead of a number is never written as a number: it goes to
`ImportResult.status` and, on disk, to NAME.status.csv beside NAME.csv:

  NAME.status.csv  columns: year, region, group, gender, education, age, country, measure, status,
                   meaning, source
                   one row per cell that has a symbol (`.` `..` `...` `:` `-`) and no number, in the
                   same coordinates as NAME.csv, so the app can show the symbol and its meaning.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..model.dataset import DataError, Problem, parse_table
from ..model.schema import COLUMNS, DIMENSIONS

# SSB's standard table symbols (standardtegn), with SSB's own wording.
SYMBOLS = {
    ".": ("Ikke mulig å oppgi tall: kategorien var ikke i bruk", "Not applicable: the category was not in use"),
    "..": ("Tallgrunnlag mangler eller er for usikkert", "Data not available or too uncertain"),
    "...": ("Tall foreløpig ikke tilgjengelig", "Not yet available"),
    ":": ("Vises ikke av konfidensialitetshensyn", "Suppressed for confidentiality"),
    "-": ("Null", "Nil (SSB's sign for a true zero; written as a symbol, not as 0)"),
}
STATUS_COLUMNS = DIMENSIONS + ("measure", "status", "meaning", "source")


@dataclass
class ImportResult:
    rows: list[dict]                                  # tidy rows, value a number
    status: list[dict] = field(default_factory=list)  # cells with a symbol and no number
    notes: list[str] = field(default_factory=list)    # what was converted or left out, in words
    lines: list[int | None] = field(default_factory=list)  # each row's line in the source (spreadsheets)
    name: str = ""
    suggested_source: str = ""                        # a sources.csv line for a new source

    def summary(self) -> str:
        df = pd.DataFrame(self.rows)
        out = [f"{len(self.rows)} rows"]
        if len(df):
            out.append(f"years: {df['year'].min()}–{df['year'].max()}")
            regions = df["region"].astype(str)
            out.append(f"regions: {int((regions == '0').any())} country, "
                       f"{regions[regions.str.len() == 2].nunique()} counties, "
                       f"{regions[regions.str.len() == 4].nunique()} municipalities")
            out.append(f"measures: {', '.join(sorted(df['measure'].unique()))}")
        if self.status:
            counts = pd.Series([s["status"] for s in self.status]).value_counts()
            out.append("cells with an SSB symbol instead of a number (not written as numbers): "
                       + ", ".join(f"'{k}' {v}" for k, v in counts.items()))
        out += self.notes
        return "\n".join(out)


def symbol_meaning(symbol: str, lang: str = "en") -> str:
    nb, en = SYMBOLS.get(symbol, ("ukjent symbol", "unknown symbol"))
    return en if lang == "en" else nb


def status_row(coords: dict, measure: str, symbol: str, source: str) -> dict:
    return {**{d: coords[d] for d in DIMENSIONS}, "measure": measure, "status": symbol,
            "meaning": symbol_meaning(symbol), "source": source}


def format_value(v: float) -> str:
    """A number as the tidy files write it: integral without decimals, else as short as exact."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(round(v, 10))


def to_csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([format_value(r[c]) if c == "value" else
                    ("true" if r[c] else "false") if c == "approx" else r[c] for c in columns])
    return buf.getvalue().encode("utf-8")


def validate(result: ImportResult, measures, sources) -> pd.DataFrame:
    """The rows through dataset.parse_table, so an import is held to exactly the loader's rules.

    Problems are reported at the line of the source file where the importer knows it.
    """
    if not result.rows:
        raise DataError([Problem(result.name, None, None, "nothing to import: no cell with a number was found"
                                 + (f" ({len(result.status)} cells hold only SSB symbols)" if result.status else ""))])
    try:
        return parse_table(to_csv_bytes(result.rows), result.name, measures, sources)
    except DataError as e:
        if not result.lines:
            raise
        mapped = []
        for p in e.problems:
            line = p.line
            if line and 2 <= line < len(result.lines) + 2:
                line = result.lines[line - 2]
            elif line == 1:
                line = None     # the generated header is ours, not the user's
            mapped.append(Problem(p.file, line, p.column, p.message))
        raise DataError(mapped) from None


def status_path(out: Path) -> Path:
    return out.with_name(out.stem + ".status.csv")


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_outputs(result: ImportResult, out: Path) -> list[Path]:
    """NAME.csv, and NAME.status.csv when any cell holds a symbol (a stale one is removed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, to_csv_bytes(result.rows))
    written = [out]
    side = status_path(out)
    if result.status:
        write_atomic(side, to_csv_bytes(result.status, STATUS_COLUMNS))
        written.append(side)
    elif side.exists():
        side.unlink()
    return written
