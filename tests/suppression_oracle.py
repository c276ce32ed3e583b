"""The small-number protection as it was before it was vectorised (dashboard/model/suppression.py up to
the commit that replaced it): plain Python over every cell. Kept here, unchanged, as the oracle that the
vectorised analyse() must agree with (tests/test_suppression_oracle.py). Not used by the app.

It reads the declared relations (suppression.DIMENSION_PARTS, suppression.MEASURE_SUMS) from the module at
call time, as the vectorised one does, so both always protect along the same relations.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from dashboard.model import regions
from dashboard.model import suppression as S
from dashboard.model.dataset import Dataset
from dashboard.model.schema import DIMENSIONS
from dashboard.model.suppression import (DEFAULT, NOT_PERSONS, Analysis, Threshold, _county_parts, _is_base_share,
                                         change_level, family_of)


def _relations(nodes: dict[tuple, float], families: dict[str, str], measures) -> list[tuple[str, tuple, tuple]]:
    """(kind, total-or-(), parts) for every relation whose members are all present."""
    out = []
    present = nodes.keys()
    dim_index = {d: 1 + DIMENSIONS.index(d) for d in DIMENSIONS}   # node = (family, year, region, …)
    for node in present:
        fam, year, region = node[0], node[1], node[2]
        for d, parts in S.DIMENSION_PARTS.items():
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
    for total, parts in S.MEASURE_SUMS:
        tf = families.get(total, total)
        pfs = [families.get(p, p) for p in parts]
        for node in present:
            if node[0] == tf:
                members = tuple((pf,) + node[1:] for pf in pfs)
                if all(m in nodes for m in members):
                    out.append(("sum", node, members))
    return out


def analyse(ds: Dataset, threshold: Threshold = DEFAULT) -> Analysis:
    """Which rows of ds.cells must go, and why: the implementation before the vectorised one, verbatim
    (only its cache is gone, and the relations' declarations are read from the module at call time)."""
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
    from_share: set[tuple] = set()                     # share-only nodes valued as a share of a shown base
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
            if base:
                from_share.add(node)
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
    # Added with the same rule in suppression._primary: a share of a shown base below min_count persons.
    for node in nodes:
        if node in from_share and node not in has_count and node[0] not in NOT_PERSONS \
                and round(nodes[node]) < threshold.min_count:
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
    return Analysis(threshold, removed, reasons, families, row_reasons)
