"""What every chart shares: ChartSpec (what a chart gives), Chart (its entry in the registry), the
colours, the layout, hover texts and table cells. Pure functions of query results; no Dash here.

A ChartSpec is a plotly figure (a plain dict: graph_objects validation costs more than drawing), a title
that states the filters in words, a caption with the main numbers (the text alternative), the rows of its
table view, and the cells it draws (what its CSV and XLSX hold). Work and education have the same two
colours in every chart; computed values are hatched and say so on hover.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...model import dimensions as dims
from ...model.query import Catalogue, Cell, Result
from ...model.uploads import is_user_source
from .. import i18n
from ..i18n import t
from ..plotfig import Figure
from ..text import cell_value, formula, value_word

# Okabe–Ito based, darkened for 4.5:1 against white where text sits on them.
COLOURS = {"work": "#0B5CAD", "study": "#B35C00", "total": "#222222", "total_only": "#8A8A8A",
           "men": "#0B5CAD", "women": "#B35C00", "all": "#222222", "neutral": "#4A6A8A"}
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# "overlay": the hatching is drawn over the bar's own colour. (plotly's default, "replace", draws it on a
# transparent background: white hatching alone, an invisible bar.)
COMPUTED_PATTERN = {"shape": "/", "fgcolor": "rgba(255,255,255,0.6)", "size": 8, "solidity": 0.25,
                    "fillmode": "overlay"}


@dataclass
class ChartSpec:
    id: str
    title: str
    figure: Figure
    caption: str
    columns: list[str]
    rows: list[list[str]]
    cells: list[Cell] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str = ""  # said above the chart: filters this chart cannot follow, because nothing is published
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href from urls.py) after the note


GROUPED = "group"  # plotly's barmode for bars side by side

# The filters of the page beside the year: a chart follows all of them unless it says otherwise.
PLACE_FILTERS = tuple(d.id for d in dims.DIMENSIONS if d.filter and d.kind != dims.TIME)


@dataclass(frozen=True)
class Chart:
    """One chart in the registry: what it needs from the query and how it is built.

    `build` gives the figure, the table, the caption and the cells (what its downloads hold);
    `definitions` the measures its "Definisjoner" explains, given the series' parts; `follows` the filters
    it can follow (the others are named in its note, never silently ignored)."""
    id: str
    build: Callable[[Result, str], ChartSpec]
    needs: tuple[str, ...]
    definitions: Callable[[dict[str, str]], list[str]]
    follows: tuple[str, ...] = PLACE_FILTERS
    on_page: bool = True     # a section of the page (the key-figure cards are not)
    image: bool = True       # has a PNG and SVG

    def spec(self, result: Result, lang: str) -> ChartSpec:
        spec = self.build(result, lang)
        if self.follows != PLACE_FILTERS and not spec.note:
            spec.note = ignored_filters_note(result.state, self.follows, lang)
        return spec


def outcome_parts(parts: dict[str, str]) -> list[str]:
    """The measures of the view's definition: to work, to education, either."""
    return [parts["work"], parts["study"], parts["total"]]


def ignored_filters_note(state, used: tuple[str, ...], lang: str) -> str:
    """'Ikke publisert for kvinner, høyere utdanning: figuren viser alle.' — never silently ignore a filter."""
    ignored = []
    for d in PLACE_FILTERS:
        if d not in used and getattr(state, d) != dims.get(d).default:
            word = value_word(d, getattr(state, d), lang)
            ignored.append(word if d == dims.REGION else word[:1].lower() + word[1:])
    return t("note_ignored_filters", lang, filters=", ".join(ignored)) if ignored else ""


def base_layout(fig: Figure, lang: str, height: int = 420) -> Figure:
    fig.update_layout(
        separators=i18n.PLOTLY_SEPARATORS[lang], height=height,
        font={"family": FONT, "size": 16, "color": "#1b1b1b"},
        margin={"l": 64, "r": 24, "t": 24, "b": 56}, plot_bgcolor="white", paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": 15},
                "traceorder": "normal"},
        hoverlabel={"font": {"size": 15, "family": FONT}, "bgcolor": "white"},
        bargap=0.3, dragmode=False,
    )
    fig.update_xaxes(showgrid=False, linecolor="#888", fixedrange=True, automargin=True)
    fig.update_yaxes(gridcolor="#e3e3e3", zeroline=True, zerolinecolor="#888", fixedrange=True, automargin=True)
    return fig


def empty_figure(lang: str, height: int = 300) -> Figure:
    fig = base_layout(Figure(), lang, height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=t("empty_chart", lang), showarrow=False, font={"size": 18, "color": "#555"},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    return fig


def persons_behind(meta: Catalogue, cell: Cell, lang: str) -> str:
    """'1 087 av 4 469 personer' where the counts are published (the query puts them in `cell.behind`)."""
    if cell.unit != "percent" or len(cell.behind) != 2:
        return ""
    num, den = cell.behind
    return t("hover_persons", lang, n=cell_value(num, lang), d=cell_value(den, lang))


def hover(meta: Catalogue, cell: Cell, lang: str, label: str) -> str:
    """Exact value, persons behind it, 'om lag', computed with formula, and the source."""
    lines = [f"<b>{label}</b>: {cell_value(cell, lang)}", f"{cell.year}"]
    persons = persons_behind(meta, cell, lang)
    if persons:
        lines.append(persons)
    if cell.computed:
        lines.append(f"<i>{t('computed_mark', lang)}</i>: {formula(cell, lang)}")
    src = meta.sources.get(cell.source)
    if is_user_source(cell.source):   # the user's own figure: "dine tall" and the file's name
        lines.append(t("your_figures_mark", lang, name=src.title if src else cell.source))
    else:
        lines.append(f"{t('hover_source', lang)}: {src.publisher if src else cell.source}")
    if cell.alternatives:
        alt = cell.alternatives[0]
        asrc = meta.sources.get(alt.source)
        lines.append(f"({asrc.publisher if asrc else alt.source}: {cell_value(alt, lang)})")
    return "<br>".join(escape(x) for x in lines)


def escape(s: str) -> str:
    # plotly renders a small HTML subset in hover text; data text must never become markup.
    return s.replace("<b>", "\x01").replace("</b>", "\x02").replace("<i>", "\x03").replace("</i>", "\x04") \
        .replace("<", "&lt;").replace(">", "&gt;") \
        .replace("\x01", "<b>").replace("\x02", "</b>").replace("\x03", "<i>").replace("\x04", "</i>")


def bar_text(cell: Cell, lang: str) -> str:
    s = i18n.value_text(cell.value, cell.unit, lang)
    return s + ("*" if cell.computed else "")


def percent_axis(fig: Figure, lang: str, title: str, top: float = 100) -> None:
    fig.update_yaxes(title={"text": title, "font": {"size": 15}}, range=[0, top], ticksuffix=(
        "\u00a0%" if lang != "en" else "%"))


def computed_note(cells: list[Cell], lang: str) -> str:
    """' * Beregnet fra publiserte tall: 2016 Arbeid: 1 087 / 4 469 × 100 = 24,3 %.' — visible, not only on hover."""
    computed = [c for c in cells if c.computed]
    if not computed:
        return ""
    items = "; ".join(f"{c.year}: {formula(c, lang)}" for c in computed)
    return f" * {t('computed_mark', lang)}: {items}."


def table_value(meta: Catalogue, c: Cell | None, lang: str) -> str:
    if c is None:
        return t("not_published", lang)
    s = cell_value(c, lang)
    p = persons_behind(meta, c, lang)
    if p:
        s += f" ({p})"
    if c.computed:
        s += f" — {t('computed', lang)}: {formula(c, lang)}"
    if is_user_source(c.source):
        src = meta.sources.get(c.source)
        s += f" ({t('your_figures_mark', lang, name=src.title if src else c.source)})"
    return s


def full_years(years) -> list[int]:
    """Every year from the first to the last: a line drawn over these, with None where a year has no
    figure (and connectgaps off), never crosses a year without one (2007 -> 2013 is not a line)."""
    years = sorted(set(years))
    return list(range(years[0], years[-1] + 1)) if years else []
