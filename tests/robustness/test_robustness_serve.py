"""The real default `python -m dashboard serve` (2 gunicorn sync workers) under hostile but honest use:
slow clients, request floods, files rewritten in pieces, a worker killed, SIGHUP, a large reload.

Every client here is on 127.0.0.1, bounded in count and time, and stops by itself."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.helpers import free_port, start_serve, stop_serve
from tests.web.test_server import view_request

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ENDED_2023 = "2023,0,all,all,all,all,all,ended,11381,count,false,imdi-nokkeltall-2023"


def start(tmp: Path, args: list[str], env: dict) -> dict:
    port = free_port()
    return start_serve(tmp / f"serve-{port}.log", args, {"HOME": str(tmp), **env}, port=port)


stop = stop_serve


def workers(server: dict) -> list[int]:
    pid = server["proc"].pid
    out = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if b"dashboard.web.front" not in Path(f"/proc/{child}/cmdline").read_bytes():
                out.append(int(child))
        except OSError:
            continue
    return out


# ---- slow clients and floods, against the default serve -------------------------------------------

@pytest.fixture(scope="module")
def default_serve(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("serve"), [], {})
    yield server
    stop(server)


def timed(method, url, **kw) -> tuple[float, requests.Response]:
    t = time.monotonic()
    r = method(url, timeout=5, **kw)
    return time.monotonic() - t, r


def test_sixty_slow_clients_do_not_keep_healthz_or_a_callback_from_answering(default_serve):
    base, port = default_serve["base"], default_serve["port"]
    body = view_request(requests.get(base + "/_dash-dependencies", timeout=30).json())
    assert requests.post(base + "/_dash-update-component", json=body, timeout=30).status_code == 200  # warm
    slow = []
    try:
        for _ in range(60):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(s)
        times = []
        end = time.monotonic() + 6
        while time.monotonic() < end:
            for s in slow:  # one more header line each, never the blank line that ends the headers
                s.sendall(b"X-Slow: 1\r\n")
            took, r = timed(requests.get, base + "/healthz")
            assert r.status_code == 200 and r.text.startswith("ok\n")
            times.append(took)
            took, r = timed(requests.post, base + "/_dash-update-component", json=body)
            assert r.status_code == 200 and "response" in r.json()
            times.append(took)
            time.sleep(0.5)
        assert max(times) < 1.0, times
    finally:
        for s in slow:
            s.close()


def test_a_client_that_never_finishes_its_headers_gets_408_and_a_flood_of_callbacks_429(tmp_path):
    server = start(tmp_path, [], {"INTRODASH_HEADER_TIMEOUT": "1", "INTRODASH_RATE_CALLBACKS": "2"})
    try:
        s = socket.create_connection(("127.0.0.1", server["port"]), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        t = time.monotonic()
        answer = s.recv(1000)
        assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - t < 5
        s.close()
        body = view_request(requests.get(server["base"] + "/_dash-dependencies", timeout=30).json())
        codes = [requests.post(server["base"] + "/_dash-update-component", json=body, timeout=30).status_code
                 for _ in range(12)]
        assert codes[0] == 200 and 429 in codes, codes
        assert requests.get(server["base"] + "/healthz", timeout=5).status_code == 200  # only callbacks limited
    finally:
        stop(server)


def test_the_workers_listen_on_a_private_socket_not_on_the_public_address(default_serve):
    log = default_serve["log"].read_text()
    assert "Listening at: unix:" in log and f":{default_serve['port']} " not in log.split("Listening at:")[1][:200]


# ---- data files: half-written, refused, workers replaced, SIGHUP ------------------------------------

@pytest.fixture(scope="module")
def data_serve(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("data_serve")
    d = tmp / "data"
    d.mkdir()
    for f in ("figures.csv", "measures.csv", "sources.csv"):
        shutil.copy(DATA / f, d / f)
    server = start(tmp, ["--data", str(d)], {"INTRODASH_RELOAD_INTERVAL": "0.2", "INTRODASH_RELOAD_QUIET": "1.2"})
    server["data"] = d
    yield server
    stop(server)


def csv_body(base: str) -> bytes:
    r = requests.get(base + "/data.csv?year=2023", timeout=10)
    return r.content if r.status_code == 200 else f"{r.status_code}".encode()


def ended(base: str) -> str:
    text = csv_body(base).decode()
    return next((ln.split(",")[8] for ln in text.splitlines()
                 if ln.startswith("2023,0,all,all,all,all,all,ended,") and "imdi-nokkeltall-2023" in ln), "none")


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened within {seconds} s: {what}"
        time.sleep(0.1)


def test_a_file_rewritten_in_pieces_is_served_only_whole(data_serve):
    base, figures = data_serve["base"], data_serve["data"] / "figures.csv"
    original = figures.read_text(encoding="utf-8")
    new = original.replace(ENDED_2023, ENDED_2023.replace("11381", "11382"))
    old_body = csv_body(base)
    seen: list[bytes] = []
    stop_polling = threading.Event()

    def poll():
        while not stop_polling.is_set():
            seen.append(csv_body(base))
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        lines = new.splitlines(keepends=True)
        step = len(lines) // 8 + 1
        with open(figures, "w", encoding="utf-8") as fh:  # in place, as a careless copy does
            for k in range(0, len(lines), step):
                fh.write("".join(lines[k:k + step]))  # each piece ends at a line end: a valid-looking file
                fh.flush()
                time.sleep(0.3)
        wait_until(lambda: ended(base) == "11382", 20, "the whole new file served")
        time.sleep(0.5)
    finally:
        stop_polling.set()
        poller.join(timeout=30)
    new_body = csv_body(base)
    versions = {hashlib.sha256(b).hexdigest()[:8] for b in seen}
    allowed = {hashlib.sha256(old_body).hexdigest()[:8], hashlib.sha256(new_body).hexdigest()[:8]}
    assert versions <= allowed, f"{len(versions - allowed)} partial versions served"
    health = requests.get(base + "/healthz", timeout=5).text
    assert f"sha256:{digest_of(data_serve['data'])}" in health and f"rows {new.count(chr(10)) - 1}" in health


def digest_of(folder: Path) -> str:
    """The data version /healthz names: sha256 over each file's name and content, in name order."""
    digest = hashlib.sha256()
    for name in ("figures.csv", "measures.csv", "sources.csv"):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    return digest.hexdigest()[:16]


def test_workers_agree_and_a_restarted_worker_serves_the_last_good_data(data_serve):
    base, figures = data_serve["base"], data_serve["data"] / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert ENDED_2023.replace("11381", "11382") in text  # (after the test above)
    good = text.replace(ENDED_2023.replace("11381", "11382"), ENDED_2023.replace("11381", "11383"))
    bad = good.replace(ENDED_2023.replace("11381", "11383"), ENDED_2023.replace("11381", "root:x:0:0"))

    def replace(content: str) -> None:
        tmp = figures.with_suffix(".tmp")
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, figures)

    replace(good)
    wait_until(lambda: ended(base) == "11383", 20, "the good change served")
    replace(bad)  # straight after: a worker that has not answered since must not fall back to older data
    wait_until(lambda: "refused" in requests.get(base + "/healthz", timeout=5).text, 20, "the bad file refused")
    time.sleep(0.5)
    assert {ended(base) for _ in range(16)} == {"11383"}
    health = requests.get(base + "/healthz", timeout=5).text
    assert "root:x" not in health and "figures.csv" not in health  # the details are in the log only
    assert "root:x:0:0" in data_serve["log"].read_text()

    before = workers(data_serve)
    os.kill(before[0], signal.SIGKILL)
    wait_until(lambda: len(set(workers(data_serve)) - set(before)) >= 1 and len(workers(data_serve)) == 2, 20,
               "a new worker")
    assert {ended(base) for _ in range(16)} == {"11383"}

    before = workers(data_serve)
    os.kill(data_serve["proc"].pid, signal.SIGHUP)
    wait_until(lambda: not set(workers(data_serve)) & set(before) and len(workers(data_serve)) == 2, 30,
               "the workers replaced after SIGHUP")
    assert {ended(base) for _ in range(16)} == {"11383"}


def test_a_large_reload_does_not_stall_answers(data_serve):
    from benchmarks.cube import make_cube
    base, figures = data_serve["base"], data_serve["data"] / "figures.csv"
    from dashboard.model import regions
    cube = make_cube("100k")
    pairs = cube[["region", "year"]].drop_duplicates()
    valid = {(r, y) for r, y in pairs.itertuples(index=False) if regions.valid(str(r), int(y))}
    cube = cube[[(r, y) in valid for r, y in zip(cube["region"], cube["year"])]]  # (the cube's regions are today's)
    assert len(cube) > 50_000
    tmp = figures.with_suffix(".tmp")
    cube.to_csv(tmp, index=False, lineterminator="\n")
    os.replace(tmp, figures)
    version = f"sha256:{digest_of(data_serve['data'])}"
    times = []
    t_end = time.monotonic() + 60
    served = False
    while not served and time.monotonic() < t_end:
        took, r = timed(requests.get, base + "/data.csv?year=2023")  # (5 s: a stalled worker fails here)
        times.append(took)
        served = version in requests.get(base + "/healthz", timeout=5).text
        time.sleep(0.05)
    assert len(times) > 10 and max(times) < 1.0, (len(times), max(times))
    assert served, "the large file was never served"
