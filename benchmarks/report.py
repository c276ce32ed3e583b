"""RESULTS.md from the numbers of one run (results.json)."""
from __future__ import annotations

from pathlib import Path


def _ok(flag) -> str:
    return "n/a" if flag is None else ("**met**" if flag else "**not met**")


def _kb(b) -> str:
    return f"{b / 1024:.0f} KB" if b is not None else "–"


def write(R: dict, path: Path, T: dict) -> None:
    m = R["machine"]
    L = ["# Benchmark results", "",
         f"Written by `bash benchmarks/run.sh` on {R['started']}{' (--quick)' if R.get('quick') else ''}; "
         f"the run took {R['elapsed_s']:.0f} s. Every number comes from this one run, beside its baseline "
         "from the same run. Loopback only; gunicorn with 2 sync workers unless stated; serve's per-address rate limit off (every simulated user is one loopback address, so the load numbers include no throttling)."
         + (f" Steps not re-run were kept from the run of {R['merged_from']}." if R.get("merged_from") else ""), "",
         "| machine | |", "|---|---|",
         f"| CPU | {m['cpu']} × {m['nproc']} (nproc) |", f"| memory | {m['memory']} |",
         f"| OS / Python | {m['os']} / Python {m['python']} |", f"| browser | {m['chromium']} (headless, Playwright) |",
         f"| load average at start / end | {m['loadavg_at_start']} / {R.get('loadavg_end', '?')} "
         "(1, 5, 15 min; other work on this shared machine shows up in every number) |",
         "| packages | " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + " |", ""]

    rows = []
    lat = R.get("latency")
    if lat:
        v, n = lat["view"], lat["noop"]
        bound = min(T["callback_ratio"] * n["p95"] + T["callback_slack_ms"], T["callback_p95_ms"])
        miss = R.get("latency_miss")
        if miss:
            rows.append(("1. filter-change callback p95, a new view each time (as shipped)", f"{miss['p95']:.1f} ms",
                         f"no-op p95 {n['p95']:.1f} ms → bound {bound:.1f} ms", "≤ 1.5 × no-op + 10 ms and < 30 ms",
                         _ok(miss["p95"] <= bound)))
        rows.append(("1. filter-change callback p95, the captured change repeated (as shipped)", f"{v['p95']:.1f} ms",
                     f"no-op p95 {n['p95']:.1f} ms → bound {bound:.1f} ms", "≤ 1.5 × no-op + 10 ms and < 30 ms",
                     _ok(v["p95"] <= bound)))
        whole = lat.get("change, every request")
        if whole:  # n requests one after the other: n no-ops' worth of the per-request cost, and the same slack
            k = R.get("capture", {}).get("requests_per_change") or 1
            bound_k = min(T["callback_ratio"] * k * n["p95"] + T["callback_slack_ms"], T["callback_p95_ms"])
            rows.append((f"1. a filter change, all its {k} requests in a row, repeated (as shipped)",
                         f"{whole['p95']:.1f} ms", f"no-op p95 {n['p95']:.1f} ms → bound {bound_k:.1f} ms",
                         f"≤ 1.5 × {k} no-ops + 10 ms and < 30 ms", _ok(whole["p95"] <= bound_k)))
        mm = R.get("latency_memo")
        if mm:
            bound2 = min(T["callback_ratio"] * mm["noop"]["p95"] + T["callback_slack_ms"], T["callback_p95_ms"])
            rows.append(("1. same repeated, memoize_view on callbacks._render (shared cache)", f"{mm['view']['p95']:.1f} ms",
                         f"no-op p95 {mm['noop']['p95']:.1f} ms → bound {bound2:.1f} ms", "same",
                         _ok(mm["view"]["p95"] <= bound2)))
    b = R.get("browser")
    if b:
        rows.append(("2. change → charts in sight redrawn and texts updated, p95 (as shipped)",
                     f"{b['redraw']['p95']:.0f} ms", f"response received p95 {b['network_done']['p95']:.0f} ms",
                     "< 150 ms", _ok(b["redraw"]["p95"] < T["redraw_p95_ms"])))
        if b.get("all_charts"):
            rows.append(("2. change → every chart on the page redrawn (those out of sight in idle time), p95",
                         f"{b['all_charts']['p95']:.0f} ms", "", "< 150 ms",
                         _ok(b["all_charts"]["p95"] < T["redraw_p95_ms"])))
    w = R.get("weight")
    if w:
        mn = R.get("weight_minimal", {})
        rows.append(("3. first visit, bytes on the wire", _kb(w["bytes_in"]),
                     f"minimal Dash+dbc page {_kb(mn.get('bytes_in'))}; just-started server "
                     f"{_kb(R.get('weight_cold', {}).get('bytes_in'))}", "< 800 KB",
                     _ok(w["bytes_in"] < T["page_kb"] * 1024)))
    s = R.get("startup")
    if s:
        rows.append(("4. start → first 200 on /", f"{s['median']:.2f} s (max {s['max']:.2f})", "", "< 3 s",
                     _ok(s["max"] < T["startup_s"])))
    for key, label in (("load", "as shipped"), ("load_memo", "memoize_view on _render, Redis")):
        ld = R.get(key)
        if ld:
            rows.append((f"5. load, 50 users, {ld['seconds']:.0f} s ({label})",
                         f"{ld['rps']} req/s" + (f" ({ld['changes_per_s']} changes/s)" if "changes_per_s" in ld else "")
                         + f", p95 {ld['p95']:.0f} ms, errors {ld['errors']}",
                         f"{ld['requests']} requests", "errors = 0", _ok(ld["errors"] == 0)))
    g = R.get("growth") or {}
    by = {(r["size"], r["variant"]): r for r in g.get("runs", []) if "error" not in r}
    for variant in ("current",):
        small, big = by.get(("10k", variant)), by.get(("1M", variant))
        if small and big:
            rq = big["query_p95"] / small["query_p95"]
            rc = big["callback_p95"] / small["callback_p95"]
            rows.append(("6. 1M vs 10k p95", f"query ×{rq:.2f}, callback ×{rc:.2f}",
                         f"10k: {small['query_p95']:.1f} / {small['callback_p95']:.0f} ms; "
                         f"1M: {big['query_p95']:.1f} / {big['callback_p95']:.0f} ms", "≤ 2 ×",
                         _ok(rq <= T["growth_ratio"] and rc <= T["growth_ratio"])))
            rows.append(("6. memory of one app on the 1M cube", f"{big['rss_mb']} MB RSS", "",
                         "< 500 MB", _ok(big["rss_mb"] < T["worker_mb"])))
    lo = g.get("loader")
    if lo and "error" not in lo:
        rows.append(("6. 1.2M-row CSV through the loader alone (read, check, build the frame)",
                     f"{lo['peak_rss_mb']} MB peak, {lo['rss_mb']} MB after", f"load {lo['load_s']} s", "< 500 MB",
                     _ok(lo["peak_rss_mb"] < T["worker_mb"])))
    for r in g.get("csv", []):
        if "error" not in r:
            rows.append(("6. 1M-row CSV served: loader + small-number protection, then 30 views",
                         f"{r['rss_mb']} MB RSS after the views",
                         f"load {r['load_s']} s; {r['rss_after_load']} MB after load, {r['rss_after_trim']} MB "
                         "after malloc_trim", "< 500 MB", _ok(r["rss_mb"] < T["worker_mb"])))
            rows.append(("6. the same: peak while loading and protecting", f"{r['peak_rss_mb']} MB",
                         "", "< 500 MB", _ok(r["peak_rss_mb"] < T["worker_mb"])))
    for r in (R.get("scale") or {}).get("runs", []):
        if r.get("size") == "1M" and "error" not in r:
            rows.append(("7. 1.2M-row CSV served (`python -m dashboard serve`, 2 workers): start → /healthz",
                         f"{r['healthz_s']} s", f"in-process: load {r.get('load_s')} s + protection "
                         f"{r.get('protect_s')} s", "< 20 s", _ok(r["healthz_s"] < T.get("scale_healthz_s", 20))))
            rows.append(("7. the same: peak memory (VmHWM) of any server process", f"{r['max_process_peak_mb']} MB",
                         f"master {r['master_peak_mb']} MB; workers {', '.join(map(str, r['worker_peak_mb']))} MB",
                         "< 600 MB", _ok(r["max_process_peak_mb"] < T.get("scale_process_mb", 600))))
    L += ["## Against the targets", "", "| measure | result | baseline (same run) | target | |", "|---|---|---|---|---|"]
    L += [f"| {' | '.join(r)} |" for r in rows]
    missed = [r[0] for r in rows if r[-1] == "**not met**"]
    why = [f"*{prefix}…*: {text}" for prefix, text in WHY if any(m.startswith(prefix) for m in missed)]
    if why:
        L += ["", "### Missed: by how much, and why", ""] + [f"- {w}" for w in why]

    if lat:
        L += ["", "## 1. Callback latency (HTTP, keep-alive, browser's Accept-Encoding, interleaved)", "",
              f"memoize_view's cache in this run: {R.get('cache_backend', '?')}.", "",
              "| request | p50 ms | p95 ms | max ms | n | response bytes |", "|---|---|---|---|---|---|"]
        for label, d in (("as shipped", lat), ("memoize_view on (hits)", R.get("latency_memo") or {})):
            for name, x in d.items():
                L.append(f"| {name} ({label}) | {x['p50']} | {x['p95']} | {x['max']} | {x['n']} | {x.get('bytes') or ''} |")
        for key, label in (("latency_miss", "as shipped"), ("latency_memo_miss", "memoize_view on")):
            if R.get(key):
                x = R[key]
                L.append(f"| view, a new view each time ({label}) | {x['p50']} | {x['p95']} | {x['max']} | {x['n']} | |")
        c = R.get("capture", {})
        L += ["", f"The captured request has {c.get('outputs')} outputs ({c.get('body_bytes')} bytes of JSON); "
              f"one filter change sent {c.get('requests_per_change')} callback request(s). 'Repeated' is the "
              "captured change sent again and again (after the first, each worker answers it from a cache: "
              "callbacks.py's own per-process memo, or memoize_view); 'a new view each time' computes every answer."]
    for key, label in (("browser", "as shipped"),):
        if R.get(key):
            b = R[key]
            L += ["", f"## 2. Browser, {label}: filter change → charts redrawn ({b['redraw']['n']} changes, "
                  "1920 × 1080)", "",
                  "Timed from the change event to real draws (Plotly's plotly_react/plotly_afterplot events), not to "
                  "Plotly.react calls: the page draws charts in sight first and the others when the browser is idle "
                  "or they come near the window (assets/js/dashboard.js, installLazyCharts).", "",
                  f"- in sight (the charts in the window at the change, and every text outside the charts): p50 "
                  f"{b['redraw']['p50']:.0f} ms, p95 {b['redraw']['p95']:.0f} ms; {b.get('in_view_draws', '?')} "
                  "draws of charts in sight",
                  f"- every chart on the page, without scrolling: p50 {b['all_charts']['p50']:.0f} ms, p95 "
                  f"{b['all_charts']['p95']:.0f} ms" if b.get("all_charts") else "- every chart: not measured",
                  f"- last callback response received: p50 {b['network_done']['p50']:.0f} ms, p95 "
                  f"{b['network_done']['p95']:.0f} ms after the change", "",
                  "samples in sight (ms): " + ", ".join(f"{x:.0f}" for x in b["samples"])]
            if b.get("samples_all"):
                L += ["", "samples, every chart (ms): " + ", ".join(f"{x:.0f}" for x in b["samples_all"])]
    L += moved_section(R.get("browser_moved"))
    if w:
        L += ["", "## 3. Page weight, first visit (Chromium, fresh profile)", "",
              f"- this app, warm server: **{_kb(w['bytes_in'])}** in {w['requests']} requests "
              f"(bodies {_kb(w['bytes_body'])}); plotly.js {w['plotly_version']}",
              f"- this app, just-started server (its first visit; the static files were compressed in advance, "
              f"at start): {_kb(R['weight_cold']['bytes_in'])}",
              f"- minimal Dash page (one dcc.Graph + dbc, Dash's own plotly.min.js): "
              f"{_kb(R.get('weight_minimal', {}).get('bytes_in'))} in {R.get('weight_minimal', {}).get('requests')} requests",
              "", "| request | encoding | bytes |", "|---|---|---|"]
        L += [f"| {r['method']} {r['url'][:90]} | {r['encoding']} | {r['body']} |" for r in w["rows"]]
        urls = " ".join(r["url"] for r in w["rows"])
        L += ["", f"plotly-basic.min.js requested: {'yes' if 'plotly-basic' in urls else 'NO'}; "
              f"plotly.min.js requested: {'YES' if 'plotly.min.js' in urls else 'no'}."]
    if s:
        mem = s["memory"]
        L += ["", "## 4. Start-up (`python -m dashboard serve`, 2 workers)", "",
              f"runs: {', '.join(f'{x:.2f} s' for x in s['runs'])}. Memory after start: master "
              f"{mem['master']['rss']:.0f} MB RSS; workers " +
              ", ".join(f"{x['rss']:.0f} MB RSS / {x['pss']:.0f} MB PSS" for x in mem["workers"]) + "."]
    for key, label in (("load", "as shipped"), ("load_memo", "memoize_view on _render, Redis")):
        if R.get(key):
            ld = R[key]
            L += ["", f"## 5. Load, {label}", "",
                  f"{ld['users']} users changing filters with no pause for {ld['seconds']} s: {ld['requests']} requests, "
                  f"**{ld['rps']} req/s**"
                  + (f" ({ld['changes']} filter changes of {round(ld['requests'] / max(ld['changes'], 1))} requests "
                     f"each, {ld['changes_per_s']}/s)" if "changes" in ld else "")
                  + f", p50 {ld['p50']:.0f} ms, p95 {ld['p95']:.0f} ms, max {ld['max']:.0f} ms, "
                  f"errors {ld['errors']}" + (f" ({'; '.join(ld['error_examples'])})" if ld["errors"] else "") + "."]
    if g:
        L += ["", "## 6. Growth (one process = one worker; same 30 views at every size)", "",
              "| rows | query.py | load s | first view (index build) ms | query p50 / p95 ms | callback p50 / p95 ms | RSS MB | peak MB |",
              "|---|---|---|---|---|---|---|---|"]
        for r in g.get("runs", []):
            if "error" in r:
                L.append(f"| {r['size']} | {r['variant']} | error: {r['error'][:200]} | | | | | |")
                continue
            L.append(f"| {r['rows']:,} | {r['variant']} | {r['load_s']} | {r['first_query_ms']} | "
                     f"{r['query_p50']} / {r['query_p95']} | {r['callback_p50']:.0f} / {r['callback_p95']:.0f} | "
                     f"{r['rss_mb']} | {r['peak_rss_mb']} |")
        for r in g.get("csv", []):
            if "error" in r:
                L.append(f"| 1M CSV | {r['variant']} | error: {r['error'][:200]} | | | | | |")
                continue
            L.append(f"| {r['rows']:,} from a {g.get('csv_mb')} MB CSV | {r['variant']} | {r['load_s']} | "
                     f"{r['first_query_ms']} | {r['query_p50']} / {r['query_p95']} | "
                     f"{r['callback_p50']:.0f} / {r['callback_p95']:.0f} | {r['rss_mb']} | {r['peak_rss_mb']} |")
    sc = R.get("scale")
    if sc:
        from .scale import table as scale_table
        L += ["", "## 7. Scale: generated CSVs served the production way", "",
              "`python -m benchmarks.scale` (also a step of this run): each CSV (benchmarks/cube.py, never shipped) "
              "through the loader and the small-number protection in a process of its own (peak = VmHWM), "
              "then served by `python -m dashboard serve --data FILE --workers 2`: seconds from the command to "
              "the first 200 on /healthz, and each process's VmHWM after a view from each worker.", "",
              scale_table(sc)]
    if R.get("errors"):
        L += ["", "## Steps that failed in this run", ""] + [f"- {k}: {v}" for k, v in R["errors"].items()]
    L += kept_sections(path)
    if R.get("beforeafter") or R.get("browserab"):
        L += ["## A view before and after the one-model refactor", ""]
    if R.get("beforeafter"):
        from .before_after import report as before_after_report
        ba = R["beforeafter"]
        waits = {k: v for k, v in ba["ratio"].items() if not k.startswith("cpu_")}
        worst, cpu = max(waits.values()), max(v for k, v in ba["ratio"].items() if k.startswith("cpu_"))
        L += ["Every server callback a URL change makes (one before, three after, sent at once), timed end to end "
              "through Flask's test client, in this tree and in the commit before the refactor, in one run "
              f"(`python -m benchmarks.before_after`). No view waited for longer: {_ok(worst <= 1.10)} "
              f"(worst ratio of the wait {worst:.2f}, against 1.10 for noise). The CPU a view costs the server: "
              f"a view never seen {max(ba['ratio']['cpu_cold_p50'], ba['ratio']['cpu_cold_p95']):.2f} × before, "
              f"a view seen before {max(ba['ratio']['cpu_warm_p50'], ba['ratio']['cpu_warm_p95']):.2f} × "
              "(three requests instead of one, each with Dash's own cost per request: answered from the memo, "
              "that cost is most of it). On a server whose every worker is busy, CPU is what a user waits for.",
              "", "```",
              before_after_report(ba), "```", ""]
    if R.get("browserab"):
        from .browser_before_after import KEYS, report as browser_report
        bb = R["browserab"]
        trend = max(v for k, v in bb["ratio"].items() if k.startswith("trend_"))
        whole = max(v for k, v in bb["ratio"].items() if k.startswith("common_"))
        L += ["The same filter changes in Chromium against both trees, each served by gunicorn with 2 workers, "
              "interleaved (`python -m benchmarks.browser_before_after`). Illustration 1 (the chart a change is "
              f"looked at in, on both pages) redrawn no later: {_ok(trend <= 1.10)} (worst ratio {trend:.2f}). "
              f"The last of the charts both pages have, most of them out of sight and drawn when the browser is "
              f"idle: {_ok(whole <= 1.10)} (worst ratio {whole:.2f}, against 1.10). The page now also draws the "
              "definitions chart among them, and applies three answers instead of one; a chart drawn at a new "
              "height is no longer drawn a second time for dcc.Graph's resize (assets/js, installLazyCharts).",
              "", "```",
              browser_report(bb), "```", ""]
    path.write_text("\n".join(L) + "\n")


def moved_section(bm: dict | None) -> list[str]:
    """A change that moves the year, beside the same change that does not (browser.moved_times)."""
    if not bm:
        return []
    a, b = bm["moved"], bm["not moved"]
    rows = ["", "### A change that moves the year", "",
            f"The region set to Kristiansand (4204) from a view of 2023, which has no figures for it: the year "
            f"moves to 2022, and the moved URL replaces the one the control wrote once the charts and the texts "
            f"show the moved view. Beside it the same change from the default view, whose latest year is "
            f"Kristiansand's own 2022: nothing moves, the same view is drawn. {bm['rounds']} rounds each, the page "
            f"opened afresh every time (`browser.moved_times`).", "",
            "| ms | moved p50 | not moved p50 | ratio | moved p95 | not moved p95 | ratio |",
            "|---|---|---|---|---|---|---|"]
    for key, title in (("network_done", "last answer (network)"), ("trend", "illustration 1 redrawn"),
                       ("all_charts", "every chart redrawn")):
        rows.append(f"| {title} | {a[key]['p50']:.0f} | {b[key]['p50']:.0f} | {bm['ratio'].get(key + '_p50', 0):.2f} | "
                    f"{a[key]['p95']:.0f} | {b[key]['p95']:.0f} | {bm['ratio'].get(key + '_p95', 0):.2f} |")
    rows += ["", f"Callback requests per change: moved {a['requests']['p50']:.0f}, not moved "
             f"{b['requests']['p50']:.0f}. The moved URL's requests come after the view is drawn and answer with "
             "nothing to change; the browser's work on them is what the later last chart is."]
    return rows


# Why a target is missed (shown only when the run misses it). Written from the profiles behind these
# numbers; see the README's "In the browser" for what was done.
WHY = (
    ("1. filter-change callback p95, a new view each time",
     "A view nobody has asked for yet: the server must query, build nine figures and the page's HTML (about "
     "9 ms in-process), then Dash encodes and compresses the answer; the bound (1.5 × a no-op + 10 ms) leaves "
     "about 13 ms for all of it. A view asked for before is answered from the per-dataset memo and meets it. "
     "Next: warm the memo with the national views after start, or precompute them with the data."),
    ("2. change → charts in sight",
     "The round trip is about 50 ms (Dash's own work before the request, about 20 ms, then the answer); Dash's "
     "renderer applies the answer in about 30 ms; Plotly redraws the chart in sight (illustration 1, bars "
     "with text and hatching) in 40–70 ms. All three are in the libraries; this app's part was cut from about "
     "5 s (1 228 components, every output a store update, nine charts drawn at once) to what is left. Next: "
     "send the chart in sight its own, earlier answer, or draw illustration 1 without Dash's Graph."),
    ("2. change → every chart on the page",
     "By design: the charts out of sight are drawn one by one when the browser is idle (20–80 ms each), so that "
     "they never hold up the ones in sight; the page answers before they are done."),
    ("6. 1M-row CSV served",
     "The loader's own peak (reading 121 MB of CSV into a frame, about 400 MB) is most of it; the small-number "
     "protection (suppression.protect, vectorised over integer keys) adds little to the peak and takes about "
     "1.5 s. Next: read the CSV in smaller chunks, or keep a protected binary copy (Parquet) beside it."),
    ("6. the same: peak", ""),
)
WHY = tuple((k, v) for k, v in WHY if v)

KEPT = ("## Soak",)  # written by other commands (benchmarks/soak.py): a new run keeps them as they are


def kept_sections(path: Path) -> list[str]:
    if not path.exists():
        return []
    out, keep = [], False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            keep = line.startswith(KEPT)
            if keep:
                out.append("")
        if keep:
            out.append(line)
    return out
