"""How uncertain a share is when the number of persons behind it is known: Wilson score intervals.

A municipality's 4 of 10 to work and a country's 4 000 of 10 000 are the same 40 %, but the first could
easily have been 20 % or 70 %. The Wilson interval (Wilson 1927; recommended over the simple
p ± z·√(p(1−p)/n) by Newcombe 1998 and Brown, Cai & DasGupta 2001) stays inside 0–100 % and behaves for
small n and for shares near 0 or 100 %, which is where municipal figures live.

Like FHI's Kommunehelsa, a region is marked as different from the country only when the country's
share lies outside the region's interval; the country's own figure, built on thousands, is taken as
fixed. Nothing here is shown for shares whose base is unknown (most published national shares).
"""
from __future__ import annotations

import math

Z95 = 1.96   # two-sided 95 %


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k of n, as (low, high) in percent."""
    if not n > 0:
        raise ValueError(f"the number of persons must be positive, not {n}")
    if not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a share: the part must lie between 0 and the whole")
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # At k = 0 (k = n) the limit is exactly 0 (100 %); floating point would leave a trace of 1e-15.
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return 100 * low, 100 * high


def wilson_share(share: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The interval for a published share (percent) with a known base of n persons."""
    return wilson(share / 100 * n, n, z)


def compare(share_a: float, n_a: float, share_b: float, z: float = Z95) -> str:
    """'higher', 'lower' or 'same': where region A's share stands against reference share B (percent)."""
    low, high = wilson_share(share_a, n_a, z)
    if share_b < low:
        return "higher"
    if share_b > high:
        return "lower"
    return "same"


def differs_from(share_a: float, n_a: float, share_b: float, z: float = Z95) -> bool:
    """True when share B lies outside the interval of share A (A built on n_a persons)."""
    return compare(share_a, n_a, share_b, z) != "same"


WORDS = {
    "nb": {"higher": "høyere enn landet", "lower": "lavere enn landet",
           "same": "ingen sikker forskjell fra landet"},
    "en": {"higher": "higher than Norway as a whole", "lower": "lower than Norway as a whole",
           "same": "no clear difference from Norway as a whole"},
}


def difference_words(share_a: float, n_a: float, share_b: float, lang: str = "nb", z: float = Z95) -> str:
    return WORDS["en" if lang == "en" else "nb"][compare(share_a, n_a, share_b, z)]


def _pct(x: float, lang: str) -> str:
    s = f"{x:.1f}"
    return s if lang == "en" else s.replace(".", ",")


def interval_words(k: float, n: float, lang: str = "nb", z: float = Z95) -> str:
    """'95 % konfidensintervall: 31,9–50,8 %' / '95% confidence interval: 31.9–50.8%'."""
    low, high = wilson(k, n, z)
    if lang == "en":
        return f"95% confidence interval: {_pct(low, lang)}–{_pct(high, lang)}% (Wilson, {n:g} persons)"
    return f"95 % konfidensintervall: {_pct(low, lang)}–{_pct(high, lang)} % (Wilson, {n:g} personer)"
