"""What happened to those who ended: every end reason, as shares with their persons."""
from __future__ import annotations

from ...model.query import Result
from .. import i18n
from ..i18n import t
from ..plotfig import Figure
from ...model.query import OUTCOME_MEASURES
from ..text import cell_value, describe, measure_label, source_names
from .base import (COLOURS, Chart, ChartSpec, bar_text, base_layout, empty_figure, hover,
                   table_value)


OUTCOME_COLOURS = {"to_work": COLOURS["work"], "to_education": COLOURS["study"],
                   "to_primary_school": "#5A7D2A", "to_labour_measures": "#6A4C93", "other_reason": "#6B6B6B"}


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    year = result.year
    title = t("chart_outcomes_title", lang, year=year) + " · " + describe(result.state, None, lang)
    fig = base_layout(Figure(), lang, 400)
    cells, rows, labels, values, texts, hovers, colours = [], [], [], [], [], [], []
    for m, share, count in result.outcomes:
        label = measure_label(meta, m, lang)
        rows.append([label, table_value(meta, share, lang) if share else t("not_published", lang),
                     cell_value(count, lang) if count else t("not_published", lang)])
        if share is None:
            continue
        cells.append(share)
        if count is not None:
            cells.append(count)
        labels.append(label), values.append(share.value)
        texts.append(bar_text(share, lang) + (f" ({i18n.number(count.value, lang)})" if count else ""))
        hovers.append(hover(meta, share, lang, label) + (
            "<br>" + t("hover_persons_only", lang, n=i18n.number(count.value, lang)) if count else ""))
        colours.append(OUTCOME_COLOURS.get(m, COLOURS["neutral"]))
    fig.add_bar(y=labels[::-1], x=values[::-1], orientation="h", marker={"color": colours[::-1]},
                text=texts[::-1], textposition="outside", textfont={"size": 16}, hovertext=hovers[::-1],
                hoverinfo="text", cliponaxis=False, showlegend=False)
    fig.update_xaxes(range=[0, max(values + [10]) * 1.35], ticksuffix="\u00a0%" if lang != "en" else "%",
                     title={"text": t("axis_share", lang), "font": {"size": 15}}, gridcolor="#e3e3e3")
    fig.update_yaxes(gridcolor="white", automargin=True)
    fig.update_layout(margin={"l": 24})
    for key, c in result.outcome_counts.items():
        if c is not None:
            cells.append(c)
            rows.append([measure_label(meta, key, lang), "", cell_value(c, lang)])
    ended = result.outcome_counts.get("ended")
    if cells and ended:
        parts = [f"{r[0].lower()} {r[1].split(' (')[0]}" for r in rows[:len(result.outcomes)]
                 if r[1] != t("not_published", lang)]
        caption = t("caption_outcomes", lang, ended=cell_value(ended, lang), year=year, parts="; ".join(parts))
    elif cells:
        caption = "; ".join(f"{r[0]}: {r[1] or r[2]}" for r in rows)
    else:
        caption = t("caption_empty", lang)
    if not values:
        fig = empty_figure(lang)
    return ChartSpec("outcomes", title, fig, caption,
                     [t("col_measure", lang), t("col_value", lang), t("col_persons", lang)], rows, cells,
                     source_names(meta, cells, lang))


CHART = Chart("outcomes", build, needs=("outcomes",), definitions=lambda parts: list(OUTCOME_MEASURES))
