"""Presentation mode and embedding: one chart or key-figure card per screen.

A deck is a list of view links, so a presenter can prepare one and share it as a link. Each slide is a
view query (filters and `chart`); the default deck tells the seed page's story with the current filters.
A slide whose chart has nothing published for the filters is left out (`plan`), and the counter says how
many were; `slide` in the URL is always the position in the whole deck, so a slide keeps its number when
a filter changes while presenting.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl

from .state import STATE_DIMENSIONS, ViewState

DEFAULT_DECK = ("chart=cards", "chart=trend", "chart=groups", "chart=definitions", "chart=outcomes", "chart=education")
# What a deck entry may set: the dimensions, the measure and the style (the rest is the presenter's).
FILTER_KEYS = tuple(d.id for d in STATE_DIMENSIONS) + ("series", "style")


def slides(state: ViewState) -> list[str]:
    deck = [s for s in state.deck.split("|") if s.strip()] if state.deck else list(DEFAULT_DECK)
    return deck[:50] or list(DEFAULT_DECK)


def slide_state(state: ViewState, index: int | None = None) -> ViewState:
    """The view a slide shows: the deck entry over the current filters; mode, language and deck kept."""
    deck = slides(state)
    i = min(max(state.slide if index is None else index, 0), len(deck) - 1)
    base = dict(parse_qsl(state.replace(present=False, embed=False, slide=0, deck="", chart="trend").to_query()))
    base.update({k: v for k, v in parse_qsl(deck[i]) if k in FILTER_KEYS + ("chart",)})
    s, _ = ViewState.from_query(base)
    return s


@dataclass(frozen=True)
class Deck:
    """The slides shown for a view: positions in the whole deck (`slides`) of those with figures."""
    kept: tuple[int, ...]
    total: int     # slides in the deck
    current: int   # the position in the deck of the slide on screen (always one of `kept`)

    @property
    def left_out(self) -> int:
        return self.total - len(self.kept)

    @property
    def number(self) -> int:
        """The slide's number among those shown, from 1."""
        return self.kept.index(self.current) + 1


def plan(state: ViewState, has_figures: Callable[[ViewState], bool]) -> Deck:
    """Which slides the deck shows for these filters: those whose view `has_figures`. A slide asked for
    that is left out gives way to the next one shown (else the one before). When no slide has figures, all
    are shown, each saying so in one line."""
    deck = slides(state)
    kept = tuple(i for i in range(len(deck)) if has_figures(slide_state(state, i))) or tuple(range(len(deck)))
    want = min(max(state.slide, 0), len(deck) - 1)
    later = [i for i in kept if i >= want]
    return Deck(kept, len(deck), later[0] if later else kept[-1])


def figures_in(ds) -> Callable[[ViewState], bool]:
    """`has_figures` for a dataset: a slide has figures when its chart draws at least one cell."""
    from . import charts

    def has(view: ViewState) -> bool:
        chart = view.chart if view.chart in charts.REGISTRY else ViewState().chart
        return bool(charts.one(ds, view, chart)[1].cells)
    return has


def step(state: ViewState, delta: int, deck: Deck | None = None) -> ViewState:
    """The slide `delta` places on; with a `deck`, among the slides it shows."""
    if deck is None:
        n = len(slides(state))
        return state.replace(slide=min(max(state.slide + delta, 0), n - 1))
    i = min(max(deck.number - 1 + delta, 0), len(deck.kept) - 1)
    return state.replace(slide=deck.kept[i])
