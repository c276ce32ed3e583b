"""Protection of small numbers: no count below 5 persons, and no share of fewer than 10, is shown,
exported or served; nor anything from which such a number could be worked out.

Primary suppression
  - a count of persons below `min_count` (counts at exactly the threshold are shown);
  - a share whose base (its `denominator` in measures.csv, same year and coordinates) is known and
    below `min_base`, whether the share is published or only computable from its count.
A share and its count are one fact (`to_work` = `to_work_count` / `ended`), so they form one *node*;
hiding a node removes its count and its shares, so query.get_cell cannot compute the share back. A
share also goes when its base is hidden (count ÷ share would give the base); a node known only
through such shares goes with it.

Secondary suppression
  Every additive relation the data can hold is a way to subtract: a margin and its parts along gender
  (all = men + women), group (all = ukraine + other), education and age bands, the region hierarchy
  (county = its municipalities that year, via dashboard.model.regions; country = its counties), the measure
  hierarchy (ended = work or education + neither; …) and a level with its change (this year = last
  year + change). A relation counts only when all its members are in the data. In a sum relation a
  hidden member p can be worked out when the other hidden members hide no one (there are none, or all
  are 0); then one more shown part is hidden: the one that opens the fewest new gaps in its other
  relations, then the smallest with at least one person (the margin if no part is left), and this
  repeats until no relation gives anything away. For a level and its change, the change goes first.

This is the standard cell-suppression approach for tables (primary + complementary suppression, as
SSB and Eurostat do). It stops every attack through one relation at a time, which is what
tests/test_suppression.py proves on full cubes; it does not solve the linear-programming problem of
attacks that chain several relations.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import regions
from .dataset import Dataset, dataset_from_frame
from .schema import DIMENSIONS, KEY, Measure

SYMBOL = ":"   # SSB's "Vises ikke av konfidensialitetshensyn"


@dataclass(frozen=True)
class Threshold:
    min_count: int = 5    # persons; a count of exactly min_count is shown
    min_base: int = 10    # persons behind a share


DEFAULT = Threshold()

# Counts of municipalities or countries, not of persons: nobody can be recognised from them.
NOT_PERSONS = frozenset({"municipalities_with_5plus_ended", "municipalities_with_participants_ssb",
                         "countries_of_origin", "countries_of_origin_started"})

# Sums that hold by definition (measures.csv): total, parts. A share with a count_measure is that count.
MEASURE_SUMS = (
    ("to_work_or_education_count", ("to_work_count", "to_education_count")),
    ("ended", ("to_work_or_education_count", "neither_work_nor_education_count")),
    ("neither_work_nor_education_count", ("to_labour_measures_count", "to_primary_school_count",
                                          "other_reason_count")),
    ("former_participants_1y", ("in_work_or_education_count_1y", "unemployed_or_labour_measures_count_1y",
                                "other_or_unknown_status_count_1y")),
    ("in_work_or_education_count_1y", ("employed_only_count_1y", "employed_and_in_education_count_1y",
                                       "in_education_only_count_1y")),
    ("employed_1y", ("employed_only_count_1y", "employed_and_in_education_count_1y")),
    ("unemployed_or_labour_measures_count_1y", ("registered_unemployed_count_1y",
                                                "other_jobseekers_labour_measures_count_1y")),
)

# Parts of each category dimension whose sum is the `all` margin. Age: SSB's bands (IMDi's 19-24 is
# a band of another publisher and is never part of a sum).
DIMENSION_PARTS = {
    "gender": ("men", "women"),
    "group": ("ukraine", "other"),
    "education": ("primary_or_less", "upper_secondary", "higher"),
    "age": ("18-25", "26-35", "36-45", "46-55", "56+"),
}

EXPLANATION = {
    "nb": "Vises ikke av personvernhensyn (:): tallet bygger på for få personer, eller kunne vært regnet "
          "ut fra andre tall som vises.",
    "en": "Not shown to protect privacy (:): the figure rests on too few people, or could be worked out "
          "from other figures that are shown.",
}
REASONS = {
    "count": {"nb": "færre enn {min_count} personer", "en": "fewer than {min_count} people"},
    "base": {"nb": "andel av færre enn {min_base} personer", "en": "a share of fewer than {min_base} people"},
    "secondary": {"nb": "skjult for at et annet skjult tall ikke skal kunne regnes ut",
                  "en": "hidden so that another hidden figure cannot be worked out"},
}


def explanation(lang: str = "nb", reason: str | None = None, threshold: Threshold = DEFAULT) -> str:
    text = EXPLANATION["en" if lang == "en" else "nb"]
    if reason in REASONS:
        detail = REASONS[reason]["en" if lang == "en" else "nb"].format(**threshold.__dict__)
        text += f" ({detail})"
    return text


# ---- measure families ---------------------------------------------------------------------------

def change_level(measure: str, measures: dict[str, Measure]) -> str | None:
    """The level a change measure is a change of (to_work_change_pp -> to_work)."""
    if "_change" not in measure:
        return None
    for cand in (measure.replace("_change_pp_1y", "_1y"), measure.replace("_change_pp", ""),
                 measure.replace("_change_pct", ""), measure.replace("_change", "")):
        if cand != measure and cand in measures:
            return cand
    return None


def family_of(measures: dict[str, Measure]) -> dict[str, str]:
    """Each measure's node family: a share and its count share one (the count's id)."""
    fam = {}
    for mid, m in measures.items():
        if m.unit == "percent" and m.count_measure and change_level(mid, measures) is None:
            fam[mid] = m.count_measure
        else:
            fam[mid] = mid
    return fam


def _is_base_share(m: Measure, measures) -> bool:
    # share_of_participants_ssb names its part in age/country, so its base is not at its own
    # coordinates (its count_measure is its denominator); its count is protected through the family.
    return (m.unit == "percent" and bool(m.denominator) and m.count_measure != m.denominator
            and change_level(m.id, measures) is None)


# ---- the analysis -------------------------------------------------------------------------------

@dataclass
class Analysis:
    threshold: Threshold
    removed: np.ndarray                 # bool per row of ds.cells
    reasons: dict[tuple, str]           # node -> count | base | secondary
    families: dict[str, str]
    row_reasons: dict[tuple, str]       # (measure, year, region, …) of each removed row -> reason


@lru_cache(maxsize=64)
def _county_parts(year: int) -> dict[str, tuple[str, ...]]:
    parts = defaultdict(list)
    for r in regions.regions_in(year, "municipality"):
        parts[r.county].append(r.code)
    return {c: tuple(v) for c, v in parts.items()}


def _relations(nodes: dict[tuple, float], families: dict[str, str], measures) -> list[tuple[str, tuple, tuple]]:
    """(kind, total-or-(), parts) for every relation whose members are all present."""
    out = []
    present = nodes.keys()
    dim_index = {d: 1 + DIMENSIONS.index(d) for d in DIMENSIONS}   # node = (family, year, region, …)
    for node in present:
        fam, year, region = node[0], node[1], node[2]
        for d, parts in DIMENSION_PARTS.items():
            i = dim_index[d]
            if node[i] == "all":
                members = tuple(node[:i] + (p,) + node[i + 1:] for p in parts)
                if all(m in nodes for m in members):
                    out.append(("sum", node, members))
        if len(region) == 2:
            munis = _county_parts(year).get(region, ())
            members = tuple(node[:2] + (m,) + node[3:] for m in munis)
            if members and all(m in nodes for m in members):
                out.append(("sum", node, members))
        elif region == "0":
            counties = [r.code for r in regions.regions_in(year, "county")]
            members = tuple(node[:2] + (c,) + node[3:] for c in counties)
            if members and all(m in nodes for m in members):
                out.append(("sum", node, members))
        level = change_level(fam, measures)
        if level is not None:
            lf = families.get(level, level)
            this, last = (lf,) + node[1:], (lf, year - 1) + node[2:]
            if this in nodes and last in nodes:
                out.append(("change", (), (node, this, last)))   # node first: suppressed first
    for total, parts in MEASURE_SUMS:
        tf = families.get(total, total)
        pfs = [families.get(p, p) for p in parts]
        for node in present:
            if node[0] == tf:
                members = tuple((pf,) + node[1:] for pf in pfs)
                if all(m in nodes for m in members):
                    out.append(("sum", node, members))
    return out


def analyse(ds: Dataset, threshold: Threshold = DEFAULT) -> Analysis:
    """Which rows of ds.cells must go, and why (cached on the dataset per threshold)."""
    cache = ds.__dict__.setdefault("_protection_cache", {})
    if threshold in cache:
        return cache[threshold]
    measures = ds.measures
    families = family_of(measures)
    c = ds.cells
    cols = {k: c[k].astype(str).tolist() for k in ("region", "group", "gender", "education", "age", "country",
                                                   "measure", "unit")}
    years = [int(y) for y in c["year"].tolist()]
    values = [float(v) for v in c["value"].tolist()]
    n = len(values)
    row_node, row_key = [], []
    for i in range(n):
        key = (years[i], cols["region"][i], cols["group"][i], cols["gender"][i], cols["education"][i],
               cols["age"][i], cols["country"][i])
        row_key.append(key)
        row_node.append((families.get(cols["measure"][i], cols["measure"][i]),) + key)

    # A node's count is known from a count row, or from a share row whose base is shown. Its value
    # (for choosing the smallest complement): the count, else share × base, else the share itself.
    count_of: dict[tuple, float] = {}
    for i in range(n):
        if cols["unit"][i] == "count":
            k = (cols["measure"][i],) + row_key[i]
            count_of[k] = min(count_of.get(k, values[i]), values[i])
    nodes: dict[tuple, float] = {}
    has_count: set[tuple] = set()
    share_bases: dict[tuple, set] = defaultdict(set)   # node -> base nodes of its share rows (None: unknown)
    row_base: list[tuple | None] = [None] * n
    for i in range(n):
        node, mid = row_node[i], cols["measure"][i]
        m = measures.get(mid)
        if cols["unit"][i] == "count":
            nodes[node] = abs(values[i])          # a count row's value wins
            has_count.add(node)
            continue
        base = None
        if m is not None and _is_base_share(m, measures) and (m.denominator,) + row_key[i] in count_of:
            base = (families.get(m.denominator, m.denominator),) + row_key[i]
            row_base[i] = base
        share_bases[node].add(base)
        if node not in nodes:
            nodes[node] = abs(values[i] * count_of[(m.denominator,) + row_key[i]] / 100) if base else abs(values[i])
    dependents = defaultdict(set)     # base node -> share-only nodes that are known only through it
    for node, bs in share_bases.items():
        if node not in has_count:
            for b in bs:
                if b is not None:
                    dependents[b].add(node)

    # Primary. The app computes a share from its count (query.get_cell), so the base rule looks at
    # the denominators of every share of a node's family, published or not.
    bases = defaultdict(set)
    for mid, m in measures.items():
        if _is_base_share(m, measures):
            bases[families[mid]].add(m.denominator)
    reasons: dict[tuple, str] = {}
    for i in range(n):
        mid, node = cols["measure"][i], row_node[i]
        m = measures.get(mid)
        if m is not None and m.unit == "count" and mid not in NOT_PERSONS and change_level(mid, measures) is None \
                and values[i] < threshold.min_count:
            reasons.setdefault(node, "count")
    for node in nodes:
        if node not in reasons:
            for den in bases.get(node[0], ()):
                base = count_of.get((den,) + node[1:])
                if base is not None and base < threshold.min_base:
                    reasons[node] = "base"
                    break

    relations = _relations(nodes, families, measures)
    by_node = defaultdict(list)
    for r_i, (_, total, parts) in enumerate(relations):
        for m in ((total,) if total else ()) + parts:
            by_node[m].append(r_i)

    def unsafe(kind, total, parts) -> bool:
        members = ((total,) if total else ()) + parts
        hidden = [m for m in members if m in reasons]
        if not hidden or len(hidden) == len(members):
            return False
        if kind == "change":
            return len(hidden) == 1
        # p can be worked out when the other hidden members hide no one.
        total_hidden = sum(nodes[m] for m in hidden)
        return any(total_hidden - nodes[p] == 0 for p in hidden)

    def opens(m) -> int:
        """How many relations of m have nothing hidden yet: hiding m would open each of them."""
        return sum(1 for r in by_node[m]
                   if not any(x in reasons for x in ((relations[r][1],) if relations[r][1] else ())
                              + relations[r][2]))

    def complement(kind, total, parts) -> list[tuple]:
        shown = [m for m in parts if m not in reasons]
        if kind == "change":
            return shown[:1]
        # The part that opens the fewest new gaps elsewhere, then the smallest: less is hidden in all.
        positive = sorted((m for m in shown if nodes[m] > 0), key=lambda m: (opens(m), nodes[m], m))
        if positive:
            return positive[:1]
        if total and total not in reasons and nodes[total] > 0:
            return [total]
        # Only zeros are left to hide behind: hide the whole relation.
        return shown + ([total] if total and total not in reasons else [])

    queue: list[int] = []
    queued: set[int] = set()

    def touched(m):
        for other in by_node[m]:
            if other not in queued:
                queue.append(other)
                queued.add(other)

    def hide(m, reason="secondary"):
        """Hide m; a node known only through shares of m as base goes with it (its shares cannot show)."""
        stack = [(m, reason)]
        while stack:
            x, why = stack.pop()
            reasons.setdefault(x, why)
            touched(x)
            for d in dependents.get(x, ()):
                if d not in reasons and all(b is not None and b in reasons for b in share_bases[d]):
                    stack.append((d, "secondary"))

    for m in list(reasons):
        hide(m, reasons[m])
    queue.extend(i for i in range(len(relations)) if i not in queued)
    queued.update(range(len(relations)))
    while queue:
        r_i = queue.pop()
        queued.discard(r_i)
        kind, total, parts = relations[r_i]
        while unsafe(kind, total, parts):
            for m in complement(kind, total, parts):
                hide(m)

    # Rows: all of a hidden node; and a share whose base is hidden (count / share would give the base).
    removed = np.fromiter(((row_node[i] in reasons) or (row_base[i] is not None and row_base[i] in reasons)
                           for i in range(n)), dtype=bool, count=n)
    row_reasons = {}
    for i in np.flatnonzero(removed):
        row_reasons[(cols["measure"][i],) + row_key[i]] = reasons.get(row_node[i], "secondary")
    result = Analysis(threshold, removed, reasons, families, row_reasons)
    cache[threshold] = result
    return result


# ---- the protected dataset ----------------------------------------------------------------------

def protect(ds: Dataset, threshold: Threshold = DEFAULT) -> Dataset:
    """A new Dataset without any suppressed row; `.suppressed` lists their keys and reasons (no values).

    Rows are removed, not flagged, so that nothing downstream (query's computed shares, /data.csv,
    downloads) can use them. `.suppressed` is a frame with the columns of the key plus `reason`.
    """
    a = analyse(ds, threshold)
    gone = ds.cells[a.removed]
    kept = ds.cells[~a.removed]
    out = dataset_from_frame(kept, ds.measures, ds.sources, origin=ds.origin, name=ds.name)
    keys = gone[list(KEY)].astype({k: str for k in KEY if k != "year"}).reset_index(drop=True)
    keys["year"] = keys["year"].astype(int)
    cols = [keys[k].tolist() for k in ("measure", "year", "region", "group", "gender", "education", "age", "country")]
    keys["reason"] = [a.row_reasons[k] for k in zip(*cols)]
    # Dataset is not ours to change: attach as instance attributes (see the report for the field).
    out.__dict__["suppressed"] = keys
    out.__dict__["protection"] = threshold
    out.__dict__["_analysis"] = a
    return out


def _coords_key(year: int, coords) -> tuple:
    return (int(year), coords.region, coords.group, coords.gender, coords.education, coords.age, coords.country)


def _reason(a: Analysis, measures: dict[str, Measure], measure: str, key: tuple) -> str | None:
    r = a.row_reasons.get((measure,) + key) or a.reasons.get((a.families.get(measure, measure),) + key)
    if r is None:
        m = measures.get(measure)
        if m is not None and _is_base_share(m, measures):
            # A share asked for whose base is hidden cannot be shown, even if its count is.
            base = a.reasons.get((a.families.get(m.denominator, m.denominator),) + key)
            r = "secondary" if base else None
    return r


def _analysis_for(ds: Dataset, threshold: Threshold | None) -> Analysis:
    a = ds.__dict__.get("_analysis")
    if a is not None and (threshold is None or a.threshold == threshold):
        return a
    return analyse(ds, threshold or DEFAULT)


def suppression_reason(ds: Dataset, measure: str, year: int, coords) -> str | None:
    """Why a figure is hidden (count | base | secondary), or None if it is not. `coords`: query.Coords."""
    return _reason(_analysis_for(ds, None), ds.measures, measure, _coords_key(year, coords))


def is_suppressed(ds: Dataset, measure: str, year: int, coords) -> bool:
    """True if the figure (published, or computable from its count) is hidden."""
    return suppression_reason(ds, measure, year, coords) is not None


@dataclass(frozen=True)
class SuppressedCell:
    """Stands in for a query.Cell that must not be shown: the UI shows `symbol` and `explanation`."""
    year: int
    coords: object
    measure: str
    unit: str
    reason: str
    symbol: str = SYMBOL
    value: None = None
    basis: str = "suppressed"

    @property
    def computed(self) -> bool:
        return False

    def explanation(self, lang: str = "nb", threshold: Threshold = DEFAULT) -> str:
        return explanation(lang, self.reason, threshold)


def suppress_cells(ds: Dataset, cells, threshold: Threshold | None = None) -> list:
    """Replace every cell that is, or was computed from, a suppressed figure by a SuppressedCell.

    Works on a protected dataset (its own analysis) or on an unprotected one (analysed here).
    """
    a = _analysis_for(ds, threshold)

    def reason(cell) -> str | None:
        r = _reason(a, ds.measures, cell.measure, _coords_key(cell.year, cell.coords))
        if r is not None:
            return r
        for inp in getattr(cell, "inputs", ()) or ():   # computed from a hidden figure
            r = reason(inp)
            if r is not None:
                return r
        return None

    out = []
    for cell in cells:
        if cell is None:
            out.append(None)
            continue
        r = reason(cell)
        out.append(cell if r is None else SuppressedCell(cell.year, cell.coords, cell.measure, cell.unit, r))
    return out
