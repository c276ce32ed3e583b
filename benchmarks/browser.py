"""Headless Chromium (Debian's, through Playwright): capture the real filter-change request, weigh a first
visit, and time a filter change until the last chart is redrawn."""
from __future__ import annotations

import json
import time

from playwright.sync_api import sync_playwright

from .common import CHROMIUM, CHROMIUM_ARGS, percentile, summary

VIEWPORT = {"width": 1920, "height": 1080}
READY = "#trend-graph .main-svg"


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _ready(page):
    page.wait_for_selector(READY, timeout=60000)
    page.wait_for_load_state("networkidle")


def capture(base: str) -> dict:
    """The POST bodies the page sends for a change of the gender filter: the URL is written in the browser,
    then the controls, the charts and the texts are asked for at once (`change`; `view` is the charts' body,
    the one that costs most), and the translate callback a language change would set off."""
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport=VIEWPORT)
        posts = []
        page.on("request", lambda r: posts.append((time.perf_counter(), json.loads(r.post_data)))
                if "/_dash-update-component" in r.url and r.method == "POST" else None)
        page.goto(base + "/")
        _ready(page)
        initial = [b for _, b in posts if "url.search" in b.get("changedPropIds", [])]
        page.goto(base + "/?lang=en")
        _ready(page)
        translate = [b for _, b in posts if "i18n" in b["output"]]
        page.goto(base + "/")
        _ready(page)
        page.wait_for_timeout(300)
        posts.clear()
        page.select_option("#f-gender", "women")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        browser.close()
    change = [b for _, b in posts if "url.search" in b.get("changedPropIds", []) and "i18n" not in b["output"]]
    if not change:
        raise RuntimeError("no filter-change request was captured")
    sent = [t for t, b in posts if b in change]
    return {"view": max(change, key=lambda b: len(b["outputs"])), "change": change,
            "translate": translate[-1] if translate else None, "initial": initial,
            "n_requests_per_change": len(posts), "spread_ms": round((max(sent) - min(sent)) * 1000, 1)}


def page_weight(base: str, wait_for: str | None = READY) -> dict:
    """Bytes on the wire for a first visit (fresh profile: nothing cached), every request, as sent."""
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        done = []
        page.on("requestfinished", lambda r: done.append(r))
        page.goto(base + "/")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=60000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(800)
        page.wait_for_load_state("networkidle")
        rows = []
        for r in done:
            s = r.sizes()
            resp = r.response()
            rows.append({"url": r.url.replace(base, ""), "method": r.method, "status": resp.status if resp else None,
                         "encoding": (resp.headers.get("content-encoding") if resp else None) or "",
                         "body": s["responseBodySize"], "headers": s["responseHeadersSize"],
                         "request": s["requestHeadersSize"] + s["requestBodySize"]})
        plotly = page.evaluate("window.Plotly ? window.Plotly.version : null")
        browser.close()
    total = sum(r["body"] + r["headers"] for r in rows)
    return {"requests": len(rows), "bytes_in": total, "bytes_body": sum(r["body"] for r in rows),
            "bytes_out": sum(r["request"] for r in rows), "plotly_version": plotly,
            "rows": sorted(rows, key=lambda r: -r["body"])}


_INSTRUMENT = """() => {
  // Real draws, not calls: the page puts off charts out of sight (assets/js, installLazyCharts), so a
  // Plotly.react call may return before anything is drawn. Plotly emits plotly_react (or plotly_afterplot
  // for a full replot) when a chart is actually drawn.
  window.__bench = {draws: [], net: [], pending: 0, lastNet: performance.now(), lastText: 0, inView: []};
  document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    const id = (gd.closest('[id]') || gd).id;
    const mark = () => window.__bench.draws.push([id, performance.now()]);
    gd.on('plotly_react', mark);
    gd.on('plotly_afterplot', mark);
  });
  // Everything else the change updates (titles, cards, notices): the last DOM change outside the charts.
  new MutationObserver(records => {
    // (Plotly's own SVG, drawn or just removed, is not text.)
    const text = r => !(r.target instanceof SVGElement) && r.target.isConnected
      && !(r.target.closest && r.target.closest('.js-plotly-plot'));
    if (records.some(text)) {
      window.__bench.lastText = performance.now();
    }
  }).observe(document.getElementById('page'), {subtree: true, childList: true, characterData: true, attributes: true});
  // Callbacks in flight: the page is idle when none is pending and none ended in the last moments.
  const origFetch = window.fetch;
  window.fetch = function (...args) {
    const url = String(args[0] && args[0].url || args[0]);
    if (!url.includes('_dash-update-component')) return origFetch.apply(this, args);
    window.__bench.pending++;
    const t = performance.now();
    const done = () => { window.__bench.pending--; window.__bench.lastNet = performance.now();
                         window.__bench.net.push([t, performance.now()]); };
    return origFetch.apply(this, args).then(r => r.clone().arrayBuffer().then(() => { done(); return r; }),
                                            e => { done(); throw e; });
  };
}"""

_CHANGE = """([id, value]) => {
  const s = document.getElementById(id);
  if (s.value === value) return null;
  const b = window.__bench;
  b.draws = []; b.net = []; b.lastText = 0;
  b.inView = Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd => {
    const r = gd.getBoundingClientRect();
    return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight;
  }).map(gd => (gd.closest('[id]') || gd).id);
  const t = performance.now();
  s.value = value;
  s.dispatchEvent(new Event('change', {bubbles: true}));
  return t;
}"""

_STATE = """() => { const b = window.__bench; const now = performance.now();
  const last = b.draws.length ? Math.max(...b.draws.map(d => d[1])) : null;
  return {pending: b.pending, quietNet: now - b.lastNet, quietDraw: last === null ? null : now - last,
          draws: b.draws.length}; }"""


def _wait_idle(page, quiet_ms: int, timeout_s: float, need_draw: bool) -> bool:
    """Until no callback is in flight and nothing was answered or drawn for quiet_ms."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        st = page.evaluate(_STATE)
        drawn = st["quietDraw"] is not None
        if (st["pending"] == 0 and st["quietNet"] > quiet_ms and (not need_draw or drawn)
                and (not drawn or st["quietDraw"] > quiet_ms)):
            return True
        page.wait_for_timeout(25)
    return False


def redraw_times(base: str, changes: list[tuple[str, str]], quiet_ms: int = 500, timeout_s: float = 60) -> dict:
    """For each change, in ms from the change event:
    - in view: until the last chart that was in the window is redrawn and the last text outside the charts
      has changed: what the person looking at the page waits for;
    - all charts: until the last chart on the page is redrawn (those out of sight are drawn when the browser
      is idle, without scrolling);
    - response: until the last callback response has arrived (on the network, not when the page read it);
    - trend: until illustration 1 (the page's first chart, in every version of the page) is redrawn.
    Each change starts only when the page is idle (nothing in flight, answered or drawn for `quiet_ms`)."""
    in_view, all_charts, server_ms, drawn_in_view, skipped, trend, by_chart = [], [], [], [], 0, [], []
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(base + "/")
        _ready(page)
        page.wait_for_timeout(1000)  # every chart drawn once
        page.evaluate(_INSTRUMENT)
        _wait_idle(page, quiet_ms, timeout_s, need_draw=False)
        # The answers as the network saw them (Playwright's timing): the page's own fetch wrapper learns of an
        # answer only when its main thread is free, after it has drawn what came before.
        finished = []
        page.on("requestfinished", lambda r: finished.append(r) if "/_dash-update-component" in r.url else None)
        origin = page.evaluate("performance.timeOrigin")
        for control, value in changes:
            finished.clear()
            t0 = page.evaluate(_CHANGE, [control, value])
            if t0 is None:
                skipped += 1
                continue
            if not _wait_idle(page, quiet_ms, timeout_s, need_draw=True):
                raise RuntimeError(f"the page did not settle within {timeout_s} s after {control}={value}")
            b = page.evaluate("window.__bench")
            seen = [t for gid, t in b["draws"] if gid in b["inView"]]
            drawn_in_view.append(len(seen))
            in_view.append(max(seen + [b["lastText"]]) - t0)
            all_charts.append(max(t for _, t in b["draws"]) - t0)
            trend += [max(t for gid, t in b["draws"] if gid == "trend-graph") - t0] if any(
                gid == "trend-graph" for gid, _ in b["draws"]) else []
            last = {}
            for gid, t in b["draws"]:
                last[gid] = round(max(last.get(gid, 0.0), t - t0), 1)
            by_chart.append(last)
            if finished:
                server_ms.append(max(r.timing["startTime"] + r.timing["responseEnd"] for r in finished) - origin - t0)
        browser.close()
    return {"redraw": summary(in_view), "all_charts": summary(all_charts), "network_done": summary(server_ms),
            "trend": summary(trend),
            "skipped": skipped, "in_view_draws": sum(drawn_in_view),
            "samples": [round(x, 1) for x in in_view], "samples_all": [round(x, 1) for x in all_charts],
            "network_done_samples": [round(x, 1) for x in server_ms], "trend_samples": [round(x, 1) for x in trend],
            "all_charts_samples": [round(x, 1) for x in all_charts], "draws_by_chart": by_chart}


# The same change twice: to Kristiansand (4204) from a view of 2023, which has no figures for it, so the year
# moves to 2022 (the view follows the data, and its URL replaces the one the control wrote); and from the
# default view, whose latest year is Kristiansand's own 2022, so nothing moves. The same view is drawn.
MOVED = {"moved": ("/?year=2023", "year=2022&region=4204"), "not moved": ("/", "?region=4204")}


def moved_times(base: str, rounds: int = 12, quiet_ms: int = 300, timeout_s: float = 30) -> dict:
    """For each of MOVED, `rounds` times (alternating): the page opened afresh, the region chosen, and in ms
    from the change the last answer (network), illustration 1 redrawn and every chart redrawn, and how many
    callback requests the change made. A change that moves the year is drawn from its first answers: the
    answers to the moved URL change nothing (callbacks.texts, moveUrl)."""
    out = {k: {"network_done": [], "trend": [], "all_charts": [], "requests": []} for k in MOVED}
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport=VIEWPORT)
        finished = []
        page.on("requestfinished", lambda r: finished.append(r) if "/_dash-update-component" in r.url else None)
        for _ in range(rounds):
            for kind, (start, want) in MOVED.items():
                page.goto(base + start)
                _ready(page)
                page.wait_for_timeout(800)  # every chart drawn once
                page.evaluate(_INSTRUMENT)
                _wait_idle(page, quiet_ms, timeout_s, need_draw=False)
                origin = page.evaluate("performance.timeOrigin")
                finished.clear()
                t0 = page.evaluate(_CHANGE, ["f-region", "4204"])
                if t0 is None or not _wait_idle(page, quiet_ms, timeout_s, need_draw=True):
                    raise RuntimeError(f"the change to 4204 from {start} did not settle")
                if want not in page.url:
                    raise RuntimeError(f"{start} -> region 4204 gave {page.url}, not {want}")
                b = page.evaluate("window.__bench")
                o = out[kind]
                o["trend"] += [max(t for g, t in b["draws"] if g == "trend-graph") - t0] if any(
                    g == "trend-graph" for g, _ in b["draws"]) else []
                o["all_charts"].append(max(t for _, t in b["draws"]) - t0)
                o["network_done"].append(max(r.timing["startTime"] + r.timing["responseEnd"] for r in finished)
                                         - origin - t0)
                o["requests"].append(len(finished))
        browser.close()
    rows = {k: {m: summary(v) for m, v in d.items()} for k, d in out.items()}
    return {"rounds": rounds, **rows, "ratio": {f"{m}_{q}": round(rows["moved"][m][q] / rows["not moved"][m][q], 2)
                                               for m in ("network_done", "trend", "all_charts") for q in ("p50", "p95")
                                               if rows["not moved"][m].get(q)}}


__all__ = ["capture", "moved_times", "page_weight", "redraw_times", "percentile"]
