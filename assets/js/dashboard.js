// Client-side helpers: files here, not inline strings, so the Content-Security-Policy needs no hashes.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    // The language link points to the *other* language, so the page's language is its opposite.
    setLang: function (otherLang) {
      var lang = otherLang === "en" ? "nb" : "en";
      document.documentElement.lang = lang;
      document.title = lang === "en" ? "The introduction programme in figures" : "Introduksjonsprogrammet i tall";
      return "";
    },
    // The page's language from the URL; unchanged -> no update, so the texts are not fetched again.
    langOf: function (search, current) {
      var lang = new URLSearchParams(search || "").get("lang") === "en" ? "en" : "nb";
      return lang === current ? window.dash_clientside.no_update : lang;
    },
    // The region names for type-ahead: a <datalist> built here, outside React (900 Dash components would
    // slow every update). Returns the list's id for the search box's `list` attribute.
    regionList: function (names) {
      var list = document.getElementById("region-options");
      if (!list) {
        list = document.createElement("datalist");
        list.id = "region-options";
        document.body.appendChild(list);
      }
      var frag = document.createDocumentFragment();
      (names || []).forEach(function (name) {
        var opt = document.createElement("option");
        opt.value = name;
        frag.appendChild(opt);
      });
      list.replaceChildren(frag);
      return "region-options";
    },
    // "Sammenlign med …" takes names separated by commas: its suggestions complete the name being typed and
    // keep the ones before it ("Oslo (03), Ber" -> "Oslo (03), Bergen (4601, 2020–)"), leave out the regions
    // chosen already, and stop at eight. A <datalist> of its own, rebuilt when the text before the name being
    // typed changes (the listeners below); native, so the keyboard works as in any text field with suggestions.
    // compareHead: that text, exactly as typed (the browser offers the options that start with the field's text).
    compareHead: function (text) {
      var s = String(text || "");
      var cut = Math.max(s.lastIndexOf(","), s.lastIndexOf(";"));
      return cut < 0 ? "" : s.slice(0, cut + 1) + /^\s*/.exec(s.slice(cut + 1))[0];
    },
    compareOptions: function (text, names) {
      var head = window.dash_clientside.dashboard.compareHead(text);
      if (!head) { return (names || []).slice(); }
      var chosen = head.split(/[,;]/).map(function (w) { return w.trim(); }).filter(Boolean);
      if (chosen.length >= 8) { return []; }
      var codes = chosen.map(function (w) {
        var m = /\((\d{1,4})\b/.exec(w) || /^(\d{1,4})$/.exec(w);
        return m ? m[1] : w.toLowerCase();
      });
      return (names || []).filter(function (name) {
        var m = /\((\d{1,4})\b/.exec(name);
        return codes.indexOf(m ? m[1] : name.toLowerCase()) < 0 &&
          codes.indexOf(name.replace(/\s*\(.*$/, "").toLowerCase()) < 0;
      }).map(function (name) { return head + name; });
    },
    compareList: function (names) {
      var list = document.getElementById("compare-options");
      if (!list) {
        list = document.createElement("datalist");
        list.id = "compare-options";
        document.body.appendChild(list);
      }
      list.names = names || [];
      delete list.dataset.head;
      var field = document.getElementById("f-compare");
      window.dash_clientside.dashboard.fillCompare(field ? field.value : "");
      return "compare-options";
    },
    fillCompare: function (text) {
      var list = document.getElementById("compare-options");
      if (!list || !list.names) { return; }
      var head = window.dash_clientside.dashboard.compareHead(text);
      if (list.dataset.head === head) { return; }
      list.dataset.head = head;
      var frag = document.createDocumentFragment();
      window.dash_clientside.dashboard.compareOptions(text, list.names).forEach(function (value) {
        var opt = document.createElement("option");
        opt.value = value;
        frag.appendChild(opt);
      });
      list.replaceChildren(frag);
    },
    // Filters start folded on a phone, open on a wider screen.
    foldFilters: function () {
      return window.innerWidth >= 992;
    },
    // The presentation's filter bar: the button (or V) opens and closes it.
    toggleFilterBar: function (n) {
      var open = (n || 0) % 2 === 1;
      return [!open, open ? "true" : "false"];
    },
    // A value as Python's urlencode writes it (quote_plus, "," kept): the URL a control writes here is the
    // one ViewState.to_query() would write, so one view has one URL.
    encodeValue: function (v) {
      return encodeURIComponent(String(v)).replace(/[!'()*]/g, function (c) {
        return "%" + c.charCodeAt(0).toString(16).toUpperCase();
      }).replace(/%20/g, "+").replace(/%2C/g, ",");
    },
    // A query's pairs as written ("gender=women" -> gender: "women", still encoded), the first of each
    // field the view knows (ViewState.from_query also reads the first and ignores unknown keys).
    queryPairs: function (search, fields) {
      var out = {};
      String(search || "").replace(/^\?/, "").split("&").forEach(function (part) {
        if (!part) { return; }
        var at = part.indexOf("="), key = at < 0 ? part : part.slice(0, at);
        if (fields.indexOf(key) >= 0 && !(key in out)) { out[key] = at < 0 ? "" : part.slice(at + 1); }
      });
      return out;
    },
    // The search a control's new value leads to: the view shown (the server's canonical query of the URL,
    // or the URL itself while that answer is on its way) with this one field set, or left out at its default.
    // null: the view already shows that value (as when the server has just set the control from the URL).
    searchAfter: function (search, known, spec, control, value) {
      var d = window.dash_clientside.dashboard;
      var base = known && known.search === (search || "") ? known.query : search;
      var pairs = d.queryPairs(base, spec.fields), field = spec.controls[control];
      var write = function (p) {
        var q = spec.fields.filter(function (f) { return f in p; }).map(function (f) { return f + "=" + p[f]; });
        return q.length ? "?" + q.join("&") : "";
      };
      var before = write(pairs);
      if (value === null || value === undefined || String(value) === spec.defaults[field]) {
        delete pairs[field];
      } else {
        pairs[field] = d.encodeValue(value);
      }
      var after = write(pairs);
      return after === before ? null : after;
    },
    // URL <- controls, in the browser: a control's change writes the URL at once (a history entry), so the
    // charts, the texts and the controls' options are asked for together, in one round trip. The server's
    // callbacks set the controls from the URL and move a view that follows the data (callbacks.py).
    urlFromControls: function () {
      var d = window.dash_clientside.dashboard, nu = window.dash_clientside.no_update;
      var n = arguments.length, search = arguments[n - 4], spec = arguments[n - 3], known = arguments[n - 2];
      var moved = arguments[n - 1];
      var ctx = window.dash_clientside.callback_context, hit = ctx.triggered && ctx.triggered[0];
      var id = hit && hit.prop_id ? hit.prop_id.split(".")[0] : "";
      var next = null;
      if (id === "reset") {  // every filter and option back to its default; the language stays
        var base = known && known.search === (search || "") ? known.query : search;
        next = d.queryPairs(base, spec.fields).lang === "en" ? "?lang=en" : "";
        next = next === (search || "") ? null : next;
      } else if (id && id in spec.controls) {
        var control = document.getElementById(id);
        if (control && !control.__chosen) { return [nu, nu, nu]; }  // set by the server, not chosen (below)
        if (control) { control.__chosen = false; }
        next = d.searchAfter(search, known, spec, id, arguments[spec.order.indexOf(id)]);
      }
      if (next === null) { return [nu, nu, nu]; }
      // The view shown moved away from this URL and its charts or texts are still on their way (moveUrl waits
      // for them): the history keeps the moved URL, not the one the control wrote before.
      if (moved && typeof moved.search === "string" && moved.from === (search || "")) { d.replaceUrl(moved.search); }
      d.changes = (d.changes || 0) + 1;  // n: which change a moved view's answers belong to (moveUrl)
      return [next, {search: next, trigger: id, n: d.changes}, null];  // (what a region search found is said no more)
    },
    // The URL a region search, a click on the map or the compare field leads to (the server's `find`),
    // applied only if the URL is still the one it was found for: a control changed meanwhile wins.
    applyFound: function (found, search) {
      if (!found || typeof found.to !== "string" || found.from !== (search || "")) {
        return window.dash_clientside.no_update;
      }
      return found.to;
    },
    // The history's current entry set to this search (no new entry: Back goes to the view before).
    replaceUrl: function (search) {
      window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
    },
    // The URL of a view that followed the data (the server moved the year, or the slide): it replaces the
    // URL the control wrote, so Back goes to the view before the change. Only once the charts and the
    // texts show the moved view of this change (charts-moved, texts-moved: the key "<n>|<data>?<query>"):
    // the new URL's answers then change nothing.
    moveUrl: function (moved, charts, texts, search) {
      var nu = window.dash_clientside.no_update;
      if (!moved || typeof moved.search !== "string" || typeof moved.key !== "string" ||
          moved.from !== (search || "") || charts !== moved.key || texts !== moved.key) { return [nu, nu]; }
      window.dash_clientside.dashboard.replaceUrl(moved.search);
      return [moved.search, {search: moved.search, trigger: moved.trigger, moved: moved.moved}];
    }
  }
});

(function () {
  function clickIfVisible(id) {
    var el = document.getElementById(id);
    if (el && !document.getElementById("solo").hidden) { el.click(); return true; }
    return false;
  }

  function filterBarOpen() {
    var bar = document.getElementById("solo-filterbar");
    return !!bar && !bar.hidden;
  }

  // A value the server sets on a control (the controls' answer) sets off urlFromControls as a choice in the
  // page does, and only a choice may write a URL: an answer for a URL left since (Back, then Forward before
  // the page had read that answer) would write its value back. A choice is a change event on the control.
  document.addEventListener("change", function (e) {
    for (var el = e.target; el && el !== document; el = el.parentElement) {
      if (el.id && /^[fp]-/.test(el.id)) { el.__chosen = true; return; }
    }
  }, true);

  // Presentation mode: arrows, PageUp/PageDown and Space step; Esc leaves; F toggles full screen;
  // V opens and closes the filter bar (Esc in the bar closes it and gives the keys back to the slides).
  document.addEventListener("keydown", function (e) {
    var root = document.getElementById("app-root");
    if (!root || root.className.indexOf("presenting") < 0) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "Escape" && e.target.closest && e.target.closest("#solo-filterbar")) {
      var toggle = document.getElementById("solo-filters-toggle");
      if (toggle && filterBarOpen()) { toggle.click(); toggle.focus(); e.preventDefault(); }
      return;
    }
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var k = e.key;
    var handled = false;
    if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "Spacebar") { handled = clickIfVisible("solo-next"); }
    else if (k === "ArrowLeft" || k === "PageUp") { handled = clickIfVisible("solo-prev"); }
    else if (k === "Escape") {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      handled = clickIfVisible("solo-exit");
    }
    else if (k === "v" || k === "V") {
      var button = document.getElementById("solo-filters-toggle");
      var opening = !filterBarOpen();
      handled = clickIfVisible("solo-filters-toggle");
      if (handled && opening) {  // once the bar shows, the keyboard is in its first filter
        var tries = 0;
        (function focusFirst() {
          var first = document.querySelector("#solo-filterbar select");
          if (filterBarOpen() && first) { first.focus(); }
          else if (tries++ < 20) { setTimeout(focusFirst, 25); }
        })();
      } else if (handled && button) { button.focus(); }
    }
    else if (k === "f" || k === "F") {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
      handled = true;
    }
    if (handled) { e.preventDefault(); }
  });

  // "Copy link": the current view's URL to the clipboard, with a fallback for browsers that refuse. In a
  // presentation the URL holds present, slide and deck (the slide links and the filter bar write them).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("#copy-link, #solo-copy");
    if (!btn) { return; }
    var status = document.getElementById(btn.id === "solo-copy" ? "solo-copy-status" : "copy-status");
    var url = window.location.href;
    var en = document.documentElement.lang === "en";
    var done = function () {
      if (!status) { return; }
      // A user's file stays in this browser: the link opens the published figures only, and says so.
      status.textContent = hasUserFile()
        ? (en ? "Link copied. It opens the published figures only: your file stays in your browser and does not go with it."
              : "Lenken er kopiert. Den åpner bare de publiserte tallene: filen din blir i nettleseren din og følger ikke med.")
        : (en ? "Link copied" : "Lenken er kopiert");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, function () { fallbackCopy(url); done(); });
    } else { fallbackCopy(url); done(); }
  });

  // The compare field's suggestions follow the names typed before the last comma (compareOptions above).
  ["input", "focusin"].forEach(function (kind) {
    document.addEventListener(kind, function (e) {
      if (e.target && e.target.id === "f-compare") { window.dash_clientside.dashboard.fillCompare(e.target.value); }
    });
  });

  function hasUserFile() {
    try {
      var data = JSON.parse(window.sessionStorage.getItem("user-data") || "null");
      return !!(data && data.contents);
    } catch (err) { return false; }
  }

  // Downloads with a user's file: the link cannot carry the file, so the button asks the page's callback,
  // which answers with the file through dcc.Download (the file never leaves the browser's session otherwise).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".user-download");
    if (!btn || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    window.dash_clientside.set_props("user-download-request",
      {data: {chart: btn.getAttribute("data-chart"), kind: btn.getAttribute("data-kind"), at: Date.now()}});
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "absolute"; area.style.left = "-9999px";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (err) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // dcc.Upload's file input has no name of its own; the visible button is the control, so name the input
  // and keep it out of the tab order (axe: label).
  function labelUpload() {
    var input = document.querySelector("#upload input[type=file]");
    if (input && !input.getAttribute("aria-label")) {
      var button = document.querySelector("#upload button");
      input.setAttribute("aria-label", button ? button.textContent : "Last inn fil");
      input.setAttribute("tabindex", "-1");
    }
    if (input) { uploadObserver.disconnect(); }  // done: stop watching every change of the page
  }
  var uploadObserver = new MutationObserver(labelUpload);
  uploadObserver.observe(document.documentElement, { childList: true, subtree: true });

  // Sortable tables: a button in each column header sorts by that column; aria-sort says how.
  function cellValue(row, i) {
    var cell = row.children[i];
    var text = (cell ? cell.textContent : "").trim();
    var m = text.replace(/[\u00a0\u202f ]/g, "").replace(/^(om lag|about)/, "").match(/^[−-]?[0-9]+([,.][0-9]+)?/);
    if (m) { return parseFloat(m[0].replace("−", "-").replace(",", ".")); }
    return text.toLowerCase();
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".sort-btn");
    if (!btn) { return; }
    var th = btn.closest("th");
    var table = th.closest("table");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var typed = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
      return asc ? typed : -typed;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });

  // Charts out of sight are redrawn after the ones in sight. Plotly takes 20-80 ms a chart, and a filter
  // change may redraw nine: drawing them all before the page answers would make every change slow. A chart
  // outside the window (or hidden by the table view) keeps its new figure until it comes near the window or
  // the browser is idle; printing draws them all first. The first draw of each chart is never put off.
  function installLazyCharts() {
    var P = window.Plotly;
    if (!P || P.__lazyCharts || !window.IntersectionObserver) { return; }
    var react = P.react;
    var pending = new Map();
    var MARGIN = 200;
    // Whether each chart is near the window, kept up to date by the browser (asking getBoundingClientRect
    // after the page changed would force a layout of the whole page for every chart).
    var near = new WeakMap();
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        near.set(e.target, e.isIntersecting);
        if (e.isIntersecting) { draw(e.target); }
      });
    }, { rootMargin: MARGIN + "px 0px" });
    function inSight(gd) {
      if (!near.has(gd)) {  // a chart seen for the first time: measure once, then let the observer tell
        var r = gd.getBoundingClientRect();
        near.set(gd, r.width > 0 && r.bottom > -MARGIN && r.top < window.innerHeight + MARGIN);
        watch.observe(gd);
      }
      return near.get(gd);
    }
    function draw(gd) {
      var args = pending.get(gd);
      if (!args) { return; }
      pending.delete(gd);
      if (gd.isConnected) { react.apply(P, [gd].concat(args)); }
    }
    var idleQueued = false;
    function drawOneWhenIdle() {
      if (idleQueued || !pending.size) { return; }
      idleQueued = true;
      var later = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
      later(function () {
        idleQueued = false;
        var next = null;
        pending.forEach(function (_, gd) { if (!next && gd.getBoundingClientRect().width > 0) { next = gd; } });
        if (next) { draw(next); drawOneWhenIdle(); }  // hidden charts (table view) wait to be shown
      }, { timeout: 3000 });
    }
    P.react = function (gd) {
      var args = Array.prototype.slice.call(arguments, 1);
      if (!gd || !gd._fullLayout || inSight(gd)) {
        if (gd) { pending.delete(gd); }
        return react.apply(P, arguments);
      }
      pending.set(gd, args);
      drawOneWhenIdle();
      return Promise.resolve(gd);
    };
    // dcc.Graph resizes a chart when its box changes size, also when the chart was just drawn at another
    // height: a second draw, 150 ms later, that changes nothing. Skipped when the box has the size drawn.
    var resize = P.Plots.resize;
    P.Plots.resize = function (gd) {
      var full = gd && gd._fullLayout, box = full && gd.isConnected && window.getComputedStyle(gd);
      if (box && Math.abs(parseFloat(box.width) - full.width) <= 1 &&
          Math.abs(parseFloat(box.height) - full.height) <= 1) { return Promise.resolve(gd); }
      return resize.apply(this, arguments);
    };
    P.__lazyCharts = true;
    window.addEventListener("beforeprint", function () { Array.from(pending.keys()).forEach(draw); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", installLazyCharts); }
  else { installLazyCharts(); }
})();
