"""The same views, rendered by this tree and by an earlier commit, in one run: no view may be slower.

  .venv/bin/python -m benchmarks.before_after [--base REV] [--views N] [--repeat K]

Each tree runs in its own process, with the same Python and the same data (the shipped data of each tree,
or --data). A view is what the server does when the URL changes (a filter, first visit, back/forward, a
pasted link): every server callback that has `url.search` as an input is posted once, with the view's
query. Before the one-model refactor that was one callback with 90 outputs; after it, three (the controls,
the charts, the texts), which the browser sends at once. Each is timed end to end through Flask's test
client (Dash's request handling included), first for views never seen (cold), then again (warm: the
per-dataset cache). `serve`'s two workers are two apps in the process, each with its own data and caches,
frozen for the collector as serve freezes them, and each warmed with the views of 2017 (which are not timed);
each request goes to the one that is free first, in the order the browser sends them. Per view it prints
  - the wait: how long the browser waits for the last answer (one request: its own time);
  - the CPU time: all the requests' work together, what a view costs the server.
p50 and p95 of each tree and the ratio after/before.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r'''
import json, statistics, sys, time
sys.path.insert(0, ".")
try:
    from dashboard.web.app import create_app
except ImportError:
    from dashboard.app import create_app
from dash._utils import split_callback_id

data, n, repeat = sys.argv[1] or None, int(sys.argv[2]), int(sys.argv[3])
# serve's two workers: two apps, each with its own data and caches, as two processes have
apps = [create_app(data), create_app(data)]
import gc
gc.collect()
gc.freeze()  # as serve does once the app is built (server.build_in_master), in both trees
clients = [a.server.test_client() for a in apps]
for c in clients:
    c.get("/_dash-dependencies").close()
app = apps[0]
bodies = []
for key, spec in app.callback_map.items():
    if "callback" not in spec or not any(i["id"] == "url" and i["property"] == "search" for i in spec["inputs"]):
        continue
    bodies.append((key, spec))

def body(key, spec, search):
    inputs = [dict(i, value=search if (i["id"], i["property"]) == ("url", "search") else None) for i in spec["inputs"]]
    return {"output": key, "outputs": split_callback_id(key), "inputs": inputs,
            "state": [dict(s, value=None) for s in spec.get("state", [])], "changedPropIds": ["url.search"]}

views = []
for year in ("", "2016", "2018", "2019", "2020", "2021", "2022", "2023"):
    for gender in ("", "men", "women"):
        for series in ("", "ssb_one_year_after"):
            q = "&".join(p for p in (year and f"year={year}", gender and f"gender={gender}",
                                     series and f"series={series}") if p)
            views.append("?" + q if q else "")
views = views[:n]

def render(search):
    # Each request's wall time, and the CPU time of this thread: on a machine where other work runs, the
    # CPU time is what the view itself costs (the wall time also counts the waits for a core).
    # Each request goes to the worker that is free first, in the order the browser sends them (a tie: the
    # first worker), and is answered by that worker's app; the wait is when the last answer is done.
    free, c0 = [0.0, 0.0], time.thread_time()
    for key, spec in bodies:
        i = free.index(min(free))
        t0 = time.perf_counter()
        r = clients[i].post("/_dash-update-component", json=body(key, spec, search))
        assert r.status_code in (200, 204), (r.status_code, r.get_data()[:300])
        free[i] += (time.perf_counter() - t0) * 1000
    return max(free), (time.thread_time() - c0) * 1000

# Imports and first-use work out of the timing, in each worker: the views of 2017 (never timed), every
# gender and series, through every callback on each app. A worker of a running server has answered views
# before; what it works out once per dataset, gender or series (SSB's county codes of one gender: 80 ms)
# is no view's cost. (A lone warm-up request would leave one worker cold, and the first view of each
# gender pay for all.)
for c in clients:
    for gender in ("", "&gender=men", "&gender=women"):
        for series in ("", "&series=ssb_one_year_after"):
            for key, spec in bodies:
                c.post("/_dash-update-component", json=body(key, spec, "?year=2017" + gender + series))
cold = [render(v) for v in views]
warm = [render(v) for _ in range(repeat) for v in views]
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
out = {"callbacks": len(bodies), "views": len(views)}
for clock, i in (("", 0), ("cpu_", 1)):
    for name, xs in (("cold", [x[i] for x in cold]), ("warm", [x[i] for x in warm])):
        out[f"{clock}{name}_p50"], out[f"{clock}{name}_p95"] = statistics.median(xs), q(xs, 0.95)
print(json.dumps(out))
'''


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` (its files as committed), with this tree's vendored front-end files beside it."""
    archive = into / "tree.tar"
    with open(archive, "wb") as fh:
        subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=fh, check=True)
    tree = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    vendor = ROOT / "assets" / "vendor"
    if vendor.exists():
        os.symlink(vendor, tree / "assets" / "vendor", target_is_directory=True)
    return tree


def run(tree: Path, data: str, views: int, repeat: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTRODASH_")}
    out = subprocess.run([sys.executable, "-c", WORKER, data, str(views), str(repeat)], cwd=tree, env=env,
                         capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"{tree}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(base: str = "e398d0c", data: str = "", views: int = 48, repeat: int = 3, rounds: int = 3) -> dict:
    """p50/p95 of each tree, the best of `rounds` interleaved runs each, and the ratios after/before."""
    with tempfile.TemporaryDirectory() as tmp:
        before_tree = export(base, Path(tmp))
        rows: dict = {}
        # Interleaved: a machine that is busy for a while is busy for both.
        for label, tree in [("before", before_tree), ("after", ROOT)] * rounds:
            got = run(tree, data, views, repeat)
            best = rows.get(label)
            rows[label] = got if best is None else {k: min(v, got[k]) if k.endswith(("p50", "p95")) else v
                                                    for k, v in best.items()}
    keys = [c + k for c in ("", "cpu_") for k in ("cold_p50", "cold_p95", "warm_p50", "warm_p95")]
    return {"base": base, "views": views, "repeat": repeat, "rounds": rounds, **rows,
            "ratio": {k: round(rows["after"][k] / rows["before"][k], 2) for k in keys}}


def report(r: dict) -> str:
    b, a = r["before"], r["after"]
    lines = [f"views: {a['views']} distinct, then {r['repeat']} repeats; best of {r.get('rounds', 2)} interleaved runs each; "
             f"before = {r['base']}"]
    for clock, title in (("", "wait, two workers"), ("cpu_", "CPU time, all requests")):
        keys = [clock + k for k in ("cold_p50", "cold_p95", "warm_p50", "warm_p95")]
        lines.append(f"{title:<30} {'callbacks':>9} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} "
                     f"{'warm p95':>9}  (ms)")
        for label, row in (("before", b), ("after", a)):
            lines.append(f"  {label:<28} {row['callbacks']:>9} " + " ".join(f"{row[k]:>9.1f}" for k in keys))
        lines.append(f"  {'ratio (after / before)':<28} {'':>9} " + " ".join(f"{r['ratio'][k]:>9.2f}" for k in keys))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="e398d0c", help="the commit to compare with (default: the last before the one-model refactor)")
    ap.add_argument("--data", default="", help="a data file or folder for both (default: each tree's own)")
    ap.add_argument("--views", type=int, default=48)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(report(measure(args.base, args.data, args.views, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
