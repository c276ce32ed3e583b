"""Cells out: the tidy CSV that /data.csv serves and `check` accepts."""
from __future__ import annotations

import csv
import io

from ..model import dimensions as dims
from ..model.query import Cell
from ..model.schema import COLUMNS
from .i18n import rounded
from .text import formula

EXPORT_COLUMNS = COLUMNS + ("basis", "formula")


def safe_text(value: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula: neutralise it."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def number_text(value: float) -> str:
    """The value column: whole numbers whole, others to one decimal, rounded as the page rounds them (i18n)."""
    if float(value).is_integer():
        return str(int(value))
    return str(rounded(value, 1 if abs(value) < 1e6 else 0))


def cells_to_csv(cells: list[Cell], lang: str = "en") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EXPORT_COLUMNS)
    for c in cells:
        r = c.row()
        text = [r[d] for d in dims.IDS] + [r["measure"]]
        rest = [c.unit, "true" if c.approx else "false", c.source, c.basis, formula(c, lang) if c.computed else ""]
        # Every text cell goes through safe_text (a user's file may carry any text); the number does not.
        w.writerow([safe_text(str(v)) for v in text] + [number_text(c.value)] + [safe_text(str(v)) for v in rest])
    return buf.getvalue()
