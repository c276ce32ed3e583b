"""The words and the numbers of every kind of computed value, exactly, in bokmål and English: a share from
counts, a level from next year's level and change, a change from the year before; on the page (cards and
captions, through the render functions), in the CSV and XLSX `formula` column, and in the image (/chart.svg).
Then rounding at its edges: half away from zero (as SSB and a reader round), negatives, 0 and 100.

The shipped cells (data/figures.csv): 2023 ended 11 381, to labour market measures 3 844, other reasons 1 707;
2023 to work 41 % with a published change of +17 points (so 2022 is 24 %); 2016 ended 4 469, to work 1 087;
to work or education 52 % (2022) and 49 % (2023); ended 2 757 (2022)."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.model.dataset import dataset_from_frame
from dashboard.model.query import Coords, change_from_previous, get_cell, published
from dashboard.views import charts, i18n
from dashboard.views.exports import cells_to_csv, number_text
from dashboard.views.state import ViewState
from dashboard.views.text import formula
from dashboard.web import callbacks
from dashboard.web.downloads import images_available

NB = "\u00a0"   # Babel's bokmål thousands separator, and the space before %
SHARE = {"nb": f"3{NB}844 / 11{NB}381 × 100 = 33,8{NB}%", "en": "3,844 / 11,381 × 100 = 33.8%"}
SHARE_15 = {"nb": f"1{NB}707 / 11{NB}381 × 100 = 15,0{NB}%", "en": "1,707 / 11,381 × 100 = 15.0%"}
SHARE_2016 = {"nb": f"1{NB}087 / 4{NB}469 × 100 = 24,3{NB}%", "en": "1,087 / 4,469 × 100 = 24.3%"}
LEVEL = {"nb": f"41{NB}% (2023) − 17 prosentpoeng = 24{NB}%", "en": "41% (2023) − 17 percentage points = 24%"}
CHANGE_PP = {"nb": f"49{NB}% − 52{NB}% = −3 prosentpoeng", "en": "49% − 52% = −3 percentage points"}
CHANGE_COUNT = {"nb": f"11{NB}381 − 2{NB}757 = +8{NB}624", "en": "11,381 − 2,757 = +8,624"}
LANGS = ("nb", "en")


# ---- the cells and their formulas ------------------------------------------------------------------

def test_the_real_cells_behind_the_formulas(ds):
    national = Coords()
    labour = get_cell(ds, "to_labour_measures", 2023, national)
    assert labour.computed and labour.method == "share_of_counts"
    assert [c.value for c in labour.inputs] == [3844, 11381]
    assert labour.value == pytest.approx(100 * 3844 / 11381)
    level = get_cell(ds, "to_work", 2022, national)
    assert level.method == "level_from_change" and [(c.measure, c.year, c.value) for c in level.inputs] == [
        ("to_work", 2023, 41), ("to_work_change_pp", 2023, 17)]
    assert level.value == 24


@pytest.mark.parametrize("lang", LANGS)
def test_a_share_from_counts_in_words(ds, lang):
    assert formula(get_cell(ds, "to_labour_measures", 2023, Coords()), lang) == SHARE[lang]
    assert formula(get_cell(ds, "other_reason", 2023, Coords()), lang) == SHARE_15[lang]
    assert formula(get_cell(ds, "to_work", 2016, Coords()), lang) == SHARE_2016[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_a_level_from_a_change_in_words(ds, lang):
    assert formula(get_cell(ds, "to_work", 2022, Coords()), lang) == LEVEL[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_a_change_from_the_year_before_in_words(ds, lang):
    cur, prev = (get_cell(ds, "to_work_or_education", y, Coords()) for y in (2023, 2022))
    change = change_from_previous(ds, cur, prev)
    assert change.method == "difference" and change.value == -3
    assert formula(change, lang) == CHANGE_PP[lang]
    cur, prev = (published(ds, "ended", y, Coords()) for y in (2023, 2022))
    assert formula(change_from_previous(ds, cur, prev), lang) == CHANGE_COUNT[lang]


def tiny(rows) -> object:
    base = dict(region="0", group="all", gender="all", education="all", age="all", country="all", approx=False,
                source="imdi-nokkeltall-2023")
    return dataset_from_frame(pd.DataFrame([{**base, **r} for r in rows]))


@pytest.mark.parametrize("lang, words", [("nb", f"8{NB}% (2024) + 12 prosentpoeng = 20{NB}%"),
                                         ("en", "8% (2024) + 12 percentage points = 20%")])
def test_a_level_from_a_fall_adds_the_fall_back(lang, words):
    """2024: 8 % after a fall of 12 points, so 2023 was 20 %: the sign in the words is the sum's."""
    ds = tiny([dict(year=2024, measure="to_work", value=8.0, unit="percent"),
               dict(year=2024, measure="to_work_change_pp", value=-12.0, unit="percent")])
    cell = get_cell(ds, "to_work", 2023, Coords())
    assert cell.value == 20 and formula(cell, lang) == words


@pytest.mark.parametrize("lang, words", [("nb", f"20{NB}% (2024) − 0 prosentpoeng = 20{NB}%"),
                                         ("en", "20% (2024) − 0 percentage points = 20%")])
def test_a_level_from_no_change(lang, words):
    ds = tiny([dict(year=2024, measure="to_work", value=20.0, unit="percent"),
               dict(year=2024, measure="to_work_change_pp", value=0.0, unit="percent")])
    assert formula(get_cell(ds, "to_work", 2023, Coords()), lang) == words


@pytest.mark.parametrize("lang, words", [("nb", f"45{NB}% − 45{NB}% = ±0 prosentpoeng"),
                                         ("en", "45% − 45% = ±0 percentage points")])
def test_no_change_has_no_sign(lang, words):
    ds = tiny([dict(year=y, measure="to_work", value=45.0, unit="percent") for y in (2023, 2024)])
    cur, prev = (get_cell(ds, "to_work", y, Coords()) for y in (2024, 2023))
    assert formula(change_from_previous(ds, cur, prev), lang) == words


# ---- on the page: cards and captions -----------------------------------------------------------------

def cards_text(ds, query: str) -> str:
    state, _ = ViewState.from_query(query)
    return callbacks.render_texts.uncached(ds, state)[("cards", "html")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_cards_say_each_formula(ds, lang):
    computed = {"nb": "beregnet", "en": "computed"}[lang]
    change = {"nb": "Endringen er beregnet: ", "en": "The change is computed: "}[lang]
    assert f"{computed}: {SHARE_2016[lang]}" in cards_text(ds, f"year=2016&lang={lang}")
    assert f"{computed}: {LEVEL[lang]}" in cards_text(ds, f"year=2022&lang={lang}")
    html = cards_text(ds, f"year=2023&lang={lang}")
    assert change + CHANGE_PP[lang] in html and change + CHANGE_COUNT[lang] in html


@pytest.mark.parametrize("lang, caption", [
    ("nb", "Av 11 381 som avsluttet i 2023: gikk direkte til arbeid 41 %; gikk direkte til utdanning 8 %; gikk til "
           "grunnskoleopplæring 3 %; gikk til arbeidsmarkedsrelaterte tiltak 33,8 %; avsluttet av andre årsaker 15,0 %."),
    ("en", "Of 11,381 who ended in 2023: went directly to work 41%; went directly to education 8%; went to primary "
           "school 3%; went to labour market measures 33.8%; ended for other reasons 15.0%.")])
def test_the_outcomes_chart_says_33_8_and_15_0(ds, lang, caption):
    _, spec = charts.one(ds, ViewState(year=2023, lang=lang), "outcomes")
    assert spec.caption.replace(NB, " ") == caption
    texts = spec.figure["data"][0]["text"]
    pct = {"nb": f"{NB}%", "en": "%"}[lang]
    sep = {"nb": NB, "en": ","}[lang]
    dec = {"nb": ",", "en": "."}[lang]
    assert f"33{dec}8{pct}* (3{sep}844)" in texts and f"15{dec}0{pct}* (1{sep}707)" in texts


@pytest.mark.parametrize("lang", LANGS)
def test_the_trend_caption_gives_the_formulas_of_its_computed_years(ds, lang):
    _, spec = charts.one(ds, ViewState(year=2022, lang=lang), "trend")
    assert f"2016: {SHARE_2016[lang]}" in spec.caption and f"2022: {LEVEL[lang]}" in spec.caption


# ---- the downloads --------------------------------------------------------------------------------

def csv_rows(client, query: str) -> dict[tuple, dict]:
    r = client.get(f"/data.csv?{query}")
    assert r.status_code == 200
    frame = pd.read_csv(io.StringIO(r.get_data(as_text=True)), dtype=str, keep_default_na=False)
    assert len(frame) > 0
    return {(row["measure"], row["year"]): row for row in frame.to_dict("records")}


@pytest.mark.parametrize("lang", LANGS)
def test_the_csv_formula_column(client, lang):
    rows = csv_rows(client, f"chart=outcomes&year=2023&lang={lang}")
    assert rows[("to_labour_measures", "2023")]["formula"] == SHARE[lang]
    assert rows[("to_labour_measures", "2023")]["value"] == "33.8"
    assert rows[("other_reason", "2023")]["formula"] == SHARE_15[lang]
    assert rows[("other_reason", "2023")]["value"] == "15.0"
    assert rows[("to_labour_measures_count", "2023")]["formula"] == ""            # published: no formula
    rows = csv_rows(client, f"chart=trend&year=2022&lang={lang}")
    assert rows[("to_work", "2022")]["formula"] == LEVEL[lang] and rows[("to_work", "2022")]["basis"] == "computed"


@pytest.mark.parametrize("lang", LANGS)
def test_the_xlsx_formula_column(client, lang):
    body = client.get(f"/data.xlsx?chart=outcomes&year=2023&lang={lang}").data
    sheet = list(load_workbook(io.BytesIO(body))["Data"].iter_rows(values_only=True))
    header, rows = sheet[1], sheet[2:]
    by = {(r[header.index("measure")], r[header.index("year")]): r for r in rows}
    labour = by[("to_labour_measures", 2023)]
    assert labour[header.index("formula")] == SHARE[lang] and labour[header.index("value")] == 33.8
    assert by[("other_reason", 2023)][header.index("formula")] == SHARE_15[lang]
    assert by[("other_reason", 2023)][header.index("value")] == 15.0


@pytest.mark.parametrize("lang", LANGS)
def test_the_image_says_the_rounded_shares_and_that_they_are_computed(client, lang):
    assert images_available(), "kaleido finds no Chromium: run `bash scripts/setup.sh --test`"
    r = client.get(f"/chart.svg?chart=outcomes&year=2023&lang={lang}")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    texts = re.findall(r"<text[^>]*>(.*?)</text>", r.get_data(as_text=True))
    pct, sep, dec = {"nb": (f"{NB}%", NB, ","), "en": ("%", ",", ".")}[lang]
    assert f"33{dec}8{pct}* (3{sep}844)" in texts and f"15{dec}0{pct}* (1{sep}707)" in texts
    mark = {"nb": "* Beregnet fra publiserte tall", "en": "* Computed from published figures"}[lang]
    assert any(mark in t for t in texts)


# ---- rounding at the edges ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, decimals, nb, en", [
    (2.5, 0, "3", "3"),            # half away from zero: round() would give 2
    (3.5, 0, "4", "4"),
    (0.5, 0, "1", "1"),
    (12.25, 1, "12,3", "12.3"),    # round(12.25, 1) gives 12.2
    (14.95, 1, "15,0", "15.0"),    # 14.95 is 14.9499… in binary: rounded as written
    (33.75, 1, "33,8", "33.8"),
    (14.949, 1, "14,9", "14.9"),
    (-2.25, 1, "-2,3", "-2.3"),    # away from zero on the negative side too
    (-2.5, 0, "-3", "-3"),
    (-0.04, 1, "0,0", "0.0"),      # no minus on a zero
    (0, 0, "0", "0"),
    (100, 0, "100", "100"),
    (99.95, 1, "100,0", "100.0"),
    (11381, 0, f"11{NB}381", "11,381"),
    (1234567.5, 0, f"1{NB}234{NB}568", "1,234,568"),
])
def test_numbers_round_half_away_from_zero(value, decimals, nb, en):
    assert i18n.number(value, "nb", decimals) == nb
    assert i18n.number(value, "en", decimals) == en


@pytest.mark.parametrize("value, nb, en", [
    (33.77559089710922, f"33,8{NB}%", "33.8%"), (14.998682013882787, f"15,0{NB}%", "15.0%"),
    (6.25, f"6,3{NB}%", "6.3%"), (0, f"0{NB}%", "0%"), (100, f"100{NB}%", "100%"), (41.0, f"41{NB}%", "41%")])
def test_percents(value, nb, en):
    assert i18n.percent(value, "nb") == nb and i18n.percent(value, "en") == en


@pytest.mark.parametrize("value, nb, en", [
    (17, "+17 prosentpoeng", "+17 percentage points"), (-3, "−3 prosentpoeng", "−3 percentage points"),
    (0, "±0 prosentpoeng", "±0 percentage points"), (-2.25, "−2,3 prosentpoeng", "−2.3 percentage points"),
    (0.05, "+0,1 prosentpoeng", "+0.1 percentage points")])
def test_points(value, nb, en):
    assert i18n.points(value, "nb") == nb and i18n.points(value, "en") == en


def test_signed_numbers():
    assert i18n.signed_number(8624, "nb") == f"+8{NB}624" and i18n.signed_number(-538, "en") == "−538"
    assert i18n.signed_number(0, "nb") == "±0" and i18n.signed_number(2.5, "en") == "+3"


@pytest.mark.parametrize("count, ended, nb", [
    (1, 16, f"1 / 16 × 100 = 6,3{NB}%"),      # 6.25 exactly: up, as a reader rounds
    (1, 8, f"1 / 8 × 100 = 12,5{NB}%"),
    (16, 16, f"16 / 16 × 100 = 100{NB}%"),
    (0, 16, f"0 / 16 × 100 = 0{NB}%"),
    (3844, 11381, SHARE["nb"]),
])
def test_shares_from_counts_at_the_edges(count, ended, nb):
    ds = tiny([dict(year=2024, measure="ended", value=float(ended), unit="count"),
               dict(year=2024, measure="to_work_count", value=float(count), unit="count")])
    cell = get_cell(ds, "to_work", 2024, Coords())
    assert formula(cell, "nb") == nb
    # The value column rounds as the words do.
    assert cells_to_csv([cell], "nb").splitlines()[1].split(",")[8] == number_text(cell.value)
    assert number_text(cell.value) == nb.split("= ")[1].replace(NB + "%", "").replace(",", ".")


def test_the_value_column_rounds_as_the_page():
    assert number_text(12.25) == "12.3" and number_text(14.95) == "15.0" and number_text(-2.25) == "-2.3"
    assert number_text(41.0) == "41" and number_text(0.0) == "0" and number_text(2_500_000.5) == "2500001"
