"""The per-dataset cache: once per (dataset, kind, key), bounded per kind, gone with the dataset, thread-safe."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

from dashboard.model import cache
from dashboard.model.query import Coords, get_cell
from tests.cube import cube_dataset


class Thing:
    """Stands for a dataset: the cache needs only an object that can be weakly referenced."""


class Value:
    def __init__(self, n):
        self.n = n


class Counter:
    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, value):
        def compute():
            with self.lock:
                self.calls += 1
            return value
        return compute


def test_remembered_computes_once_per_dataset_kind_and_key():
    ds, other = Thing(), Thing()
    count = Counter()
    assert cache.remembered(ds, "k", 1, count("a")) == "a"
    assert cache.remembered(ds, "k", 1, count("not again")) == "a"
    assert count.calls == 1
    assert cache.remembered(ds, "k", 2, count("b")) == "b"          # another key
    assert cache.remembered(ds, "j", 1, count("c")) == "c"          # another kind
    assert cache.remembered(other, "k", 1, count("d")) == "d"       # another dataset
    assert count.calls == 4
    assert cache.sizes(ds) == {"k": 2, "j": 1} and cache.sizes(other) == {"k": 1}


def test_none_and_falsy_values_are_remembered_too():
    ds, count = Thing(), Counter()
    for _ in range(3):
        assert cache.remembered(ds, "k", "none", count(None)) is None
        assert cache.remembered(ds, "k", "zero", count(0)) == 0
    assert count.calls == 2


def test_an_exception_is_not_remembered():
    ds, count = Thing(), Counter()

    def boom():
        raise RuntimeError("no")
    with pytest.raises(RuntimeError):
        cache.remembered(ds, "k", 1, boom)
    assert cache.peek(ds, "k", 1, "absent") == "absent"
    assert cache.remembered(ds, "k", 1, count("ok")) == "ok" and count.calls == 1


def test_once_is_remembered_under_no_key():
    ds, count = Thing(), Counter()
    assert cache.once(ds, "years", count([2022, 2023])) == [2022, 2023]
    assert cache.once(ds, "years", count("other")) == [2022, 2023]
    assert count.calls == 1 and cache.peek(ds, "years", None) == [2022, 2023]


def test_peek_never_computes():
    ds, count = Thing(), Counter()
    assert cache.peek(ds, "k", 1) is None
    assert cache.peek(ds, "k", 1, default="d") == "d"
    assert count.calls == 0 and cache.sizes(ds) == {}
    cache.remembered(ds, "k", 1, count("v"))
    assert cache.peek(ds, "k", 1) == "v" and cache.peek(ds, "k", 2, "x") == "x" and cache.peek(ds, "z", 1) is None
    assert count.calls == 1


def test_each_kind_is_a_bounded_lru(monkeypatch):
    monkeypatch.setitem(cache.LIMITS, "small", 3)
    ds, count = Thing(), Counter()
    for k in (1, 2, 3):
        cache.remembered(ds, "small", k, count(k))
    assert cache.remembered(ds, "small", 1, count("again")) == 1      # a hit: 1 is now the newest
    cache.remembered(ds, "small", 4, count(4))                        # 2, the least recently used, goes
    assert cache.sizes(ds)["small"] == 3
    assert cache.peek(ds, "small", 2) is None
    assert [cache.peek(ds, "small", k) for k in (1, 3, 4)] == [1, 3, 4]
    assert cache.remembered(ds, "small", 2, count("recomputed")) == "recomputed"
    assert cache.peek(ds, "small", 3) is None and count.calls == 5


def test_a_kind_not_named_keeps_the_default_limit(monkeypatch):
    monkeypatch.setattr(cache, "DEFAULT_LIMIT", 2)
    ds = Thing()
    for k in range(5):
        cache.remembered(ds, "unnamed", k, lambda k=k: k)
    assert cache.sizes(ds) == {"unnamed": 2}
    assert [cache.peek(ds, "unnamed", k) for k in range(5)] == [None, None, None, 3, 4]


def test_the_limits_are_positive_and_the_cells_kind_is_large():
    assert cache.DEFAULT_LIMIT > 0 and all(v > 0 for v in cache.LIMITS.values())
    assert cache.LIMITS["cell"] >= 100_000 and cache.LIMITS["published"] >= 100_000


def test_the_entries_go_when_the_dataset_is_garbage_collected():
    ds = Thing()
    value = Value(1)
    alive = weakref.ref(value)
    cache.remembered(ds, "k", 1, lambda: value)
    del value
    gc.collect()
    assert alive() is not None              # the cache holds it while the dataset lives
    tables_before = len(cache._tables)
    ds_ref = weakref.ref(ds)
    del ds
    gc.collect()
    assert ds_ref() is None and alive() is None
    assert len(cache._tables) == tables_before - 1


def test_a_new_dataset_starts_empty_even_at_a_reused_address():
    for _ in range(50):          # CPython often reuses a freed object's address for the next one
        ds = Thing()
        assert cache.sizes(ds) == {} and cache.peek(ds, "k", 1) is None
        cache.remembered(ds, "k", 1, lambda: "old")
        del ds                   # no cycle: freed (and its entries dropped) at once


def test_a_real_datasets_look_ups_are_remembered_and_released():
    ds = cube_dataset(regions=("0", "03"), years=(2022, 2023))
    c = get_cell(ds, "to_work", 2023, Coords(region="03"))
    assert c is not None and c.coords.region == "03" and c.year == 2023
    sizes = cache.sizes(ds)
    assert sizes.get("cell") == 1 and sizes.get("published", 0) >= 1
    assert get_cell(ds, "to_work", 2023, Coords(region="03")) is c       # the same object: remembered
    assert cache.sizes(ds)["cell"] == 1
    cell = weakref.ref(c)
    del c, ds
    gc.collect()
    assert cell() is None


def test_concurrent_calls_on_many_keys_are_consistent_and_bounded(monkeypatch):
    monkeypatch.setitem(cache.LIMITS, "busy", 64)
    ds = Thing()
    errors, start = [], threading.Barrier(8)

    def work(t):
        try:
            start.wait()
            for i in range(2000):
                k = (i * 7 + t) % 200
                got = cache.remembered(ds, "busy", k, lambda k=k: ("v", k))
                if got != ("v", k):
                    errors.append((k, got))
                cache.peek(ds, "busy", k)
                cache.sizes(ds)
        except Exception as e:     # noqa: BLE001 — any failure in a thread fails the test
            errors.append(e)
    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert cache.sizes(ds) == {"busy": 64}


def test_concurrent_calls_for_one_key_all_get_its_value_and_it_stays_remembered():
    ds, count = Thing(), Counter()
    start = threading.Barrier(8)
    results = []

    def work():
        start.wait()
        results.append(cache.remembered(ds, "k", "same", count(42)))
    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [42] * 8
    # compute runs outside the lock, so threads that miss together may each compute; never more than they
    assert 1 <= count.calls <= 8
    calls = count.calls
    assert cache.remembered(ds, "k", "same", count(0)) == 42 and count.calls == calls
    assert cache.sizes(ds) == {"k": 1}
