"""Scale: a large data file served the production way, timed to /healthz, with the peak memory of every process.

    .venv/bin/python -m benchmarks.scale                 # 10k, 100k and 1.2M rows (about 2 minutes)
    .venv/bin/python -m benchmarks.scale --sizes 1M      # only the 1 208 520-row file

For each size a generated cube (benchmarks/cube.py: every current region × 3 years × dimensions × 10
measures; made up, never shipped) is written as CSV to a temporary folder, then:

  load     in a process of its own: the loader (dataset.load_dataset), then the small-number protection
           (suppression.protect), each timed, and the process's peak RSS (VmHWM) after each step;
  served   `python -m dashboard serve --data FILE --workers 2` (gunicorn: the app is built in the master,
           then forked): seconds from starting the command to the first 200 on /healthz, and the VmHWM of
           the master and of each worker, read after one view has been answered by each worker.

Targets (issue #15): /healthz in under 20 s and no process over 600 MB at 1.2M rows.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import PY, ROOT, children, free_port, stop, wait_http

SIZES = ("10k", "100k", "1M")
ENV = {"INTRODASH_ACCESS_LOG": "0", "INTRODASH_MAX_DATA_BYTES": str(2 * 10**9), "INTRODASH_RELOAD_INTERVAL": "0"}


def vm_hwm_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def vm_rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def load_only(csv: str) -> dict:
    """Run in a subprocess: the loader, then the protection, as create_app() does them."""
    from dashboard.model.dataset import load_dataset
    from dashboard.model.suppression import protect
    t = time.perf_counter()
    ds = load_dataset(csv, max_bytes=2 * 10**9)
    out = {"rows": len(ds.cells), "load_s": round(time.perf_counter() - t, 2), "peak_after_load_mb": vm_hwm_mb()}
    t = time.perf_counter()
    p = protect(ds)
    out.update(protect_s=round(time.perf_counter() - t, 2), rows_served=len(p.cells), hidden=len(p.suppressed),
               peak_mb=vm_hwm_mb(), rss_mb=vm_rss_mb())
    return out


def served(csv: str, workers: int = 2) -> dict:
    port = free_port()
    args = [PY, "-m", "dashboard", "serve", "--port", str(port), "--workers", str(workers), "--data", csv]
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_http(port, "/healthz", timeout=300, proc=proc)
        healthz = time.perf_counter() - start
        # One view per worker (a few requests: gunicorn hands them out), so the workers' peaks include a view.
        import http.client
        for _ in range(2 * workers):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/data.csv?region=0301&year=2023")
            r = conn.getresponse()
            r.read()
            assert r.status == 200, r.status
            conn.close()
        pids = children(proc.pid)
        for _ in range(100):          # gunicorn starts its workers one after the other
            if len(pids) >= workers:
                break
            time.sleep(0.05)
            pids = children(proc.pid)
        return {"healthz_s": round(healthz, 2), "master_peak_mb": vm_hwm_mb(proc.pid),
                "master_rss_mb": vm_rss_mb(proc.pid),
                "worker_peak_mb": [vm_hwm_mb(p) for p in pids], "worker_rss_mb": [vm_rss_mb(p) for p in pids]}
    finally:
        stop(proc)


def run(sizes=SIZES) -> dict:
    from .cube import make_cube
    results = []
    with tempfile.TemporaryDirectory(prefix="introdash-scale-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"cube-{size}.csv"
            make_cube(size).to_csv(path, index=False)
            r = subprocess.run([PY, "-m", "benchmarks.scale", "load-only", str(path)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                               timeout=900)
            load = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {"error": r.stderr[-2000:]}
            row = {"size": size, "csv_mb": round(path.stat().st_size / 1e6, 1), **load, **served(str(path))}
            row["max_process_peak_mb"] = max([row["master_peak_mb"]] + row["worker_peak_mb"])
            results.append(row)
            print(json.dumps(row), flush=True)
            path.unlink()
    return {"runs": results}


def table(results: dict) -> str:
    lines = ["| rows (CSV) | load s | protect s | peak, load + protect MB | served: /healthz s | master peak MB "
             "| worker peaks MB | rows served |", "|---|---|---|---|---|---|---|---|"]
    for r in results["runs"]:
        lines.append(f"| {r.get('rows', 0):,} ({r['csv_mb']} MB) | {r.get('load_s')} | {r.get('protect_s')} | "
                     f"{r.get('peak_mb')} | {r['healthz_s']} | {r['master_peak_mb']} | "
                     f"{', '.join(str(x) for x in r['worker_peak_mb'])} | {r.get('rows_served', 0):,} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("cmd", nargs="?", default="run", choices=["run", "load-only"])
    p.add_argument("csv", nargs="?")
    p.add_argument("--sizes", default=",".join(SIZES))
    a = p.parse_args(argv)
    if a.cmd == "load-only":
        print(json.dumps(load_only(a.csv)))
        return
    results = run(tuple(s for s in a.sizes.split(",") if s))
    print(table(results))


if __name__ == "__main__":
    main()
