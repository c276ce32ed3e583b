"""Run every benchmark once and write benchmarks/RESULTS.md (and results.json beside it).

  .venv/bin/python -m benchmarks.run [--quick] [--skip growth,load,...]

Everything is measured in this one run, on this machine, over loopback, against gunicorn with 2 sync
workers; each number is shown beside its baseline from the same run. Bounded: about 10 minutes
(--quick: about 4).
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from . import before_after, bodies, browser, browser_before_after, growth, latency, load, scale, startup
from .common import PY, ROOT, bench_app, free_port, machine, server

HERE = Path(__file__).resolve().parent
TARGETS = {"callback_p95_ms": 30, "callback_ratio": 1.5, "callback_slack_ms": 10, "redraw_p95_ms": 150,
           "page_kb": 800, "startup_s": 3, "growth_ratio": 2, "worker_mb": 500,
           "scale_healthz_s": 20, "scale_process_mb": 600}


def static_urls(port: int) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/")
    html = conn.getresponse().read().decode()
    return [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if "m=" in u or "/_dash-component-suites/" in u]


def warm_static(port: int, rounds: int = 6, pause: float = 2.0) -> float:
    """Ask every worker for every static file until the stored high-level compression is what it gets."""
    urls = static_urls(port) + ["/_dash-component-suites/dash/dcc/async-graph.js"]
    start = time.perf_counter()
    last = None
    for _ in range(rounds):
        sizes = []
        for u in urls:
            for _ in range(3):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", u, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
                sizes.append(len(conn.getresponse().read()))
                conn.close()
        if sizes == last:
            break
        last = sizes
        time.sleep(pause)
    return round(time.perf_counter() - start, 1)


def changes(n: int) -> list[tuple[str, str]]:
    cycle = [("f-gender", "women"), ("f-gender", "all"), ("f-group", "ukraine"), ("f-group", "all"),
             ("f-year", "2021"), ("f-year", "latest"), ("f-gender", "men"), ("f-gender", "all"),
             ("f-series", "ssb_one_year_after"), ("f-series", "imdi_direct")]
    return [cycle[i % len(cycle)] for i in range(n)]


def distinct_views(template: dict, n: int) -> list[dict]:
    out = []
    for year in ("2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023"):
        for gender in ("all", "men", "women"):
            for series in ("imdi_direct", "ssb_one_year_after"):
                out.append(bodies.view_body(template, gender=gender, year=year, series=series))
    return out[:n]


@contextmanager
def shared_cache():
    """A Redis on loopback for memoize_view when redis-server and the redis package are there (the shared
    cache as deployed), else the per-process SimpleCache."""
    if not (shutil.which("redis-server") and importlib.util.find_spec("redis")):
        yield {"INTRODASH_CACHE": "simple"}, "per-process SimpleCache (no redis-server here)"
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", d], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            yield {"INTRODASH_REDIS_URL": f"redis://127.0.0.1:{port}/0"}, "Redis on loopback, shared by both workers"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def dependencies(port: int) -> list:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    return json.loads(conn.getresponse().read())


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="fewer rounds and shorter load (about 4 minutes)")
    p.add_argument("--skip", default="", help="comma-separated: startup,weight,latency,browser,load,growth,csv")
    p.add_argument("--only", default="", help="comma-separated steps to run, the others skipped (e.g. scale)")
    p.add_argument("--merge", action="store_true",
                   help="keep the numbers of the last run (results.json) for the steps skipped now")
    a = p.parse_args(argv)
    skip = set(filter(None, a.skip.split(",")))
    only = set(filter(None, a.only.split(",")))
    if only:
        skip |= {"startup", "weight", "latency", "browser", "load", "growth", "csv", "scale", "beforeafter",
                 "browserab"} - only
        if not only & {"weight", "latency", "browser", "load"}:
            skip.add("servers")          # nothing asked of the running servers: do not start them
    q = a.quick
    R: dict = {"machine": machine(), "quick": q, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "errors": {}}
    t_all = time.perf_counter()

    def step(name, key, fn):
        """Run one measurement; a failure is recorded in RESULTS.md and the run goes on."""
        if key.split("_")[0] in skip:
            return None
        print(f"[{time.perf_counter() - t_all:6.1f}s] {name}", flush=True)
        try:
            R[key] = fn()
            return R[key]
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            R["errors"][key] = f"{type(e).__name__}: {e}"[:500]
            print(f"    failed: {R['errors'][key]}", flush=True)
            return None

    step("start-up", "startup", lambda: startup.run(runs=3))

    if "servers" not in skip:
        servers(R, step, q)
    step("growth: generated cubes", "growth",
         lambda: growth.run(views=15 if q else 30, csv_variants=() if ("csv" in skip or q) else ("current",)))
    step("scale: 10k, 100k and 1.2M-row CSVs served, /healthz and peak memory", "scale",
         lambda: scale.run(("10k", "100k") if q else scale.SIZES))
    # A view (every callback a URL change makes) in this tree and in the commit before the one-model
    # refactor: no view may be slower.
    if step("views: this tree against the commit before the one-model refactor", "beforeafter",
            lambda: before_after.measure(views=24 if q else 48, repeat=2 if q else 3)):
        print(before_after.report(R["beforeafter"]), flush=True)
    if step("browser: the same filter changes against the commit before the refactor", "browserab",
            lambda: browser_before_after.measure(changes=12 if q else 30, rounds=2)):
        print(browser_before_after.report(R["browserab"]), flush=True)

    R["elapsed_s"] = round(time.perf_counter() - t_all, 1)
    import os
    R["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if a.merge and (HERE / "results.json").exists():
        old = json.loads((HERE / "results.json").read_text())
        R["merged_from"] = old.get("started")
        for k, v in old.items():
            if k == "errors":
                R["errors"] = {**{e: m for e, m in v.items() if e not in R}, **R["errors"]}
            R.setdefault(k, v)
    (HERE / "results.json").write_text(json.dumps(R, indent=1))
    from .report import write
    write(R, HERE / "RESULTS.md", TARGETS)
    print(f"[{R['elapsed_s']:6.1f}s] done: {HERE / 'RESULTS.md'}", flush=True)
    return 0


def servers(R: dict, step, q: bool) -> None:
    """The measurements against running servers: the app as shipped, with memoize_view, a minimal page."""
    port = free_port()
    print("app as shipped (gunicorn, 2 workers)", flush=True)
    with server(bench_app(port), port):
        base = f"http://127.0.0.1:{port}"
        cap = step("capture the filter change in Chromium", "capture_raw", lambda: browser.capture(base))
        if cap is None:
            raise SystemExit("could not capture the filter-change request: " + R["errors"].get("capture_raw", ""))
        R.pop("capture_raw")
        R["capture"] = {"requests_per_change": cap["n_requests_per_change"], "spread_ms": cap["spread_ms"],
                        "outputs": len(cap["view"]["outputs"]), "body_bytes": len(json.dumps(cap["view"]))}
        step("page weight: first visit, server just started", "weight_cold", lambda: browser.page_weight(base))
        step("compress static files once (warm the server)", "weight_warmup", lambda: warm_static(port))
        step("page weight: first visit, warm server", "weight", lambda: browser.page_weight(base))
        todo = {"view": cap["view"], **({"translate": cap["translate"]} if cap["translate"] else {})}
        if len(cap["change"]) > 1:  # the whole change: the controls, the charts and the texts the new URL sets off
            todo["change, every request"] = cap["change"]
        step("callback latency: the captured change repeated vs no-op, interleaved", "latency",
             lambda: latency.interleaved(port, todo, rounds=30 if q else 60))
        step("callback latency: a new view every time", "latency_miss",
             lambda: latency.misses(port, distinct_views(cap["view"], 12 if q else 24)))
        step("browser: filter change to last chart redrawn", "browser",
             lambda: browser.redraw_times(base, changes(12 if q else 30), quiet_ms=300))
        step("browser: a change that moves the year, beside the same change that does not", "browser_moved",
             lambda: browser.moved_times(base, rounds=6 if q else 12))
        step("load: 50 users", "load", lambda: load.run(port, cap["change"], users=50, seconds=20 if q else 60))

    port = free_port()
    with shared_cache() as (cache_env, cache_name), server(bench_app(port, memoize=True), port, env=cache_env):
        R["cache_backend"] = cache_name
        print(f"app with memoize_view on render ({cache_name})", flush=True)
        change_now = bodies.templates_from_dependencies(dependencies(port), cap["change"])
        view = bodies.charts_template(change_now)
        step("callback latency: a new view every time", "latency_memo_miss",
             lambda: latency.misses(port, distinct_views(view, 12 if q else 24)[::-1]))
        step("callback latency: the captured change repeated vs no-op", "latency_memo",
             lambda: latency.interleaved(port, {"view": view}, rounds=30 if q else 60))
        step("load: 50 users", "load_memo", lambda: load.run(port, change_now, users=50, seconds=20 if q else 60))

    port = free_port()
    with server([PY, "-m", "benchmarks.minimal_app", "--port", str(port)], port):
        step("page weight: minimal Dash page (one dcc.Graph + dbc)", "weight_minimal",
             lambda: browser.page_weight(f"http://127.0.0.1:{port}", wait_for="#graph .main-svg"))


if __name__ == "__main__":
    raise SystemExit(main())
