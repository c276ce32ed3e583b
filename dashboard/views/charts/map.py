"""The map: counties, or the municipalities of the chosen county, coloured by the main share."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ...model import regions
from . import geo
from ..text import cell_value, measure_label, source_names
from .. import urls
from .base import (Chart, ChartSpec, empty_figure, outcome_parts, table_value)


def build(result: Result, lang: str) -> ChartSpec:
    """Counties, or the municipalities of the chosen county, coloured by the view's main share."""
    meta, state, year, mv = result.meta, result.state, result.year, result.map
    values = mv.cells
    fig, note = geo.map_figure(values, mv.level, year, lang, selected=state.region if state.region != "0" else None,
                               county=mv.county, meta=meta)
    where = regions.name(mv.county, year, lang) if mv.county else t("map_all_counties", lang)
    title = t("chart_map_title", lang, measure=measure_label(meta, mv.measure, lang), where=where, year=year)
    cells = sorted(values.values(), key=lambda c: -c.value)
    names = [regions.name(c.coords.region, c.year, lang) for c in cells]
    rows = [[n, table_value(meta, c, lang)] for n, c in zip(names, cells)]
    caption = (t("caption_map", lang, parts="; ".join(f"{r[0]} {cell_value(c, lang)}" for r, c in zip(rows, cells)))
               if cells else t("caption_map_none", lang, where=where, year=year))
    links = []
    if not cells and not note:
        # No full-size empty map: one line, and a link to a measure and year that have figures for these regions.
        note, links = nothing_to_map(result, where, lang)
        fig, caption = empty_figure(lang, 120), note
    return ChartSpec("map", title, fig, caption, [t("col_region", lang), t("col_value", lang)], rows, cells,
                     source_names(meta, cells, lang), note, links)


def nothing_to_map(result: Result, where: str, lang: str) -> tuple[str, list[tuple[str, str]]]:
    state, mv = result.state, result.map
    found = next(((s, y) for s, y in mv.elsewhere if geo.structure_for(y) is not None), None)
    if found is None:
        return t("map_none_anywhere", lang, where=where, year=result.year), []
    series, year = found
    other = state.replace(series=series, year=year)
    text = t("map_none_link", lang, series=t(f"series_{series}", lang), year=year)
    return t("map_none", lang, where=where, year=result.year, measure=measure_label(result.meta, mv.measure, lang)), [
        (text, urls.page(other))]


CHART = Chart("map", build, needs=("map",), definitions=outcome_parts)
