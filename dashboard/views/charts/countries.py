"""Participants by country of birth."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ...model.dimensions import COUNTRY
from ..plotfig import Figure
from ...model.query import COUNTRY_MEASURES
from ..text import cell_value, source_names
from .base import (COLOURS, Chart, ChartSpec, base_layout, empty_figure, hover)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    from ...model.countries import country_name
    cells = result.countries
    year = cells[0].year if cells else result.year
    title = t("chart_countries_title", lang, year=year)
    names = [country_name(getattr(c.coords, COUNTRY), lang) for c in cells]
    fig = base_layout(Figure(), lang, max(300, 44 * len(cells) + 80))
    fig.add_bar(y=names[::-1], x=[c.value for c in cells][::-1], orientation="h",
                marker={"color": COLOURS["neutral"]}, text=[cell_value(c, lang) for c in cells][::-1],
                textposition="outside", textfont={"size": 16},
                hovertext=[hover(meta, c, lang, n) for c, n in zip(cells, names)][::-1],
                hoverinfo="text", cliponaxis=False, showlegend=False)
    fig.update_xaxes(range=[0, max([c.value for c in cells] + [1]) * 1.3], gridcolor="#e3e3e3", tickformat=",d",
                     title={"text": t("axis_persons", lang), "font": {"size": 15}})
    fig.update_yaxes(gridcolor="white", automargin=True)
    rows = [[n, cell_value(c, lang)] for n, c in zip(names, cells)]
    measure = meta.measures.get(cells[0].measure) if cells else None
    caption = t("caption_countries", lang, year=year, measure=measure.label(lang) if measure else "",
                parts=", ".join(f"{r[0]} {r[1]}" for r in rows)) if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("countries", title, fig, caption, [t("col_country", lang), t("axis_persons", lang)], rows,
                     list(cells), source_names(meta, cells, lang))


# Both publishers' measures are explained: the chart draws the one of the view's series where it can
CHART = Chart("countries", build, needs=("countries",), definitions=lambda parts: list(COUNTRY_MEASURES["imdi_direct"]),
              follows=())
