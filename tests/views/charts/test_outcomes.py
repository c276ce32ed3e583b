"""What happened to those who ended (outcomes.py): every end reason as a share with its persons; shares
computed from counts are starred and carry their formula."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import backed, is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def spec(ds):
    return charts.spec("outcomes", query(ds, ViewState()), "nb")


def test_the_bars_are_the_2023_end_reasons(spec):
    bar = spec.figure.data[0]
    shares = dict(zip(bar.y, bar.x))
    assert shares["Gikk direkte til arbeid"] == 41 and shares["Gikk direkte til utdanning"] == 8
    assert shares["Gikk til grunnskoleopplæring"] == 3 and values("to_primary_school", 2023) == {3.0}
    # Published as counts of the 11 381 who ended: the shares are computed.
    assert values("ended", 2023) == {11381.0, 11400.0}  # 11 400 is a rounded figure from another source
    assert shares["Gikk til arbeidsmarkedsrelaterte tiltak"] == pytest.approx(3844 / 11381 * 100)
    assert shares["Avsluttet av andre årsaker"] == pytest.approx(1707 / 11381 * 100)
    assert list(bar.y)[::-1][0] == "Gikk direkte til arbeid"  # read from the top, as the table


def test_computed_shares_are_starred_with_the_formula_and_counts_are_beside(spec):
    bar = spec.figure.data[0]
    text = {y: nb(t) for y, t in zip(bar.y, bar.text)}
    hover = {y: nb(h) for y, h in zip(bar.y, bar.hovertext)}
    assert text["Gikk til arbeidsmarkedsrelaterte tiltak"] == "33,8 %* (3 844)"
    assert text["Avsluttet av andre årsaker"] == "15,0 %* (1 707)"
    assert text["Gikk til grunnskoleopplæring"] == "3 % (286)" and text["Gikk direkte til arbeid"] == "41 %"
    assert "<i>Beregnet fra publiserte tall</i>: 3 844 / 11 381 × 100 = 33,8 %" in hover["Gikk til arbeidsmarkedsrelaterte tiltak"]
    assert "Beregnet" not in hover["Gikk til grunnskoleopplæring"]


def test_cells_are_the_bars_their_counts_and_the_counts_in_the_table(spec):
    bar = spec.figure.data[0]
    drawn = set(bar.x) | {286.0, 3844.0, 1707.0}  # the shares, and the persons beside three of them
    table_counts = {11381.0, 5837.0, 905.0}         # ended, neither work nor education, no end reason
    assert {c.value for c in spec.cells} == drawn | table_counts and len(spec.cells) == 11
    assert all(backed(c) for c in spec.cells)
    assert {c.measure for c in spec.cells if c.computed} == {"to_labour_measures", "other_reason"}
    assert all(is_published(c) for c in spec.cells if c.unit == "count")


def test_table_and_caption(spec):
    rows = {r[0]: [nb(v) for v in r[1:]] for r in spec.rows}
    assert rows["Gikk direkte til arbeid"] == ["41 %", "ikke publisert"]
    assert rows["Gikk til grunnskoleopplæring"] == ["3 % (286 av 11 381 personer)", "286"]
    assert rows["Gikk til arbeidsmarkedsrelaterte tiltak"][0].endswith("beregnet: 3 844 / 11 381 × 100 = 33,8 %")
    assert rows["Avsluttet programmet"] == ["", "11 381"]
    assert rows["Verken arbeid eller utdanning (antall)"] == ["", "5 837"]
    assert nb(spec.caption) == ("Av 11 381 som avsluttet i 2023: gikk direkte til arbeid 41 %; gikk direkte til "
                                "utdanning 8 %; gikk til grunnskoleopplæring 3 %; gikk til arbeidsmarkedsrelaterte "
                                "tiltak 33,8 %; avsluttet av andre årsaker 15,0 %.")


def test_english(ds):
    spec = charts.spec("outcomes", query(ds, ViewState(lang="en")), "en")
    assert list(spec.figure.data[0].text) == ["15.0%* (1,707)", "33.8%* (3,844)", "3% (286)", "8%", "41%"]
    assert spec.caption.startswith("Of 11,381 who ended in 2023: went directly to work 41%;")


def test_a_view_with_nothing_published_is_the_empty_figure_and_says_so(ds):
    spec = charts.spec("outcomes", query(ds, ViewState(gender="women")), "nb")
    assert spec.figure.data == [] and spec.cells == []
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]
    assert spec.caption == "Ingen publiserte tall for dette utvalget."
    assert len(spec.rows) == 5 and all(r[1:] == ["ikke publisert", "ikke publisert"] for r in spec.rows)


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(year=2016, lang="en")):
        _, alone = charts.one(ds, state, "outcomes")
        full = charts.spec("outcomes", query(ds, state), state.lang)
        assert (alone.figure, alone.rows, alone.caption, alone.cells) == (full.figure, full.rows, full.caption, full.cells)
        assert alone.cells
