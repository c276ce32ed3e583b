"""Every link the app writes: a view's URL plus a path and an extension (Datasette's url_builder).

All of them are built from `ViewState.to_query()`, relative to the page ("?year=2022", "data.csv?…"), so
they stay under a URL prefix (/intro/) when the app runs behind a proxy. No link is put together by hand
anywhere else.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from urllib.parse import urlencode

from .state import ViewState

# What a chart can be downloaded as, and the route that serves it.
DOWNLOADS = {"png": "chart.png", "svg": "chart.svg", "csv": "data.csv", "xlsx": "data.xlsx"}
IMAGE_KINDS = ("png", "svg")


def with_query(path: str, state: ViewState, **extra: str) -> str:
    """`path?query` with only what differs from the defaults, then `extra` (always written)."""
    q = state.to_query()
    if extra:
        q = "&".join(p for p in (q, urlencode(extra)) if p)
    return f"{path}?{q}" if q else (path or "./")


def page(state: ViewState) -> str:
    return with_query("", state)


def _download_state(state: ViewState, chart: str) -> ViewState:
    # A file shows the chart, not the table view or the presentation around it.
    return state.replace(chart=chart, view="chart", present=False, embed=False, slide=0, deck="")


def download(state: ViewState, chart: str, kind: str) -> str:
    """One chart's PNG, SVG, CSV or XLSX, with every option of the view (style, language, filters). `chart`
    is always written, even the default one: without it /data.csv and /data.xlsx give the whole view."""
    return f"{DOWNLOADS[kind]}?{_download_query(state, chart)}"


@lru_cache(maxsize=4096)  # a page writes 4 links for each of its charts; a ViewState is frozen and hashable
def _download_query(state: ViewState, chart: str) -> str:
    q = _download_state(state, chart).replace(chart=ViewState().chart).to_query()
    return "&".join(p for p in (q, urlencode({"chart": chart})) if p)


def view_data(state: ViewState) -> str:
    """Every cell behind the view (the footer's "Last ned alle tall")."""
    return with_query(DOWNLOADS["csv"], _download_state(state, ViewState().chart))


def present(state: ViewState, slide: int = 0) -> str:
    return with_query("", state.replace(present=True, embed=False, slide=slide))


def embed(state: ViewState, chart: str) -> str:
    return with_query("", state.replace(embed=True, present=False, slide=0, deck="", chart=chart))


def other_language(state: ViewState) -> str:
    return with_query("", state.replace(lang="en" if state.lang == "nb" else "nb"))


def without_present(state: ViewState) -> str:
    """The page behind a presentation (Esc)."""
    return with_query("", state.replace(present=False, slide=0, deck="", chart=ViewState().chart))


def full_view(state: ViewState) -> str:
    """The full page an embedded chart links back to."""
    return with_query("", state.replace(embed=False, chart=ViewState().chart))


def control_spec(controls: dict[str, str]) -> dict:
    """What the browser needs to write a control's value into the URL as `to_query()` would
    (assets/js, urlFromControls): the fields in the order a URL writes them, which field each control sets
    (`controls`: control id -> field), and the value each control shows for a field at its default."""
    default = ViewState()
    shown = {f: ("latest" if getattr(default, f) is None else str(getattr(default, f))) for f in controls.values()}
    return {"fields": [f.name for f in dataclasses.fields(ViewState)], "controls": dict(controls),
            "order": list(controls), "defaults": shown}
