"""Regions side by side (`compare=03,46,50`): one line per region over the years, in the view's measure.

Each line is the region's published (or computed, and marked) main share with the view's other filters;
a year without a figure is a gap in the line, never bridged; a figure hidden by the small-number
protection is not in the data and so is not drawn either. Where a line follows its area through a
one-to-one code change (Bærum 0219 -> 3024), the hover, the table and the caption say so.
"""
from __future__ import annotations

from ...model import regions
from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ..text import cell_value, describe, measure_label, source_names
from .base import (Chart, ChartSpec, base_layout, empty_figure, full_years, hover, outcome_parts, percent_axis,
                   table_value)
from .region import other_code_hover, other_code_mark

# Okabe–Ito, darkened where needed; dashes and symbols too, so that a line is told without colour.
LINE_STYLES = (("#0B5CAD", "solid", "circle"), ("#B35C00", "dash", "square"), ("#007A5E", "dot", "diamond"),
               ("#A3336B", "dashdot", "triangle-up"), ("#222222", "longdash", "cross"),
               ("#6A4C93", "solid", "x"), ("#8A6D00", "dash", "star"), ("#2F6F8F", "dot", "hexagon"))


def build(result: Result, lang: str) -> ChartSpec:
    meta, state = result.meta, result.state
    lines = result.compare
    measure = result.series_measures["total"]
    label = measure_label(meta, measure, lang)
    names = {c: regions.name(c, result.year, lang) for c in lines}
    filters = describe(state.replace(region="0"), None, lang).split(", ")[1:]   # the filters, not "Norge"
    title = t("chart_compare_title", lang, measure=label) + "".join(" · " + ", ".join(filters) for _ in filters[:1])
    years = sorted({y for line in lines.values() for y, c in line.items() if c is not None})
    drawn = [c for c, line in lines.items() if any(v is not None for v in line.values())]
    fig = base_layout(Figure(), lang, 440)
    cells = []
    for i, code in enumerate(drawn):
        line = lines[code]
        colour, dash, symbol = LINE_STYLES[i % len(LINE_STYLES)]
        cells += [c for c in line.values() if c is not None]
        xs = full_years(years)  # None where a year has no figure: the line breaks there
        fig.add_scatter(x=xs, y=[line[y].value if line.get(y) else None for y in xs], name=names[code],
                        mode="lines+markers", connectgaps=False, line={"color": colour, "dash": dash, "width": 3},
                        marker={"size": 10, "symbol": symbol, "color": colour}, hoverinfo="text",
                        hovertext=[hover(meta, line[y], lang, names[code]) + other_code_hover(line[y], code, lang)
                                   if line.get(y) else "" for y in xs])
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    percent_axis(fig, lang, t("axis_share_ssb" if state.series == "ssb_one_year_after" else "axis_share", lang))
    rows = [[str(y)] + [table_value(meta, lines[c].get(y), lang) + other_code_mark(lines[c].get(y), c, lang)
                        for c in drawn] for y in years]
    caption = _caption(result, lines, drawn, names, lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("compare", title, fig, caption, [t("col_year", lang)] + [names[c] for c in drawn], rows,
                     cells, source_names(meta, cells, lang))


def _caption(result: Result, lines, drawn, names, lang: str) -> str:
    """The latest figure of each region drawn, then a plain line for each region without any."""
    parts = []
    for code in drawn:
        y, c = max(((y, c) for y, c in lines[code].items() if c is not None), key=lambda p: p[0])
        parts.append(t("caption_compare_item", lang, region=names[code], year=y, value=cell_value(c, lang)))
    out = [t("caption_compare", lang, parts="; ".join(parts))] if parts else [t("caption_empty", lang)]
    out += [t("caption_compare_none", lang, region=names[c]) for c in lines if c not in drawn]
    return " ".join(out)


CHART = Chart("compare", build, needs=("compare",), definitions=outcome_parts)
