"""ViewState: everything the user sees is decided by this one frozen object, and it is the URL.

`ViewState.from_query(qs)` never raises: each parameter is valid, invalid (falls back to its default
and is reported) or missing; unknown keys are ignored. `to_query()` writes only what differs from the
defaults, so `ViewState()` is the author's version and the shortest link.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from dataclasses import dataclass  # Problem
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode

from ..model import dimensions as dims
from ..model.schema import REGION_PATTERN, SERIES, YEAR_RANGE

LANGS = ("nb", "en")
STYLES = ("bar", "line")      # illustration 1: stacked bars or lines
VIEWS = ("chart", "table")    # every chart can be shown as a table
# A chart's id: its module in views/charts/ (the registry) says which exist; the callers pass them.
CHART_ID = re.compile(r"[a-z][a-z_]{0,39}")
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
                   regions: Iterable[str] | None = None,
                   charts: Iterable[str] | None = None) -> tuple["ViewState", list[Problem]]:
        pairs = _pairs(qs)
        first: dict[str, str] = {}
        for k, v in pairs:
            first.setdefault(k, v)
        values: dict = {}
        problems: list[Problem] = []
        known_years = set(years) if years is not None else None
        known_regions = set(regions) if regions is not None else None
        known_charts = set(charts) if charts is not None else None
        for f in dataclasses.fields(cls):
            if f.name not in first:
                continue
            raw = first[f.name]
            if f.name == "compare":  # a list: the good codes are kept, each bad one is named
                values[f.name], bad = parse_compare(raw, known_regions)
                problems += [Problem(f.name, b[:60]) for b in bad]
                continue
            parsed = _parse(f.name, raw, known_years, known_regions, known_charts)
            if parsed is _INVALID:
                problems.append(Problem(f.name, raw[:60]))
            else:
                values[f.name] = parsed
        return cls(**values), problems  # noqa: the fields come from the dimension table

    def to_query(self) -> str:
        """Only what differs from the defaults, in a fixed order: one view, one URL."""
        return _query_of(self)

    def _to_query(self) -> str:
        out = []
        default = type(self)()
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v != getattr(default, f.name):
                out.append((f.name, "1" if v is True else str(v)))
        return urlencode(out, safe=",")  # compare=03,46,50 as written

    def url(self, path: str = "") -> str:
        """A link to the view. Relative by default ('?year=2022', './'), so it stays under the URL prefix
        when the app runs behind a proxy at /intro/."""
        q = self.to_query()
        return f"{path}?{q}" if q else (path or "./")

    def replace(self, **changes) -> "ViewState":
        # As dataclasses.replace, without its generic __init__ path (thousands of calls a view): the
        # fields are plain values and a ViewState has no __post_init__.
        if not changes.keys() <= _field_names(type(self)):
            raise TypeError(f"ViewState has no field {sorted(changes.keys() - _field_names(type(self)))[0]!r}")
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__, **changes)
        return new

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
    ("compare", str, ""),        # regions side by side: up to MAX_COMPARE region codes joined by ","
)
MAX_COMPARE = 8
# A dimension is a field when it is a filter or a code list that /data.csv can select (country).
STATE_DIMENSIONS = tuple(d for d in dims.DIMENSIONS if d.filter or d.kind == dims.CODE)

ViewState = dataclasses.make_dataclass(
    "ViewState",
    [(d.id, int | None if d.kind == dims.TIME else str, dataclasses.field(default=d.default))
     for d in STATE_DIMENSIONS] + [(n, t, dataclasses.field(default=v)) for n, t, v in VIEW_FIELDS],
    bases=(_ViewStateMethods,), frozen=True)
ViewState.__module__ = __name__
ViewState.__doc__ = "Every filter and view option; year None means the latest year with figures."


@functools.lru_cache(maxsize=None)  # one per class (a test may make another from the table)
def _field_names(cls) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


@functools.lru_cache(maxsize=8192)  # asked for many times a view (links, cache keys); a state never changes
def _query_of(state) -> str:
    return state._to_query()


_INVALID = object()
_CHOICES = {"series": SERIES, "lang": LANGS, "style": STYLES, "view": VIEWS}


def _parse(name: str, raw: str, years, regions, charts=None):
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
    if name == "chart":
        return raw if CHART_ID.fullmatch(raw) and (charts is None or raw in charts) else _INVALID
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


def parse_compare(raw: str, regions=None) -> tuple[str, list[str]]:
    """'03,46,50' -> ('03,46,50', []): region codes of any level, each once, at most MAX_COMPARE; a code
    that is none (or one too many) comes back in the second list, to be named in a notice."""
    good, bad = [], []
    for code in (c.strip() for c in raw[:MAX_VALUE_LENGTH].replace(";", ",").split(",")):
        if not code:
            continue
        if not (code.isascii() and REGION_PATTERN.match(code) and (regions is None or code in regions)):
            bad.append(code)
        elif code not in good:
            (good if len(good) < MAX_COMPARE else bad).append(code)
    if len(raw) > MAX_VALUE_LENGTH:
        bad.append(raw[MAX_VALUE_LENGTH:MAX_VALUE_LENGTH + 20] + "…")
    return ",".join(good), bad


def compare_codes(state) -> list[str]:
    """The regions a view compares, in the order given."""
    return [c for c in state.compare.split(",") if c]


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
