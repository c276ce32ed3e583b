"""Formats: Norwegian in bokmål (41 %, 11 381, 3,5), English in English; the catalogues agree."""
import json
import re
from pathlib import Path

import pytest

from dashboard.views import i18n

NBSP = "\u00a0"


def test_norwegian_formats():
    assert i18n.percent(41, "nb") == f"41{NBSP}%"
    assert i18n.number(11381, "nb") == f"11{NBSP}381"
    assert i18n.number(3.5, "nb", 1) == "3,5"
    assert i18n.percent(24.3231, "nb") == f"24,3{NBSP}%"
    assert i18n.points(17, "nb") == "+17 prosentpoeng"
    assert i18n.points(-20, "nb") == "\u221220 prosentpoeng"


def test_english_formats():
    assert i18n.percent(41, "en") == "41%"
    assert i18n.number(11381, "en") == "11,381"
    assert i18n.number(3.5, "en", 1) == "3.5"
    assert i18n.points(17, "en") == "+17 percentage points"


def test_catalogues_have_the_same_keys_and_placeholders():
    d = i18n.LOCALE_DIR
    nb = json.loads((d / "nb.json").read_text())
    en = json.loads((d / "en.json").read_text())
    assert set(nb) == set(en)
    for k in nb:
        assert set(re.findall(r"{(\w+)}", nb[k])) == set(re.findall(r"{(\w+)}", en[k])), k


def test_every_key_used_in_code_exists():
    src = "\n".join(p.read_text() for p in Path(i18n.__file__).resolve().parents[1].rglob("*.py"))
    used = set(re.findall(r'\bt\("([a-z_0-9]+)"', src))
    assert len(used) > 60                      # the whole package is read, not one folder of it
    missing = used - set(i18n.catalogue("nb"))
    assert not missing, missing


@pytest.mark.parametrize("value, lang, text", [
    (1, "en", "+1 percentage point"), (-1, "en", "\u22121 percentage point"), (2, "en", "+2 percentage points"),
    (0.5, "en", "+0.5 percentage points"), (1.04, "en", "+1.0 percentage points"), (0, "en", "±0 percentage points"),
    (1, "nb", "+1 prosentpoeng"), (3, "nb", "+3 prosentpoeng"),
])
def test_one_percentage_point_is_singular(value, lang, text):
    assert i18n.points(value, lang) == text


@pytest.mark.parametrize("value, lang, text", [
    (1, "en", "1 person"), (2, "en", "2 persons"), (11381, "en", "11,381 persons"),
    (1, "nb", "1 person"), (2, "nb", "2 personer"),
])
def test_one_person_is_singular(value, lang, text):
    assert i18n.persons(value, lang) == text
