// Panels side by side on a wide screen, stacked on a phone (views/charts/definitions.py). plotly has no
// media queries, so a figure that can stack carries its narrow arrangement in layout.meta.narrow (axis
// domains, a height, per-trace changes in `data`); it is laid over the figure here before plotly draws, and
// again when the window crosses the breakpoint. A figure without it is drawn as sent. A figure that fills
// its frame (presentation, embed: no height in its layout) keeps filling it.
(function () {
  var NARROW = window.matchMedia("(max-width: 575.98px)");
  var sent = new WeakMap();  // graph -> the figure as Dash gave it

  function narrowOf(layout) {
    return layout && layout.meta && layout.meta.narrow;
  }

  function arranged(layout) {
    var narrow = narrowOf(layout);
    if (!narrow || !NARROW.matches) { return layout; }
    var out = Object.assign({}, layout);
    Object.keys(narrow).forEach(function (k) {
      if (k === "data" || (k === "height" && !("height" in layout))) { return; }
      var v = narrow[k];
      out[k] = (v && typeof v === "object" && !Array.isArray(v)) ? Object.assign({}, layout[k], v) : v;
    });
    return out;
  }

  // narrow.data: per-trace changes (sparser point labels), by the trace's position.
  function arrangedData(data, layout) {
    var narrow = narrowOf(layout);
    if (!narrow || !narrow.data || !NARROW.matches || !Array.isArray(data)) { return data; }
    return data.map(function (t, i) { return narrow.data[i] ? Object.assign({}, t, narrow.data[i]) : t; });
  }

  function install() {
    var P = window.Plotly;
    if (!P || P.__panels) { return; }
    var react = P.react;
    P.react = function (gd, a, b, c) {
      // dcc.Graph calls react(gd, {data, layout, config, frames}); plotly also takes (gd, data, layout, config).
      if (a && !Array.isArray(a) && typeof a === "object" && narrowOf(a.layout)) {
        sent.set(gd, a);
        return react.call(P, gd, Object.assign({}, a, { data: arrangedData(a.data, a.layout),
                                                        layout: arranged(a.layout) }));
      }
      if (Array.isArray(a) && narrowOf(b)) {
        sent.set(gd, { data: a, layout: b, config: c });
        return react.call(P, gd, arrangedData(a, b), arranged(b), c);
      }
      return react.apply(P, arguments);
    };
    P.__panels = true;
    NARROW.addEventListener("change", function () {
      document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
        var fig = sent.get(gd);
        if (fig && gd.isConnected) { P.react(gd, fig); }
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", install); }
  else { install(); }
})();
