"""DataStore: the served data swapped in whole; a bad file keeps the last good data and its problems."""
from __future__ import annotations

import os
import threading

import flask
import pytest

from dashboard.model import store as store_module
from dashboard.model.dataset import DATA_DIR, Dataset, load_dataset
from dashboard.model.store import DataStore, install_reload
from dashboard.model.suppression import protect

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
SOURCE = "imdi-nokkeltall-2023"      # a source of data/sources.csv


def tidy(*ended: tuple[int, int]) -> str:
    """National 'ended' counts by year (large, so the small-number protection keeps them)."""
    return HEADER + "".join(f"{y},0,all,all,all,all,all,ended,{n},count,false,{SOURCE}\n" for y, n in ended)


def write(path, text: str) -> None:
    """Write and move the file's time on, so its stamp changes even within one clock tick."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    write(d / "a.csv", tidy((2022, 2757), (2023, 11381)))
    return d


@pytest.fixture
def store(folder):
    return DataStore(protect(load_dataset(folder)), path=folder)


def ended(ds) -> dict[int, float]:
    c = ds.cells
    return {int(y): float(v) for y, v in zip(c["year"], c["value"])}


def test_nothing_changed_nothing_reloaded(store):
    first = store.dataset
    assert store.reload_if_changed() is False
    assert store.dataset is first and store.last_problems == []


def test_a_changed_good_file_is_served_in_place_of_the_old(store, folder):
    write(folder / "a.csv", tidy((2022, 2757), (2023, 11381), (2024, 12000)))
    assert store.reload_if_changed() is True
    assert ended(store.dataset) == {2022: 2757, 2023: 11381, 2024: 12000}
    assert store.last_problems == []
    assert hasattr(store.dataset, "suppressed")           # a reloaded dataset is protected like the first
    assert store.reload_if_changed() is False             # and not loaded again


def test_a_new_file_in_the_folder_is_read_too(store, folder):
    write(folder / "b.csv", tidy((2016, 4469)))
    assert store.reload_if_changed() is True
    assert ended(store.dataset)[2016] == 4469 and len(store.dataset.cells) == 3


def test_a_bad_file_keeps_the_last_good_data_and_says_why(store, folder):
    good = store.dataset
    write(folder / "a.csv", tidy((2022, 2757)) + f"2023,0,all,all,all,all,all,ended,many,count,false,{SOURCE}\n")
    assert store.reload_if_changed() is False
    assert store.dataset is good and ended(good) == {2022: 2757, 2023: 11381}
    text = [str(p) for p in store.last_problems]
    assert len(text) == 1 and text[0].startswith("a.csv, line 3, column 'value'") and "'many'" in text[0]
    # The refused version is not tried again until the file changes once more.
    assert store.reload_if_changed() is False and store.dataset is good and len(store.last_problems) == 1
    write(folder / "a.csv", tidy((2023, 11400)))
    assert store.reload_if_changed() is True
    assert ended(store.dataset) == {2023: 11400} and store.last_problems == []


def test_a_removed_file_keeps_the_data(store, folder):
    good = store.dataset
    (folder / "a.csv").unlink()
    assert store.reload_if_changed() is False
    assert store.dataset is good
    assert [p.message for p in store.last_problems] == ["the folder holds no .csv data files"]


def test_a_catalogue_beside_the_data_is_part_of_its_version(store, folder):
    text = (DATA_DIR / "sources.csv").read_text(encoding="utf-8")
    write(folder / "sources.csv", text + "my-new-source,Meg,Mine egne tall,2024,https://example.org/tall\n")
    assert store.reload_if_changed() is True
    assert "my-new-source" in store.dataset.sources
    write(folder / "a.csv", tidy((2023, 99)).replace(SOURCE, "my-new-source"))
    assert store.reload_if_changed() is True
    assert set(store.dataset.cells["source"].astype(str)) == {"my-new-source"}


def test_an_unexpected_error_while_loading_is_a_problem_not_a_crash(store, folder, monkeypatch):
    good = store.dataset

    def broken(*a, **kw):
        raise MemoryError("no room")
    monkeypatch.setattr(store_module, "load_dataset", broken)
    write(folder / "a.csv", tidy((2023, 1)))
    assert store.reload_if_changed() is False
    assert store.dataset is good
    assert [p.message for p in store.last_problems] == ["cannot be loaded (MemoryError)"]


def test_a_file_that_changes_while_it_is_read_is_tried_again(store, folder, monkeypatch):
    real = store_module.load_dataset
    rounds = []

    def still_writing(*a, **kw):
        out = real(*a, **kw)
        if not rounds:
            write(folder / "a.csv", tidy((2023, 22222)))         # the writer finished after we read
        rounds.append(1)
        return out
    monkeypatch.setattr(store_module, "load_dataset", still_writing)
    write(folder / "a.csv", tidy((2023, 11111)))
    old = store.dataset
    assert store.reload_if_changed() is False and store.dataset is old
    assert store.reload_if_changed() is True
    assert ended(store.dataset) == {2023: 22222}


def test_swap_replaces_the_data_and_forgets_old_problems(store, folder):
    write(folder / "a.csv", "not a table\n")
    store.reload_if_changed()
    assert store.last_problems
    new = Dataset(store.dataset.cells.head(1), store.dataset.measures, store.dataset.sources)
    store.swap(new)
    assert store.dataset is new and store.last_problems == []


def test_a_store_without_a_path_never_reloads():
    ds = load_dataset()
    s = DataStore(ds)
    assert s.path is None and s.reload_if_changed() is False and s.dataset is ds


def test_only_one_thread_reloads_at_a_time(store, folder, monkeypatch):
    real = store_module.load_dataset
    inside, release, calls = threading.Event(), threading.Event(), []

    def slow(*a, **kw):
        calls.append(1)
        inside.set()
        release.wait(10)
        return real(*a, **kw)
    monkeypatch.setattr(store_module, "load_dataset", slow)
    write(folder / "a.csv", tidy((2023, 5000)))
    results = []
    t = threading.Thread(target=lambda: results.append(store.reload_if_changed()))
    t.start()
    assert inside.wait(10)
    assert store.reload_if_changed() is False      # does not wait for the other thread, nor load again
    release.set()
    t.join(10)
    assert results == [True] and len(calls) == 1 and ended(store.dataset) == {2023: 5000}


def test_maybe_reload_checks_at_most_once_per_interval(store, folder, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: now[0])
    store.maybe_reload(5)                                  # the first check
    write(folder / "a.csv", tidy((2023, 7)))
    now[0] += 1
    store.maybe_reload(5)
    assert ended(store.dataset) == {2022: 2757, 2023: 11381}      # within the interval: not looked at
    now[0] += 5
    store.maybe_reload(5)
    assert ended(store.dataset) == {2023: 7}
    write(folder / "a.csv", tidy((2023, 8)))
    now[0] += 100
    store.maybe_reload(0)                                  # 0 disables reloading
    assert ended(store.dataset) == {2023: 7}


def test_a_request_sees_one_dataset_even_if_it_is_swapped_meanwhile(store):
    app = flask.Flask(__name__)
    first = store.dataset
    other = Dataset(first.cells.head(1), first.measures, first.sources)
    with app.test_request_context("/"):
        assert store.dataset is first
        store.swap(other)
        assert store.dataset is first                     # pinned for this request
    with app.test_request_context("/"):
        assert store.dataset is other
    assert store.dataset is other                          # outside a request: the current one


def test_install_reload_checks_before_each_request(store, folder):
    app = flask.Flask(__name__)
    app.add_url_rule("/n", "n", lambda: str(len(store.dataset.cells)))
    install_reload(app, store, interval=0.000001)
    client = app.test_client()
    assert client.get("/n").get_data(as_text=True) == "2"
    write(folder / "a.csv", tidy((2021, 3295), (2022, 2757), (2023, 11381)))
    assert client.get("/n").get_data(as_text=True) == "3"


@pytest.mark.parametrize("interval,path", [(0, "folder"), (2, None)])
def test_install_reload_adds_nothing_when_disabled_or_without_files(store, interval, path):
    app = flask.Flask(__name__)
    if path is None:
        store = DataStore(store.dataset)
    install_reload(app, store, interval)
    assert app.before_request_funcs == {}
