"""i18n's rules at their edges: the catalogue's fallbacks, the defaults, signs of what is shown (written for the
mutants scripts/mutation.sh found alive; the formats of computed values are in test_formulas.py)."""
from __future__ import annotations

import pytest

from dashboard.views import i18n

NB = "\u00a0"


def test_a_language_the_app_does_not_have_is_bokmal():
    assert i18n.t("pp", "de", n="+1") == "+1 prosentpoeng" == i18n.t("pp", n="+1")
    assert i18n.t("pp", "en", n="+1") == "+1 percentage points"


def test_a_key_missing_in_english_falls_back_to_bokmal_and_a_key_missing_everywhere_is_itself(monkeypatch):
    fake = {"nb": {"only_nb": "bare på bokmål", "both": "nb {x}"}, "en": {"both": "en {x}"}}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: fake[lang])
    assert i18n.t("only_nb", "en") == "bare på bokmål"
    assert i18n.t("both", "en", x=1) == "en 1" and i18n.t("both", "nb", x=2) == "nb 2"
    assert i18n.t("no_such_key", "en") == "no_such_key" and i18n.t("no_such_key", "nb") == "no_such_key"


def test_a_text_without_placeholders_given_is_left_as_it_is():
    assert i18n.t("formula_share", "nb") == "{num} / {den} × 100 = {value}"


def test_the_defaults_are_bokmal_and_whole_numbers():
    assert i18n.number(11381) == f"11{NB}381" and i18n.number(2.5) == "3"
    assert str(i18n.rounded(2.25)) == "2" and str(i18n.rounded(2.5)) == "3" and str(i18n.rounded(2.25, 1)) == "2.3"
    assert i18n.percent(41.0) == f"41{NB}%" and i18n.percent(33.77, "en", decimals=0) == "34%"
    assert i18n.points(-3) == "−3 prosentpoeng" and i18n.points(17, "en", signed=False) == "17 percentage points"
    assert i18n.persons(11381) == f"11{NB}381 personer" and i18n.persons(11381, "en") == "11,381 persons"
    assert i18n.signed_number(8624) == f"+8{NB}624"
    assert i18n.value_text(41.0, "percent") == f"41{NB}%" and i18n.value_text(11381, "count") == f"11{NB}381"
    assert i18n.value_text(11381, "count", "en") == "11,381"


@pytest.mark.parametrize("value, nb", [(0.4, "±0"), (-0.4, "±0"), (0.5, "+1"), (-0.5, "−1"), (1, "+1"), (0, "±0")])
def test_the_sign_is_that_of_the_number_shown(value, nb):
    assert i18n.signed_number(value, "nb") == nb


@pytest.mark.parametrize("value, nb", [(0.04, "±0,0 prosentpoeng"), (-0.04, "±0,0 prosentpoeng"),
                                       (0.05, "+0,1 prosentpoeng"), (-0.05, "−0,1 prosentpoeng")])
def test_points_that_round_to_zero_have_no_sign(value, nb):
    assert i18n.points(value, "nb") == nb


def test_infinite_and_missing_numbers_are_not_rounded():
    assert not i18n.rounded(float("inf")).is_finite() and i18n.rounded(float("nan")).is_nan()
