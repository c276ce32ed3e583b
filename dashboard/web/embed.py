"""The embed page (`?embed=1&chart=ID`): one chart alone for an iframe, with its title, caption, source and a
link back. It is a small page of its own rather than the whole app with nine charts hidden: the server
builds the one chart (charts.one asks the query for that chart's parts only) and puts its figure in the
page as JSON, which assets/js/embed.js draws with the same plotly bundle. No callback, no hidden chart.
The user's own file is never on the server, so this page shows the published figures only; opened in a tab
that holds a file, it says so (assets/js/embed.js shows its note).
"""
from __future__ import annotations

import json

import flask
from markupsafe import Markup, escape

from ..views import charts, urls
from ..views.i18n import t
from ..views.state import ViewState
from ..views.text import describe
from .callbacks import parse_view, solo_figure
from .fragments import to_html
from . import pieces

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{bootstrap}">
<link rel="stylesheet" href="{css}">
</head>
<body>
<div class="app-root embedded" id="app-root">
<main id="solo" class="solo">
<div class="solo-head"><h1 id="solo-title" class="solo-title">{title}</h1>
<p id="solo-subtitle" class="solo-subtitle">{subtitle}</p></div>
<div id="solo-chartbox" class="solo-chartbox"{chart_hidden}><div id="solo-graph" class="solo-graph" role="img"
 aria-label="{caption}"><div id="embed-plot" class="embed-plot"></div></div></div>
{cards}
<p id="solo-caption" class="solo-caption">{caption}</p>
<p id="solo-source" class="solo-source">{source}</p>
<p id="embed-user-note" class="solo-source embed-user-note" role="note" hidden>{user_note}</p>
<a id="solo-back" class="solo-back" href="{back}" target="_blank" rel="noopener">{back_text}</a>
</main>
</div>
<script type="application/json" id="embed-figure">{figure}</script>
<script src="{plotly}"></script>
<script src="{panels}"></script>
<script src="{js}"></script>
</body>
</html>
"""


def page(app, ds, state: ViewState) -> str:
    """The whole embed page of one chart, as HTML (every text escaped; the figure as inert JSON)."""
    lang = state.lang
    chart = state.chart if state.chart in charts.REGISTRY else ViewState().chart
    view = state.replace(embed=False, chart=chart)
    result, spec = charts.one(ds, view, chart)
    cards = chart == "cards"
    figure = {} if cards else solo_figure(spec.figure, large=False)
    # </script> can never close the data block: JSON's "\u003c" for "<" reads the same.
    data = json.dumps(figure, ensure_ascii=False, default=str).replace("<", "\\u003c")
    source = t("source_line", lang, sources="; ".join(spec.sources)) if spec.sources else ""
    return PAGE.format(
        lang=escape(lang), title=escape(t("key_figures", lang) if cards else spec.title.split(" · ")[0]),
        subtitle=escape(describe(view, result.year, lang)), caption=escape(spec.caption), source=escape(source),
        chart_hidden=" hidden" if cards else "",
        cards=Markup(f'<div id="solo-cards" class="cards solo-cards">{to_html(pieces.cards(result, lang))}</div>')
        if cards else "",
        back=escape(urls.full_view(state)), back_text=escape(t("embed_back", lang)), figure=Markup(data),
        user_note=escape(t("embed_user_note", lang)),
        bootstrap=app.get_asset_url("vendor/bootstrap.min.css"), css=app.get_asset_url("css/dashboard.css"),
        plotly=app.get_asset_url("vendor/plotly-basic.min.js"), panels=app.get_asset_url("js/panels.js"),
        js=app.get_asset_url("js/embed.js"))


def register(app, store) -> None:
    @app.server.before_request
    def embed_page():
        req = flask.request
        if req.method != "GET" or req.path != "/" or req.args.get("embed") not in ("1", "true", "yes", "ja"):
            return None
        ds = store.dataset
        state, _ = parse_view(ds, req.query_string.decode("utf-8", "replace"))
        if not state.embed:  # embed=1 with another invalid value: the page says what it could not read
            return None
        return flask.Response(page(app, ds, state), mimetype="text/html")
