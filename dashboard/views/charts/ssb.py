"""SSB: in work or education in November one year after, by gender (its own definition)."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ...model import dimensions as dims
from ...model.dimensions import GENDER, GROUP
from ...model.query import SSB_TOTAL
from ..text import cell_value, source_names, value_word
from .base import (COLOURS, PLACE_FILTERS, Chart, ChartSpec, base_layout, empty_figure, full_years, hover,
                   percent_axis, table_value)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    title = t("chart_ssb_title", lang)
    fig = base_layout(Figure(), lang, 400)
    cells, rows = [], []
    years = sorted({y for by in result.ssb_by_gender.values() for y, c in by.items() if c is not None})
    symbols = {"all": "diamond", "men": "circle", "women": "square"}
    dashes = {"all": "dot", "men": "solid", "women": "dash"}
    for g in dims.get(GENDER).values:
        by = result.ssb_by_gender[g]
        cs = [by[y] for y in years if by.get(y)]
        cells += cs
        xs = full_years(years)  # None where a year has no figure: the line breaks there
        fig.add_scatter(x=xs, y=[by[y].value if by.get(y) else None for y in xs], name=value_word(GENDER, g, lang),
                        mode="lines+markers", line={"color": COLOURS[g], "width": 3, "dash": dashes[g]},
                        marker={"size": 10, "symbol": symbols[g]}, connectgaps=False,
                        hovertext=[hover(meta, by[y], lang, value_word(GENDER, g, lang)) if by.get(y) else ""
                                   for y in xs], hoverinfo="text")
    for y in years:
        rows.append([str(y)] + [table_value(meta, result.ssb_by_gender[g].get(y), lang)
                                for g in dims.get(GENDER).values])
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    percent_axis(fig, lang, t("axis_share_ssb", lang))
    if years:
        last = years[-1]
        parts = [f"{value_word(GENDER, g, lang).lower()} {cell_value(result.ssb_by_gender[g][last], lang)}"
                 for g in dims.get(GENDER).values if result.ssb_by_gender[g].get(last)]
        caption = t("caption_ssb", lang, year=last, parts=", ".join(parts))
    else:
        caption = t("caption_empty", lang)
        fig = empty_figure(lang)
    return ChartSpec("ssb", title, fig, caption,
                     [t("col_year", lang), value_word(GENDER, "all", lang), value_word(GENDER, "men", lang), value_word(GENDER, "women", lang)],
                     rows, cells, source_names(meta, cells, lang))


CHART = Chart("ssb", build, needs=("ssb",), definitions=lambda parts: [SSB_TOTAL],
              follows=tuple(d for d in PLACE_FILTERS if d != GROUP))
