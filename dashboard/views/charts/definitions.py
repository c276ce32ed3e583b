"""Both definitions side by side: directly after the programme (IMDi) and in November the year after (SSB).

Two panels, each with its own x-axis, y-axis, title and trace: the two series never share a line or an axis,
and no difference between them is drawn or said. Both x-axes are the year the programme ended over the same
years, so a cohort sits in the same column in both. A year or a view without a figure is a gap in its panel
(no line across it) and the panel says so in words; the other panel still draws.

The page draws the panels side by side; a phone stacks them: `layout.meta.narrow` holds the axis domains,
the height and the (sparser) point labels of the stacked arrangement, which assets/js/panels.js applies below
576 px (plotly has no media queries). Images and wide screens use the figure as it is.
"""
from __future__ import annotations

from ...model.query import SERIES_MEASURES, Result
from ..i18n import t
from ..plotfig import Figure
from ..text import cell_value, describe, measure_label, source_names
from .base import COLOURS, Chart, ChartSpec, base_layout, computed_note, escape, hover, table_value

SERIES = ("imdi_direct", "ssb_one_year_after")
AXES = {"imdi_direct": ("x", "y"), "ssb_one_year_after": ("x2", "y2")}
# Colour, dash and marker of each panel's line: neither is the blue of work or the orange of education.
STYLE = {"imdi_direct": (COLOURS["total"], "solid", "circle"),
         "ssb_one_year_after": (COLOURS["neutral"], "dash", "diamond")}
HEIGHT, NARROW_HEIGHT = 460, 900
WIDE_X = {"imdi_direct": [0, 0.43], "ssb_one_year_after": [0.57, 1]}
# The top of the panels (a fraction of the plot's height): above it, each panel's title (and its note).
# The titles sit in the figure, not in its margin, so they keep their place whatever margin a frame sets.
WIDE_TOP = {1: 0.86, 2: 0.8}               # by the number of lines of the titles
NARROW_TOP, NARROW_SPLIT = {1: 0.94, 2: 0.91}, 0.57   # stacked: the upper panel from NARROW_SPLIT to the top


class PanelFigure(Figure):
    """A figure of several panels: update_xaxes and update_yaxes change every x- or y-axis, as plotly's
    do (a presentation slide enlarges the type of all axes, not of the first panel alone)."""

    def update_xaxes(self, **kw):
        return self._update_axes("xaxis", kw)

    def update_yaxes(self, **kw):
        return self._update_axes("yaxis", kw)

    def _update_axes(self, kind: str, kw: dict):
        names = [k for k in self["layout"] if k == kind or (k.startswith(kind) and k[len(kind):].isdigit())]
        for name in names or [kind]:
            self.update_layout(**{name: kw})
        return self


def _axis_name(ref: str, kind: str) -> str:
    """'x' -> 'xaxis', 'x2' -> 'xaxis2' (the layout key of an axis reference)."""
    return kind + "axis" + ref[1:]


def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive years together: [2005, 2006, 2007, 2013] -> [[2005, 2006, 2007], [2013]]."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _years_words(years: list[int], lang: str) -> str:
    """'2005–2015, 2017 og 2019': three or more years in a row as a span."""
    words = [w for r in _runs(years) for w in ([f"{r[0]}–{r[-1]}"] if len(r) > 2 else [str(y) for y in r])]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + (" and " if lang == "en" else " og ") + words[-1]


def _labelled(years: list[int], step: int):
    """Which points carry their value: every `step`-th year counted back from the latest (the same columns
    in both panels), and every computed or approximate one. Each value is on hover and in the table."""
    return lambda y, c: (years[-1] - y) % step == 0 or c.computed or c.approx


def point_label(cell, lang: str) -> str:
    """The label on a point: '65 %', 'om lag 50 %', '63 %*' (computed; the formula is on hover)."""
    return cell_value(cell, lang) + ("*" if cell.computed else "")


def build(result: Result, lang: str) -> ChartSpec:
    meta, state = result.meta, result.state
    by = result.by_definition
    # Every year from the first to the last with a figure in either: a year that neither has is a column
    # too, so that no line runs across it.
    known = [y for s in SERIES for y, c in by.get(s, {}).items() if c is not None]
    years = list(range(min(known), max(known) + 1)) if known else []
    where = describe(state, None, lang)
    span = (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else ""
    title = t("chart_definitions_title", lang) + (f", {span}" if span else "") + " · " + where
    # More than 12 years: a label on every other point (the latest year's parity, the same columns in both
    # panels) and on every computed or approximate one; each value is on hover and in the table.
    labelled = _labelled(years, 1 if len(years) <= 12 else 2)
    labelled_narrow = _labelled(years, 1 if len(years) <= 6 else 2 if len(years) <= 10 else 4)
    narrow_texts = []
    fig = base_layout(PanelFigure(), lang, HEIGHT)
    fig.update_layout(showlegend=False)
    cells, notes, title_lines = [], {}, 1
    for s in SERIES:
        series = by.get(s, {})
        narrow_texts.append([point_label(series[y], lang) if series.get(y) and labelled_narrow(y, series[y])
                             else "" for y in years])
        cells += _add_line(fig, s, series, years, meta, lang, labelled)
        have = _add_gaps(fig, s, series, years, where, lang, notes)
        if _add_panel_title(fig, s, notes.get(s) if have else None, lang) == 2:
            title_lines = 2
        _add_axes(fig, s, years, lang)
    _set_domains(fig, title_lines, narrow_texts)

    rows = [[str(y)] + [table_value(meta, by.get(s, {}).get(y), lang) for s in SERIES] for y in years
            if any(by.get(s, {}).get(y) is not None for s in SERIES)]
    caption = " ".join([where + ".", _finding(result, years, where, lang), t("caption_definitions_why", lang)])
    caption += computed_note(cells, lang)
    return ChartSpec("definitions", title, fig, caption,
                     [t("col_year", lang)] + [t(f"definitions_panel_{s}", lang) for s in SERIES], rows, cells,
                     source_names(meta, cells))


def _add_line(fig: PanelFigure, s: str, series: dict, years: list[int], meta, lang: str, labelled) -> list:
    """The panel's line over every year (None where there is no figure: a gap, never a line across it);
    a computed point has an open marker. Returns the cells it draws."""
    xref, yref = AXES[s]
    colour, dash, symbol = STYLE[s]
    label = measure_label(meta, SERIES_MEASURES[s]["total"], lang)
    cells, ys, texts, hovers, symbols = [], [], [], [], []
    for y in years:
        c = series.get(y)
        if c is not None:
            cells.append(c)
        ys.append(c.value if c else None)
        texts.append(point_label(c, lang) if c and labelled(y, c) else "")
        hovers.append(hover(meta, c, lang, label) if c else "")
        symbols.append(symbol + ("-open" if c is not None and c.computed else ""))
    fig.add_scatter(x=list(years), y=ys, xaxis=xref, yaxis=yref, name=t(f"definitions_panel_{s}", lang),
                    mode="lines+markers+text", text=texts, textposition="top center",
                    textfont={"size": 14 if len(years) <= 12 else 13, "color": colour},
                    line={"color": colour, "width": 3, "dash": dash},
                    marker={"size": 11, "symbol": symbols, "color": colour, "line": {"width": 2, "color": colour}},
                    hovertext=hovers, hoverinfo="text", connectgaps=False, cliponaxis=False)
    return cells


def _add_gaps(fig: PanelFigure, s: str, series: dict, years: list[int], where: str, lang: str,
              notes: dict) -> bool:
    """What the panel lacks, in words: no figure at all (said in its middle), or the years without one (a
    grey band and the words on each run). The note is put in notes[s]; returns whether it has any figure."""
    xref, yref = AXES[s]
    publisher = t(f"definitions_publisher_{s}", lang)
    missing = [y for y in years if series.get(y) is None]
    have = [y for y in years if series.get(y) is not None]
    if not have:
        notes[s] = t("definitions_none", lang, publisher=publisher, where=where)
        fig.add_annotation(text=escape(notes[s]), showarrow=False, xref=f"{xref} domain", yref=f"{yref} domain",
                           x=0.5, y=0.5, font={"color": "#444"}, bgcolor="#f3f4f6", borderpad=8)
        return False
    if missing:
        notes[s] = t("definitions_none_years", lang, publisher=publisher, years=_years_words(missing, lang))
    # Each run of years without a figure: a grey band and, once, the words.
    for run in _runs(missing):
        fig["layout"].setdefault("shapes", []).append({
            "type": "rect", "xref": xref, "yref": f"{yref} domain", "x0": run[0] - 0.5, "x1": run[-1] + 0.5,
            "y0": 0, "y1": 1, "fillcolor": "#f1f2f4", "line": {"width": 0}, "layer": "below"})
        fig.add_annotation(x=(run[0] + run[-1]) / 2, y=4, xref=xref, yref=yref, text=t("gap_label", lang),
                           showarrow=False, textangle=-90, font={"size": 13, "color": "#555"},
                           yanchor="bottom")
    return True


def _add_panel_title(fig: PanelFigure, s: str, note: str | None, lang: str) -> int:
    """The panel's title, which carries its definition, and the note under it; returns its number of lines.
    Its size follows the figure's type (larger on a slide)."""
    xref, yref = AXES[s]
    head = f"<b>{escape(t(f'definitions_panel_{s}', lang))}</b>"
    if note is not None:
        head += f"<br><span style='font-size:0.8em;color:#444'>{escape(note)}</span>"
    fig.add_annotation(text=head, showarrow=False, xref=f"{xref} domain", yref=f"{yref} domain", x=0, y=1,
                       xanchor="left", yanchor="bottom", yshift=8, align="left", font={"color": "#1b1b1b"})
    return 2 if note is not None else 1


def _add_axes(fig: PanelFigure, s: str, years: list[int], lang: str) -> None:
    """The panel's own x-axis (the years, the same in both panels) and y-axis (0–100 %)."""
    xref, yref = AXES[s]
    x_range = [years[0] - 0.5, years[-1] + 0.5] if years else [0, 1]
    suffix = "\u00a0%" if lang != "en" else "%"
    tick_step = 1 if len(years) <= 12 else 2
    axis_title = t("axis_share" if s == "imdi_direct" else "axis_share_ssb", lang)
    fig.update_layout(**{
        _axis_name(xref, "x"): {"domain": WIDE_X[s], "anchor": yref, "range": x_range, "tickmode": "array",
                                "tickvals": [y for y in years if (years[-1] - y) % tick_step == 0],
                                "showticklabels": bool(years), "showgrid": False, "linecolor": "#888",
                                "fixedrange": True, "automargin": True,
                                "title": {"text": t("axis_year", lang), "font": {"size": 15}}},
        _axis_name(yref, "y"): {"anchor": xref, "range": [0, 100], "ticksuffix": suffix,
                                "gridcolor": "#e3e3e3", "zeroline": True, "zerolinecolor": "#888",
                                "fixedrange": True, "automargin": True,
                                "title": {"text": axis_title, "font": {"size": 15}}},
    })


def _set_domains(fig: PanelFigure, title_lines: int, narrow_texts: list[list[str]]) -> None:
    """The panels' heights below their titles, and (layout.meta.narrow, for panels.js) the stacked
    arrangement of a phone: its height, domains and sparser point labels."""
    top, narrow_top = WIDE_TOP[title_lines], NARROW_TOP[title_lines]
    (imdi_x, imdi_y), (ssb_x, ssb_y) = ((_axis_name(AXES[s][0], "x"), _axis_name(AXES[s][1], "y")) for s in SERIES)
    fig.update_layout(**{imdi_y: {"domain": [0, top]}, ssb_y: {"domain": [0, top]}}, meta={"narrow": {
        "height": NARROW_HEIGHT, "data": [{"text": texts} for texts in narrow_texts],
        imdi_x: {"domain": [0, 1]}, ssb_x: {"domain": [0, 1]},
        imdi_y: {"domain": [NARROW_SPLIT, narrow_top]},
        ssb_y: {"domain": [0, round(narrow_top - NARROW_SPLIT, 4)]}}})


def _finding(result: Result, years: list[int], where: str, lang: str) -> str:
    """The key finding: both figures for the latest cohort both have; otherwise what is missing."""
    by = result.by_definition
    imdi, ssb = (by.get(s, {}) for s in SERIES)
    both = [y for y in years if imdi.get(y) is not None and ssb.get(y) is not None]
    if both:
        y = both[-1]
        return t("caption_definitions_latest", lang, year=y, imdi=point_label(imdi[y], lang),
                 ssb=point_label(ssb[y], lang))
    out = []
    for s, series in zip(SERIES, (imdi, ssb)):
        have = [y for y in years if series.get(y) is not None]
        publisher = t(f"definitions_publisher_{s}", lang)
        if not have:
            out.append(t("definitions_none", lang, publisher=publisher, where=where) + ".")
        else:
            y = have[-1]
            out.append(t(f"caption_definitions_only_{s}", lang, year=y, value=point_label(series[y], lang)))
    if all(any(series.get(y) is not None for y in years) for series in (imdi, ssb)):
        out.insert(0, t("caption_definitions_no_common", lang))
    return " ".join(out)


CHART = Chart("definitions", build, needs=("definitions",),
              definitions=lambda parts: [SERIES_MEASURES[s]["total"] for s in SERIES])
