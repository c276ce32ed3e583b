"""Words about a view: describe, slug, value_word, formula, cell_value and the key findings."""
from __future__ import annotations

import pytest

from dashboard.model import dimensions as dims
from dashboard.model.dataset import load_dataset
from dashboard.model.query import Cell, Coords, get_cell, query
from dashboard.views import i18n
from dashboard.views.state import ViewState
from dashboard.views.text import cell_value, describe, findings, formula, measure_label, slug, source_names, value_word

NB = "\u00a0"          # Babel's thousands separator in bokmål, and the space before % the app writes


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def seed(ds):
    return query(ds, ViewState())


def test_value_word_follows_the_dimension_table_and_the_catalogues():
    for d in dims.CATEGORIES:
        for v in d.values:
            key, kw = d.label_key(v)
            for lang in ("nb", "en"):
                word = value_word(d.id, v, lang)
                assert word == i18n.catalogue(lang)[key].format(**kw), (d.id, v, lang)
    assert value_word("gender", "women", "nb") == "Kvinner" and value_word("gender", "women", "en") == "Women"
    assert value_word("group", "ukraine", "nb") == "Fordrevne fra Ukraina"
    assert value_word("age", "18-25", "nb") == "18-25 år" and value_word("age", "18-25", "en") == "18-25 years"
    assert value_word("age", "all", "en") == "All ages"


def test_value_word_of_a_region_is_its_name():
    assert value_word("region", "0", "nb") == "Norge" and value_word("region", "0", "en") == "Norway"
    assert value_word("region", "4601", "nb") == "Bergen" and value_word("region", "3024", "en") == "Bærum"


def test_describe_the_default_view():
    assert describe(ViewState(), None) == "Norge"
    assert describe(ViewState(), 2023) == "Norge, 2023"
    assert describe(ViewState(lang="en"), 2023) == "Norway, 2023"
    assert describe(ViewState(), 2023, "en") == "Norway, 2023"          # the language given wins


def test_describe_names_every_filter_in_the_order_of_the_table():
    s = ViewState(region="4601", gender="women", education="higher", group="ukraine", age="18-25")
    # A proper noun keeps its capital ("Fordrevne fra Ukraina"); the rest are written in lower case.
    assert describe(s, 2023, "nb") == "Bergen, 2023, Fordrevne fra Ukraina, kvinner, høyere utdanning, 18-25 år"
    assert describe(s, 2023, "en") == "Bergen, 2023, Displaced from Ukraine, women, higher education, 18-25 years"
    assert describe(ViewState(group="other", gender="men"), None, "nb") == "Norge, Øvrige flyktninger, menn"


def test_slug_is_a_file_name_that_names_the_view():
    assert slug(ViewState(), 2023, "trend") == "introduksjonsprogrammet-trend-norge-2023"
    assert slug(ViewState(lang="en"), 2023, "trend") == "introduksjonsprogrammet-trend-norway-2023"
    s = ViewState(region="3024", gender="women", education="higher")
    assert slug(s, 2023, "groups") == "introduksjonsprogrammet-groups-baerum-2023-kvinner-hoyere-utdanning"
    assert slug(s.replace(lang="en"), None, "groups") == \
        "introduksjonsprogrammet-groups-baerum-women-higher-education"
    assert slug(ViewState(region="4601", age="18-25", group="ukraine"), 2022, "trend") == \
        "introduksjonsprogrammet-trend-bergen-2022-fordrevne-fra-ukraina-18-25-ar"


def test_every_slug_is_safe_as_a_file_name(ds):
    for region in ("0", "03", "0301", "3024", "5001"):
        for lang in ("nb", "en"):
            s = slug(ViewState(region=region, lang=lang, gender="women"), 2023, "trend")
            assert s.startswith("introduksjonsprogrammet-trend-")
            assert set(s) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and "--" not in s


def test_formula_of_a_share_of_published_counts(ds):
    c = get_cell(ds, "to_work", 2016, Coords())        # IMDi published 1 087 of 4 469 to work in 2016
    assert (c.method, [i.value for i in c.inputs]) == ("share_of_counts", [1087, 4469])
    assert round(c.value, 1) == round(100 * 1087 / 4469, 1) == 24.3
    assert formula(c, "nb") == f"1{NB}087 / 4{NB}469 × 100 = 24,3{NB}%"
    assert formula(c, "en") == "1,087 / 4,469 × 100 = 24.3%"


def test_formula_of_a_level_from_next_years_change(ds):
    c = get_cell(ds, "to_work", 2022, Coords())        # 2023's 41 % less the published +17 points
    nxt, change = c.inputs
    assert (c.method, nxt.year, nxt.value, change.value) == ("level_from_change", 2023, 41, 17)
    assert c.value == nxt.value - change.value == 24
    assert formula(c, "nb") == f"41{NB}% (2023) − 17 prosentpoeng = 24{NB}%"
    assert formula(c, "en") == "41% (2023) − 17 percentage points = 24%"


def test_formula_of_a_level_after_a_fall_adds_the_points_back():
    nxt = Cell(2023, Coords(), "to_education", 8.0, "percent", False, "s")
    change = Cell(2023, Coords(), "to_education_change_pp", -20.0, "percent", False, "s")
    c = Cell(2022, Coords(), "to_education", 28.0, "percent", False, "s", "computed", "level_from_change",
             (nxt, change))
    assert formula(c, "nb") == f"8{NB}% (2023) + 20 prosentpoeng = 28{NB}%"
    assert formula(c, "en") == "8% (2023) + 20 percentage points = 28%"


def test_formula_of_a_difference_of_two_published_values(ds):
    r = query(ds, ViewState(year=2022))
    kf = {k.measure: k for k in r.key_figures}
    ended = kf["ended"].change                         # 2 757 ended in 2022, 3 295 in 2021
    assert (ended.method, ended.value) == ("difference", 2757 - 3295)
    assert formula(ended, "nb") == f"2{NB}757 − 3{NB}295 = −538"
    assert formula(ended, "en") == "2,757 − 3,295 = −538"
    share = kf["to_work_or_education"].change          # 52 % in 2022, 49 % in 2021
    assert share.value == 52 - 49
    assert formula(share, "nb") == f"52{NB}% − 49{NB}% = +3 prosentpoeng"
    assert formula(share, "en") == "52% − 49% = +3 percentage points"


def test_a_published_value_has_no_formula(ds):
    c = get_cell(ds, "to_work", 2023, Coords())
    assert not c.computed and formula(c, "nb") == "" and formula(c, "en") == ""


def test_cell_value_in_both_languages_and_with_about(ds):
    assert cell_value(get_cell(ds, "to_work_or_education", 2023, Coords()), "nb") == f"49{NB}%"
    assert cell_value(get_cell(ds, "to_work_or_education", 2023, Coords()), "en") == "49%"
    assert cell_value(get_cell(ds, "ended", 2023, Coords()), "nb") == f"11{NB}381"
    assert cell_value(get_cell(ds, "ended", 2023, Coords()), "en") == "11,381"
    about = get_cell(ds, "participants", 2022, Coords())          # «om lag 18 000 deltakere» (IMDi)
    assert about.approx
    assert cell_value(about, "nb") == f"om lag 18{NB}000" and cell_value(about, "en") == "about 18,000"
    assert cell_value(get_cell(ds, "to_work", 2016, Coords()), "nb") == f"24,3{NB}%"


def test_measure_label_from_the_catalogue(ds):
    assert measure_label(ds, "ended", "nb") == "Avsluttet programmet"
    assert measure_label(ds, "ended", "en") == "Ended the programme"


def test_source_names_are_the_publisher_and_title_once_each(ds):
    c = get_cell(ds, "to_work", 2016, Coords())
    names = source_names(ds, [c, c])
    expect = []
    for s in (c.source,) + tuple(i.source for i in c.inputs):
        src = ds.sources[s]
        if f"{src.publisher}: {src.title}" not in expect:
            expect.append(f"{src.publisher}: {src.title}")
    assert names == expect and len(names) == len(set(names))
    unknown = Cell(2023, Coords(), "ended", 1.0, "count", False, "not-a-source")
    assert source_names(ds, [unknown]) == ["not-a-source"]


def test_findings_state_the_seed_numbers(seed):
    nb = findings(seed, "nb")
    assert 3 <= len(nb) <= 5
    assert nb[0] == (f"49{NB}% av de som avsluttet introduksjonsprogrammet i 2023 gikk direkte over til arbeid "
                     "eller utdanning.")
    assert nb[1] == f"41{NB}% gikk til arbeid, +17 prosentpoeng fra 2022."
    assert nb[2] == f"8{NB}% gikk til utdanning, −20 prosentpoeng fra 2022."
    assert f"Blant fordrevne fra Ukraina gikk 45{NB}% til arbeid, mot 23{NB}% blant øvrige flyktninger." in nb
    assert f"Menn hadde høyere måloppnåelse (60{NB}%) enn kvinner (44{NB}%)." in nb


def test_findings_in_english(ds):
    en = findings(query(ds, ViewState(lang="en")), "en")
    assert en[0] == "49% of those who ended the introduction programme in 2023 went directly to work or education."
    assert en[1] == "41% went to work, +17 percentage points from 2022."
    assert en[2] == "8% went to education, −20 percentage points from 2022."


def test_findings_use_the_published_numbers_they_state(ds, seed):
    text = " ".join(findings(seed, "nb"))
    for measure in ("to_work_or_education", "to_work", "to_education"):
        c = get_cell(ds, measure, 2023, Coords())
        assert i18n.percent(c.value, "nb") in text
    change = get_cell(ds, "to_work_change_pp", 2023, Coords())
    assert i18n.points(change.value, "nb") in text


def test_findings_mark_computed_values_and_name_a_filter(ds):
    r = query(ds, ViewState(year=2022))
    text = findings(r, "nb")
    assert f"24{NB}% (beregnet) gikk til arbeid." in text
    assert f"2{NB}757 avsluttet programmet i 2022, mot 3{NB}295 i 2021." in text
    women = findings(query(ds, ViewState(gender="women")), "nb")
    assert women[0].endswith("(Norge, kvinner).") and women[0].startswith(f"44{NB}%")
    assert not any("Menn hadde" in f or "Kvinner hadde" in f for f in women)   # no sex comparison within one sex


def test_findings_of_a_view_without_figures(ds):
    r = query(ds, ViewState(region="0301", group="ukraine", education="higher", age="56+"))
    assert findings(r, "nb") == ["Det finnes ingen publiserte hovedtall for dette utvalget."]
    assert findings(r, "en") == ["There are no published headline figures for this selection."]


def test_value_word_of_a_country_is_its_name_not_a_locale_key():
    assert value_word("country", "SY", "nb") == "Syria" and value_word("country", "CD", "en") == "Congo (DR)"
    assert value_word("country", "CD", "nb") == "Kongo (DR)"
    assert value_word("country", "all", "nb") == "Alle land" and value_word("country", "all", "en") == "All countries"
    assert value_word("country", "ZZ", "en") == "ZZ"  # a code without a name is shown as the code
