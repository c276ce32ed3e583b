"""`python -m dashboard fetch ssb TABLE`: download a known SSB table from PxWebApi 2 and write a tidy CSV.

Standard library only (urllib). Two kinds of request, both GET and both JSON-stat 2.0:

  {BASE_URL}/api/pxwebapi/v2/tables/{id}/metadata?lang=no&outputFormat=json-stat2
  {BASE_URL}/api/pxwebapi/v2/tables/{id}/data?lang=no&outputFormat=json-stat2&valueCodes[DIM]=a,b,…

What is asked for comes from the table's mapping, dashboard/importers/tables/{id}.json:

  table         the table number
  source        the source id written on every row (a row of data/sources.csv)
  select        {dimension id: [codes] or "*"}: dimensions taken as they are (sex, …)
  eliminate     [dimension ids]: left out of the query, so SSB sums them (they must be eliminable)
  measure_dims  [dimension ids] whose codes choose the measure together with the contents code
  measures      {"CONTENTS+CODE…": measure id}: every cell asked for has a measure
The time dimension is always taken whole. Every id and code in the mapping is checked against the
table's metadata before any data is asked for; a mismatch stops with a message naming it.

SSB allows MAX_CELLS cells per request: a request whose selection is larger is split along its largest
dimension and the parts are merged. HTTP 429 (too many requests) and 503 are retried MAX_RETRIES times,
after Retry-After seconds when SSB sends it (at most MAX_WAIT), else after a short growing pause.
The cells go through the JSON-stat importer (ssb_jsonstat.to_result: SSB's status symbols kept beside
the numbers, one-year-after years moved to the cohort year) and common.validate, and only then is
anything written: offline, or on an HTTP error, nothing is written.

`opener` (a function like urllib.request.urlopen) and `sleep` are parameters, so tests replay recorded
responses and never touch the network.
"""
from __future__ import annotations

import json
import math
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from importlib import resources
from pathlib import Path

from ..model.dataset import DataError, Problem
from . import ssb_jsonstat
from .common import ImportResult

BASE_URL = "https://data.ssb.no"   # setting: INTRODASH_SSB_BASE (for a mirror, or a local test server)
API_PATH = "/api/pxwebapi/v2"
MAX_CELLS = 800_000        # SSB: "Grensene per uttrekk er 800.000 dataceller"
MAX_RETRIES = 3            # after the first try, for 429 and 503 only
MAX_WAIT = 30.0            # seconds: a longer Retry-After is cut to this
BACKOFF = (1.0, 2.0, 4.0)  # seconds, when SSB sends no Retry-After
TIMEOUT = 30.0
LANGS = {"nb": "no", "en": "en"}
RETRY_STATUSES = (429, 503)


def _fail(table: str, message: str) -> DataError:
    return DataError([Problem(f"table {table}", None, None, message)])


@dataclass(frozen=True)
class Mapping:
    table: str
    source: str
    select: dict
    eliminate: tuple
    measure_dims: tuple
    measures: dict
    path: str
    labels: dict        # {code of the first measure dimension: SSB's label in bokmål}, checked when lang=nb


def known_tables() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__package__).joinpath("tables").iterdir()
                  if p.name.endswith(".json"))


def load_mapping(table: str) -> Mapping:
    if not re.fullmatch(r"\d{5}", table):
        raise _fail(table, "an SSB table number has five digits, such as 10809")
    res = resources.files(__package__).joinpath("tables", f"{table}.json")
    if not res.is_file():
        raise _fail(table, f"no mapping for this table (known: {', '.join(known_tables())}); add "
                           f"dashboard/importers/tables/{table}.json")
    m = json.loads(res.read_text(encoding="utf-8"))
    return Mapping(str(m["table"]), m["source"], dict(m.get("select", {})), tuple(m.get("eliminate", ())),
                   tuple(m.get("measure_dims", ())), dict(m["measures"]), f"dashboard/importers/tables/{table}.json",
                   dict(m.get("labels", {})))


# ---- HTTP ---------------------------------------------------------------------------------------

def _retry_after(value: str | None, attempt: int) -> float:
    if value:
        try:
            return min(max(float(value), 0.0), MAX_WAIT)
        except ValueError:
            try:
                return min(max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0), MAX_WAIT)
            except (TypeError, ValueError):
                pass
    return BACKOFF[min(attempt, len(BACKOFF) - 1)]


def get(url: str, table: str, opener=None, sleep=time.sleep, timeout: float = TIMEOUT) -> bytes:
    """The body of a GET, retried on 429/503; any other failure is one DataError with one plain line."""
    opener = opener or urllib.request.urlopen
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "introdash-fetch"})
    for attempt in range(MAX_RETRIES + 1):
        try:
            with opener(req, timeout=timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            if e.code in RETRY_STATUSES and attempt < MAX_RETRIES:
                sleep(_retry_after(e.headers.get("Retry-After") if e.headers else None, attempt))
                continue
            tries = f" after {attempt + 1} tries" if attempt else ""
            raise _fail(table, f"SSB answered HTTP {e.code} {e.reason}{tries} for {url}; nothing was written") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise _fail(table, f"cannot reach SSB ({reason}); nothing was written. Without a network connection, "
                               "download the table as JSON-stat 2 on ssb.no and run: python -m dashboard import "
                               "ssb FILE.json --out NAME.csv") from None
    raise AssertionError("unreachable")


def table_url(table: str, what: str, params: list[tuple[str, str]], base: str = BASE_URL) -> str:
    query = urllib.parse.urlencode(params, safe="[],*()")
    return f"{base.rstrip('/')}{API_PATH}/tables/{table}/{what}?{query}"


# ---- the requests a mapping needs -----------------------------------------------------------------

def _same(a: str, b: str) -> bool:
    return " ".join(a.replace(" / ", "/").split()).casefold() == " ".join(b.replace(" / ", "/").split()).casefold()


def _check_named(mapping: Mapping, meta: dict, by_id: dict, where: str) -> None:
    """Every dimension the mapping names is in the table, and each one it leaves out can be summed by SSB."""
    table = mapping.table
    named = list(mapping.select) + list(mapping.eliminate) + list(mapping.measure_dims)
    for did in named:
        if did not in by_id:
            raise _fail(table, f"{where} names dimension {did!r}, which the table does not have (it has "
                               f"{', '.join(by_id)}); compare with {table_url(table, 'metadata', [('lang', 'no')])}")
    for did in mapping.eliminate:
        if not (meta["dimension"][did].get("extension") or {}).get("elimination"):
            raise _fail(table, f"{where} leaves out dimension {did!r}, but SSB cannot sum it (elimination is false)")


def _measure_groups(mapping: Mapping, by_id: dict, metric: str, where: str) -> dict[tuple, set]:
    """{codes of the measure dimensions: the contents codes mapped with them}, each code checked."""
    table = mapping.table
    groups: dict[tuple, set] = {}
    for key in mapping.measures:
        codes = key.split("+")
        if len(codes) != 1 + len(mapping.measure_dims):
            raise _fail(table, f"{where}: {key!r} needs one code for {metric} and one for each of "
                               f"{', '.join(mapping.measure_dims) or '(no measure_dims)'}")
        for did, code in zip((metric,) + mapping.measure_dims, codes):
            if code not in by_id[did].codes:
                raise _fail(table, f"{where}: {did} has no code {code!r} (it has {', '.join(by_id[did].codes)})")
        groups.setdefault(tuple(codes[1:]), set()).add(codes[0])
    return groups


def _check_labels(mapping: Mapping, by_id: dict, lang: str, where: str) -> None:
    """SSB's bokmål labels of the first measure dimension are the mapping's: otherwise the codes have changed."""
    if mapping.labels and mapping.measure_dims and lang == "no":
        first = by_id[mapping.measure_dims[0]]
        for code, label in mapping.labels.items():
            if code in first.codes and not _same(first.label_of(code), label):
                raise _fail(mapping.table, f"{where}: {first.id} {code!r} is {first.label_of(code)!r} in the table, "
                                           f"not {label!r}; the codes have changed, correct the mapping")


def _requests(groups: dict[tuple, set]) -> list[tuple[frozenset, set]]:
    """(other codes, contents codes) per request, in the order of the contents codes.

    Contents codes that map the same other codes go in one request; different sets, separate requests,
    so no cell without a measure is ever asked for."""
    by_contents: dict[frozenset, set] = {}
    for rest, contents in groups.items():
        for c in contents:
            by_contents.setdefault(c, set()).add(rest)
    merged: dict[frozenset, set] = {}
    for c, rests in by_contents.items():
        merged.setdefault(frozenset(rests), set()).add(c)
    return sorted(merged.items(), key=lambda kv: sorted(kv[1]))


_SUMMED = object()   # _codes_of: a dimension left out of the request, so that SSB sums it


def _codes_of(d, mapping: Mapping, meta: dict, metric: str, timed: str, rests, contents, where: str):
    """The codes one request asks for of dimension d, or _SUMMED."""
    if d.id in mapping.eliminate:
        return _SUMMED
    if d.id == metric:
        return [c for c in d.codes if c in contents]
    if d.id in mapping.measure_dims:
        i = mapping.measure_dims.index(d.id)
        wanted = {r[i] for r in rests}
        return [c for c in d.codes if c in wanted]
    if d.id == timed:
        return list(d.codes)
    if d.id in mapping.select:
        want = mapping.select[d.id]
        if want == "*":
            return list(d.codes)
        missing = [c for c in want if c not in d.codes]
        if missing:
            raise _fail(mapping.table, f"{where}: {d.id} has no code {', '.join(map(repr, missing))}")
        return [c for c in d.codes if c in want]
    if len(d.codes) == 1:
        return list(d.codes)
    if (meta["dimension"][d.id].get("extension") or {}).get("elimination"):
        return _SUMMED                     # not named: SSB sums it
    raise _fail(mapping.table, f"{where} does not say what to take of dimension {d.id!r} ({d.label}), "
                               "which SSB cannot sum; add it to select")


def plan(mapping: Mapping, meta: dict, dims, lang: str = "no") -> list[dict[str, list[str]]]:
    """One selection {dimension id: codes} per group of contents codes that share their other codes,
    each checked against the metadata. Eliminated dimensions are absent."""
    table = mapping.table
    by_id = {d.id: d for d in dims}
    where = f"the mapping ({mapping.path})"
    _check_named(mapping, meta, by_id, where)
    metric = ssb_jsonstat._role(meta, "metric") or ("ContentsCode" if "ContentsCode" in by_id else None)
    timed = ssb_jsonstat._role(meta, "time") or ("Tid" if "Tid" in by_id else None)
    if metric not in by_id or timed not in by_id:
        raise _fail(table, "the metadata has no contents (role.metric) or time (role.time) dimension")
    groups = _measure_groups(mapping, by_id, metric, where)
    _check_labels(mapping, by_id, lang, where)
    selections = []
    for rests, contents in _requests(groups):
        sel: dict[str, list[str]] = {}
        for d in dims:
            codes = _codes_of(d, mapping, meta, metric, timed, rests, contents, where)
            if codes is not _SUMMED:
                sel[d.id] = codes
        selections.append(sel)
    return selections


def cells(selection: dict[str, list[str]]) -> int:
    return math.prod(len(v) for v in selection.values())


def split(selection: dict[str, list[str]], limit: int = MAX_CELLS) -> list[dict[str, list[str]]]:
    """Parts of a selection of at most `limit` cells each, cut along the largest dimension (again and
    again if one cut is not enough)."""
    if cells(selection) <= limit:
        return [selection]
    big = max(selection, key=lambda d: len(selection[d]))
    codes = selection[big]
    if len(codes) == 1:
        raise ValueError(f"one cell-row of {cells(selection)} cells exceeds the limit of {limit}")
    others = cells(selection) // len(codes)
    per = max(1, limit // others)
    out = []
    for i in range(0, len(codes), per):
        out += split({**selection, big: codes[i:i + per]}, limit)
    return out


def data_params(selection: dict[str, list[str]], lang: str) -> list[tuple[str, str]]:
    return [("lang", lang), ("outputFormat", "json-stat2")] + [(f"valueCodes[{d}]", ",".join(c))
                                                              for d, c in selection.items()]


# ---- the whole fetch -------------------------------------------------------------------------------

def fetch(table: str, measures, lang: str = "nb", base: str = BASE_URL, opener=None, sleep=time.sleep,
          limit: int = MAX_CELLS) -> ImportResult:
    """Every mapped cell of the table as one ImportResult (not yet validated or written)."""
    if lang not in LANGS:
        raise _fail(table, f"--lang must be one of {', '.join(LANGS)}")
    mapping = load_mapping(table)
    ssb_lang = LANGS[lang]
    meta_url = table_url(table, "metadata", [("lang", ssb_lang), ("outputFormat", "json-stat2")], base)
    meta_raw = get(meta_url, table, opener, sleep)
    meta, dims, _, _ = ssb_jsonstat.parse(meta_raw, f"table {table} (metadata)")
    merged = ImportResult([], [], [], name=f"SSB table {table}")
    for selection in plan(mapping, meta, dims, ssb_lang):
        for part in split(selection, limit):
            raw = get(table_url(table, "data", data_params(part, ssb_lang), base), table, opener, sleep)
            got = ssb_jsonstat.to_result(raw, f"SSB table {table}", measures, mapping.measures, mapping.source,
                                         mapping.measure_dims)
            merged.rows += got.rows
            merged.status += got.status
            merged.notes += [n for n in got.notes if n not in merged.notes]
            merged.suggested_source = merged.suggested_source or got.suggested_source
    updated = str(meta.get("updated", ""))[:10]
    if updated:
        merged.notes.append(f"SSB updated the table on {updated}: the date of source {mapping.source} in "
                            "data/sources.csv should say so")
    return merged


def run(args) -> int:
    """The CLI: one plain line on stderr and exit 1 on any failure, and then nothing is written."""
    import sys
    from ..model.dataset import catalogues, load_dataset
    from .common import validate, write_outputs
    out = Path(args.out or f"data/ssb_{args.table}.csv")
    try:
        if out.suffix.lower() != ".csv":
            raise _fail(args.table, "--out must be a .csv file")
        measures, sources = catalogues()
        result = fetch(args.table, measures, lang=args.lang, base=os.environ.get("INTRODASH_SSB_BASE") or BASE_URL)
        unknown = sorted({r["source"] for r in result.rows + result.status} - set(sources))
        if unknown:
            raise _fail(args.table, f"source {', '.join(unknown)} is not in data/sources.csv; add it there")
        validate(result, measures, sources)
        written = write_outputs(result, out)
        load_dataset(out)
    except DataError as e:
        print(" ".join(str(p) for p in e.problems).replace("\n", " "), file=sys.stderr)
        return 1
    except Exception as e:   # never a traceback
        print(f"fetch failed ({type(e).__name__}: {e})".replace("\n", " "), file=sys.stderr)
        return 1
    print(f"{out}: OK")
    print(result.summary())
    print("wrote: " + ", ".join(str(p) for p in written))
    return 0
