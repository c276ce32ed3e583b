"""Thin glue: URL ↔ controls, then the charts and the texts, each a callback with one job.

1. `sync` owns the URL and the controls (dash-notes C.2, pattern A): a change of a control writes the URL
   (a history entry); a change of the URL (first load, back/forward, a pasted link) sets the controls.
2. `charts` draws every chart section of the page from the URL.
3. `texts` writes the cards, findings, notices, links and the presentation or embed view from the URL.
Each renders from pure functions (render_* below) of the dataset and the view state, remembered per
dataset (model/cache.py) and, when INTRODASH_REDIS_URL is set, shared through Redis (memoize_view).
A figure whose layout did not change goes out as a `dash.Patch` of its traces alone.
"""
from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, Patch, State, callback_context, html, no_update

from ..model import cache, dimensions as dims, regions, uploads
from ..model.dataset import DataError, Dataset
from ..model.query import Result, known_regions, query, resolve_year
from ..model.store import DataStore
from ..model.schema import SERIES
from ..views import charts, follow, presentation, urls
from ..views.charts import geo
from ..views.exports import cells_to_csv
from ..views.i18n import t
from ..views.state import ViewState, compare_codes, parse_compare
from ..views.text import describe, findings, slug, source_names, value_word
from . import pieces
from .downloads import images_available
from .fragments import el, to_html
from .layout import CONTROLS, FILTERS, PRESENT_FILTERS, chart_outputs
from .performance import dataset_version, memoize_view

# ---- the view's state -------------------------------------------------------------------------------

def upload_limit() -> int:
    """The `max_upload_bytes` setting (security.install puts it in the Flask config)."""
    import flask
    if flask.has_app_context():
        return int(flask.current_app.config.get("MAX_UPLOAD_BYTES", uploads.MAX_UPLOAD_BYTES))
    return uploads.MAX_UPLOAD_BYTES


def user_data(store: DataStore, user) -> Dataset:
    """The user's own dataset when one is loaded (and still valid), else the published one."""
    if isinstance(user, dict) and isinstance(user.get("contents"), str):
        try:
            return uploads.user_dataset(user["contents"], str(user.get("name", "fil")), store.dataset,
                                        max_bytes=upload_limit())
        except DataError:
            pass
    return store.dataset


region_codes = known_regions


def parse_view(ds, search) -> tuple[ViewState, list]:
    return ViewState.from_query(search if isinstance(search, str) else "", years=ds.years, regions=region_codes(ds),
                                charts=charts.REGISTRY)


def page_view(ds, search) -> tuple[ViewState, list, list]:
    """The view the page shows: the URL's, with a region code of another structure translated to the region
    of the year shown (views/follow.py); the translations come back for the notices."""
    state, problems = parse_view(ds, search)
    state, translations = follow.view_of(ds, state)
    return state, problems, translations


def resolve_region(text, year: int | None) -> str | None:
    """'Bærum (3201, 2024–)' or '3201' or 'bærum' -> '3201'; anything that is not text -> None."""
    if not isinstance(text, str):
        return None  # a hand-made request may send anything
    m = re.search(r"\((\d{1,4})\b", text)
    if m:
        name = text[:m.start()].strip()
        # "Bergen (46" is Bergen typed with its code cut short, not Vestland (46): a code is taken only
        # with its own name before it (or none)
        if not name or regions.name(m[1], year or 2024).casefold().startswith(name.casefold()):
            return m[1]
        text = name
    text = text.strip()
    if not text:
        return None
    found = regions.search(text, year or 2024, limit=1)
    return found[0].code if found else None


def compare_state(current: ViewState, typed, year: int | None):
    """'Oslo, Vestland (46), 50' -> compare=03,46,50 (in the structure of the year shown); the words that
    name no region come back for the notice."""
    if not isinstance(typed, str):
        return current, None
    codes, missing = [], []
    for word in (w.strip() for w in typed[:400].replace(";", ",").split(",")):
        code = resolve_region(word, year) if word else None
        if word and code is None:
            missing.append(word[:40])
        elif code is not None and code not in codes:
            codes.append(code)
    value, bad = parse_compare(",".join(codes))
    return current.replace(compare=value), ({"compare_missing": missing + bad} if missing or bad else None)


def compare_text(state: ViewState, year: int | None, lang: str) -> str:
    """What the compare field shows: 'Oslo (03), Vestland (46)'."""
    return ", ".join(f"{regions.name(c, year, lang)} ({c})" for c in compare_codes(state))


def state_from_controls(current: ViewState, values: dict[str, str | None]) -> ViewState:
    """Overlay the controls on the current state, validating each value as if it came from a URL."""
    from urllib.parse import parse_qsl
    merged = dict(parse_qsl(current.to_query()))
    merged.update({name: str(v) for name, v in values.items() if v is not None})
    if merged.get(dims.YEAR) in ("", "latest"):
        merged.pop(dims.YEAR)
    return ViewState.from_query(merged)[0]


def next_state(trigger, current: ViewState, controls: dict, typed, clicked, known: set[str],
               shown_year: int | None = None):
    """The state a user's action leads to, and the text of a region search that found nothing."""
    if trigger == "map-graph":
        code = geo.code_from_click(clicked)
        return (current.replace(region=code) if code in known else current), None
    if trigger == "f-region-search":
        code = resolve_region(typed, current.year if current.year is not None else shown_year)
        if code is not None and code in known:
            return current.replace(region=code), None
        return current, (typed if isinstance(typed, str) else str(typed))[:60] or None
    if trigger == "f-compare":
        return compare_state(current, typed, shown_year)
    if trigger == "reset":
        return ViewState(lang=current.lang), None
    if trigger in CONTROL_IDS:
        return state_from_controls(current, controls), None
    return current, None


# ---- what each callback renders: pure functions of (dataset, state) ------------------------------------

def control_values(state: ViewState) -> dict:
    values = {n: getattr(state, n) for n in FILTERS}
    values[dims.YEAR] = "latest" if state.year is None else str(state.year)
    values.update(style=state.style, view=state.view)
    return values


def control_options(result: Result, lang: str, latest: int | None = None) -> dict[str, list[dict]]:
    av, s = result.availability, result.state
    suffix = t("no_data_suffix", lang)

    def opts(dim, values, label, default=True):
        out = []
        for v in values:
            has = av.get(dim, {}).get(v, default)
            out.append({"label": label(v) + ("" if has else suffix), "value": v,
                        "disabled": not has and getattr(s, dim) != v})
        return out

    if latest is None:  # "Siste år": the latest year with the view's own figures (query.resolve_year)
        latest = result.year if result.state.year is None else (result.years[-1] if result.years else "")
    out = {dims.YEAR: [{"label": t("latest_year", lang, year=latest), "value": "latest"}] + [
        {"label": str(y) + ("" if av[dims.YEAR].get(str(y), False) else suffix), "value": str(y)}
        for y in reversed(result.years)]}
    region_values = follow.region_values(av.get(dims.REGION, {"0": True}), result.year, s.region)
    out[dims.REGION] = opts(dims.REGION, region_values,
                            lambda c: regions.name(c, result.year, lang) + (f" ({c})" if c != "0" else ""), False)
    for d in dims.CATEGORY_IDS:
        out[d] = opts(d, dims.get(d).values, lambda v, d=d: value_word(d, v, lang))
    out["series"] = [{"label": t(f"series_{v}", lang), "value": v} for v in SERIES]
    out["style"] = [{"label": t(f"style_{v}", lang), "value": v} for v in ("bar", "line")]
    out["view"] = [{"label": t(f"view_{v}", lang), "value": v} for v in ("chart", "table")]
    return out


def cached_query(ds, state: ViewState) -> Result:
    return cache.remembered(ds, "query", state, lambda: query(ds, state))


def page_specs(ds, state: ViewState) -> dict:
    """Every chart of the page, built once per view (the charts and the sources list both read them)."""
    return cache.remembered(ds, "specs", state, lambda: charts.page(cached_query(ds, state), state.lang))


@memoize_view
def render_controls(ds, state: ViewState) -> dict:
    result = query(ds, state, needs=())
    values = control_values(state)
    options = control_options(result, state.lang, resolve_year(ds, state.replace(year=None)))
    out = {(f"f-{n}", "value"): values[n] for n in CONTROLS}
    out.update({(f"f-{n}", "options"): options[n] for n in CONTROLS})
    return out


@memoize_view
def render_charts(ds, state: ViewState) -> dict:
    """Every chart section of the page: title and note, figure, caption (and table), foot."""
    if state.present or state.embed:
        return {}
    result, lang = cached_query(ds, state), state.lang
    table_view, user = state.view == "table", result.meta.origin == "user"
    out: dict = {("section-region", "hidden"): state.region == "0", ("section-compare", "hidden"): not state.compare}
    for c, spec in page_specs(ds, state).items():
        # "Dine tall: …" on a chart that draws the user's figures (as on a slide), not on every chart
        title = t("your_figures_title", lang, title=spec.title) if user and shows_user_figures(spec.cells) \
            else spec.title
        out[(f"{c}-head", "html")] = to_html([el("h2", title, id=f"{c}-title", class_="chart-title"),
                                              el("p", spec.note, *note_links(spec), id=f"{c}-note",
                                                 class_="chart-note")])
        out[(f"{c}-graph", "figure")] = spec.figure
        # The table only in the table view (a hidden table is work for nothing), in the figure's caption.
        out[(f"{c}-caption", "html")] = to_html([spec.caption] + (
            [el("div", pieces.table(spec), id=f"{c}-table", class_="chart-table table-responsive")] if table_view else []))
        out[(f"{c}-foot", "html")] = to_html(pieces.chart_foot(spec, result, lang, images_available()))
    return out


def note_links(spec) -> list:
    """The links after a chart's note (a map without figures links to a measure and year that have them)."""
    return [x for text, href in spec.links for x in (" ", el("a", text, href=href, class_="chart-note-link"))]


@memoize_view
def render_texts(ds, state: ViewState) -> dict:
    """Cards, findings, links, sources and the page's mode; or the one slide or embedded chart."""
    solo_mode = state.present or state.embed
    out: dict = {("page", "hidden"): solo_mode, ("solo", "hidden"): not solo_mode,
                 ("app-root", "className"): "app-root" + (" presenting" if state.present else "")
                 + (" embedded" if state.embed else "") + (" view-table" if state.view == "table" and not solo_mode else "")}
    if solo_mode:
        out.update(render_solo(ds, state))
        return out
    result, lang = cached_query(ds, state), state.lang
    user = result.meta.origin == "user"
    out[("cards", "html")] = to_html(pieces.cards(result, lang))
    out[("findings", "html")] = to_html([el("li", s) for s in findings(result, lang)])
    out[("lang-link", "href")] = urls.other_language(state)
    out[("lang-link", "children")] = t("lang_switch", lang)
    out[("lang-link", "lang")] = "en" if lang == "nb" else "nb"
    out[("present-link", "href")] = urls.present(state)
    out[("download-all", "href")] = urls.view_data(state)
    out[("download-all", "hidden")] = user
    out[("download-user", "hidden")] = not user
    out[("source-list", "html")] = to_html(pieces.source_items(result.meta, page_specs(ds, state).values(), lang))
    return out


def render_solo(ds, state: ViewState) -> dict:
    """Presentation (one slide of a deck) or embed (one chart with a link back): its chart alone. A deck
    leaves out the slides with nothing published for the filters (presentation.plan)."""
    lang = state.lang
    deck = presentation.plan(state, presentation.figures_in(ds)) if state.present else None
    view = presentation.slide_state(state, deck.current) if deck else state.replace(embed=False)
    chart = view.chart if view.chart in charts.REGISTRY else ViewState().chart
    result, spec = charts.one(ds, view, chart)
    shown = [k.cell for k in result.key_figures if k.cell] if chart == "cards" else spec.cells
    # A slide that shows the user's figures says so in its title and names the file on its source line.
    title = t("key_figures", lang) if chart == "cards" else spec.title.split(" · ")[0]
    out = {("solo-subtitle", "children"): describe(view, result.year, lang),
           ("solo-caption", "children"): spec.caption,
           ("solo-source", "children"): slide_sources(result.meta, shown, lang),
           ("solo-title", "children"): t("your_figures_title", lang, title=title) if shows_user_figures(shown)
           else title}
    if chart == "cards":
        out.update({("solo-chartbox", "hidden"): True,
                    ("solo-cards", "html"): to_html(pieces.cards(result, lang)), ("solo-table", "hidden"): True,
                    ("solo-graph", "figure"): spec.figure})
    else:
        table_view = view.view == "table"
        empty = not spec.cells  # one clear line (the caption says so), not a frame with nothing in it
        out.update({("solo-graph", "figure"): solo_figure(spec.figure, state.present), ("solo-cards", "html"): "",
                    ("solo-chartbox", "hidden"): table_view or empty, ("solo-table", "html"): to_html(pieces.table(spec)),
                    ("solo-table", "hidden"): not table_view or empty})
    out.update(solo_nav(state, deck))
    return out


def slide_sources(meta, cells, lang: str) -> str:
    """A slide's source line: its publishers, each once ("Kilde: IMDi, SSB"). A slide is read from the back of
    a room; the titles of the pages are in the page's source list, the table and the downloads. The user's
    figures are named by their file ("Kilde: Dine tall: mine.csv, IMDi")."""
    publishers = []
    for c in cells:
        for sid in cell_sources(c):
            src = meta.sources.get(sid)
            name = src.publisher if src else sid
            if src is not None and uploads.is_user_source(sid):
                name = f"{t('your_figures', lang)}: {src.title}"
            if name not in publishers:
                publishers.append(name)
    return t("source_line", lang, sources=", ".join(publishers)) if publishers else ""


def cell_sources(cell) -> tuple[str, ...]:
    """A cell's source and those of the cells it is computed from."""
    return (str(cell.source),) + tuple(str(i.source) for i in getattr(cell, "inputs", ()))


def shows_user_figures(cells) -> bool:
    """True if any of the cells is the user's, or computed from one of the user's."""
    return any(uploads.is_user_source(s) for c in cells for s in cell_sources(c))


def solo_nav(state: ViewState, deck: presentation.Deck | None = None) -> dict:
    lang = state.lang
    if deck is None:
        n = len(presentation.slides(state))
        deck = presentation.Deck(tuple(range(n)), n, min(state.slide, n - 1))
    here = state.replace(slide=deck.current)
    counter = t("present_counter", lang, n=deck.number, total=len(deck.kept))
    if deck.left_out:
        counter += " · " + t("present_left_out", lang, n=deck.left_out)
    return {("solo-nav", "hidden"): not state.present,
            ("solo-prev", "href"): urls.page(presentation.step(here, -1, deck)),
            ("solo-prev", "children"): t("present_prev", lang),
            ("solo-next", "href"): urls.page(presentation.step(here, +1, deck)),
            ("solo-next", "children"): t("present_next", lang),
            ("solo-exit", "href"): urls.without_present(state), ("solo-exit", "children"): t("present_exit", lang),
            ("solo-counter", "children"): counter,
            ("solo-back", "href"): urls.full_view(state), ("solo-back", "children"): t("embed_back", lang),
            ("solo-back", "hidden"): not state.embed}


def solo_figure(fig, large: bool):
    """The same figure, sized to its frame. In presentation mode its type is sized for a 1920×1080 screen,
    readable from the back of a room; assets/js scales it to the window (presentFigure)."""
    fig = fig.copy()
    fig["layout"].pop("height", None)  # fill the frame
    fig.update_layout(autosize=True)
    if large:
        fig.update_layout(font={"size": 24}, legend={"font": {"size": 24}}, hoverlabel={"font": {"size": 22}},
                          margin={"l": 90, "r": 40, "t": 40, "b": 90}, meta={"present": True})
        fig.update_traces(selector={"type": "bar"}, textfont={"size": 24})
        fig.update_traces(selector={"type": "scatter"}, textfont={"size": 24})
        fig.update_xaxes(tickfont={"size": 24}, title={"font": {"size": 24}})
        fig.update_yaxes(tickfont={"size": 24}, title={"font": {"size": 24}})
    return fig


def follow_notes(ds, state: ViewState, translations, moved) -> list:
    """The one-line notes of a view that follows the data: a region translated (or not: then links to the
    regions that hold its area), a year moved to the nearest with figures, the latest year with figures."""
    lang, out = state.lang, []
    for tr in translations:
        body = [html.P(follow.translation_note(tr, lang))]
        if tr.to is None:
            body.append(html.Ul([html.Li(html.A(regions.name(h, tr.year, lang) + f" ({h})",
                                                href=urls.page(state.replace(region=h)))) for h in tr.held]))
        out.append(dbc.Alert(body, color="info", className="notice notice-region"))
    if moved and len(moved) == 2:
        out.append(dbc.Alert(follow.moved_note(state, moved, lang), color="info", className="notice notice-year"))
    latest = follow.latest_note(ds, state, lang)
    if latest:
        out.append(dbc.Alert(latest, color="light", className="notice notice-year"))
    return out


def notices_html(ds, state: ViewState, problems, not_found: str | None, notes=()) -> str:
    if state.present or state.embed:
        return ""
    if notes:  # notes of a change (a year moved, a region translated) are not remembered
        return _notices_html(ds, state, problems, not_found, notes)
    key = (state, tuple(problems), not_found)
    return cache.remembered(ds, "view:notices", key, lambda: _notices_html(ds, state, problems, not_found, ()))


def _notices_html(ds, state: ViewState, problems, not_found: str | None, notes=()) -> str:
    alerts = pieces.notices(problems, cached_query(ds, state), state.lang) + list(notes)
    if not_found:
        alerts.insert(0, dbc.Alert(t("notice_region_not_found", state.lang, text=not_found), color="warning",
                                   className="notice"))
    return to_html(alerts)


def remembered(ds, kind: str, render, state: ViewState) -> dict:
    return cache.remembered(ds, kind, state, lambda: render(ds, state))


# ---- sending only what changed ---------------------------------------------------------------------

def changes(new: dict, before: dict | None) -> dict:
    """The outputs that differ from the view on screen: the same value -> no_update; a figure -> a Patch
    of the parts that changed (its traces, the layout keys that differ), so Dash sends and plotly applies
    only those."""
    if before is None:
        return dict(new)
    out = {}
    for k, v in new.items():
        old = before.get(k, None)
        if k in before and old == v:
            out[k] = no_update
        elif k[1] == "figure" and isinstance(old, dict) and isinstance(v, dict):
            out[k] = figure_patch(old, v)
        else:
            out[k] = v
    return out


def figure_patch(old: dict, new: dict):
    """`new` as a Patch of `old`: its data if it changed, and each top-level layout key that differs."""
    before, after = old.get("layout", {}), new.get("layout", {})
    changed = [key for key in after if before.get(key) != after[key]]
    gone = [key for key in before if key not in after]
    if len(changed) + len(gone) > len(after) // 2:  # most of it is new: send it whole
        return new
    patch = Patch()
    if old.get("data") != new.get("data"):
        patch["data"] = new.get("data", [])
    for key in changed:
        patch["layout"][key] = after[key]
    for key in gone:
        del patch["layout"][key]
    return patch


def shown_token(ds, state: ViewState) -> str:
    """What the charts on screen show: the view and the version of the data (a user's file is another)."""
    return f"{dataset_version(ds)}?{state.to_query()}"


def _shown_state(ds, shown) -> ViewState | None:
    """The view the page showed before this answer, if it showed this dataset (the `shown` store)."""
    if not isinstance(shown, str) or not shown.startswith(dataset_version(ds) + "?"):
        return None
    return parse_view(ds, shown.split("?", 1)[1])[0]


# ---- registration ----------------------------------------------------------------------------------

CONTROL_IDS = [f"f-{n}" for n in CONTROLS]
# The actions after which a year without figures moves to the nearest year with them (not the year itself,
# nor the style or the table view: a year chosen or given in a link is kept).
FOLLOWING = {f"f-{n}" for n in FILTERS if n != dims.YEAR} | {"f-region-search", "map-graph"}
TEXT_OUTPUTS = [("cards", "html"), ("findings", "html"), ("lang-link", "href"), ("lang-link", "children"),
                ("lang-link", "lang"), ("present-link", "href"), ("download-all", "href"), ("download-all", "hidden"),
                ("download-user", "hidden"), ("source-list", "html"), ("page", "hidden"), ("solo", "hidden"),
                ("app-root", "className"), ("solo-title", "children"), ("solo-subtitle", "children"),
                ("solo-graph", "figure"), ("solo-chartbox", "hidden"), ("solo-cards", "html"), ("solo-table", "html"),
                ("solo-table", "hidden"), ("solo-caption", "children"), ("solo-source", "children"),
                ("solo-nav", "hidden"), ("solo-prev", "href"), ("solo-prev", "children"), ("solo-next", "href"),
                ("solo-next", "children"), ("solo-exit", "href"), ("solo-exit", "children"),
                ("solo-counter", "children"), ("solo-back", "href"), ("solo-back", "children"),
                ("solo-back", "hidden")]
PRESENT_IDS = [f"p-{n}" for n in PRESENT_FILTERS]
PRESENT_OUTPUTS = [("url", "search")] + [(i, p) for i in PRESENT_IDS for p in ("value", "options")]
SYNC_OUTPUTS = [("url", "search"), ("f-region-search", "value"), ("region-notice", "data"), ("f-compare", "value")] + \
    [(i, p) for i in CONTROL_IDS for p in ("value", "options")] + PRESENT_OUTPUTS[1:]


def sync(store: DataStore, search, controls: list, trigger, typed, clicked, user, bar: list | None = None,
         compare_shown=None) -> list:
    """URL ↔ controls: the new URL (after a user's action) and what each control shows, the page's and,
    while presenting, the presentation's filter bar (`bar`: its values)."""
    if trigger in PRESENT_IDS:
        out = dict(zip(PRESENT_OUTPUTS, present_filters(store, search, bar or [], trigger, user)))
        return [out.get(k, no_update) for k in SYNC_OUTPUTS]
    ds = user_data(store, user)
    current, _, _ = page_view(ds, search)
    state, not_found = next_state(trigger, current, dict(zip(CONTROLS, controls)), typed, clicked,
                                  region_codes(store.dataset), resolve_year(ds, current))
    user_action = trigger in CONTROL_IDS or trigger in ("reset", "f-region-search", "map-graph", "f-compare")
    moved = None
    if trigger in FOLLOWING:   # a new measure, region or filter: the view follows the data (views/follow.py)
        state, moved = follow.follow_year(ds, current, state)
    new_search = ("?" + state.to_query()) if state.to_query() else ""
    full = remembered(ds, "view:controls", render_controls, state)
    out = dict(full)
    # Send a control only what it does not show yet: a value the user has just chosen in another control,
    # while this answer was on its way, must not be put back.
    for name, shown in zip(CONTROLS, controls):
        if out.get((f"f-{name}", "value")) == shown:
            out[(f"f-{name}", "value")] = no_update
    before = cache.peek(ds, "view:controls", current) if current != state else None
    for key in [k for k in out if k[1] == "options"]:
        if before is not None and before.get(key) == out[key]:
            out[key] = no_update
    out[("url", "search")] = new_search if user_action and new_search != (search or "") else no_update
    out[("f-region-search", "value")] = "" if trigger == "f-region-search" and not not_found else no_update
    # The compare field is written only when it shows something else: what a user is typing there (sent on
    # Enter) must not be put back by an answer to another control
    compared = compare_text(state, resolve_year(ds, state), state.lang)
    out[("f-compare", "value")] = no_update if compared == compare_shown else compared
    notice = not_found if trigger == "f-region-search" else None
    if moved is not None:
        notice = {"moved": list(moved), "search": new_search}
    if isinstance(not_found, dict):
        notice = {**not_found, "search": new_search}
    out[("region-notice", "data")] = notice if (user_action or notice) else no_update
    if state.present:  # the bar shows what the page's controls would (less what it shows already)
        shown = dict(zip(PRESENT_FILTERS, bar or [None] * len(PRESENT_FILTERS)))
        out.update({(f"p-{n}", prop): full[(f"f-{n}", prop)] for n in PRESENT_FILTERS for prop in ("value", "options")})
        out.update({(f"p-{n}", "value"): no_update for n in PRESENT_FILTERS
                    if full[(f"f-{n}", "value")] == shown.get(n)})
    return [out.get(k, no_update) for k in SYNC_OUTPUTS]


def register(app, store: DataStore) -> None:
    chart_keys = chart_outputs()

    # One callback owns the URL and every control (the page's and the presentation's filter bar): a URL
    # change is one request, whatever the mode.
    @app.callback([Output(i, p) for i, p in SYNC_OUTPUTS],
                  [Input("url", "search")] + [Input(i, "value") for i in CONTROL_IDS]
                  + [Input("reset", "n_clicks"), Input("f-region-search", "value"), Input("map-graph", "clickData"),
                     Input("user-data", "data"), Input("f-compare", "value")] + [Input(i, "value") for i in PRESENT_IDS])
    def sync_callback(search, *rest):
        n = len(CONTROL_IDS)
        controls, (typed, clicked, user, compared), bar = list(rest[:n]), rest[n + 1:n + 5], list(rest[n + 5:])
        trigger = callback_context.triggered_id
        return sync(store, search, controls, trigger, compared if trigger == "f-compare" else typed, clicked, user, bar,
                    compare_shown=compared)

    @app.callback([Output(i, p) for i, p in chart_keys] + [Output("charts-shown", "data")],
                  Input("url", "search"), Input("user-data", "data"), State("charts-shown", "data"))
    def charts_callback(search, user, shown):
        ds = user_data(store, user)
        state, _, _ = page_view(ds, search)
        new = remembered(ds, "view:charts", render_charts, state)
        before = _shown_state(ds, shown)
        out = changes(new, cache.peek(ds, "view:charts", before) if before is not None else None)
        return [out.get(k, no_update) for k in chart_keys] + [shown_token(ds, state)]

    @app.callback([Output(i, p) for i, p in TEXT_OUTPUTS] + [Output("notices", "html")],
                  Input("url", "search"), Input("user-data", "data"), Input("region-notice", "data"))
    def texts_callback(search, user, not_found):
        ds = user_data(store, user)
        state, problems, translations = page_view(ds, search)
        out = remembered(ds, "view:texts", render_texts, state)
        said = not_found if isinstance(not_found, dict) and not_found.get("search") == (search or "") else {}
        not_found = not_found if isinstance(not_found, str) else None
        notes = follow_notes(ds, state, translations, said.get("moved"))
        notes += [dbc.Alert(t("notice_compare_not_found", state.lang, text=str(w)[:40]), color="warning",
                            className="notice") for w in (said.get("compare_missing") or [])[:8]]
        return [out.get(k, no_update) for k in TEXT_OUTPUTS] + [notices_html(ds, state, problems, not_found, notes)]

    register_uploads(app, store)
    register_static(app)
    register_present_filters(app, store)


def register_uploads(app, store: DataStore) -> None:
    @app.callback(Output("user-data", "data"), Output("upload-status", "children"),
                  Input("upload", "contents"), Input("upload-clear", "n_clicks"),
                  State("upload", "filename"), State("url", "search"), prevent_initial_call=True)
    def upload(contents, _clear, filename, search):
        lang = ViewState.from_query(search if isinstance(search, str) else "")[0].lang
        if callback_context.triggered_id == "upload-clear":
            return None, ""
        name = str(filename or "fil")[:120]
        try:
            ds = uploads.user_dataset(contents, name, store.dataset, max_bytes=upload_limit())
        except DataError as e:
            return no_update, [html.P(t("upload_refused", lang, name=name)),
                               html.Ul([html.Li(str(p)) for p in e.problems[:20]])]
        return {"name": name, "contents": contents}, html.P(t("upload_ok", lang, name=name, rows=len(ds.cells)))

    @app.callback(Output("download-user-chart", "data"), Input("user-download-request", "data"),
                  State("user-data", "data"), State("url", "search"), prevent_initial_call=True)
    def download_user_chart(request, user, search):
        return user_chart_file(store, request, user, search) or no_update

    @app.callback(Output("download-user-file", "data"), Input("download-user", "n_clicks"),
                  State("user-data", "data"), State("url", "search"), prevent_initial_call=True)
    def download_user(_n, user, search):
        ds = user_data(store, user)
        if ds.origin != "user":
            return no_update
        state, _, _ = page_view(ds, search)
        cells = cached_query(ds, state).cells()
        return {"content": cells_to_csv(cells, state.lang), "filename": "dine-data-" + slug(state, None, "view")
                .removeprefix("introduksjonsprogrammet-") + ".csv", "type": "text/csv"}


def user_chart_file(store: DataStore, request, user, search) -> dict | None:
    """One chart's PNG, SVG, CSV or XLSX with the user's figures in it, for dcc.Download: the file stays in
    the browser (the session store), so it comes with this request and is never kept on the server."""
    import base64
    from ..views.exports import cells_to_csv as to_csv
    from .downloads import IMAGE_FORMATS, render_image, xlsx_bytes
    if not isinstance(request, dict):
        return None
    chart, kind = request.get("chart"), request.get("kind")
    ds = user_data(store, user)
    if ds.origin != "user" or chart not in charts.REGISTRY or kind not in urls.DOWNLOADS:
        return None
    if kind in urls.IMAGE_KINDS and (kind not in IMAGE_FORMATS or not charts.get(chart).image or not images_available()):
        return None
    state, _, _ = page_view(ds, search)
    state = state.replace(chart=chart, view="chart", present=False, embed=False)
    result, spec = charts.one(ds, state, chart)
    if shows_user_figures(spec.cells):
        spec.title = t("your_figures_title", state.lang, title=spec.title)
    name = "dine-tall-" + slug(state, result.year, chart).removeprefix("introduksjonsprogrammet-") + f".{kind}"
    if kind == "csv":
        body = to_csv(spec.cells, state.lang).encode("utf-8")
    elif kind == "xlsx":
        body = xlsx_bytes(spec.cells, ds, state.lang, spec.title)
    else:
        body = render_image(spec, describe(state, result.year), state.lang, kind)
    return {"content": base64.b64encode(body).decode(), "filename": name, "base64": True}


def register_static(app) -> None:
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
    app.clientside_callback(ClientsideFunction("dashboard", "compareList"), Output("f-compare", "list"),
                            Input("region-names", "data"))
    # Filters start folded on a phone, open on a wide screen.
    app.clientside_callback(ClientsideFunction("dashboard", "foldFilters"), Output("filters-details", "open"),
                            Input("url", "pathname"))


# ---- the presentation's filter bar ------------------------------------------------------------------

def present_filters(store: DataStore, search, values: list, trigger, user) -> list:
    """URL <-> the presentation's filter bar, as `sync` does for the page: a change of one filter writes
    the URL with the slide and deck kept (or, if that slide has nothing for the new filters, the next slide
    shown); a change of the URL sets the bar. Off the presentation it does nothing."""
    ds = user_data(store, user)
    current, _ = parse_view(ds, search)
    if not current.present:
        return [no_update] * len(PRESENT_OUTPUTS)
    state = current
    if trigger in PRESENT_IDS:
        name = PRESENT_FILTERS[PRESENT_IDS.index(trigger)]
        state = state_from_controls(current, {name: values[PRESENT_IDS.index(trigger)]})
        state = state.replace(slide=presentation.plan(state, presentation.figures_in(ds)).current)
    controls = remembered(ds, "view:controls", render_controls, state)
    out = {(f"p-{n}", p): controls[(f"f-{n}", p)] for n in PRESENT_FILTERS for p in ("value", "options")}
    new_search = ("?" + state.to_query()) if state.to_query() else ""
    out[("url", "search")] = new_search if trigger in PRESENT_IDS and new_search != (search or "") else no_update
    if trigger in PRESENT_IDS and out[(trigger, "value")] == values[PRESENT_IDS.index(trigger)]:
        out[(trigger, "value")] = no_update  # the control already shows it
    return [out[k] for k in PRESENT_OUTPUTS]


def register_present_filters(app, store: DataStore) -> None:
    # The bar's values go through `sync` (one callback owns the URL); the bar opens and closes in the browser (the button, or V: assets/js).
    app.clientside_callback(ClientsideFunction("dashboard", "toggleFilterBar"),
                            Output("solo-filterbar", "hidden"), Output("solo-filters-toggle", "aria-expanded"),
                            Input("solo-filters-toggle", "n_clicks"))
