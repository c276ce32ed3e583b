"""SSB one year after, by gender (ssb.py): a line per gender, SSB's own definition."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def spec(ds):
    return charts.spec("ssb", query(ds, ViewState()), "nb")


def line(spec, name):
    """year -> value where the line has a figure (every year is on the axis, None in a gap)."""
    t = next(t for t in spec.figure.data if t.name == name)
    return {x: y for x, y in zip(t.x, t.y) if y is not None}


def test_the_lines_are_ssbs_published_shares(spec):
    both, men, women = line(spec, "Begge kjønn"), line(spec, "Menn"), line(spec, "Kvinner")
    assert both[2023] == 67 and both[2005] == 58 and both[2016] == 62
    assert (men[2016], women[2016]) == (71, 50) and (men[2022], women[2022]) == (73, 59)
    assert values("in_work_or_education_1y", 2016, gender="men") == {71.0}
    assert 2023 not in men and 2023 not in women  # not published by gender for 2023: no point, no gap filled
    assert all(t.mode == "lines+markers" for t in spec.figure.data)
    # The years between (2008–2012) are on the axis as gaps: no line crosses them.
    everyone = next(t for t in spec.figure.data if t.name == "Begge kjønn")
    assert dict(zip(everyone.x, everyone.y))[2010] is None and everyone.connectgaps is False


def test_every_cell_is_drawn_and_is_an_ssb_figure(ds, spec):
    drawn = sorted((t.name, x, y) for t in spec.figure.data for x, y in zip(t.x, t.y) if y is not None)
    names = {"all": "Begge kjønn", "men": "Menn", "women": "Kvinner"}
    assert sorted((names[c.coords.gender], c.year, c.value) for c in spec.cells) == drawn
    assert len(spec.cells) == 28 and all(is_published(c) for c in spec.cells)
    assert all(c.measure == "in_work_or_education_1y" for c in spec.cells)


def test_table_and_caption(spec):
    rows = {r[0]: [nb(v) for v in r[1:]] for r in spec.rows}
    assert spec.columns == ["År", "Begge kjønn", "Menn", "Kvinner"]
    assert rows["2016"] == ["62 % (2 980 av 4 790 personer)", "71 % (1 932 av 2 706 personer)",
                            "50 % (1 048 av 2 084 personer)"]
    assert rows["2023"] == ["67 %", "ikke publisert", "ikke publisert"]
    assert nb(spec.caption).endswith("Siste år 2023: begge kjønn 67 %.")


def test_english(ds):
    spec = charts.spec("ssb", query(ds, ViewState(lang="en")), "en")
    assert line(spec, "Both genders")[2023] == 67 and line(spec, "Women")[2022] == 59
    assert spec.caption.endswith("Latest year 2023: both genders 67%.")


def test_the_group_filter_is_named_in_a_note_as_ssb_has_no_groups(ds):
    spec = charts.spec("ssb", query(ds, ViewState(group="ukraine")), "nb")
    assert spec.note == "Ikke publisert for fordrevne fra Ukraina: figuren viser tallene for alle."
    assert line(spec, "Begge kjønn")[2023] == 67


def test_a_view_with_nothing_published_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("ssb", query(ds, ViewState(education="higher")), "nb")
    assert spec.figure.data == [] and spec.cells == [] and spec.rows == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", region="46")):
        _, alone = charts.one(ds, state, "ssb")
        full = charts.spec("ssb", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert alone.cells
