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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import dimensions as dims, regions
from .dataset import Dataset, dataset_from_frame
from .schema import KEY, Measure

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
    # The two sums above share two parts, so their difference is a sum of its own: without it, hidden parts
    # could be worked out from the two together (tests/test_suppression_attack.py, the pairs).
    ("in_work_or_education_count_1y", ("employed_1y", "in_education_only_count_1y")),
    ("unemployed_or_labour_measures_count_1y", ("registered_unemployed_count_1y",
                                                "other_jobseekers_labour_measures_count_1y")),
)

# Parts of each category dimension whose sum is the `all` margin (dimensions.py: `parts`), read at every
# call so that a test can change them.
DIMENSION_PARTS = dims.PARTS

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

REASON_NAMES = ("", "count", "base", "secondary")     # the codes 1..3 of the analysis' arrays
_COUNT, _BASE, _SECONDARY = 1, 2, 3
_KEY_DIMS = dims.PLACE_IDS   # after the name and the year


class _Codec:
    """Nodes and rows as int64 keys: (name, year, region, group, gender, education, age, country) in mixed
    radix. Every vocabulary is sorted the way Python sorts str, so the keys sort as the tuples do."""

    def __init__(self, names, years, vocab: dict[str, list[str]]):
        self.names = sorted(set(names))
        self.name_code = {s: i for i, s in enumerate(self.names)}
        self.y0 = (min(years) if len(years) else 0) - 1          # year code 0 is the year before the first
        n_years = (max(years) - self.y0 + 1) if len(years) else 2
        self.vocab = {d: sorted(set(vocab[d])) for d in _KEY_DIMS}
        self.code = {d: {s: i for i, s in enumerate(v)} for d, v in self.vocab.items()}
        radix = [len(self.names), n_years] + [max(1, len(self.vocab[d])) for d in _KEY_DIMS]
        strides, s = [], 1
        for r in reversed(radix):
            strides.append(s)
            s *= r
        if s >= 2 ** 62:
            raise OverflowError("too many distinct values for an int64 key")
        self.stride = dict(zip(("name", "year") + _KEY_DIMS, reversed(strides)))
        self.radix = dict(zip(("name", "year") + _KEY_DIMS, radix))

    def encode(self, t: tuple) -> int | None:
        """The key of (name, year, region, …, country), or None if a part is in no vocabulary."""
        name = self.name_code.get(t[0])
        if name is None or len(t) != 2 + len(_KEY_DIMS):
            return None
        try:
            y = int(t[1]) - self.y0
        except (TypeError, ValueError):
            return None
        if not 0 < y < self.radix["year"]:
            return None
        k = name * self.stride["name"] + y * self.stride["year"]
        for d, v in zip(_KEY_DIMS, t[2:]):
            c = self.code[d].get(v)
            if c is None:
                return None
            k += c * self.stride[d]
        return k

    def decode(self, k: int) -> tuple:
        k = int(k)
        out = [self.names[k // self.stride["name"]], self.y0 + (k // self.stride["year"]) % self.radix["year"]]
        for d in _KEY_DIMS:
            out.append(self.vocab[d][(k // self.stride[d]) % self.radix[d]])
        return tuple(out)

    def part(self, keys: np.ndarray, d: str) -> np.ndarray:
        return (keys // self.stride[d]) % self.radix[d]


class KeyedReasons(Mapping):
    """A read-only {(name, year, region, …, country): reason} held as sorted int64 keys and reason codes."""

    def __init__(self, codec: _Codec, keys: np.ndarray, codes: np.ndarray):
        order = np.argsort(keys, kind="stable")
        self._codec, self._keys, self._codes = codec, keys[order], codes[order]

    def _find(self, key) -> int:
        k = self._codec.encode(key) if isinstance(key, tuple) else None
        if k is None:
            return -1
        i = int(np.searchsorted(self._keys, k))
        return i if i < len(self._keys) and self._keys[i] == k else -1

    def __getitem__(self, key):
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return REASON_NAMES[self._codes[i]]

    def __contains__(self, key) -> bool:
        return self._find(key) >= 0

    def __iter__(self):
        return (self._codec.decode(k) for k in self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass
class Analysis:
    threshold: Threshold
    removed: np.ndarray                 # bool per row of ds.cells
    reasons: Mapping                    # node (family, year, region, …) -> count | base | secondary
    families: dict[str, str]
    row_reasons: Mapping                # (measure, year, region, …) of each removed row -> reason
    removed_reasons: np.ndarray | None = None   # reason code (REASON_NAMES) of each removed row, in row order


@lru_cache(maxsize=64)
def _county_parts(year: int) -> dict[str, tuple[str, ...]]:
    parts = defaultdict(list)
    for r in regions.regions_in(year, "municipality"):
        parts[r.county].append(r.code)
    return {c: tuple(v) for c, v in parts.items()}


def _column_codes(series: pd.Series, code: dict[str, int]) -> np.ndarray:
    """Each row's code in a vocabulary (built from the same column, so every value has one)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = np.array([code[str(v)] for v in series.cat.categories], dtype=np.int64)
        return cats[series.cat.codes.to_numpy()]
    values, uniques = pd.factorize(series.astype(str), sort=False)
    return np.array([code[str(v)] for v in uniques], dtype=np.int64)[values]


def _strings(series: pd.Series) -> list[str]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [str(v) for v in series.cat.categories]
    return [str(v) for v in pd.unique(series.astype(str))]


def _lookup(sorted_keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Position of each query in sorted_keys, or -1."""
    if not len(sorted_keys):
        return np.full(queries.shape, -1, dtype=np.int64)
    i = np.searchsorted(sorted_keys, queries)
    i = np.minimum(i, len(sorted_keys) - 1)
    return np.where(sorted_keys[i] == queries, i, -1)


def _add_relations(groups: list, block, k1, k2, kind, members) -> None:
    """Keep the relations (rows of `members`) whose members are all present (no -1)."""
    ok = (members >= 0).all(axis=1)
    if ok.any():
        groups.append((block, k1[ok], k2[ok], kind, members[ok]))


def _dimension_relations(groups: list, codec: _Codec, node_keys: np.ndarray, ids: np.ndarray, find) -> None:
    """A margin and its parts along each category dimension (all = men + women, …)."""
    for kind_rank, (d, parts) in enumerate(DIMENSION_PARTS.items()):
        c_all = codec.code[d].get("all")
        pcs = [codec.code[d].get(p) for p in parts]
        if c_all is None or any(pc is None for pc in pcs) or not parts:
            continue
        sel = ids[codec.part(node_keys, d) == c_all]
        if not len(sel):
            continue
        cols = [sel] + [find(node_keys[sel] + (pc - c_all) * codec.stride[d]) for pc in pcs]
        _add_relations(groups, 0, sel, np.full(len(sel), kind_rank), 0, np.column_stack(cols))


def _region_relations(groups: list, codec: _Codec, node_keys: np.ndarray, ids: np.ndarray, find, rank: int) -> None:
    """A county and its municipalities that year; the country and its counties."""
    region_codes = codec.part(node_keys, "region")
    years = codec.part(node_keys, "year") + codec.y0
    rcode = codec.code["region"]
    pair = region_codes * (1 << 16) + (years - codec.y0)
    candidates = np.array([len(r) == 2 or r == "0" for r in codec.vocab["region"]], dtype=bool)
    cand_ids = ids[candidates[region_codes]] if len(codec.vocab["region"]) else ids[:0]
    if not len(cand_ids):
        return
    uniq, inverse = np.unique(pair[cand_ids], return_inverse=True)
    by_pair = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[by_pair], np.arange(len(uniq) + 1))
    for j, p in enumerate(uniq):
        rc, yc = int(p) >> 16, int(p) & 0xFFFF
        region, year = codec.vocab["region"][rc], yc + codec.y0
        members = (_county_parts(year).get(region, ()) if len(region) == 2
                   else tuple(r.code for r in regions.regions_in(year, "county")))
        mcs = [rcode.get(m) for m in members]
        if not members or any(mc is None for mc in mcs):
            continue
        sel = cand_ids[by_pair[bounds[j]:bounds[j + 1]]]
        cols = [sel] + [find(node_keys[sel] + (mc - rc) * codec.stride["region"]) for mc in mcs]
        _add_relations(groups, 0, sel, np.full(len(sel), rank), 0, np.column_stack(cols))


def _change_relations(groups: list, codec: _Codec, node_keys: np.ndarray, ids: np.ndarray, find, rank: int,
                      families: dict[str, str], measures) -> None:
    """A level and its change: this year's level + the change gives this year from last year's."""
    name_codes = node_keys // codec.stride["name"]
    for fc in np.unique(name_codes):
        fam = codec.names[int(fc)]
        level = change_level(fam, measures)
        if level is None:
            continue
        lf = codec.name_code.get(families.get(level, level))
        if lf is None:
            continue
        sel = ids[name_codes == fc]
        this = node_keys[sel] + (lf - int(fc)) * codec.stride["name"]
        _add_relations(groups, 0, sel, np.full(len(sel), rank), 1,
                       np.column_stack([sel, find(this), find(this - codec.stride["year"])]))


def _measure_sum_relations(groups: list, codec: _Codec, node_keys: np.ndarray, ids: np.ndarray, find,
                           families: dict[str, str]) -> None:
    """Sums of measures that hold by definition (MEASURE_SUMS)."""
    name_codes = node_keys // codec.stride["name"]
    for s_i, (total, parts) in enumerate(MEASURE_SUMS):
        tf = codec.name_code.get(families.get(total, total))
        pfs = [codec.name_code.get(families.get(p, p)) for p in parts]
        if tf is None or any(pf is None for pf in pfs):
            continue
        sel = ids[name_codes == tf]
        if not len(sel):
            continue
        cols = [sel] + [find(node_keys[sel] + (pf - tf) * codec.stride["name"]) for pf in pfs]
        _add_relations(groups, 1, np.full(len(sel), s_i), sel, 0, np.column_stack(cols))


def _pack_relations(groups: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The groups' relations in their sort order, as (kinds, CSR pointers, flat member node ids)."""
    if not groups:
        return np.zeros(0, np.int8), np.zeros(1, np.int64), np.zeros(0, np.int64)
    block = np.concatenate([np.full(len(g[1]), g[0]) for g in groups])
    k1 = np.concatenate([g[1] for g in groups])
    k2 = np.concatenate([g[2] for g in groups])
    order = np.lexsort((k2, k1, block))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    widths = np.concatenate([np.full(len(g[1]), g[4].shape[1]) for g in groups])[order]
    kinds = np.concatenate([np.full(len(g[1]), g[3], dtype=np.int8) for g in groups])[order]
    ptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(widths, out=ptr[1:])
    flat = np.empty(int(ptr[-1]), dtype=np.int64)
    start = 0
    for g in groups:
        cnt, width = g[4].shape
        pos = rank[start:start + cnt]
        flat[(ptr[pos][:, None] + np.arange(width)).ravel()] = g[4].ravel()
        start += cnt
    return kinds, ptr, flat


def _relations(codec: _Codec, node_keys: np.ndarray, families: dict[str, str], measures):
    """Every relation whose members are all present, as (kind per relation: 0 sum / 1 change, CSR pointers,
    flat member node ids): a sum's total first, then its parts; a change's (change, level, last year's level).

    The order is the one the relations had when they were built node by node (for each node: its
    dimensions in DIMENSION_PARTS' order, its region, its change; then MEASURE_SUMS, each over the nodes),
    so that the greedy choice of complements below meets them in the same order. DIMENSION_PARTS and
    MEASURE_SUMS are read here, at every call."""
    n = len(node_keys)
    order = np.argsort(node_keys, kind="stable")
    sorted_keys = node_keys[order]

    def find(keys):
        pos = _lookup(sorted_keys, keys)
        return np.where(pos >= 0, order[np.maximum(pos, 0)], -1)

    ids = np.arange(n, dtype=np.int64)
    groups = []      # (block, first sort key, second sort key, kind, members (count, width))
    n_dims = len(DIMENSION_PARTS)
    _dimension_relations(groups, codec, node_keys, ids, find)
    _region_relations(groups, codec, node_keys, ids, find, n_dims)
    _change_relations(groups, codec, node_keys, ids, find, n_dims + 1, families, measures)
    _measure_sum_relations(groups, codec, node_keys, ids, find, families)
    return _pack_relations(groups)


@dataclass
class _Rows:
    """The rows of ds.cells as integer codes, and what each measure (category of `measure`) is."""
    codec: _Codec
    S: int                         # the stride of the name: a node's key is family * S + row_key
    row_key: np.ndarray            # each row's year and coordinates, encoded
    mcat: np.ndarray               # each row's measure, as a category code
    cat_name: np.ndarray           # per category: the measure's name code, its family's, …
    cat_fam: np.ndarray
    cat_base_share: np.ndarray
    cat_den: np.ndarray
    cat_den_fam: np.ndarray
    cat_person_count: np.ndarray
    values: np.ndarray
    is_count: np.ndarray


def _key_names(measure_cats: list[str], measures, families: dict[str, str]) -> set[str]:
    """Every name a key can hold: the measures, their families, denominators and counts, and MEASURE_SUMS'."""
    names = set(measure_cats) | set(measures) | set(families.values())
    for m in measures.values():
        names.update(x for x in (m.denominator, m.count_measure) if x)
    for total, parts in MEASURE_SUMS:
        names.update((total, families.get(total, total)) + tuple(parts) + tuple(families.get(p, p) for p in parts))
    return names


def _encode(ds: Dataset, families: dict[str, str]) -> _Rows:
    """ds.cells as integer keys and per-measure arrays, so that the analysis runs on numpy arrays."""
    measures, c = ds.measures, ds.cells
    measure_cats = _strings(c["measure"])
    years = c["year"].to_numpy().astype(np.int64)
    codec = _Codec(_key_names(measure_cats, measures, families), np.unique(years),
                   {d: _strings(c[d]) for d in _KEY_DIMS})
    row_key = (years - codec.y0) * codec.stride["year"]
    for d in _KEY_DIMS:
        row_key += _column_codes(c[d], codec.code[d]) * codec.stride[d]
    mcat = (c["measure"].cat.codes.to_numpy() if isinstance(c["measure"].dtype, pd.CategoricalDtype)
            else pd.Categorical(c["measure"].astype(str), categories=measure_cats).codes)
    cat_name = np.array([codec.name_code[m] for m in measure_cats], dtype=np.int64)
    cat_fam = np.array([codec.name_code[families.get(m, m)] for m in measure_cats], dtype=np.int64)
    cat_meta = [measures.get(m) for m in measure_cats]
    cat_base_share = np.array([m is not None and _is_base_share(m, measures) for m in cat_meta], dtype=bool)
    cat_den = np.array([codec.name_code[m.denominator] if m is not None and m.denominator else 0
                        for m in cat_meta], dtype=np.int64)
    cat_den_fam = np.array([codec.name_code[families.get(m.denominator, m.denominator)]
                            if m is not None and m.denominator else 0 for m in cat_meta], dtype=np.int64)
    cat_person_count = np.array([m is not None and m.unit == "count" and mid not in NOT_PERSONS
                                 and change_level(mid, measures) is None for mid, m in zip(measure_cats, cat_meta)],
                                dtype=bool)
    values = c["value"].to_numpy(dtype=np.float64)
    unit = c["unit"]
    is_count = ((unit.cat.categories.astype(str) == "count")[unit.cat.codes.to_numpy()]
                if isinstance(unit.dtype, pd.CategoricalDtype) else (unit.astype(str) == "count").to_numpy())
    return _Rows(codec, codec.stride["name"], row_key, mcat, cat_name, cat_fam, cat_base_share, cat_den,
                 cat_den_fam, cat_person_count, values, is_count)


@dataclass
class _Nodes:
    """A share and its count are one node; `node_value` is its number of persons (a count's, or a share's
    of its base)."""
    node_of_row: np.ndarray
    node_keys: np.ndarray
    node_value: np.ndarray
    cnt_keys: np.ndarray           # the keys of the count rows (measure, not family), sorted
    cnt_min: np.ndarray            # the smallest value of each
    row_base: np.ndarray           # the node of each share row's base, or -1
    no_base: np.ndarray            # share-only nodes with a share of an unknown base
    dep_of: dict                   # base -> share-only nodes that are known through it
    bases_of: dict                 # share-only node -> its bases
    from_share: np.ndarray = None  # nodes without a count row whose value is a share of its shown base


def _count_minima(r: _Rows, cidx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys of the count rows `cidx`, sorted, and the smallest value of each."""
    ck = r.cat_name[r.mcat[cidx]] * r.S + r.row_key[cidx]
    o = np.argsort(ck, kind="stable")
    cnt_keys, starts = np.unique(ck[o], return_index=True)
    cnt_min = np.minimum.reduceat(r.values[cidx][o], starts) if len(o) else np.zeros(0)
    return cnt_keys, cnt_min


def _share_bases(r: _Rows, sidx: np.ndarray, cnt_keys: np.ndarray, node_keys: np.ndarray):
    """Per share row: its base's position among the counts, or -1; and per row, its base's node, or -1."""
    s_cat = r.mcat[sidx]
    s_base_cnt = np.where(r.cat_base_share[s_cat], _lookup(cnt_keys, r.cat_den[s_cat] * r.S + r.row_key[sidx]), -1)
    s_has_base = s_base_cnt >= 0
    row_base = np.full(len(r.mcat), -1, dtype=np.int64)
    if s_has_base.any():
        o = np.argsort(node_keys, kind="stable")
        bk = r.cat_den_fam[s_cat[s_has_base]] * r.S + r.row_key[sidx[s_has_base]]
        row_base[sidx[s_has_base]] = o[_lookup(node_keys[o], bk)]   # a count row made that node: it exists
    return s_base_cnt, row_base


def _known_through_bases(s_nodes: np.ndarray, sidx: np.ndarray, has_count: np.ndarray, row_base: np.ndarray):
    """Nodes known only through shares: their bases (a share of an unknown base: no base, never cascades)."""
    share_only_rows = ~has_count[s_nodes]
    d_nodes = s_nodes[share_only_rows]
    d_bases = row_base[sidx[share_only_rows]]
    no_base = np.zeros(len(has_count), dtype=bool)
    no_base[d_nodes[d_bases < 0]] = True
    pairs = np.unique(np.column_stack([d_nodes[d_bases >= 0], d_bases[d_bases >= 0]]), axis=0) \
        if (d_bases >= 0).any() else np.zeros((0, 2), dtype=np.int64)
    dep_of = defaultdict(list)        # base -> share-only nodes that are known through it
    bases_of = defaultdict(list)      # share-only node -> its bases
    for dn, b in pairs.tolist():
        dep_of[b].append(dn)
        bases_of[dn].append(b)
    return no_base, dep_of, bases_of


def _nodes(r: _Rows) -> _Nodes:
    """The nodes, in the order of their first row, and their values: a count row's value wins (the last
    one); a node with shares only is its first share of its base's smallest count (or the share itself)."""
    values = r.values
    cidx = np.flatnonzero(r.is_count)
    cnt_keys, cnt_min = _count_minima(r, cidx)
    node_of_row, node_keys = pd.factorize(r.cat_fam[r.mcat] * r.S + r.row_key, sort=False)
    node_keys = np.asarray(node_keys, dtype=np.int64)
    N = len(node_keys)
    has_count = np.zeros(N, dtype=bool)
    has_count[node_of_row[cidx]] = True
    node_value = np.zeros(N, dtype=np.float64)
    rev = node_of_row[cidx][::-1]
    u, first_rev = np.unique(rev, return_index=True)
    node_value[u] = np.abs(values[cidx[::-1][first_rev]])
    sidx = np.flatnonzero(~r.is_count)
    s_base_cnt, row_base = _share_bases(r, sidx, cnt_keys, node_keys)
    s_has_base = s_base_cnt >= 0
    s_nodes = node_of_row[sidx]
    u, first = np.unique(s_nodes, return_index=True)
    only_share = ~has_count[u]
    u, first = u[only_share], first[only_share]
    base_count = cnt_min[np.maximum(s_base_cnt[first], 0)] if len(cnt_min) else np.zeros(len(first))  # (no counts)
    derived = np.where(s_has_base[first], values[sidx[first]] * base_count / 100, values[sidx[first]])
    node_value[u] = np.abs(derived)
    from_share = np.zeros(N, dtype=bool)
    from_share[u[s_has_base[first]]] = True
    no_base, dep_of, bases_of = _known_through_bases(s_nodes, sidx, has_count, row_base)
    return _Nodes(node_of_row, node_keys, node_value, cnt_keys, cnt_min, row_base, no_base, dep_of, bases_of,
                  from_share)


def _primary(r: _Rows, nodes: _Nodes, measures, families: dict[str, str], threshold: Threshold):
    """The nodes hidden for what they are: a count of persons below min_count (_COUNT), then a share whose
    base is below min_base (_BASE). Gives (reason code per node, count nodes, base nodes), each list in order."""
    codec, S, node_keys, cnt_keys, cnt_min = r.codec, r.S, nodes.node_keys, nodes.cnt_keys, nodes.cnt_min
    N = len(node_keys)
    small = np.flatnonzero(r.cat_person_count[r.mcat] & (r.values < threshold.min_count))
    u, first = np.unique(nodes.node_of_row[small], return_index=True)
    count_nodes = u[np.argsort(first, kind="stable")]                 # in the order of their first row
    hidden = np.zeros(N, dtype=np.int8)
    hidden[count_nodes] = _COUNT
    node_fam = node_keys // S
    # A share of a shown base is a count too (30 % of 10 is 3 persons): one below min_count goes as a count.
    persons = np.array([n not in NOT_PERSONS for n in codec.names], dtype=bool)[node_fam]
    share_counts = np.flatnonzero(nodes.from_share & persons & (np.round(nodes.node_value) < threshold.min_count)
                                  & (hidden == 0))
    hidden[share_counts] = _COUNT
    count_nodes = np.concatenate([count_nodes, share_counts])
    node_k = node_keys % S
    base_hit = np.zeros(N, dtype=bool)
    bases = defaultdict(set)
    for mid, m in measures.items():
        if _is_base_share(m, measures):
            bases[families[mid]].add(m.denominator)
    for fam, dens in bases.items():
        fc = codec.name_code.get(fam)
        if fc is None:
            continue
        sel = np.flatnonzero(node_fam == fc)
        for den in dens:
            pos = _lookup(cnt_keys, codec.name_code[den] * S + node_k[sel])
            hit = pos >= 0
            base_hit[sel[hit][cnt_min[pos[hit]] < threshold.min_base]] = True
    base_nodes = np.flatnonzero(base_hit & (hidden == 0))
    hidden[base_nodes] = _BASE
    return hidden, count_nodes, base_nodes


class _Index(NamedTuple):
    """The relations as memoryviews, read one item at a time by the greedy loop (faster than numpy there)."""
    val: memoryview      # node -> value
    key: memoryview      # node -> key
    rptr: memoryview     # relation -> its first member in mem (CSR)
    mem: memoryview      # the members of every relation
    bptr: memoryview     # node -> its first relation in brel (CSR)
    brel: memoryview     # the relations of every node, in order
    change: bytes        # relation -> 1 for a change, 0 for a sum


def _index(nodes: _Nodes, kinds: np.ndarray, ptr: np.ndarray, flat: np.ndarray) -> _Index:
    """The relations (_relations' CSR arrays) and, per node, the relations it is a member of."""
    N = len(nodes.node_keys)
    by_node = np.argsort(flat, kind="stable")
    rel_of = np.repeat(np.arange(len(kinds), dtype=np.int64), np.diff(ptr))[by_node]   # relations of each node
    bn_ptr = np.zeros(N + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=N), out=bn_ptr[1:])
    return _Index(memoryview(nodes.node_value), memoryview(nodes.node_keys), memoryview(ptr), memoryview(flat),
                  memoryview(bn_ptr), memoryview(rel_of), kinds.tobytes())


def _hiding(ix: _Index, nodes: _Nodes, hid: bytearray, H: list, NZ: list, queued: bytearray, queue: list):
    """mark(x) counts hidden node x in its relations; hide(x) hides it and queues its relations."""
    val, bptr, brel = ix.val, ix.bptr, ix.brel
    dep_of, bases_of, no_base = nodes.dep_of, nodes.bases_of, nodes.no_base

    def mark(x):
        nz = val[x] != 0
        for j in range(bptr[x], bptr[x + 1]):
            r = brel[j]
            H[r] += 1
            if nz:
                NZ[r] += 1

    def hide(x, why=_SECONDARY):
        """Hide x, touch its relations; a node known only through shares of x as base goes with it."""
        stack = [(x, why)]
        while stack:
            x, why = stack.pop()
            if not hid[x]:
                hid[x] = why
                mark(x)
            for j in range(bptr[x], bptr[x + 1]):
                r = brel[j]
                if not queued[r]:
                    queued[r] = 1
                    queue.append(r)
            for d in dep_of.get(x, ()):
                if not hid[d] and not no_base[d] and all(hid[b] for b in bases_of[d]):
                    stack.append((d, _SECONDARY))
    return mark, hide


def _choosing(ix: _Index, hid: bytearray, H: list, NZ: list):
    """unsafe(r): relation r gives a hidden member away; complement(r): the shown members to hide next."""
    val, key, rptr, mem, bptr, brel, change = ix

    def unsafe(r) -> bool:
        h = H[r]
        if h == 0 or h == rptr[r + 1] - rptr[r]:
            return False
        if change[r]:
            return h == 1
        # A hidden member p can be worked out when the other hidden members hide no one (all are 0).
        # Values are never negative (absolute), so that is: at most one hidden member is not 0.
        return NZ[r] <= 1

    def opens(m) -> int:
        return sum(1 for j in range(bptr[m], bptr[m + 1]) if H[brel[j]] == 0)

    def complement(r) -> list[int]:
        a, b = rptr[r], rptr[r + 1]
        if change[r]:
            shown = [mem[j] for j in range(a, b) if not hid[mem[j]]]
            return shown[:1]
        total = mem[a]
        shown = [mem[j] for j in range(a + 1, b) if not hid[mem[j]]]
        positive = [m for m in shown if val[m] > 0]
        if positive:
            # The part that opens the fewest new gaps elsewhere, then the smallest: less is hidden in all.
            return [min(positive, key=lambda m: (opens(m), val[m], key[m]))]
        if not hid[total] and val[total] > 0:
            return [total]
        # Only zeros are left to hide behind: hide the whole relation.
        return shown + ([total] if not hid[total] else [])
    return unsafe, complement


def _complements(nodes: _Nodes, hidden: np.ndarray, primary: list, relations) -> np.ndarray:
    """Secondary suppression, the greedy complements: the reason code of every node after it."""
    kinds, ptr, flat = relations
    ix = _index(nodes, kinds, ptr, flat)
    R = len(kinds)
    H = [0] * R           # hidden members of each relation (with multiplicity)
    NZ = [0] * R          # hidden members that are not 0
    queued = bytearray(R)
    queue: list[int] = []
    hid = bytearray(hidden.tobytes())
    mark, hide = _hiding(ix, nodes, hid, H, NZ, queued, queue)
    unsafe, complement = _choosing(ix, hid, H, NZ)
    for x in primary:
        mark(x)
    for x in primary:
        hide(x, hid[x])
    # Relations with no hidden member are safe: only those touched by a hidden node are looked at.
    while queue:
        r = queue.pop()
        queued[r] = 0
        while unsafe(r):
            for m in complement(r):
                hide(m)
    return np.frombuffer(bytes(hid), dtype=np.int8)


def _analysis(r: _Rows, nodes: _Nodes, hidden: np.ndarray, threshold: Threshold, families) -> Analysis:
    """The rows that go: those of a hidden node, and shares whose base is hidden; with their reasons."""
    node_keys, row_base = nodes.node_keys, nodes.row_base
    node_reason = hidden[nodes.node_of_row]
    removed = node_reason > 0
    has_base = row_base >= 0
    removed[has_base] |= hidden[row_base[has_base]] > 0
    gone = np.flatnonzero(removed)
    removed_reasons = np.where(node_reason[gone] > 0, node_reason[gone], _SECONDARY).astype(np.int8)
    rk = r.cat_name[r.mcat[gone]] * r.S + r.row_key[gone]
    rk, first = np.unique(rk, return_index=True)
    hidden_nodes = np.flatnonzero(hidden)
    return Analysis(threshold, removed, KeyedReasons(r.codec, node_keys[hidden_nodes], hidden[hidden_nodes]),
                    families, KeyedReasons(r.codec, rk, removed_reasons[first]), removed_reasons)


def analyse(ds: Dataset, threshold: Threshold = DEFAULT, force=None) -> Analysis:
    """Which rows of ds.cells must go, and why (cached on the dataset per threshold).

    `force`: the positions of rows that go whatever their value, as secondary, with their complements
    (uploads.overlay: a user's part that would leave a small number beside a published total).

    Vectorised over integer keys (numpy): nodes, values, primary reasons and every relation are built with
    array operations; only the greedy choice of complements runs one relation at a time, and only over the
    relations that hold a hidden member. It gives what the plain-Python version gave (tests/suppression_oracle.py,
    compared in tests/test_suppression_oracle.py)."""
    cache = ds.__dict__.setdefault("_protection_cache", {})
    forced = tuple(sorted({int(i) for i in force})) if force is not None and len(force) else ()
    ck = (threshold, forced) if forced else threshold
    if ck in cache:
        return cache[ck]
    measures = ds.measures
    families = family_of(measures)
    rows = _encode(ds, families)
    nodes = _nodes(rows)
    hidden, count_nodes, base_nodes = _primary(rows, nodes, measures, families, threshold)
    relations = _relations(rows.codec, nodes.node_keys, families, measures)
    primary = np.concatenate([count_nodes, base_nodes]).tolist()
    for x in dict.fromkeys(nodes.node_of_row[list(forced)].tolist()):
        if not hidden[x]:
            hidden[x] = _SECONDARY
            primary.append(x)
    hidden = _complements(nodes, hidden, primary, relations)
    result = _analysis(rows, nodes, hidden, threshold, families)
    cache[ck] = result
    return result


# ---- the protected dataset ----------------------------------------------------------------------

def protect(ds: Dataset, threshold: Threshold = DEFAULT, force=None) -> Dataset:
    """A new Dataset without any suppressed row; `.suppressed` lists their keys and reasons (no values).
    `force`: rows hidden whatever their value (analyse).

    Rows are removed, not flagged, so that nothing downstream (query's computed shares, /data.csv,
    downloads) can use them. `.suppressed` is a frame with the columns of the key plus `reason`.
    """
    a = analyse(ds, threshold, force)
    gone = ds.cells[a.removed]
    kept = ds.cells[~a.removed]
    out = dataset_from_frame(kept, ds.measures, ds.sources, origin=ds.origin, name=ds.name)
    keys = gone[list(KEY)].astype({k: str for k in KEY if k != "year"}).reset_index(drop=True)
    keys["year"] = keys["year"].astype(int)
    keys["reason"] = np.array(REASON_NAMES, dtype=object)[a.removed_reasons]
    # Dataset is not ours to change: attach as instance attributes (see the report for the field).
    out.__dict__["suppressed"] = keys
    out.__dict__["protection"] = threshold
    out.__dict__["_analysis"] = a
    # The rows hidden, kept on the server only (never served): a user's file is laid over the published
    # figures as they were before protection, so that the protection of the combination sees every cell.
    out.__dict__["hidden_rows"] = gone
    return out


def _coords_key(year: int, coords) -> tuple:
    return (int(year),) + tuple(getattr(coords, d) for d in dims.PLACE_IDS)


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
    key = _coords_key(year, coords)
    return _reason(_analysis_for(ds, None), ds.measures, measure, key)


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
