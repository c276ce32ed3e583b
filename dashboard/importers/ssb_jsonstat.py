"""SSB Statbank tables (PxWebApi v1 and v2) in JSON-stat 2.0 -> rows of the tidy format.

Format (SSB's JSON-stat 2.0, https://json-stat.org/format/): `value` is flat and row-major over `id`/`size`
(the last dimension varies fastest), a list or a sparse object {"position": value}; `status` is an
object {"position": symbol}, a list, or one string for all cells. A cell with a symbol and a null value
is never written as a number: it goes to the status list (NAME.status.csv). v2 adds `note`, `link`,
per-dimension `extension` and places `version` first; none of that changes the cells.

Dimensions are found by role and id, never by position:
  time    role.time or `Tid`: four-digit years only. Tables of status one year after the programme
          (measures of series ssb_one_year_after) are labelled by the year of measurement (November of
          year t); they are written as the cohort year t − 1, the year the programme ended, as data/
          README.md requires. The summary says so.
  region  role.geo or `Region`: `0` (Hele landet), county and municipality codes, with or without
          SSB's `K-`/`F-` prefix, each checked against the region list for its year. A code given in
          a later structure (SSB back-calculates old years to today's municipalities) is written with
          the code in use that year when it is a pure renumbering (Bærum 3201 in 2019 -> 0219); a
          merged or split region cannot be written in an older structure and is refused.
  sex     `Kjonn`: 0 both sexes, 1 men, 2 women; the labels must agree.
  age     `Alder`: bands as the tidy format writes them (18-25 … 56+), read from code or label.
  country `Fodeland`/`Landbakgrunn`: by the country's name (dashboard.model.countries), or the total.
  metric  role.metric or `ContentsCode`: mapped to a measure id by `measure_map` {code: measure}
          (or a code that is itself a measure id); the unit (personer/prosent) must fit the measure.
Anything that cannot be mapped is refused with a message; nothing is guessed. Any other dimension
must have one category (select it when downloading) unless named in `measure_dims`, whose codes then
join the metric code in the mapping key ("Personer+02").
"""
from __future__ import annotations

import json
import math
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

from ..model import dimensions, regions
from ..model.dataset import MAX_JSON_DEPTH, DataError, Problem, check_budget, json_depth
from ..model.schema import Measure
from .common import ImportResult, status_row

SSB_API = os.environ.get("INTRODASH_SSB_API", "https://data.ssb.no/api/pxwebapi/v2")
NOT_PLACES = {"9999", "2100", "2111", "2121", "2131", "2211", "2311", "2321", "2399", "EAK", "99", "21", "22", "23"}


class _Dim:
    def __init__(self, did: str, label: str, codes: list[str], labels: dict, units: dict):
        self.id, self.label, self.codes, self.labels, self.units = did, label, codes, labels, units

    def label_of(self, code: str) -> str:
        return str(self.labels.get(code, code))


def _problem(name: str, message: str, where: str | None = None) -> DataError:
    return DataError([Problem(name, None, where, message)])


def _codes(cat: dict) -> list[str]:
    idx = cat.get("index")
    if idx is None:                        # a constant dimension may give only a label
        return list(cat.get("label", {}))
    if isinstance(idx, list):
        return [str(c) for c in idx]
    return [str(c) for c in sorted(idx, key=idx.__getitem__)]


def _expand(x, n: int, what: str, name: str) -> list:
    """value/status as a list of n: from a list, a sparse {"position": v} object, or one string."""
    if x is None:
        return [None] * n
    if isinstance(x, str):
        return [x] * n
    if isinstance(x, dict):
        out = [None] * n
        for k, v in x.items():
            try:
                i = int(k)
            except ValueError:
                raise _problem(name, f"`{what}` has the key {k!r}; expected a cell position") from None
            if not 0 <= i < n:
                raise _problem(name, f"`{what}` names cell {i}, but the table has {n} cells")
            out[i] = v
        return out
    if isinstance(x, list):
        if len(x) == 1 and n > 1 and what == "status":
            return list(x) * n
        if len(x) != n:
            raise _problem(name, f"`{what}` has {len(x)} entries, but `size` makes {n} cells")
        return list(x)
    raise _problem(name, f"`{what}` is neither a list nor an object")


def parse(raw, name: str = "table.json") -> tuple[dict, list[_Dim], list, list]:
    """Read a JSON-stat 2.0 dataset: (the dataset object, dimensions in `id` order, values, statuses)."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _problem(name, "the file is not UTF-8 text; SSB's JSON is UTF-8") from None
    if isinstance(raw, str):
        if json_depth(raw) > MAX_JSON_DEPTH:  # json.loads recurses per level: refused before it is parsed
            raise _problem(name, f"the JSON nests deeper than {MAX_JSON_DEPTH} levels; a JSON-stat table "
                                 "nests about 5")
        try:
            ds = json.loads(raw)
        except json.JSONDecodeError as e:
            raise DataError([Problem(name, e.lineno, None, f"this is not valid JSON ({e.msg})")]) from None
    else:
        ds = raw
    if not isinstance(ds, dict):
        raise _problem(name, "expected a JSON-stat dataset (an object), not a list or a value")
    if "dataset" in ds and "class" not in ds:
        raise _problem(name, "this is JSON-stat 1.x (SSB's old 'json-stat' format); "
                             "download the table as JSON-stat 2 (json-stat2)")
    if ds.get("class", "dataset") != "dataset":
        raise _problem(name, f"this is a JSON-stat {ds.get('class')!r}, not a dataset; download one table")
    if str(ds.get("version", "2.0")) != "2.0":
        raise _problem(name, f"JSON-stat version {ds.get('version')!r}; expected 2.0 (json-stat2)")
    ids, size, dims_obj = ds.get("id"), ds.get("size"), ds.get("dimension")
    if not isinstance(ids, list) or not isinstance(size, list) or not isinstance(dims_obj, dict):
        raise _problem(name, "a JSON-stat dataset needs `id`, `size` and `dimension`; one is missing")
    if len(ids) != len(size):
        raise _problem(name, f"`id` names {len(ids)} dimensions but `size` gives {len(size)}")
    if not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in size):
        raise _problem(name, "`size` must list whole numbers of categories")
    # Before anything is allocated per cell: `size` alone can declare 10^8 cells in a file of a few KB.
    limit = max_cells()
    if math.prod(size) > limit:
        raise _problem(name, f"`size` declares {math.prod(size):,} cells; the limit is {limit:,} "
                             "(setting max_jsonstat_cells); download a smaller selection".replace(",", " "))
    dims = []
    for did, n in zip(ids, size):
        d = dims_obj.get(did)
        if not isinstance(d, dict) or not isinstance(d.get("category"), dict):
            raise _problem(name, f"dimension {did!r} is in `id` but has no `category`")
        cat = d["category"]
        codes = _codes(cat)
        if len(codes) != n:
            raise _problem(name, f"dimension {did!r} has {len(codes)} categories, but `size` says {n}")
        dims.append(_Dim(did, str(d.get("label", did)), codes, cat.get("label", {}) or {}, cat.get("unit", {}) or {}))
    n = math.prod(size) if size else 0
    if ds.get("value") == []:                # SSB's metadata response: the table's shape, no cells
        return ds, dims, [], []
    values = _expand(ds.get("value"), n, "value", name)
    status = _expand(ds.get("status"), n, "status", name)
    return ds, dims, values, status


def max_cells() -> int:
    from ..settings import get
    return get("max_jsonstat_cells")


def _role(ds: dict, role: str) -> str | None:
    ids = (ds.get("role") or {}).get(role) or []
    return ids[0] if ids else None


def _find(ds, dims, role, ids, words) -> _Dim | None:
    by_id = {d.id: d for d in dims}
    rid = _role(ds, role) if role else None
    if rid in by_id:
        return by_id[rid]
    for d in dims:
        if d.id in ids or any(w in d.label.casefold() for w in words):
            return d
    return None


def _table_id(ds: dict) -> str:
    px = (ds.get("extension") or {}).get("px") or {}
    if px.get("tableid"):
        return str(px["tableid"])
    m = re.match(r"\s*(\d{5})\s*:", str(ds.get("label", "")))
    return m[1] if m else ""


def _values(dim: "dimensions.Dimension", d: _Dim, name: str) -> dict[str, str]:
    """An SSB dimension's codes -> the values of one of ours (dimensions.py says how: `ssb_value`)."""
    out = {}
    for code in d.codes:
        try:
            out[code] = dim.ssb_value(code, d.label_of(code))
        except ValueError as e:
            raise _problem(name, str(e), d.id) from None
    return out


def _unit_kind(units: dict, code: str) -> str | None:
    base = str((units.get(code) or {}).get("base", "")).casefold()
    if re.search(r"prosent|per ?cent|percent|%", base):
        return "percent"
    if re.search(r"person|antall|number|deltaker", base):
        return "count"
    return None


def _region(code: str, year: int, name: str, renumbered: dict) -> str:
    c = re.sub(r"^[KF]-", "", code)
    if c in ("0", "00", "0000"):
        return "0"
    if not re.fullmatch(r"\d{2}|\d{4}", c):
        raise _problem(name, f"region {code!r} is not a code for Norway, a county or a municipality", "Region")
    if regions.valid(c, year):
        return c
    # SSB often back-calculates old years to today's structure: accept a pure renumbering only.
    later = regions.region(c, None)
    if later is not None and later.valid_from.year > year:
        back = regions.predecessors(c, later.valid_from.year, back_to=year)
        if len(back) == 1 and [r.code for r in regions.successors(back[0].code, year, later.valid_from.year)] == [c]:
            renumbered.setdefault((c, later.name), {}).setdefault(back[0].code, set()).add(year)
            return back[0].code
        if back:
            raise _problem(name, f"region {c} ({later.name}) did not exist in {year}: it was formed from "
                                 f"{', '.join(f'{r.name} ({r.code})' for r in back)}; a figure for it cannot be "
                                 f"written in {year}'s structure. Download the table without years before "
                                 f"{later.valid_from.year}, or with the old regions", "Region")
    raise _problem(name, f"region {c} is not a code in use in {year}", "Region")


def to_result(raw, name: str, measures: dict[str, Measure], measure_map: dict[str, str] | None = None,
              source: str | None = None, measure_dims: tuple[str, ...] = ()) -> ImportResult:
    """Convert a JSON-stat 2.0 dataset to tidy rows (not yet validated: see common.validate)."""
    ds, dims, values, status = parse(raw, name)
    measure_map = dict(measure_map or {})
    table = _table_id(ds)
    source = source or (f"ssb-statbank-{table}" if table else "ssb-statbank")
    result = ImportResult([], [], [], name=name)
    if table:
        result.suggested_source = (f"ssb-statbank-{table},SSB,\"{str(ds.get('label', '')).replace(chr(34), '')}\","
                                   f"{str(ds.get('updated', ''))[:10]},https://www.ssb.no/statbank/table/{table}")
    if not values:
        raise _problem(name, "the file holds the table's metadata only (`value` is empty); download the data")
    roles = _roles(ds, dims, name, measure_dims, result.notes)
    combos = _combos(roles, measure_map, measures, name)
    shifted = {mid for mid in combos.values() if measures[mid].series == "ssb_one_year_after"}
    if shifted:
        result.notes.append("SSB labels status one year after the programme by the year of measurement "
                            f"(November); written as the cohort year (year − 1) for: {', '.join(sorted(shifted))}")
    mapped = {i: _values(dimensions.get(i), d, name) for i, d in roles.found.items() if d is not None}
    if roles.geo is None:
        result.notes.append("no region dimension: the figures are for the whole country (region 0)")
    result.notes += [dimensions.get(i).ssb_missing for i, d in roles.found.items() if d is None]
    renumbered, skipped_places = _write_cells(result, dims, values, status, roles, mapped, combos, shifted,
                                              measures, source, name)
    for (code, label), old in sorted(renumbered.items()):
        spans = ", ".join(f"{c} in {min(ys)}" + (f"–{max(ys)}" if max(ys) != min(ys) else "") for c, ys in sorted(old.items()))
        result.notes.append(f"SSB gives {label} as {code} also for earlier years (today's structure); written with "
                            f"the code in use then: {spans}")
    if skipped_places:
        result.notes.append(f"{skipped_places} empty cells for codes that are not places (such as 9999 "
                            "Uoppgitt) left out")
    return result


class _Roles(NamedTuple):
    """The table's dimensions by what they are to the tidy format."""
    time: _Dim
    geo: _Dim | None
    metric: _Dim
    found: dict[str, _Dim | None]   # our other dimensions (gender, age, country …) -> the table's, if it has it
    extra: list[_Dim]               # the --measure-dim dimensions, whose codes join the metric's


def _roles(ds: dict, dims: list[_Dim], name: str, measure_dims: tuple[str, ...], notes: list[str]) -> _Roles:
    """Find each dimension's role; DataError for a table without time or contents, or with a dimension of
    several categories that has no place. A dimension of one category is noted and left out."""
    year_dim, region_dim = dimensions.get(dimensions.YEAR), dimensions.get(dimensions.REGION)
    time = _find(ds, dims, "time", year_dim.ssb_names, year_dim.ssb_words)
    geo = _find(ds, dims, "geo", region_dim.ssb_names, region_dim.ssb_words)
    metric = _find(ds, dims, "metric", ("ContentsCode",), ("statistikkvariabel", "contents"))
    # Our other dimensions that an SSB table can have (dimensions.py: ssb_names, ssb_words, ssb_value).
    found = {d.id: _find(ds, dims, None, d.ssb_names, d.ssb_words) for d in dimensions.DIMENSIONS if d.ssb_value}
    if time is None:
        raise _problem(name, "no time dimension (role.time or `Tid`) was found")
    if metric is None:
        raise _problem(name, "no contents dimension (role.metric or `ContentsCode`) was found")
    known = {time.id, metric.id} | {d.id for d in (geo, *found.values()) if d is not None} | set(measure_dims)
    for d in dims:
        if d.id not in known:
            if len(d.codes) != 1:
                raise _problem(name, f"dimension {d.id!r} ({d.label}) has {len(d.codes)} categories and no place in "
                                     "the tidy format; select one category when downloading, or name it with "
                                     "--measure-dim so its codes choose the measure", d.id)
            notes.append(f"dimension {d.id} ({d.label}) has one category: {d.label_of(d.codes[0])}")
    return _Roles(time, geo, metric, found, [d for d in dims if d.id in measure_dims])


def _key_label(codes) -> str:
    """The mapping key of a metric code and the --measure-dim codes: 'Personer+02'."""
    return "+".join(codes)


def _combos(roles: _Roles, measure_map: dict[str, str], measures: dict[str, Measure], name: str) -> dict[str, str]:
    """Metric (+ extra dimensions) -> measure, each checked against the unit; DataError for one with no
    measure, an unknown measure or a unit that does not fit."""
    metric, extra = roles.metric, roles.extra
    combos = {}
    for mcode in metric.codes:
        for ecodes in _product([d.codes for d in extra]):
            key = _key_label((mcode,) + ecodes)
            mid = measure_map.get(key) or (key if key in measures else None)
            if mid is None:
                labels = " / ".join([metric.label_of(mcode)] + [d.label_of(c) for d, c in zip(extra, ecodes)])
                raise _problem(name, f"{metric.id} {key!r} ({labels}) has no measure: pass --measure {key}=MEASURE "
                                     "with an id from data/measures.csv", metric.id)
            if mid not in measures:
                raise _problem(name, f"--measure {key}={mid}: {mid!r} is not a measure in data/measures.csv", metric.id)
            kind = _unit_kind(metric.units, mcode)
            if kind is not None and kind != measures[mid].unit:
                raise _problem(name, f"{metric.id} {key!r} is in {metric.units[mcode].get('base')} but {mid} is "
                                     f"measured in {measures[mid].unit}", metric.id)
            combos[key] = mid
    return combos


def _write_cells(result: ImportResult, dims: list[_Dim], values: list, status: list, roles: _Roles,
                 mapped: dict, combos: dict[str, str], shifted: set[str], measures: dict[str, Measure],
                 source: str, name: str) -> tuple[dict, int]:
    """Every cell into result.rows (a number) or result.status (a symbol and no number), in the table's
    order; return the renumbered regions and how many empty cells of non-places were left out."""
    time, geo, metric, found, extra = roles
    renumbered: dict = {}
    skipped_places = 0
    index = {d.id: i for i, d in enumerate(dims)}
    for pos, combo in enumerate(_product([d.codes for d in dims])):
        if not pos & 4095:
            check_budget()
        value, symbol = values[pos], status[pos]
        if value is None and symbol is None:
            continue
        tcode = combo[index[time.id]]
        if not re.fullmatch(r"\d{4}", tcode):
            raise _problem(name, f"time {tcode!r} is not a year; only yearly tables can be imported", time.id)
        key = _key_label((combo[index[metric.id]],) + tuple(combo[index[d.id]] for d in extra))
        measure = combos[key]
        year = int(tcode) - (1 if measure in shifted else 0)
        region = "0"
        if geo is not None:
            gcode = re.sub(r"^[KF]-", "", combo[index[geo.id]])
            if gcode in NOT_PLACES:
                if value is not None:
                    raise _problem(name, f"region {gcode!r} ({geo.label_of(combo[index[geo.id]])}) is not a place in "
                                         "Norway's structure; leave it out when downloading", geo.id)
                skipped_places += 1
                continue
            region = _region(combo[index[geo.id]], year, name, renumbered)
        coords = {**dimensions.margins(), dimensions.YEAR: year, dimensions.REGION: region,
                  **{i: values_of[combo[index[found[i].id]]] for i, values_of in mapped.items()}}
        if value is None:
            result.status.append(status_row(coords, measure, str(symbol), source))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _problem(name, f"cell {pos} holds {value!r}, not a number")
        result.rows.append({**coords, "measure": measure, "value": float(value), "unit": measures[measure].unit,
                            "approx": False, "source": source})
        if symbol is not None:
            result.notes.append(f"cell {pos} has the symbol {symbol!r} next to the number {value}; the number is "
                                "written")
    return renumbered, skipped_places


def _product(lists):
    if not lists:
        yield ()
        return
    first, rest = lists[0], lists[1:]
    for x in first:
        for tail in _product(rest):
            yield (x,) + tail


def fetch(table: str, base: str | None = None, timeout: float = 30) -> bytes:
    """Download a whole table as JSON-stat 2 from SSB's PxWebApi v2 (metadata first, then every code)."""
    if not re.fullmatch(r"\d{5}", table):
        raise _problem(f"table {table}", "an SSB table number has five digits, such as 10809")
    base = (base or os.environ.get("INTRODASH_SSB_API") or SSB_API).rstrip("/")
    meta_url = f"{base}/tables/{table}/metadata?lang=no&outputFormat=json-stat2"
    meta = _get(meta_url, timeout, table)
    _, dims, _, _ = parse(meta, f"table {table} (metadata)")
    query = [("lang", "no"), ("outputFormat", "json-stat2")] + [(f"valueCodes[{d.id}]", "*") for d in dims]
    return _get(f"{base}/tables/{table}/data?{urllib.parse.urlencode(query)}", timeout, table)


def _get(url: str, timeout: float, table: str) -> bytes:
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "introdash-import"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        raise _problem(f"table {table}", f"SSB answered {e.code} {e.reason} for {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise _problem(f"table {table}", f"cannot reach SSB ({reason}). Without a network connection, download "
                                         "the table as JSON-stat 2 on ssb.no and run: "
                                         "python -m dashboard import ssb FILE.json --out NAME.csv") from None
