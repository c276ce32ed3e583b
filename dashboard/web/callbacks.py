"""Thin glue: URL or controls -> ViewState -> query -> figures and text -> Dash outputs.

One callback owns the URL and the controls (dash-notes C.2, pattern A): a change of a control writes
the URL (a history entry), a change of the URL (first load, back/forward, a pasted link) sets the
controls; both render the view in the same round trip.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback_context, html, no_update
from markupsafe import Markup

from ..views import i18n, maps, presentation

from ..model import regions, uploads
from ..model.dataset import DataError, Dataset
from ..views.exports import cells_to_csv
from .fragments import el, to_html
from ..views.figures import CHART_BUILDERS, ChartSpec, all_charts, empty_figure
from ..views.i18n import t
from .layout import DOWNLOADS, FILTERS, PAGE_CHARTS
from ..model.query import KeyFigure, Missing, Result, query
from ..views.state import ViewState
from ..model.store import DataStore
from ..views.text import cell_value, describe, findings, formula, measure_label, slug, source_names, value_word
from ..model.schema import ALLOWED, SERIES


def upload_limit() -> int:
    """The `max_upload_bytes` setting (security.install puts it in the Flask config)."""
    import flask
    if flask.has_app_context():
        return int(flask.current_app.config.get("MAX_UPLOAD_BYTES", uploads.MAX_UPLOAD_BYTES))
    return uploads.MAX_UPLOAD_BYTES


def user_data(store: DataStore, user) -> "Dataset":
    """The user's own dataset when one is loaded (and still valid), else the published one."""
    if isinstance(user, dict) and isinstance(user.get("contents"), str):
        try:
            return uploads.user_dataset(user["contents"], str(user.get("name", "fil")), store.dataset,
                                        max_bytes=upload_limit())
        except DataError:
            pass
    return store.dataset


def parse_view(store: DataStore, search: str | None):
    ds = store.dataset
    return ViewState.from_query(search or "", years=ds.years, regions=region_codes(ds))


def region_codes(ds) -> set[str]:
    """Codes a link may name: any region of the data or of the classification (a region without figures
    is a valid choice: the page then says what is published nearby)."""
    cache = ds.__dict__.setdefault("_region_codes", None)
    if cache is None:
        cache = set(ds.cells["region"].astype(str).unique()) | {"0"} | {r.code for r in regions.all_regions()}
        ds.__dict__["_region_codes"] = cache
    return cache


def resolve_region(text: str, year: int | None) -> str | None:
    """'Bærum (3201, 2024–)' or '3201' or 'bærum' -> '3201'."""
    if not isinstance(text, str):
        return None  # a hand-made request may send anything
    m = re.search(r"\((\d{1,4})\b", text or "")
    if m:
        return m.group(1)
    text = (text or "").strip()
    if not text:
        return None
    found = regions.search(text, year or 2024, limit=1)
    return found[0].code if found else None


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


def key_figure_card(k: KeyFigure, ds, lang: str, year: int | None) -> Markup:
    label = measure_label(ds, k.measure, lang)
    if k.cell is None and k.hidden:
        from ..model.suppression import explanation
        why = explanation(lang, k.hidden)
        return el("div", el("p", label, class_="kf-label"), el("p", ":", class_="kf-value", title=why),
                  el("p", why, class_="kf-change kf-muted"), class_="kf-card")
    if k.cell is None:
        return el("div", el("p", label, class_="kf-label"),
                  el("p", t("card_not_published", lang), class_="kf-value kf-missing"), class_="kf-card")
    lines = [el("p", label, class_="kf-label"), el("p", cell_value(k.cell, lang), class_="kf-value")]
    if k.cell.computed:
        lines.append(el("p", el("span", "*", aria_hidden="true"), f" {t('computed', lang)}: {formula(k.cell, lang)}",
                        class_="kf-computed"))
    if k.change is not None:
        v = k.change.value
        words = i18n.points(v, lang, signed=False) if k.cell.unit == "percent" else i18n.persons(abs(v), lang)
        if k.change.approx:
            words = f"{t('approx', lang)} {words}"  # a change between rounded figures is rounded too
        key = "card_change_up" if v > 0 else "card_change_down" if v < 0 else "card_change_same"
        arrow = "▲" if v > 0 else "▼" if v < 0 else "●"
        lines.append(el("p", el("span", arrow, class_="kf-arrow", aria_hidden="true"), " ",
                        t(key, lang, change=words, year=(year or 0) - 1), class_="kf-change"))
        if k.change.computed:
            lines.append(el("p", t("card_computed_change", lang, formula=formula(k.change, lang)), class_="kf-computed"))
    elif year is not None:
        lines.append(el("p", t("card_no_previous", lang, year=year - 1), class_="kf-change kf-muted"))
    return el("div", *lines, class_="kf-card")


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
    if m.suppressed:
        from ..model.suppression import explanation
        body = [html.P(t("notice_hidden", lang, what=measure_label(ds, m.measure, lang), where=where) + " "
                       + explanation(lang, m.suppressed))]
    else:
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


def definitions(result: Result, ds, lang: str, chart: str) -> Markup:
    parts = result.series_measures
    if chart in ("ssb", "ssb_county"):
        ids = ["in_work_or_education_1y"]
    elif chart == "countries":
        ids = ["participants"]
    elif chart == "outcomes":
        ids = ["to_work", "to_education", "to_primary_school", "to_labour_measures", "other_reason"]
    else:
        ids = [parts["work"], parts["education"], parts["total"]]
    return el("ul", *[el("li", el("strong", ds.measures[m].label(lang) + ": "), ds.measures[m].definition(lang))
                      for m in ids if m in ds.measures])


def chart_definitions(result: Result, ds, lang: str, chart: str) -> Markup:
    """definitions(), remembered per dataset: they follow only the series and the language."""
    cache = ds.__dict__.setdefault("_definitions", {})
    key = (chart, lang, tuple(sorted(result.series_measures.items())))
    if key not in cache:
        cache[key] = definitions(result, ds, lang, chart)
    return cache[key]


def table(spec: ChartSpec) -> Markup:
    """A semantic table of the chart's numbers; a button in each header sorts it (assets/js)."""
    head = el("tr", *[el("th", el("button", c, type="button", class_="sort-btn"), scope="col", aria_sort="none")
                      for c in spec.columns])
    rows = [el("tr", el("th", r[0], scope="row"), *[el("td", v) for v in r[1:]]) for r in spec.rows]
    return el("table", el("caption", spec.title), el("thead", head), el("tbody", *rows),
              class_="table table-sm data-table")


def source_items(ds, specs: dict[str, ChartSpec]) -> list[Markup]:
    seen = {}
    for spec in specs.values():
        for c in spec.cells:
            for s in (c.source,) + tuple(i.source for i in c.inputs):
                seen.setdefault(s, ds.sources.get(s))
    items = []
    for sid, src in seen.items():
        if src is None:
            items.append(el("li", sid))
            continue
        text = f"{src.publisher}: {src.title} ({src.date})"
        link = el("a", text, href=src.url) if src.url.startswith(("https://", "http://")) else text
        items.append(el("li", link))
    return items


# ---- registration ----------------------------------------------------------------------------

def output_keys() -> list[tuple[str, str]]:
    """Every (component, property) the view callback sets, in one fixed order."""
    keys = [("url", "search")]
    for n in FILTERS:
        keys += [(f"f-{n}", "value"), (f"f-{n}", "options")]
    keys += [("f-style", "value"), ("f-style", "options"), ("f-view", "value"), ("f-view", "options"),
             ("notices", "html"), ("cards", "html"), ("findings", "html"),
             ("lang-link", "href"), ("lang-link", "children"), ("lang-link", "lang"), ("present-link", "href"),
             ("download-all", "href"), ("source-list", "html"), ("page", "hidden"), ("solo", "hidden"),
             ("solo-title", "children"), ("solo-subtitle", "children"), ("solo-graph", "figure"),
             ("solo-chartbox", "hidden"), ("solo-cards", "html"), ("solo-table", "html"),
             ("solo-table", "hidden"), ("solo-caption", "children"), ("solo-source", "children"),
             ("solo-nav", "hidden"), ("solo-prev", "href"), ("solo-prev", "children"), ("solo-next", "href"),
             ("solo-next", "children"), ("solo-exit", "href"), ("solo-exit", "children"), ("solo-counter", "children"),
             ("solo-back", "href"), ("solo-back", "children"), ("solo-back", "hidden"), ("app-root", "className"),
             ("section-region", "hidden"), ("download-all", "hidden"), ("download-user", "hidden")]
    for c in PAGE_CHARTS:
        keys += [(f"{c}-head", "html"), (f"{c}-graph", "figure"), (f"{c}-caption", "html"), (f"{c}-foot", "html")]
    return keys


# A view is a pure function of (dataset, state): remember the last few hundred per dataset, so going back to a
# view, or a second user asking for the same one, costs a dictionary look-up. The cache lives on the dataset
# object, so a reload or an upload starts afresh and a user's data is never served to anyone else.
VIEW_CACHE_SIZE = 256
_cache_lock = threading.Lock()


def memo(ds, kind: str, key, compute):
    cache = ds.__dict__.setdefault("_memo", OrderedDict())
    k = (kind, key)
    with _cache_lock:
        if k in cache:
            cache.move_to_end(k)
            return cache[k]
    value = compute()
    with _cache_lock:
        cache[k] = value
        while len(cache) > VIEW_CACHE_SIZE:
            cache.popitem(last=False)
    return value


def memo_peek(ds, kind: str, key):
    """A remembered value, or None: never computes."""
    with _cache_lock:
        return ds.__dict__.get("_memo", {}).get((kind, key))


# Outputs compared with the previous view's before sending: a figure, a list of options or a text
# that did not change costs the network nothing and the browser no redraw.
DIFFABLE = (str, bool, int, float, list, dict, type(None))


def unchanged_as_no_update(out: dict, previous: dict | None) -> dict:
    if previous is None:
        return out
    for k, v in out.items():
        if k not in previous:
            continue
        before = previous[k]
        if isinstance(v, DIFFABLE) and isinstance(before, DIFFABLE):
            same = before == v
        else:  # Dash components (definitions, source lists): compare what would be sent
            same = repr(before) == repr(v)
        if same:
            out[k] = no_update
    return out


def cached_query(ds, state: ViewState) -> Result:
    return memo(ds, "query", state, lambda: query(ds, state))


def render(store: DataStore, state: ViewState, problems, ds=None) -> dict[tuple[str, str], object]:
    """Every output of the view; a key left out stays as it is on the page. `ds`: a user's own data."""
    ds = ds if ds is not None else store.dataset
    out = dict(memo(ds, "view", state, lambda: _render(store, ds, state)))
    if not (state.present or state.embed):
        out[("notices", "html")] = to_html(notices(problems, cached_query(ds, state), ds, state.lang, store))
    return out


def _render(store: DataStore, ds, state: ViewState) -> dict[tuple[str, str], object]:
    lang = state.lang
    out: dict[tuple[str, str], object] = {}
    solo_mode = state.present or state.embed
    out[("page", "hidden")] = solo_mode
    out[("solo", "hidden")] = not solo_mode
    out[("app-root", "className")] = "app-root" + (" presenting" if state.present else "") + (
        " embedded" if state.embed else "") + (" view-table" if state.view == "table" and not solo_mode else "")
    if solo_mode:
        out.update(render_solo(store, state, ds))
        return out
    result = cached_query(ds, state)
    specs = all_charts(result, ds, lang)
    opts = filter_options(result, ds, lang)
    values = {"year": "latest" if state.year is None else str(state.year), "region": state.region,
              "group": state.group, "gender": state.gender, "education": state.education, "age": state.age,
              "series": state.series}
    for n in FILTERS:
        out[(f"f-{n}", "value")] = values[n]
        out[(f"f-{n}", "options")] = opts[n]
    out[("f-style", "value")] = state.style
    out[("f-style", "options")] = [{"label": t(f"style_{v}", lang), "value": v} for v in ("bar", "line")]
    out[("f-view", "value")] = state.view
    out[("f-view", "options")] = [{"label": t(f"view_{v}", lang), "value": v} for v in ("chart", "table")]
    out[("cards", "html")] = to_html([key_figure_card(k, ds, lang, result.year) for k in result.key_figures])
    out[("findings", "html")] = to_html([el("li", s) for s in findings(result, ds, lang)])
    other = "en" if lang == "nb" else "nb"
    out[("lang-link", "href")] = state.replace(lang=other).url()
    out[("lang-link", "children")] = t("lang_switch", lang)
    out[("lang-link", "lang")] = other
    out[("present-link", "href")] = state.replace(present=True, slide=0).url()
    out[("download-all", "href")] = "data.csv" + _q(state)
    out[("source-list", "html")] = to_html(source_items(ds, specs))
    table_view = state.view == "table"  # app-root's class shows tables instead of charts (CSS)
    out[("section-region", "hidden")] = state.region == "0"
    user = ds.origin == "user"
    out[("download-all", "hidden")] = user
    out[("download-user", "hidden")] = not user
    for c in PAGE_CHARTS:
        spec = specs[c]
        title = t("your_data_title", lang, title=spec.title) if user else spec.title
        out[(f"{c}-head", "html")] = to_html([el("h2", title, id=f"{c}-title", class_="chart-title"),
                                              el("p", spec.note, id=f"{c}-note", class_="chart-note")])
        out[(f"{c}-graph", "figure")] = spec.figure
        # The table only in the table view (a hidden table is work for nothing), in the figure's caption.
        out[(f"{c}-caption", "html")] = to_html([spec.caption] + (
            [el("div", table(spec), id=f"{c}-table", class_="chart-table table-responsive")] if table_view else []))
        out[(f"{c}-foot", "html")] = to_html(chart_foot(spec, state, result, ds, c, lang, user))
    return out


def chart_foot(spec: ChartSpec, state: ViewState, result: Result, ds, chart: str, lang: str, user: bool) -> Markup:
    """The sources line, the definitions (a <details> that fragments.js keeps open across updates) and the
    download links (named for the view; hidden for a user's own data: the routes serve the published data)."""
    name = slug(state, result.year, chart)
    chart_q, data_q = _q(state.replace(chart=chart)), _q(state)
    links = [el("a", t(f"download_{kind}", lang), id=f"{chart}-{kind}", href=path + (data_q if kind == "csv" else chart_q),
                class_="chart-link", download=f"{name}.{kind}") for kind, path in DOWNLOADS]
    sources = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
    return el("p", sources, id=f"{chart}-sources", class_="chart-sources") + el(
        "div",
        el("details", el("summary", t("definitions", lang)),
           el("div", chart_definitions(result, ds, lang, chart), id=f"{chart}-defs", class_="chart-defs"),
           id=f"{chart}-details", class_="chart-details"),
        el("div", el("span", t("download_label", lang)), *links, id=f"{chart}-downloads", class_="chart-downloads",
           hidden=user),
        class_="chart-actions")


def render_solo(store: DataStore, state: ViewState, ds=None) -> dict:
    """Presentation (one slide of a deck) or embed (one chart with a link back)."""
    ds = ds if ds is not None else store.dataset
    lang = state.lang
    view = presentation.slide_state(state) if state.present else state.replace(embed=False)
    result = query(ds, view)
    out: dict = {}
    chart = view.chart if view.chart in CHART_BUILDERS or view.chart == "cards" else "trend"
    subtitle = describe(view, result.year, lang)
    if chart == "cards":
        out[("solo-title", "children")] = t("key_figures", lang)
        out[("solo-cards", "html")] = to_html([key_figure_card(k, ds, lang, result.year) for k in result.key_figures])
        out[("solo-chartbox", "hidden")] = True
        out[("solo-caption", "children")] = " ".join(findings(result, ds, lang)[:2])
        out[("solo-source", "children")] = t("source_line", lang, sources="; ".join(
            source_names(ds, [k.cell for k in result.key_figures if k.cell])))
        out[("solo-table", "hidden")] = True
        out[("solo-graph", "figure")] = empty_figure(lang)
    else:
        spec = CHART_BUILDERS[chart](result, ds, lang)
        large = state.present
        out[("solo-title", "children")] = spec.title.split(" · ")[0]
        out[("solo-graph", "figure")] = solo_figure(spec.figure, large)
        out[("solo-cards", "html")] = ""
        out[("solo-caption", "children")] = spec.caption
        out[("solo-source", "children")] = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
        table_view = view.view == "table"
        out[("solo-chartbox", "hidden")] = table_view
        out[("solo-table", "html")] = to_html(table(spec))
        out[("solo-table", "hidden")] = not table_view
    out[("solo-subtitle", "children")] = subtitle
    n = len(presentation.slides(state))
    out[("solo-nav", "hidden")] = not state.present
    out[("solo-prev", "href")] = presentation.step(state, -1).url()
    out[("solo-prev", "children")] = t("present_prev", lang)
    out[("solo-next", "href")] = presentation.step(state, +1).url()
    out[("solo-next", "children")] = t("present_next", lang)
    out[("solo-exit", "href")] = presentation.exit_state(state).url()
    out[("solo-exit", "children")] = t("present_exit", lang)
    out[("solo-counter", "children")] = t("present_counter", lang, n=min(state.slide, n - 1) + 1, total=n)
    out[("solo-back", "href")] = presentation.full_view(state).url()
    out[("solo-back", "children")] = t("embed_back", lang)
    out[("solo-back", "hidden")] = not state.embed
    return out


def solo_figure(fig, large: bool):
    """The same figure, sized to its frame; in presentation mode with type readable from the back of a room."""
    fig = fig.copy()
    fig["layout"].pop("height", None)  # fill the frame
    fig.update_layout(autosize=True)
    if large:
        fig.update_layout(font={"size": 24}, legend={"font": {"size": 24}}, hoverlabel={"font": {"size": 22}},
                          margin={"l": 90, "r": 40, "t": 40, "b": 90})
        fig.update_traces(selector={"type": "bar"}, textfont={"size": 24})
        fig.update_traces(selector={"type": "scatter"}, textfont={"size": 24})
        fig.update_xaxes(tickfont={"size": 24}, title={"font": {"size": 24}})
        fig.update_yaxes(tickfont={"size": 24}, title={"font": {"size": 24}})
    return fig


def _q(state: ViewState) -> str:
    q = state.replace(style="bar", view="chart").to_query() if state.chart == "trend" else \
        state.replace(view="chart").to_query()
    return f"?{q}" if q else ""


CONTROLS = FILTERS + ("style", "view")
CONTROL_IDS = [f"f-{n}" for n in CONTROLS]


def register(app, store: DataStore) -> None:
    keys = output_keys()
    keys = keys + [("f-region-search", "value")]
    inputs = [Input("url", "search")] + [Input(i, "value") for i in CONTROL_IDS] + [
        Input("reset", "n_clicks"), Input("f-region-search", "value"), Input("map-graph", "clickData"),
        Input("user-data", "data")]

    @app.callback([Output(i, p) for i, p in keys], inputs)
    def view(search, *controls):
        trig = callback_context.triggered_id
        controls, user = controls[:-1], controls[-1]
        ds = user_data(store, user)
        current, problems = ViewState.from_query(search or "", years=ds.years, regions=region_codes(ds))
        controls, typed, clicked = controls[:-2], controls[-2], controls[-1]
        not_found = None
        if trig == "map-graph":
            code = maps.code_from_click(clicked)
            state = current.replace(region=code) if code in region_codes(store.dataset) else current
            problems = []
        elif trig == "f-region-search":
            code = resolve_region(typed, current.year)
            if code is not None and code in region_codes(store.dataset):
                state = current.replace(region=code)
            else:
                state, not_found = current, typed
            problems = []
        elif trig == "reset":
            state = ViewState(lang=current.lang)
            problems = []
        elif trig in CONTROL_IDS:
            state = state_from_controls(current, dict(zip(CONTROLS, controls[:-1])))
            problems = []
        else:
            state = current
        new_search = ("?" + state.to_query()) if state.to_query() else ""
        user_changed = trig in CONTROL_IDS or trig in ("reset", "f-region-search", "map-graph")
        out = render(store, state, problems, ds)
        if user_changed and state != current:
            # The browser shows `current` (the URL before this change): send only what differs from it.
            out = unchanged_as_no_update(out, memo_peek(ds, "view", current))
        if trig in CONTROL_IDS and out.get((trig, "value")) == dict(zip(CONTROL_IDS, controls)).get(trig):
            out[(trig, "value")] = no_update  # the control already shows it
        out[("f-region-search", "value")] = "" if trig == "f-region-search" and not not_found else no_update
        if not_found:
            alert = dbc.Alert(t("notice_region_not_found", state.lang, text=not_found[:60]), color="warning",
                              className="notice")
            out[("notices", "html")] = to_html(alert) + (out.get(("notices", "html")) or "")
        out[("url", "search")] = new_search if user_changed and new_search != (search or "") else no_update
        return [out.get(k, no_update) for k in keys]

    @app.callback(Output("user-data", "data"), Output("upload-status", "children"),
                  Input("upload", "contents"), Input("upload-clear", "n_clicks"),
                  State("upload", "filename"), State("url", "search"), prevent_initial_call=True)
    def upload(contents, _clear, filename, search):
        lang = ViewState.from_query(search or "")[0].lang
        if callback_context.triggered_id == "upload-clear":
            return None, ""
        name = str(filename or "fil")[:120]
        try:
            ds = uploads.user_dataset(contents, name, store.dataset, max_bytes=upload_limit())
        except DataError as e:
            return no_update, [html.P(t("upload_refused", lang, name=name)),
                               html.Ul([html.Li(str(p)) for p in e.problems[:20]])]
        return {"name": name, "contents": contents}, html.P(t("upload_ok", lang, name=name, rows=len(ds.cells)))

    @app.callback(Output("download-user-file", "data"), Input("download-user", "n_clicks"),
                  State("user-data", "data"), State("url", "search"), prevent_initial_call=True)
    def download_user(_n, user, search):
        ds = user_data(store, user)
        if ds.origin != "user":
            return no_update
        state, _ = ViewState.from_query(search or "")
        cells = cached_query(ds, state).cells()
        return {"content": cells_to_csv(cells, state.lang), "filename": "dine-data-" + slug(state, None, "view")
                .removeprefix("introduksjonsprogrammet-") + ".csv", "type": "text/csv"}

    # The static texts follow the language; the browser works out the language from the URL and asks the
    # server only when it changes (not on every filter change).
    app.clientside_callback(ClientsideFunction("dashboard", "langOf"), Output("lang-store", "data"),
                            Input("url", "search"), State("lang-store", "data"))

    @app.callback(Output({"type": "i18n", "key": ALL}, "children"), Input("lang-store", "data"))
    def translate(lang):
        lang = lang if lang in ("nb", "en") else "nb"
        keys = [o["id"]["key"] for o in callback_context.outputs_list]
        return [t(k.split("@")[0], lang) if isinstance(k, str) else "" for k in keys]

    # <html lang> and the document title follow the language (a function in assets/, so CSP needs no hash).
    app.clientside_callback(ClientsideFunction("dashboard", "setLang"), Output("lang-sink", "children"),
                            Input("lang-link", "lang"))
    app.clientside_callback(ClientsideFunction("dashboard", "regionList"), Output("f-region-search", "list"),
                            Input("region-names", "data"))
    # Filters start folded on a phone, open on a wide screen.
    app.clientside_callback(ClientsideFunction("dashboard", "foldFilters"), Output("filters-details", "open"),
                            Input("url", "pathname"))
