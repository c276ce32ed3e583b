"""Downloads of a view: /chart.png, /chart.svg and /data.xlsx (the view's URL plus an extension).

Images are drawn server-side by kaleido with Debian's Chromium, started once per process and reused
(stack-notes §5: 1.5 s for the first image, about 0.1 s after). The picture carries its title, the
filters in words and the source line, so it stands on its own in a slide deck or a report.

Without a Chromium that kaleido can use (or without kaleido), /chart.png and /chart.svg answer 503 with
a plain message, and `images_available()` is False so that the page can leave their links out.
"""
from __future__ import annotations

import functools
import io
import os
import threading
import warnings

from flask import Response, request

from ..model import dimensions as dims
from ..model.query import Cell
from ..views import charts
from ..views.charts import ChartSpec
from ..views.exports import EXPORT_COLUMNS, number_text, safe_text
from ..views.i18n import t
from ..views.text import describe, formula, slug
from .routes import bad_request, cached_view_cells, region_not_in_year, view_from_request

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
IMAGE_SIZE = (1400, 800)
_kaleido_lock = threading.Lock()
_kaleido_started = False


IMAGES_UNAVAILABLE = ("Images are not available on this server: kaleido found no Chromium to draw them with. "
                      "Run `bash run.sh` (it installs Debian's chromium), or install chromium "
                      "(apt-get install chromium), then restart the app.")


def _browser_path() -> str | None:
    """The Chromium kaleido would start (BROWSER_PATH, then chromium/chrome on PATH and the usual places), if
    it exists and is executable; None if there is none or kaleido is not installed."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
        path = Chromium.find_browser(skip_local=False)
    except Exception:
        return None
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return str(path)
    return None


@functools.lru_cache(maxsize=1)
def images_available() -> bool:
    """True when /chart.png and /chart.svg can be drawn: kaleido is installed and finds an executable
    Chromium. Looked up once per process (a few stat calls, no browser started)."""
    return _browser_path() is not None


def images_unavailable_response() -> Response:
    return Response(IMAGES_UNAVAILABLE + "\n", status=503, mimetype="text/plain",
                    headers={"Cache-Control": "no-store"})


def _ensure_kaleido() -> None:
    """One headless Chromium per process, started on the first image, without MathJax from a CDN."""
    global _kaleido_started
    if _kaleido_started:
        return
    import kaleido
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _kaleido_started = True


def image_figure(spec: ChartSpec, subtitle: str, lang: str):
    fig = spec.figure.to_plotly()
    w, h = IMAGE_SIZE
    fig.update_layout(width=w, height=h, margin={"t": 130, "b": 190, "l": 90, "r": 40},
                      title={"text": f"<b>{_esc(spec.title.split(' · ')[0])}</b><br><span style='font-size:18px'>"
                                     f"{_esc(subtitle)}</span>", "x": 0.01, "xanchor": "left", "y": 0.97,
                             "font": {"size": 24}},
                      legend={"y": 1.0, "yanchor": "bottom"})
    source = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
    note = ("* " + t("computed_mark", lang) + "<br>") if any(c.computed for c in spec.cells) else ""
    fig.add_annotation(text=note + _wrap(source, 170), showarrow=False, xref="paper", yref="paper", x=0, y=0,
                       yshift=-75, xanchor="left", yanchor="top", align="left", font={"size": 13, "color": "#333"})
    return fig


def _esc(s: str) -> str:
    return s.replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int) -> str:
    words, lines, line = _esc(text).split(" "), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines[:4])


def render_image(spec: ChartSpec, subtitle: str, lang: str, fmt: str) -> bytes:
    fig = image_figure(spec, subtitle, lang)
    with _kaleido_lock, warnings.catch_warnings():
        # plotly warns that kaleido's options are ignored when its server runs: that is the intent.
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        _ensure_kaleido()
        return fig.to_image(format=fmt, width=IMAGE_SIZE[0], height=IMAGE_SIZE[1])


def xlsx_bytes(cells: list[Cell], ds, lang: str, title: str) -> bytes:
    """Sheet 1: the cells shown, in the tidy format. Sheet 2: their sources and the measures' definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([safe_text(title)])
    ws["A1"].font = Font(bold=True)
    ws.append(list(EXPORT_COLUMNS))
    for c in cells:
        r = c.row()
        ws.append([r[d] for d in dims.IDS] + [r["measure"], float(number_text(c.value)), c.unit,
                   "true" if c.approx else "false",
                   safe_text(c.source), c.basis, safe_text(formula(c, lang)) if c.computed else ""])
    meta = wb.create_sheet("Kilder og definisjoner" if lang != "en" else "Sources and definitions")
    meta.append(["source", "publisher", "title", "date", "url"])
    seen = []
    for c in cells:
        for s in (c.source,) + tuple(i.source for i in c.inputs):
            if s not in seen:
                seen.append(s)
    for s in seen:
        src = ds.sources.get(s)
        meta.append([safe_text(s)] + ([safe_text(src.publisher), safe_text(src.title), src.date, safe_text(src.url)]
                                      if src else ["", "", "", ""]))
    meta.append([])
    meta.append(["measure", "unit", "series", "label", "definition"])
    for m in sorted({c.measure for c in cells}):
        md = ds.measures.get(m)
        if md:
            meta.append([m, md.unit, md.series, safe_text(md.label(lang)), safe_text(md.definition(lang))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def register(server, store) -> None:
    def chart_spec(fmt: str):
        state, error = view_from_request(store)
        if error or (error := region_not_in_year(state, f"/chart.{fmt}")) is not None:
            return None, None, None, error
        if state.chart not in charts.IMAGE_CHARTS:
            return None, None, None, bad_request([f"There is no image for chart '{state.chart}'; "
                                                  f"charts: {', '.join(charts.IMAGE_CHARTS)}."])
        result, spec = charts.one(store.dataset, state, state.chart)
        return state, result, spec, None

    def image(fmt: str):
        state, result, spec, error = chart_spec(fmt)
        if error:
            return error
        if not images_available():
            return images_unavailable_response()
        try:
            body = render_image(spec, describe(state, result.year), state.lang, fmt)
        except Exception as e:
            from choreographer.errors import ChromeNotFoundError
            if isinstance(e, ChromeNotFoundError) or isinstance(e.__cause__, ChromeNotFoundError):
                return images_unavailable_response()
            raise
        name = f"{slug(state, result.year, state.chart)}.{fmt}"
        return Response(body, mimetype=IMAGE_FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @server.route("/chart.png")
    def chart_png():
        return image("png")

    @server.route("/chart.svg")
    def chart_svg():
        return image("svg")

    @server.route("/data.xlsx")
    def data_xlsx():
        state, error = view_from_request(store)
        if error or (error := region_not_in_year(state, "/data.xlsx")) is not None:
            return error
        ds = store.dataset
        if "chart" in request.args:  # one chart's cells: exactly what it draws
            result, spec = charts.one(ds, state, state.chart)
            cells, title, name = spec.cells, spec.title, slug(state, result.year, state.chart)
        else:
            cells, title, name = cached_view_cells(ds, state)
        body = xlsx_bytes(cells, ds, state.lang, title)
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
