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

from .dataset import DataError, Dataset, Problem, check_budget, parse_budget, too_large

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
        with parse_budget(budget_seconds(), str(filename)[:80]):
            loaded = load_user_file(raw, str(filename)[:120], base, max_bytes=max_bytes)
            check_budget()
        ds = overlay(base, loaded, threshold or Threshold())   # laid over the published figures
    except DataError as e:
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
    by subtraction; and a published margin minus the user's parts must not leave a small number
    (`_subtraction_guard`: the user's parts go instead)."""
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
    drop = _subtraction_guard(both, len(published[keep]), base.measures, threshold)
    sources = dict(base.sources)
    for sid in sorted(set(mine["source"])):
        sources[sid] = Source(sid, "Dine tall", user.name, "", "")
    combined = dataset_from_frame(both.drop(index=drop), base.measures, sources, origin="user", name=user.name)
    out = protect(combined, threshold)
    out.__dict__["extra_reasons"] = {(str(both.at[i, "measure"]), int(both.at[i, "year"]))
                                     + tuple(str(both.at[i, d]) for d in IDS[1:]): "secondary" for i in drop}
    return out


def _subtraction_guard(cells, first_user_row: int, measures, threshold) -> list[int]:
    """Rows of the user's to leave out: where a published margin and the user's parts of it, along one
    dimension, would leave the one missing part as a small number (margin − parts < min_count)."""
    from . import dimensions as dims
    from .suppression import NOT_PERSONS
    persons = {m for m, meas in measures.items() if meas.unit == "count" and m not in NOT_PERSONS}
    cols = list(dims.IDS) + ["measure"]
    rows = cells[cells["measure"].astype(str).isin(persons)]
    at: dict[tuple, tuple[float, int]] = {}
    for i, key in zip(rows.index, zip(*(rows[c].astype(str) for c in cols))):
        at.setdefault(key, (float(cells.at[i, "value"]), int(i)))
    pos = {c: n for n, c in enumerate(cols)}
    drop: set[int] = set()
    for key, (_, i) in at.items():
        if i < first_user_row:
            continue
        for margin, members in _relations_of(key, pos):
            present = [m for m in members if m in at]
            if margin in at and len(present) == len(members) - 1:
                left = at[margin][0] - sum(at[m][0] for m in present)
                if 0 <= left < threshold.min_count:
                    drop |= {at[m][1] for m in present + [margin] if at[m][1] >= first_user_row}
    return sorted(drop)


@functools.lru_cache(maxsize=512)
def _region_parts(top: str, year: int) -> tuple[str, ...]:
    """Norway's counties, or a county's municipalities, in one year's structure."""
    from . import regions
    if top == "0":
        return tuple(r.code for r in regions.regions_in(year, "county"))
    return tuple(r.code for r in regions.regions_in(year, "municipality") if r.county == top)


def _relations_of(key: tuple, pos: dict) -> list[tuple[tuple, list[tuple]]]:
    """The sums a cell is the margin or a part of: along each category (all = its parts) and the region
    hierarchy of its year (a county = its municipalities, Norway = its counties)."""
    from . import dimensions as dims, regions
    out = []

    def put(d, value):
        return lambda k: k[:pos[d]] + (value,) + k[pos[d] + 1:]
    for d, parts in dims.PARTS.items():
        if key[pos[d]] in parts + (dims.ALL,):
            margin = put(d, dims.ALL)(key)
            out.append((margin, [put(d, p)(margin) for p in parts]))
    code, year = key[pos[dims.REGION]], int(key[pos[dims.YEAR]])
    municipality = len(code) == 4
    above = [] if code == "0" else [(regions.county_of(code, year) or "0") if municipality else "0"]
    for top in ([] if municipality else [code]) + above:   # the cell as a margin, then as a part
        parts = _region_parts(top, year)
        if parts:
            out.append((put(dims.REGION, top)(key), [put(dims.REGION, p)(key) for p in parts]))
    return out
