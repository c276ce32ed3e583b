"""The chart registry: every chart is one module in this folder, registered here once.

Each module declares `CHART = Chart(id, build, needs=…, definitions=…)`: what it asks of the query and
how it builds its figure, table, caption and cells (base.py). The page, /chart.png, /chart.svg,
/data.xlsx, /data.csv?chart=, the presentation deck and the embed page all read REGISTRY, and the ids are
the URL's `chart=` values, in the page's order (_MODULES). A chart that lacks a part fails here, when the app
starts.
"""
from __future__ import annotations

from ...model.query import PARTS_OF_QUERY, Result, query
from ..state import CHART_ID, ViewState
from . import cards, compare, countries, definitions, education_gender, groups, map, outcomes, region, ssb, ssb_county, trend
from .base import Chart, ChartSpec

_MODULES = (region, compare, trend, groups, definitions, outcomes, ssb, ssb_county, map, countries, education_gender,
            cards)


def _registry() -> dict[str, Chart]:
    found = {m.CHART.id: m.CHART for m in _MODULES}
    problems = [f"{m.__name__} declares chart {m.CHART.id!r} again" for m in _MODULES if found[m.CHART.id] is not m.CHART]
    problems += [f"chart id {i!r} is not a URL value (lower case and _)" for i in found if not CHART_ID.fullmatch(i)]
    for c in found.values():
        if not callable(c.build) or not callable(c.definitions):
            problems.append(f"chart {c.id!r} lacks build() or definitions()")
        problems += [f"chart {c.id!r} needs {n!r}, which the query does not compute"
                     for n in c.needs if n not in PARTS_OF_QUERY]
    if problems:
        raise RuntimeError("; ".join(problems))
    return found


REGISTRY: dict[str, Chart] = _registry()
PAGE_CHARTS: tuple[str, ...] = tuple(i for i, c in REGISTRY.items() if c.on_page)
IMAGE_CHARTS: tuple[str, ...] = tuple(i for i, c in REGISTRY.items() if c.image)


def get(chart_id: str) -> Chart:
    return REGISTRY[chart_id]


def spec(chart_id: str, result: Result, lang: str) -> ChartSpec:
    return REGISTRY[chart_id].spec(result, lang)


def needs(chart_ids) -> tuple[str, ...]:
    """The query parts a set of charts reads, once each."""
    return tuple(dict.fromkeys(n for c in chart_ids for n in REGISTRY[c].needs))


def one(ds, state: ViewState, chart_id: str) -> tuple[Result, ChartSpec]:
    """Query for one chart alone (an image, a download, an embed) and build it."""
    result = query(ds, state, needs=needs([chart_id]))
    return result, spec(chart_id, result, state.lang)


def page(result: Result, lang: str) -> dict[str, ChartSpec]:
    return {c: spec(c, result, lang) for c in PAGE_CHARTS}
