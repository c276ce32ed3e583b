"""A region against its county and the country (region.py): lines over the years, the persons behind the
region's shares and their interval."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def line(spec, name):
    return next(t for t in spec.figure.data if t.name == name)


def points(trace) -> list:
    """(year, value) where the line has a figure: every year is on the axis, None in a gap."""
    return [(x, y) for x, y in zip(trace.x, trace.y) if y is not None]


def test_a_municipality_with_its_county_and_the_country(ds):
    spec = charts.spec("region", query(ds, ViewState(region="4204")), "nb")
    # Nothing published for the county (Agder): it is not drawn, and the caption says so.
    assert [t.name for t in spec.figure.data] == ["Kristiansand", "Norge"]
    assert "Ingen tall for Agder" in nb(spec.caption)
    own = line(spec, "Kristiansand")
    assert points(own) == [(2022, 71)] and values("to_work_or_education", 2022, region="4204") == {71.0}
    assert [nb(t) for t in own.text if t] == ["71 % (73)"]  # the share and the persons it is a share of
    assert values("ended", 2022, region="4204") == {73.0}
    at = list(own.x).index(2022)
    hover = nb(own.hovertext[at])
    assert "52 av 73 personer" in hover and "Basert på 73 personer" in hover
    assert "95 % konfidensintervall: 59,8 %–80,2 %" in hover
    assert own.error_y.visible and own.error_y.array[at] == pytest.approx(80.2 - 71, abs=0.1)
    national = line(spec, "Norge")
    assert dict(zip(national.x, national.y))[2023] == 49 and set(national.text) == {""}


def test_cells_are_the_lines_and_the_persons_drawn_beside(ds):
    spec = charts.spec("region", query(ds, ViewState(region="4204")), "nb")
    drawn = sorted(y for t in spec.figure.data for y in t.y if y is not None)
    shares = sorted(c.value for c in spec.cells if c.unit == "percent")
    assert shares == drawn
    assert [(c.measure, c.value) for c in spec.cells if c.unit == "count"] == [("ended", 73)]
    assert all(is_published(c) for c in spec.cells)


def test_table_and_caption(ds):
    spec = charts.spec("region", query(ds, ViewState(region="4204")), "nb")
    assert spec.columns == ["År", "Kristiansand", "Norge"]   # the county has no figures: no column
    rows = {r[0]: [nb(v) for v in r[1:]] for r in spec.rows}
    assert rows["2022"] == ["71 % (52 av 73 personer)", "52 %"]
    assert rows["2023"] == ["ikke publisert", "49 %"]
    assert nb(spec.caption).startswith("Kristiansand i 2022: 71 %. Basert på 73 personer. Høyere enn landet.")
    assert "Ingen tall for Agder" in nb(spec.caption)
    # The title names only what is drawn: the country, not the county.
    assert "fylket" not in spec.title and "hele landet" in spec.title


def test_a_county_in_english_with_its_rank(ds):
    spec = charts.spec("region", query(ds, ViewState(region="03", series="ssb_one_year_after", lang="en")), "en")
    assert [t.name for t in spec.figure.data] == ["Oslo", "Norway"]
    oslo = line(spec, "Oslo")
    assert points(oslo) == [(2020, 57), (2021, 61), (2022, 62), (2023, 65)]
    assert [t for t in oslo.text if t] == ["57%", "61%", "62%", "65%"]
    assert spec.caption == "Oslo in 2023: 65%. Number 9 of 11 counties in 2023."
    assert spec.rows[-1] == ["2023", "65%", "67%"]


def test_the_whole_country_has_no_region_chart(ds):
    spec = charts.spec("region", query(ds, ViewState()), "nb")
    assert spec.figure.data == [] and spec.cells == [] and spec.rows == [] and spec.title == ""


def test_a_region_with_nothing_published_is_the_empty_figure_and_says_so(ds):
    for lang, words in (("nb", "Ingen publiserte tall for Oslo med denne definisjonen."),
                        ("en", "No published figures for Oslo with this definition.")):
        spec = charts.spec("region", query(ds, ViewState(region="0301", education="higher", lang=lang)), lang)
        assert spec.figure.data == [] and spec.cells == []
        assert len(spec.figure.layout.annotations) == 1 and spec.figure.layout.xaxis.visible is False
        assert spec.caption.startswith(words)


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(region="4204"), ViewState(region="03", series="ssb_one_year_after", lang="en")):
        _, alone = charts.one(ds, state, "region")
        full = charts.spec("region", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert alone.cells
