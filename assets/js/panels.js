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

  // Always a copy: plotly changes the layout it is given (a window resize clears its height), and the layout
  // kept in `sent` must stay as the server sent it for the next change of arrangement.
  function arranged(layout) {
    var narrow = narrowOf(layout);
    var out = JSON.parse(JSON.stringify(layout));
    if (!narrow || !NARROW.matches) { return out; }
    Object.keys(narrow).forEach(function (k) {
      if (k === "data" || (k === "height" && !("height" in layout))) { return; }
      var v = narrow[k];
      out[k] = (v && typeof v === "object" && !Array.isArray(v)) ? Object.assign({}, out[k], v) : v;
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
        var layout = JSON.parse(JSON.stringify(a.layout));
        sent.set(gd, Object.assign({}, a, { layout: layout }));
        return react.call(P, gd, Object.assign({}, a, { data: arrangedData(a.data, layout),
                                                        layout: arranged(layout) }));
      }
      if (Array.isArray(a) && narrowOf(b)) {
        var kept = JSON.parse(JSON.stringify(b));
        sent.set(gd, { data: a, layout: kept, config: c });
        return react.call(P, gd, arrangedData(a, kept), arranged(kept), c);
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
