"""The page's pieces as escaped HTML (fragments.py): key-figure cards, notices, tables, sources and each
chart's foot (sources, definitions, download links). Pure functions of query results and the language."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html
from markupsafe import Markup, escape

from ..model import cache, dimensions as dims
from ..model.query import KeyFigure, Missing, Result
from ..model.suppression import explanation
from ..model.uploads import is_user_source
from ..views import i18n, urls
from ..views.charts import ChartSpec, get as get_chart
from ..views.i18n import t
from ..views.state import ViewState
from ..views.text import cell_value, describe, formula, measure_label, slug
from .fragments import el


def key_figure_card(k: KeyFigure, meta, lang: str, year: int | None) -> Markup:
    label = measure_label(meta, k.measure, lang)
    if k.cell is None and k.hidden:
        why = explanation(lang, k.hidden)
        return el("div", el("p", label, class_="kf-label"), el("p", ":", class_="kf-value", title=why),
                  el("p", why, class_="kf-change kf-muted"), class_="kf-card")
    if k.cell is None:
        return el("div", el("p", label, class_="kf-label"),
                  el("p", t("card_not_published", lang), class_="kf-value kf-missing"), class_="kf-card")
    lines = [el("p", label, class_="kf-label"), el("p", cell_value(k.cell, lang), class_="kf-value")]
    if is_user_source(k.cell.source):
        src = meta.sources.get(k.cell.source)
        lines.append(el("p", t("your_figures_mark", lang, name=src.title if src else k.cell.source), class_="kf-user"))
    if k.cell.computed:
        lines.append(el("p", el("span", "*", aria_hidden="true"), f" {t('computed', lang)}: {formula(k.cell, lang)}",
                        class_="kf-computed"))
    if k.change is not None:
        lines += _change_lines(k, lang, year)
    elif year is not None:
        lines.append(el("p", t("card_no_previous", lang, year=year - 1), class_="kf-change kf-muted"))
    return el("div", *lines, class_="kf-card")


def _change_lines(k: KeyFigure, lang: str, year: int | None) -> list[Markup]:
    v = k.change.value
    words = i18n.points(v, lang, signed=False) if k.cell.unit == "percent" else i18n.persons(abs(v), lang)
    if k.change.approx:
        words = f"{t('approx', lang)} {words}"  # a change between rounded figures is rounded too
    key = "card_change_up" if v > 0 else "card_change_down" if v < 0 else "card_change_same"
    arrow = "▲" if v > 0 else "▼" if v < 0 else "●"
    lines = [el("p", el("span", arrow, class_="kf-arrow", aria_hidden="true"), " ",
                t(key, lang, change=words, year=(year or 0) - 1), class_="kf-change")]
    if k.change.computed:
        lines.append(el("p", t("card_computed_change", lang, formula=formula(k.change, lang)), class_="kf-computed"))
    return lines


def cards(result: Result, lang: str) -> list[Markup]:
    return [key_figure_card(k, result.meta, lang, result.year) for k in result.key_figures]


def notices(problems, result: Result, lang: str) -> list:
    out = [dbc.Alert(t("notice_invalid_param", lang, param=p.param, value=p.value), color="warning",
                     className="notice") for p in problems]
    if result.meta.origin == "user":
        out.append(dbc.Alert(t("notice_user_data", lang, name=result.meta.name), color="info", className="notice"))
    total_measure = result.series_measures["total"]
    missing = next((m for m in result.missing if m.measure == total_measure), None)
    if missing is not None:
        out.append(missing_notice(missing, result, lang))
    return out


def missing_notice(m: Missing, result: Result, lang: str) -> dbc.Alert:
    state = result.state
    where = describe(state.replace(year=m.year), m.year, lang)
    what = measure_label(result.meta, m.measure, lang)
    if m.suppressed:
        body = [html.P(t("notice_hidden", lang, what=what, where=where) + " " + explanation(lang, m.suppressed))]
    else:
        body = [html.P(t("notice_missing", lang, what=what, where=where))]
    if m.nearest:
        links = []
        for kept in m.nearest:
            alt = nearest_state(state, kept)
            links.append(html.Li(html.A(describe(alt, alt.year or result.year, lang), href=urls.page(alt))))
        body += [html.P(t("notice_nearest", lang)), html.Ul(links)]
    else:
        body.append(html.P(t("notice_nothing_near", lang)))
    return dbc.Alert(body, color="info", className="notice notice-missing")


def nearest_state(state: ViewState, kept: tuple[str, ...]) -> ViewState:
    """The view of a nearest published figure: the filters it keeps ('gender=women', 'year=2022'), the
    other category filters back at `all`."""
    changes: dict = {d: dims.ALL for d in dims.CATEGORY_IDS}
    for item in kept:
        k, v = item.split("=", 1)
        changes[k] = int(v) if dims.BY_ID.get(k) and dims.get(k).kind == dims.TIME else v
    return state.replace(**changes)


def definitions(result: Result, chart: str, lang: str) -> Markup:
    """The measures a chart explains; they follow only the chart, the series and the language."""
    key = (chart, lang, tuple(result.series_measures.items()))
    return cache.remembered(result.meta, "definitions", key, lambda: _definitions(result, chart, lang))


def _definitions(result: Result, chart: str, lang: str) -> Markup:
    ids = get_chart(chart).definitions(result.series_measures)
    measures = result.meta.measures
    return el("ul", *[el("li", el("strong", measures[m].label(lang) + ": "), measures[m].definition(lang))
                      for m in ids if m in measures])


def table(spec: ChartSpec) -> Markup:
    """A semantic table of the chart's numbers; a button in each header sorts it (assets/js)."""
    head = el("tr", *[el("th", el("button", c, type="button", class_="sort-btn"), scope="col", aria_sort="none")
                      for c in spec.columns])
    rows = [el("tr", el("th", r[0], scope="row"), *[el("td", v) for v in r[1:]]) for r in spec.rows]
    return el("table", el("caption", spec.title), el("thead", head), el("tbody", *rows),
              class_="table table-sm data-table")


def source_items(meta, specs, lang: str = "nb") -> list[Markup]:
    seen = {}
    for spec in specs:
        for c in spec.cells:
            for s in (c.source,) + tuple(i.source for i in c.inputs):
                seen.setdefault(s, meta.sources.get(s))
    items = []
    for sid, src in seen.items():
        if src is None:
            items.append(el("li", sid))
            continue
        text = f"{src.publisher}: {src.title} ({src.date})" if not is_user_source(sid) else \
            f"{t('your_figures', lang)}: {src.title}"
        link = el("a", text, href=src.url) if src.url.startswith(("https://", "http://")) else text
        items.append(el("li", link))
    return items


def chart_foot(spec: ChartSpec, result: Result, lang: str, images: bool = True) -> Markup:
    """The sources line, the definitions (a <details> that fragments.js keeps open across updates) and the
    chart's own download links, each carrying its id and every view option (urls.download). Written as
    one template (every value escaped), not with el(): each chart of every view has one, and el() costs
    about 3 µs an element (tests/web/test_pieces.py checks it against the el() version)."""
    chart, state = escape(spec.id), result.state
    name = slug(state, result.year, spec.id)
    kinds = [k for k in urls.DOWNLOADS if images or k not in urls.IMAGE_KINDS]
    user = result.meta.origin == "user"
    if user:  # with a user's file the link cannot carry it: a button asks the page's callback (dcc.Download)
        links = "".join(f'<button id="{chart}-{k}" type="button" class="chart-link btn btn-link p-0 user-download" '
                        f'data-chart="{chart}" data-kind="{k}">{escape(t(f"download_{k}", lang))}</button>'
                        for k in kinds)
    else:
        links = "".join(f'<a id="{chart}-{k}" href="{escape(urls.download(state, spec.id, k))}" class="chart-link" '
                        f'download="{escape(f"{name}.{k}")}">{escape(t(f"download_{k}", lang))}</a>' for k in kinds)
    if not images:
        links += f'<span class="chart-note">{escape(t("images_unavailable", lang))}</span>'
    sources = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
    return Markup(
        f'<p id="{chart}-sources" class="chart-sources">{escape(sources)}</p><div class="chart-actions">'
        f'<details id="{chart}-details" class="chart-details"><summary>{escape(t("definitions", lang))}</summary>'
        f'<div id="{chart}-defs" class="chart-defs">{definitions(result, spec.id, lang)}</div></details>'
        f'<div id="{chart}-downloads" class="chart-downloads"><span>{escape(t("download_label", lang))}</span>'
        f'{links}</div>{embed_offer(state, spec.id, lang, user)}</div>')


def embed_offer(state, chart: str, lang: str, user: bool) -> Markup:
    """The chart's embed page (a link to put in an iframe). It is a server page and the user's file stays in
    the browser, so while a file is loaded it says that the embed shows the published figures only. It opens
    in a tab of its own that keeps this one as its opener (rel=opener: the same site), so that the tab gets a
    copy of this session and the embed page can say the same (assets/js/embed.js)."""
    c = escape(chart)
    note = f' <span id="{c}-embed-note" class="chart-note">{escape(t("embed_published_only", lang))}</span>' \
        if user else ""
    return Markup(f'<p id="{c}-embed-offer" class="chart-embed"><a id="{c}-embed" href="{escape(urls.embed(state, chart))}" '
                  f'target="_blank" rel="opener" class="chart-embed-link">{escape(t("embed_link", lang))}</a>{note}</p>')
