"""County and municipality maps as pure functions of cells and a language. No Dash here.

The outlines are Kartverket's (CC BY 4.0, credit "© Kartverket" on every map), simplified by
data/build/build_maps.py into data/geo/. There are two structures: 2020 (11 counties, 2020–2023) and 2024
(15 counties, from 2024). The structures before 2020 have no outlines here, so there is no map for those
years, and the caller gets a note saying so.

A map is drawn as filled polygons (`go.Scatter(fill="toself")`, one trace per region) on hidden cartesian
axes with an equal aspect ratio corrected by cos(latitude): it needs only the basic plotly.js bundle (no
geo or map traces), no base-map download and no third-party request. Each region's trace carries its code
in `customdata`; a click on a filled region reaches Dash with the trace's whole `customdata` (plotly.js
gives fill hovers no point index, and dcc.Graph then passes the trace's array), so read the code with
`code_from_click`.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path


from .. import i18n


from ...model import regions
from ..plotfig import Figure
from .base import base_layout, empty_figure, escape, hover
from ..i18n import t
from ...model.query import Cell
from ..text import cell_value

GEO_DIR = Path(__file__).resolve().parents[3] / "data" / "geo"
FILES = {("county", "2020"): "counties-2020.json", ("county", "2024"): "counties-2024.json",
         ("municipality", "2020"): "municipalities-2020.json",
         ("municipality", "2024"): "municipalities-2024.json"}
FIRST_YEAR = {"2020": 2020, "2024": 2024}
ATTRIBUTION = "© Kartverket"

# ColorBrewer "Blues" (colour-blind safe, sequential), light to dark; the darkest is 7.6:1 against white.
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
N_CLASSES = len(PALETTE)
# No figures: white with grey hatching, so that it is told by the pattern and not by colour alone.
NO_DATA_FILL = "#ffffff"
NO_DATA_PATTERN = {"shape": "/", "fgcolor": "#8c8c8c", "bgcolor": "#ffffff", "size": 7, "solidity": 0.3}
BORDER = {"county": ("#5c6670", 0.8), "municipality": ("#5c6670", 0.6)}
SELECTED_LINE = {"color": "#111111", "width": 2.5}
SELECTED_HALO = {"color": "#ffffff", "width": 5}

# Strings the map needs, used until the catalogues have them (then the catalogue wins).
FALLBACK_STRINGS = {
    "nb": {
        "map_no_data": "Ingen tall",
        "map_no_outlines": "Kart finnes fra 2020. Fylkes- og kommuneinndelingen i {year} har ingen "
                           "kartomriss her, så tallene vises bare i tabellen.",
        "map_not_drawn": "Ikke på kartet fordi omrisset mangler: {regions}.",
        "map_no_regions": "Ingen kommuneomriss for {county} i {year}.",
    },
    "en": {
        "map_no_data": "No figures",
        "map_no_outlines": "Maps start in 2020. The county and municipality structure of {year} has no "
                           "outlines here, so the figures are shown in the table only.",
        "map_not_drawn": "Not on the map because the outline is missing: {regions}.",
        "map_no_regions": "No municipality outlines for {county} in {year}.",
    },
}


def _t(key: str, lang: str, **kw) -> str:
    lang = lang if lang in i18n.LANGS else "nb"
    if key in i18n.catalogue(lang):
        return t(key, lang, **kw)
    text = FALLBACK_STRINGS[lang][key]
    return text.format(**kw) if kw else text


# ---- outlines -----------------------------------------------------------------------------------

def structure_for(year: int | None) -> str | None:
    """The outlines valid in a year: "2020" for 2020–2023, "2024" from 2024, None before 2020 (the
    structures of 2016–2019 have no outlines here)."""
    if year is None:
        return None
    if year >= 2024:
        return "2024"
    if year >= 2020:
        return "2020"
    return None


@lru_cache(maxsize=len(FILES))
def outlines(level: str, structure: str) -> dict:
    """The outline file of a level and structure: {"attribution", "structure", "level", "source",
    "regions": {code: {"name", "rings": [[[lon, lat], ...], ...]}}}. Cached: do not change it."""
    if (level, structure) not in FILES:
        raise ValueError(f"no outlines for level={level!r}, structure={structure!r}")
    with open(GEO_DIR / FILES[(level, structure)], encoding="utf-8") as fh:
        return json.load(fh)


def county_of(code: str) -> str:
    """The county of a municipality code (its first two digits, in both structures); a county is its own."""
    return code[:2]


def code_from_click(click_data: dict | None) -> str | None:
    """The region code of a dcc.Graph clickData on the map (customdata is the code or a list of it)."""
    try:
        cd = click_data["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return None
    if isinstance(cd, (list, tuple)):
        cd = cd[0] if cd else None
    return str(cd) if cd not in (None, "") else None


# ---- values ---------------------------------------------------------------------------------------

# ---- classes ----------------------------------------------------------------------------------

def classify(values, k: int = N_CLASSES) -> list[tuple[float, float]]:
    """At most k classes (lowest, highest value in each), by natural breaks (Fisher–Jenks) over the
    distinct values: every class holds at least one value, equal values share a class, and a higher value
    never falls in a lower class."""
    distinct = sorted(set(float(v) for v in values))
    if not distinct:
        return []
    if len(distinct) <= k:
        return [(v, v) for v in distinct]
    weight = {v: 0 for v in distinct}
    for v in values:
        weight[float(v)] += 1
    n = len(distinct)
    w = [weight[v] for v in distinct]
    s1, s2, sw = [0.0], [0.0], [0.0]
    for v, c in zip(distinct, w):
        s1.append(s1[-1] + v * c)
        s2.append(s2[-1] + v * v * c)
        sw.append(sw[-1] + c)

    def cost(i: int, j: int) -> float:   # distinct[i:j]
        ww = sw[j] - sw[i]
        return (s2[j] - s2[i]) - (s1[j] - s1[i]) ** 2 / ww

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for m in range(1, k + 1):
        for j in range(m, n + 1):
            for i in range(m - 1, j):
                c = best[m - 1][i] + cost(i, j)
                if c < best[m][j] - 1e-12:
                    best[m][j], back[m][j] = c, i
    cuts, j = [], n
    for m in range(k, 0, -1):
        i = back[m][j]
        cuts.append((i, j))
        j = i
    return [(distinct[i], distinct[j - 1]) for i, j in reversed(cuts)]


def class_colours(n: int) -> list[str]:
    """n colours of the palette, spread light to dark."""
    if n <= 0:
        return []
    if n == 1:
        return [PALETTE[2]]
    return [PALETTE[round(i * (N_CLASSES - 1) / (n - 1))] for i in range(n)]


def _fmt(value: float, unit: str, lang: str, with_unit: bool) -> str:
    decimals = 0 if float(value).is_integer() else 1
    if unit == "percent" and with_unit:
        return i18n.percent(value, lang, decimals)
    return i18n.number(value, lang, decimals)


def class_label(lo: float, hi: float, unit: str, lang: str) -> str:
    """'59–62 %', '71 %', '1 200–3 400'."""
    if lo == hi:
        return _fmt(hi, unit, lang, True)
    return f"{_fmt(lo, unit, lang, False)}–{_fmt(hi, unit, lang, True)}"


def class_of(value: float, classes: list[tuple[float, float]]) -> int:
    for i, (lo, hi) in enumerate(classes):
        if value <= hi:
            return i
    return len(classes) - 1


# ---- the figure -----------------------------------------------------------------------------------

def _region_name(code: str, year: int, lang: str, outline_name: str) -> str:
    n = regions.name(code, year, lang)
    return outline_name if n == code else n


@lru_cache(maxsize=4096)  # the outlines never change: each region's line is worked out once, shared, read-only
def _path(level: str, structure: str, code: str) -> tuple[tuple, tuple]:
    """A region's rings as one line's x and y (None between rings)."""
    xs, ys = [], []
    for ring in outlines(level, structure)["regions"][code]["rings"]:
        if xs:
            xs.append(None), ys.append(None)
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)
    return tuple(xs), tuple(ys)


def _hover(meta, cell: Cell, lang: str, name: str) -> str:
    if meta is not None:
        return hover(meta, cell, lang, name)
    lines = [f"<b>{name}</b>: {cell_value(cell, lang)}", str(cell.year)]
    if cell.computed:
        lines.append(f"<i>{t('computed_mark', lang)}</i>")
    lines.append(f"{t('hover_source', lang)}: {cell.source}")
    return "<br>".join(escape(x) for x in lines)


def _wanted(values: dict[str, Cell], level: str, county: str | None, shapes: dict) -> tuple[list, dict]:
    """The outlines to draw (one county's municipalities, or all of the level) and the cells of that level."""
    width = 2 if level == "county" else 4
    if level == "municipality" and county:
        codes = [c for c in shapes if county_of(c) == county]
        wanted = {c: v for c, v in values.items() if len(c) == width and county_of(c) == county}
    else:
        codes = list(shapes)
        wanted = {c: v for c, v in values.items() if len(c) == width}
    return codes, wanted


def _bounds(codes: list, shapes: dict) -> tuple[list[float], list[float], float]:
    """The x and y ranges of what is drawn, padded, and the cos(latitude) that keeps a kilometre east as
    long as one north."""
    lons = [p[0] for c in codes for ring in shapes[c]["rings"] for p in ring]
    lats = [p[1] for c in codes for ring in shapes[c]["rings"] for p in ring]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    aspect = math.cos(math.radians((y0 + y1) / 2))
    pad_x, pad_y = (x1 - x0) * 0.02 + 0.01, (y1 - y0) * 0.02 + 0.01
    return [x0 - pad_x, x1 + pad_x], [y0 - pad_y, y1 + pad_y], aspect


def _add_regions(fig: Figure, codes: list, shapes: dict, drawn: dict, classes, colours, level: str,
                 year: int, lang: str, selected: str | None, meta) -> None:
    """One filled trace per region (hatched where it has no figures), the selected one last, on top."""
    border, border_width = BORDER[level]
    order = sorted(codes, key=lambda c: (c == selected, c))   # the selected one on top
    structure = structure_for(year)
    for code in order:
        shape = shapes[code]
        xs, ys = _path(level, structure, code)
        name = _region_name(code, year, lang, shape["name"])
        cell = drawn.get(code)
        is_selected = code == selected
        if is_selected:
            fig.add_scatter(x=xs, y=ys, mode="lines", line=SELECTED_HALO, hoverinfo="skip",
                            showlegend=False, customdata=[code], name=name)
        line = SELECTED_LINE if is_selected else {"color": border, "width": border_width}
        if cell is None:
            fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=NO_DATA_FILL,
                            fillpattern=NO_DATA_PATTERN, line=line, hoveron="fills", hoverinfo="text",
                            text=f"<b>{escape(name)}</b>: {_t('map_no_data', lang)}", customdata=[code],
                            name=name, legendgroup="nodata", showlegend=False)
        else:
            k = class_of(cell.value, classes)
            fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colours[k], line=line,
                            hoveron="fills", hoverinfo="text", text=_hover(meta, cell, lang, name),
                            customdata=[code], name=name, legendgroup=f"class{k}", showlegend=False)


def _add_legend(fig: Figure, classes, colours, level: str, unit: str, lang: str, no_data: bool) -> None:
    """One entry per class, then "no figures" (hatched) where any region has none. Empty bar traces,
    because a bar's legend swatch is a filled square that shows a pattern."""
    border = BORDER[level][0]
    for k, (lo, hi) in enumerate(classes):
        fig.add_bar(x=[None], y=[None], marker={"color": colours[k], "line": {"color": border, "width": 1}},
                    name=class_label(lo, hi, unit, lang), legendgroup=f"class{k}", legendrank=k + 1,
                    hoverinfo="skip", showlegend=True)
    if no_data:
        fig.add_bar(x=[None], y=[None], marker={"color": NO_DATA_FILL, "pattern": NO_DATA_PATTERN,
                                                "line": {"color": border, "width": 1}},
                    name=_t("map_no_data", lang), legendgroup="nodata", legendrank=N_CLASSES + 1,
                    hoverinfo="skip", showlegend=True)


def _map_layout(fig: Figure, lang: str, whole_country: bool, height: int | None, x_range, y_range,
                aspect: float) -> None:
    """The legend's place, hidden axes at an equal aspect ratio, and the credit to Kartverket."""
    base_layout(fig, lang, height or (640 if whole_country else 560))
    if whole_country:
        # Inside, bottom right: Sweden and Finland are empty at every width.
        legend = {"orientation": "v", "yanchor": "bottom", "y": 0.02, "xanchor": "right", "x": 1}
    else:
        # One county's shape can be anything: the app's usual place, above the plot.
        legend = {"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0}
    fig.update_layout(
        dragmode=False, hovermode="closest", margin={"l": 8, "r": 8, "t": 8, "b": 26},
        legend={**legend, "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 15}, "traceorder": "normal",
                "itemclick": "toggle", "itemdoubleclick": "toggleothers", "groupclick": "togglegroup"},
    )
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, fixedrange=True,
                     range=x_range, scaleanchor="y", scaleratio=aspect, constrain="domain")
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, fixedrange=True,
                     range=y_range, constrain="domain")
    # Below the plot area, right: never over a region.
    fig.add_annotation(text=ATTRIBUTION, showarrow=False, xref="paper", yref="paper", x=1, y=0,
                       xanchor="right", yanchor="top", yshift=-2, font={"size": 12, "color": "#555555"})


def map_figure(values: dict[str, Cell], level: str, year: int | None, lang: str, selected: str | None = None,
               county: str | None = None, meta=None, height: int | None = None) -> tuple[Figure, str]:
    """A choropleth of `values` (region code -> cell) for `level` in `year`'s structure, and a note in words
    ('' when there is nothing to say): no outlines for the year, or regions with figures but no outline.

    level="municipality" with `county` draws only that county's municipalities. `selected` gets a thick
    dark outline. With `ds`, the hover is figures.hover (persons behind, formula, publisher).
    """
    if level not in ("county", "municipality"):
        raise ValueError(f"level must be county or municipality, not {level!r}")
    structure = structure_for(year)
    if structure is None:
        return empty_figure(lang), _t("map_no_outlines", lang, year=year if year is not None else "–")
    shapes = outlines(level, structure)["regions"]
    codes, wanted = _wanted(values, level, county, shapes)
    notes = []
    missing = sorted(c for c in wanted if c not in shapes)
    if missing:
        notes.append(_t("map_not_drawn", lang, regions=", ".join(
            f"{regions.name(c, year, lang)} ({c}): {cell_value(wanted[c], lang)}" for c in missing)))
    if not codes:
        notes.insert(0, _t("map_no_regions", lang, county=regions.name(county, year, lang), year=year))
        return empty_figure(lang), " ".join(notes)

    drawn = {c: v for c, v in wanted.items() if c in shapes and c in codes}
    unit = next(iter(drawn.values())).unit if drawn else "percent"
    classes = classify([c.value for c in drawn.values()])
    colours = class_colours(len(classes))
    x_range, y_range, aspect = _bounds(codes, shapes)
    fig = Figure()  # a plain dict: validation costs more than drawing
    _add_regions(fig, codes, shapes, drawn, classes, colours, level, year, lang, selected, meta)
    _add_legend(fig, classes, colours, level, unit, lang, any(c not in drawn for c in codes))
    _map_layout(fig, lang, level == "county" or not county, height, x_range, y_range, aspect)
    return fig, " ".join(notes)
