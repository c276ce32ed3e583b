"""Regions side by side: compare=03,46,50 in the URL, its validation, its query part and its chart."""
from __future__ import annotations

import pytest

from dashboard.model import dimensions as dims
from dashboard.model.query import Coords, get_cell, query
from dashboard.views import charts, urls
from dashboard.views.state import MAX_COMPARE, ViewState, compare_codes, parse_compare


@pytest.fixture(scope="module")
def ds():
    from dashboard.model.dataset import load_dataset
    from dashboard.model.suppression import protect
    return protect(load_dataset())


def test_compare_is_part_of_the_url_as_written():
    state = ViewState(compare="03,46,50")
    assert state.to_query() == "compare=03,46,50"
    assert ViewState.from_query("compare=03,46,50") == (state, [])
    assert compare_codes(state) == ["03", "46", "50"] and compare_codes(ViewState()) == []
    assert "compare=03,46,50" in urls.download(state, "compare", "csv")


def test_each_code_is_validated_and_a_bad_one_is_named_not_fatal():
    known = {"0", "03", "46", "50", "4601"}
    state, problems = ViewState.from_query("compare=03, 46,xx,9999,46,<b>&year=2023", years=[2023], regions=known)
    assert state.compare == "03,46" and state.year == 2023
    assert [(p.param, p.value) for p in problems] == [("compare", "xx"), ("compare", "9999"), ("compare", "<b>")]
    assert parse_compare("0,4601,50") == ("0,4601,50", [])         # any level: country, municipality, county


def test_at_most_eight_regions():
    codes = [f"{n:02d}" for n in range(1, 12)]
    value, bad = parse_compare(",".join(codes))
    assert value.split(",") == codes[:MAX_COMPARE] and bad == codes[MAX_COMPARE:]


def test_one_line_per_region_with_the_published_figures(ds):
    state = ViewState(series="ssb_one_year_after", compare="03,46,50")
    result = query(ds, state, needs=("compare",))
    assert list(result.compare) == ["03", "46", "50"]
    for code, line in result.compare.items():
        for y, c in line.items():
            expected = get_cell(ds, "in_work_or_education_1y", y, Coords(region=code))
            assert (c is None and expected is None) or c.value == expected.value
    spec = charts.spec("compare", result, "nb")
    assert [t["name"] for t in spec.figure["data"]] == ["Oslo", "Vestland", "Trøndelag"]
    assert spec.columns == ["År", "Oslo", "Vestland", "Trøndelag"]
    assert {c.coords.region for c in spec.cells} == {"03", "46", "50"}
    for trace in spec.figure["data"]:
        xs = trace["x"]
        assert xs == list(range(xs[0], xs[-1] + 1)) and trace["connectgaps"] is False
    assert "Oslo 65\u00a0% (2023)" in spec.caption


def test_a_region_without_figures_is_said_and_not_drawn(ds):
    result = query(ds, ViewState(compare="03,4601"), needs=("compare",))
    spec = charts.spec("compare", result, "nb")
    assert [t["name"] for t in spec.figure["data"]] == ["Oslo"]
    assert "Ingen publiserte tall for Bergen" in spec.caption


def test_the_chart_follows_the_filters_and_protection(ds):
    """A hidden (small) figure is not in the data, so it is not drawn, not in the table and not downloadable."""
    state = ViewState(series="ssb_one_year_after", compare="0,03", **{dims.GENDER: "women"})
    result, spec = charts.one(ds, state, "compare")
    assert all(getattr(c.coords, dims.GENDER) == "women" for c in spec.cells)
    hidden = ds.__dict__["suppressed"]
    shown = {(c.measure, c.year, c.coords.region) for c in spec.cells}
    gone = {(r.measure, int(r.year), r.region) for r in hidden.itertuples()}
    assert spec.cells and not shown & gone


def test_the_chart_is_in_the_registry_with_its_downloads(ds):
    assert "compare" in charts.REGISTRY and "compare" in charts.PAGE_CHARTS and "compare" in charts.IMAGE_CHARTS
    from dashboard.web.app import create_app
    client = create_app().server.test_client()
    got = client.get("/data.csv?series=ssb_one_year_after&compare=03,46&chart=compare")
    assert got.status_code == 200
    lines = got.get_data(as_text=True).splitlines()
    assert len(lines) > 5 and all(",03," in ln or ",46," in ln for ln in lines[1:])
    bad = client.get("/data.csv?compare=03,zz&chart=compare")
    assert bad.status_code == 400 and b"compare" in bad.get_data()
