"""Thin glue: the URL is the view; controls, charts and texts each a callback with one job.

0. A control's change writes the URL in the browser (assets/js, urlFromControls: what to_query() would
   write), so the three below are asked for at once: one round trip. A region search, a click on the map
   or the compare field need the server to read them: `find` writes the URL they lead to.
1. `controls` sets every control from the URL (values, and options that mark values without figures).
2. `charts` draws every chart section of the page from the URL.
3. `texts` writes the cards, findings, notices, links and the presentation or embed view from the URL.
Where a control wrote the URL, all three work out the view that change leads to (`view_after`: the year
follows the data), and `controls` has the browser replace the URL with that view's (moveUrl).
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
from ..views.text import describe, findings, slug, value_word
from . import pieces
from .downloads import images_available
from .fragments import el, to_html
from .layout import CONTROLS, FILTERS, PRESENT_FILTERS, URL_CONTROLS, chart_outputs
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


def next_state(trigger, current: ViewState, typed, clicked, known: set[str], shown_year: int | None = None):
    """The state a region search, a click on the map or the compare field leads to (the controls write the
    URL in the browser), and what was not found (for the notice)."""
    if trigger == "map-graph":
        code = geo.code_from_click(clicked)
        return (current.replace(region=code) if code in known else current), None
    if trigger == "f-region-search":
        code = resolve_region(typed, current.year if current.year is not None else shown_year)
        if code is not None and code in known:
            return current.replace(region=code), None
        return current, {"not_found": (typed if isinstance(typed, str) else str(typed))[:60] or None}
    if trigger == "f-compare":
        return compare_state(current, typed, shown_year)
    return current, None


def view_after(ds, search, change) -> tuple[ViewState, list, list, tuple[int, int] | None, bool]:
    """The view a URL shows (page_view's), and where the URL was just written by a control (`change`, from
    assets/js), the view that change leads to (`followed`). The charts, the texts and the controls work it
    out at once from the same URL; (from, to) of a year moved comes back for the note, and whether the view
    followed the data away from the URL's (for moveUrl)."""
    found, problems, translations = page_view(ds, search)
    state, moved = followed(ds, found, search, change)
    return state, problems, translations, moved, state != found


def followed(ds, state: ViewState, search, change) -> tuple[ViewState, tuple[int, int] | None]:
    """After a filter, the nearest year with figures if the year shown has none (follow.follow_year); after
    the presentation's bar, the slide with figures. Only for the URL the change wrote."""
    if not (isinstance(change, dict) and change.get("search") == (search or "")):
        return state, None
    trigger, moved = change.get("trigger"), None
    trigger = trigger if isinstance(trigger, str) else None   # a hand-made request may send a list
    if trigger in FOLLOWING:
        state, moved = follow.follow_year(ds, state, state)
    elif trigger in PRESENT_IDS and state.present:
        state = state.replace(slide=presentation.plan(state, presentation.figures_in(ds)).current)
    # The URL is the moved one already (moveUrl): the note stays
    return state, moved if moved is not None else years_moved(change.get("moved"))


def years_moved(said) -> tuple[int, int] | None:
    """(from, to) of a year moved, as a store holds it ([2023, 2022]); anything else (a hand-made request) None."""
    if isinstance(said, list) and len(said) == 2 and all(type(y) is int for y in said):
        return said[0], said[1]
    return None


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


# What the cards, the findings and the notices read (a missing total is said by key_figures, or by trend
# when the view has no year at all).
TEXT_PARTS = ("key_figures", "trend", "groups", "totals_by_sex")


def texts_query(ds, state: ViewState) -> Result:
    """The parts the texts read: the whole query if this worker has it (the charts asked for it here), else
    only those parts. The charts and the texts are asked for at once, often of two workers: the texts'
    worker need not compute the charts' parts too."""
    whole = cache.peek(ds, "query", state)
    return whole if whole is not None else cache.remembered(
        ds, "query:texts", state, lambda: query(ds, state, needs=TEXT_PARTS))


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
    # The footer's list of sources: those of every chart's cells (so the texts need not build the charts)
    out[("source-list", "html")] = to_html(pieces.source_items(result.meta, page_specs(ds, state).values(), lang))
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
    result, lang = texts_query(ds, state), state.lang
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
    alerts = pieces.notices(problems, texts_query(ds, state), state.lang) + list(notes)
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

# The actions after which a year without figures moves to the nearest year with them (not the year itself,
# nor the style or the table view: a year chosen or given in a link is kept).
FOLLOWING = {f"f-{n}" for n in FILTERS if n != dims.YEAR} | {"f-region-search", "map-graph"}
TEXT_OUTPUTS = [("cards", "html"), ("findings", "html"), ("lang-link", "href"), ("lang-link", "children"),
                ("lang-link", "lang"), ("present-link", "href"), ("download-all", "href"), ("download-all", "hidden"),
                ("download-user", "hidden"), ("page", "hidden"), ("solo", "hidden"),
                ("app-root", "className"), ("solo-title", "children"), ("solo-subtitle", "children"),
                ("solo-graph", "figure"), ("solo-chartbox", "hidden"), ("solo-cards", "html"), ("solo-table", "html"),
                ("solo-table", "hidden"), ("solo-caption", "children"), ("solo-source", "children"),
                ("solo-nav", "hidden"), ("solo-prev", "href"), ("solo-prev", "children"), ("solo-next", "href"),
                ("solo-next", "children"), ("solo-exit", "href"), ("solo-exit", "children"),
                ("solo-counter", "children"), ("solo-back", "href"), ("solo-back", "children"),
                ("solo-back", "hidden")]
# Also the texts': the notices, and the view they show (texts-shown; texts-moved when it followed the data)
TEXT_STATE_OUTPUTS = [("notices", "html"), ("texts-shown", "data"), ("texts-moved", "data")]
PRESENT_IDS = [f"p-{n}" for n in PRESENT_FILTERS]
# What the controls callback sets: every control's value and options (the page's and the bar's), the compare
# field, the view's canonical query (for assets/js) and, when the view followed the data, the URL it moved to.
CONTROL_OUTPUTS = [(c, p) for c in URL_CONTROLS for p in ("value", "options")] + [
    ("f-compare", "value"), ("view-query", "data"), ("url-moved", "data")]
FIND_OUTPUTS = [("url-found", "data"), ("f-region-search", "value"), ("region-notice", "data"), ("f-compare", "value")]


def controls(store: DataStore, search, user, change=None, shown: dict | None = None, compare_shown=None,
             known=None) -> dict:
    """URL -> controls: what each control of the page (and, while presenting, of the bar) shows, the compare
    field, the view's canonical query, and the URL a view that followed the data moved to. `shown`: what
    each control shows now; a value it shows already is not sent again (the user may have chosen another
    while this answer was on its way). `known`: the view-query of the view shown before, whose options
    need not be sent again."""
    ds, shown = user_data(store, user), shown if isinstance(shown, dict) else {}
    found = page_view(ds, search)[0]
    state, moved = followed(ds, found, search, change)
    full = remembered(ds, "view:controls", render_controls, state)
    before = _known_state(ds, known)
    # The view the controls show already (the moved URL of the view just shown) has these very options
    if before == state:
        previous = full
    else:
        previous = cache.peek(ds, "view:controls", before) if before is not None else None
    out: dict = {}
    for cid, name in URL_CONTROLS.items():
        if cid in PRESENT_IDS and not state.present:
            out[(cid, "value")] = out[(cid, "options")] = no_update
            continue
        value, options = full[(f"f-{name}", "value")], full[(f"f-{name}", "options")]
        out[(cid, "value")] = no_update if shown.get(cid) == value else value
        # The bar's options were sent only while presenting: entering the presentation sends them all
        same = previous is not None and previous.get((f"f-{name}", "options")) == options \
            and (cid not in PRESENT_IDS or before.present)
        out[(cid, "options")] = no_update if same else options
    compared = compare_text(state, resolve_year(ds, state), state.lang)
    out[("f-compare", "value")] = no_update if compared == compare_shown else compared
    query = state.to_query()
    out[("view-query", "data")] = {"search": search or "", "query": f"?{query}" if query else "",
                                   "data": dataset_version(ds)}
    out[("url-moved", "data")] = no_update
    if state != found:  # the view followed the data: its URL replaces the one the control wrote
        out[("url-moved", "data")] = {"from": search or "", "search": f"?{query}" if query else "",
                                      "trigger": change.get("trigger"), "key": moved_key(ds, state, change),
                                      "moved": list(moved) if moved else None}
    return out


def _known_state(ds, known) -> ViewState | None:
    """The view a view-query (the controls callback's last answer) was for, if it was for this dataset."""
    if not isinstance(known, dict) or known.get("data") != dataset_version(ds) or not isinstance(known.get("query"), str):
        return None
    return parse_view(ds, known["query"])[0]


def find(store: DataStore, search, trigger, typed, clicked, user) -> dict:
    """A region searched for, a region clicked on the map, or regions typed into the compare field: the URL
    of the view they lead to (the year follows the data as after a filter), the search field emptied once
    found, and what the notices say of it (tied to that URL)."""
    ds = user_data(store, user)
    current, _, _ = page_view(ds, search)
    state, said = next_state(trigger, current, typed, clicked, region_codes(store.dataset), resolve_year(ds, current))
    moved = None
    if trigger in FOLLOWING:
        state, moved = follow.follow_year(ds, current, state)
    # The same view (the compare field set from the URL, a region already shown): the URL stays as it is
    query = state.to_query()
    new_search = (search or "") if state == current else f"?{query}" if query else ""
    notice = dict(said or {}, search=new_search)
    if moved is not None:
        notice["moved"] = list(moved)
    # The URL is applied in the browser only if it is still the one this answer was for (applyFound): a
    # control changed meanwhile wins. The compare field shows the regions found by their names.
    compared = compare_text(state, resolve_year(ds, state), state.lang) if trigger == "f-compare" else None
    return {("url-found", "data"): {"from": search or "", "to": new_search} if new_search != (search or "")
            else no_update,
            ("f-region-search", "value"): "" if trigger == "f-region-search" and not said else no_update,
            ("region-notice", "data"): notice if len(notice) > 1 else None,
            ("f-compare", "value"): compared if compared is not None and compared != typed else no_update}


def texts(store: DataStore, search, user, notice=None, change=None, shown=None) -> dict:
    """The texts of a view, and its notices: what the URL could not say, a year moved, a region translated,
    and what a region search or the compare field found (`notice`, for the URL it wrote). `shown`: the view
    the texts show (texts-shown)."""
    ds = user_data(store, user)
    state, problems, translations, moved, away = view_after(ds, search, change)
    token = shown_token(ds, state)
    if shown == token and isinstance(change, dict) and change.get("search") == (search or "") and "moved" in change:
        return {}  # the moved URL of the view shown (moveUrl waited for these texts): nothing to send again
    out = dict(remembered(ds, "view:texts", render_texts, state))
    said = notice if isinstance(notice, dict) and notice.get("search") == (search or "") else {}
    moved = moved if moved is not None else years_moved(said.get("moved"))
    not_found = said.get("not_found") if isinstance(said.get("not_found"), str) else None
    notes = follow_notes(ds, state, translations, moved)
    missing = said.get("compare_missing")
    notes += [dbc.Alert(t("notice_compare_not_found", state.lang, text=str(w)[:40]), color="warning",
                        className="notice") for w in (missing if isinstance(missing, list) else [])[:8]]
    out[("notices", "html")] = notices_html(ds, state, problems, not_found, notes)
    # texts-shown: the view shown, marked when its notices name the URL's own problems or translations (then
    # the moved URL, which has none, is answered in full)
    out[("texts-shown", "data")] = token + ("!" if problems or translations else "")
    out[("texts-moved", "data")] = moved_key(ds, state, change) if away else no_update
    return out


def moved_key(ds, state: ViewState, change) -> str:
    """The moved view of one change ("<n>|<data>?<query>"; n from urlFromControls): the controls send it with
    the moved URL, the charts and the texts when they show that view, and moveUrl waits for all three. A
    key of an earlier change, still in a store, never matches. (dash-renderer also holds moveUrl while the
    charts and the texts are on their way, their outputs being its inputs; the key does not lean on that.)"""
    n = change.get("n") if isinstance(change, dict) else None
    return f"{n if type(n) is int else ''}|{shown_token(ds, state)}"


def url_change(change):
    """The change that wrote the URL, for a callback the URL set off; None when something else did (a file
    loaded: the view stays the one the URL shows, and follows nothing)."""
    return change if "url.search" in callback_context.triggered_prop_ids else None


def register_url(app) -> None:
    # URL <- controls, in the browser (assets/js): a change asks for the charts, the texts and the controls
    # at once, in one round trip. Nothing the server sends sets the URL but what `find` found and a view
    # that followed the data, each through the browser.
    app.clientside_callback(ClientsideFunction("dashboard", "urlFromControls"),
                            Output("url", "search"), Output("url-change", "data"),
                            Output("region-notice", "data", allow_duplicate=True),
                            [Input(c, "value") for c in URL_CONTROLS] + [Input("reset", "n_clicks")],
                            State("url", "search"), State("url-spec", "data"), State("view-query", "data"),
                            State("url-moved", "data"), prevent_initial_call=True)
    # What a region search, the map or the compare field found (`find`), if the URL is still the one it was for
    app.clientside_callback(ClientsideFunction("dashboard", "applyFound"),
                            Output("url", "search", allow_duplicate=True), Input("url-found", "data"),
                            State("url", "search"), prevent_initial_call=True)
    # A view that followed the data (a year moved): its URL replaces the one the control wrote (no new
    # history entry) once the charts and the texts show the moved view. The answers to that URL then
    # change nothing, and no answer on its way is dropped for them: the change is drawn after one round trip.
    app.clientside_callback(ClientsideFunction("dashboard", "moveUrl"),
                            Output("url", "search", allow_duplicate=True),
                            Output("url-change", "data", allow_duplicate=True),
                            Input("url-moved", "data"), Input("charts-moved", "data"), Input("texts-moved", "data"),
                            State("url", "search"), prevent_initial_call=True)


def register(app, store: DataStore) -> None:
    chart_keys = chart_outputs()
    inputs_of = [Input("url", "search"), Input("user-data", "data")]
    register_url(app)

    # URL -> controls. Its outputs that other callbacks read are allow_duplicate: dash-renderer then does not
    # count them among what the charts and texts wait for, so the three are asked for at once
    # (tests/test_browser_follow.py checks that a change is one round trip).
    @app.callback([Output(c, p, allow_duplicate=p == "value" or c == "f-compare") for c, p in CONTROL_OUTPUTS],
                  inputs_of, State("url-change", "data"), [State(c, "value") for c in URL_CONTROLS],
                  State("f-compare", "value"), State("view-query", "data"), prevent_initial_call="initial_duplicate")
    def controls_callback(search, user, change, *rest):
        shown, (compared, known) = dict(zip(URL_CONTROLS, rest[:len(URL_CONTROLS)])), rest[len(URL_CONTROLS):]
        out = controls(store, search, user, url_change(change), shown, compared, known)
        return [out[k] for k in CONTROL_OUTPUTS]

    @app.callback([Output(i, p, allow_duplicate=i == "f-compare") for i, p in FIND_OUTPUTS],
                  Input("f-region-search", "value"), Input("map-graph", "clickData"), Input("f-compare", "value"),
                  State("url", "search"), State("user-data", "data"), prevent_initial_call=True)
    def find_callback(typed, clicked, compared, search, user):
        trigger = callback_context.triggered_id
        out = find(store, search, trigger, compared if trigger == "f-compare" else typed, clicked, user)
        return [out[k] for k in FIND_OUTPUTS]

    @app.callback([Output(i, p) for i, p in chart_keys] + [Output("charts-shown", "data"), Output("charts-moved", "data")],
                  inputs_of, State("url-change", "data"), State("charts-shown", "data"))
    def charts_callback(search, user, change, shown):
        ds = user_data(store, user)
        change = url_change(change)
        state, _, _, _, away = view_after(ds, search, change)
        new = remembered(ds, "view:charts", render_charts, state)
        before = _shown_state(ds, shown)
        out = changes(new, cache.peek(ds, "view:charts", before) if before is not None else None)
        # charts-moved only when the view followed the data away from the URL (the store keeps its last value
        # otherwise, so an ordinary change sets off no clientside step)
        moved = moved_key(ds, state, change) if away else no_update
        return [out.get(k, no_update) for k in chart_keys] + [shown_token(ds, state), moved]

    @app.callback([Output(i, p) for i, p in TEXT_OUTPUTS + TEXT_STATE_OUTPUTS],
                  inputs_of + [Input("region-notice", "data")], State("url-change", "data"), State("texts-shown", "data"))
    def texts_callback(search, user, notice, change, shown):
        out = texts(store, search, user, notice, url_change(change), shown)
        return [out.get(k, no_update) for k in TEXT_OUTPUTS + TEXT_STATE_OUTPUTS]

    register_uploads(app, store)
    register_static(app)
    register_present_filters(app)


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

def register_present_filters(app) -> None:
    # The bar's values write the URL as the page's controls do (urlFromControls), and the controls callback
    # sets them; the bar opens and closes in the browser (the button, or V: assets/js).
    app.clientside_callback(ClientsideFunction("dashboard", "toggleFilterBar"),
                            Output("solo-filterbar", "hidden"), Output("solo-filters-toggle", "aria-expanded"),
                            Input("solo-filters-toggle", "n_clicks"))
