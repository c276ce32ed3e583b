"""Wilson intervals against values computed another way and against published textbook values."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.model.uncertainty import compare, difference_words, differs_from, interval_words, wilson, wilson_share


def by_quadratic(k, n, z=1.96):
    """Independently: the Wilson limits are the p with (k/n - p)^2 = z^2 p (1 - p) / n."""
    ph = k / n
    roots = np.roots([1 + z * z / n, -(2 * ph + z * z / n), ph * ph])
    lo, hi = sorted(float(r.real) for r in roots)
    return 100 * max(lo, 0.0), 100 * min(hi, 1.0)


def test_41_of_100():
    low, high = wilson(41, 100)
    assert (round(low, 1), round(high, 1)) == (31.9, 50.8)
    assert (low, high) == pytest.approx(by_quadratic(41, 100), abs=1e-9)


@pytest.mark.parametrize("k, n, low, high", [
    # Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (score, no continuity correction)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
])
def test_textbook_values(k, n, low, high):
    got = wilson(k, n)
    assert got[0] == pytest.approx(100 * low, abs=0.01) and got[1] == pytest.approx(100 * high, abs=0.01)


def test_zero_of_n_has_the_closed_upper_limit():
    n, z = 20, 1.96
    assert wilson(0, n) == (0.0, pytest.approx(100 * z * z / (n + z * z)))


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_against_the_quadratic_and_its_properties(kn):
    k, n = kn
    low, high = wilson(k, n)
    assert (low, high) == pytest.approx(by_quadratic(k, n), abs=1e-6)
    assert 0 <= low <= 100 * k / n <= high <= 100
    mirror = wilson(n - k, n)
    assert mirror == pytest.approx((100 - high, 100 - low), abs=1e-9)


def test_more_people_narrower_interval_and_a_share_with_its_base():
    w = [wilson(4 * m, 10 * m) for m in (1, 10, 100)]
    widths = [h - l for l, h in w]
    assert widths == sorted(widths, reverse=True)
    assert wilson_share(41.0, 100) == pytest.approx(wilson(41, 100))


def test_wrong_input_is_refused():
    for k, n in ((1, 0), (-1, 10), (11, 10), (math.nan, 10)):
        with pytest.raises(ValueError):
            wilson(k, n)


def test_differs_from_the_country_like_kommunehelsa():
    assert differs_from(41, 100, 52) and compare(41, 100, 52) == "lower"     # 52 above 50.8
    assert not differs_from(41, 100, 45) and compare(41, 100, 45) == "same"
    assert differs_from(41, 1000, 45)                                         # 38.0–44.1 with 1 000 persons
    assert compare(60, 50, 40) == "higher"


def test_words():
    assert difference_words(41, 100, 52, "nb") == "lavere enn landet"
    assert difference_words(41, 100, 30, "en") == "higher than Norway as a whole"
    assert difference_words(41, 100, 45, "en") == "no clear difference from Norway as a whole"
    assert interval_words(41, 100) == "95 % konfidensintervall: 31,9–50,8 % (Wilson, 100 personer)"
    assert interval_words(41, 100, "en") == "95% confidence interval: 31.9–50.8% (Wilson, 100 persons)"
