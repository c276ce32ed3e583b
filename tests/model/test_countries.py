"""Country of birth: ISO codes to names in bokmål and English; an unknown code stays as it is."""
from __future__ import annotations

import re

import pytest

from dashboard.model.countries import NAMES, country_name
from dashboard.model.dimensions import COUNTRY, get


@pytest.mark.parametrize("code,nb,en", [("SY", "Syria", "Syria"), ("UA", "Ukraina", "Ukraine"),
                                        ("ER", "Eritrea", "Eritrea"), ("TR", "Tyrkia", "Türkiye"),
                                        ("SS", "Sør-Sudan", "South Sudan"), ("CD", "Kongo (DR)", "Congo (DR)")])
def test_a_code_has_a_name_in_each_language(code, nb, en):
    assert country_name(code, "nb") == nb
    assert country_name(code, "en") == en


def test_bokmal_is_the_default_and_any_other_language_falls_back_to_it():
    assert country_name("RU") == "Russland"
    assert country_name("RU", "de") == "Russland"
    assert country_name("RU", "en") == "Russia"


@pytest.mark.parametrize("code", ["XX", "sy", "", "all", "SYR"])
def test_an_unknown_code_stays_the_code(code):
    assert country_name(code, "nb") == code
    assert country_name(code, "en") == code


def test_every_code_is_a_two_letter_code_the_country_dimension_allows():
    dim = get(COUNTRY)
    assert NAMES, "the list is empty"
    for code, (nb, en) in NAMES.items():
        assert re.fullmatch(r"[A-Z]{2}", code) and dim.allows(code), code
        assert nb.strip() == nb and en.strip() == en and nb and en, code


def test_no_two_codes_share_a_name_in_one_language():
    # The SSB importer maps a country's label back to its code through these names (dimensions._country_value).
    for i in (0, 1):
        names = [n[i].casefold() for n in NAMES.values()]
        assert len(names) == len(set(names))

