"""Exports hold exactly what the view shows: images with title, filters and source; xlsx with sources."""
import io
import re

import pytest
from openpyxl import load_workbook

from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_png_is_an_image_named_for_the_view(client):
    r = client.get("/chart.png?chart=groups&gender=all&year=2023")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'filename="introduksjonsprogrammet-groups-norge-2023.png"' in r.headers["Content-Disposition"]


def test_svg_carries_title_filters_source_and_the_numbers(client):
    r = client.get("/chart.svg?chart=groups&lang=en")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.data.decode()
    text = " ".join(re.findall(r">([^<>]+)<", svg)).replace("\u00a0", " ")
    assert "Work and education: displaced from Ukraine and other refugees" in text
    assert "Norway, 2023" in text
    assert "Source: IMDi" in text
    for v in ("45%", "3%", "23%", "28%"):
        assert v in text


def test_svg_of_illustration_1_marks_computed_values(client):
    svg = client.get("/chart.svg?chart=trend").data.decode()
    assert "24,3 %*" in svg.replace("\u00a0", " ") and "Beregnet fra publiserte tall" in svg


def test_unknown_chart_is_a_plain_400(client):
    r = client.get("/chart.png?chart=<b>x</b>")
    assert r.status_code == 400 and b"<b>" not in r.data


def test_xlsx_has_the_charts_numbers_and_a_sheet_of_sources(client):
    r = client.get("/data.xlsx?chart=groups")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    data = wb["Data"]
    rows = list(data.iter_rows(values_only=True))
    header = rows[1]
    assert header[:12] == ("year", "region", "group", "gender", "education", "age", "country", "measure", "value",
                           "unit", "approx", "source")
    got = {(r[2], r[7]): r[8] for r in rows[2:]}
    assert got == {("ukraine", "to_work"): 45, ("ukraine", "to_education"): 3, ("other", "to_work"): 23,
                   ("other", "to_education"): 28}
    meta = wb["Kilder og definisjoner"]
    text = " ".join(str(c) for row in meta.iter_rows(values_only=True) for c in row if c)
    assert "imdi-nokkeltall-2023" in text and "https://" in text and "Gikk direkte til arbeid" in text


def test_xlsx_of_illustration_1_includes_computed_values_with_formula(client):
    wb = load_workbook(io.BytesIO(client.get("/data.xlsx?chart=trend").data))
    rows = list(wb["Data"].iter_rows(values_only=True))[2:]
    computed = [r for r in rows if r[12] == "computed"]
    assert {(r[0], r[7]) for r in computed} == {(2016, "to_work"), (2016, "to_education"), (2022, "to_work")}
    assert all(r[13] for r in computed)
