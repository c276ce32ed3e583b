"""Growth: query and callback latency, and memory, on generated full cubes of ~10k, ~100k and ~1M rows.

Each size runs in its own process, so memory is that of one app (one worker) alone. (The sorted int64
index that was measured here as "proposed" beside "current" is now the code itself.)

Every process answers the same views (region × year × series, filters at 'all'), which every cube has,
so the only thing that changes between sizes is the number of rows. The cube is built in memory
(dataset_from_frame) and swapped into a normal create_app(); `csv_load` separately measures the
production path (the loader reading a 1M-row CSV) once.
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

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that over a fork and
    an exec, so a worker started by a parent holding a 700 MB cube would report the parent's peak."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1000
    return float("nan")


def run_variant(size: str, variant: str, tmp: Path, views: int, csv: str | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INTRODASH_CACHE": "none",
           "INTRODASH_MAX_DATA_BYTES": str(2 * 10**9)}
    args = [sys.executable, "-m", "benchmarks.growth", "worker", "--size", size, "--views", str(views)]
    if csv:
        args += ["--csv", csv]
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        return {"error": r.stderr[-2000:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def worker(size: str, n_views: int, csv: str | None) -> dict:
    import numpy as np
    from benchmarks.bodies import charts_template, templates_from_app, view_body
    from benchmarks.cube import make_cube, regions_in
    from dashboard.model import query as q
    from dashboard.web.app import create_app
    from dashboard.model.dataset import dataset_from_frame
    from dashboard.web.server import release_memory
    from dashboard.views.state import ViewState

    out = {"size": size, "query_module": Path(q.__file__).resolve().relative_to(ROOT).as_posix()}
    t = time.perf_counter()
    if csv:
        app = create_app(csv)
        out["load_s"] = round(time.perf_counter() - t, 2)
        out["rss_after_load"] = round(rss_mb())
        release_memory()
        out["rss_after_trim"] = round(rss_mb())
        ds = app.server.config["DATA_STORE"].dataset
    else:
        frame = make_cube(size)
        ds = dataset_from_frame(frame, origin="published", name=f"cube-{size}")
        del frame
        app = create_app()
        app.server.config["DATA_STORE"].swap(ds)
        out["load_s"] = round(time.perf_counter() - t, 2)
        release_memory()
    out["rows"] = len(ds.cells)
    client = app.server.test_client()
    template = charts_template(templates_from_app(app))  # the charts' callback of this process's own code

    def post(body) -> float:
        s = time.perf_counter()
        r = client.post("/_dash-update-component", json=body)
        ms = (time.perf_counter() - s) * 1e3
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code}: {r.get_data()[:300]!r}")
        r.close()
        return ms

    # The first view builds the indexes (once per process).
    s = time.perf_counter()
    q.query(ds, ViewState())
    out["first_query_ms"] = round((time.perf_counter() - s) * 1e3, 1)
    out["first_callback_ms"] = round(post(view_body(template, gender="all")), 1)
    rng = np.random.default_rng(11)
    years = [int(y) for y in rng.choice([2021, 2022, 2023], n_views)]
    picks = [dict(region=str(rng.choice(regions_in(y))), year=str(y),   # a region in use that year
                  series=str(rng.choice(["imdi_direct", "ssb_one_year_after"]))) for y in years]
    states = [ViewState.from_query(p)[0] for p in picks]
    for st in states:  # warm: any per-series or per-gender cache is built before timing
        q.query(ds, st)
    qt = []
    for _ in range(3):
        for st in states:
            s = time.perf_counter()
            q.query(ds, st)
            qt.append((time.perf_counter() - s) * 1e3)
    ct = [post(view_body(template, region=p["region"], year=p["year"], series=p["series"])) for p in picks]
    out["rss_mb"] = round(rss_mb())
    out["peak_rss_mb"] = round(peak_rss_mb())

    def pct(xs, p):
        return round(float(np.percentile(xs, p)), 2)
    out.update(query_p50=pct(qt, 50), query_p95=pct(qt, 95), callback_p50=pct(ct, 50), callback_p95=pct(ct, 95),
               n_views=len(picks))
    return out


def run(sizes=("10k", "100k", "1M"), variants=("current",), views: int = 30,
        csv_variants=("current",)) -> dict:
    """All sizes × variants, then the 1M CSV through the real loader for `csv_variants`."""
    from benchmarks.cube import make_cube
    results: dict = {"runs": [], "csv": []}
    with tempfile.TemporaryDirectory(prefix="introdash-growth-") as tmp:
        tmp = Path(tmp)
        for size in sizes:
            for variant in variants:
                r = run_variant(size, variant, tmp, views)
                r.update(variant=variant, size=size)
                results["runs"].append(r)
                print(f"  growth {size:>4} {variant:<8} " + ", ".join(
                    f"{k}={r.get(k)}" for k in ("rows", "query_p95", "callback_p95", "rss_mb", "error")), flush=True)
        if csv_variants:
            path = tmp / "cube-1M.csv"
            t = time.perf_counter()
            make_cube("1M").to_csv(path, index=False)
            results["csv_write_s"] = round(time.perf_counter() - t, 1)
            results["csv_mb"] = round(path.stat().st_size / 1e6, 1)
            r = subprocess.run([sys.executable, "-m", "benchmarks.growth", "loader", "--csv", str(path)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=900)
            results["loader"] = (json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0
                                 else {"error": r.stderr[-2000:]})
            print(f"  growth 1M CSV, the loader alone: {results['loader']}", flush=True)
            for variant in csv_variants:
                r = run_variant("1M", variant, tmp, views, csv=str(path))
                r.update(variant=variant, size="1M (CSV)")
                results["csv"].append(r)
                print(f"  growth 1M CSV {variant}: " + ", ".join(
                    f"{k}={r.get(k)}" for k in ("load_s", "rss_after_load", "rss_after_trim", "rss_mb", "error")),
                    flush=True)
    return results


def loader_only(csv: str) -> dict:
    """The loader alone (dataset.load_dataset: read, check, build the frame), without the small-number
    protection that create_app() then runs, in a process of its own so the peak is its own."""
    from dashboard.model.dataset import load_dataset
    t = time.perf_counter()
    ds = load_dataset(csv, max_bytes=2 * 10**9)
    return {"rows": len(ds.cells), "load_s": round(time.perf_counter() - t, 2), "rss_mb": round(rss_mb()),
            "peak_rss_mb": round(peak_rss_mb())}


def main(argv=None):
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("worker")
    w.add_argument("--size", required=True)
    w.add_argument("--views", type=int, default=30)
    w.add_argument("--csv")
    lo = sub.add_parser("loader")
    lo.add_argument("--csv", required=True)
    a = p.parse_args(argv)
    print(json.dumps(loader_only(a.csv) if a.cmd == "loader" else worker(a.size, a.views, a.csv)))


if __name__ == "__main__":
    main()
