"""The view follows the data: the region of the year shown, and a year that has the view's figures.

Pure functions of a dataset and a ViewState (no Dash). `view_of` translates a region code of another
structure to the region valid in the year shown (regions.translate: a renumbering or a merger; a split has
no translation and is left as it is, with a note); the notes say in one sentence what happened.
"""
from __future__ import annotations

from ..model import regions
from ..model.query import nearest_year_with_figures, resolve_year, series_years
from ..model.regions import Translation
from .i18n import t
from .state import ViewState
from .text import describe


def _named(code: str, year: int, lang: str) -> str:
    return f"{regions.name(code, year, lang)} ({code})"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if lang == "en" else " og ") + items[-1]


def translation_note(tr: Translation, lang: str) -> str:
    """One sentence: what the code meant, and what is shown instead (or that there is no translation)."""
    name = regions.name(tr.code, tr.change - 1 if tr.forward else tr.change, lang)
    kw = {"name": name, "code": tr.code, "year": tr.year, "change": tr.change}
    if tr.to is None:
        held = _join([_named(h, tr.year, lang) for h in tr.held], lang)
        return t("region_untranslated_forward" if tr.forward else "region_untranslated_back", lang, held=held, **kw)
    to_name = regions.name(tr.to, tr.year, lang)
    if not tr.forward:
        key = "region_translated_back"
    elif regions.base_name(to_name) == regions.base_name(name):
        key = "region_translated_renumbered"
    else:
        key = "region_translated_merged"
    return t(key, lang, to=tr.to, to_name=to_name, **kw)


def view_of(ds, state: ViewState) -> tuple[ViewState, list[Translation]]:
    """The view as shown: a region code of another structure becomes the region valid in the year shown,
    where there is one. The notes (translations) say what was done, or that nothing could be."""
    if state.region == "0":
        return state, []
    year = resolve_year(ds, state)
    tr = regions.translate(state.region, year) if year is not None else None
    if tr is None:
        return state, []
    return (state.replace(region=tr.to) if tr.to else state), [tr]


def follow_year(ds, before: ViewState, after: ViewState) -> tuple[ViewState, tuple[int, int] | None]:
    """After a change of the measure, the region or a filter: the nearest year with figures when the year
    shown has none (and another has), with (from, to) for the note; else the view unchanged."""
    if after.year is None:
        return after, None
    to = nearest_year_with_figures(ds, after)
    if to is None:
        return after, None
    return after.replace(year=to), (after.year, to)


def moved_note(state: ViewState, moved, lang: str) -> str:
    """'Ingen tall for Bergen i 2023. Viser 2022, nærmeste år med tall.'"""
    return t("notice_year_moved", lang, where=describe(state, None, lang), from_year=moved[0], to_year=moved[1])


def latest_note(ds, state: ViewState, lang: str) -> str:
    """For "Siste år": when the view's latest year with figures is before the series' latest, say so."""
    if state.year is not None:
        return ""
    year, years = resolve_year(ds, state), series_years(ds, state.series)
    if year is None or not years or year == years[-1]:
        return ""
    return t("notice_latest_year", lang, where=describe(state, None, lang), year=year)


def region_values(available: dict[str, bool], year: int | None, current: str) -> list[str]:
    """The region list of the year shown: Norway, every county of that year's structure, its municipalities
    that have figures, and always the region on screen (a code of another structure included)."""
    codes = {"0", current}
    if year is None:
        codes |= set(available)
    else:
        codes |= {r.code for r in regions.regions_in(year, "county")}
        codes |= {r.code for r in regions.regions_in(year, "municipality") if available.get(r.code)}
    return sorted(codes, key=lambda c: (len(c), c))
