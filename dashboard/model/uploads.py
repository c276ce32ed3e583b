"""A user's own aggregated file, for their session only.

The file stays in the user's browser (a session dcc.Store) and comes with each request, so any worker
can serve it and no other user can ever see it. It is validated like a shipped file and protected
like one (small numbers hidden); a bad file is refused with its problems and changes nothing.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import threading
from collections import OrderedDict

from .dataset import DataError, Dataset, Problem, TookTooLong, check_budget, parse_budget, too_large

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_parsed: "OrderedDict[str, Dataset]" = OrderedDict()   # content hash -> dataset; only the content finds it
# content hash -> the problems it was refused with: a refused file rides along with every later view
# request of that session, and parsing it again each time would cost each of them the whole budget.
_refused: "OrderedDict[str, list[Problem]]" = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 16
REFUSED_SIZE = 256


def decode_upload(contents: str, filename: str) -> bytes:
    """dcc.Upload gives 'data:<type>;base64,<data>'."""
    if not isinstance(contents, str) or "," not in contents:
        raise DataError([Problem(str(filename)[:80], None, None, "the upload could not be read")])
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (ValueError, TypeError):
        raise DataError([Problem(str(filename)[:80], None, None, "the upload could not be read")]) from None


def user_dataset(contents: str, filename: str, base: Dataset, threshold=None,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> Dataset:
    """The published dataset with the upload laid over it (overlay), validated and protected (cached by the
    content's hash and the base), or DataError."""
    from ..importers import load_user_file
    from .suppression import Threshold
    raw = decode_upload(contents, filename)
    if len(raw) > max_bytes:
        raise DataError([Problem(str(filename)[:80], None, None,
                                 too_large(len(raw), max_bytes))])
    key = hashlib.sha256(raw).hexdigest() + "|" + str(filename) + f"|{id(base)}"   # a reload is another base
    with _lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]
        if key in _refused:
            _refused.move_to_end(key)
            raise DataError(list(_refused[key]))
    try:
        # One budget for reading the file and protecting it beside the published figures: the guard's rounds
        # grow with the file (a 2 MB file takes seconds), and no request may buy more than the budget.
        with parse_budget(budget_seconds(), str(filename)[:80]):
            loaded = load_user_file(raw, str(filename)[:120], base, max_bytes=max_bytes)
            check_budget()
            ds = overlay(base, loaded, threshold or Threshold())   # laid over the published figures
    except DataError as e:
        if not isinstance(e, TookTooLong):  # a fault of the file's own is remembered by its digest
            with _lock:
                _refused[key] = list(e.problems)
                while len(_refused) > REFUSED_SIZE:
                    _refused.popitem(last=False)
        raise
    except RecursionError:  # (every JSON is depth-checked first; a last line of defence)
        raise DataError([Problem(str(filename)[:80], None, None, "the file nests too deeply to be read")]) from None
    with _lock:
        _parsed[key] = ds
        while len(_parsed) > CACHE_SIZE:
            _parsed.popitem(last=False)
    return ds


def budget_seconds() -> float:
    """The parse_seconds setting: the app's (security.install puts it in the Flask config), else the environment."""
    import flask
    if flask.has_app_context() and "PARSE_SECONDS" in flask.current_app.config:
        return float(flask.current_app.config["PARSE_SECONDS"])
    from ..settings import get
    return get("parse_seconds")


# ---- the user's figures laid over the published ones ---------------------------------------------------

USER_SOURCE_PREFIX = "dine-tall:"   # a user's row's source: the prefix, the file name, and the file's own source


def user_source(filename: str, own: str) -> str:
    return f"{USER_SOURCE_PREFIX}{filename}" + (f":{own}" if own and own != filename else "")


def is_user_source(source_id: str) -> bool:
    return str(source_id).startswith(USER_SOURCE_PREFIX)


def overlay(base: Dataset, user: Dataset, threshold=None) -> Dataset:
    """The published dataset with the user's rows laid over it: a user's row replaces the published figures
    of its own cell (year, place, measure); every other cell stays published. The user's rows get the file
    name as their source ("dine tall"). The small-number protection runs on the combination, from the
    published figures as they were before protection (`hidden_rows`), so that no hidden cell comes back
    by subtraction; and a published total minus the user's parts (along a filter, the region hierarchy or
    a sum of measures) must not leave a small number (`_subtraction_guard`: the user's parts go instead,
    hidden inside the protection so that what would give them back goes with them)."""
    import numpy as np
    import pandas as pd
    from .dimensions import IDS
    from .schema import Source
    from .suppression import Threshold, protect
    from .dataset import dataset_from_frame
    threshold = threshold or Threshold()
    mine = user.cells.copy()
    mine["source"] = [user_source(user.name, str(s)) for s in mine["source"].astype(str)]
    published = pd.concat([base.cells, base.__dict__.get("hidden_rows", base.cells.iloc[:0])], ignore_index=True)
    cell_key = list(IDS) + ["measure"]
    theirs = pd.MultiIndex.from_frame(mine[cell_key].astype(str))
    keep = ~pd.MultiIndex.from_frame(published[cell_key].astype(str)).isin(theirs)
    both = pd.concat([published[keep].astype(object), mine.astype(object)], ignore_index=True)
    both["year"] = both["year"].astype(int)
    both["value"] = both["value"].astype(float)
    both["approx"] = both["approx"].astype(bool)
    sources = dict(base.sources)
    for sid in sorted(set(mine["source"])):
        sources[sid] = Source(sid, "Dine tall", user.name, "", "")
    combined = dataset_from_frame(both, base.measures, sources, origin="user", name=user.name)
    # What the published figures hide stays hidden (the combination's own choices could differ); what the
    # protection leaves shown is what an outsider knows: the guard reads it, the rows it adds are hidden by
    # the protection with their complements, and so on until nothing more goes (it only grows).
    force = set(np.flatnonzero((np.arange(len(published)) >= len(base.cells))[keep]).tolist())
    relations: dict = {}  # a cell's sums do not change from one round to the next
    while True:
        check_budget()
        out = protect(combined, threshold, force=sorted(force))
        more = set(_subtraction_guard(both, len(published[keep]), base.measures, threshold,
                                      out.__dict__["_analysis"].removed, relations))
        if more <= force:
            return out
        force |= more


def _subtraction_guard(cells, first_user_row: int, measures, threshold, removed=None,
                       relations: dict | None = None) -> list[int]:
    """Positions of the rows to hide beside the user's file: where a sum along a filter, the region hierarchy
    or the measures (suppression.MEASURE_SUMS) holds a figure that neither file has, and what is known of the
    rest would give a small number away (the figure missing is below min_count and all else is known), or a
    hidden one (at most one of the figures not known is not 0, as the protection's own rule has it). A
    share with a count (to_work, of those who ended) is that many persons of its base; a missing figure that a
    sum gives (to work or education = ended − neither, both published) is known from then on, to the next sum.
    Only sums that hold a row of the user's are the file's to mend. `removed`: the rows the protection hides
    (an outsider does not know them). The protection then hides the rows returned with their complements in
    the sums it sees whole. `relations`: each cell's sums, kept from one call to the next by the caller."""
    from . import dimensions as dims
    from .suppression import family_of
    families = family_of(measures)
    cols = list(dims.IDS) + ["measure"]
    pos = {c: n for n, c in enumerate(cols)}
    facts, hidden = _persons_known(cells, measures, families, cols, threshold, removed)
    drop: set[int] = set()
    todo, seen = list(facts), set()
    relations = {} if relations is None else relations
    steps = 0
    while todo:
        steps += 1
        if steps % 512 == 0:  # the time budget of the upload (parse_budget), now and then
            check_budget()
        key = todo.pop()
        if key not in relations:
            relations[key] = _relations_of(key, pos, families)
        for margin, parts in relations[key]:
            rel = (margin,) + tuple(parts)
            if rel in seen:
                continue
            verdict = _judge(rel, facts, hidden, threshold)
            if verdict is None:                     # two or more figures missing: perhaps after a derivation
                continue
            kind, what = verdict
            if kind == "safe" and any(m not in facts for m in rel):
                continue   # safe while a figure is missing: judged again if it is worked out (it goes on todo)
            seen.add(rel)
            if kind == "derived":
                facts[what[0]] = what[1]
                todo.append(what[0])
            elif kind == "gives away" and any(i >= first_user_row for m in rel if m in facts for i in facts[m][2]):
                drop |= _hide_in(rel, what, facts, {m for m in rel if m in hidden or m not in facts}, first_user_row)
    return sorted(drop)


def _judge(rel: tuple, facts: dict, hidden: set, threshold):
    """One sum (total, parts…): ("derived", (key, fact)) when its one missing figure can be worked out and is
    not small; ("gives away", (values, not-0 count)) when a small or hidden figure could be worked out: the
    missing one is small, or at most one of the figures not known is not 0 (missing parts count as one: they
    may be 0 but one); ("safe", None); None while the total and a part are missing (perhaps later derived).
    A sum of rows only is the protection's (safe)."""
    margin, parts = rel[0], rel[1:]
    found = [facts.get(m) for m in rel]   # (one look-up each: this runs for every sum, every round)
    n_missing = found.count(None)
    if found[0] is None and n_missing > 1:
        return None
    if not n_missing and all(f[3] for f in found):
        return "safe", None
    missing = [m for m, f in zip(rel, found) if f is None]
    values = {m: f[0] for m, f in zip(rel, found) if f is not None}
    rest = (sum(values[p] for p in parts) if margin in missing else
            values[margin] - sum(values[p] for p in parts if p in facts))       # the missing figures together
    unknown = [m for m in rel if m in missing or m in hidden]
    known = [m for m in rel if m not in unknown]
    err = sum(facts[m][1] for m in known)
    if not unknown:
        return "safe", None
    if unknown == missing and len(missing) == 1:
        if missing[0] != margin and -err - 0.5 <= rest < threshold.min_count + err:
            return "gives away", (values, 1)
        return "derived", (missing[0], (rest, err, tuple(sorted({i for m in known for i in facts[m][2]})), False))
    nonzero = sum(1 for m in unknown if m in facts and abs(values[m]) > 0.5) + (bool(missing) and abs(rest) > 0.5)
    small = bool(missing) and margin not in missing and -err - 0.5 <= rest < threshold.min_count + err
    if nonzero <= 1 and (small or any(m in hidden for m in unknown)):
        return "gives away", (values, nonzero)
    return "safe", None


def _hide_in(rel: tuple, what, facts: dict, unknown: set, first_user_row: int) -> set[int]:
    """The rows to hide in a sum that gives a figure away: the user's, then, while at most one of the figures
    not known is not 0, the smallest part not 0 that is known (else the total), as the protection chooses."""
    values, nonzero = what
    mine = {i for m in rel if m in facts for i in facts[m][2] if i >= first_user_row}
    newly = [m for m in rel if m in facts and m not in unknown and set(facts[m][2]) & mine]
    gone = set(unknown) | set(newly)
    nonzero += sum(1 for m in newly if abs(values[m]) > 0.5)
    out = set(mine)
    while nonzero <= 1:
        left = sorted((values[m], n, m) for n, m in enumerate(rel[1:]) if m not in gone and m in facts
                      and values[m] > 0.5)
        pick = left[0][2] if left else (rel[0] if rel[0] not in gone and rel[0] in facts else None)
        if pick is None:
            break
        gone.add(pick)
        nonzero += abs(values[pick]) > 0.5
        out |= set(facts[pick][2])
    return out


def _persons_known(cells, measures, families: dict, cols: list, threshold, removed=None) -> tuple[dict, set]:
    """({(coordinates…, family): (persons, how far off, the rows it rests on, True: a row of its own)}, the
    keys that are not shown): a count of persons (its first row), or a share of its base's count at the same
    coordinates (to within half a point of the share). Not shown: a row the protection removes (`removed`,
    a mask over the rows), a count below min_count, a share of fewer than min_base persons or min_count."""
    import numpy as np
    gone = np.zeros(len(cells), dtype=bool) if removed is None else np.asarray(removed, dtype=bool)
    from .suppression import NOT_PERSONS, _is_base_share, change_level
    persons = {m for m, meas in measures.items() if meas.unit == "count" and m not in NOT_PERSONS
               and change_level(m, measures) is None}
    shares = {m for m, meas in measures.items() if meas.count_measure in persons and _is_base_share(meas, measures)}
    rows = cells[cells["measure"].astype(str).isin(persons | shares)]
    # As plain lists: iterating pandas' columns (or cells.at per row) costs a second on a large file
    keys = list(zip(*(rows[c].astype(str).tolist() for c in cols)))
    value = dict(zip(rows.index.tolist(), rows["value"].astype(float).tolist()))
    facts: dict[tuple, tuple] = {}
    hidden: set[tuple] = set()
    index = rows.index.tolist()
    for i, key in zip(index, keys):
        if key[-1] in persons and key not in facts:
            facts[key] = (value[i], 0.0, (int(i),), True)
            if facts[key][0] < threshold.min_count or gone[i]:
                hidden.add(key)
    for i, key in zip(index, keys):
        meas, fam = measures.get(key[-1]), key[:-1] + (families.get(key[-1], key[-1]),)
        base = facts.get(key[:-1] + (meas.denominator,)) if key[-1] in shares and fam not in facts else None
        if base is not None:
            facts[fam] = (value[i] * base[0] / 100, 0.5 * base[0] / 100 + base[1],
                          (int(i),) + base[2], True)
            if base[0] < threshold.min_base or round(facts[fam][0]) < threshold.min_count or gone[i] \
                    or key[:-1] + (meas.denominator,) in hidden:
                hidden.add(fam)
    return facts, hidden


@functools.lru_cache(maxsize=512)
def _region_parts(top: str, year: int) -> tuple[str, ...]:
    """Norway's counties, or a county's municipalities, in one year's structure."""
    from . import regions
    if top == "0":
        return tuple(r.code for r in regions.regions_in(year, "county"))
    return tuple(r.code for r in regions.regions_in(year, "municipality") if r.county == top)


def _relations_of(key: tuple, pos: dict, families: dict | None = None) -> list[tuple[tuple, list[tuple]]]:
    """The sums a cell is the margin or a part of: along each category (all = its parts), the region
    hierarchy of its year (a county = its municipalities, Norway = its counties) and the sums of measures
    (suppression.MEASURE_SUMS, read at each call; a share stands for its count, `families`)."""
    from . import dimensions as dims, regions
    from .suppression import MEASURE_SUMS
    out = []
    families = families or {}
    measure = key[-1]
    for total, parts in MEASURE_SUMS:
        names = [families.get(total, total)] + [families.get(p, p) for p in parts]
        if measure in names:
            out.append((key[:-1] + (names[0],), [key[:-1] + (p,) for p in names[1:]]))

    def put(k, d, value):  # the key with dimension d set to value
        i = pos[d]
        return k[:i] + (value,) + k[i + 1:]
    for d, parts in dims.PARTS.items():
        if key[pos[d]] in parts + (dims.ALL,):
            margin = put(key, d, dims.ALL)
            out.append((margin, [put(margin, d, p) for p in parts]))
    code, year = key[pos[dims.REGION]], int(key[pos[dims.YEAR]])
    municipality = len(code) == 4
    above = [] if code == "0" else [(regions.county_of(code, year) or "0") if municipality else "0"]
    for top in ([] if municipality else [code]) + above:   # the cell as a margin, then as a part
        parts = _region_parts(top, year)
        if parts:
            out.append((put(key, dims.REGION, top), [put(key, dims.REGION, p) for p in parts]))
    return out
