"""Country of birth: ISO 3166-1 alpha-2 codes, as stored, to names in bokmål and English."""
from __future__ import annotations

NAMES = {
    "AF": ("Afghanistan", "Afghanistan"), "BI": ("Burundi", "Burundi"), "CD": ("Kongo (DR)", "Congo (DR)"),
    "CG": ("Kongo", "Congo"), "CN": ("Kina", "China"), "ER": ("Eritrea", "Eritrea"), "ET": ("Etiopia", "Ethiopia"),
    "IQ": ("Irak", "Iraq"), "IR": ("Iran", "Iran"), "KZ": ("Kasakhstan", "Kazakhstan"), "LB": ("Libanon", "Lebanon"),
    "LY": ("Libya", "Libya"), "MD": ("Moldova", "Moldova"), "MM": ("Myanmar", "Myanmar"), "PK": ("Pakistan", "Pakistan"),
    "PS": ("Palestina", "Palestine"), "RU": ("Russland", "Russia"), "RW": ("Rwanda", "Rwanda"),
    "SA": ("Saudi-Arabia", "Saudi Arabia"), "SD": ("Sudan", "Sudan"), "SO": ("Somalia", "Somalia"),
    "SS": ("Sør-Sudan", "South Sudan"), "SY": ("Syria", "Syria"), "TR": ("Tyrkia", "Türkiye"),
    "UA": ("Ukraina", "Ukraine"), "UG": ("Uganda", "Uganda"), "UZ": ("Usbekistan", "Uzbekistan"),
    "YE": ("Jemen", "Yemen")
}


def country_name(code: str, lang: str = "nb") -> str:
    names = NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang == "en" else names[0]
