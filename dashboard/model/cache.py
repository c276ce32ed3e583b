"""One cache for what is worked out once per dataset: the query's index, look-ups, views.

A dataset never changes once loaded (a reload or an upload is a new Dataset), so anything computed from
one can be remembered for as long as that dataset lives. Every such value goes through `remembered`,
keyed by the dataset, a kind ("cell", "index", "view", …) and a key. Each kind is a bounded LRU, so a
large cube explored for days does not grow without end, and the whole table of a dataset goes with it
(weak reference): no attributes are set on the dataset.

The shared view cache (Redis, INTRODASH_REDIS_URL) sits behind the same idea one level up: see
web/performance.py `memoize_view`, which the callbacks' render functions wear.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Callable

# How many entries each kind keeps per dataset; a kind not named keeps DEFAULT_LIMIT.
LIMITS = {"cell": 200_000, "published": 200_000, "ranking": 4_096, "query": 256, "query:texts": 256, "specs": 256,
          "view:charts": 256, "view:texts": 256, "view:controls": 256, "view:notices": 256}
DEFAULT_LIMIT = 1_024
_MISS = object()
_lock = threading.Lock()
_tables: dict[int, dict[str, OrderedDict]] = {}


def _table(ds) -> dict[str, OrderedDict]:
    key = id(ds)
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = {}
        weakref.finalize(ds, _tables.pop, key, None)  # the dataset's entries go with it
    return table


def remembered(ds, kind: str, key, compute: Callable[[], object]):
    """compute(), remembered for this dataset under (kind, key)."""
    with _lock:
        entries = _table(ds).setdefault(kind, OrderedDict())
        hit = entries.get(key, _MISS)
        if hit is not _MISS:
            entries.move_to_end(key)
            return hit
    value = compute()  # outside the lock: a slow view must not hold up the others
    with _lock:
        entries[key] = value
        limit = LIMITS.get(kind, DEFAULT_LIMIT)
        while len(entries) > limit:
            entries.popitem(last=False)
    return value


def peek(ds, kind: str, key, default=None):
    """A remembered value, or `default`: never computes."""
    with _lock:
        return _tables.get(id(ds), {}).get(kind, {}).get(key, default)


def once(ds, kind: str, compute: Callable[[], object]):
    """A value computed once per dataset (its index, its years)."""
    return remembered(ds, kind, None, compute)


def sizes(ds) -> dict[str, int]:
    """How many entries each kind holds for a dataset (for tests and benchmarks)."""
    with _lock:
        return {k: len(v) for k, v in _tables.get(id(ds), {}).items()}
