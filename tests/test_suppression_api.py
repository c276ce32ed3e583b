"""What the app asks of the protection besides protect(): why a figure is hidden, the words for it, and the
stand-in for a hidden cell (written for the mutants scripts/mutation.sh found alive)."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model.dataset import dataset_from_frame
from dashboard.model.query import Coords, get_cell
from dashboard.model.suppression import (SYMBOL, SuppressedCell, Threshold, explanation, is_suppressed, protect,
                                         suppress_cells, suppression_reason)

OSLO, BERGEN = Coords(region="0301"), Coords(region="4601")


def frame(rows):
    base = dict(year=2024, group="all", gender="all", education="all", age="all", country="all", approx=False,
                source="t", region="0301")
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture
def ds():
    """Oslo: 9 ended (a base below 10), 6 to work. Bergen: 40 ended, 3 to work (a count below 5), 20 to
    education, and a published share of work or education (57.5 %) of a shown base."""
    return dataset_from_frame(frame([
        dict(measure="ended", value=9.0, unit="count"), dict(measure="to_work_count", value=6.0, unit="count"),
        dict(measure="ended", value=40.0, unit="count", region="4601"),
        dict(measure="to_work_count", value=3.0, unit="count", region="4601"),
        dict(measure="to_education_count", value=20.0, unit="count", region="4601"),
        dict(measure="to_work_or_education", value=57.5, unit="percent", region="4601")]))


def test_the_words_for_each_reason():
    assert explanation("nb").startswith("Vises ikke av personvernhensyn (:)")
    assert explanation("en").startswith("Not shown to protect privacy (:)")
    assert explanation("en", "count").endswith("(fewer than 5 people)")
    assert explanation("nb", "count").endswith("(færre enn 5 personer)")
    assert explanation("en", "base", Threshold(3, 20)).endswith("(a share of fewer than 20 people)")
    assert explanation("nb", "base").endswith("(andel av færre enn 10 personer)")
    assert explanation("en", "secondary").endswith("(hidden so that another hidden figure cannot be worked out)")
    assert explanation("de", "count") == explanation("nb", "count")
    assert explanation("en", "unknown") == explanation("en")


def test_why_each_figure_is_hidden(ds):
    p = protect(ds)
    assert suppression_reason(p, "to_work_count", 2024, BERGEN) == "count"
    assert suppression_reason(p, "to_work", 2024, BERGEN) == "count"           # its share: the same node
    assert suppression_reason(p, "to_work", 2024, OSLO) == "base"              # computable, of 9 persons
    assert suppression_reason(p, "to_work_count", 2024, OSLO) == "base"
    assert suppression_reason(p, "ended", 2024, OSLO) is None and not is_suppressed(p, "ended", 2024, OSLO)
    assert suppression_reason(p, "to_education_count", 2024, BERGEN) == "secondary"   # 40 − 3 − 20 …
    assert is_suppressed(p, "to_work", 2024, BERGEN) and not is_suppressed(p, "ended", 2024, BERGEN)
    # The same answers from the unprotected dataset (analysed on the way).
    assert suppression_reason(ds, "to_work", 2024, OSLO) == "base"
    assert suppression_reason(ds, "ended", 2024, BERGEN) is None


def test_a_share_of_a_hidden_base_is_hidden_even_if_its_count_is_shown():
    ds = dataset_from_frame(frame([dict(measure="ended", value=3.0, unit="count"),
                                   dict(measure="to_work_count", value=0.0, unit="count", region="4601"),
                                   dict(measure="ended", value=3.0, unit="count", region="4601")]))
    p = protect(ds)
    assert suppression_reason(p, "ended", 2024, OSLO) == "count"
    assert suppression_reason(p, "to_work", 2024, OSLO) == "secondary"
    assert suppression_reason(p, "to_work", 2024, Coords(region="1103")) is None


def test_a_hidden_cell_is_replaced_by_its_stand_in(ds):
    p = protect(ds)
    computed = get_cell(ds, "to_work", 2024, OSLO)          # 6 of 9, computed from the unprotected data
    fine = get_cell(ds, "ended", 2024, BERGEN)
    out = suppress_cells(p, [computed, fine, None])
    stand_in = out[0]
    assert isinstance(stand_in, SuppressedCell) and out[1] is fine and out[2] is None
    assert (stand_in.year, stand_in.coords, stand_in.measure, stand_in.unit, stand_in.reason) == (
        2024, OSLO, "to_work", "percent", "base")
    assert stand_in.symbol == SYMBOL and stand_in.value is None and stand_in.computed is False
    assert stand_in.basis == "suppressed"
    assert stand_in.explanation("en") == explanation("en", "base")
    assert stand_in.explanation("en", Threshold(5, 30)).endswith("(a share of fewer than 30 people)")


def test_a_value_computed_from_a_hidden_one_is_hidden_with_its_reason(ds):
    from dashboard.model.query import Cell
    p = protect(ds)
    hidden = get_cell(ds, "to_work_count", 2024, BERGEN)
    shown = get_cell(ds, "ended", 2024, BERGEN)
    derived = Cell(2024, BERGEN, "to_work_change", 1.0, "count", False, "t", "computed", "difference",
                   (shown, hidden))
    assert suppress_cells(p, [derived])[0].reason == "count"
    clean = Cell(2024, BERGEN, "ended_change", 1.0, "count", False, "t", "computed", "difference", (shown, shown))
    assert suppress_cells(p, [clean]) == [clean]
    # With another threshold, the analysis is of that threshold.
    assert isinstance(suppress_cells(ds, [shown], Threshold(min_count=50, min_base=100))[0], SuppressedCell)
    assert suppress_cells(ds, [shown]) == [shown]


def test_a_protected_dataset_answers_from_its_own_analysis_at_its_own_threshold(ds):
    p = protect(ds)
    hidden = get_cell(ds, "to_work_count", 2024, BERGEN)       # its row is gone from p: only p's analysis knows why
    fine = get_cell(ds, "ended", 2024, BERGEN)
    out = suppress_cells(p, [None, hidden, fine], Threshold())
    assert out[0] is None and out[2] is fine and (out[1].measure, out[1].reason) == ("to_work_count", "count")
    assert suppress_cells(p, [hidden])[0].reason == "count"


def test_the_protected_dataset_keeps_the_catalogues_origin_and_name(ds):
    from dashboard.model.dataset import catalogues
    measures, sources = catalogues()
    measures, sources = dict(measures), dict(sources)
    own = dataset_from_frame(ds.cells, measures, sources, origin="user", name="mine.csv")
    p = protect(own)
    assert p.measures is measures and p.sources is sources and (p.origin, p.name) == ("user", "mine.csv")


def test_the_reasons_are_a_mapping_that_refuses_what_is_not_a_key(ds):
    reasons = protect(ds).__dict__["_analysis"].reasons
    key = ("to_work_count", 2024, "4601", "all", "all", "all", "all", "all")
    assert reasons[key] == "count" and key in reasons and len(reasons) == len(list(reasons))
    assert 5 not in reasons and reasons.get(5) is None and "abcdefgh" not in reasons
    missing = ("ended", 2024, "4601", "all", "all", "all", "all", "all")
    with pytest.raises(KeyError) as e:
        reasons[missing]
    assert e.value.args == (missing,)
