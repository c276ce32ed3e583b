"""Illustration 1: the share who went directly to work and to education, per year."""
from __future__ import annotations

from ...model.query import Result
from ..i18n import t
from ..plotfig import Figure
from ...model.query import PARTS
from ..text import cell_value, describe, measure_label, source_names
from .base import (COLOURS, COMPUTED_PATTERN, Chart, ChartSpec, bar_text, base_layout, computed_note,
                   empty_figure, full_years, hover, outcome_parts, percent_axis, table_value)


def _title(result: Result, years: list[int], ssb: bool, lang: str) -> str:
    title_key = "chart_trend_title_ssb" if ssb else "chart_trend_title"
    span = (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else ""
    head = t(title_key, lang, years=span)
    if not span:  # nothing drawn: the title names no years (not "…utdanning, ")
        head = head.rstrip(", ")
    return head + " · " + describe(result.state, None, lang)


def _add_part(fig: Figure, result: Result, part: str, years: list[int], label: str, bar: bool, lang: str) -> list:
    """The bars (or the line) of work or of education; gives the cells drawn."""
    meta = result.meta
    xs, ys, texts, hovers, patterns, cells = [], [], [], [], [], []
    for y in (years if bar else full_years(years)):
        c = result.trend[part].get(y)
        if c is None:
            if not bar:  # a line breaks at a year without a figure: None, with connectgaps off
                xs.append(y), ys.append(None), texts.append(""), hovers.append(""), patterns.append("")
            continue
        xs.append(y), ys.append(c.value), texts.append(bar_text(c, lang))
        hovers.append(hover(meta, c, lang, label))
        patterns.append("/" if c.computed else "")
        cells.append(c)
    name = t(f"part_{part}", lang)
    if bar:
        fig.add_bar(x=xs, y=ys, name=name, marker={"color": COLOURS[part],
                    "pattern": {**COMPUTED_PATTERN, "shape": patterns}},
                    text=texts, textposition="inside", insidetextanchor="middle",
                    textfont={"color": "white", "size": 15}, hovertext=hovers, hoverinfo="text")
    else:
        fig.add_scatter(x=xs, y=ys, name=name, mode="lines+markers+text", text=texts,
                        textposition="top center", line={"color": COLOURS[part], "width": 3,
                        "dash": "solid" if part == "work" else "dash"},
                        marker={"size": 10, "symbol": "circle" if part == "work" else "square"},
                        hovertext=hovers, hoverinfo="text", connectgaps=False)
    return cells


def _add_total(fig: Figure, result: Result, years: list[int], label: str, bar: bool, lang: str) -> list:
    """The total: a marker with its label above each year; a grey bar where only the total is published;
    "no figures" written in the years with none. Gives the cells drawn."""
    meta = result.meta
    tx, ty, ttext, thover, only_x, only_y, gaps, cells = [], [], [], [], [], [], [], []
    for y in (years if bar else full_years(years)):
        c = result.trend["total"].get(y)
        w, e = result.trend["work"].get(y), result.trend["study"].get(y)
        if c is None and w is None and e is None and y in years:
            gaps.append(y)
        if c is None:
            if not bar:
                tx.append(y), ty.append(None), ttext.append(""), thover.append("")
            continue
        cells.append(c)
        tx.append(y), ty.append(c.value), ttext.append(bar_text(c, lang))
        thover.append(hover(meta, c, lang, label) + (
            "<br>" + t("split_not_published", lang) if (w is None or e is None) else ""))
        if bar and w is None and e is None:
            only_x.append(y), only_y.append(c.value)
    if bar and only_x:
        fig.add_bar(x=only_x, y=only_y, name=t("part_total_only", lang),
                    marker={"color": COLOURS["total_only"], "pattern": {"shape": "x", "fgcolor": "white", "fillmode": "overlay",
                                                                         "size": 10, "solidity": 0.15}},
                    hoverinfo="skip")
    fig.add_scatter(x=tx, y=ty, name=t("part_total", lang), mode="markers+text" if bar else "lines+markers+text",
                    text=ttext, textposition="top center", textfont={"size": 16, "color": COLOURS["total"]},
                    marker={"symbol": "diamond", "size": 11, "color": COLOURS["total"]},
                    line={"color": COLOURS["total"], "width": 2, "dash": "dot"},
                    hovertext=thover, hoverinfo="text", cliponaxis=False, connectgaps=False)
    # A year whose figure the small-number protection hides says so, not "not published"
    hidden = result.trend_hidden
    for y in gaps:
        fig.add_annotation(x=y, y=4, text=t("gap_hidden" if y in hidden else "gap_label", lang), showarrow=False,
                           textangle=-90,
                           font={"size": 13, "color": "#555"}, yanchor="bottom")
    return cells


def _caption(result: Result, years: list[int], cells: list, lang: str) -> str:
    """The latest year's figures in words, and what is computed."""
    latest = next((y for y in reversed(years) if result.trend["total"].get(y) or result.trend["work"].get(y)), None)
    caption = describe(result.state, None, lang) + ". "
    if latest is not None:
        w, e, tot = (result.trend[p].get(latest) for p in PARTS)
        if w and e and tot:
            caption += t("caption_trend_latest", lang, year=latest, work=cell_value(w, lang),
                         study=cell_value(e, lang), total=cell_value(tot, lang))
        else:
            parts = [f"{t('part_' + p, lang).lower()} {cell_value(c, lang)}"
                     for p, c in (("work", w), ("study", e), ("total", tot)) if c is not None]
            caption += t("caption_trend_parts", lang, year=latest, parts=", ".join(parts))
    else:
        caption += t("caption_empty", lang)
    return caption + computed_note(cells, lang)


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    parts = result.series_measures
    years = sorted(set(result.trend["total"]) | set(result.trend["work"]))
    ssb = result.state.series == "ssb_one_year_after"
    title = _title(result, years, ssb, lang)
    labels = {p: measure_label(meta, parts[p], lang) if parts[p] in meta.measures else t(f"part_{p}", lang)
              for p in PARTS}
    fig = base_layout(Figure(), lang, 460)
    bar = result.state.style == "bar"
    cells = []
    for part in ("work", "study"):
        cells += _add_part(fig, result, part, years, labels[part], bar, lang)
    cells += _add_total(fig, result, years, labels["total"], bar, lang)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    percent_axis(fig, lang, t("axis_share_ssb" if ssb else "axis_share", lang))
    rows = [[str(y)] + [t("hidden_value", lang) if p == "total" and y in result.trend_hidden and
                        result.trend[p].get(y) is None else table_value(meta, result.trend[p].get(y), lang)
                        for p in PARTS] for y in years]
    caption = _caption(result, years, cells, lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("trend", title, fig, caption,
                     [t("col_year", lang), t("part_work", lang), t("part_study", lang), t("part_total", lang)],
                     rows, cells, source_names(meta, cells, lang))


CHART = Chart("trend", build, needs=("trend",), definitions=outcome_parts)
