"""Every dimension of the data, declared once: the one table the rest of the app reads.

A dimension places a cell (the tidy format has one column per dimension). For each one this table says
its id (the column, the `ViewState` field and the URL parameter), its values and their label keys
(`locales/`), its default, the names an imported file or an SSB table may give it, whether it is the
region dimension, and how it enters the small-number protection (`parts`: the values that add up to the
margin `all`).

Adding a dimension is one entry in DIMENSIONS, its strings in locales/ and its tests: see
docs/adding-a-dimension.md. Code elsewhere names a dimension only through the constants below (YEAR,
REGION, GROUP, …), so a renamed id is changed here alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .countries import NAMES as COUNTRY_NAMES

ALL = "all"

# How a dimension behaves: the time axis, the region hierarchy, a category the user filters by, or a code
# list that is not a filter on the page (country of birth: its own chart, and /data.csv?country=).
TIME, REGION_KIND, CATEGORY, CODE = "time", "region", "category", "code"


@dataclass(frozen=True)
class Dimension:
    id: str
    kind: str
    values: tuple[str, ...] = ()           # allowed values, the margin `all` first (a category)
    parts: tuple[str, ...] = ()            # the values that add up to `all` (small-number protection)
    pattern: str = ""                      # allowed values of a code list, as a regular expression
    filter: bool = True                    # a control on the page, and a coordinate of the page's query
    invalid: str = ""                      # what a loader says of a value outside `pattern`
    plural: str = ""                       # what a summary calls its values ("countries")
    proper_noun: bool = False              # its values keep their capital in a sentence ("fordrevne fra Ukraina")
    value_key: str = ""                    # label key of a value other than `all` ("" = "{id}_{value}")
    ssb_names: tuple[str, ...] = ()        # JSON-stat dimension ids (exact) an SSB table uses for it
    ssb_words: tuple[str, ...] = ()        # words in a JSON-stat dimension's label that name it
    ssb_missing: str = ""                  # the import's note when a table has no such dimension
    ssb_value: Callable[[str, str], str] | None = field(default=None, compare=False)  # (code, label) -> value
    sheet_headers: tuple[str, ...] = ()    # column headers a municipality's spreadsheet uses for it
    sheet_values: dict[str, str] = field(default_factory=dict, compare=False)  # cell text -> value
    # A code's name in a language (a country), where its values are codes and not label keys
    value_name: Callable[[str, str], str] | None = field(default=None, compare=False)

    @property
    def param(self) -> str:
        """Its URL parameter (one name everywhere: column, field, parameter)."""
        return self.id

    @property
    def default(self) -> str | None:
        return None if self.kind == TIME else "0" if self.kind == REGION_KIND else ALL

    def allows(self, value: str) -> bool:
        if self.values:
            return value in self.values
        return bool(self.pattern) and re.fullmatch(self.pattern, value) is not None

    def label_key(self, value: str) -> tuple[str, dict]:
        """The locale key of a value and its placeholders: ('gender_women', {}), ('age_value', {'age': '18-25'})."""
        if self.value_key and value != ALL:
            return self.value_key, {self.id: value}
        return f"{self.id}_{value}", {}


# ---- how an SSB table's codes become values -------------------------------------------------------

def _sex_value(code: str, label: str) -> str:
    text = label.casefold()
    value = {"0": ALL, "1": "men", "2": "women"}.get(code)
    said = ("women" if re.search(r"kvinn|female|women", text) else
            "men" if re.search(r"\bmenn\b|\bmann\b|\bmales?\b|\bmen\b", text) else
            ALL if re.search(r"begge|both|i alt|alle|total", text) else None)
    if value is None or (said is not None and said != value):
        raise ValueError(f"sex code {code!r} ({label}) cannot be mapped: expected 0 both sexes, 1 men, 2 women")
    return value


AGE_BANDS = ("all", "18-25", "19-24", "26-35", "36-45", "46-55", "56+")


def _age_value(code: str, label: str) -> str:
    for text in (code.casefold(), label.casefold()):
        t = text.replace("år", "").replace("years", "").replace("–", "-").replace(" ", "")
        t = re.sub(r"^(\d+)ellereldre$|^(\d+)orolder$|^(\d+)\+$", lambda m: (m[1] or m[2] or m[3]) + "+", t)
        if t in ("ialt", "alle", "allealdre", "total", "all", "999"):
            t = ALL
        if t in AGE_BANDS:
            return t
    raise ValueError(f"age {code!r} ({label}) is not one of the bands the data uses: {', '.join(AGE_BANDS)}")


def _country_value(code: str, label: str) -> str:
    by_name = {n.casefold(): iso for iso, names in COUNTRY_NAMES.items() for n in names}
    text = label.strip().casefold()
    if text in ("i alt", "alle land", "total", "all countries", "i alt alle land"):
        return ALL
    if text in by_name:
        return by_name[text]
    raise ValueError(f"country {code!r} ({label}) has no ISO code in this app's list "
                     "(dashboard/model/countries.py); add it there first")


# ---- the table ------------------------------------------------------------------------------------

YEAR = "year"
REGION = "region"
GROUP = "group"
GENDER = "gender"
EDUCATION = "education"
AGE = "age"
COUNTRY = "country"

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(YEAR, TIME, ssb_names=("Tid",), ssb_words=("år", "year", "tid"),
              sheet_headers=("år", "aar", "årstall", "year")),
    Dimension(REGION, REGION_KIND, pattern=r"0|\d{2}|\d{4}", ssb_names=("Region", "KOKkommuneregion0000"),
              ssb_words=("region",), sheet_headers=("kommunenummer", "kommunenr", "knr", "regionnummer",
                                                    "kommunenr.")),
    Dimension(GROUP, CATEGORY, values=("all", "ukraine", "other"), parts=("ukraine", "other"), proper_noun=True,
              sheet_headers=("gruppe", "målgruppe"),
              sheet_values={"alle": "all", "i alt": "all", "totalt": "all", "fordrevne fra ukraina": "ukraine",
                            "ukraina": "ukraine", "øvrige": "other", "øvrige flyktninger": "other",
                            "andre": "other"}),
    Dimension(GENDER, CATEGORY, values=("all", "men", "women"), parts=("men", "women"),
              ssb_names=("Kjonn", "Kjønn"), ssb_words=("kjønn", "sex"),
              ssb_missing="no sex dimension: written as both sexes", ssb_value=_sex_value,
              sheet_headers=("kjønn", "kjonn"),
              sheet_values={"alle": "all", "begge kjønn": "all", "i alt": "all", "totalt": "all", "menn": "men",
                            "mann": "men", "kvinner": "women", "kvinne": "women"}),
    Dimension(EDUCATION, CATEGORY, values=("all", "primary_or_less", "upper_secondary", "higher"),
              parts=("primary_or_less", "upper_secondary", "higher")),
    # Age: SSB's bands add up; IMDi's 19-24 is a band of another publisher and is never part of a sum.
    Dimension(AGE, CATEGORY, values=AGE_BANDS, parts=("18-25", "26-35", "36-45", "46-55", "56+"),
              value_key="age_value", ssb_names=("Alder",), ssb_words=("alder", "age"),
              ssb_missing="no age dimension: all ages", ssb_value=_age_value),
    Dimension(COUNTRY, CODE, pattern=r"all|[A-Z]{2}", filter=False, plural="countries",
              invalid="is not a country; expected all or a two-letter ISO code such as SY",
              ssb_names=("Fodeland", "Landbakgrunn", "Landkoder"), ssb_words=("fødeland", "landbakgrunn", "country"),
              ssb_missing="no country dimension: all countries", ssb_value=_country_value,
              value_name=lambda code, lang: COUNTRY_NAMES.get(code, (code, code))[1 if lang == "en" else 0]),
)

BY_ID: dict[str, Dimension] = {d.id: d for d in DIMENSIONS}
IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS)                      # the tidy format's order
PLACE_IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS if d.kind != TIME)  # a cell's coordinates
CATEGORIES: tuple[Dimension, ...] = tuple(d for d in DIMENSIONS if d.kind == CATEGORY)
CATEGORY_IDS: tuple[str, ...] = tuple(d.id for d in CATEGORIES)             # the filters beside year and region
FILTER_IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS if d.filter)   # year, region and the categories
ALLOWED: dict[str, tuple[str, ...]] = {d.id: d.values for d in CATEGORIES}
PARTS: dict[str, tuple[str, ...]] = {d.id: d.parts for d in DIMENSIONS if d.parts}


def get(dim_id: str) -> Dimension:
    return BY_ID[dim_id]


def margins() -> dict[str, str]:
    """Every place dimension at its margin: the whole country, everyone."""
    return {d.id: d.default for d in DIMENSIONS if d.kind != TIME}
