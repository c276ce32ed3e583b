"""The tidy data format: columns, dimensions, allowed values and the measure catalogue.

One row per published cell. `all` marks a margin. Everything that validates or queries data
takes its vocabulary from here, so a new category is added in one place.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from . import dimensions as dims

# Columns of the tidy format, in order: the dimensions (dimensions.py), then the measure and its value.
# `basis` is optional on input (published | computed).
COLUMNS = dims.IDS + ("measure", "value", "unit", "approx", "source")
OPTIONAL_COLUMNS = ("basis", "formula")  # the app's own exports carry both
# Dimensions that place a cell; with measure and source they form its key.
DIMENSIONS = dims.IDS
KEY = DIMENSIONS + ("measure", "source")
# Dimensions the user filters by (year and region handled on their own).
CATEGORY_DIMENSIONS = dims.CATEGORY_IDS

ALL = dims.ALL
ALLOWED = dims.ALLOWED
UNITS = ("count", "percent")
BASES = ("published", "computed")
REGION_PATTERN = re.compile(f"^({dims.get(dims.REGION).pattern})$")
COUNTRY_PATTERN = re.compile(f"^({dims.get(dims.COUNTRY).pattern})$")
YEAR_RANGE = (1990, 2100)

# The two outcome definitions the app may show. They never share a series or an axis.
SERIES = ("imdi_direct", "ssb_one_year_after")


@dataclass(frozen=True)
class Measure:
    id: str
    unit: str
    series: str
    label_nb: str
    label_en: str
    definition_nb: str
    definition_en: str
    denominator: str = ""      # for a share: the count it is a share of
    count_measure: str = ""    # for a share: its count version
    share_measure: str = ""    # for a count: its share version

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nb

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_nb


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    date: str
    url: str


def read_measures(path: Path) -> dict[str, Measure]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {r["measure"]: Measure(id=r["measure"], unit=r["unit"], series=r["series"],
                                      label_nb=r["label_nb"], label_en=r["label_en"],
                                      definition_nb=r["definition_nb"], definition_en=r["definition_en"],
                                      denominator=r.get("denominator") or "",
                                      count_measure=r.get("count_measure") or "",
                                      share_measure=r.get("share_measure") or "")
                for r in csv.DictReader(fh)}


def read_sources(path: Path) -> dict[str, Source]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {r["source"]: Source(id=r["source"], publisher=r["publisher"], title=r["title"],
                                    date=r["date"], url=r["url"])
                for r in csv.DictReader(fh)}
