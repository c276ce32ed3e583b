"""Thin glue: URL or controls -> ViewState -> query -> figures and text -> Dash outputs.

One callback owns the URL and the controls (dash-notes C.2, pattern A): a change of a control writes
the URL (a history entry), a change of the URL (first load, back/forward, a pasted link) sets the
controls; both render the view in the same round trip.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, callback_context, html, no_update

from . import i18n, regions
from .figures import ChartSpec, all_charts
from .i18n import t
from .layout import FILTERS, PAGE_CHARTS
from .query import KeyFigure, Missing, Result, query
from .state import ViewState
from .store import DataStore
from .text import cell_value, describe, findings, formula, measure_label, value_word
from .schema import ALLOWED, SERIES

CONTROL_IDS = [f"f-{n}" for n in FILTERS] + ["f-style"]


def parse_view(store: DataStore, search: str | None):
    ds = store.dataset
    return ViewState.from_query(search or "", years=ds.years, regions=region_codes(ds))


def region_codes(ds) -> set[str]:
    cache = ds.__dict__.setdefault("_region_codes", None)
    if cache is None:
        cache = set(ds.cells["region"].astype(str).unique()) | {"0"}
        ds.__dict__["_region_codes"] = cache
    return cache


def state_from_controls(current: ViewState, values: dict[str, str | None]) -> ViewState:
    """Overlay the controls on the current state, validating each value as if it came from a URL."""
    merged = dict(_pairs(current))
    for name, v in values.items():
        if v is None:
            continue
        merged[name] = str(v)
    if merged.get("year") in ("", "latest"):
        merged.pop("year")
    state, _ = ViewState.from_query(merged)
    return state


def _pairs(state: ViewState) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl
    return parse_qsl(state.to_query())


# ---- pieces of the page ----------------------------------------------------------------------

def filter_options(result: Result, ds, lang: str) -> dict[str, list[dict]]:
    av = result.availability
    s = result.state
    suffix = t("no_data_suffix", lang)

    def opts(dim, values, label):
        out = []
        for v in values:
            has = av.get(dim, {}).get(v, True)
            chosen = getattr(s, dim) == v
            out.append({"label": label(v) + ("" if has else suffix), "value": v, "disabled": not has and not chosen})
        return out

    latest = result.years[-1] if result.years else ""
    years = [{"label": t("latest_year", lang, year=latest), "value": "latest"}] + [
        {"label": str(y) + ("" if av["year"].get(str(y), False) else suffix), "value": str(y)}
        for y in reversed(result.years)]
    region_values = sorted(av.get("region", {"0": True}), key=lambda c: (len(c), c))
    return {
        "year": years,
        "region": opts("region", region_values,
                       lambda c: regions.name(c, result.year, lang) + (f" ({c})" if c != "0" else "")),
        "group": opts("group", ALLOWED["group"], lambda v: value_word("group", v, lang)),
        "gender": opts("gender", ALLOWED["gender"], lambda v: value_word("gender", v, lang)),
        "education": opts("education", ALLOWED["education"], lambda v: value_word("education", v, lang)),
        "age": opts("age", ALLOWED["age"], lambda v: value_word("age", v, lang)),
        "series": [{"label": t(f"series_{v}", lang), "value": v} for v in SERIES],
    }


def key_figure_card(k: KeyFigure, ds, lang: str, year: int | None) -> html.Div:
    label = measure_label(ds, k.measure, lang)
    if k.cell is None:
        return html.Div([html.P(label, className="kf-label"),
                         html.P(t("card_not_published", lang), className="kf-value kf-missing")], className="kf-card")
    value = cell_value(k.cell, lang)
    lines = [html.P(label, className="kf-label"), html.P(value, className="kf-value")]
    if k.cell.computed:
        lines.append(html.P([html.Span("*", **{"aria-hidden": "true"}), f" {t('computed', lang)}: {formula(k.cell, lang)}"],
                            className="kf-computed"))
    if k.change is not None:
        v = k.change.value
        words = i18n.points(v, lang, signed=False) if k.cell.unit == "percent" else i18n.persons(abs(v), lang)
        key = "card_change_up" if v > 0 else "card_change_down" if v < 0 else "card_change_same"
        arrow = "▲" if v > 0 else "▼" if v < 0 else "●"
        lines.append(html.P([html.Span(arrow, className="kf-arrow", **{"aria-hidden": "true"}), " ",
                             t(key, lang, change=words, year=(year or 0) - 1)], className="kf-change"))
        if k.change.computed:
            lines.append(html.P(t("card_computed_change", lang, formula=formula(k.change, lang)),
                                className="kf-computed"))
    elif year is not None:
        lines.append(html.P(t("card_no_previous", lang, year=year - 1), className="kf-change kf-muted"))
    return html.Div(lines, className="kf-card")


def notices(problems, result: Result, ds, lang: str, store: DataStore) -> list:
    out = []
    for p in problems:
        out.append(dbc.Alert(t("notice_invalid_param", lang, param=p.param, value=p.value), color="warning",
                             className="notice"))
    if ds.origin == "user":
        out.append(dbc.Alert(t("notice_user_data", lang, name=ds.name), color="info", className="notice"))
    total_measure = result.series_measures["total"]
    for m in result.missing:
        if m.measure != total_measure:
            continue
        out.append(missing_notice(m, result, ds, lang))
        break
    return out


def missing_notice(m: Missing, result: Result, ds, lang: str) -> dbc.Alert:
    state = result.state
    where = describe(state.replace(year=m.year), m.year, lang)
    body = [html.P(t("notice_missing", lang, what=measure_label(ds, m.measure, lang), where=where))]
    if m.nearest:
        links = []
        for kept in m.nearest:
            alt = nearest_state(state, kept)
            links.append(html.Li(html.A(describe(alt, alt.year or result.year, lang), href=alt.url())))
        body += [html.P(t("notice_nearest", lang)), html.Ul(links)]
    else:
        body.append(html.P(t("notice_nothing_near", lang)))
    return dbc.Alert(body, color="info", className="notice notice-missing")


def nearest_state(state: ViewState, kept: tuple[str, ...]) -> ViewState:
    changes = {d: "all" for d in ("group", "gender", "education", "age")}
    for item in kept:
        k, v = item.split("=", 1)
        changes[k] = int(v) if k == "year" else v
    return state.replace(**changes)


def definitions(result: Result, ds, lang: str, chart: str) -> list:
    parts = result.series_measures
    if chart in ("ssb", "ssb_county"):
        ids = ["in_work_or_education_1y"]
    elif chart == "countries":
        ids = ["participants"]
    elif chart == "outcomes":
        ids = ["to_work", "to_education", "to_primary_school", "to_labour_measures", "other_reason"]
    else:
        ids = [parts["work"], parts["education"], parts["total"]]
    items = [html.Li([html.Strong(ds.measures[m].label(lang) + ": "), ds.measures[m].definition(lang)])
             for m in ids if m in ds.measures]
    return [html.Ul(items)]


def table(spec: ChartSpec) -> html.Table:
    return html.Table([
        html.Caption(spec.title),
        html.Thead(html.Tr([html.Th(c, scope="col") for c in spec.columns])),
        html.Tbody([html.Tr([html.Th(r[0], scope="row")] + [html.Td(v) for v in r[1:]]) for r in spec.rows]),
    ], className="table table-sm data-table")


def source_items(ds, specs: dict[str, ChartSpec]) -> list:
    seen = {}
    for spec in specs.values():
        for c in spec.cells:
            for s in (c.source,) + tuple(i.source for i in c.inputs):
                seen.setdefault(s, ds.sources.get(s))
    items = []
    for sid, src in seen.items():
        if src is None:
            items.append(html.Li(sid))
            continue
        text = f"{src.publisher}: {src.title} ({src.date})"
        link = html.A(text, href=src.url) if src.url.startswith(("https://", "http://")) else text
        items.append(html.Li(link))
    return items


# ---- registration ----------------------------------------------------------------------------

def chart_outputs() -> list[Output]:
    outs = []
    for c in PAGE_CHARTS:
        outs += [Output(f"{c}-title", "children"), Output(f"{c}-graph", "figure"), Output(f"{c}-caption", "children"),
                 Output(f"{c}-table", "children"), Output(f"{c}-table", "hidden"), Output(f"{c}-chartbox", "hidden"),
                 Output(f"{c}-sources", "children"), Output(f"{c}-defs", "children"), Output(f"{c}-csv", "href")]
    return outs


def render(store: DataStore, state: ViewState, problems) -> list:
    """Every output of the view, in the order of `chart_outputs` after the fixed ones."""
    ds = store.dataset
    lang = state.lang
    result = query(ds, state)
    specs = all_charts(result, ds, lang)
    opts = filter_options(result, ds, lang)
    values = {"year": "latest" if state.year is None else str(state.year), "region": state.region, "group": state.group,
              "gender": state.gender, "education": state.education, "age": state.age, "series": state.series}
    out = []
    for n in FILTERS:
        out += [values[n], opts[n]]
    out += [state.style, [{"label": t("style_bar", lang), "value": "bar"}, {"label": t("style_line", lang), "value": "line"}]]
    out += [notices(problems, result, ds, lang, store),
            [key_figure_card(k, ds, lang, result.year) for k in result.key_figures],
            [html.Li(s) for s in findings(result, ds, lang)]]
    other = "en" if lang == "nb" else "nb"
    out += [state.replace(lang=other).url(), t("lang_switch", lang), other, "/data.csv" + _q(state),
            source_items(ds, specs)]
    table_view = state.view == "table"
    for c in PAGE_CHARTS:
        spec = specs[c]
        out += [spec.title, spec.figure, spec.caption, table(spec), not table_view, table_view,
                t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else "",
                definitions(result, ds, lang, c), "/data.csv" + _q(state)]
    return out


def _q(state: ViewState) -> str:
    q = state.replace(style="bar", view="chart").to_query()
    return f"?{q}" if q else ""


def register(app, store: DataStore) -> None:
    fixed_outputs = [Output("url", "search")]
    for n in FILTERS:
        fixed_outputs += [Output(f"f-{n}", "value"), Output(f"f-{n}", "options")]
    fixed_outputs += [Output("f-style", "value"), Output("f-style", "options"),
                      Output("notices", "children"), Output("cards", "children"), Output("findings", "children"),
                      Output("lang-link", "href"), Output("lang-link", "children"), Output("lang-link", "lang"), Output("download-all", "href"),
                      Output("source-list", "children")]
    inputs = [Input("url", "search")] + [Input(i, "value") for i in CONTROL_IDS] + [Input("reset", "n_clicks")]

    @app.callback(fixed_outputs + chart_outputs(), inputs)
    def view(search, *controls):
        trig = callback_context.triggered_id
        current, problems = parse_view(store, search)
        if trig == "reset":
            state = ViewState(lang=current.lang)
            problems = []
        elif trig in CONTROL_IDS:
            names = FILTERS + ("style",)
            state = state_from_controls(current, dict(zip(names, controls[:-1])))
            problems = []
        else:
            state = current
        new_search = ("?" + state.to_query()) if state.to_query() else ""
        url_out = new_search if (trig in CONTROL_IDS or trig == "reset") and new_search != (search or "") else no_update
        return [url_out] + render(store, state, problems)

    @app.callback(Output({"type": "i18n", "key": ALL}, "children"), Input("url", "search"))
    def translate(search):
        state, _ = ViewState.from_query(search or "")
        keys = [o["id"]["key"] for o in callback_context.outputs_list]
        return [t(k.split("-")[0] if k.startswith("definitions-") else k, state.lang) for k in keys]

    # <html lang> and the document title follow the language (a function in assets/, so CSP needs no hash).
    app.clientside_callback(ClientsideFunction("dashboard", "setLang"), Output("lang-sink", "children"),
                            Input("lang-link", "lang"))
