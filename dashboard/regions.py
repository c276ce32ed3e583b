"""Region codes and names by year, from SSB's classifications (via bord4-data, MIT; see data/regions/).

A code means different places in different structures (06 was Buskerud until 2020, Viken's 30 from
2020 to 2023, Buskerud's 33 from 2024), so every look-up names the year.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

REGIONS_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"
HISTORY = "norwegian_regions_history.csv"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str          # country | county | municipality
    county: str         # the county code ("" for the country)
    valid_from: date
    valid_to: date | None

    def valid_in(self, year: int) -> bool:
        # Valid during the year if it exists on 1 January of that year or starts within it.
        start, end = date(year, 1, 1), date(year, 12, 31)
        return self.valid_from <= end and (self.valid_to is None or self.valid_to > start)


NORWAY = Region("0", "Norge", "country", "", date(1800, 1, 1), None)


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    path = REGIONS_DIR / HISTORY
    if not path.exists():
        return (NORWAY,)
    out = [NORWAY]
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            level = {"fylke": "county", "kommune": "municipality"}.get(r["nivå"], r["nivå"])
            out.append(Region(r["regionnummer"], r["regionnavn"], level, r["fylkesnummer"],
                              date.fromisoformat(r["gyldig_fra"]),
                              date.fromisoformat(r["gyldig_til"]) if r["gyldig_til"] else None))
    return tuple(out)


def region(code: str, year: int | None) -> Region | None:
    """The region a code named in a year (the latest structure when the year is not known)."""
    matches = [r for r in all_regions() if r.code == code]
    if not matches:
        return None
    if year is not None:
        inside = [r for r in matches if r.valid_in(year)]
        if inside:
            return max(inside, key=lambda r: r.valid_from)
    return max(matches, key=lambda r: r.valid_from)


def name(code: str, year: int | None = None, lang: str = "nb") -> str:
    if code == "0":
        return "Norway" if lang == "en" else "Norge"
    r = region(code, year)
    return r.name if r else code
