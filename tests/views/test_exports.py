"""Cells out: cells_to_csv (the tidy columns plus basis and formula), safe_text and number_text."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.model import schema
from dashboard.model.dataset import load_dataset
from dashboard.model.query import Cell, Coords, get_cell
from dashboard.views.exports import EXPORT_COLUMNS, cells_to_csv, number_text, safe_text
from dashboard.views.text import formula


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("value", ["=1+1", "+47 22", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_safe_text_neutralises_what_a_spreadsheet_would_run(value):
    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Oslo", "0301", "a=b", "x-y", "'=1", " =1", "41 %"])
def test_safe_text_leaves_plain_text_alone(value):
    assert safe_text(value) == value


@pytest.mark.parametrize("value,text", [(41.0, "41"), (11381, "11381"), (0.0, "0"), (-538.0, "-538"),
                                        (24.323114790780934, "24.3"), (21.5037, "21.5"), (2_500_000.4, "2500000"),
                                        (-1.26, "-1.3")])
def test_number_text_is_whole_or_one_decimal_with_a_point(value, text):
    assert number_text(value) == text


def test_export_columns_are_the_tidy_format_then_basis_and_formula():
    assert EXPORT_COLUMNS == schema.COLUMNS + ("basis", "formula")
    assert cells_to_csv([]) == ",".join(EXPORT_COLUMNS) + "\n"


def test_a_published_and_a_computed_cell(ds):
    published = get_cell(ds, "to_work_or_education", 2023, Coords())
    computed = get_cell(ds, "to_work", 2016, Coords())      # 1 087 of 4 469, IMDi's published counts
    assert computed.computed and computed.method == "share_of_counts"
    out = rows(cells_to_csv([published, computed], "en"))
    assert [list(r) for r in out] == [list(EXPORT_COLUMNS)] * 2
    p, c = out
    assert p == {"year": "2023", "region": "0", "group": "all", "gender": "all", "education": "all", "age": "all",
                 "country": "all", "measure": "to_work_or_education", "value": "49", "unit": "percent",
                 "approx": "false", "source": published.source, "basis": "published", "formula": ""}
    assert c["value"] == number_text(100 * 1087 / 4469) == "24.3"
    assert c["basis"] == "computed" and c["measure"] == "to_work" and c["year"] == "2016"
    assert c["formula"] == formula(computed, "en") == "1,087 / 4,469 × 100 = 24.3%"


def test_the_formula_follows_the_language(ds):
    computed = get_cell(ds, "to_work", 2016, Coords())
    nb = rows(cells_to_csv([computed], "nb"))[0]
    assert nb["formula"] == "1\u00a0087 / 4\u00a0469 × 100 = 24,3\u00a0%"
    assert nb["value"] == "24.3"                       # the number itself is always machine-readable


def test_approx_is_written_as_true(ds):
    c = get_cell(ds, "participants", 2022, Coords())
    assert c.approx and c.value == 18000
    r = rows(cells_to_csv([c]))[0]
    assert r["approx"] == "true" and r["value"] == "18000"


def test_every_text_cell_is_neutralised_even_if_a_loader_let_one_through():
    # The loader refuses a source like this; the export does not rely on it.
    c = Cell(2023, Coords(region="0301"), "ended", 120.0, "count", False, "=cmd|' /C calc'!A0")
    r = rows(cells_to_csv([c]))[0]
    assert r["source"] == "'=cmd|' /C calc'!A0" and r["value"] == "120" and r["region"] == "0301"
    assert not any(v.startswith(("=", "+", "@")) for v in r.values())


def test_a_negative_value_is_a_number_not_neutralised():
    coords = Coords()
    a = Cell(2022, coords, "ended", 2757.0, "count", False, "s")
    b = Cell(2021, coords, "ended", 3295.0, "count", False, "s")
    diff = Cell(2022, coords, "ended_change", -538.0, "count", False, "s", "computed", "difference", (a, b))
    r = rows(cells_to_csv([diff], "en"))[0]
    assert r["value"] == "-538"
    assert r["formula"] == "2,757 − 3,295 = −538"       # the minus sign is U+2212: no formula either
