"""Work or education by education level and gender."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ...model import dimensions as dims
from ...model.dimensions import EDUCATION, GENDER
from ..text import source_names, value_word
from .base import (GROUPED, COLOURS, Chart, ChartSpec, bar_text, base_layout, empty_figure, hover,
                   outcome_parts, percent_axis, table_value)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    year = result.year
    title = t("chart_education_title", lang, year=year)
    fig = base_layout(Figure(), lang, 380)
    cells, rows = [], []
    levels = [e for e, by in result.by_level_and_sex.items() if any(by.values())]
    for g in reversed(dims.get(GENDER).parts):
        cs = [result.by_level_and_sex[e][g] for e in levels]
        xs = [value_word(EDUCATION, e, lang) for e, c in zip(levels, cs) if c]
        vals = [c for c in cs if c]
        cells += vals
        fig.add_bar(x=xs, y=[c.value for c in vals], name=value_word(GENDER, g, lang),
                    marker={"color": COLOURS[g], "pattern": {"shape": "" if g == "men" else ".",
                                                             "fgcolor": "white", "solidity": 0.2, "fillmode": "overlay"}},
                    text=[bar_text(c, lang) for c in vals], textposition="outside", textfont={"size": 16},
                    hovertext=[hover(meta, c, lang, value_word(GENDER, g, lang)) for c in vals], hoverinfo="text",
                    cliponaxis=False)
    fig.update_layout(barmode=GROUPED)
    percent_axis(fig, lang, t("axis_share", lang))
    for e in levels:
        rows.append([value_word(EDUCATION, e, lang)] + [table_value(meta, result.by_level_and_sex[e][g], lang)
                                                   for g in reversed(dims.get(GENDER).parts)])
    caption = t("caption_education", lang, year=year, parts="; ".join(
        f"{r[0]}: {value_word(GENDER, 'women', lang).lower()} {r[1]}, {value_word(GENDER, 'men', lang).lower()} {r[2]}" for r in rows)) \
        if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec(EDUCATION, title, fig, caption,
                     [t("col_education", lang), value_word(GENDER, "women", lang), value_word(GENDER, "men", lang)], rows, cells,
                     source_names(meta, cells, lang))


# Its id is the dimension's: old links say chart=education.
CHART = Chart(EDUCATION, build, needs=("by_education",), definitions=outcome_parts)
