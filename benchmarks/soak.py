"""Soak: the production server under steady load for a long time; errors must stay 0 and the workers'
memory flat. Not a test (it takes 10 minutes by default).

    .venv/bin/python benchmarks/soak.py [--seconds 600] [--workers 2] [--users 4] [--csv-share 0.2]

Starts `python -m dashboard serve` (gunicorn) on 127.0.0.1 only, then `--users` simulated users each
change one filter at a time as a person does (the POST to /_dash-update-component that the browser
sends, built from app.callback_map, with the URL the last answer gave), and now and then download the
view's /data.csv. Reports requests, errors (anything but a 200 with a well-formed body), latency and
each worker's RSS after a warm-up and at the end, and writes its section into benchmarks/RESULTS.md
(in place of the last one).
Exit status 0 when errors == 0 and RSS grew under 10 % in every worker.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
RSS_TARGET = 0.10
HOST = "127.0.0.1"


# ---- the server ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, data: str | None, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "dashboard", "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    if data:
        cmd += ["--data", data]
    # Every simulated user comes from 127.0.0.1, which the front's per-client rate limits would count as
    # one client: here they are raised to what --users people would have between them.
    env = {"INTRODASH_RATE_CALLBACKS": "1000", "INTRODASH_RATE_UPLOAD_BYTES": str(1 << 30),
           **os.environ, "INTRODASH_ACCESS_LOG": "0"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {log}")
        try:
            c = http.client.HTTPConnection(HOST, port, timeout=5)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"the server did not answer /healthz within 180 s; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn master and workers, nothing else
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def workers_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid
                        and b"dashboard.web.front" not in (entry / "cmdline").read_bytes()):  # not the front
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(out)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---- the users ----------------------------------------------------------------------------------

class View:
    """The callback the page calls on a filter change, and the values each filter offers."""

    def __init__(self):
        from dash._utils import split_callback_id

        from dashboard.web.app import create_app
        from dashboard.web.callbacks import region_codes
        from dashboard.model.schema import ALLOWED, SERIES
        app = create_app()
        self.output = next(k for k in app.callback_map if k.startswith("..url.search..."))
        self.outputs = split_callback_id(self.output)
        self.inputs = app.callback_map[self.output]["inputs"]
        ds = app.server.config["DATA_STORE"].dataset
        counties = sorted(c for c in region_codes(ds) if len(c) == 2)
        self.choices = {"year": ["latest"] + [str(y) for y in ds.years], "region": ["0"] + counties[:6],
                        "series": list(SERIES), "style": ["bar", "line"], "view": ["chart", "table"],
                        **{d: list(v) for d, v in ALLOWED.items()}}
        # The select controls a user changes; other inputs (a search box, map clicks) are sent empty.
        self.controls = [i["id"][2:] for i in self.inputs if i["id"].startswith("f-") and i["id"][2:] in self.choices]

    def body(self, search: str, values: dict, changed: str) -> bytes:
        inputs = []
        for i in self.inputs:
            v = search if i["id"] == "url" else values.get(i["id"][2:], "") if i["id"].startswith("f-") else None
            inputs.append({**i, "value": v})
        return json.dumps({"output": self.output, "outputs": self.outputs, "inputs": inputs,
                           "changedPropIds": [f"f-{changed}.value"]}).encode()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = {"callback": [], "csv": []}
        self.errors: list[str] = []

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.ms[kind].append(ms)
            if error:
                self.errors.append(f"{kind}: {error}")


def user(port: int, view: View, stats: Stats, stop: threading.Event, seed: int, csv_share: float) -> None:
    try:
        _user(port, view, stats, stop, seed, csv_share)
    except Exception as e:  # a bug here must show as an error, not as a quiet run with fewer users
        stats.add("callback", 0, f"user {seed} stopped: {type(e).__name__}: {e}")


def _user(port: int, view: View, stats: Stats, stop: threading.Event, seed: int, csv_share: float) -> None:
    rnd = random.Random(seed)
    values = {c: view.choices[c][0] if c != "region" else "0" for c in view.controls}
    values.update({d: "all" for d in ("group", "gender", "education", "age")})
    search = ""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    while not stop.is_set():
        kind = "csv" if rnd.random() < csv_share else "callback"
        t0 = time.perf_counter()
        error = None
        try:
            if kind == "csv":
                conn.request("GET", "/data.csv" + search)
                r = conn.getresponse()
                body = r.read()
                if r.status != 200 or not body.startswith(b"year,region,"):
                    error = f"{r.status} {body[:120]!r}"
            else:
                name = rnd.choice([c for c in view.controls if len(view.choices.get(c, [])) > 1])
                values[name] = rnd.choice([v for v in view.choices[name] if v != values[name]])
                conn.request("POST", "/_dash-update-component", body=view.body(search, values, name),
                             headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    error = f"{r.status} {body[:120]!r}"
                else:
                    new = json.loads(body)["response"].get("url", {}).get("search")
                    if new is not None:
                        search = new  # the URL the page now shows
        except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
            error = f"{type(e).__name__}: {e}"
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
        stats.add(kind, (time.perf_counter() - t0) * 1000, error)
    conn.close()


# ---- the run -------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def run(seconds: float, workers: int, users: int, csv_share: float, data: str | None, warmup: float) -> dict:
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"introdash-soak-{port}.log"
    print(f"starting gunicorn ({workers} workers) on {HOST}:{port}; log: {log}", flush=True)
    proc = start_server(port, workers, data, log)
    view = View()
    stats, stop = Stats(), threading.Event()
    threads = [threading.Thread(target=user, args=(port, view, stats, stop, i, csv_share), daemon=True)
               for i in range(users)]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        time.sleep(warmup)  # first requests fill caches and import lazily: measure growth after that
        pids = workers_of(proc.pid)
        rss_start = {p: rss_kb(p) for p in pids}
        samples = [(round(time.monotonic() - started), sum(rss_start.values()))]
        print(f"warm after {warmup:.0f} s; workers {pids}, RSS {[round(v / 1024) for v in rss_start.values()]} MB",
              flush=True)
        while time.monotonic() - started < seconds:
            time.sleep(min(30.0, max(0.0, seconds - (time.monotonic() - started))))
            now = workers_of(proc.pid)
            if now != pids:
                stats.add("callback", 0, f"workers changed {pids} -> {now} (a worker died or was restarted)")
                break
            samples.append((round(time.monotonic() - started), sum(rss_kb(p) for p in pids)))
            print(f"{samples[-1][0]:>5} s: {len(stats.ms['callback'])} callbacks, {len(stats.ms['csv'])} csv, "
                  f"{len(stats.errors)} errors, RSS {samples[-1][1] / 1024:.0f} MB", flush=True)
        rss_end = {p: rss_kb(p) for p in pids}
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=130)
        stop_server(proc)
    elapsed = time.monotonic() - started
    growth = {p: (rss_end.get(p, 0) - rss_start[p]) / rss_start[p] for p in rss_start}
    return {"seconds": round(elapsed), "workers": workers, "users": users, "csv_share": csv_share,
            "requests": {k: len(v) for k, v in stats.ms.items()},
            "latency_ms": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "max": max(v, default=float("nan"))}
                           for k, v in stats.ms.items()},
            "rate": sum(len(v) for v in stats.ms.values()) / elapsed,
            "errors": len(stats.errors), "error_examples": stats.errors[:5],
            "rss_start_mb": {p: v / 1024 for p, v in rss_start.items()},
            "rss_end_mb": {p: v / 1024 for p, v in rss_end.items()},
            "growth": growth, "samples": samples, "warmup": warmup,
            "ok": not stats.errors and all(stats.ms.values()) and all(g < RSS_TARGET for g in growth.values())}


def report(r: dict) -> str:
    lines = [f"## Soak: {r['seconds']} s against gunicorn ({datetime.now():%Y-%m-%d %H:%M})", "",
             f"`benchmarks/soak.py`: {r['users']} simulated users on loopback, each changing one filter at a time "
             f"(the view callback's POST) and downloading the view's /data.csv in {r['csv_share']:.0%} of requests; "
             f"gunicorn with {r['workers']} sync workers; RSS measured after a {r['warmup']:.0f} s warm-up "
             "and at the end.",
             "", "| measure | result | target | |", "|---|---|---|---|",
             f"| errors | {r['errors']} of {sum(r['requests'].values())} requests | 0 | "
             f"**{'met' if r['errors'] == 0 else 'not met'}** |"]
    for pid, g in r["growth"].items():
        lines.append(f"| worker {pid} RSS | {r['rss_start_mb'][pid]:.0f} → {r['rss_end_mb'].get(pid, 0):.0f} MB "
                     f"({g:+.1%}) | < +10 % | **{'met' if g < RSS_TARGET else 'not met'}** |")
    lines += ["", "| request | n | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for kind, n in r["requests"].items():
        lat = r["latency_ms"][kind]
        lines.append(f"| {kind} | {n} | {lat['p50']:.0f} | {lat['p95']:.0f} | {lat['max']:.0f} |")
    lines += ["", f"Throughput {r['rate']:.1f} requests/s. Total worker RSS over time (s: MB): "
              + ", ".join(f"{t}: {kb / 1024:.0f}" for t, kb in r["samples"]) + "."]
    if r["error_examples"]:
        lines += ["", "First errors: " + "; ".join(f"`{e}`" for e in r["error_examples"])]
    return "\n".join(lines) + "\n"


def without_soak(text: str) -> str:
    """RESULTS.md without its soak section (a new soak replaces the last one; run.py keeps it)."""
    out, skipping = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            skipping = line.startswith("## Soak")
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--users", type=int, default=4, help="concurrent simulated users (default 4: 2 per worker)")
    p.add_argument("--csv-share", type=float, default=0.2, help="share of requests that download /data.csv")
    p.add_argument("--warmup", type=float, default=None, help="seconds before the first RSS reading "
                                                             "(default: 10 %% of the run, at least 20 s)")
    p.add_argument("--data", default=None)
    p.add_argument("--no-append", action="store_true", help="print the section instead of appending it")
    a = p.parse_args(argv)
    warmup = a.warmup if a.warmup is not None else max(20.0, a.seconds * 0.1)
    r = run(a.seconds, a.workers, a.users, a.csv_share, a.data, min(warmup, a.seconds / 2))
    section = report(r)
    print(section)
    if not a.no_append:
        RESULTS.write_text(without_soak(RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "")
                           .rstrip("\n") + "\n\n" + section, encoding="utf-8")
        print(f"written to {RESULTS} (in place of the last soak section)")
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
