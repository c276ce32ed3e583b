"""The tidy format: columns from the dimension table, and the shipped catalogues read by schema."""
from __future__ import annotations

import csv

import pytest

from dashboard.model import dimensions as dims
from dashboard.model import schema
from dashboard.model.dataset import DATA_DIR, load_dataset
from dashboard.model.schema import Measure, read_measures, read_sources

MEASURES = read_measures(DATA_DIR / "measures.csv")
SOURCES = read_sources(DATA_DIR / "sources.csv")


def csv_rows(name):
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_columns_are_the_dimensions_in_table_order_then_the_value_columns():
    assert schema.COLUMNS == tuple(d.id for d in dims.DIMENSIONS) + ("measure", "value", "unit", "approx", "source")
    assert schema.COLUMNS[:7] == ("year", "region", "group", "gender", "education", "age", "country")
    assert schema.DIMENSIONS == dims.IDS
    assert schema.KEY == dims.IDS + ("measure", "source")
    assert schema.CATEGORY_DIMENSIONS == ("group", "gender", "education", "age")


def test_the_shipped_data_file_has_exactly_these_columns():
    with open(DATA_DIR / "figures.csv", encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == schema.COLUMNS


def test_region_and_country_patterns_come_from_the_dimension_table():
    for ok in ("0", "46", "0301", "3024"):
        assert schema.REGION_PATTERN.match(ok)
    for bad in ("", "1", "301", "03011", "ab", "0301 "):
        assert not schema.REGION_PATTERN.match(bad), bad
    assert schema.COUNTRY_PATTERN.match("SY") and schema.COUNTRY_PATTERN.match("all")
    assert not schema.COUNTRY_PATTERN.match("sy") and not schema.COUNTRY_PATTERN.match("SYR")


def test_read_measures_reads_every_row_of_the_catalogue():
    rows = csv_rows("measures.csv")
    assert len(MEASURES) == len(rows) and list(MEASURES) == [r["measure"] for r in rows]
    to_work = MEASURES["to_work"]
    assert to_work == Measure("to_work", "percent", "imdi_direct", to_work.label_nb, to_work.label_en,
                              to_work.definition_nb, to_work.definition_en, denominator="ended",
                              count_measure="to_work_count")
    assert MEASURES["to_work_count"].share_measure == "to_work"
    assert MEASURES["ended"].unit == "count" and MEASURES["ended"].denominator == ""


def test_a_measure_speaks_both_languages():
    m = MEASURES["ended"]
    assert m.label("nb") == m.label_nb == "Avsluttet programmet"
    assert m.label("en") == m.label_en == "Ended the programme"
    assert m.label("xx") == m.label_nb and m.definition("en") == m.definition_en != m.definition_nb
    for m in MEASURES.values():
        assert m.label_nb and m.label_en and m.definition_nb and m.definition_en, m.id


def test_every_unit_is_count_or_percent_and_every_series_is_named():
    assert schema.UNITS == ("count", "percent")
    assert {m.unit for m in MEASURES.values()} == set(schema.UNITS)
    assert all(m.series for m in MEASURES.values())
    # The two outcome definitions the app shows are both in the catalogue.
    assert set(schema.SERIES) <= {m.series for m in MEASURES.values()}


def test_every_share_measures_count_and_denominator_exist_and_are_counts():
    shares = [m for m in MEASURES.values() if m.denominator or m.count_measure]
    assert len(shares) > 10
    for m in shares:
        assert m.unit == "percent", m.id
        assert m.denominator in MEASURES and MEASURES[m.denominator].unit == "count", m.id
        if m.count_measure:
            count = MEASURES[m.count_measure]
            assert count.unit == "count", m.id
            # A count may be a share of two bases (other_reason of ended, neither_other_reason of the
            # neither count); its own share_measure is one of the shares built on it.
            assert MEASURES[count.share_measure].count_measure == m.count_measure, m.id


def test_every_count_with_a_share_is_that_shares_count():
    for m in MEASURES.values():
        if m.share_measure:
            assert m.unit == "count", m.id
            share = MEASURES[m.share_measure]
            assert share.unit == "percent" and share.count_measure == m.id, m.id


def test_a_count_and_its_share_are_of_one_series():
    for m in MEASURES.values():
        if m.count_measure:
            assert MEASURES[m.count_measure].series == m.series, m.id


def test_read_sources_reads_every_source_with_an_address():
    rows = csv_rows("sources.csv")
    assert len(SOURCES) == len(rows) and list(SOURCES) == [r["source"] for r in rows]
    for s in SOURCES.values():
        assert s.publisher and s.title and s.url.startswith(("https://", "http://")), s.id
    first = rows[0]
    s = SOURCES[first["source"]]
    assert (s.publisher, s.title, s.date, s.url) == (first["publisher"], first["title"], first["date"], first["url"])


def test_every_measure_and_source_the_shipped_data_uses_is_in_the_catalogues():
    cells = load_dataset().cells
    assert set(cells["measure"].astype(str)) <= set(MEASURES)
    assert set(cells["source"].astype(str)) <= set(SOURCES)
    for measure, unit in cells[["measure", "unit"]].drop_duplicates().astype(str).itertuples(index=False):
        assert MEASURES[measure].unit == unit, measure


def test_the_readers_take_a_bom_and_optional_columns(tmp_path):
    p = tmp_path / "measures.csv"
    p.write_text("\ufeffmeasure,unit,series,label_nb,label_en,definition_nb,definition_en\n"
                 "x_count,count,s,X nb,X en,def nb,def en\n", encoding="utf-8")
    m = read_measures(p)["x_count"]
    assert (m.unit, m.series, m.label("en"), m.denominator, m.count_measure, m.share_measure) == (
        "count", "s", "X en", "", "", "")
    q = tmp_path / "sources.csv"
    q.write_text("\ufeffsource,publisher,title,date,url\nmine,Me,My title,2024,https://example.org/x\n",
                 encoding="utf-8")
    assert read_sources(q)["mine"].url == "https://example.org/x"


def test_a_catalogue_without_a_needed_column_fails(tmp_path):
    p = tmp_path / "measures.csv"
    p.write_text("measure,unit\nx,count\n", encoding="utf-8")
    with pytest.raises(KeyError):
        read_measures(p)
