"""The same filter changes in Chromium, against this tree and an earlier commit, in one run.

  .venv/bin/python -m benchmarks.browser_before_after [--base REV] [--changes N] [--rounds K]

Each tree is served by its own benchmarks/bench_app.py under gunicorn (2 workers, as `serve`), one after
the other and interleaved (before, after, before, after …): a machine busy for a while is busy for both.
The same N filter changes (benchmarks.run.changes) are timed as browser.redraw_times times them. What both
versions of the page have is compared: the last callback answer, illustration 1 redrawn (the page's first
chart), the last of the charts both pages have redrawn, and every chart on the page (the page after the
refactor has more of them). "In sight" is printed for this tree only: the page before the
refactor had no chart in the first screen at 1920×1080, so there it timed the texts alone.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from . import before_after, browser, common
from .common import PY, free_port, server

KEYS = (("network_done", "last answer"), ("trend", "illustration 1 redrawn"),
        ("common", "every chart both pages have"), ("all_charts", "every chart on the page"))


def one(tree: Path, changes: int) -> dict:
    """redraw_times for `changes` changes against the bench app of `tree`."""
    from .run import changes as cycle
    port = free_port()
    root, common.ROOT = common.ROOT, tree     # server() starts the process in common.ROOT
    try:
        with server([PY, "-m", "benchmarks.bench_app", "--port", str(port), "--workers", "2"], port):
            return browser.redraw_times(f"http://127.0.0.1:{port}", cycle(changes), quiet_ms=300)
    finally:
        common.ROOT = root


def measure(base: str = "e398d0c", changes: int = 30, rounds: int = 2) -> dict:
    """The samples of every round pooled per tree; p50/p95 of each, and the ratios after/before."""
    with tempfile.TemporaryDirectory() as tmp:
        before_tree = before_after.export(base, Path(tmp))
        pooled: dict = {"before": {k: [] for k, _ in KEYS}, "after": {k: [] for k, _ in KEYS}}
        draws: dict = {"before": [], "after": []}
        in_sight = []
        for _ in range(rounds):
            for label, tree in (("before", before_tree), ("after", common.ROOT)):
                got = one(tree, changes)
                for k, _ in KEYS:
                    pooled[label][k] += got.get(f"{k}_samples", [])
                draws[label] += got["draws_by_chart"]
                if label == "after":
                    in_sight += got["samples"]
    # The charts both pages draw (the page after the refactor has more): until the last of them is redrawn
    seen = {label: set().union(*draws[label]) for label in draws}
    shared = seen["before"] & seen["after"]
    for label in draws:  # a chart a change leaves as it was is not redrawn, and not waited for
        pooled[label]["common"] = [max(d[c] for c in shared if c in d) for d in draws[label] if shared & set(d)]
    rows = {label: {k: common.summary(v) for k, v in d.items()} for label, d in pooled.items()}
    ratio = {f"{k}_{p}": round(rows["after"][k][p] / rows["before"][k][p], 2)
             for k, _ in KEYS for p in ("p50", "p95") if rows["before"][k].get(p)}
    return {"base": base, "changes": changes, "rounds": rounds, **rows, "ratio": ratio, "shared": sorted(shared),
            "after_in_sight": common.summary(in_sight)}


def report(r: dict) -> str:
    lines = [f"{r['changes']} filter changes × {r['rounds']} rounds per tree, interleaved; before = {r['base']} (ms)",
             f"{'':<28} {'before p50':>10} {'after p50':>10} {'ratio':>6}   {'before p95':>10} {'after p95':>10} "
             f"{'ratio':>6}"]
    for k, title in KEYS:
        b, a = r["before"][k], r["after"][k]
        lines.append(f"{title:<28} {b['p50']:>10.0f} {a['p50']:>10.0f} {r['ratio'].get(k + '_p50', 0):>6.2f}   "
                     f"{b['p95']:>10.0f} {a['p95']:>10.0f} {r['ratio'].get(k + '_p95', 0):>6.2f}")
    s = r["after_in_sight"]
    lines.append(f"this tree, charts in sight and texts redrawn: p50 {s['p50']:.0f}, p95 {s['p95']:.0f}")
    lines.append("charts both pages have: " + ", ".join(c.removesuffix("-graph") for c in r.get("shared", [])))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="e398d0c")
    ap.add_argument("--changes", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    r = measure(args.base, args.changes, args.rounds)
    print(json.dumps(r))
    print(report(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
