"""A region against its county and the whole country, over the years."""
from __future__ import annotations

from ...model.query import Result
from .. import i18n
from ..i18n import t
from ..plotfig import Figure
from ...model import regions
from ..text import cell_value, measure_label, source_names
from .base import (Chart, ChartSpec, base_layout, empty_figure, full_years, hover, outcome_parts, percent_axis,
                   table_value)


def _line_styles(rc) -> dict[str, tuple[str, str, int, str]]:
    """(colour, dash, width, marker) of the region, its county and the country."""
    styles = {rc.region: ("#0B5CAD", "solid", 4, "circle"), "0": ("#222222", "dot", 2, "diamond")}
    if rc.county:
        styles[rc.county] = ("#B35C00", "dash", 2, "square")
    return styles


def _add_line(fig: Figure, result: Result, code: str, years: list[int], style, lang: str) -> list:
    """One region's line: the region's own with its persons behind and its intervals. Gives its cells."""
    meta, rc = result.meta, result.region
    line = rc.lines[code]
    cs = [line[y] for y in years if line.get(y) is not None]
    colour, dash, width, symbol = style
    who = regions.name(code, result.year, lang)
    texts, hovers, err_plus, err_minus = [], [], [], []
    for c in cs:
        base = rc.bases.get(c.year) if code == rc.region else None
        text = cell_value(c, lang) + (f" ({i18n.number(base.value, lang)})" if base else "")
        texts.append(text if code == rc.region else "")
        h = hover(meta, c, lang, who) + other_code_hover(c, code, lang)
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
    # Every year on the axis, None where there is no figure: a line never crosses a gap.
    xs, ys, texts, hovers, err_plus, err_minus = _with_gaps(years, line, texts, hovers, err_plus, err_minus)
    fig.add_scatter(x=xs, y=ys, name=who, mode="lines+markers+text", text=texts,
                    textposition="top center", line={"color": colour, "dash": dash, "width": width},
                    marker={"size": 11, "symbol": symbol, "color": colour}, hovertext=hovers,
                    hoverinfo="text", error_y={"type": "data", "array": err_plus, "arrayminus": err_minus,
                                               "visible": any(err_plus), "color": colour, "thickness": 2},
                    connectgaps=False, cliponaxis=False)
    return cs


def _caption(result: Result, name: str, years: list[int], lang: str) -> str:
    """The region's latest figure, the persons behind it and how it differs from the country; its rank;
    and what changed in its borders."""
    from ...model.uncertainty import difference_words
    rc = result.region
    parts = []
    own = [(y, c) for y, c in rc.lines[rc.region].items() if c is not None]
    if own:
        y, c = own[-1]
        sentence = t("caption_region_latest", lang, region=name, year=y, value=cell_value(c, lang))
        base = rc.bases.get(y)
        national = rc.lines["0"].get(y)
        if base is not None:
            sentence += " " + t("based_on_sentence", lang, n=i18n.number(base.value, lang))
            if national is not None:
                sentence += " " + difference_words(c.value, base.value, national.value, lang).capitalize() + "."
        parts.append(sentence)
    else:
        parts.append(t("caption_region_none", lang, region=name))
    if rc.rank:
        pos, of, y = rc.rank
        key = "caption_region_rank" if len(rc.region) == 4 else "caption_region_rank_county"
        parts.append(t(key, lang, pos=pos, of=of, year=y))
    # comparability() gives sentences without their full stop (they are also listed on their own)
    notes = [n if n.endswith(".") else n + "." for n in regions.comparability(rc.region, [y for y, _ in own] or years, lang)]
    drawn = {code: any(c is not None for c in line.values()) for code, line in rc.lines.items()}
    return " ".join(parts + notes + other_code_notes(rc, result.year, lang)
                    + not_drawn_notes(rc, drawn, years, result.year, lang))


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    rc = result.region
    state = result.state
    if rc is None:
        return ChartSpec("region", "", empty_figure(lang), "", [], [], [], [])
    label = measure_label(meta, rc.measure, lang)
    name = regions.name(rc.region, result.year, lang)
    years = sorted({y for line in rc.lines.values() for y, c in line.items() if c is not None})
    drawn = {code: any(c is not None for c in line.values()) for code, line in rc.lines.items()}
    title = _title(rc, drawn, name, label, lang)
    fig = base_layout(Figure(), lang, 420)
    styles = _line_styles(rc)
    cells = []
    for code in (c for c in rc.lines if drawn[c]):
        cells += _add_line(fig, result, code, years, styles[code], lang)
    fig.update_xaxes(tickmode="array", tickvals=years, title={"text": t("axis_year", lang), "font": {"size": 15}})
    percent_axis(fig, lang, t("axis_share_ssb" if state.series == "ssb_one_year_after" else "axis_share", lang))
    rows = [[str(y)] + [table_value(meta, rc.lines[c].get(y), lang) + other_code_mark(rc.lines[c].get(y), c, lang)
                        for c in rc.lines if drawn[c]] for y in years]
    caption = _caption(result, name, years, lang)
    columns = [t("col_year", lang)] + [regions.name(c, result.year, lang) for c in rc.lines if drawn[c]]
    if not cells:
        fig = empty_figure(lang)
    # The persons behind the region's shares are drawn beside them ("41 % (27)"): its files hold them too.
    drawn_bases = [b for y, b in sorted(rc.bases.items()) if rc.lines[rc.region].get(y) is not None]
    return ChartSpec("region", title, fig, caption, columns, rows, cells + drawn_bases, source_names(meta, cells, lang))


def _title(rc, drawn: dict, name: str, label: str, lang: str) -> str:
    """A county or the country is named in the title only if it is drawn; else the caption says why not."""
    if not drawn.get("0"):
        return t("chart_region_title_alone", lang, region=name, measure=label)
    key = "chart_region_title" if rc.county and drawn.get(rc.county) else "chart_region_title_county"
    return t(key, lang, region=name, measure=label)


def _with_gaps(years, line, texts, hovers, err_plus, err_minus):
    """The trace's arrays over every year of the axis, None (and '') where the line has no figure."""
    it = iter(zip(texts, hovers, err_plus, err_minus))
    xs, ys, tx, hv, ep, em = [], [], [], [], [], []
    for y in full_years(years):
        c = line.get(y)
        t_, h, p, m = next(it) if c is not None else ("", "", 0, 0)
        xs.append(y), ys.append(c.value if c is not None else None), tx.append(t_), hv.append(h)
        ep.append(p), em.append(m)
    return xs, ys, tx, hv, ep, em


def other_code_hover(cell, code: str, lang: str) -> str:
    if cell.coords.region == code:
        return ""
    return "<br>" + t("hover_other_code", lang, name=regions.name(cell.coords.region, cell.year, lang),
                      code=cell.coords.region)


def other_code_mark(cell, code: str, lang: str) -> str:
    """' (tall for 0219)' in the table where a line follows its predecessor's code."""
    if cell is None or cell.coords.region == code:
        return ""
    return " " + t("table_other_code", lang, code=cell.coords.region)


def other_code_notes(rc, year, lang: str) -> list[str]:
    """'Tallene for 2016–2019 gjelder Bærum (0219): samme område, et annet nummer.' for each line."""
    out = []
    for code, line in rc.lines.items():
        by_code: dict[str, list[int]] = {}
        for y, c in sorted(line.items()):
            if c is not None and c.coords.region != code:
                by_code.setdefault(c.coords.region, []).append(y)
        for other, ys in by_code.items():
            span = f"{ys[0]}–{ys[-1]}" if ys[0] != ys[-1] else str(ys[0])
            out.append(t("caption_other_code", lang, years=span, name=regions.name(other, ys[0], lang), code=other,
                         region=regions.name(code, year, lang)))
    return out


def not_drawn_notes(rc, drawn, years, year, lang: str) -> list[str]:
    """'Ingen tall for Agder i 2022.' for the county or the country the chart would compare with."""
    span = (f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])) if years else str(year)
    return [t("caption_line_missing", lang, region=regions.name(c, year, lang), years=span)
            for c in rc.lines if c != rc.region and not drawn[c]]


CHART = Chart("region", build, needs=("region",), definitions=outcome_parts)
