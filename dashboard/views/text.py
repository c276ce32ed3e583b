"""Words about a view: its description, the formula of a computed value, and the key findings.

`describe` is the one place a view state becomes words; titles, captions, alt text, file names and
the key findings all use it, in both languages.
"""
from __future__ import annotations

import re

from . import i18n

from ..model import regions
from .i18n import t
from ..model.query import Cell, Coords, Result
from ..model import dimensions as dims
from ..model.dimensions import GENDER, GROUP, REGION
from ..model.schema import CATEGORY_DIMENSIONS
from ..model.uploads import is_user_source
from .state import ViewState


def value_word(dim: str, value: str, lang: str) -> str:
    """A dimension's value in words: 'Kvinner', '18–25 år', 'Bergen'."""
    if dim == REGION:
        return regions.name(value, None, lang)
    d = dims.get(dim)
    if d.value_name is not None and value != dims.ALL:
        return d.value_name(value, lang)
    key, kw = d.label_key(value)
    return t(key, lang, **kw)


def coords_words(coords: Coords, year: int | None, lang: str) -> list[str]:
    words = [regions.name(coords.region, year, lang)]
    for d in CATEGORY_DIMENSIONS:
        v = getattr(coords, d)
        if v != "all":
            words.append(value_word(d, v, lang) if dims.get(d).proper_noun else value_word(d, v, lang).lower())
    return words


def describe(state: ViewState, year: int | None, lang: str | None = None) -> str:
    """'Norge, 2023, kvinner, høyere utdanning' — the view's filters in words."""
    lang = lang or state.lang
    from ..model.query import coords_of
    words = coords_words(coords_of(state), year, lang)
    if year is not None:
        words.insert(1, str(year))
    return ", ".join(words)


def slug(state: ViewState, year: int | None, chart: str) -> str:
    """A file name that names the view: introduksjonsprogrammet-trend-norge-2023-kvinner."""
    words = [chart] + [w for w in describe(state, year, state.lang).split(", ")]
    s = "-".join(words).lower()
    s = s.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return "introduksjonsprogrammet-" + re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def measure_label(meta, measure: str, lang: str) -> str:
    """A measure's label from the catalogue (`meta`: a query's Catalogue, or a Dataset)."""
    m = meta.measures.get(measure)
    if m is not None:
        return m.label(lang)
    key = f"m_{measure}"
    return t(key, lang)


def cell_value(cell: Cell, lang: str) -> str:
    """'41 %', 'om lag 2 800', '24,3 % (beregnet)'."""
    text = i18n.value_text(cell.value, cell.unit, lang)
    if cell.approx:
        text = f"{t('approx', lang)} {text}"
    return text


def formula(cell: Cell, lang: str) -> str:
    """How a computed value came from published ones, in words and numbers."""
    if not cell.computed:
        return ""
    v = i18n.value_text(cell.value, cell.unit, lang) if cell.method != "difference" else (
        i18n.signed_number(cell.value, lang) if cell.unit == "count" else i18n.points(cell.value, lang))
    a, b = cell.inputs
    if cell.method == "share_of_counts":
        return t("formula_share", lang, num=i18n.number(a.value, lang), den=i18n.number(b.value, lang), value=v)
    if cell.method == "level_from_change":
        # next year's level minus next year's change: 41 % (2023) − 17 prosentpoeng; 8 % + 20 for a fall
        op = "−" if b.value >= 0 else "+"
        return t("formula_level", lang, next=i18n.value_text(a.value, a.unit, lang), next_year=a.year, op=op,
                 change=i18n.points(abs(b.value), lang, signed=False), value=v)
    if cell.method == "difference":
        return t("formula_difference", lang, a=i18n.value_text(a.value, a.unit, lang),
                 b=i18n.value_text(b.value, b.unit, lang), value=v)
    return ""


def source_names(meta, cells: list[Cell], lang: str = "nb") -> list[str]:
    seen: dict[str, str] = {}
    for c in cells:
        for s in (c.source,) + tuple(i.source for i in c.inputs):
            if s not in seen:
                src = meta.sources.get(s)
                seen[s] = f"{src.publisher}: {src.title}" if src else s
                if src is not None and is_user_source(s):  # "Dine tall: mine.csv" / "Your figures: mine.csv"
                    seen[s] = f"{t('your_figures', lang)}: {src.title}"
    return list(seen.values())


# ---- key findings ---------------------------------------------------------------------------

def _pct(cell: Cell, lang: str) -> str:
    s = cell_value(cell, lang)
    return s + (t("finding_computed", lang) if cell.computed else "")


def findings(result: Result, lang: str) -> list[str]:
    """3 to 5 sentences the data supports, in the spirit of IMDi's 'Hovedfunn'. Nothing else."""
    year = result.year
    if year is None:
        return [t("findings_none", lang)]
    kf = {k.measure: k for k in result.key_figures}
    parts = result.series_measures
    out: list[str] = []
    where_words = describe(result.state, None, lang)
    where = t("finding_where", lang, where=where_words) if where_words not in ("Norge", "Norway") else ""
    total = kf[parts["total"]].cell
    if total is not None:
        key = "finding_total_ssb" if result.state.series == "ssb_one_year_after" else "finding_total"
        out.append(t(key, lang, share=_pct(total, lang), year=year, where=where))
    for part, key in (("work", "finding_work"), ("study", "finding_education")):
        k = kf[parts[part]]
        if k.cell is None:
            continue
        if k.change is not None and k.cell.unit == "percent":
            change = i18n.points(k.change.value, lang) + (t("finding_computed", lang) if k.change.computed else "")
            out.append(t(key, lang, share=_pct(k.cell, lang), change=change, prev_year=year - 1))
        else:
            out.append(t(key + "_nochange", lang, share=_pct(k.cell, lang)))
    ua, ot = (result.groups.get(g, {}).get("work") for g in dims.get(GROUP).parts)
    if ua is not None and ot is not None and getattr(result.state, GROUP) == dims.ALL:
        out.append(t("finding_groups", lang, ua=_pct(ua, lang), ot=_pct(ot, lang)))
    men = women = None
    if getattr(result.state, GENDER) == dims.ALL and total is not None:
        men, women = (result.totals_by_sex.get(g) for g in dims.get(GENDER).parts)
    if men is not None and women is not None and len(out) < 5:
        key = "finding_gender" if men.value >= women.value else "finding_gender_women"
        out.append(t(key, lang, men=_pct(men, lang), women=_pct(women, lang)))
    cohort = kf[parts["cohort"]]
    if cohort.cell is not None and len(out) < 5:
        if cohort.previous is not None:
            out.append(t("finding_ended", lang, ended=cell_value(cohort.cell, lang), year=year,
                         prev=cell_value(cohort.previous, lang), prev_year=year - 1))
        else:
            out.append(t("finding_ended_only", lang, ended=cell_value(cohort.cell, lang), year=year))
    return out[:5] or [t("findings_none", lang)]
