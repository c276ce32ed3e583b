"""The rows of data/figures.csv, read with the csv module alone: what a chart draws is checked against the
file its numbers come from, not against the code that put them there."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

FIGURES = Path(__file__).resolve().parent.parent / "data" / "figures.csv"
PLACE = ("region", "group", "gender", "education", "age", "country")


@lru_cache(maxsize=1)
def rows() -> tuple[dict, ...]:
    with open(FIGURES, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def values(measure: str, year: int, **place: str) -> set[float]:
    """Every value published for one cell (any source); the place not given is the whole country, everyone."""
    want = {"region": "0", **{d: "all" for d in PLACE[1:]}, **place}
    return {float(r["value"]) for r in rows() if r["measure"] == measure and int(r["year"]) == year
            and all(r[d] == v for d, v in want.items())}


def is_published(cell) -> bool:
    """The cell is a row of figures.csv: the same place, measure, year, value and source."""
    return any(r["measure"] == cell.measure and int(r["year"]) == cell.year and float(r["value"]) == cell.value
               and r["source"] == cell.source and all(r[d] == getattr(cell.coords, d) for d in PLACE)
               for r in rows())


def backed(cell) -> bool:
    """Published, or computed from published cells only (and marked so)."""
    if cell.computed:
        return bool(cell.inputs) and all(is_published(i) for i in cell.inputs)
    return is_published(cell)


def nb(text: str) -> str:
    """Text with its no-break spaces as plain spaces, to compare with what a reader sees."""
    return text.replace("\u00a0", " ")
