"""Reloading data while the app runs: a changed file is validated, then swapped in whole; a bad one is
refused (logged, on /healthz) and the previous data stays served; no request sees half of each."""
from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from dashboard.model import store as store_module
from dashboard.web.app import create_app
from dashboard.model.dataset import load_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
ENDED_2023 = "2023,0,all,all,all,all,all,ended,11381,count,false,imdi-nokkeltall-2023"
_stamp = [time.time_ns()]


def write(path: Path, text: str) -> None:
    """Replace a file the way a careful deploy does (write aside, rename), with a new mtime."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    _stamp[0] += 10**9
    os.utime(path, ns=(_stamp[0], _stamp[0]))


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for f in ("figures.csv", "measures.csv", "sources.csv"):
        shutil.copy(DATA / f, d / f)
    return d




def csv_rows(client, query="?year=2023") -> list[str]:
    r = client.get("/data.csv" + query)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True).splitlines()


def ended_2023(client) -> str:
    return next(line.split(",")[8] for line in csv_rows(client)
                if line.startswith("2023,0,all,all,all,all,all,ended,") and "imdi-nokkeltall-2023" in line)


def test_good_change_is_served_bad_change_refused_and_reported(data_dir, records):
    app = create_app(data_dir, settings={"reload_interval": 0.01, "reload_quiet": 0})
    client = app.server.test_client()
    store = app.server.config["DATA_STORE"]
    figures = data_dir / "figures.csv"
    original = figures.read_text(encoding="utf-8")
    assert ENDED_2023 in original and ended_2023(client) == "11381"

    write(figures, original.replace(ENDED_2023, ENDED_2023.replace("11381", "11382")))
    time.sleep(0.02)
    assert ended_2023(client) == "11382"
    health = client.get("/healthz").get_data(as_text=True).splitlines()
    assert health[0] == "ok" and health[1].startswith("data: sha256:") and f"rows {len(store.dataset.cells)}" in health[1]
    assert len(health) == 2

    bad = original.replace(ENDED_2023, ENDED_2023.replace("11381", "many"))
    write(figures, bad)
    time.sleep(0.02)
    assert ended_2023(client) == "11382"  # the last good data, not the bad file and not nothing
    line = bad.splitlines().index(ENDED_2023.replace("11381", "many")) + 1
    message = f"figures.csv, line {line}, column 'value': 'many' is not a number"
    assert [str(p) for p in store.last_problems] == [message]
    health = client.get("/healthz")
    assert health.status_code == 200 and health.mimetype == "text/plain"
    lines = health.get_data(as_text=True).splitlines()
    assert lines[0] == "ok" and lines[2].startswith("refused: a changed data file was refused")
    assert "many" not in health.get_data(as_text=True)  # no file contents unless healthz_details is on
    app.server.config["HEALTHZ_DETAILS"] = 1
    assert client.get("/healthz").get_data(as_text=True).splitlines()[3] == f"refused: {message}"
    app.server.config["HEALTHZ_DETAILS"] = 0
    assert any(r.levelno == logging.WARNING and "'many' is not a number" in r.getMessage() for r in records)

    write(figures, original)
    time.sleep(0.02)
    assert ended_2023(client) == "11381" and store.last_problems == []
    assert "refused" not in client.get("/healthz").get_data(as_text=True)


def test_a_broken_catalogue_or_a_vanished_file_keeps_the_old_data(data_dir):
    app = create_app(data_dir, settings={"reload_interval": 0.01, "reload_quiet": 0})
    client = app.server.test_client()
    store = app.server.config["DATA_STORE"]
    write(data_dir / "measures.csv", "this is not,a catalogue\n\x00\x01")
    time.sleep(0.02)
    assert ended_2023(client) == "11381"
    assert store.last_problems and "measures.csv" in str(store.last_problems[0])
    shutil.copy(DATA / "measures.csv", data_dir / "measures.csv")
    (data_dir / "figures.csv").unlink()
    time.sleep(0.02)
    assert ended_2023(client) == "11381"
    assert "no .csv data files" in str(store.last_problems[0])
    assert client.get("/healthz").status_code == 200


def test_reload_is_checked_at_most_once_per_interval_and_0_disables_it(data_dir, monkeypatch):
    calls = []
    real = store_module.DataStore.reload_if_changed
    monkeypatch.setattr(store_module.DataStore, "reload_if_changed", lambda self, **kw: calls.append(1) or real(self, **kw))
    client = create_app(data_dir, settings={"reload_interval": 60}).server.test_client()
    for _ in range(20):
        client.get("/healthz")
    assert len(calls) == 1

    calls.clear()
    client = create_app(data_dir, settings={"reload_interval": 0}).server.test_client()
    figures = data_dir / "figures.csv"
    write(figures, figures.read_text().replace(ENDED_2023, ENDED_2023.replace("11381", "11382")))
    for _ in range(5):
        assert ended_2023(client) == "11381"
    assert calls == []


def test_a_file_changing_while_it_is_read_is_not_swapped_in(data_dir, monkeypatch):
    app = create_app(data_dir, settings={"reload_interval": 0})
    store = app.server.config["DATA_STORE"]
    figures = data_dir / "figures.csv"
    original = figures.read_text()
    write(figures, original.replace(ENDED_2023, ENDED_2023.replace("11381", "11382")))
    real = store_module.load_dataset

    def load_while_someone_writes(*a, **kw):
        ds = real(*a, **kw)
        write(figures, original.replace(ENDED_2023, ENDED_2023.replace("11381", "11383")))
        return ds

    monkeypatch.setattr(store_module, "load_dataset", load_while_someone_writes)
    before = store.dataset
    assert store.reload_if_changed() is False and store.dataset is before
    monkeypatch.setattr(store_module, "load_dataset", real)
    assert store.reload_if_changed() is True
    with app.server.test_client() as client:
        assert ended_2023(client) == "11383"  # the version that was complete when read


def test_a_request_keeps_one_dataset_even_if_a_swap_happens_during_it(data_dir):
    app = create_app(data_dir, settings={"reload_interval": 0})
    store = app.server.config["DATA_STORE"]
    other = load_dataset(data_dir)
    with app.server.test_request_context("/data.csv"):
        first = store.dataset
        store.swap(other)
        assert store.dataset is first  # callbacks read store.dataset more than once per request
    with app.server.test_request_context("/data.csv"):
        assert store.dataset is other


def versions(figures_text: str) -> dict[str, str]:
    """Two versions of the data told apart in every row: approx all false, and approx all true."""
    rows = list(csv.reader(io.StringIO(figures_text)))
    col = rows[0].index("approx")
    out = {}
    for name, flag in (("A", "false"), ("B", "true")):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([rows[0]] + [r[:col] + [flag] + r[col + 1:] for r in rows[1:]])
        out[name] = buf.getvalue()
    return out


def test_concurrent_requests_during_swaps_never_see_a_mix(data_dir):
    figures = data_dir / "figures.csv"
    text = versions(figures.read_text(encoding="utf-8"))
    write(figures, text["A"])
    app = create_app(data_dir, settings={"reload_interval": 0.001, "reload_quiet": 0})
    store = app.server.config["DATA_STORE"]
    bad = text["B"].replace(ENDED_2023.replace("false", "true"), ENDED_2023.replace("11381", "many"))
    stop = threading.Event()
    seen = {"A": 0, "B": 0}
    failures: list[str] = []

    def hammer():
        client = app.server.test_client()
        while not stop.is_set():
            r = client.get("/data.csv")
            if r.status_code != 200:
                failures.append(f"{r.status_code}: {r.get_data(as_text=True)[:200]}")
                continue
            flags = {row[10] for row in csv.reader(io.StringIO(r.get_data(as_text=True))) if row[0] != "year"}
            if len(flags) != 1:
                failures.append(f"mixed response: {flags}")
            else:
                seen["A" if flags == {"false"} else "B"] += 1
            time.sleep(0.001)  # a real client's network gap; without it the GIL starves the reload

    def wait_for(condition, what):
        deadline = time.monotonic() + 30
        while not condition():
            assert time.monotonic() < deadline, f"never happened: {what}"
            time.sleep(0.01)

    def serving(name):
        return bool(store.dataset.cells["approx"].iloc[0]) == (name == "B")

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        # Through the files (reloaded by the request hook), a refused file, and a direct swap.
        for step in ("B", "A", "B", "bad", "A", "swap", "B", "bad"):
            if step == "bad":
                write(figures, bad)
                wait_for(lambda: store.last_problems, "the bad file refused")
                assert serving("B")
            elif step == "swap":
                store.swap(load_dataset(data_dir))
            else:
                write(figures, text[step])
                wait_for(lambda: serving(step) and not store.last_problems, f"version {step} served")
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert failures == []
    assert seen["A"] > 5 and seen["B"] > 5, seen
