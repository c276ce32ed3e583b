"""An attacker on the small-number protection, written independently of dashboard.model.suppression's analysis.

It reads only what the protection promises to protect along: the dimension table (dimensions.PARTS: a
margin and its parts), the region hierarchy (dashboard.model.regions: a county is its municipalities that
year, the country its counties), the measure sums (suppression.MEASURE_SUMS) and the catalogue's change
measures (this year's level = last year's level + the change). A new dimension with parts, a new measure
sum or a new change measure is attacked without a change here.

Facts the attacker can know (from the rows that are shown, as an outsider sees them):
  ("C", family, key)  a number of persons: a count row, or a share times its shown base;
  ("L", measure, key) a share that has a change measure: its row, or its count over its base;
  ("D", change, key)  a change row.
key = (year, region, group, gender, education, age, country).

attack() tries every single relation (a hidden fact = a shown total minus the shown parts, or the sum of
shown parts; a level from the other two of a level/change triple; a base from a shown count and its share)
and every pair of linear relations (two equations that together leave one unknown), and returns what it
recovered. assert_protected() also checks the primary rule: no shown count below min_count and no share of
fewer than min_base persons.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from dashboard.model import dimensions as dims, regions
from dashboard.model import suppression
from dashboard.model.suppression import NOT_PERSONS, Threshold

from .cube_full import change_measures

KEY = ("year",) + dims.PLACE_IDS
REGION_AT = KEY.index(dims.REGION)


def _rows(frame: pd.DataFrame) -> dict[tuple, tuple[float, str]]:
    cols = [frame[k].astype(str) if k != "year" else frame[k].astype(int) for k in KEY]
    out = {}
    for measure, value, unit, *key in zip(frame["measure"].astype(str), frame["value"].astype(float),
                                          frame["unit"].astype(str), *cols):
        out.setdefault((measure, tuple(key)), (value, unit))
    return out


@dataclass
class Facts:
    value: dict = field(default_factory=dict)     # fact -> value
    err: dict = field(default_factory=dict)       # fact -> how far off its value may be (rounded shares)
    shares: list = field(default_factory=list)    # (share measure, key, share value) of every share row
    base_of: dict = field(default_factory=dict)   # count fact -> its base fact (from a share's denominator)


def facts(frame: pd.DataFrame, measures) -> Facts:
    """What the rows of `frame` let a reader know, with the app's own rule for computed shares."""
    rows = _rows(frame)
    f = Facts()
    levels = {level for level, kind in change_measures(measures).values() if kind == "pp"}
    changes = change_measures(measures)
    for (m, key), (v, unit) in rows.items():
        if unit == "count" and m not in changes:
            f.value[("C", m, key)], f.err[("C", m, key)] = v, 0.0
        elif m in changes:
            f.value[("D", m, key)], f.err[("D", m, key)] = v, 0.0
    for (m, key), (v, unit) in rows.items():
        meta = measures.get(m)
        if unit != "percent" or meta is None or not meta.denominator or m in changes:
            continue
        f.shares.append((m, key, v))
        fam = meta.count_measure or m
        base = ("C", meta.denominator, key)
        f.base_of[("C", fam, key)] = base
        if base in f.value and ("C", fam, key) not in f.value:
            f.value[("C", fam, key)] = v * f.value[base] / 100
            f.err[("C", fam, key)] = 0.05 * f.value[base] / 100
        if m in levels:
            f.value[("L", m, key)], f.err[("L", m, key)] = v, 0.0
    # A share the app computes from a shown count and its shown base (query: share_of_counts) is known too.
    for m in levels:
        meta = measures[m]
        for fact in [x for x in f.value if x[0] == "C" and x[1] == meta.count_measure]:
            key = fact[2]
            base = f.value.get(("C", meta.denominator, key))
            if ("L", m, key) not in f.value and base:
                f.value[("L", m, key)], f.err[("L", m, key)] = 100 * f.value[fact] / base, 0.0
    return f


def _family(mid: str, measures) -> str:
    meta = measures.get(mid)
    return meta.count_measure if meta is not None and meta.unit == "percent" and meta.count_measure else mid


def relations(truth: Facts, measures, shown: Facts) -> list[tuple[str, list[tuple[tuple, float]]]]:
    """Every relation whose members all exist: ('sum' | 'change', [(fact, coefficient)]) with Σ c·x = 0,
    or ('ratio', [count, base, share value]) for a shown share between its count and its base."""
    out = []
    present = truth.value
    places = {d: KEY.index(d) for d in dims.PARTS}
    county_munis = {}
    for fact in present:
        kind, name, key = fact
        if kind != "C":
            continue
        for d, parts in dims.PARTS.items():                        # a margin and its parts
            i = places[d]
            if key[i] == dims.ALL:
                out.append(("sum", [(fact, 1.0)] + [(("C", name, key[:i] + (p,) + key[i + 1:]), -1.0) for p in parts],
                            d))
        year, region = key[0], key[REGION_AT]
        if len(region) == 2 or region == "0":                      # a county and its municipalities; the country
            if (year, region) not in county_munis:
                county_munis[(year, region)] = (
                    [r.code for r in regions.regions_in(year, "municipality") if r.county == region] if region != "0"
                    else [r.code for r in regions.regions_in(year, "county")])
            members = county_munis[(year, region)]
            if members:
                out.append(("sum", [(fact, 1.0)] + [(("C", name, key[:REGION_AT] + (m,) + key[REGION_AT + 1:]), -1.0)
                                                    for m in members], "region"))
    for total, parts in suppression.MEASURE_SUMS:                   # sums of measures (read at each call)
        t = _family(total, measures)
        for fact in present:
            if fact[0] == "C" and fact[1] == t:
                out.append(("sum", [(fact, 1.0)] + [(("C", _family(p, measures), fact[2]), -1.0) for p in parts],
                            "measure sum"))
    for cid, (level, kind) in change_measures(measures).items():    # a level and its change
        for fact in present:
            if fact[0] == "D" and fact[1] == cid:
                key = fact[2]
                last = (key[0] - 1,) + key[1:]
                lk = "L" if kind == "pp" else "C"
                members = [((lk, level, key), 1.0), ((lk, level, last), -1.0), (fact, -1.0)]
                out.append(("change" if kind != "pct" else "pct", members, "change"))
    for m, key, v in shown.shares:                                  # count = share × base
        meta = measures[m]
        fam = ("C", meta.count_measure or m, key)
        out.append(("ratio", [fam, ("C", meta.denominator, key), v], "share"))
    return [(k, ms, label) for k, ms, label in out
            if (ms[0] in present and ms[1] in present if k == "ratio" else all(x in present for x, _ in ms))]


@dataclass
class Report:
    attempts: int = 0
    pair_attempts: int = 0
    hidden: int = 0
    recovered: list = field(default_factory=list)     # (fact, true value, how)
    attacked: Counter = field(default_factory=Counter)  # relation label (a dimension, region, …) -> relations tried
    primary: list = field(default_factory=list)       # (what, fact, value)


def _close(guess: float, true: float, err: float, fact) -> bool:
    tol = 0.051 if fact[0] != "C" else 0.5
    return err <= tol and abs(guess - true) <= tol


def attack(original: pd.DataFrame, protected: pd.DataFrame, measures, threshold: Threshold = Threshold(),
           pairs: bool = True) -> Report:
    truth, shown = facts(original, measures), facts(protected, measures)
    rels = relations(truth, measures, shown)
    T, K = truth.value, shown.value
    hidden = {x for x in T if x not in K}
    rep = Report(hidden=len(hidden))
    # The primary rule, on what is shown.
    for x, v in K.items():
        if x[0] == "C" and x[1] in measures and measures[x[1]].unit == "count" and x[1] not in NOT_PERSONS \
                and T[x] < threshold.min_count:
            rep.primary.append(("count below min_count", x, T[x]))
    for m, key, _ in shown.shares:
        base = T.get(("C", measures[m].denominator, key))
        if base is not None and base < threshold.min_base:
            rep.primary.append(("share of a small base", (m, key), base))
    linear = []
    for kind, members, label in rels:
        if kind == "ratio":
            count, base, share = members
            rep.attacked[label] += 1                 # a shown share, between its count and its base
            for a, b in ((count, base), (base, count)):
                if a in hidden and b in K:
                    rep.attempts += 1
                    rep.attacked[label] += 1
                    if a == base and not share:
                        continue
                    guess = share * K[b] / 100 if a == count else K[b] * 100 / share
                    err = shown.err[b] + (0.05 * K[b] / 100 if a == count else 0.05 * K[b] * 100 / share ** 2)
                    if _close(guess, T[a], err, a):
                        rep.recovered.append((a, T[a], f"from {b} and its share {share}"))
            continue
        unknown = [(x, c) for x, c in members if x in hidden]
        known = [(x, c) for x, c in members if x in K]
        if kind != "pct" and unknown:
            linear.append((label, members, unknown, known))
        if not unknown or not known:
            continue
        rep.attacked[label] += 1                     # a relation with hidden and shown members, tried
        if kind == "pct":
            if len(unknown) == 1:
                rep.attempts += 1
                x = unknown[0][0]
                vals = {m: K.get(m) for m, _ in members}
                (this, _), (last, _), (chg, _) = members
                guess = (vals[last] * (1 + vals[chg] / 100) if x == this else
                         vals[this] / (1 + vals[chg] / 100) if x == last and vals[chg] != -100 else
                         (100 * (vals[this] / vals[last] - 1) if vals[last] else None))
                if guess is not None and abs(guess - T[x]) <= 0.5:
                    rep.recovered.append((x, T[x], f"from the change {members}"))
            continue
        if kind == "change" and len(unknown) > 1:
            continue
        for x, c in unknown:
            rep.attempts += 1
            guess = -sum(ck * K[k] for k, ck in known) / c
            err = sum(shown.err[k] for k, _ in known)
            if _close(guess, T[x], err, x):
                rep.recovered.append((x, T[x], f"{label}: {[(m, 'shown' if m in K else 'hidden') for m, _ in members]}"))
    if pairs:
        _pairs(linear, T, K, shown.err, rep)
    return rep


def _pairs(linear, T, K, err, rep: Report) -> None:
    """Two relations that together leave one unknown: R1 − λ·R2 eliminates every other hidden member. That
    needs their unknowns to differ by at most one fact, so only such pairs are combined (hashed by unknowns)."""
    by_unknowns = defaultdict(list)
    sets = []
    for i, (_, _, unknown, _) in enumerate(linear):
        u = frozenset(x for x, _ in unknown)
        sets.append(u)
        by_unknowns[u].append(i)
    seen = set()
    for i, u in enumerate(sets):
        candidates = list(by_unknowns[u]) + [j for e in u for j in by_unknowns.get(u - {e}, ())]
        for j in candidates:
            if j == i or (min(i, j), max(i, j)) in seen:
                continue
            seen.add((min(i, j), max(i, j)))
            rep.pair_attempts += 1
            r1, r2 = dict(linear[i][1]), dict(linear[j][1])
            shared = [y for y in sets[j] if y in u]
            if not shared:
                continue
            for y in shared:                        # each shared unknown, eliminated in turn
                lam = r1[y] / r2[y]
                comb = defaultdict(float)
                for x, c in r1.items():
                    comb[x] += c
                for x, c in r2.items():
                    comb[x] -= lam * c
                left = [x for x, c in comb.items() if x not in K and abs(c) > 1e-9]
                if len(left) != 1:
                    continue
                x = left[0]
                guess = -sum(c * K[k] for k, c in comb.items() if k in K) / comb[x]
                e = sum(err[k] * abs(c) for k, c in comb.items() if k in K)
                if _close(guess, T[x], e, x):
                    rep.recovered.append((x, T[x], f"two relations: {linear[i][0]} and {linear[j][0]}"))


def assert_protected(original: pd.DataFrame, protected_ds, threshold: Threshold = Threshold(), pairs: bool = True
                     ) -> Report:
    rep = attack(original, protected_ds.cells, protected_ds.measures, threshold, pairs)
    assert not rep.primary, f"{len(rep.primary)} figures break the primary rule, e.g. {rep.primary[:3]}"
    assert not rep.recovered, f"{len(rep.recovered)} hidden figures recovered, e.g. {rep.recovered[:3]}"
    return rep
