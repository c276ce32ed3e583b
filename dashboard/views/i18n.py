"""Language and number formats in one place: the message catalogue and Babel.

Bokmål first, English second. Every user-visible string is looked up here by key; numbers are
formatted with Babel so that bokmål gets 41 %, 11 381 and 3,5, and English gets 41%, 11,381, 3.5.
"""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal

LANGS = ("nb", "en")
BABEL_LOCALE = {"nb": "nb_NO", "en": "en_GB"}
# plotly's `separators`: decimal mark, then thousands separator.
PLOTLY_SEPARATORS = {"nb": ",\u00a0", "en": ".,"}
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(LOCALE_DIR / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


def t(key: str, lang: str = "nb", **kw) -> str:
    """The message `key` in `lang`, with {placeholders} filled in. A missing key is a bug: fail loudly
    in tests, but show the key rather than crash a page."""
    lang = lang if lang in LANGS else "nb"
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue("nb").get(key, key)
    return text.format(**kw) if kw else text


def rounded(value: float, decimals: int = 0) -> Decimal:
    """The value rounded as a reader (and SSB) rounds: half away from zero, on the number as it is written
    (its shortest repr): 2,5 -> 3, 12,25 -> 12,3, 14,95 -> 15,0, −2,25 -> −2,3. Python's round() rounds
    half to even on the binary value (2,5 -> 2, 14,95 -> 14,9), which a reader would take for an error.
    A result of zero has no sign (−0,04 -> 0,0)."""
    d = Decimal(repr(float(value)))
    if not d.is_finite():
        return d
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return q.copy_abs() if q.is_zero() else q


@lru_cache(maxsize=4096)
def number(value: float, lang: str = "nb", decimals: int = 0) -> str:
    """11 381 / 11,381; 3,5 / 3.5. (Babel takes 0.1 ms a call; a page formats hundreds of numbers.)"""
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded(value, decimals), format=fmt, locale=BABEL_LOCALE.get(lang, "nb_NO"))


def load_number_formats() -> None:
    """Babel reads a locale's data from disk the first time it formats a number (some 10–60 ms): done once
    at start-up, so that no view pays for it."""
    for lang in BABEL_LOCALE:
        format_decimal(1234.5, format="#,##0.0", locale=BABEL_LOCALE[lang])


def percent(value: float, lang: str = "nb", decimals: int | None = None) -> str:
    """A value already in percent (41.0 -> '41 %' in bokmål, '41%' in English).
    Whole numbers stay whole; a computed share keeps one decimal."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    n = number(value, lang, decimals)
    return f"{n}\u00a0%" if lang != "en" else f"{n}%"


def points(value: float, lang: str = "nb", signed: bool = True) -> str:
    """A change in percentage points: '+17 prosentpoeng' / '+17 percentage points'."""
    decimals = 0 if float(value).is_integer() else 1
    n = number(abs(value), lang, decimals)
    return t(_one_or_more("pp", n), lang, n=(_sign(value, decimals) if signed else "") + n)


def _one_or_more(key: str, shown: str) -> str:
    """The singular key when the number as shown is exactly 1 ("1 percentage point", "1 person"; CLDR's
    `one`: 1,0 and 0,5 take the plural), else the plural."""
    return f"{key}_one" if shown == "1" else key


def _sign(value: float, decimals: int) -> str:
    """+, − or ± for no change: of the number as shown (0,04 points is shown as ±0,0, not +0,0)."""
    shown = rounded(value, decimals)
    return "+" if shown > 0 else ("\u2212" if shown < 0 else "±")


def persons(value: float, lang: str = "nb") -> str:
    n = number(value, lang)
    return t(_one_or_more("persons", n), lang, n=n)


def signed_number(value: float, lang: str = "nb") -> str:
    return _sign(value, 0) + number(abs(value), lang)


def value_text(value: float, unit: str, lang: str = "nb") -> str:
    return percent(value, lang) if unit == "percent" else number(value, lang)
