"""SSB: one year after, for each county."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ...model import regions
from ...model.dimensions import GENDER, REGION
from ...model.query import SSB_TOTAL
from ..text import source_names
from .base import (COLOURS, Chart, ChartSpec, bar_text, base_layout, empty_figure, hover,
                   table_value)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    cells = result.ssb_by_county
    year = cells[0].year if cells else result.year
    title = t("chart_ssb_county_title", lang, year=year)
    fig = base_layout(Figure(), lang, max(300, 40 * len(cells) + 80))
    names = [regions.name(c.coords.region, c.year, lang) for c in cells]
    fig.add_bar(y=names[::-1], x=[c.value for c in cells][::-1], orientation="h",
                marker={"color": COLOURS["neutral"]}, text=[bar_text(c, lang) for c in cells][::-1],
                textposition="outside", hovertext=[hover(meta, c, lang, n) for c, n in zip(cells, names)][::-1],
                hoverinfo="text", cliponaxis=False, showlegend=False)
    fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%" if lang != "en" else "%", gridcolor="#e3e3e3")
    fig.update_yaxes(gridcolor="white", automargin=True)
    rows = [[n, table_value(meta, c, lang)] for n, c in zip(names, cells)]
    caption = "; ".join(f"{r[0]} {r[1]}" for r in rows) if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("ssb_county", title, fig, caption, [t("col_region", lang), t("col_value", lang)], rows,
                     list(cells), source_names(meta, cells, lang))


CHART = Chart("ssb_county", build, needs=("ssb_county",), definitions=lambda parts: [SSB_TOTAL],
              follows=(REGION, GENDER))
