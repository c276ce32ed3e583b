"""The numbers in the charts' traces are the published (or marked computed) values; text says the same."""
import shutil

import pytest

from dashboard.model.dataset import load_dataset
from dashboard.views import charts
from dashboard.model.query import query
from dashboard.views.state import ViewState
from dashboard.views.text import describe, findings, slug


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_illustration_1_traces(ds):
    spec = charts.page(query(ds, ViewState()), "nb")["trend"]
    work = trace(spec.figure, "Arbeid")
    edu = trace(spec.figure, "Utdanning")
    total = trace(spec.figure, "Arbeid eller utdanning i alt")
    assert dict(zip(work.x, work.y))[2023] == 41 and dict(zip(edu.x, edu.y))[2023] == 8
    assert dict(zip(total.x, total.y)) == {2016: 46, 2017: 48, 2018: 55, 2019: 55, 2020: 49, 2021: 49, 2022: 52,
                                            2023: 49}
    assert 2017 not in work.x  # only the total is published for 2017
    only = trace(spec.figure, "I alt (fordeling ikke publisert)")
    assert list(only.x) == [2017]
    # Computed values are hatched and explained on hover.
    patterns = dict(zip(work.x, work.marker.pattern.shape))
    assert patterns[2016] == "/" and patterns[2022] == "/" and patterns[2023] == ""
    hover2016 = dict(zip(work.x, work.hovertext))[2016]
    assert "1 087 / 4 469" in hover2016.replace("\u00a0", " ") and "Beregnet" in hover2016
    assert spec.figure.layout.separators == ",\u00a0"
    # Stavanger's 2013 figure is the only IMDi figure before 2016; Norway has none before 2016, so the
    # national chart starts in 2016 (the view's own figures), not with an empty 2013.
    assert "2016–2023" in spec.title and "Norge" in spec.title
    assert "41 %" in spec.caption.replace("\u00a0", " ")


def test_illustration_2_traces(ds):
    spec = charts.page(query(ds, ViewState()), "en")["groups"]
    work = trace(spec.figure, "Work")
    edu = trace(spec.figure, "Education")
    assert list(zip(work.x, work.y)) == [("Displaced from Ukraine", 45), ("Other refugees", 23)]
    assert list(zip(edu.x, edu.y)) == [("Displaced from Ukraine", 3), ("Other refugees", 28)]
    assert spec.figure.layout.separators == ".,"
    assert "45%" in spec.caption


def test_outcomes_show_counts_and_mark_computed_shares(ds):
    spec = charts.page(query(ds, ViewState()), "nb")["outcomes"]
    bar = spec.figure.data[0]
    values = dict(zip(bar.y, bar.x))
    assert values["Gikk direkte til arbeid"] == 41
    labour = [t for t in bar.text if "3\u00a0844" in t]
    assert len(labour) == 1 and "*" in labour[0]  # 3 844 / 11 381: a computed share, marked


def test_ssb_chart_uses_only_ssb_measures(ds):
    spec = charts.page(query(ds, ViewState()), "nb")["ssb"]
    assert spec.cells and all(ds.measures[c.measure].series == "ssb_one_year_after" for c in spec.cells)


def test_describe_and_slug():
    s = ViewState(gender="women", education="higher", year=2023)
    assert describe(s, 2023, "nb") == "Norge, 2023, kvinner, høyere utdanning"
    assert describe(s, 2023, "en") == "Norway, 2023, women, higher education"
    assert slug(s, 2023, "trend") == "introduksjonsprogrammet-trend-norge-2023-kvinner-hoyere-utdanning"


def test_key_findings_state_the_seed_numbers(ds):
    nb = findings(query(ds, ViewState()), "nb")
    text = " ".join(nb).replace("\u00a0", " ")
    assert "49 % av de som avsluttet introduksjonsprogrammet i 2023" in text
    assert "41 % gikk til arbeid, +17 prosentpoeng fra 2022" in text
    assert "45 % til arbeid, mot 23 %" in text
    assert "Menn hadde høyere måloppnåelse (60 %) enn kvinner (44 %)" in text
    assert 3 <= len(nb) <= 5
    en = " ".join(findings(query(ds, ViewState(lang="en")), "en"))
    assert "49% of those who ended" in en


def test_key_findings_mark_computed_values(ds):
    text = " ".join(findings(query(ds, ViewState(year=2016)), "nb"))
    assert "(beregnet)" in text


def test_a_chart_that_cannot_follow_a_filter_says_so(ds):
    specs = charts.page(query(ds, ViewState(gender="women", group="ukraine")), "nb")
    assert specs["countries"].note == "Ikke publisert for fordrevne fra Ukraina, kvinner: figuren viser tallene for alle."
    assert "fordrevne fra Ukraina" in specs["ssb"].note and "kvinner" not in specs["ssb"].note
    assert specs["trend"].note == "" and specs["groups"].note == ""


@pytest.mark.parametrize("state", [ViewState(), ViewState(lang="en", style="line"), ViewState(region="46",
                         series="ssb_one_year_after"), ViewState(region="3020", year=2022, gender="women"),
                         ViewState(group="ukraine", year=2016)])
def test_every_figure_is_valid_plotly(ds, state):
    # Figures are built as plain dicts at run time (validation is slow); plotly validates them here.
    from dashboard.web.callbacks import solo_figure
    for spec in charts.page(query(ds, state), state.lang).values():
        spec.figure.to_plotly()
        solo_figure(spec.figure, large=True).to_plotly()


def test_a_trend_of_one_year_names_the_year_once(tmp_path):
    # The shipped data from 2016 on (its only earlier IMDi figure, Stavanger 2013, would make it 2013–2016).
    from dashboard.model.dataset import DATA_DIR as src
    lines = (src / "figures.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "figures.csv").write_text(lines[0] + "".join(l for l in lines[1:] if int(l[:4]) >= 2016),
                                          encoding="utf-8")
    for name in ("measures.csv", "sources.csv"):
        shutil.copy(src / name, tmp_path / name)
    ds = load_dataset(tmp_path)
    assert ds.years[0] == 2016
    title = charts.page(query(ds, ViewState(year=2016)), "nb")["trend"].title
    assert title.startswith("Andel som gikk direkte til arbeid og utdanning, 2016 ·"), title
    assert "2016–2016" not in title
    assert "2016–2023" in charts.page(query(ds, ViewState()), "nb")["trend"].title
