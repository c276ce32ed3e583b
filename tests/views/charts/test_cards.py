"""The key figures as a chart (cards.py): no section and no image, but a table, a caption and cells for the
presentation, the embed page and the downloads."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import backed, is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_not_a_page_section_and_no_image():
    assert "cards" in charts.REGISTRY and "cards" not in charts.PAGE_CHARTS and "cards" not in charts.IMAGE_CHARTS


def test_the_rows_are_the_2023_key_figures(ds):
    spec = charts.spec("cards", query(ds, ViewState()), "nb")
    assert spec.columns == ["Mål", "Verdi"]
    assert [[nb(v) for v in r] for r in spec.rows] == [
        ["Deltakere i løpet av året (IMDi)", "om lag 32 500"], ["Startet i programmet", "17 699"],
        ["Avsluttet programmet", "11 381"], ["Gikk direkte til arbeid", "41 %"],
        ["Gikk direkte til utdanning", "8 %"], ["Gikk direkte til arbeid eller utdanning", "49 %"]]
    assert values("started", 2023) == {17699.0} and values("to_work_or_education", 2023) == {49.0}
    assert spec.title == "Nøkkeltall · Norge, 2023"
    assert spec.figure.data == []  # cards are drawn as cards, not as a plotly figure


def test_the_caption_is_the_first_two_findings(ds):
    spec = charts.spec("cards", query(ds, ViewState()), "nb")
    assert nb(spec.caption) == ("49 % av de som avsluttet introduksjonsprogrammet i 2023 gikk direkte over til arbeid "
                                "eller utdanning. 41 % gikk til arbeid, +17 prosentpoeng fra 2022.")


def test_cells_are_the_figures_the_year_before_and_the_changes(ds):
    spec = charts.spec("cards", query(ds, ViewState()), "nb")
    by = {(c.measure, c.year): c for c in spec.cells}
    assert by[("ended", 2023)].value == 11381 and by[("ended", 2022)].value == 2757
    change = by[("ended_change", 2023)]
    assert change.computed and change.value == 11381 - 2757
    assert [i.value for i in change.inputs] == [11381, 2757]
    # 2022 to work: not published as a share; 41 % less the published change of 17 points.
    assert by[("to_work", 2022)].computed and by[("to_work", 2022)].value == 24
    assert all(backed(c) for c in spec.cells)
    assert all(is_published(c) for c in spec.cells if c.year == 2023 and not c.measure.endswith("change"))


def test_english(ds):
    spec = charts.spec("cards", query(ds, ViewState(lang="en")), "en")
    assert spec.rows[0] == ["Participants during the year (IMDi)", "about 32,500"]
    assert spec.caption.startswith("49% of those who ended the introduction programme in 2023")


def test_a_view_with_nothing_published_says_so(ds):
    spec = charts.spec("cards", query(ds, ViewState(education="higher")), "nb")
    assert spec.cells == [] and spec.figure.data == []
    assert spec.caption == "Det finnes ingen publiserte hovedtall for dette utvalget."
    assert [r[1] for r in spec.rows] == ["ikke publisert"] * 6
    assert [a.text for a in spec.figure.layout.annotations] == ["Ingen publiserte tall for dette utvalget"]


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(lang="en", group="ukraine")):
        _, alone = charts.one(ds, state, "cards")
        full = charts.spec("cards", query(ds, state), state.lang)
        assert (alone.rows, alone.caption, alone.cells) == (full.rows, full.caption, full.cells)
        assert alone.cells
