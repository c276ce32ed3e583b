"""Build region_changes.csv and region_aliases.csv (derived; rebuild with `python data/regions/build_changes.py`).

Why not norwegian_region_transitions.csv as shipped: it pairs codes by name, so it misses every merger
(no Ski/Oppegård -> Nordre Follo), pairs namesakes wrongly (Våler 0137 -> 3419, Nes 0616 -> 3034,
Os 1243 -> 3430) and has no 2018 Trøndelag step. This script rebuilds the transitions for every change
from 2017 to 2024 (the years the statistics cover) from:

- norwegian_regions_history.csv (validity of every code; bord4-data, MIT),
- norwegian_regions_changes_2019_2020.csv (the 2020 reform, municipality by municipality; bord4-data's
  data/csv/norwegian_regions_changes.csv, MIT, copied unchanged),
- the explicit edges below for 2017, 2018, 2019 and 2024 (mergers and splits; everything else in those
  years is a renumbering matched by identical name inside the counties concerned).

It refuses to write anything unless, at every change date, every code that ends has a successor and
every code that starts has a predecessor, each valid on the right side of the date. County transitions
are derived from the municipalities (a county's area is its municipalities), so they cannot disagree.
Standard library only; the output is sorted and byte-identical on a rebuild.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
HISTORY = HERE / "norwegian_regions_history.csv"
REFORM_2020 = HERE / "norwegian_regions_changes_2019_2020.csv"
OUT_CHANGES = HERE / "region_changes.csv"
OUT_ALIASES = HERE / "region_aliases.csv"
FIRST_YEAR, LAST_YEAR = 2017, 2025

# Mergers, splits and moves that a name cannot tell (year -> (from, to) pairs).
EXPLICIT = {
    2017: [("0706", "0710"), ("0719", "0710"), ("0720", "0710")],      # Sandefjord, Andebu, Stokke
    2018: [("0702", "0715"), ("0714", "0715"),                          # Holmestrand, Hof
           ("0709", "0712"), ("0728", "0712"),                          # Larvik, Lardal
           ("0722", "0729"), ("0723", "0729"),                          # Nøtterøy, Tjøme -> Færder
           ("1624", "5054"), ("1718", "5054")],                         # Rissa, Leksvik -> Indre Fosen
    2019: [("1567", "5061")],                                           # Rindal to Trøndelag
    2024: [("1507", "1508"), ("1507", "1580"),                          # Ålesund split, Haram again
           ("3018", "3114")],                                           # Våler (Viken) -> Våler (Østfold)
}
# Where the rest of a year's changes are renumberings matched by name: from-counties -> to-counties.
BY_NAME = {
    2018: ({"16", "17"}, {"50"}),
    2024: ({"30", "38", "54"}, {"31", "32", "33", "39", "40", "55", "56"}),
}
COLUMNS = ("year", "level", "from_code", "from_name", "to_code", "to_name", "kind", "municipalities")


def base_name(name: str) -> str:
    """A name without SSB's disambiguation in brackets ('Bø (Nordland)' is Bø)."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


def read_history():
    rows = []
    with open(HISTORY, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append({"level": {"fylke": "county", "kommune": "municipality"}[r["nivå"]],
                         "code": r["regionnummer"], "name": r["regionnavn"].strip(), "county": r["fylkesnummer"],
                         "from": date.fromisoformat(r["gyldig_fra"]),
                         "to": date.fromisoformat(r["gyldig_til"]) if r["gyldig_til"] else None})
    return rows


def valid_on(rows, level, day):
    """code -> row for the codes valid on a day."""
    out = {}
    for r in rows:
        if r["level"] == level and r["from"] <= day and (r["to"] is None or r["to"] > day):
            if r["code"] in out:
                raise SystemExit(f"{level} {r['code']} has two rows valid on {day}")
            out[r["code"]] = r
    return out


def municipality_edges(rows, year, reform_2020):
    before = valid_on(rows, "municipality", date(year - 1, 12, 31))
    after = valid_on(rows, "municipality", date(year, 1, 1))
    ended, started = set(before) - set(after), set(after) - set(before)
    if year == 2020:
        edges = set(reform_2020)
    else:
        edges = set(EXPLICIT.get(year, []))
    if year in BY_NAME:
        from_counties, to_counties = BY_NAME[year]
        left = [c for c in ended if before[c]["county"] in from_counties and c not in {f for f, _ in edges}]
        right = [c for c in started if after[c]["county"] in to_counties and c not in {t for _, t in edges}]
        by_name = defaultdict(list)
        for c in right:
            by_name[after[c]["name"]].append(c)
        for c in left:
            match = by_name.get(before[c]["name"], [])
            if len(match) != 1:
                raise SystemExit(f"{year}: {c} {before[c]['name']} matches {match} by name; add an explicit edge")
            edges.add((c, match[0]))
    problems = [f"{year}: {f} is not valid on 31 Dec {year - 1}" for f, _ in edges if f not in before]
    problems += [f"{year}: {t} is not valid on 1 Jan {year}" for _, t in edges if t not in after]
    problems += [f"{year}: {c} {before[c]['name']} ends with no successor" for c in sorted(ended)
                 if c not in {f for f, _ in edges}]
    problems += [f"{year}: {c} {after[c]['name']} starts with no predecessor" for c in sorted(started)
                 if c not in {t for _, t in edges}]
    if problems:
        raise SystemExit("\n".join(problems))
    out_deg, in_deg = Counter(f for f, _ in edges), Counter(t for _, t in edges)
    # An identity pair says nothing unless the code also gained or lost area.
    edges = {(f, t) for f, t in edges if f != t or out_deg[f] > 1 or in_deg[t] > 1}
    return before, after, sorted(edges)


def kind_of(f, t, edges):
    out_deg, in_deg = Counter(a for a, _ in edges), Counter(b for _, b in edges)
    if f == t:
        return "continued"
    if out_deg[f] > 1:
        return "split"
    if in_deg[t] > 1:
        return "merged"
    return "renumbered"


def county_edges(rows, year, before, after, edges):
    """County transitions implied by where each municipality went."""
    c_before = valid_on(rows, "county", date(year - 1, 12, 31))
    c_after = valid_on(rows, "county", date(year, 1, 1))
    targets = defaultdict(list)
    for f, t in edges:
        targets[f].append(t)
    moved = defaultdict(list)    # (county before, county after) -> municipalities (codes before)
    for code, r in before.items():
        for t in targets.get(code, [code] if code in after else []):
            moved[(r["county"], after[t]["county"])].append(code)
    count = {k: len(v) for k, v in moved.items()}
    main_to = {a: max((k for k in count if k[0] == a), key=lambda k: (count[k], k[1]))[1] for a, _ in count}
    main_from = {b: max((k for k in count if k[1] == b), key=lambda k: (count[k], k[0]))[0] for _, b in count}
    out = []
    # A county that only keeps its code is no change; a main flow is a merger, split or renumbering;
    # a municipality leaving its county's main successor is a transfer (Rindal 2019, Jevnaker 2020).
    main = [(a, b) for (a, b) in count if a != b and (main_to[a] == b or main_from[b] == a)]
    for (a, b), codes in sorted(moved.items()):
        if a == b:
            continue
        if (a, b) in main:
            out.append((a, b, kind_of(a, b, main), ""))
        else:
            out.append((a, b, "transfer", " ".join(sorted(codes))))
    ended, started = set(c_before) - set(c_after), set(c_after) - set(c_before)
    problems = [f"{year}: county {c} ends with no successor" for c in ended if c not in {a for a, *_ in out}]
    problems += [f"{year}: county {c} starts with no predecessor" for c in started if c not in {b for _, b, *_ in out}]
    if problems:
        raise SystemExit("\n".join(problems))
    return c_before, c_after, out


def renames(rows, level):
    """Same code, new name (not just SSB dropping or adding a bracketed county)."""
    by_code = defaultdict(list)
    for r in rows:
        if r["level"] == level:
            by_code[r["code"]].append(r)
    out = []
    for code, rs in by_code.items():
        rs.sort(key=lambda r: r["from"])
        for a, b in zip(rs, rs[1:]):
            if a["to"] == b["from"] and FIRST_YEAR <= b["from"].year <= LAST_YEAR \
                    and base_name(a["name"]) != base_name(b["name"]):
                out.append((b["from"].year, level, code, a["name"], code, b["name"], "renamed", ""))
    return out


def read_reform_2020():
    with open(REFORM_2020, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows, [(r["municipality_id_2019"], r["municipality_id_2020"]) for r in rows]


def aliases(rows, reform_rows, changes):
    """Other names SSB gives a place that the history file dropped (it keeps one part of a Sami/Kven
    parallel name: 5041 is only 'Snåase' there, 'Snåsa' in the 2020 table)."""
    found = set()
    hist = defaultdict(list)
    for r in rows:
        if r["level"] == "municipality":
            hist[r["code"]].append(r)
    for r in reform_rows:
        for code, name, day in ((r["municipality_id_2019"], r["municipality_2019"], date(2019, 6, 1)),
                                (r["municipality_id_2020"], r["municipality_2020"], date(2020, 6, 1))):
            name = re.sub(r"\s*\(Deles\)$", "", name)   # 'Tysfjord (Deles)': divided, not a name
            for h in hist[code]:
                if h["from"] <= day and (h["to"] is None or h["to"] > day) \
                        and base_name(h["name"]) != base_name(name):
                    found.add((code, h["name"], base_name(name)))
    # Carry an alias along pure renumberings of the same name (5412 Dielddanuorri -> 5512 Dielddanuorri).
    ones = [(c[2], c[3], c[4], c[5]) for c in changes if c[1] == "municipality" and c[6] == "renumbered"]
    grew = True
    while grew:
        grew = False
        for fc, fn, tc, tn in ones:
            for code, name, alias in list(found):
                for a, b in (((fc, fn), (tc, tn)), ((tc, tn), (fc, fn))):
                    if (code, name) == a and a[1] == b[1] and (b[0], b[1], alias) not in found:
                        found.add((b[0], b[1], alias))
                        grew = True
    return sorted(found)


def build() -> tuple[str, str]:
    rows = read_history()
    reform_rows, reform_edges = read_reform_2020()
    changes = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        before, after, edges = municipality_edges(rows, year, reform_edges)
        for f, t in edges:
            changes.append((year, "municipality", f, before[f]["name"], t, after[t]["name"], kind_of(f, t, edges), ""))
        c_before, c_after, c_edges = county_edges(rows, year, before, after, edges)
        for a, b, kind, codes in c_edges:
            changes.append((year, "county", a, c_before[a]["name"], b, c_after[b]["name"], kind, codes))
    changes += renames(rows, "municipality") + renames(rows, "county")
    changes.sort(key=lambda c: (c[0], c[1], c[2], c[4], c[6]))
    alias_rows = aliases(rows, reform_rows, changes)
    # 'Tjeldsund' -> 'Dielddanuorri' is the history file dropping half of 'Dielddanuorri - Tjeldsund'.
    known = {(code, name, alias) for code, name, alias in alias_rows}
    changes = [c for c in changes if not (c[6] == "renamed" and (c[4], c[5], base_name(c[3])) in known)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(changes)
    abuf = io.StringIO()
    w = csv.writer(abuf, lineterminator="\n")
    w.writerow(("code", "name", "alias"))
    w.writerows(alias_rows)
    return buf.getvalue(), abuf.getvalue()


def main() -> int:
    changes, alias_text = build()
    OUT_CHANGES.write_text(changes, encoding="utf-8")
    OUT_ALIASES.write_text(alias_text, encoding="utf-8")
    print(f"wrote {OUT_CHANGES.name} ({changes.count(chr(10)) - 1} rows) and "
          f"{OUT_ALIASES.name} ({alias_text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
