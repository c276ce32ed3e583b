// Meetings and phones: the presentation's chart type follows the window, a slow answer says so, and on a
// narrow screen a filter change offers a way to its results. A file, not inline code, for the CSP.
(function () {
  var en = function () { return document.documentElement.lang === "en"; };

  // ---- Presentation: the figure's type follows the window ---------------------------------------------
  // solo_figure (callbacks.py) sizes a slide's type for 1920×1080 and marks the figure layout.meta.present.
  // Here every font size and margin is scaled to the window (never below 55 %), on each draw and when the
  // window changes size; the figure Dash holds is left as it came.
  function presentScale() {
    return Math.max(0.55, Math.min(1, window.innerWidth / 1400, window.innerHeight / 860));
  }
  function scaleTree(node, k, inFont) {
    if (Array.isArray(node)) {
      return node.length && typeof node[0] === "object" ? node.map(function (x) { return scaleTree(x, k, inFont); }) : node;
    }
    if (!node || typeof node !== "object") { return node; }
    var out = {};
    Object.keys(node).forEach(function (key) {
      var v = node[key];
      if (inFont && key === "size" && typeof v === "number") { out[key] = Math.round(v * k * 10) / 10; }
      else if (key === "margin" && v && typeof v === "object") {
        out[key] = {};
        Object.keys(v).forEach(function (m) { out[key][m] = typeof v[m] === "number" ? Math.round(v[m] * k) : v[m]; });
      }
      else { out[key] = scaleTree(v, k, /font$/i.test(key)); }
    });
    return out;
  }
  // ---- Phones: no chart label clipped at 390 px ---------------------------------------------------
  // The page's figures are laid out for a column of 600 px or more. On a narrow screen: long category
  // labels of horizontal bars are wrapped (plotly's automargin stops at a share of the width and cuts
  // them), their axis gets room for the numbers written after the bars, year axes over more than ten years
  // show four or five of them, and the numbers on the bars are a little smaller so that they do not overlap.
  var NARROW_FIGURE = 576;
  function wrapLabel(text) {
    if (typeof text !== "string" || text.length <= 16) { return text; }
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 16) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("<br>");
  }
  function narrowFigure(fig) {
    var data = (fig.data || []).map(function (t) {
      var c = Object.assign({}, t);
      if (c.type === "bar" && c.orientation === "h" && Array.isArray(c.y)) { c.y = c.y.map(wrapLabel); }
      else if (c.type === "bar" && Array.isArray(c.x)) { c.x = c.x.map(wrapLabel); }  // level, not slanted
      if (c.text && c.textfont && typeof c.textfont.size === "number") {
        c.textfont = Object.assign({}, c.textfont, { size: Math.min(c.textfont.size, 11) });
      } else if (c.text) {
        c.textfont = Object.assign({}, c.textfont || {}, { size: 11 });
      }
      return c;
    });
    var layout = Object.assign({}, fig.layout);
    var horizontal = data.some(function (t) { return t.type === "bar" && t.orientation === "h" && t.textposition === "outside"; });
    var x = layout.xaxis ? Object.assign({}, layout.xaxis) : null;
    if (x && horizontal && Array.isArray(x.range) && x.range.length === 2) {
      x.range = [x.range[0], x.range[0] + (x.range[1] - x.range[0]) * 1.6];
      x.nticks = 4;
    }
    var numeric = x && Array.isArray(x.tickvals) && x.tickvals.every(function (v) { return typeof v === "number"; });
    if (numeric && Math.max.apply(null, x.tickvals) - Math.min.apply(null, x.tickvals) > 10) {
      // Years: from the last one back, every year at least a quarter of the span after the one kept before.
      var vals = x.tickvals, span = Math.max.apply(null, vals) - Math.min.apply(null, vals), kept = null;
      var keep = vals.map(function () { return false; });
      for (var i = vals.length - 1; i >= 0; i--) {
        if (kept === null || Math.abs(kept - vals[i]) >= span / 4.5) { keep[i] = true; kept = vals[i]; }
      }
      x.tickvals = vals.filter(function (_, i) { return keep[i]; });
      if (Array.isArray(x.ticktext)) { x.ticktext = x.ticktext.filter(function (_, i) { return keep[i]; }); }
    }
    if (x) { layout.xaxis = x; }
    return { data: data, layout: layout, frames: fig.frames, config: fig.config };
  }
  function onNarrowPage(gd) {
    return window.innerWidth < NARROW_FIGURE && !!gd && !!gd.closest && !!gd.closest("#page");
  }

  function isPresentFigure(fig) {
    return !!(fig && fig.layout && fig.layout.meta && fig.layout.meta.present);
  }
  function installPresentFigure() {
    var P = window.Plotly;
    if (!P || P.__presentFigure) { return; }
    var react = P.react;
    P.react = function (gd, fig) {
      if (arguments.length === 2 && isPresentFigure(fig)) {
        gd.__presentFigure = fig;
        var k = presentScale();
        return react.call(P, gd, { data: scaleTree(fig.data || [], k), layout: scaleTree(fig.layout, k),
                                   frames: fig.frames, config: fig.config });
      }
      if (gd) { gd.__presentFigure = null; }
      if (arguments.length === 2 && fig && fig.layout && onNarrowPage(gd)) {
        return react.call(P, gd, narrowFigure(fig));
      }
      return react.apply(P, arguments);
    };
    P.__presentFigure = true;
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        document.querySelectorAll("#solo .js-plotly-plot").forEach(function (gd) {
          if (gd.__presentFigure && gd.isConnected) { P.react(gd, gd.__presentFigure); }
        });
      }, 150);
    });
  }

  // ---- Busy: an answer on its way for more than 300 ms -----------------------------------------------
  // Every Dash update is a POST to _dash-update-component naming its outputs. While one has been on its way
  // for BUSY_AFTER ms, the result parts it will change are marked aria-busy="true" (and dimmed, CSS), and a
  // status says "Oppdaterer …". An answer that sets the URL (a region searched for) changes every result.
  // Marks stay through the short gap between that answer and the requests the new URL sets off, then go.
  var BUSY_AFTER = 300, GAP = 150;
  var RESULTS = ".chart-section, .key-figures, .findings-box, .notices, .solo-head, .solo-chartbox, .solo-cards, " +
                ".solo-table, .solo-caption, .solo-source";
  var pending = new Map(), nextId = 0, shown = false, showTimer = null, hideTimer = null, marked = [];

  function status() {
    var el = document.getElementById("busy-status");
    if (!el && document.body) {
      el = document.createElement("div");
      el.id = "busy-status";
      el.className = "busy-status";
      el.setAttribute("role", "status");
      document.body.appendChild(el);
    }
    return el;
  }
  function targetsOf(body) {
    var outputs;
    try { outputs = JSON.parse(body).outputs; } catch (err) { return []; }
    var found = new Set(), all = false;
    [].concat(outputs || []).forEach(function (o) {
      if (!o || typeof o.id !== "string") { return; }
      if (o.id === "url-found" || (o.id === "url" && String(o.property).split("@")[0] === "search")) { all = true; return; }
      var el = document.getElementById(o.id);
      var part = el && el.closest(RESULTS);
      if (part) { found.add(part); }
    });
    if (all) { document.querySelectorAll(RESULTS).forEach(function (el) { found.add(el); }); }
    return Array.from(found);
  }
  function render() {
    var want = new Set();
    if (shown) { pending.forEach(function (parts) { parts.forEach(function (p) { want.add(p); }); }); }
    marked.forEach(function (el) { if (!want.has(el)) { el.removeAttribute("aria-busy"); } });
    want.forEach(function (el) { el.setAttribute("aria-busy", "true"); });
    marked = Array.from(want);
    var s = status();
    if (s) {
      var text = shown ? (en() ? "Updating …" : "Oppdaterer …") : "";
      if (s.textContent !== text) { s.textContent = text; }
      s.classList.toggle("is-shown", shown);
    }
  }
  function started(id, parts) {
    pending.set(id, parts);
    clearTimeout(hideTimer);
    if (shown) { render(); return; }
    if (!showTimer) {
      showTimer = setTimeout(function () {
        showTimer = null;
        if (pending.size) { shown = true; render(); }
      }, BUSY_AFTER);
    }
  }
  function finished(id) {
    pending.delete(id);
    if (pending.size) { if (shown) { render(); } return; }
    clearTimeout(showTimer);
    showTimer = null;
    if (!shown) { return; }
    hideTimer = setTimeout(function () {
      if (!pending.size) { shown = false; render(); }
    }, GAP);
  }
  var fetch0 = window.fetch;
  if (fetch0) {
    window.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      if (url.indexOf("_dash-update-component") < 0 || !init || typeof init.body !== "string") {
        return fetch0.apply(this, arguments);
      }
      var id = ++nextId;
      started(id, targetsOf(init.body));
      var answer = fetch0.apply(this, arguments);
      // Done when the whole answer has arrived (Dash reads it right after), or when it failed.
      answer.then(function (r) { return r.clone().text(); }).then(function () { finished(id); }, function () { finished(id); });
      return answer;
    };
  }

  // ---- Phones: after a filter change, a way to its results ---------------------------------------------
  // Below the desktop breakpoint the results are far under the filters. A change of a filter shows a
  // sticky "Vis resultat" button; it folds the filters away and brings the results into view.
  var NARROW = 992;
  document.addEventListener("change", function (e) {
    if (window.innerWidth >= NARROW || !e.target.closest || !e.target.closest("#filters")) { return; }
    if (e.target.closest("#upload")) { return; }
    document.body.classList.add("offer-results");
  });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("#show-results");
    if (!btn) { return; }
    document.body.classList.remove("offer-results");
    var details = document.getElementById("filters-details");
    if (details) { details.open = false; }
    var main = document.getElementById("main");
    if (main) {
      main.scrollIntoView({ block: "start" });
      main.focus({ preventScroll: true });
    }
  });
  function watchResults() {
    var figures = document.querySelector("#main .key-figures");
    if (!figures || !window.IntersectionObserver) { return false; }
    new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (en.isIntersecting && en.boundingClientRect.top < window.innerHeight * 0.5) {
          document.body.classList.remove("offer-results");  // the results are in view
        }
      });
    }, { threshold: [0, 0.25, 0.5] }).observe(figures);
    return true;
  }
  (function waitForPage(tries) {
    if (!watchResults() && tries < 100) { setTimeout(function () { waitForPage(tries + 1); }, 100); }
  })(0);

  function start() { installPresentFigure(); status(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
