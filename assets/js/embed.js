// The embed page (dashboard/web/embed.py): draw its one chart from the JSON in the page. A file, not an
// inline script, so the Content-Security-Policy needs no hash. The Dash app ignores this file: it draws
// only where the embed page's data block exists.
(function () {
  function draw() {
    var data = document.getElementById("embed-figure");
    var box = document.getElementById("embed-plot");  // inside #solo-graph, as dcc.Graph draws
    if (!data || !box || !window.Plotly) { return; }
    var fig = JSON.parse(data.textContent || "{}");
    if (!fig.data) { return; }
    // react, not newPlot: assets/js/panels.js wraps it to stack a two-panel figure on a phone.
    window.Plotly.react(box, fig.data, fig.layout || {}, {displaylogo: false, displayModeBar: false, responsive: true});
  }
  // A server page, without the user's file (it stays in the browser's session): opened where one is loaded
  // (this tab, or one opened from it), it says that it shows the published figures only.
  function noteUserFile() {
    var note = document.getElementById("embed-user-note");
    if (!note) { return; }
    try {
      var data = JSON.parse(window.sessionStorage.getItem("user-data") || "null");
      note.hidden = !(data && data.contents);
    } catch (err) { note.hidden = true; }
  }
  function start() { noteUserFile(); draw(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
