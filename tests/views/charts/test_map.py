"""The map (map.py): counties, or the municipalities of the chosen county, filled by the view's main share."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values

SSB = "ssb_one_year_after"
DARKEST, LIGHTEST = "#08519c", "#deebf7"


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def regions_drawn(spec):
    """The filled regions: code -> (name, fill colour, hover text)."""
    return {t.customdata[0]: (t.name, t.fillcolor, nb(t.text)) for t in spec.figure.data if t.customdata and t.fill == "toself"}


def test_the_counties_carry_ssbs_published_shares(ds):
    spec = charts.spec("map", query(ds, ViewState(series=SSB)), "nb")
    drawn = regions_drawn(spec)
    assert len(drawn) == 11
    assert drawn["03"][0] == "Oslo" and drawn["03"][2].startswith("<b>Oslo</b>: 65 %<br>2023")
    assert values("in_work_or_education_1y", 2023, region="03") == {65.0}
    # Five classes, light to dark: the highest shares darkest, the lowest lightest.
    assert {drawn[c][1] for c in ("54", "18", "38")} == {DARKEST}
    assert {drawn[c][1] for c in ("11", "42")} == {LIGHTEST}
    legend = [t.name for t in spec.figure.data if t.type == "bar"]
    assert [nb(n) for n in legend] == ["64 %", "65–66 %", "67 %", "68–69 %", "70–71 %"]
    assert [a.text for a in spec.figure.layout.annotations] == ["© Kartverket"]


def test_cells_table_and_caption(ds):
    spec = charts.spec("map", query(ds, ViewState(series=SSB)), "nb")
    assert len(spec.cells) == 11 and all(is_published(c) for c in spec.cells)
    assert [c.value for c in spec.cells] == sorted((c.value for c in spec.cells), reverse=True)
    drawn = regions_drawn(spec)
    for c in spec.cells:  # each cell is on the map with its value
        assert drawn[c.coords.region][2].split("<br>")[0].endswith(f": {c.value:g} %")
    assert [nb(r[1]) for r in spec.rows][:2] == ["71 %", "70 %"] and spec.rows[0][0] == "Troms og Finnmark"
    assert nb(spec.caption).startswith("Publiserte tall på kartet: Troms og Finnmark 71 %; Nordland 70 %;")
    assert spec.title == "Kart: I arbeid eller utdanning ett år etter, fylkene (2023)"


def test_a_county_shows_its_municipalities_and_the_chosen_one_is_outlined(ds):
    spec = charts.spec("map", query(ds, ViewState(region="4602", year=2020)), "nb")
    drawn = regions_drawn(spec)
    assert drawn["4602"][0] == "Kinn" and drawn["4602"][2].startswith("<b>Kinn</b>: 58 %")
    assert drawn["4621"][0] == "Voss" and drawn["4621"][2].startswith("<b>Voss</b>: 50 %")
    assert values("to_work_or_education", 2020, region="4602") == {58.0}
    assert [nb(r[1]) for r in spec.rows] == ["58 %", "50 %"]
    assert nb(spec.caption) == "Publiserte tall på kartet: Kinn 58 %; Voss 50 %."
    outlined = [t.customdata[0] for t in spec.figure.data if t.customdata and t.line.width == 2.5]
    assert outlined == ["4602"]
    assert "Vestland (2020)" in spec.title


def test_english(ds):
    spec = charts.spec("map", query(ds, ViewState(series=SSB, lang="en")), "en")
    assert regions_drawn(spec)["03"][2].startswith("<b>Oslo</b>: 65%<br>2023<br>Source:")
    assert spec.rows[0] == ["Troms og Finnmark", "71%"]


def test_no_county_figures_says_so_in_one_line_instead_of_an_empty_map(ds):
    for lang, words in (("nb", "Ingen tall for fylkene i 2023 for «Gikk direkte til arbeid eller utdanning»"),
                        ("en", "No figures for the counties in 2023 for “Went directly to work or education”")):
        spec = charts.spec("map", query(ds, ViewState(lang=lang)), lang)  # IMDi publishes no county shares for 2023
        assert spec.cells == [] and spec.rows == [] and spec.figure.data == []   # no full-page hatching
        assert spec.note.startswith(words) and spec.note == spec.caption


def test_a_year_without_outlines_is_the_empty_figure_and_says_why(ds):
    spec = charts.spec("map", query(ds, ViewState(series=SSB, year=2016)), "nb")
    assert spec.figure.data == [] and spec.cells == []
    assert spec.note.startswith("Kart finnes fra 2020.")
    assert spec.caption.startswith("Ingen publiserte tall for fylkene i 2016")


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(series=SSB), ViewState(region="46", year=2020, lang="en")):
        _, alone = charts.one(ds, state, "map")
        full = charts.spec("map", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells, alone.note) == (
            full.figure, full.rows, full.caption, full.cells, full.note)
        assert alone.cells
