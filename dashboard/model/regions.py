"""Region codes and names by year, from SSB's classifications (via bord4-data, MIT; see data/regions/).

A code means different places in different structures (06 was Buskerud until 2020, Viken's 30 from
2020 to 2023, Buskerud's 33 from 2024), so every look-up names the year. The transitions between
structures (2017–2024: the Vestfold and Trøndelag mergers, the 2020 reform, the 2024 county split) come
from data/regions/region_changes.csv, which data/regions/build_changes.py derives and checks.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

REGIONS_DIR = Path(__file__).resolve().parents[2] / "data" / "regions"
HISTORY = "norwegian_regions_history.csv"
CHANGES = "region_changes.csv"
ALIASES = "region_aliases.csv"
LEVELS = ("country", "county", "municipality")
# Changes that move area from one code to another; `renamed` keeps the area, `transfer` is a county
# losing a few municipalities to a neighbour.
AREA_KINDS = ("renumbered", "merged", "split", "continued")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str          # country | county | municipality
    county: str         # the county code ("" for the country)
    valid_from: date
    valid_to: date | None
    aliases: tuple[str, ...] = ()   # other names SSB gives the place (Snåsa for Snåase)

    def valid_in(self, year: int) -> bool:
        # Valid during the year if it exists on 1 January of that year or starts within it.
        start, end = date(year, 1, 1), date(year, 12, 31)
        return self.valid_from <= end and (self.valid_to is None or self.valid_to > start)


@dataclass(frozen=True)
class Change:
    year: int            # the change took effect on 1 January of this year
    level: str
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    kind: str            # renumbered | merged | split | continued | renamed | transfer
    municipalities: tuple[str, ...] = ()   # for a county transfer: the municipalities that moved


NORWAY = Region("0", "Norge", "country", "", date(1800, 1, 1), None, ("Norway", "Hele landet", "Heile landet"))


def _read(name: str) -> list[dict]:
    path = REGIONS_DIR / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    aliases = defaultdict(list)
    for a in _read(ALIASES):
        aliases[(a["code"], a["name"])].append(a["alias"])
    out = [NORWAY]
    for r in _read(HISTORY):
        level = {"fylke": "county", "kommune": "municipality"}.get(r["nivå"], r["nivå"])
        name = r["regionnavn"].strip()   # the file has 'Nordland ' with a trailing space for 2020–2021
        out.append(Region(r["regionnummer"], name, level, r["fylkesnummer"],
                          date.fromisoformat(r["gyldig_fra"]),
                          date.fromisoformat(r["gyldig_til"]) if r["gyldig_til"] else None,
                          tuple(aliases.get((r["regionnummer"], name), ()))))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, tuple[Region, ...]]:
    out = defaultdict(list)
    for r in all_regions():
        out[r.code].append(r)
    return {k: tuple(v) for k, v in out.items()}


def region(code: str, year: int | None) -> Region | None:
    """The region a code named in a year (the latest structure when the year is not known)."""
    matches = _by_code().get(code)
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


def level_of(code: str) -> str:
    return "country" if code == "0" else "county" if len(code) == 2 else "municipality"


def valid(code: str, year: int) -> Region | None:
    """The region only if the code was in use that year (region() falls back to another structure)."""
    r = region(code, year)
    return r if r is not None and r.valid_in(year) else None


def regions_in(year: int, level: str) -> list[Region]:
    """The counties or municipalities of one year's structure, by code (`country`: Norway)."""
    return list(_regions_in(year, level))


@lru_cache(maxsize=256)  # the lists never change; a view asks for them many times
def _regions_in(year: int, level: str) -> tuple[Region, ...]:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if level == "country":
        return (NORWAY,)
    found = {}
    for r in all_regions():
        if r.level == level and r.valid_in(year):
            # A code renamed on 1 January has two rows touching the year; keep the one in force.
            if r.code not in found or r.valid_from > found[r.code].valid_from:
                found[r.code] = r
    return tuple(found[c] for c in sorted(found))


def county_of(code: str, year: int) -> str | None:
    """The county a municipality belonged to in a year (a county is its own); None if not in use then."""
    if code == "0":
        return None
    r = valid(code, year)
    if r is None:
        return None
    return r.code if r.level == "county" else r.county


# ---- transitions ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def changes() -> tuple[Change, ...]:
    return tuple(Change(int(c["year"]), c["level"], c["from_code"], c["from_name"], c["to_code"], c["to_name"],
                        c["kind"], tuple(c["municipalities"].split()))
                 for c in _read(CHANGES))


@lru_cache(maxsize=1)
def _changes_by_year() -> dict[tuple[int, str], tuple[Change, ...]]:
    out = defaultdict(list)
    for c in changes():
        out[(c.year, c.level)].append(c)
    return {k: tuple(v) for k, v in out.items()}


def _at(year: int, level: str, kinds=AREA_KINDS) -> list[Change]:
    return [c for c in _changes_by_year().get((year, level), ()) if c.kind in kinds]


def _regions(codes, year: int) -> list[Region]:
    return sorted((r for r in (region(c, year) for c in set(codes)) if r is not None), key=lambda r: r.code)


def successors(code: str, from_year: int, to_year: int, transfers: bool = False) -> list[Region]:
    """The regions of `to_year` that hold the area `code` had in `from_year` (itself if nothing changed).

    `transfers=True` also follows a county's municipalities that moved to a neighbouring county.
    """
    if code == "0":
        return [NORWAY]
    level = level_of(code)
    kinds = AREA_KINDS + (("transfer",) if transfers else ())
    current = {code}
    for y in range(from_year + 1, to_year + 1):
        edges = _at(y, level, kinds)
        nxt = set()
        for c in current:
            outs = [e.to_code for e in edges if e.from_code == c]
            main = [e for e in _at(y, level) if e.from_code == c]
            nxt.update(outs)
            if not main:
                nxt.add(c)       # unchanged (or only lost a transfer): the code goes on
        current = nxt
    return _regions(current, to_year)


def predecessors(code: str, year: int, back_to: int | None = None) -> list[Region]:
    """Where `code` (as valid in `year`) came from.

    Without `back_to`: the regions just before the last change that formed or renumbered it
    (Nordre Follo 3020 -> Ski 0213 and Oppegård 0217), or [] if it has not changed. With `back_to`:
    the regions of that earlier year that hold its area.
    """
    if code == "0":
        return [NORWAY] if back_to is not None else []
    level = level_of(code)
    if back_to is None:
        for y in range(year, 1900, -1):
            ins = [e for e in _at(y, level) if e.to_code == code]
            if ins:
                return _regions([e.from_code for e in ins], y - 1)
            if valid(code, y - 1) is None:
                return []
        return []
    current = {code}
    for y in range(year, back_to, -1):
        edges = _at(y, level)
        prev = set()
        for c in current:
            ins = [e.from_code for e in edges if e.to_code == c]
            prev.update(ins or [c])
        current = prev
    return _regions(current, back_to)


def codes_over_time(code: str, years) -> dict[int, list[str]]:
    """The codes that hold a region's area in each year (Bærum: 0219 to 2019, 3024 to 2023, 3201)."""
    years = sorted(set(years))
    anchor = max((y for y in years if valid(code, y)), default=None)
    if anchor is None:
        return {}
    out = {}
    for y in years:
        regs = predecessors(code, anchor, back_to=y) if y < anchor else \
            successors(code, anchor, y) if y > anchor else [valid(code, y)]
        out[y] = [r.code for r in regs]
    return out


# ---- comparability notes ----------------------------------------------------------------------

_NUMBER = {"municipality": ("kommunenummer", "municipality number"), "county": ("fylkesnummer", "county number")}


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if lang == "en" else " og ") + items[-1]


def base_name(n: str) -> str:
    """A name without SSB's bracketed disambiguation (Bø (Nordland) -> Bø)."""
    return re.sub(r"\s*\(.*?\)\s*", " ", n).strip()


def _describe_target(t: str, y: int, level: str, lang: str) -> str | None:
    """One sentence on how `t` came about on 1 January of `y`."""
    ins = [e for e in _at(y, level) if e.to_code == t]
    if not ins:
        return None
    en = lang == "en"
    t_name = ins[0].to_name
    out_deg = {e.from_code: len([x for x in _at(y, level) if x.from_code == e.from_code]) for e in ins}
    froms = [(e.from_code, e.from_name, out_deg[e.from_code] > 1) for e in ins]
    if len(froms) == 1:
        f, f_name, partial = froms[0]
        if partial:
            # A split: say it from the side of the region that was divided.
            parts = [e.to_name for e in _at(y, level) if e.from_code == f]
            return (f"{f_name} was split in {y} into {_join(parts, lang)}" if en
                    else f"{f_name} ble delt i {y} i {_join(parts, lang)}")
        if f == t:
            return None
        word = _NUMBER[level][1 if en else 0]
        moved = ""
        if level == "municipality":
            for tr in _at(y, "county", ("transfer",)):
                if f in tr.municipalities:
                    moved = (f", and moved from {tr.from_name} to {tr.to_name}" if en
                             else f", og ble flyttet fra {tr.from_name} til {tr.to_name}")
        if base_name(f_name) != base_name(t_name):
            return (f"{f_name} ({f}) became {t_name} ({t}) in {y}{moved}" if en
                    else f"{f_name} ({f}) ble {t_name} ({t}) i {y}{moved}")
        return (f"{t_name} got a new {word} in {y}: {f} became {t}{moved}" if en
                else f"{t_name} fikk nytt {word} i {y}: {f} ble {t}{moved}")
    items = [("part of " if en else "en del av ") + n if partial else n
             for f, n, partial in sorted(froms, key=lambda x: (x[0] != t, x[0])) if f != t]
    if any(f == t for f, _, _ in froms):
        whole = all(not p for _, _, p in froms)
        if whole:
            verb = "was" if len(items) == 1 else "were"
            return (f"{_join(items, lang)} {verb} merged into {t_name} in {y}" if en
                    else f"{_join(items, lang)} ble slått sammen med {t_name} i {y}")
        return (f"{t_name} received {_join(items, lang)} in {y}" if en
                else f"{t_name} fikk {_join(items, lang)} i {y}")
    return (f"{t_name} was formed in {y} from {_join(items, lang)}" if en
            else f"{t_name} ble opprettet i {y} av {_join(items, lang)}")


def _transfer_text(tr: Change, lang: str) -> str:
    names = [name(m, tr.year - 1) for m in tr.municipalities]
    if lang == "en":
        return f"{_join(names, lang)} moved from {tr.from_name} to {tr.to_name} in {tr.year}"
    return f"{_join(names, lang)} ble flyttet fra {tr.from_name} til {tr.to_name} i {tr.year}"


def _rename_text(c: Change, lang: str) -> str:
    if lang == "en":
        return f"{c.from_name} was renamed {c.to_name} in {c.year}"
    return f"{c.from_name} skiftet navn til {c.to_name} i {c.year}"


def comparability(code: str, years, lang: str = "nb") -> list[str]:
    """Plain-language notes on what changed for a region's series across `years` ([] if comparable).

    The code is read in the latest of the years in which it is in use; its area is followed back to the
    first year and forward to the last, and every merger, split, renumbering, rename and (for counties)
    municipality moved in or out on the way gets one sentence.
    """
    years = sorted(set(int(y) for y in years))
    if not years or code == "0":
        return []
    lo, hi = years[0], years[-1]
    level = level_of(code)
    anchor = max((y for y in years if valid(code, y)), default=None)
    if anchor is None:
        return [f"{code} is not a region code in use in {lo}–{hi}" if lang == "en"
                else f"{code} er ikke et regionnummer i bruk i {lo}–{hi}"]
    notes: list[tuple[int, str]] = []

    def note_year(y: int, before: set[str], after: set[str]):
        for t in sorted(after):
            text = _describe_target(t, y, level, lang)
            if text:
                notes.append((y, text))
        for c in _at(y, level, ("renamed",)):
            if c.to_code in after:
                notes.append((y, _rename_text(c, lang)))
        for tr in _at(y, level, ("transfer",)):
            if tr.from_code in before or tr.to_code in after:
                notes.append((y, _transfer_text(tr, lang)))

    current = {code}
    for y in range(anchor, lo, -1):          # backwards: how today's area came about
        edges = _at(y, level)
        prev = set()
        for c in current:
            prev.update([e.from_code for e in edges if e.to_code == c] or [c])
        note_year(y, prev, current)
        current = prev
    current = {code}
    for y in range(anchor + 1, hi + 1):      # forwards: what became of it
        edges = _at(y, level)
        nxt = set()
        for c in current:
            nxt.update([e.to_code for e in edges if e.from_code == c] or [c])
        note_year(y, current, nxt)
        current = nxt
    seen, out = set(), []
    for _, text in sorted(notes, key=lambda n: n[0]):
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


# ---- type-ahead ---------------------------------------------------------------------------------

_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}


def _fold(text: str) -> str:
    """Casefold and drop accents so that 'baerum', 'Bærum' and 'BÆRUM' meet (ø -> o, æ -> ae)."""
    t = text.casefold().replace("æ", "ae").replace("ø", "o")
    t = unicodedata.normalize("NFKD", t)
    return "".join(ch for ch in t if not unicodedata.combining(ch)).strip()


def _rank(q: str, code: str, names: list[str]) -> int | None:
    if q == code:
        return 0
    if q in names:
        return 1
    if any(n.startswith(q) for n in names):
        return 2
    if any(w.startswith(q) for n in names for w in re.split(r"[\s\-–()]+", n)):
        return 3
    if q.isdigit() and code.startswith(q):
        return 4
    if any(q in n for n in names):
        return 5
    return None


def search(text: str, year: int, limit: int = 20) -> list[Region]:
    """Regions of one year's structure matching a name or code, best first.

    Exact code, then exact name, then name prefix, then a word of the name, then code prefix, then
    anywhere in the name. Within each tier a match as typed comes before one found only without
    accents ('os' finds Oslo before Østfold), then the country, counties, municipalities.
    """
    q = _fold(text)
    if not q:
        return []
    typed = text.strip().casefold()
    scored = []
    for r in regions_in(year, "country") + regions_in(year, "county") + regions_in(year, "municipality"):
        names = (r.name,) + r.aliases
        as_typed = _rank(typed, r.code, [n.casefold() for n in names])
        folded = _rank(q, r.code, [_fold(n) for n in names])
        if as_typed is None and folded is None:
            continue
        key = (as_typed, 0) if as_typed is not None and (folded is None or as_typed <= folded) else (folded, 1)
        order = r.code if key[0] == 4 else _fold(r.name)   # '32' lists 3201, 3203, … in code order
        scored.append((key + (_LEVEL_ORDER[r.level], order, r.code), r))
    scored.sort(key=lambda s: s[0])
    return [r for _, r in scored[:limit]]


# ---- translation to another year's structure ---------------------------------------------------

@dataclass(frozen=True)
class Translation:
    """What a code from another structure means in `year`: `to` is the region of that year that holds
    its whole area (a renumbering, a merger, or a renumbering seen backwards), None when there is no one
    region (a split, or a region formed from several seen backwards); `held` lists the regions of that year
    that hold its area, and `change` is the year of the change that matters (1 January)."""
    code: str
    year: int
    to: str | None
    held: tuple[str, ...]
    change: int
    forward: bool        # the code is from an earlier structure than `year`


def _span(code: str, year: int) -> tuple[int, int] | None:
    """The years the code was in use nearest to `year` (first, last), or None if it never was."""
    spans = [(r.valid_from.year, (r.valid_to.year - 1) if r.valid_to else 9999) for r in _by_code().get(code, ())]
    if not spans:
        return None
    return min(spans, key=lambda s: 0 if s[0] <= year <= s[1] else min(abs(year - s[0]), abs(year - s[1])))


def translate(code: str, year: int) -> Translation | None:
    """The region valid in `year` for a code of another structure (Bærum 3201 in 2023 -> 3024; Aust-Agder 09
    in 2022 -> Agder 42; Viken 30 in 2024 -> none: it was split). None when the code is in use in `year`
    (nothing to translate) or is no region code at all."""
    if code == "0" or valid(code, year) is not None:
        return None
    span = _span(code, year)
    if span is None:
        return None
    first, last = span
    if year > last:
        held = tuple(r.code for r in successors(code, last, year))
        return Translation(code, year, held[0] if len(held) == 1 else None, held, last + 1, True)
    held = tuple(r.code for r in predecessors(code, first, back_to=year))
    # Backwards only one-to-one: the one region of `year` must itself go on to exactly this code.
    one_to_one = len(held) == 1 and [r.code for r in successors(held[0], year, first)] == [code]
    return Translation(code, year, held[0] if one_to_one else None, held, first, False)


def same_area_codes(code: str, years) -> dict[int, str]:
    """The code that holds exactly the area of `code` in each year, where the mapping is one-to-one both
    ways (Bærum: 0219 to 2019, 3024 to 2023, 3201); a year where a merger or split changed the area is left
    out (Hordaland 12 is not Vestland 46; Trondheim 5001 is not 1601 once Klæbu joined in 2020)."""
    years = sorted(set(int(y) for y in years))
    anchor = max((y for y in years if valid(code, y)), default=None)
    if anchor is None:
        return {}
    out = {}
    for y in years:
        if y == anchor:
            out[y] = code
            continue
        there = predecessors(code, anchor, back_to=y) if y < anchor else successors(code, anchor, y)
        if len(there) != 1:
            continue
        back = successors(there[0].code, y, anchor) if y < anchor else predecessors(there[0].code, y, back_to=anchor)
        if [r.code for r in back] == [code]:
            out[y] = there[0].code
    return out
