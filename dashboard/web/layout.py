"""The page's static shape. Texts carry an i18n id and are filled in the active language by a callback;
everything that depends on the data is filled by the view callback (callbacks.py)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..model import dimensions as dims, regions
from ..views.charts import PAGE_CHARTS
from ..views import urls
from ..views.i18n import t
from .fragments import Fragment

# The filters: every dimension that is one (dimensions.py), then the measure. CONTROLS adds the view options.
FILTERS = dims.FILTER_IDS + ("series",)
CONTROLS = FILTERS + ("style", "view")
CHART_PARTS = (("head", "html"), ("graph", "figure"), ("caption", "html"), ("foot", "html"))


def chart_outputs() -> list[tuple[str, str]]:
    """What the charts callback sets: each page chart's section, whether the region section shows, and the
    footer's list of the charts' sources."""
    return [("section-region", "hidden"), ("section-compare", "hidden")] + [
        (f"{c}-{part}", prop) for c in PAGE_CHARTS for part, prop in CHART_PARTS] + [("source-list", "html")]
PLOTLY_CONFIG_BASE = {"displaylogo": False, "showSendToCloud": False, "responsive": True, "displayModeBar": False}


def T(key: str, lang: str, tag=html.Span, place: str = "", **kw):
    """A text that follows the language toggle. `place` tells apart the same text used twice."""
    return tag(t(key, lang), id={"type": "i18n", "key": f"{key}@{place}" if place else key}, **kw)


def select(name: str, lang: str) -> html.Div:
    return html.Div([
        T(f"filter_{name}", lang, tag=dbc.Label, html_for=f"f-{name}", className="filter-label"),
        dbc.Select(id=f"f-{name}", options=[], className="filter-select"),
    ], className="filter")


def radios(name: str, lang: str, values: tuple[str, ...]) -> html.Fieldset:
    return html.Fieldset([
        T(f"filter_{name}", lang, tag=html.Legend, className="filter-label"),
        dbc.RadioItems(id=f"f-{name}", options=[{"label": t(f"{name}_{v}", lang), "value": v} for v in values],
                       value=values[0], inline=True),
    ], className="filter")


def region_options() -> list[str]:
    """Every county and municipality since 2016 with its code and years, for type-ahead by name or number."""
    seen, out = set(), ["Norge (0)"]
    for year in range(2016, 2027):
        for level in ("county", "municipality"):
            for r in regions.regions_in(year, level):
                key = (r.code, r.name)
                if key in seen:
                    continue
                seen.add(key)
                until = f"–{r.valid_to.year - 1}" if r.valid_to else "–"
                out.append(f"{r.name} ({r.code}, {max(r.valid_from.year, 2016)}{until})")
    return out


def region_search(lang: str) -> html.Div:
    return html.Div([
        T("filter_region_search", lang, tag=dbc.Label, html_for="f-region-search", className="filter-label"),
        dcc.Input(id="f-region-search", type="search", debounce=True, value="",
                  className="form-control", autoComplete="off"),
        # About 900 names: as Dash components they would be 900 wrappers that the renderer visits on every
        # update. One store holds them and assets/js builds the <datalist> outside React.
        dcc.Store(id="region-names", data=region_options()),
        T("region_search_hint", lang, tag=html.P, className="filter-hint"),
    ], className="filter")


def compare_field(lang: str) -> html.Div:
    """"Sammenlign med …": region names or codes separated by commas, with the region list for type-ahead."""
    return html.Div([
        T("filter_compare", lang, tag=dbc.Label, html_for="f-compare", className="filter-label"),
        dcc.Input(id="f-compare", type="text", debounce=True, value="", className="form-control",
                  autoComplete="off"),
        T("compare_hint", lang, tag=html.P, className="filter-hint"),
    ], className="filter")


def filter_panel(lang: str) -> html.Nav:
    return html.Nav(html.Details([
        html.Summary(html.H2(T("filters", lang), id="filters-heading", className="h5 panel-title")),
        select(dims.YEAR, lang), region_search(lang), *[select(n, lang) for n in FILTERS if n != dims.YEAR],
        compare_field(lang),
        radios("style", lang, ("bar", "line")),
        radios("view", lang, ("chart", "table")),
        dbc.Button(T("reset_filters", lang), id="reset", color="secondary", outline=True, className="mt-2 w-100"),
        html.Div([
            T("upload_title", lang, tag=html.H3, className="h6 mt-4"),
            dcc.Upload(T("upload_button", lang, tag=html.Button, type="button", className="btn btn-outline-primary w-100"),
                       id="upload", max_size=-1, className="upload"),
            T("upload_hint", lang, tag=html.P, className="filter-hint"),
            html.Div(id="upload-status", role="status", className="upload-status"),
            dbc.Button(T("upload_clear", lang), id="upload-clear", color="link", className="p-0", n_clicks=0),
        ], className="upload-box"),
    ], open=True, id="filters-details"), className="filter-panel", id="filters",
        **{"aria-labelledby": "filters-heading"})


def chart_section(chart: str, lang: str, config: dict) -> html.Section:
    """A chart with its title, note, caption, sources, definitions and downloads. Around the graph, the
    parts that follow the view are Fragments (server-rendered HTML, one component each: see fragments.py);
    the table view puts the chart's table in its caption."""
    return html.Section([
        Fragment(id=f"{chart}-head", className="chart-head"),  # <h2 id={chart}-title> and the note
        html.Figure([
            dcc.Graph(id=f"{chart}-graph", config=config, className="chart-graph"),
            Fragment(id=f"{chart}-caption", tag="figcaption", className="chart-caption"),
        ], className="chart-figure"),
        Fragment(id=f"{chart}-foot", className="chart-foot"),  # sources, definitions, download links
    ], className="chart-section", id=f"section-{chart}", **{"aria-labelledby": f"{chart}-title"})


# What the presentation's filter bar changes while presenting (the slide stays).
PRESENT_FILTERS = (dims.GENDER, dims.GROUP, dims.YEAR, dims.REGION, "series")
# Each control that sets one field of the view, by its id: the page's and the presentation's bar.
URL_CONTROLS = {f"f-{n}": n for n in CONTROLS} | {f"p-{n}": n for n in PRESENT_FILTERS}


def present_filter_bar(lang: str) -> html.Div:
    """A compact row of the filters that matter in a meeting; opened by the Filters button or the V key."""
    return html.Div([
        html.H2(T("present_filters_title", lang), id="solo-filterbar-title", className="visually-hidden"),
        *[html.Div([
            T(f"filter_{n}", lang, tag=dbc.Label, place="present", html_for=f"p-{n}", className="solo-filter-label"),
            dbc.Select(id=f"p-{n}", options=[], className="solo-filter-select", size="sm"),
        ], className="solo-filter") for n in PRESENT_FILTERS],
    ], id="solo-filterbar", className="solo-filterbar", hidden=True, role="group",
        **{"aria-labelledby": "solo-filterbar-title"})


def solo(config: dict, lang: str = "nb") -> html.Main:
    """One chart or the key-figure cards alone: presentation mode and embedding. In presentation mode a
    column that fills the window: the graph takes the room the texts leave (assets/css)."""
    return html.Main([
        html.Div([html.H1(id="solo-title", className="solo-title"), html.P(id="solo-subtitle", className="solo-subtitle")],
                 className="solo-head"),
        present_filter_bar(lang),
        html.Div(dcc.Graph(id="solo-graph", config=config, className="solo-graph", responsive=True),
                 id="solo-chartbox", className="solo-chartbox"),
        Fragment(id="solo-cards", className="cards solo-cards"),
        Fragment(id="solo-table", className="chart-table", hidden=True),
        html.P(id="solo-caption", className="solo-caption"),
        html.P(id="solo-source", className="solo-source"),
        html.Nav([
            dcc.Link(id="solo-prev", href="", className="btn btn-outline-primary solo-btn"),
            html.Span(id="solo-counter", className="solo-counter"),
            dcc.Link(id="solo-next", href="", className="btn btn-primary solo-btn"),
            html.Button(T("present_filters", lang), id="solo-filters-toggle", type="button", n_clicks=0,
                        className="btn btn-outline-primary solo-btn",
                        # aria-expanded comes from the toggle's callback: a second aria-* here would be
                        # written in an order that changes from process to process (Dash keeps them in a set).
                        **{"aria-controls": "solo-filterbar"}),
            html.Button(T("copy_link", lang, place="present"), id="solo-copy", type="button",
                        className="btn btn-outline-primary solo-btn"),
            dcc.Link(id="solo-exit", href="", className="btn btn-outline-secondary solo-btn"),
            html.Span(id="solo-copy-status", className="solo-copy-status", role="status"),
        ], id="solo-nav", className="solo-nav", **{"aria-label": "Presentasjon"}),
        html.A(id="solo-back", href="./", target="_blank", rel="noopener", className="solo-back"),
    ], id="solo", className="solo", hidden=True)


def page(lang: str = "nb", locale: dict | None = None, missing_assets=(), setup_hint: str = "") -> html.Div:
    config = dict(PLOTLY_CONFIG_BASE)
    if locale:
        config.update({"locale": "no", "locales": {"no": locale}})
    warning = [html.P(f"Front-end files are missing ({', '.join(missing_assets)}). Run: {setup_hint}",
                      className="setup-warning", style={"background": "#fff3cd", "padding": "1rem"})] \
        if missing_assets else []
    return html.Div(warning + [
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="user-data", storage_type="session"),
        dcc.Store(id="charts-shown"),      # the view the charts on screen show (so only changes are sent)
        dcc.Store(id="texts-shown"),       # the view the texts show
        # The moved view of the last change whose view followed the data away from its URL, once the charts
        # (the texts) show it; an ordinary change leaves them as they are (moveUrl waits for both)
        dcc.Store(id="charts-moved"),
        dcc.Store(id="texts-moved"),
        dcc.Store(id="region-notice"),     # what a region search or the compare field found, for the notices
        # URL <- controls in the browser (assets/js, urlFromControls) and what it needs: which field each control
        # sets; the view the server found in the URL (its canonical query); the control whose change wrote the
        # URL (for a view that follows the data); the URL a view that followed the data moved to.
        dcc.Store(id="url-spec", data=urls.control_spec(URL_CONTROLS)),
        dcc.Store(id="view-query"),
        dcc.Store(id="url-change"),
        dcc.Store(id="url-moved"),
        dcc.Store(id="url-found"),        # the URL a region search, the map or the compare field leads to
        dcc.Store(id="lang-store"),
        html.Div(id="lang-sink", hidden=True),
        html.Div(id="mode-sink", hidden=True),
        T("skip_to_content", lang, tag=html.A, href="#main", className="skip-link"),
        html.Div([
            page_header(lang),
            dbc.Container(dbc.Row([
                dbc.Col([filter_panel(lang),
                         html.Button(T("show_results", lang), id="show-results", type="button",
                                     className="btn btn-primary show-results")], lg=3, className="panel-col"),
                dbc.Col(html.Main([
                    Fragment(id="notices", role="status", className="notices"),
                    html.Section([
                        T("key_figures", lang, tag=html.H2, className="section-title"),
                        Fragment(id="cards", className="cards"),
                    ], className="key-figures"),
                    html.Section([
                        T("key_findings", lang, tag=html.H2, className="section-title"),
                        Fragment(id="findings", tag="ul", className="findings"),
                    ], className="findings-box"),
                    *[chart_section(c, lang, config) for c in PAGE_CHARTS],
                ], id="main", tabIndex="-1"), lg=9),
            ]), fluid="xl", className="app-body"),
            page_footer(lang),
        ], id="page"),
        solo(config, lang),
    ], className="app-root", id="app-root")


def page_header(lang: str) -> html.Header:
    """The page's header: title, subtitle, and the buttons to copy a link, present and switch language."""
    return html.Header(dbc.Container([
        html.Div([
            T("app_title", lang, tag=html.H1, className="app-title"),
            T("app_subtitle", lang, tag=html.P, className="app-subtitle"),
        ]),
        html.Div([
            html.Button(T("copy_link", lang), id="copy-link", className="btn btn-outline-light", type="button"),
            dcc.Link(T("present", lang), id="present-link", href="?present=1",
                     className="btn btn-outline-light"),
            html.A(t("lang_switch", lang), id="lang-link", href="?lang=en", className="btn btn-light",
                   lang="en" if lang == "nb" else "nb"),
            html.Span(id="copy-status", className="copy-status", role="status"),
        ], className="header-actions"),
    ], fluid="xl", className="header-inner"), className="app-header")


def page_footer(lang: str) -> html.Footer:
    """The page's footer: both definitions, the downloads and the list of sources."""
    return html.Footer(dbc.Container([
        T("footer_defs_title", lang, tag=html.H2, className="h5"),
        T("footer_def_imdi", lang, tag=html.P),
        T("footer_def_ssb", lang, tag=html.P),
        T("footer_about", lang, tag=html.P),
        html.A(T("download_all", lang), id="download-all", href="data.csv", download=""),
        html.Button(T("download_user_csv", lang), id="download-user", type="button", hidden=True,
                    className="btn btn-outline-primary"),
        dcc.Download(id="download-user-file"),
        dcc.Download(id="download-user-chart"),   # a chart's file with the user's figures (callbacks)
        dcc.Store(id="user-download-request"),
        T("footer_sources", lang, tag=html.H2, className="h5 mt-3"),
        Fragment(id="source-list", tag="ul", className="source-list"),
    ], fluid="xl"), className="app-footer")
