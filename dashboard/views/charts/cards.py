"""The key figures: the view's counts and shares with their changes, as cards (presentation and embed).

Not a section of the page (the page shows the cards at its top) and no image; its CSV and XLSX hold the
cards' figures and the year before them."""
from __future__ import annotations

from ...model.query import KEY_COUNTS, Result
from ..i18n import t
from ..text import cell_value, describe, findings, measure_label, source_names
from .base import Chart, ChartSpec, empty_figure


def build(result: Result, lang: str) -> ChartSpec:
    meta = result.meta
    cells = [c for k in result.key_figures for c in (k.cell, k.previous, k.change) if c is not None]
    rows = [[measure_label(meta, k.measure, lang), cell_value(k.cell, lang) if k.cell else t("not_published", lang)]
            for k in result.key_figures]
    caption = " ".join(findings(result, lang)[:2])
    return ChartSpec("cards", t("key_figures", lang) + " · " + describe(result.state, result.year, lang),
                     empty_figure(lang), caption, [t("col_measure", lang), t("col_value", lang)], rows,
                     cells, source_names(meta, [k.cell for k in result.key_figures if k.cell], lang))


CHART = Chart("cards", build, needs=("key_figures", "groups", "totals_by_sex"),
              definitions=lambda parts: list(KEY_COUNTS) + [parts["cohort"], parts["work"], parts["study"],
                                                            parts["total"]],
              on_page=False, image=False)
