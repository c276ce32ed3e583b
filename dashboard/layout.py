"""The page's static shape. Texts carry an i18n id and are filled in the active language by a callback;
everything that depends on the data is filled by the view callback (callbacks.py)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from .i18n import t

# The charts on the page, in order; each gets the same section shape.
PAGE_CHARTS = ("trend", "groups", "outcomes", "ssb", "ssb_county", "countries", "education")
FILTERS = ("year", "region", "group", "gender", "education", "age", "series")
PLOTLY_CONFIG_BASE = {"displaylogo": False, "showSendToCloud": False, "responsive": True,
                      "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d",
                                                 "zoomOut2d", "autoScale2d", "resetScale2d", "toImage"],
                      "displayModeBar": False}


def T(key: str, lang: str, tag=html.Span, **kw):
    """A text that follows the language toggle."""
    return tag(t(key, lang), id={"type": "i18n", "key": key}, **kw)


def select(name: str, lang: str) -> html.Div:
    return html.Div([
        dbc.Label(t(f"filter_{name}", lang), html_for=f"f-{name}", id={"type": "i18n", "key": f"filter_{name}"},
                  className="filter-label"),
        dbc.Select(id=f"f-{name}", options=[], className="filter-select"),
    ], className="filter")


def filter_panel(lang: str) -> html.Nav:
    return html.Nav([
        html.H2(T("filters", lang), id="filters-heading", className="h5 panel-title"),
        *[select(n, lang) for n in FILTERS],
        html.Fieldset([
            html.Legend(t("filter_style", lang), id={"type": "i18n", "key": "filter_style"},
                        className="filter-label"),
            dbc.RadioItems(id="f-style", options=[{"label": t("style_bar", lang), "value": "bar"},
                                                   {"label": t("style_line", lang), "value": "line"}],
                           value="bar", inline=True),
        ], className="filter"),
        dbc.Button(t("reset_filters", lang), id="reset", color="secondary", outline=True, className="mt-2 w-100"),
    ], className="filter-panel", id="filters", **{"aria-labelledby": "filters-heading"})


def chart_section(chart: str, lang: str, config: dict) -> html.Section:
    return html.Section([
        html.H2(id=f"{chart}-title", className="chart-title"),
        html.Figure([
            html.Div(dcc.Graph(id=f"{chart}-graph", config=config, className="chart-graph"),
                     id=f"{chart}-chartbox", className="chart-box"),
            html.Div(id=f"{chart}-table", className="chart-table", hidden=True),
            html.Figcaption(id=f"{chart}-caption", className="chart-caption"),
        ], className="chart-figure"),
        html.P(id=f"{chart}-sources", className="chart-sources"),
        html.Div([
            html.Details([html.Summary(t("definitions", lang), id={"type": "i18n", "key": f"definitions-{chart}"}),
                          html.Div(id=f"{chart}-defs", className="chart-defs")], className="chart-details"),
            html.A(t("download_csv", lang), id=f"{chart}-csv", href="/data.csv", className="chart-link",
                   download=""),
        ], className="chart-actions"),
    ], className="chart-section", id=f"section-{chart}", **{"aria-labelledby": f"{chart}-title"})


def page(lang: str = "nb", locale: dict | None = None, missing_assets=(), setup_hint: str = "") -> html.Div:
    config = dict(PLOTLY_CONFIG_BASE)
    if locale:
        config.update({"locale": "no", "locales": {"no": locale}})
    warning = [html.P(f"Front-end files are missing ({', '.join(missing_assets)}). Run: {setup_hint}",
                      className="setup-warning", style={"background": "#fff3cd", "padding": "1rem"})] \
        if missing_assets else []
    return html.Div(warning + [
        dcc.Location(id="url", refresh=False),
        html.Div(id="lang-sink", hidden=True),
        html.A(t("skip_to_content", lang), href="#main", className="skip-link",
               id={"type": "i18n", "key": "skip_to_content"}),
        html.Header(dbc.Container([
            html.Div([
                T("app_title", lang, tag=html.H1, className="app-title"),
                T("app_subtitle", lang, tag=html.P, className="app-subtitle"),
            ]),
            html.Div([
                html.A(t("lang_switch", lang), id="lang-link", href="/?lang=en", className="btn btn-outline-light",
                       lang="en" if lang == "nb" else "nb"),
            ], className="header-actions"),
        ], fluid="xl", className="header-inner"), className="app-header"),
        dbc.Container(dbc.Row([
            dbc.Col(filter_panel(lang), lg=3, className="panel-col"),
            dbc.Col(html.Main([
                html.Div(id="notices", role="status", className="notices"),
                html.Section([
                    html.H2(t("key_figures", lang), id={"type": "i18n", "key": "key_figures"},
                            className="section-title"),
                    html.Div(id="cards", className="cards"),
                ], className="key-figures"),
                html.Section([
                    html.H2(t("key_findings", lang), id={"type": "i18n", "key": "key_findings"},
                            className="section-title"),
                    html.Ul(id="findings", className="findings"),
                ], className="findings-box"),
                *[chart_section(c, lang, config) for c in PAGE_CHARTS],
            ], id="main", tabIndex="-1"), lg=9),
        ]), fluid="xl", className="app-body"),
        html.Footer(dbc.Container([
            html.H2(t("footer_defs_title", lang), id={"type": "i18n", "key": "footer_defs_title"}, className="h5"),
            html.P(t("footer_def_imdi", lang), id={"type": "i18n", "key": "footer_def_imdi"}),
            html.P(t("footer_def_ssb", lang), id={"type": "i18n", "key": "footer_def_ssb"}),
            html.P(t("footer_about", lang), id={"type": "i18n", "key": "footer_about"}),
            html.A(t("download_all", lang), id="download-all", href="/data.csv", download=""),
            html.H2(t("footer_sources", lang), id={"type": "i18n", "key": "footer_sources"}, className="h5 mt-3"),
            html.Ul(id="source-list", className="source-list"),
        ], fluid="xl"), className="app-footer"),
    ], className="app-root")
