"""Illustration 2: work and education for displaced persons from Ukraine and the other groups."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ...model import dimensions as dims
from ...model.dimensions import ALL, GROUP
from ..text import cell_value, describe, source_names, value_word
from .base import (GROUPED, COLOURS, Chart, ChartSpec, bar_text, base_layout, empty_figure, hover,
                   outcome_parts, percent_axis, table_value)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    year = result.year
    title = t("chart_groups_title", lang, year=year) + " · " + describe(result.state.replace(**{GROUP: ALL}), None, lang)
    groups = dims.get(GROUP).parts
    names = [value_word(GROUP, g, lang) for g in groups]
    fig = base_layout(Figure(), lang, 420)
    cells, rows = [], []
    for part in ("work", "study"):
        xs, ys, texts, hovers = [], [], [], []
        for g, n in zip(groups, names):
            c = result.groups[g][part]
            if c is None:
                continue
            cells.append(c)
            xs.append(n), ys.append(c.value), texts.append(bar_text(c, lang))
            hovers.append(hover(meta, c, lang, f"{n}: {t('part_' + part, lang)}"))
        fig.add_bar(x=xs, y=ys, name=t(f"part_{part}", lang), marker={"color": COLOURS[part]},
                    text=texts, textposition="outside", textfont={"size": 16}, hovertext=hovers,
                    hoverinfo="text", cliponaxis=False)
    fig.update_layout(barmode=GROUPED)
    percent_axis(fig, lang, t("axis_share", lang), top=max([c.value for c in cells] + [50]) * 1.2)
    for g, n in zip(groups, names):
        rows.append([n] + [table_value(meta, result.groups[g][p], lang) for p in ("work", "study")])
    ua, ot = result.groups["ukraine"], result.groups["other"]
    if all(ua[p] and ot[p] for p in ("work", "study")):
        caption = t("caption_groups", lang, year=year, ua_work=cell_value(ua["work"], lang),
                    ua_edu=cell_value(ua["study"], lang), ot_work=cell_value(ot["work"], lang),
                    ot_edu=cell_value(ot["study"], lang))
    elif cells:
        caption = "; ".join(f"{r[0]}: {t('part_work', lang)} {r[1]}, {t('part_study', lang)} {r[2]}"
                            for r in rows)
    else:
        caption = t("caption_empty", lang)
        fig = empty_figure(lang)
    return ChartSpec("groups", title, fig, caption,
                     [t("col_group", lang), t("part_work", lang), t("part_study", lang)], rows, cells,
                     source_names(meta, cells, lang))


CHART = Chart("groups", build, needs=("groups",), definitions=outcome_parts)
