"""ViewState: everything the user sees is decided by this one frozen object, and it is the URL.

`ViewState.from_query(qs)` never raises: each parameter is valid, invalid (falls back to its default
and is reported) or missing; unknown keys are ignored. `to_query()` writes only what differs from the
defaults, so `ViewState()` is the author's version and the shortest link.
"""
from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass  # Problem
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode

from ..model import dimensions as dims
from ..model.schema import REGION_PATTERN, SERIES, YEAR_RANGE

LANGS = ("nb", "en")
STYLES = ("bar", "line")      # illustration 1: stacked bars or lines
VIEWS = ("chart", "table")    # every chart can be shown as a table
# Every chart's id, in the page's order. Each has one module in views/charts/ (checked when they load).
CHARTS = ("region", "trend", "groups", "definitions", "outcomes", "ssb", "ssb_county", "map", "countries", "education", "cards")
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class Problem:
    param: str
    value: str  # as given, cut short; shown as text only

    @property
    def key(self) -> str:
        return self.param


class _ViewStateMethods:
    """The methods of ViewState; its fields are made below from the dimension table and VIEW_FIELDS."""
    # ---- URL ----------------------------------------------------------------------------------
    @classmethod
    def from_query(cls, qs: str | Mapping[str, str] | Iterable[tuple[str, str]] | None,
                   years: Iterable[int] | None = None,
                   regions: Iterable[str] | None = None) -> tuple["ViewState", list[Problem]]:
        pairs = _pairs(qs)
        first: dict[str, str] = {}
        for k, v in pairs:
            first.setdefault(k, v)
        values: dict = {}
        problems: list[Problem] = []
        known_years = set(years) if years is not None else None
        known_regions = set(regions) if regions is not None else None
        for f in dataclasses.fields(cls):
            if f.name not in first:
                continue
            raw = first[f.name]
            parsed = _parse(f.name, raw, known_years, known_regions)
            if parsed is _INVALID:
                problems.append(Problem(f.name, raw[:60]))
            else:
                values[f.name] = parsed
        return cls(**values), problems  # noqa: the fields come from the dimension table

    def to_query(self) -> str:
        """Only what differs from the defaults, in a fixed order: one view, one URL."""
        out = []
        default = type(self)()
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v != getattr(default, f.name):
                out.append((f.name, "1" if v is True else str(v)))
        return urlencode(out)

    def url(self, path: str = "") -> str:
        """A link to the view. Relative by default ('?year=2022', './'), so it stays under the URL prefix
        when the app runs behind a proxy at /intro/."""
        q = self.to_query()
        return f"{path}?{q}" if q else (path or "./")

    def replace(self, **changes) -> "ViewState":
        return dataclasses.replace(self, **changes)

    @property
    def filters(self) -> dict[str, str]:
        """The category filters that differ from 'all'."""
        return {d: getattr(self, d) for d in dims.CATEGORY_IDS if getattr(self, d) != dims.ALL}


# The view options beside the dimensions, with their defaults, in the order a URL writes them.
VIEW_FIELDS = (
    ("series", str, "imdi_direct"),
    ("lang", str, "nb"),
    ("style", str, "bar"),
    ("view", str, "chart"),
    ("chart", str, "trend"),     # the one chart for embed and image export
    ("present", bool, False),
    ("embed", bool, False),
    ("slide", int, 0),           # presentation: the position in the deck
    ("deck", str, ""),           # presentation: slides as view queries, joined by "|" ("" = the default story)
)
# A dimension is a field when it is a filter or a code list that /data.csv can select (country).
STATE_DIMENSIONS = tuple(d for d in dims.DIMENSIONS if d.filter or d.kind == dims.CODE)

ViewState = dataclasses.make_dataclass(
    "ViewState",
    [(d.id, int | None if d.kind == dims.TIME else str, dataclasses.field(default=d.default))
     for d in STATE_DIMENSIONS] + [(n, t, dataclasses.field(default=v)) for n, t, v in VIEW_FIELDS],
    bases=(_ViewStateMethods,), frozen=True)
ViewState.__module__ = __name__
ViewState.__doc__ = "Every filter and view option; year None means the latest year with figures."


_INVALID = object()
_CHOICES = {"series": SERIES, "lang": LANGS, "style": STYLES, "view": VIEWS, "chart": CHARTS}


def _parse(name: str, raw: str, years, regions):
    raw = raw.strip()
    if len(raw) > MAX_VALUE_LENGTH and name != "deck":
        return _INVALID
    dim = dims.BY_ID.get(name)
    if dim is not None and dim.kind == dims.CATEGORY:
        return raw if dim.allows(raw) else _INVALID
    if dim is not None and dim.kind == dims.CODE:
        return raw if raw.isascii() and dim.allows(raw) else _INVALID
    if dim is not None and dim.kind == dims.TIME:
        # isascii: str.isdigit() also accepts '²' and other digits that int() cannot read.
        if raw.isascii() and raw.isdigit() and len(raw) == 4 and YEAR_RANGE[0] <= int(raw) <= YEAR_RANGE[1]:
            if years is None or int(raw) in years:
                return int(raw)
        return _INVALID
    if dim is not None and dim.kind == dims.REGION_KIND:
        if raw.isascii() and REGION_PATTERN.match(raw) and (regions is None or raw in regions):
            return raw
        return _INVALID
    if name == "slide":
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else _INVALID
    if name == "deck":
        return raw if len(raw) <= 2000 and "\n" not in raw else _INVALID
    if name in ("present", "embed"):
        if raw.lower() in ("1", "true", "yes", "ja"):
            return True
        if raw.lower() in ("0", "false", "no", "nei", ""):
            return False
        return _INVALID
    return raw if raw in _CHOICES[name] else _INVALID


def _pairs(qs) -> list[tuple[str, str]]:
    """Key-value pairs from whatever arrived (a client sends JSON of any type): never raises."""
    if qs is None:
        return []
    if isinstance(qs, str):
        # A hostile link may carry thousands of fields; the first 200 are more than any view has.
        return parse_qsl(qs.lstrip("?")[:20000], keep_blank_values=True)[:200]
    if isinstance(qs, Mapping):
        return [(str(k), str(v)) for k, v in list(qs.items())[:200]]
    try:
        items = list(itertools.islice(iter(qs), 200))
    except TypeError:  # a number, say
        return []
    return [(str(p[0]), str(p[1])) for p in items if isinstance(p, (list, tuple)) and len(p) == 2]
