"""The chart of both definitions side by side (views/charts/definitions.py): each panel's values are the
published ones, no trace or axis holds both series' measures, and a definition without a figure leaves a
gap in its panel and a note in words while the other panel draws."""
import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.model.dataset import REPO_ROOT, dataset_from_frame, load_dataset
from dashboard.model.dimensions import GENDER, REGION
from dashboard.model.query import PARTS_OF_QUERY, SERIES_MEASURES, query
from dashboard.views import charts, presentation
from dashboard.views.charts import REGISTRY
from dashboard.views.state import ViewState

CHARTS = tuple(REGISTRY)

IMDI, SSB = SERIES_MEASURES["imdi_direct"]["total"], SERIES_MEASURES["ssb_one_year_after"]["total"]
NB = lambda s: s.replace("\u00a0", " ")  # noqa: E731


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def spec_of(ds, q=""):
    state, problems = ViewState.from_query(q)
    assert problems == []
    return charts.one(ds, state, "definitions")[1]


def points(trace) -> dict:
    return {x: y for x, y in zip(trace["x"], trace["y"]) if y is not None}


def published_rows(measure: str, **coords) -> dict[int, set[float]]:
    """The values data/figures.csv holds for a measure at a place (every other dimension at 'all')."""
    want = {"region": "0", "group": "all", "gender": "all", "education": "all", "age": "all", "country": "all",
            **coords}
    out: dict[int, set[float]] = {}
    with open(Path(REPO_ROOT) / "data" / "figures.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["measure"] == measure and all(r[k] == v for k, v in want.items()):
                out.setdefault(int(r["year"]), set()).add(float(r["value"]))
    return out


def test_registered_after_groups_and_in_the_deck():
    assert CHARTS.index("definitions") == CHARTS.index("groups") + 1
    assert "definitions" in charts.PAGE_CHARTS and "definitions" in charts.IMAGE_CHARTS
    deck = presentation.DEFAULT_DECK
    assert deck[deck.index("chart=groups") + 1] == "chart=definitions"
    assert "definitions" in PARTS_OF_QUERY and charts.get("definitions").needs == ("definitions",)


def test_each_panel_draws_the_published_figures(ds):
    spec = spec_of(ds)
    imdi, ssb = spec.figure["data"]
    assert points(imdi) == {2016: 46, 2017: 48, 2018: 55, 2019: 55, 2020: 49, 2021: 49, 2022: 52, 2023: 49}
    assert points(ssb) == {2005: 58, 2006: 65, 2007: 63, 2013: 62, 2014: 58, 2015: 61, 2016: 62, 2017: 63,
                           2018: 66, 2019: 62, 2020: 60, 2021: 65, 2022: 65, 2023: 67}
    # Every point is a row of the published data, and every published national figure is drawn.
    for trace, measure in ((imdi, IMDI), (ssb, SSB)):
        rows = published_rows(measure)
        assert set(points(trace)) == set(rows)
        assert all(y in rows[x] for x, y in points(trace).items()), measure
    # The same years, the same x range on both x-axes: a cohort sits in the same column in both panels.
    assert list(imdi["x"]) == list(ssb["x"]) == list(range(2005, 2024))
    lay = spec.figure["layout"]
    assert lay["xaxis"]["range"] == lay["xaxis2"]["range"] == [2004.5, 2023.5]
    assert "2005–2023" in spec.title
    # Caption: the latest year both have, both values, and why they differ.
    caption = NB(spec.caption)
    assert ("For de som avsluttet i 2023: 49 % gikk direkte til arbeid eller utdanning; 67 % var i arbeid "
            "eller utdanning ett år etter.") in caption
    assert "et annet tidspunkt" in caption and "et annet register" in caption
    # The table: a row per year with a figure in either, 'ikke publisert' where one has none.
    table = {r[0]: r[1:] for r in spec.rows}
    assert NB(table["2023"][0]).startswith("49 %") and NB(table["2023"][1]).startswith("67 %")
    assert table["2005"][0] == "ikke publisert" and "2010" not in table


def test_the_two_series_never_share_a_trace_an_axis_or_a_difference(ds):
    for q in ("", "gender=men", "region=14", "region=03", "region=50", "series=ssb_one_year_after&year=2022",
              "gender=women&lang=en"):
        spec = spec_of(ds, q)
        imdi, ssb = spec.figure["data"]
        assert len(spec.figure["data"]) == 2, q
        assert (imdi["xaxis"], imdi["yaxis"]) == ("x", "y") and (ssb["xaxis"], ssb["yaxis"]) == ("x2", "y2"), q
        lay = spec.figure["layout"]
        assert lay["yaxis"]["anchor"] == "x" and lay["yaxis2"]["anchor"] == "x2"
        assert lay["xaxis"]["domain"][1] < lay["xaxis2"]["domain"][0], q   # two panels, not one
        narrow = lay["meta"]["narrow"]
        assert narrow["yaxis2"]["domain"][1] < narrow["yaxis"]["domain"][0], q  # stacked on a phone
        assert narrow["xaxis"]["domain"] == narrow["xaxis2"]["domain"] == [0, 1]
        # Each trace's points are cells of its own measure only.
        by_measure = {m: {(c.year, c.value) for c in spec.cells if c.measure == m} for m in (IMDI, SSB)}
        assert {c.measure for c in spec.cells} <= {IMDI, SSB}, q
        assert set(points(imdi).items()) == by_measure[IMDI], q
        assert set(points(ssb).items()) == by_measure[SSB], q
        # No difference between the two anywhere: no computed difference, no points in the caption's numbers.
        assert not any(c.computed and c.method == "difference" for c in spec.cells), q
        assert "prosentpoeng høyere" not in spec.caption and "difference" not in spec.caption.lower(), q
        measures = ds.measures
        assert all(measures[IMDI].label("en" if "lang=en" in q else "nb") in h for h in imdi["hovertext"] if h), q
        assert all(measures[SSB].label("en" if "lang=en" in q else "nb") in h for h in ssb["hovertext"] if h), q


def test_a_missing_definition_leaves_its_panel_empty_with_a_note_and_the_other_draws(ds):
    spec = spec_of(ds, "region=50")          # Trøndelag: SSB 2020–2023, nothing from IMDi
    imdi, ssb = spec.figure["data"]
    assert points(imdi) == {} and all(y is None for y in imdi["y"])
    assert points(ssb) == {2020: 62, 2021: 68, 2022: 65, 2023: 68}
    notes = [a for a in spec.figure["layout"]["annotations"] if a["text"] == "Ingen tall fra IMDi for Trøndelag"]
    assert len(notes) == 1 and notes[0]["xref"] == "x domain" and notes[0]["yref"] == "y domain"
    caption = NB(spec.caption)
    assert "Ingen tall fra IMDi for Trøndelag." in caption
    assert "For de som avsluttet i 2023: 68 % var i arbeid eller utdanning ett år etter (SSB)." in caption
    # The other way round, in English: Nordre Follo has IMDi's 2022 figure, and nothing from SSB.
    spec = spec_of(ds, "region=3020&year=2022&lang=en")
    imdi, ssb = spec.figure["data"]
    assert points(imdi) == {2022: 81} and points(ssb) == {}
    assert any(a["text"] == "No figures from Statistics Norway for Nordre Follo" and a["xref"] == "x2 domain"
               for a in spec.figure["layout"]["annotations"])
    assert "For those who ended in 2022: 81% went directly to work or education (IMDi)." in spec.caption


def test_a_missing_year_is_a_gap_with_words_not_a_line_across_it(ds):
    spec = spec_of(ds, "gender=men")
    imdi, ssb = spec.figure["data"]
    assert imdi["connectgaps"] is False and ssb["connectgaps"] is False
    assert dict(zip(imdi["x"], imdi["y"]))[2021] is None      # IMDi publishes no 2021 figure for men
    assert dict(zip(ssb["x"], ssb["y"]))[2019] is None        # nor SSB for 2019
    layout = spec.figure["layout"]
    bands = {(s["xref"], s["x0"], s["x1"]) for s in layout["shapes"]}
    assert ("x", 2020.5, 2021.5) in bands and ("x2", 2018.5, 2019.5) in bands
    gaps = {(a["xref"], a["x"]) for a in layout["annotations"] if a["text"] == "Ikke publisert"}
    assert ("x", 2021) in gaps and ("x2", 2019) in gaps
    titles = [NB(a["text"]) for a in layout["annotations"] if a["text"].startswith("<b>")]
    assert any("Rett etter programmet (IMDi)" in s and "Ingen tall fra IMDi for 2013–2015 og 2021" in s
               for s in titles)
    assert any("I november året etter (SSB)" in s and "Ingen tall fra SSB for 2014, 2017, 2019 og 2023" in s
               for s in titles)


def test_computed_and_approximate_values_are_marked(ds):
    spec = spec_of(ds, "gender=men")
    imdi = spec.figure["data"][0]
    by_year = {x: (y, t, m, h) for x, y, t, m, h in zip(imdi["x"], imdi["y"], imdi["text"], imdi["marker"]["symbol"],
                                                         imdi["hovertext"])}
    value, text, symbol, hover = by_year[2022]
    assert value == 63 and NB(text) == "63 %*" and symbol == "circle-open"
    assert "Beregnet fra publiserte tall" in hover and "60 % (2023) + 3 prosentpoeng = 63 %" in NB(hover)
    assert by_year[2023][2] == "circle"   # published: a filled marker
    assert "* Beregnet fra publiserte tall: 2019:" in NB(spec.caption)
    assert NB("63 %*") in NB(spec.caption)   # the finding marks the computed value too
    spec = spec_of(ds, "region=14")           # Sogn og Fjordane 2018: IMDi's figure is approximate
    imdi = spec.figure["data"][0]
    assert NB(dict(zip(imdi["x"], imdi["text"]))[2018]) == "om lag 50 %"
    assert "om lag" in dict(zip(imdi["x"], imdi["hovertext"]))[2018]


def test_nothing_from_either_says_so_in_both_panels(ds):
    spec = spec_of(ds, "region=4601")
    assert all(points(t) == {} for t in spec.figure["data"])
    texts = {a["text"] for a in spec.figure["layout"]["annotations"]}
    assert {"Ingen tall fra IMDi for Bergen", "Ingen tall fra SSB for Bergen"} <= texts
    assert spec.rows == [] and spec.cells == []


def frame(rows) -> pd.DataFrame:
    base = dict(group="all", gender="all", education="all", age="all", country="all", unit="percent",
                approx=False, source="test")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_query_part_reads_each_series_alone_with_gaps():
    """A made-up dataset (never shipped): IMDi 2020 and 2022, SSB 2021 only, for one county."""
    ds = dataset_from_frame(frame([
        dict(year=2020, region="03", measure=IMDI, value=40.0),
        dict(year=2022, region="03", measure=IMDI, value=44.0),
        dict(year=2021, region="03", measure=SSB, value=61.0),
        dict(year=2021, region="0", measure=SSB, value=99.0),     # another region: never drawn for 03
    ]))
    state = ViewState(**{REGION: "03"})
    result = query(ds, state, needs=("definitions",))
    got = {s: {y: (c.measure, c.value) if c else None for y, c in by.items()} for s, by in result.by_definition.items()}
    assert got["imdi_direct"] == {2020: (IMDI, 40.0), 2021: None, 2022: (IMDI, 44.0)}
    assert got["ssb_one_year_after"] == {2020: None, 2021: (SSB, 61.0), 2022: None}
    spec = charts.spec("definitions", result, "nb")
    imdi, ssb = spec.figure["data"]
    assert list(imdi["y"]) == [40.0, None, 44.0] and list(ssb["y"]) == [None, 61.0, None]
    assert "IMDi og SSB har ingen tall for det samme året her." in spec.caption
    # The view's other filters are coordinates too: no figures for women here, in either panel.
    result = query(ds, state.replace(**{GENDER: "women"}), needs=("definitions",))
    assert all(c is None for by in result.by_definition.values() for c in by.values())
