"""Presentation mode and embedding: one chart or key-figure card per screen.

A deck is a list of view links, so a presenter can prepare one and share it as a link. Each slide is a
view query (filters and `chart`); the default deck tells the seed page's story with the current filters.
"""
from __future__ import annotations

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


def step(state: ViewState, delta: int) -> ViewState:
    n = len(slides(state))
    return state.replace(slide=min(max(state.slide + delta, 0), n - 1))
