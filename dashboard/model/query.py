"""query(dataset, state) -> Result: the exact cells a view shows, and nothing the sources do not say.

Pure and free of Dash and plotting. A value is either published (one row of the data) or computed
from published ones by one of two rules, and then marked `computed` with the cells it came from:
- a share from a published count and its published denominator (2016: 1 087 of 4 469 to work);
- a level from next year's published level and next year's published change in percentage points
  (2022 to work: 2023's 41 % minus the published +17 points).
Nothing is interpolated, and no cross-tabulation is guessed: a combination that is not published is
reported as missing, with the nearest published margins.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import cache, regions
from .suppression import suppression_reason
from .uncertainty import wilson_share
from .dataset import Dataset
from . import dimensions as dims
from .dimensions import COUNTRY, EDUCATION, GENDER, GROUP, REGION
from .schema import ALLOWED, CATEGORY_DIMENSIONS
if TYPE_CHECKING:  # the view state comes from the views layer; the query only reads its fields
    from ..views.state import ViewState

# Which measures play which part in each outcome definition. They never mix.
SERIES_MEASURES = {
    "imdi_direct": {"cohort": "ended", "work": "to_work", "study": "to_education",
                    "total": "to_work_or_education"},
    "ssb_one_year_after": {"cohort": "former_participants_1y", "work": "employed_1y",
                           "study": "in_education_only_1y", "total": "in_work_or_education_1y"},
}
PARTS = ("work", "study", "total")   # the parts of an outcome: to work, to studies, either
OUTCOME_MEASURES = ("to_work", "to_education", "to_primary_school", "to_labour_measures", "other_reason")
KEY_COUNTS = ("participants", "started")
# Participants by country of birth: IMDi's and SSB's counts differ (measures.csv), so a chart draws one of
# them; the one of the view's series first, the other where it alone has the year.
COUNTRY_MEASURES = {"imdi_direct": ("participants", "participants_ssb"),
                    "ssb_one_year_after": ("participants_ssb", "participants")}
SSB_TOTAL = "in_work_or_education_1y"


class _CoordsMethods:
    def key(self, year: int) -> tuple:
        return (year,) + tuple(getattr(self, d) for d in dims.PLACE_IDS)

    def with_(self, **kw) -> "Coords":
        # dataclasses.replace runs __init__ through a generic path: 10 000 calls a view. The fields are
        # plain strings, so a copy of the instance's dict with the changes is the same object, faster.
        if not kw.keys() <= _COORD_FIELDS:
            raise TypeError(f"Coords has no field {sorted(kw.keys() - _COORD_FIELDS)[0]!r}")
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__, **kw)
        return new


# Where a cell sits, less its year: one field per place dimension (dimensions.py), each at its margin by default.
Coords = dataclasses.make_dataclass("Coords", [(d, str, dataclasses.field(default=v))
                                               for d, v in dims.margins().items()],
                                    bases=(_CoordsMethods,), frozen=True)
Coords.__module__ = __name__
_COORD_FIELDS = frozenset(f.name for f in dataclasses.fields(Coords))


@dataclass(frozen=True)
class Cell:
    year: int
    coords: Coords
    measure: str
    value: float
    unit: str
    approx: bool
    source: str
    basis: str = "published"          # published | computed
    method: str = ""                  # for computed: share_of_counts | level_from_change | difference
    inputs: tuple["Cell", ...] = ()   # the published cells a computed one came from
    alternatives: tuple["Cell", ...] = ()  # other sources' figures for the same cell
    # For a share: its published count and the count it is a share of ("1 087 of 4 469 persons").
    behind: tuple["Cell", ...] = field(default=(), compare=False)

    @property
    def computed(self) -> bool:
        return self.basis == "computed"

    def row(self) -> dict:
        """The cell in the tidy format (for /data.csv and downloads)."""
        return {dims.YEAR: self.year, **self.coords.__dict__, "measure": self.measure, "value": self.value,
                "unit": self.unit, "approx": self.approx, "source": self.source, "basis": self.basis}


@dataclass(frozen=True)
class Missing:
    """A figure the view asks for that is not published (or is hidden to protect small numbers),
    with the nearest ones that are shown."""
    measure: str
    year: int
    coords: Coords
    nearest: tuple[tuple[str, ...], ...] = ()   # each: the filter names (dimension=value) kept
    suppressed: str | None = None               # why it is hidden: count | base | secondary


def hidden_reason(ds: Dataset, measure: str, year: int | None, coords: Coords) -> str | None:
    """Why a figure is hidden by the small-number protection, or None (also when nothing is protected)."""
    if year is None or getattr(ds, "suppressed", None) is None or not len(ds.suppressed):
        return None
    return suppression_reason(ds, measure, year, coords)


@dataclass
class KeyFigure:
    measure: str
    cell: Cell | None
    previous: Cell | None
    change: Cell | None      # pp for shares, persons for counts; published or computed
    hidden: str | None = None  # why the figure is hidden (small numbers), if it is


@dataclass(frozen=True)
class Catalogue:
    """What a chart may know of the dataset besides its cells: the measures, the sources and its origin."""
    measures: dict
    sources: dict
    origin: str = "published"
    name: str = ""


@dataclass
class Result:
    """The cells of one view, by part. A part the query was not asked for is empty."""
    state: ViewState
    year: int | None
    years: list[int]
    meta: Catalogue
    availability: dict[str, dict[str, bool]]
    missing: list[Missing] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    trend: dict[str, dict[int, Cell | None]] = field(default_factory=dict)     # part -> year -> cell
    trend_hidden: dict[int, str] = field(default_factory=dict)  # year -> why its total is hidden (small numbers)
    groups: dict[str, dict[str, Cell | None]] = field(default_factory=dict)    # group -> part -> cell (that year)
    groups_trend: dict[str, dict[int, Cell | None]] = field(default_factory=dict)  # group -> year -> total
    outcomes: list[tuple[str, Cell | None, Cell | None]] = field(default_factory=list)  # (measure, share, count)
    outcome_counts: dict[str, Cell | None] = field(default_factory=dict)       # ended, neither, no_end_reason
    ssb_by_gender: dict[str, dict[int, Cell | None]] = field(default_factory=dict)  # gender -> year -> cell
    ssb_by_county: list[Cell] = field(default_factory=list)
    countries: list[Cell] = field(default_factory=list)
    by_level_and_sex: dict[str, dict[str, Cell | None]] = field(default_factory=dict)  # level -> gender
    totals_by_sex: dict[str, Cell | None] = field(default_factory=dict)
    region: "RegionComparison | None" = None
    map: "MapValues | None" = None
    by_definition: dict[str, dict[int, Cell | None]] = field(default_factory=dict)  # series -> year -> total
    compare: dict[str, dict[int, Cell | None]] = field(default_factory=dict)  # region -> year -> total

    @property
    def series_measures(self) -> dict[str, str]:
        return SERIES_MEASURES[self.state.series]

    def cells(self) -> list[Cell]:
        """Every value the view shows, once each."""
        out: dict[tuple, Cell] = {}

        def add(c):
            if c is not None:
                out[(c.measure, c.year, c.coords, c.source)] = c
        for k in self.key_figures:
            add(k.cell), add(k.previous)
        for by_year in self.trend.values():
            for c in by_year.values():
                add(c)
        for parts in self.groups.values():
            for c in parts.values():
                add(c)
        for by_year in self.groups_trend.values():
            for c in by_year.values():
                add(c)
        for _, s, n in self.outcomes:
            add(s), add(n)
        for c in self.outcome_counts.values():
            add(c)
        for by_year in self.ssb_by_gender.values():
            for c in by_year.values():
                add(c)
        for c in self.ssb_by_county + self.countries:
            add(c)
        for by_g in self.by_level_and_sex.values():
            for c in by_g.values():
                add(c)
        for by_year in self.compare.values():
            for c in by_year.values():
                add(c)
        if self.region is not None:
            for cells in self.region.lines.values():
                for c in cells.values():
                    add(c)
            for c in self.region.bases.values():
                add(c)
        for by_year in self.by_definition.values():
            for c in by_year.values():
                add(c)
        return list(out.values())


# ---- the index: published cells by measure and key -------------------------------------------

KEY_DIMS = dims.IDS


class _Codes:
    """One dataset's key columns as small integers, so that a cell's whole key is one int64.

    Every category (region, group, …) gets a code, and a key is a mixed-radix number with the year as
    its most significant digit. A look-up is then a binary search in a sorted int64 array per measure:
    16 bytes a row instead of a Python Cell, a Coords and a tuple (about 1 KB a row), and the same
    speed at 10 000 rows as at 1 000 000.
    """

    def __init__(self, cells: pd.DataFrame):
        years = [int(y) for y in pd.unique(cells["year"])] or [0]
        self.year0 = min(years)
        self.maps: dict[str, dict[str, int]] = {}
        self.values: dict[str, list[str]] = {}
        sizes = [max(years) - self.year0 + 1]
        for c in KEY_DIMS[1:]:
            col = cells[c]
            cats = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else pd.unique(col)
            vals = sorted({str(v) for v in cats})
            self.values[c] = vals
            self.maps[c] = {v: i for i, v in enumerate(vals)}
            sizes.append(len(vals) or 1)
        self.sizes = sizes
        # stride[i]: the weight of digit i (year first)
        self.strides = [int(np.prod(sizes[i + 1:], dtype=np.int64)) for i in range(len(sizes))]

    def column(self, frame: pd.DataFrame, c: str) -> np.ndarray:
        if c == "year":
            return frame["year"].to_numpy(dtype=np.int64) - self.year0
        s, mapping = frame[c], self.maps[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            lut = np.array([mapping[str(v)] for v in s.cat.categories] or [0], dtype=np.int64)
            return lut[s.cat.codes.to_numpy()]
        return s.astype(str).map(mapping).to_numpy(dtype=np.int64)

    def keys(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.zeros(len(frame), dtype=np.int64)
        for c, stride in zip(KEY_DIMS, self.strides):
            out += self.column(frame, c) * stride
        return out

    def key(self, year: int, coords: "Coords") -> int | None:
        y = int(year) - self.year0
        if not 0 <= y < self.sizes[0]:
            return None
        k = y * self.strides[0]
        for c, stride in zip(KEY_DIMS[1:], self.strides[1:]):
            code = self.maps[c].get(getattr(coords, c))
            if code is None:
                return None
            k += code * stride
        return k


def _codes(ds: Dataset) -> _Codes:
    return cache.once(ds, "codes", lambda: _Codes(ds.cells))


@dataclass
class _MeasureIndex:
    """One measure's rows sorted by key, the preferred figure first among rows with the same key."""
    measure: str
    keys: np.ndarray        # int64, sorted
    value: np.ndarray       # float64
    approx: np.ndarray      # bool
    unit: np.ndarray        # str codes into `units`
    source: np.ndarray
    basis: np.ndarray
    units: list[str]
    sources: list[str]
    bases: list[str]

    def rows(self, key: int | None) -> range:
        if key is None:
            return range(0)
        lo = int(self.keys.searchsorted(key, "left"))
        if lo == len(self.keys) or int(self.keys[lo]) != key:
            return range(0)
        return range(lo, int(self.keys.searchsorted(key, "right")))

    def cell(self, i: int, year: int, coords: "Coords") -> Cell:
        return Cell(int(year), coords, self.measure, float(self.value[i]), self.units[self.unit[i]],
                    bool(self.approx[i]), self.sources[self.source[i]], self.bases[self.basis[i]])


def _str_codes(s: pd.Series) -> tuple[np.ndarray, list[str]]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype=np.int32), [str(v) for v in s.cat.categories]
    codes, uniques = pd.factorize(s.astype(str))
    return codes.astype(np.int32), [str(v) for v in uniques]


def _index(ds: Dataset, measure: str) -> _MeasureIndex:
    return cache.remembered(ds, "index", measure, lambda: _build_index(ds, measure))


def _build_index(ds: Dataset, measure: str) -> _MeasureIndex:
    frame = ds.by_measure.get(measure)
    if frame is None:
        frame = ds.cells.iloc[:0]
    keys = _codes(ds).keys(frame)
    source, sources = _str_codes(frame["source"])
    rank = _source_rank(ds)
    # The exact figure before an approximate one; then the primary publisher; then the newer source
    # (a revised figure beats the preliminary one); then the source id.
    src_rank = np.array([rank.get(s, 99) for s in sources] or [0], dtype=np.int64)[source]
    src_newer = _source_age(ds, sources)[source]
    src_order = np.argsort(np.argsort(np.array(sources or [""], dtype=object)))[source]
    approx = frame["approx"].to_numpy(dtype=bool)
    order = np.lexsort((src_order, src_newer, src_rank, approx, keys))
    unit, units = _str_codes(frame["unit"])
    basis, bases = _str_codes(frame["basis"])
    return _MeasureIndex(measure, keys[order], frame["value"].to_numpy(dtype=np.float64)[order], approx[order],
                         unit[order], source[order], basis[order], units, sources, bases)


def _source_rank(ds: Dataset) -> dict[str, int]:
    order = {"IMDi": 0, "SSB": 1}
    return {sid: order.get(s.publisher, 2) for sid, s in ds.sources.items()}


def _source_age(ds: Dataset, sources: list[str]) -> np.ndarray:
    """0 for the newest source date, 1 for the next, …: ISO dates compare as text, so a year alone
    ("2024") counts as older than a full date in that year; a source without a date is the oldest."""
    dates = [ds.sources[s].date if s in ds.sources else "" for s in sources] or [""]
    newest_first = {d: i for i, d in enumerate(sorted(set(dates), reverse=True))}
    return np.array([newest_first[d] for d in dates], dtype=np.int64)


# Cells are looked up hundreds of times a view, and many views share them (the national trend, the
# margins): each answer is remembered per dataset (model/cache.py; a reload or an upload is a new dataset).
def _remembered(ds: Dataset, kind: str, key, compute):
    return cache.remembered(ds, kind, key, compute)


def published(ds: Dataset, measure: str, year: int, coords: Coords) -> Cell | None:
    return _remembered(ds, "published", (measure, int(year), coords),
                       lambda: _published(ds, measure, year, coords))


def _published(ds: Dataset, measure: str, year: int, coords: Coords) -> Cell | None:
    idx = _index(ds, measure)
    rows = idx.rows(_codes(ds).key(year, coords))
    if not rows:
        return None
    best = idx.cell(rows[0], year, coords)
    if len(rows) > 1:
        return Cell(**{**best.__dict__, "alternatives": tuple(idx.cell(i, year, coords) for i in rows[1:])})
    return best


def change_measure(measure: str) -> str:
    """The id of a measure's published change in percentage points (to_work -> to_work_change_pp,
    employed_1y -> employed_change_pp_1y)."""
    if measure.endswith("_1y"):
        return measure[:-3] + "_change_pp_1y"
    return measure + "_change_pp"


def get_cell(ds: Dataset, measure: str, year: int, coords: Coords, compute: bool = True) -> Cell | None:
    """The published cell, else one computed from published cells by the two allowed rules."""
    return _remembered(ds, "cell", (measure, int(year), coords, compute),
                       lambda: _with_behind(ds, _get_cell(ds, measure, year, coords, compute)))


def _with_behind(ds: Dataset, cell: Cell | None) -> Cell | None:
    """A share with the published counts behind it, so that a chart can say them without a look-up."""
    if cell is None or cell.unit != "percent":
        return cell
    if cell.computed and cell.method == "share_of_counts":
        return dataclasses.replace(cell, behind=cell.inputs)
    m = ds.measures.get(cell.measure)
    if m is None or not (m.count_measure and m.denominator):
        return cell
    num = published(ds, m.count_measure, cell.year, cell.coords)
    den = published(ds, m.denominator, cell.year, cell.coords)
    return dataclasses.replace(cell, behind=(num, den)) if num is not None and den is not None else cell


def _get_cell(ds: Dataset, measure: str, year: int, coords: Coords, compute: bool) -> Cell | None:
    cell = published(ds, measure, year, coords)
    if cell is not None or not compute:
        return cell
    m = ds.measures.get(measure)
    if m is None:
        return None
    if m.unit == "percent" and m.count_measure and m.denominator:
        num = published(ds, m.count_measure, year, coords)
        den = published(ds, m.denominator, year, coords)
        if num is not None and den is not None and den.value > 0:
            return Cell(year, coords, measure, 100.0 * num.value / den.value, "percent",
                        num.approx or den.approx, num.source, "computed", "share_of_counts", (num, den))
    change_id = change_measure(measure)
    if m.unit == "percent" and change_id in ds.measures:
        nxt = published(ds, measure, year + 1, coords)
        change = published(ds, change_id, year + 1, coords)
        if nxt is not None and change is not None:
            return Cell(year, coords, measure, nxt.value - change.value, "percent",
                        nxt.approx or change.approx, change.source, "computed", "level_from_change",
                        (nxt, change))
    return None


def change_from_previous(ds: Dataset, current: Cell | None, previous: Cell | None) -> Cell | None:
    """The published change where there is one, else the difference of two published values (marked
    computed). A computed value never feeds another: with a computed level there is no change."""
    if current is None:
        return None
    change_id = change_measure(current.measure) if current.unit == "percent" else f"{current.measure}_change"
    pub = published(ds, change_id, current.year, current.coords)
    if pub is not None:
        return pub
    if previous is None or current.computed or previous.computed:
        return None
    unit = current.unit
    return Cell(current.year, current.coords, f"{current.measure}_change", current.value - previous.value,
                unit, current.approx or previous.approx, current.source, "computed", "difference",
                (current, previous))


# ---- availability and nearest published figures ---------------------------------------------

def _combos(ds: Dataset, series: str) -> pd.DataFrame:
    """Distinct (year, region, group, gender, education, age) that have any of the series' figures,
    decoded from the measures' integer keys (no string columns of the whole series are built)."""
    return cache.remembered(ds, "combos", series, lambda: _combos_of(ds, series))


def _combos_of(ds: Dataset, series: str) -> pd.DataFrame:
    codes = _codes(ds)
    measures = [m for m in SERIES_MEASURES[series].values()]
    measures += [ds.measures[m].count_measure for m in measures
                 if m in ds.measures and ds.measures[m].count_measure]
    all_country = codes.maps[KEY_DIMS[-1]].get(dims.ALL, -1)
    parts = []
    for m in measures:
        if m in ds.by_measure:
            keys = _index(ds, m).keys
            parts.append(keys[keys % codes.sizes[-1] == all_country] // codes.sizes[-1])
    combo = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    cols: dict[str, object] = {}
    for c, size in zip(reversed(KEY_DIMS[:-1]), reversed(codes.sizes[:-1])):
        combo, digit = np.divmod(combo, size)
        cols[c] = (digit + codes.year0) if c == "year" else pd.Categorical.from_codes(digit, codes.values[c])
    return pd.DataFrame({c: cols[c] for c in KEY_DIMS[:-1]})


def _availability_index(ds: Dataset, series: str):
    """For each filter, the values present given the others: a dict from the other filters' values to a
    set, built once per dataset and series so a filter change costs a few dictionary look-ups."""
    return cache.remembered(ds, "availability", series, lambda: _availability_of(ds, series))


def _availability_of(ds: Dataset, series: str):
    filters = (REGION,) + CATEGORY_DIMENSIONS
    combos = _combos(ds, series)
    rows = list(zip(*(combos[c].tolist() for c in ("year",) + filters))) if len(combos) else []
    by_dim = {d: {} for d in filters}
    years: dict[tuple, set] = {}
    for year, *values in rows:
        for i, d in enumerate(filters):
            key = tuple(values[:i] + values[i + 1:])
            by_dim[d].setdefault(key, set()).add(values[i])
        years.setdefault(tuple(values), set()).add(int(year))
    return filters, by_dim, years


def availability(ds: Dataset, state: ViewState) -> dict[str, dict[str, bool]]:
    """For each filter, which of its values have figures given the other filters (any year)."""
    filters, by_dim, years = _availability_index(ds, state.series)
    current = [getattr(state, d) for d in filters]
    out: dict[str, dict[str, bool]] = {}
    for i, dim in enumerate(filters):
        present = by_dim[dim].get(tuple(current[:i] + current[i + 1:]), set())
        values = ALLOWED.get(dim, sorted(present))
        out[dim] = {v: v in present for v in values}
    present_years = years.get(tuple(current), set())
    out["year"] = {str(y): y in present_years for y in series_years(ds, state.series)}
    return out


def nearest(ds: Dataset, measure: str, year: int, coords: Coords) -> tuple[tuple[str, ...], ...]:
    """Published neighbours of a missing cell: the same year with one filter fewer, or other years."""
    active = [d for d in CATEGORY_DIMENSIONS if getattr(coords, d) != "all"]
    found: list[tuple[str, ...]] = []
    for d in active:
        alt = coords.with_(**{d: "all"})
        if get_cell(ds, measure, year, alt) is not None:
            found.append(tuple(f"{k}={getattr(alt, k)}" for k in active if k != d))
    if len(coords.region) == 4:
        county = regions.county_of(coords.region, year)
        if county and get_cell(ds, measure, year, coords.with_(region=county)) is not None:
            found.append((f"{REGION}={county}",) + tuple(f"{k}={getattr(coords, k)}" for k in active))
    if coords.region != "0" and get_cell(ds, measure, year, coords.with_(region="0")) is not None:
        found.append((f"{REGION}=0",) + tuple(f"{k}={getattr(coords, k)}" for k in active))
    years = sorted(y for y in series_years(ds, None) if y != year
                   and get_cell(ds, measure, y, coords) is not None)
    if years:
        closest = min(years, key=lambda y: (abs(y - year), -y))
        found.append((f"year={closest}",) + tuple(f"{k}={getattr(coords, k)}" for k in active))
    return tuple(found)


def series_years(ds: Dataset, series: str | None) -> list[int]:
    """The years with any figure of a series (None: of the whole dataset), worked out once per dataset."""
    return cache.remembered(ds, "years", series, lambda: _series_years(ds, series))


def _series_years(ds: Dataset, series: str | None) -> list[int]:
    if series is None:  # every year of the dataset
        return ds.years
    ys = set()
    for m in SERIES_MEASURES[series].values():
        cm = ds.measures[m].count_measure if m in ds.measures else ""
        for measure in (m, cm):
            if measure in ds.by_measure:
                ys |= set(int(y) for y in ds.by_measure[measure]["year"].unique())
    return sorted(ys)


def resolve_year(ds: Dataset, state: ViewState) -> int | None:
    """The year asked for; without one ("Siste år"), the latest year with the view's own figures (its
    measure, region and filters), else the series' latest year."""
    if state.year is not None:
        return state.year
    own = years_with_figures(ds, state)
    years = series_years(ds, state.series)
    return own[-1] if own else (years[-1] if years else None)


def years_with_figures(ds: Dataset, state: ViewState) -> list[int]:
    """The series' years in which the view's main figure (the total, else the share to work) is published
    or computable at the view's coordinates."""
    coords, parts = coords_of(state), SERIES_MEASURES[state.series]
    return cache.remembered(ds, "years_with_figures", (state.series, coords), lambda: [
        y for y in series_years(ds, state.series)
        if get_cell(ds, parts["total"], y, coords) is not None or get_cell(ds, parts["work"], y, coords) is not None])


def nearest_year_with_figures(ds: Dataset, state: ViewState) -> int | None:
    """When the view's year has no figures of its own but another year has: the nearest such year (the later
    one on a tie). None when the year has figures, or no year has."""
    own = years_with_figures(ds, state)
    year = resolve_year(ds, state)
    if year is None or year in own or not own:
        return None
    return min(own, key=lambda y: (abs(y - year), -y))


# ---- the query --------------------------------------------------------------------------------

def known_regions(ds: Dataset) -> set[str]:
    """Codes a link may name: any region of the data or of the classification (a region without figures
    is a valid choice: the page then says what is published nearby)."""
    return cache.once(ds, "region_codes", lambda: set(ds.cells[REGION].astype(str).unique()) | {"0"}
                      | {r.code for r in regions.all_regions()})


def coords_of(state: ViewState) -> Coords:
    """The page's coordinates: its filters; a dimension that is not a filter stays at its margin."""
    return Coords(**{d.id: getattr(state, d.id) for d in dims.DIMENSIONS if d.filter and d.kind != dims.TIME})


@dataclass
class _Ask:
    """What every part of a query shares: the dataset, the view, its year and coordinates."""
    ds: Dataset
    state: ViewState
    year: int | None
    years: list[int]
    coords: Coords
    parts: dict[str, str]
    missing: list[Missing]

    def get(self, measure: str, year: int | None, coords: Coords | None = None) -> Cell | None:
        return get_cell(self.ds, measure, year, coords or self.coords) if year is not None else None

    def tracked(self, measure: str, year: int | None) -> Cell | None:
        """A cell the view promises; when it is missing, say so with the nearest published figures."""
        got = self.get(measure, year)
        if got is None and year is not None:
            c = self.coords
            self.missing.append(Missing(measure, year, c, nearest(self.ds, measure, year, c),
                                        hidden_reason(self.ds, measure, year, c)))
        return got


def _key_figures(q: _Ask) -> dict:
    """The counts, then the outcome shares of the chosen definition, each with its change."""
    out = []
    p = q.parts
    for m in KEY_COUNTS + (p["cohort"], p["work"], p["study"], p["total"]):
        cur = q.tracked(m, q.year) if m == p["total"] else q.get(m, q.year)
        prev = q.get(m, q.year - 1) if q.year is not None else None
        out.append(KeyFigure(m, cur, prev, change_from_previous(q.ds, cur, prev),
                             hidden_reason(q.ds, m, q.year, q.coords) if cur is None else None))
    return {"key_figures": out}


def _trend(q: _Ask) -> dict:
    trend_years = [y for y in q.years if y <= (q.year or 0)] or q.years
    trend = {p: {y: q.get(q.parts[p], y) for y in trend_years} for p in PARTS}
    # The series' years are any region's: start where this view's own figures start (gaps inside stay).
    first = next((y for y in trend_years if any(trend[p][y] is not None for p in PARTS)), None)
    # Nothing at all: no years to claim (the chart says so; the notice offers the nearest figures).
    trend = {p: {y: c for y, c in by.items() if first is not None and y >= first} for p, by in trend.items()}
    if all(v is None for v in trend["total"].values()) and all(v is None for v in trend["work"].values()):
        total, y = q.parts["total"], q.year or 0
        q.missing.append(Missing(total, y, q.coords, nearest(q.ds, total, y, q.coords)))
    hidden = {y: hidden_reason(q.ds, q.parts["total"], y, q.coords) for y, c in trend["total"].items() if c is None}
    return {"trend": trend, "trend_hidden": {y: why for y, why in hidden.items() if why}}


def _groups(q: _Ask) -> dict:
    values = dims.get(GROUP).parts
    return {"groups": {g: {p: q.get(q.parts[p], q.year, q.coords.with_(**{GROUP: g})) for p in PARTS}
                       for g in values},
            "groups_trend": {g: {y: q.get(q.parts["total"], y, q.coords.with_(**{GROUP: g})) for y in q.years}
                             for g in values}}


def _outcomes(q: _Ask) -> dict:
    outcomes = []
    for m in OUTCOME_MEASURES:
        cm = q.ds.measures[m].count_measure if m in q.ds.measures else ""
        outcomes.append((m, q.get(m, q.year), q.get(cm, q.year) if cm else None))
    counts = {m: q.get(m, q.year) for m in ("ended", "neither_work_nor_education_count", "no_end_reason")}
    return {"outcomes": outcomes, "outcome_counts": counts}


def _ssb(q: _Ask) -> dict:
    ssb_years = series_years(q.ds, "ssb_one_year_after")
    ssb_coords = q.coords.with_(**{GROUP: dims.ALL})
    return {"ssb_by_gender": {g: {y: q.get(SSB_TOTAL, y, ssb_coords.with_(**{GENDER: g})) for y in ssb_years}
                              for g in dims.get(GENDER).values}}


def _by_education(q: _Ask) -> dict:
    return {"by_level_and_sex": {
        e: {g: q.get(q.parts["total"], q.year, q.coords.with_(**{EDUCATION: e, GENDER: g}))
            for g in dims.get(GENDER).parts}
        for e in dims.get(EDUCATION).parts}}


def _totals_by_sex(q: _Ask) -> dict:
    """The view's total for each gender (the key findings compare them)."""
    return {"totals_by_sex": {g: q.get(q.parts["total"], q.year, q.coords.with_(**{GENDER: g}))
                              for g in dims.get(GENDER).parts}}


def _map(q: _Ask) -> dict:
    return {"map": map_values(q.ds, q.state, q.year)}


def _definitions(q: _Ask) -> dict:
    """Each definition's own total share (IMDi directly after, SSB one year after) for the view's
    coordinates, in every year up to the view's where either has a figure (gaps inside stay None). Two
    series side by side, never combined. A region is followed across a one-to-one change of its code
    (Trondheim: 1601, then 5001), as in region_comparison."""
    years = sorted({y for s in SERIES_MEASURES for y in series_years(q.ds, s) if y <= (q.year or y)})
    code = getattr(q.coords, REGION)
    over_time = regions.codes_over_time(code, years) if code != "0" else {}

    def at(y: int) -> Coords:
        held = over_time.get(y)
        return q.coords.with_(**{REGION: held[0]}) if held and len(held) == 1 else q.coords

    by = {s: {y: q.get(m["total"], y, at(y)) for y in years} for s, m in SERIES_MEASURES.items()}
    shown = [y for y in years if any(by[s][y] is not None for s in by)]
    return {"by_definition": {s: {y: c for y, c in cells.items() if shown and shown[0] <= y <= shown[-1]}
                              for s, cells in by.items()}}


# The parts a query can compute. A chart says which it needs (views/charts), so an embedded chart or an
# image asks for its own parts alone.
PARTS_OF_QUERY = {
    "key_figures": _key_figures, "trend": _trend, "groups": _groups, "outcomes": _outcomes, "ssb": _ssb,
    "ssb_county": lambda q: {"ssb_by_county": _ssb_counties(q.ds, q.year, q.coords)},
    "countries": lambda q: {"countries": _countries(q.ds, q.year, series=q.state.series)},
    "by_education": _by_education, "totals_by_sex": _totals_by_sex,
    "region": lambda q: {"region": region_comparison(q.ds, q.state, q.year)},
    "map": _map,
    "definitions": _definitions,
    "compare": lambda q: {"compare": compared_regions(q.ds, q.state)},
}


def compared_regions(ds: Dataset, state: ViewState) -> dict[str, dict[int, Cell | None]]:
    """Each compared region's main share over the series' years, with the view's other filters; a region's
    line follows its area only through one-to-one code changes (regions.same_area_codes)."""
    measure, coords = SERIES_MEASURES[state.series]["total"], coords_of(state)
    years = series_years(ds, state.series)
    out = {}
    for code in [c for c in state.compare.split(",") if c]:
        held = regions.same_area_codes(code, years) if code != "0" else {}
        out[code] = {y: get_cell(ds, measure, y, coords.with_(region=held.get(y, code))) for y in years}
    return out


def query(ds: Dataset, state: ViewState, needs: tuple[str, ...] | None = None) -> Result:
    """The cells of a view: every part (PARTS_OF_QUERY), or only the parts `needs` names."""
    year = resolve_year(ds, state)
    q = _Ask(ds, state, year, series_years(ds, state.series), coords_of(state), SERIES_MEASURES[state.series], [])
    found: dict = {}
    for name in (PARTS_OF_QUERY if needs is None else needs):
        found.update(PARTS_OF_QUERY[name](q))
    meta = cache.once(ds, "catalogue", lambda: Catalogue(ds.measures, ds.sources, ds.origin, ds.name))
    return Result(state=state, year=year, years=q.years, meta=meta,
                  availability=availability(ds, state), missing=_dedupe(q.missing), **found)


@dataclass(frozen=True)
class MapValues:
    """The cells of the view's main share for every region of one level: the counties, or one county's
    municipalities when a region is chosen."""
    level: str
    county: str | None
    measure: str
    cells: dict[str, Cell]
    # When `cells` is empty: (series, year) pairs that have figures for the same regions, nearest first.
    elsewhere: tuple[tuple[str, int], ...] = ()


def map_values(ds: Dataset, state: ViewState, year: int | None) -> MapValues:
    measure = SERIES_MEASURES[state.series]["total"]
    county = state.region[:2] if state.region != "0" else None
    level = "municipality" if county else "county"
    cells = _map_cells_of(ds, state, measure, year, level, county)
    elsewhere = () if cells else map_elsewhere(ds, state, year, level, county)
    return MapValues(level, county, measure, cells, elsewhere)


def _map_cells_of(ds: Dataset, state: ViewState, measure: str, year: int | None, level: str, county) -> dict:
    cells = map_cells(ds, measure, year, level, coords_of(state)) if year is not None else {}
    return {c: v for c, v in cells.items() if c.startswith(county)} if county else cells


def map_elsewhere(ds: Dataset, state: ViewState, year: int | None, level: str, county) -> tuple:
    """Where a map of the same regions has figures: this measure in the nearest years, then the other
    measure in the same and the nearest years (at most five, nearest first; a later year on a tie)."""
    def key():
        out = []
        for series in [state.series] + [s for s in SERIES_MEASURES if s != state.series]:
            ys = sorted(series_years(ds, series), key=lambda y: (abs(y - (year or y)), -y))
            for y in ys:
                if (series, y) != (state.series, year) and _map_cells_of(
                        ds, state.replace(series=series), SERIES_MEASURES[series]["total"], y, level, county):
                    out.append((series, y))
                    if len(out) == 5:
                        return tuple(out)
        return tuple(out)
    return cache.remembered(ds, "map_elsewhere", (state.series, year, level, county, coords_of(state)), key)


def map_cells(ds: Dataset, measure: str, year: int, level: str, coords: Coords | None = None) -> dict[str, Cell]:
    """The cell of `measure` for every region of `level` that has any figure in `year`, with the other
    filters of `coords` (its region is ignored); published, else computed by get_cell."""
    coords = coords or Coords()
    return cache.remembered(ds, "map_cells", (measure, year, level, coords.with_(**{REGION: "0"})), lambda: {
        code: c for code in region_codes_in(ds, year, 2 if level == "county" else 4)
        if (c := get_cell(ds, measure, year, coords.with_(**{REGION: code}))) is not None})


def region_codes_in(ds: Dataset, year: int, width: int) -> list[str]:
    """The region codes of one width (2: counties, 4: municipalities) that have any figure in `year`."""
    def by_year():
        frame, out = ds.cells, {}
        for (y, code), _ in frame.groupby(["year", REGION], observed=True, sort=False).size().items():
            out.setdefault((int(y), len(str(code))), set()).add(str(code))
        return {k: sorted(v) for k, v in out.items()}
    return cache.once(ds, "region_codes_by_year", by_year).get((year, width), [])


@dataclass
class RegionComparison:
    """A region's results over the years beside its county and the whole country, in one definition."""
    region: str
    county: str | None
    measure: str
    lines: dict[str, dict[int, Cell | None]]      # region code -> year -> share (region, county, "0")
    bases: dict[int, Cell]                        # the region's number of persons behind each share
    intervals: dict[int, tuple[float, float]]     # 95 % Wilson interval where the base is known
    rank: tuple[int, int, int] | None = None      # (position, out of, year) among regions with >= 20 persons


MIN_RANKED_BASE = 20  # as IMDi ranks municipalities: only those with at least 20 who ended
MIN_RANKED_REGIONS = 3


def region_comparison(ds: Dataset, state: ViewState, year: int | None) -> RegionComparison | None:
    if state.region == "0":
        return None
    coords = coords_of(state)
    measure = SERIES_MEASURES[state.series]["total"]
    m = ds.measures.get(measure)
    base_measure = m.denominator if m else ""
    years = sorted(set(ds.years))
    reg = regions.region(state.region, year)  # the latest structure the code existed in, if not this year's
    county = reg.county if (reg is not None and len(state.region) == 4) else None
    codes = [state.region] + ([county] if county else []) + ["0"]
    # Follow the area, not the number: Bergen is 1201 until 2019 and 4601 after. Only a one-to-one
    # code change is followed; a merger or split is left as a gap (regions.comparability says why).
    over_time = {c: regions.same_area_codes(c, years) if c != "0" else {} for c in codes}

    def code_in(c, y):
        return over_time[c].get(y, c)

    lines = {c: {y: get_cell(ds, measure, y, coords.with_(region=code_in(c, y))) for y in years} for c in codes}
    bases, intervals = {}, {}
    for y in years:
        base = published(ds, base_measure, y, coords.with_(region=code_in(state.region, y))) if base_measure else None
        share = lines[state.region][y]
        if base is not None:
            bases[y] = base
            if share is not None and base.value > 0:
                intervals[y] = wilson_share(share.value, base.value)
    return RegionComparison(state.region, county, measure, lines, bases, intervals,
                            _rank(ds, measure, base_measure, year, coords))


def _rank(ds: Dataset, measure: str, base_measure: str, year: int | None, coords: Coords):
    """Position among the regions of the same level, as IMDi ranks them: only a true rank, so every
    region of that year's structure must be published. Municipalities count only with at least 20 who
    ended, so each one's number of persons must be published too (to know who qualifies)."""
    if year is None or coords.region == "0":
        return None
    level = "county" if len(coords.region) == 2 else "municipality"
    # The same list for every region of a level under the same filters: worked out once per dataset.
    ranked = _remembered(ds, "ranking", (measure, base_measure, year, level, coords.with_(region="0")),
                         lambda: _ranking(ds, measure, base_measure, year, level, coords))
    if ranked is None or len(ranked) < MIN_RANKED_REGIONS or coords.region not in {c for _, c in ranked}:
        return None
    own = dict((c, v) for v, c in ranked)[coords.region]
    return 1 + sum(1 for v, _ in ranked if v > own), len(ranked), year


def _ranking(ds: Dataset, measure: str, base_measure: str, year: int, level: str, coords: Coords):
    """(share, code) of every region of the level that counts, or None when one is not published."""
    ranked = []
    for reg in regions.regions_in(year, level):
        share = get_cell(ds, measure, year, coords.with_(region=reg.code), compute=False)
        base = published(ds, base_measure, year, coords.with_(region=reg.code)) if base_measure else None
        if level == "municipality":
            if base is None:
                return None
            if base.value < MIN_RANKED_BASE:
                continue
        if share is None:
            return None
        ranked.append((share.value, reg.code))
    return ranked


def _dedupe(missing: list[Missing]) -> list[Missing]:
    seen, out = set(), []
    for m in missing:
        k = (m.measure, m.year, m.coords)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _ssb_counties(ds: Dataset, year: int | None, coords: Coords) -> list[Cell]:
    """SSB's one-year-after share for each county, for the chosen cohort year (or the latest before it)."""
    return cache.remembered(ds, "ssb_counties", (year, getattr(coords, GENDER)),
                            lambda: _ssb_counties_uncached(ds, year, coords))


def _ssb_counties_uncached(ds: Dataset, year: int | None, coords: Coords) -> list[Cell]:
    if year is None:
        return []
    wanted = getattr(coords, GENDER)
    ys = [y for y in _ssb_county_codes(ds, wanted) if y <= year]
    if not ys:
        return []
    y = max(ys)
    out = [published(ds, SSB_TOTAL, y, Coords(**{REGION: r, GENDER: wanted}))
           for r in _ssb_county_codes(ds, wanted)[y]]
    return sorted([c for c in out if c is not None], key=lambda c: -c.value)


def _ssb_county_codes(ds: Dataset, wanted: str) -> dict[int, list[str]]:
    """The years of SSB's one-year-after share by county for the gender `wanted` (the other filters at
    `all`), with the counties of each: one pass over the frame per dataset and gender, not one per year."""
    def codes():
        frame = ds.by_measure.get(SSB_TOTAL)
        if frame is None:
            return {}
        keep = frame[REGION].astype(str).str.len() == 2
        for d in dims.PLACE_IDS[1:]:
            keep &= frame[d] == (wanted if d == GENDER else dims.ALL)
        counties, out = frame[keep], {}
        for y, regions_of_year in counties.groupby("year")[REGION]:
            out[int(y)] = sorted(set(regions_of_year.astype(str)))
        return out
    return cache.remembered(ds, "ssb_county_codes", wanted, codes)


def _countries(ds: Dataset, year: int | None, top: int = 8, series: str = "imdi_direct") -> list[Cell]:
    """Participants by country of birth in the chosen year, or the latest year before it with any: one
    publisher's counts (COUNTRY_MEASURES), the largest `top` groups."""
    return cache.remembered(ds, "countries", (year, top, series), lambda: _countries_uncached(ds, year, top, series))


def _countries_uncached(ds: Dataset, year: int | None, top: int, series: str) -> list[Cell]:
    if year is None:
        return []
    found = {}  # (year, preference) -> measure, for every measure's years with country figures up to `year`
    for rank, measure in enumerate(COUNTRY_MEASURES.get(series, COUNTRY_MEASURES["imdi_direct"])):
        for y, codes in _country_codes(ds, measure).items():
            if y <= year:
                found[(y, -rank)] = (measure, codes)
    if not found:
        return []
    y, _ = best = max(found)
    measure, codes = found[best]
    cells = [published(ds, measure, y, Coords(**{COUNTRY: c})) for c in codes]
    return sorted([c for c in cells if c is not None], key=lambda c: -c.value)[:top]


def _country_codes(ds: Dataset, measure: str) -> dict[int, list[str]]:
    """The years of `measure` with figures by country (every other dimension at its margin), and their codes."""
    def codes():
        frame = ds.by_measure.get(measure)
        if frame is None:
            return {}
        keep = frame[COUNTRY] != dims.ALL
        for d, margin in dims.margins().items():
            if d != COUNTRY:
                keep &= frame[d] == margin
        sub, out = frame[keep], {}
        for y, c in zip(sub["year"], sub[COUNTRY]):
            out.setdefault(int(y), set()).add(str(c))
        return {y: sorted(cs) for y, cs in out.items()}
    return cache.remembered(ds, "codes_by_birth_land", measure, codes)


# ---- the cells behind a view, for /data.csv -------------------------------------------------------

def data_cells(ds: Dataset, state: ViewState, year_given: bool, series_given: bool) -> list[Cell]:
    """Published cells matching the view's dimensions (a dimension not given is `all`), every year unless
    one is given, plus the computed cells of the view's series, each marked computed."""
    # /data.csv also selects by the dimensions that are no filter of the page (country of birth)
    coords = Coords(**{d: getattr(state, d) for d in dims.PLACE_IDS})
    allowed_measures = None
    if series_given:
        allowed_measures = {m for m, meas in ds.measures.items() if meas.series == state.series}
    out: list[Cell] = []
    for measure in sorted(ds.by_measure):
        if allowed_measures is not None and measure not in allowed_measures:
            continue
        idx = _index(ds, measure)
        codes = _codes(ds)
        rest = codes.key(codes.year0, coords)  # the key without its year digit
        if rest is None:
            continue
        for i in np.flatnonzero(idx.keys % codes.strides[0] == rest):
            y = int(idx.keys[i]) // codes.strides[0] + codes.year0
            if year_given and y != state.year:
                continue
            out.append(idx.cell(int(i), y, coords))
    parts = SERIES_MEASURES[state.series]
    years = [state.year] if year_given else series_years(ds, state.series)
    for y in years:
        if y is None:
            continue
        for m in parts.values():
            if published(ds, m, y, coords) is None:
                c = get_cell(ds, m, y, coords)
                if c is not None:
                    out.append(c)
    out.sort(key=lambda c: (c.year, c.measure, c.source))
    return out
