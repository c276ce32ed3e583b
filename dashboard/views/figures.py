"""Charts and their tables as pure functions of a query Result and a language. No Dash here.

Each chart is a ChartSpec: a plotly figure (graph_objects, not express: 3x faster in callbacks), a
title that states the filters in words, a caption with the main numbers (the text alternative), the
rows of its table view, and the cells it shows (for the source line). Work and education have the
same two colours in every chart; computed values are hatched and say so on hover.
"""
from __future__ import annotations

from dataclasses import dataclass, field


from . import i18n


from ..model import regions
from .plotfig import Figure
from ..model.dataset import Dataset
from .i18n import t
from ..model.query import Cell, Result, get_cell
from .text import cell_value, describe, formula, measure_label, source_names

# Okabe–Ito based, darkened for 4.5:1 against white where text sits on them.
COLOURS = {"work": "#0B5CAD", "education": "#B35C00", "total": "#222222", "total_only": "#8A8A8A",
           "men": "#0B5CAD", "women": "#B35C00", "all": "#222222", "neutral": "#4A6A8A"}
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# "overlay": the hatching is drawn over the bar's own colour. (plotly's default, "replace", draws it on a
# transparent background: white hatching alone, an invisible bar.)
COMPUTED_PATTERN = {"shape": "/", "fgcolor": "rgba(255,255,255,0.6)", "size": 8, "solidity": 0.25,
                    "fillmode": "overlay"}


@dataclass
class ChartSpec:
    id: str
    title: str
    figure: Figure
    caption: str
    columns: list[str]
    rows: list[list[str]]
    cells: list[Cell] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""  # said above the chart: filters this chart cannot follow, because nothing is published


def ignored_filters_note(state, used: tuple[str, ...], lang: str) -> str:
    """'Ikke publisert for kvinner, høyere utdanning: figuren viser alle.' — never silently ignore a filter."""
    from .text import value_word
    dims = ("region", "group", "gender", "education", "age")
    ignored = []
    for d in dims:
        if d not in used and getattr(state, d) != ("0" if d == "region" else "all"):
            word = value_word(d, getattr(state, d), lang)
            ignored.append(word if d == "region" else word[:1].lower() + word[1:])
    return t("note_ignored_filters", lang, filters=", ".join(ignored)) if ignored else ""


def base_layout(fig: Figure, lang: str, height: int = 420) -> Figure:
    fig.update_layout(
        separators=i18n.PLOTLY_SEPARATORS[lang], height=height,
        font={"family": FONT, "size": 16, "color": "#1b1b1b"},
        margin={"l": 64, "r": 24, "t": 24, "b": 56}, plot_bgcolor="white", paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": 15},
                "traceorder": "normal"},
        hoverlabel={"font": {"size": 15, "family": FONT}, "bgcolor": "white"},
        bargap=0.3, dragmode=False,
    )
    fig.update_xaxes(showgrid=False, linecolor="#888", fixedrange=True, automargin=True)
    fig.update_yaxes(gridcolor="#e3e3e3", zeroline=True, zerolinecolor="#888", fixedrange=True, automargin=True)
    return fig


def empty_figure(lang: str, height: int = 300) -> Figure:
    fig = base_layout(Figure(), lang, height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=t("empty_chart", lang), showarrow=False, font={"size": 18, "color": "#555"},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def persons_behind(ds: Dataset, cell: Cell, lang: str) -> str:
    """'1 087 av 4 469 personer' where the counts are published."""
    m = ds.measures.get(cell.measure)
    if m is None or cell.unit != "percent":
        return ""
    if cell.computed and cell.method == "share_of_counts":
        num, den = cell.inputs
    else:
        num = get_cell(ds, m.count_measure, cell.year, cell.coords, compute=False) if m.count_measure else None
        den = get_cell(ds, m.denominator, cell.year, cell.coords, compute=False) if m.denominator else None
    if num is not None and den is not None:
        return t("hover_persons", lang, n=cell_value(num, lang), d=cell_value(den, lang))
    return ""


def hover(ds: Dataset, cell: Cell, lang: str, label: str) -> str:
    """Exact value, persons behind it, 'om lag', computed with formula, and the source."""
    lines = [f"<b>{label}</b>: {cell_value(cell, lang)}", f"{cell.year}"]
    persons = persons_behind(ds, cell, lang)
    if persons:
        lines.append(persons)
    if cell.computed:
        lines.append(f"<i>{t('computed_mark', lang)}</i>: {formula(cell, lang)}")
    src = ds.sources.get(cell.source)
    lines.append(f"{t('hover_source', lang)}: {src.publisher if src else cell.source}")
    if cell.alternatives:
        alt = cell.alternatives[0]
        asrc = ds.sources.get(alt.source)
        lines.append(f"({asrc.publisher if asrc else alt.source}: {cell_value(alt, lang)})")
    return "<br>".join(_escape(x) for x in lines)


def _escape(s: str) -> str:
    # plotly renders a small HTML subset in hover text; data text must never become markup.
    return s.replace("<b>", "\x01").replace("</b>", "\x02").replace("<i>", "\x03").replace("</i>", "\x04") \
        .replace("<", "&lt;").replace(">", "&gt;") \
        .replace("\x01", "<b>").replace("\x02", "</b>").replace("\x03", "<i>").replace("\x04", "</i>")


def _bar_text(cell: Cell, lang: str) -> str:
    s = i18n.value_text(cell.value, cell.unit, lang)
    return s + ("*" if cell.computed else "")


def _percent_axis(fig: Figure, lang: str, title: str, top: float = 100) -> None:
    fig.update_yaxes(title={"text": title, "font": {"size": 15}}, range=[0, top], ticksuffix=(
        "\u00a0%" if lang != "en" else "%"))


# ---- illustration 1 --------------------------------------------------------------------------

def trend_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    parts = result.series_measures
    years = sorted(set(result.trend["total"]) | set(result.trend["work"]))
    ssb = result.state.series == "ssb_one_year_after"
    title_key = "chart_trend_title_ssb" if ssb else "chart_trend_title"
    span = (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else ""
    title = t(title_key, lang, years=span) + " · " + describe(result.state, None, lang)
    labels = {p: measure_label(ds, parts[p], lang) if parts[p] in ds.measures else t(f"part_{p}", lang)
              for p in ("work", "education", "total")}
    fig = base_layout(Figure(), lang, 460)
    rows, cells = [], []
    bar = result.state.style == "bar"
    for part in ("work", "education"):
        xs, ys, texts, hovers, patterns = [], [], [], [], []
        for y in years:
            c = result.trend[part].get(y)
            if c is None:
                continue
            xs.append(y), ys.append(c.value), texts.append(_bar_text(c, lang))
            hovers.append(hover(ds, c, lang, labels[part]))
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
    # The total: a marker with its label above each year; a grey bar where only the total is published.
    tx, ty, ttext, thover, only_x, only_y, gaps = [], [], [], [], [], [], []
    for y in years:
        c = result.trend["total"].get(y)
        w, e = result.trend["work"].get(y), result.trend["education"].get(y)
        if c is None and w is None and e is None:
            gaps.append(y)
            continue
        if c is None:
            continue
        cells.append(c)
        tx.append(y), ty.append(c.value), ttext.append(_bar_text(c, lang))
        thover.append(hover(ds, c, lang, labels["total"]) + (
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
                    hovertext=thover, hoverinfo="text", cliponaxis=False)
    for y in gaps:
        fig.add_annotation(x=y, y=4, text=t("gap_label", lang), showarrow=False, textangle=-90,
                           font={"size": 13, "color": "#555"}, yanchor="bottom")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    _percent_axis(fig, lang, t("axis_share_ssb" if ssb else "axis_share", lang))
    for y in years:
        row_cells = [result.trend[p].get(y) for p in ("work", "education", "total")]
        rows.append([str(y)] + [_table_value(ds, c, lang) for c in row_cells])
    latest = next((y for y in reversed(years) if result.trend["total"].get(y) or result.trend["work"].get(y)), None)
    caption = describe(result.state, None, lang) + ". "
    if latest is not None:
        w, e, tot = (result.trend[p].get(latest) for p in ("work", "education", "total"))
        if w and e and tot:
            caption += t("caption_trend_latest", lang, year=latest, work=cell_value(w, lang),
                         education=cell_value(e, lang), total=cell_value(tot, lang))
        else:
            parts = [f"{t('part_' + p, lang).lower()} {cell_value(c, lang)}"
                     for p, c in (("work", w), ("education", e), ("total", tot)) if c is not None]
            caption += t("caption_trend_parts", lang, year=latest, parts=", ".join(parts))
    else:
        caption += t("caption_empty", lang)
    caption += computed_note(cells, lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("trend", title, fig, caption,
                     [t("col_year", lang), t("part_work", lang), t("part_education", lang), t("part_total", lang)],
                     rows, cells, source_names(ds, cells))


def computed_note(cells: list[Cell], lang: str) -> str:
    """' * Beregnet fra publiserte tall: 2016 Arbeid: 1 087 / 4 469 × 100 = 24,3 %.' — visible, not only on hover."""
    computed = [c for c in cells if c.computed]
    if not computed:
        return ""
    items = "; ".join(f"{c.year}: {formula(c, lang)}" for c in computed)
    return f" * {t('computed_mark', lang)}: {items}."


def _table_value(ds: Dataset, c: Cell | None, lang: str) -> str:
    if c is None:
        return t("not_published", lang)
    s = cell_value(c, lang)
    p = persons_behind(ds, c, lang)
    if p:
        s += f" ({p})"
    if c.computed:
        s += f" — {t('computed', lang)}: {formula(c, lang)}"
    return s


# ---- illustration 2 --------------------------------------------------------------------------

def groups_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    year = result.year
    title = t("chart_groups_title", lang, year=year) + " · " + describe(result.state.replace(group="all"), None, lang)
    groups = ("ukraine", "other")
    names = [t(f"group_{g}", lang) for g in groups]
    fig = base_layout(Figure(), lang, 420)
    cells, rows = [], []
    for part in ("work", "education"):
        xs, ys, texts, hovers = [], [], [], []
        for g, n in zip(groups, names):
            c = result.groups[g][part]
            if c is None:
                continue
            cells.append(c)
            xs.append(n), ys.append(c.value), texts.append(_bar_text(c, lang))
            hovers.append(hover(ds, c, lang, f"{n}: {t('part_' + part, lang)}"))
        fig.add_bar(x=xs, y=ys, name=t(f"part_{part}", lang), marker={"color": COLOURS[part]},
                    text=texts, textposition="outside", textfont={"size": 16}, hovertext=hovers,
                    hoverinfo="text", cliponaxis=False)
    fig.update_layout(barmode="group")
    _percent_axis(fig, lang, t("axis_share", lang), top=max([c.value for c in cells] + [50]) * 1.2)
    for g, n in zip(groups, names):
        rows.append([n] + [_table_value(ds, result.groups[g][p], lang) for p in ("work", "education")])
    ua, ot = result.groups["ukraine"], result.groups["other"]
    if all(ua[p] and ot[p] for p in ("work", "education")):
        caption = t("caption_groups", lang, year=year, ua_work=cell_value(ua["work"], lang),
                    ua_edu=cell_value(ua["education"], lang), ot_work=cell_value(ot["work"], lang),
                    ot_edu=cell_value(ot["education"], lang))
    elif cells:
        caption = "; ".join(f"{r[0]}: {t('part_work', lang)} {r[1]}, {t('part_education', lang)} {r[2]}"
                            for r in rows)
    else:
        caption = t("caption_empty", lang)
        fig = empty_figure(lang)
    return ChartSpec("groups", title, fig, caption,
                     [t("col_group", lang), t("part_work", lang), t("part_education", lang)], rows, cells,
                     source_names(ds, cells))


# ---- what happened to those who ended --------------------------------------------------------

OUTCOME_COLOURS = {"to_work": COLOURS["work"], "to_education": COLOURS["education"],
                   "to_primary_school": "#5A7D2A", "to_labour_measures": "#6A4C93", "other_reason": "#6B6B6B"}


def outcomes_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    year = result.year
    title = t("chart_outcomes_title", lang, year=year) + " · " + describe(result.state, None, lang)
    fig = base_layout(Figure(), lang, 400)
    cells, rows, labels, values, texts, hovers, colours = [], [], [], [], [], [], []
    for m, share, count in result.outcomes:
        label = measure_label(ds, m, lang)
        rows.append([label, _table_value(ds, share, lang) if share else t("not_published", lang),
                     cell_value(count, lang) if count else t("not_published", lang)])
        if share is None:
            continue
        cells.append(share)
        if count is not None:
            cells.append(count)
        labels.append(label), values.append(share.value)
        texts.append(_bar_text(share, lang) + (f" ({i18n.number(count.value, lang)})" if count else ""))
        hovers.append(hover(ds, share, lang, label) + (
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
            rows.append([measure_label(ds, key, lang), "", cell_value(c, lang)])
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
                     source_names(ds, cells))


# ---- SSB: one year after (its own definition, its own chart) -----------------------------------

def ssb_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    title = t("chart_ssb_title", lang)
    fig = base_layout(Figure(), lang, 400)
    cells, rows = [], []
    years = sorted({y for by in result.ssb_by_gender.values() for y, c in by.items() if c is not None})
    symbols = {"all": "diamond", "men": "circle", "women": "square"}
    dashes = {"all": "dot", "men": "solid", "women": "dash"}
    for g in ("all", "men", "women"):
        by = result.ssb_by_gender[g]
        xs = [y for y in years if by.get(y)]
        cs = [by[y] for y in xs]
        cells += cs
        fig.add_scatter(x=xs, y=[c.value for c in cs], name=t(f"gender_{g}", lang), mode="lines+markers",
                        line={"color": COLOURS[g], "width": 3, "dash": dashes[g]},
                        marker={"size": 10, "symbol": symbols[g]},
                        hovertext=[hover(ds, c, lang, t(f"gender_{g}", lang)) for c in cs], hoverinfo="text")
    for y in years:
        rows.append([str(y)] + [_table_value(ds, result.ssb_by_gender[g].get(y), lang)
                                for g in ("all", "men", "women")])
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    _percent_axis(fig, lang, t("axis_share_ssb", lang))
    if years:
        last = years[-1]
        parts = [f"{t(f'gender_{g}', lang).lower()} {cell_value(result.ssb_by_gender[g][last], lang)}"
                 for g in ("all", "men", "women") if result.ssb_by_gender[g].get(last)]
        caption = t("caption_ssb", lang, year=last, parts=", ".join(parts))
    else:
        caption = t("caption_empty", lang)
        fig = empty_figure(lang)
    return ChartSpec("ssb", title, fig, caption,
                     [t("col_year", lang), t("gender_all", lang), t("gender_men", lang), t("gender_women", lang)],
                     rows, cells, source_names(ds, cells),
                     ignored_filters_note(result.state, ("region", "gender", "education", "age"), lang))


def ssb_county_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    cells = result.ssb_by_county
    year = cells[0].year if cells else result.year
    title = t("chart_ssb_county_title", lang, year=year)
    fig = base_layout(Figure(), lang, max(300, 40 * len(cells) + 80))
    names = [regions.name(c.coords.region, c.year, lang) for c in cells]
    fig.add_bar(y=names[::-1], x=[c.value for c in cells][::-1], orientation="h",
                marker={"color": COLOURS["neutral"]}, text=[_bar_text(c, lang) for c in cells][::-1],
                textposition="outside", hovertext=[hover(ds, c, lang, n) for c, n in zip(cells, names)][::-1],
                hoverinfo="text", cliponaxis=False, showlegend=False)
    fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%" if lang != "en" else "%", gridcolor="#e3e3e3")
    fig.update_yaxes(gridcolor="white", automargin=True)
    rows = [[n, _table_value(ds, c, lang)] for n, c in zip(names, cells)]
    caption = "; ".join(f"{r[0]} {r[1]}" for r in rows) if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("ssb_county", title, fig, caption, [t("col_region", lang), t("col_value", lang)], rows,
                     list(cells), source_names(ds, cells),
                     ignored_filters_note(result.state, ("region", "gender"), lang))


# ---- participants by country of birth; education by gender -----------------------------------

def countries_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    from ..model.countries import country_name
    cells = result.countries
    year = cells[0].year if cells else result.year
    title = t("chart_countries_title", lang, year=year)
    names = [country_name(c.coords.country, lang) for c in cells]
    fig = base_layout(Figure(), lang, max(300, 44 * len(cells) + 80))
    fig.add_bar(y=names[::-1], x=[c.value for c in cells][::-1], orientation="h",
                marker={"color": COLOURS["neutral"]}, text=[cell_value(c, lang) for c in cells][::-1],
                textposition="outside", textfont={"size": 16},
                hovertext=[hover(ds, c, lang, n) for c, n in zip(cells, names)][::-1],
                hoverinfo="text", cliponaxis=False, showlegend=False)
    fig.update_xaxes(range=[0, max([c.value for c in cells] + [1]) * 1.3], gridcolor="#e3e3e3", tickformat=",d",
                     title={"text": t("axis_persons", lang), "font": {"size": 15}})
    fig.update_yaxes(gridcolor="white", automargin=True)
    rows = [[n, cell_value(c, lang)] for n, c in zip(names, cells)]
    caption = t("caption_countries", lang, year=year, parts=", ".join(f"{r[0]} {r[1]}" for r in rows)) \
        if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("countries", title, fig, caption, [t("col_country", lang), t("axis_persons", lang)], rows,
                     list(cells), source_names(ds, cells), ignored_filters_note(result.state, (), lang))


def education_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    year = result.year
    title = t("chart_education_title", lang, year=year)
    fig = base_layout(Figure(), lang, 380)
    cells, rows = [], []
    levels = [e for e, by in result.education_by_gender.items() if any(by.values())]
    for g in ("women", "men"):
        cs = [result.education_by_gender[e][g] for e in levels]
        xs = [t(f"education_{e}", lang) for e, c in zip(levels, cs) if c]
        vals = [c for c in cs if c]
        cells += vals
        fig.add_bar(x=xs, y=[c.value for c in vals], name=t(f"gender_{g}", lang),
                    marker={"color": COLOURS[g], "pattern": {"shape": "" if g == "men" else ".",
                                                             "fgcolor": "white", "solidity": 0.2, "fillmode": "overlay"}},
                    text=[_bar_text(c, lang) for c in vals], textposition="outside", textfont={"size": 16},
                    hovertext=[hover(ds, c, lang, t(f"gender_{g}", lang)) for c in vals], hoverinfo="text",
                    cliponaxis=False)
    fig.update_layout(barmode="group")
    _percent_axis(fig, lang, t("axis_share", lang))
    for e in levels:
        rows.append([t(f"education_{e}", lang)] + [_table_value(ds, result.education_by_gender[e][g], lang)
                                                   for g in ("women", "men")])
    caption = t("caption_education", lang, year=year, parts="; ".join(
        f"{r[0]}: {t('gender_women', lang).lower()} {r[1]}, {t('gender_men', lang).lower()} {r[2]}" for r in rows)) \
        if rows else t("caption_empty", lang)
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("education", title, fig, caption,
                     [t("col_education", lang), t("gender_women", lang), t("gender_men", lang)], rows, cells,
                     source_names(ds, cells))


# ---- a region against its county and the country ------------------------------------------------

def region_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    from ..model.uncertainty import difference_words
    rc = result.region
    state = result.state
    if rc is None:
        return ChartSpec("region", "", empty_figure(lang), "", [], [], [], [])
    label = measure_label(ds, rc.measure, lang)
    name = regions.name(rc.region, result.year, lang)
    title = t("chart_region_title" if rc.county else "chart_region_title_county", lang, region=name, measure=label)
    fig = base_layout(Figure(), lang, 420)
    years = sorted({y for line in rc.lines.values() for y, c in line.items() if c is not None})
    styles = {rc.region: ("#0B5CAD", "solid", 4, "circle"), "0": ("#222222", "dot", 2, "diamond")}
    if rc.county:
        styles[rc.county] = ("#B35C00", "dash", 2, "square")
    cells, rows = [], []
    for code, line in rc.lines.items():
        xs = [y for y in years if line.get(y) is not None]
        cs = [line[y] for y in xs]
        cells += cs
        colour, dash, width, symbol = styles[code]
        who = regions.name(code, result.year, lang)
        texts, hovers, err_plus, err_minus = [], [], [], []
        for c in cs:
            base = rc.bases.get(c.year) if code == rc.region else None
            text = cell_value(c, lang) + (f" ({i18n.number(base.value, lang)})" if base else "")
            texts.append(text if code == rc.region else "")
            h = hover(ds, c, lang, who)
            if base is not None:
                h += "<br>" + t("based_on", lang, n=i18n.number(base.value, lang))
            if code == rc.region and c.year in rc.intervals:
                lo, hi = rc.intervals[c.year]
                err_plus.append(hi - c.value), err_minus.append(c.value - lo)
                h += "<br>" + t("interval", lang, low=i18n.percent(round(lo, 1), lang, 1),
                                high=i18n.percent(round(hi, 1), lang, 1))
            else:
                err_plus.append(0), err_minus.append(0)
            hovers.append(h)
        fig.add_scatter(x=xs, y=[c.value for c in cs], name=who, mode="lines+markers+text", text=texts,
                        textposition="top center", line={"color": colour, "dash": dash, "width": width},
                        marker={"size": 11, "symbol": symbol, "color": colour}, hovertext=hovers,
                        hoverinfo="text", error_y={"type": "data", "array": err_plus, "arrayminus": err_minus,
                                                   "visible": any(err_plus), "color": colour, "thickness": 2},
                        connectgaps=False, cliponaxis=False)
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    _percent_axis(fig, lang, t("axis_share_ssb" if state.series == "ssb_one_year_after" else "axis_share", lang))
    for y in years:
        rows.append([str(y)] + [_table_value(ds, rc.lines[c].get(y), lang) for c in rc.lines])
    parts = []
    own = [(y, c) for y, c in rc.lines[rc.region].items() if c is not None]
    if own:
        y, c = own[-1]
        sentence = t("caption_region_latest", lang, region=name, year=y, value=cell_value(c, lang))
        base = rc.bases.get(y)
        country = rc.lines["0"].get(y)
        if base is not None:
            sentence += " " + t("based_on_sentence", lang, n=i18n.number(base.value, lang))
            if country is not None:
                sentence += " " + difference_words(c.value, base.value, country.value, lang).capitalize() + "."
        parts.append(sentence)
    else:
        parts.append(t("caption_region_none", lang, region=name))
    if rc.rank:
        pos, of, y = rc.rank
        key = "caption_region_rank" if len(rc.region) == 4 else "caption_region_rank_county"
        parts.append(t(key, lang, pos=pos, of=of, year=y))
    notes = regions.comparability(rc.region, [y for y, _ in own] or years, lang)
    caption = " ".join(parts + notes)
    columns = [t("col_year", lang)] + [regions.name(c, result.year, lang) for c in rc.lines]
    if not cells:
        fig = empty_figure(lang)
    return ChartSpec("region", title, fig, caption, columns, rows, cells, source_names(ds, cells))


# ---- the map -------------------------------------------------------------------------------------

def map_chart(result: Result, ds: Dataset, lang: str) -> ChartSpec:
    """Counties, or the municipalities of the chosen county, coloured by the view's main share."""
    from . import maps
    from ..model.query import coords_of
    state = result.state
    measure = result.series_measures["total"]
    year = result.year
    county = state.region[:2] if state.region != "0" else None
    level = "municipality" if county else "county"
    coords = coords_of(state)
    values = maps.values_for_map(ds, measure, year, level, coords) if year else {}
    if county:
        values = {c: v for c, v in values.items() if c.startswith(county)}
    fig, note = maps.map_figure(values, level, year, lang, selected=state.region if state.region != "0" else None,
                                county=county, ds=ds)
    where = regions.name(county, year, lang) if county else t("map_all_counties", lang)
    title = t("chart_map_title", lang, measure=measure_label(ds, measure, lang), where=where, year=year)
    cells = sorted(values.values(), key=lambda c: -c.value)
    names = [regions.name(c.coords.region, c.year, lang) for c in cells]
    rows = [[n, _table_value(ds, c, lang)] for n, c in zip(names, cells)]
    caption = (t("caption_map", lang, parts="; ".join(f"{r[0]} {cell_value(c, lang)}" for r, c in zip(rows, cells)))
               if cells else t("caption_map_none", lang, where=where, year=year))
    if not cells and not note:
        note = t("caption_map_none", lang, where=where, year=year)
    return ChartSpec("map", title, fig, caption, [t("col_region", lang), t("col_value", lang)], rows, cells,
                     source_names(ds, cells), note)


CHART_BUILDERS = {"trend": trend_chart, "groups": groups_chart, "outcomes": outcomes_chart, "ssb": ssb_chart,
                  "ssb_county": ssb_county_chart, "countries": countries_chart, "education": education_chart,
                  "region": region_chart, "map": map_chart}


def all_charts(result: Result, ds: Dataset, lang: str) -> dict[str, ChartSpec]:
    return {k: f(result, ds, lang) for k, f in CHART_BUILDERS.items()}
