// The embed page (dashboard/web/embed.py): draw its one chart from the JSON in the page. A file, not an
// inline script, so the Content-Security-Policy needs no hash. The Dash app ignores this file: it draws
// only where the embed page's data block exists.
(function () {
  function draw() {
    var data = document.getElementById("embed-figure");
    var box = document.getElementById("solo-graph");
    if (!data || !box || !window.Plotly) { return; }
    var fig = JSON.parse(data.textContent || "{}");
    if (!fig.data) { return; }
    window.Plotly.newPlot(box, fig.data, fig.layout || {}, {displaylogo: false, displayModeBar: false, responsive: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
