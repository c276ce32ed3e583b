"""Regions by year, transitions between structures, comparability notes and type-ahead search."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from dashboard.model import regions as R

REGIONS_DIR = Path(__file__).resolve().parents[2] / "data" / "regions"


def codes(rs):
    return [r.code for r in rs]


def history_row(code, year):
    """The region straight from the CSV, not through the module."""
    with open(REGIONS_DIR / "norwegian_regions_history.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["regionnummer"] == code and r["gyldig_fra"] <= f"{year}-01-01" \
                    and (not r["gyldig_til"] or r["gyldig_til"] > f"{year}-01-01"):
                return r
    return None


@pytest.mark.parametrize("year, code", [(2019, "0219"), (2020, "3024"), (2023, "3024"), (2024, "3201")])
def test_bærum_by_year(year, code):
    row = history_row(code, year)
    assert row is not None and row["regionnavn"] == "Bærum"
    found = [r for r in R.regions_in(year, "municipality") if r.name == "Bærum"]
    assert codes(found) == [code]
    assert R.county_of(code, year) == {2019: "02", 2020: "30", 2023: "30", 2024: "32"}[year]


def test_structures_have_the_right_size():
    sizes = {y: (len(R.regions_in(y, "county")), len(R.regions_in(y, "municipality")))
             for y in (2016, 2018, 2019, 2020, 2024)}
    assert sizes == {2016: (19, 428), 2018: (18, 422), 2019: (18, 422), 2020: (11, 356), 2024: (15, 357)}
    assert codes(R.regions_in(2024, "country")) == ["0"]
    with pytest.raises(ValueError):
        R.regions_in(2024, "kommune")


def test_county_of():
    assert R.county_of("0301", 2016) == "03" and R.county_of("03", 2016) == "03"
    assert R.county_of("0219", 2020) is None                   # not in use any more
    assert R.county_of("5061", 2019) == "50" and R.county_of("1567", 2018) == "15"   # Rindal moved
    assert R.county_of("0", 2020) is None


def test_nordre_follo_from_ski_and_oppegård():
    for code, name in (("0213", "Ski"), ("0217", "Oppegård"), ("3020", "Nordre Follo"), ("3207", "Nordre Follo")):
        assert R.region(code, 2019 if code < "3000" else 2020 if code == "3020" else 2024).name == name
    assert codes(R.predecessors("3020", 2020)) == ["0213", "0217"]
    assert codes(R.predecessors("3207", 2024)) == ["3020"]
    assert codes(R.predecessors("3207", 2024, back_to=2016)) == ["0213", "0217"]
    assert codes(R.successors("0213", 2019, 2020)) == ["3020"]
    assert codes(R.successors("0217", 2016, 2024)) == ["3207"]
    assert R.predecessors("0301", 2024) == []


def test_splits_and_the_2018_trøndelag_merger():
    assert codes(R.successors("1507", 2023, 2024)) == ["1508", "1580"]          # Ålesund and Haram
    assert codes(R.successors("5012", 2019, 2020)) == ["5055", "5056", "5059"]  # Snillfjord divided
    assert codes(R.predecessors("50", 2018)) == ["16", "17"]
    assert codes(R.successors("30", 2023, 2024)) == ["31", "32", "33"]
    assert codes(R.successors("05", 2019, 2020)) == ["34"]
    assert codes(R.successors("05", 2019, 2020, transfers=True)) == ["30", "34"]   # Jevnaker, Lunner


def test_codes_over_time():
    assert R.codes_over_time("3201", range(2016, 2025)) == {**{y: ["0219"] for y in range(2016, 2020)},
                                                             **{y: ["3024"] for y in range(2020, 2024)}, 2024: ["3201"]}
    assert R.codes_over_time("3020", [2019, 2021]) == {2019: ["0213", "0217"], 2021: ["3020"]}


def test_comparability_notes_in_both_languages():
    years = range(2016, 2025)
    assert R.comparability("3207", years) == ["Nordre Follo ble opprettet i 2020 av Ski og Oppegård",
                                              "Nordre Follo fikk nytt kommunenummer i 2024: 3020 ble 3207"]
    assert R.comparability("3207", years, "en") == ["Nordre Follo was formed in 2020 from Ski and Oppegård",
                                                    "Nordre Follo got a new municipality number in 2024: 3020 became 3207"]
    assert R.comparability("3201", years, "en") == [
        "Bærum got a new municipality number in 2020: 0219 became 3024",
        "Bærum got a new municipality number in 2024: 3024 became 3201"]
    assert R.comparability("1103", years) == ["Finnøy og Rennesøy ble slått sammen med Stavanger i 2020"]
    assert R.comparability("50", years, "en")[0] == "Trøndelag was formed in 2018 from Sør-Trøndelag and Nord-Trøndelag"
    assert "Viken was split in 2024 into Østfold, Akershus and Buskerud" in R.comparability("32", years, "en")
    assert "Jevnaker og Lunner ble flyttet fra Oppland til Viken i 2020" in R.comparability("30", [2019, 2020])
    assert R.comparability("5061", [2018, 2019], "en") == [
        "Rindal got a new municipality number in 2019: 1567 became 5061, and moved from Møre og Romsdal to Trøndelag"]
    assert R.comparability("1580", [2023, 2024], "en") == ["Ålesund was split in 2024 into Ålesund and Haram"]


def test_no_notes_for_a_stable_series_or_inside_one_structure():
    assert R.comparability("0301", range(2016, 2025)) == []
    assert R.comparability("03", range(2016, 2025)) == []
    assert R.comparability("3024", range(2020, 2024)) == []
    assert R.comparability("0", range(2016, 2025)) == []
    assert R.comparability("9999", [2020], "en") == ["9999 is not a region code in use in 2020–2020"]


def test_every_area_goes_somewhere_and_comes_from_somewhere():
    """Each change date: every region of the year before has successors, and the successors of all of
    them are exactly the regions of the year after (nothing lost, nothing invented)."""
    for level in ("municipality", "county"):
        for year in range(2017, 2026):
            before = codes(R.regions_in(year - 1, level))
            after = set(codes(R.regions_in(year, level)))
            reached = set()
            for code in before:
                succ = codes(R.successors(code, year - 1, year, transfers=True))
                assert succ, (level, year, code)
                reached.update(succ)
            assert reached == after, (level, year, sorted(after ^ reached)[:5])


def test_the_derived_files_are_up_to_date():
    spec = importlib.util.spec_from_file_location("build_changes", REGIONS_DIR / "build_changes.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    changes, aliases = build.build()
    assert (REGIONS_DIR / "region_changes.csv").read_text(encoding="utf-8") == changes
    assert (REGIONS_DIR / "region_aliases.csv").read_text(encoding="utf-8") == aliases
    assert (REGIONS_DIR / "LICENSE-bord4-data.txt").read_text().startswith("MIT License")


@pytest.mark.parametrize("text, year, first", [
    ("Bærum", 2024, "3201"), ("3201", 2024, "3201"), ("bær", 2024, "3201"), ("baerum", 2024, "3201"),
    ("Bærum", 2019, "0219"), ("BÆRUM", 2021, "3024"), ("Snåsa", 2024, "5041"), ("Kåfjord", 2022, "5426"),
    ("tromso", 2024, "5501"), ("hele landet", 2024, "0"), ("follo", 2021, "3020"),
])
def test_search_finds(text, year, first):
    assert codes(R.search(text, year))[0] == first


def test_search_ranks_code_then_prefix_then_substring_and_country_county_municipality():
    assert codes(R.search("os", 2024))[:4] == ["3430", "03", "5020", "0301"]   # Os exact; Oslo county; Osen, Oslo
    assert codes(R.search("nor", 2024))[:2] == ["0", "18"]                    # Norge, Nordland, then municipalities
    assert codes(R.search("32", 2024))[:3] == ["32", "3201", "3203"]          # exact code, then code prefix in order
    assert "3201" not in codes(R.search("3201", 2019))                          # not in use yet
    assert codes(R.search("rum", 2024))[0] == "3201"                            # substring: Bærum
    assert R.search("", 2024) == [] and R.search("zzz", 2024) == []
    assert len(R.search("a", 2024, limit=5)) == 5


def test_name_keeps_its_behaviour():
    assert R.name("0") == "Norge" and R.name("0", lang="en") == "Norway"
    assert R.name("46", 2020) == "Vestland" and R.name("12", 2016) == "Hordaland"
    assert R.name("06", 2019) == "Buskerud" and R.name("9999") == "9999"
    assert R.name("18", 2021) == "Nordland"                                     # the file has 'Nordland '
