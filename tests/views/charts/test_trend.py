"""Illustration 1 (trend.py): work and education per year, stacked, with the total above; computed years
hatched and explained; the table, the caption and the cells say the same numbers."""
import pytest

from dashboard.model.dataset import load_dataset
from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from tests.published import backed, is_published, nb, values


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def trace(spec, name):
    return next(t for t in spec.figure.data if t.name == name)


def points(t):
    """year -> value where the trace has a figure (a line has None in a gap)."""
    return {x: y for x, y in zip(t.x, t.y) if y is not None}


def test_the_bars_carry_the_published_shares_and_2016_is_computed_from_counts(ds):
    spec = charts.spec("trend", query(ds, ViewState()), "nb")
    work, edu = points(trace(spec, "Arbeid")), points(trace(spec, "Utdanning"))
    total = points(trace(spec, "Arbeid eller utdanning i alt"))
    assert work[2023] == 41 and edu[2023] == 8 and total[2023] == 49
    assert {41.0} == values("to_work", 2023) and {8.0} == values("to_education", 2023)
    # 2016: only the counts are published (1 087 and 961 of 4 469); the shares are computed from them.
    assert work[2016] == pytest.approx(1087 / 4469 * 100) and edu[2016] == pytest.approx(961 / 4469 * 100)
    assert values("to_work", 2016) == set() and values("to_work_count", 2016) == {1087.0}
    assert values("ended", 2016) == {4469.0}
    bars = trace(spec, "Arbeid")
    marks = dict(zip(bars.x, zip(bars.marker.pattern.shape, bars.text, bars.hovertext)))
    shape, text, hover = marks[2016]
    assert shape == "/" and nb(text) == "24,3 %*"
    assert "Beregnet fra publiserte tall" in hover and "1 087 / 4 469 × 100 = 24,3 %" in nb(hover)
    assert marks[2023][0] == "" and nb(marks[2023][1]) == "41 %"  # published: neither hatched nor starred
    # 2022 work: 41 % in 2023 less the published change of 17 points.
    assert marks[2022][0] == "/" and "41 % (2023) − 17 prosentpoeng = 24 %" in nb(marks[2022][2])


def test_a_year_with_only_the_total_gets_a_grey_bar_and_no_parts(ds):
    spec = charts.spec("trend", query(ds, ViewState()), "nb")
    only = trace(spec, "I alt (fordeling ikke publisert)")
    assert list(zip(only.x, only.y)) == [(2017, 48)]
    assert 2017 not in trace(spec, "Arbeid").x and 2017 not in trace(spec, "Utdanning").x
    total = trace(spec, "Arbeid eller utdanning i alt")
    hover2017 = dict(zip(total.x, total.hovertext))[2017]
    assert hover2017.endswith("<br>fordeling på arbeid og utdanning ikke publisert")
    assert not dict(zip(total.x, total.hovertext))[2023].endswith("ikke publisert")


def test_every_drawn_value_is_a_cell_and_every_cell_is_drawn(ds):
    spec = charts.spec("trend", query(ds, ViewState()), "nb")
    drawn = set()
    for name, measure in (("Arbeid", "to_work"), ("Utdanning", "to_education"),
                          ("Arbeid eller utdanning i alt", "to_work_or_education")):
        drawn |= {(measure, x, y) for x, y in zip(trace(spec, name).x, trace(spec, name).y)}
    cells = [(c.measure, c.year, c.value) for c in spec.cells]
    assert sorted(cells) == sorted(drawn) and len(cells) == len(set(cells))
    assert all(backed(c) for c in spec.cells)
    assert [c for c in spec.cells if c.computed] == [c for c in spec.cells if not is_published(c)]


def test_the_table_and_the_caption_say_the_same_numbers(ds):
    spec = charts.spec("trend", query(ds, ViewState()), "nb")
    assert spec.columns == ["År", "Arbeid", "Utdanning", "Arbeid eller utdanning i alt"]
    rows = {r[0]: [nb(v) for v in r[1:]] for r in spec.rows}
    assert list(rows) == [str(y) for y in range(2016, 2024)]
    assert rows["2023"] == ["41 %", "8 %", "49 %"]
    assert rows["2017"] == ["ikke publisert", "ikke publisert", "48 %"]
    assert rows["2016"][0] == "24,3 % (1 087 av 4 469 personer) — beregnet: 1 087 / 4 469 × 100 = 24,3 %"
    caption = nb(spec.caption)
    assert caption.startswith("Norge. I 2023 gikk 41 % direkte til arbeid og 8 % til utdanning; 49 % i alt.")
    # The computed values are said in the caption too (with the formula), not only on hover.
    assert "* Beregnet fra publiserte tall: 2016: 1 087 / 4 469 × 100 = 24,3 %" in caption
    assert "2016: 961 / 4 469 × 100 = 21,5 %" in caption
    assert "IMDi: Nøkkeltall for introduksjonsprogrammet 2023" in spec.sources


def test_english_uses_english_words_and_number_format(ds):
    spec = charts.spec("trend", query(ds, ViewState(lang="en")), "en")
    work = trace(spec, "Work")
    assert dict(zip(work.x, work.text))[2016] == "24.3%*" and dict(zip(work.x, work.text))[2023] == "41%"
    assert spec.figure.layout.separators == ".,"
    assert "In 2023" in spec.caption and "41%" in spec.caption and "1,087 / 4,469 × 100 = 24.3%" in spec.caption
    assert spec.title.startswith("Share who went directly to work and to education, 2016–2023 · Norway")


def test_the_line_style_draws_lines_of_the_same_values(ds):
    bars = charts.spec("trend", query(ds, ViewState()), "nb")
    lines = charts.spec("trend", query(ds, ViewState(style="line")), "nb")
    assert {t.type for t in lines.figure.data} == {"scatter"}
    assert all(t.mode.startswith("lines") for t in lines.figure.data)
    assert points(trace(lines, "Arbeid")) == points(trace(bars, "Arbeid"))
    # 2017 has no split published: the work line has a gap there, not a line from 2016 to 2018.
    work = trace(lines, "Arbeid")
    assert dict(zip(work.x, work.y))[2017] is None and work.connectgaps is False
    assert lines.cells == bars.cells


def test_a_view_with_nothing_published_is_the_empty_figure_and_says_so(ds):
    for lang, words in (("nb", "Ingen publiserte tall for dette utvalget"), ("en", "No published figures for this selection")):
        spec = charts.spec("trend", query(ds, ViewState(education="higher", lang=lang)), lang)
        assert spec.figure.data == [] and spec.cells == []
        assert [a.text for a in spec.figure.layout.annotations] == [words]
        assert words in spec.caption
        assert all(v == ("ikke publisert" if lang == "nb" else "not published") for r in spec.rows for v in r[1:])


def test_its_needs_are_enough_to_draw_it_alone(ds):
    for state in (ViewState(), ViewState(gender="women", lang="en"), ViewState(series="ssb_one_year_after")):
        _, alone = charts.one(ds, state, "trend")
        full = charts.spec("trend", query(ds, state), state.lang)
        assert alone.figure == full.figure and alone.rows == full.rows and alone.caption == full.caption
        assert alone.cells == full.cells and alone.cells


def test_a_view_with_no_years_drawn_has_a_title_without_a_dangling_comma():
    from dashboard.model.dataset import load_dataset
    from dashboard.model.query import query
    from dashboard.views import charts
    from dashboard.views.state import ViewState
    ds = load_dataset()
    for lang, head in (("nb", "Andel som gikk direkte til arbeid og utdanning · Bergen"),
                       ("en", "Share who went directly to work and to education · Bergen")):
        spec = charts.spec("trend", query(ds, ViewState(region="4601", lang=lang)), lang)
        assert spec.title == head, spec.title


def test_a_year_hidden_by_the_protection_says_hidden_not_not_published():
    """A user's Oslo file whose 2022 figure the small-number protection hides (secondary), between two years
    it shows: the gap says so."""
    import base64
    from dashboard.model import suppression, uploads
    from dashboard.model.dataset import load_dataset
    from dashboard.model.query import query
    from dashboard.views import charts
    from dashboard.views.state import ViewState
    from tests.cube import cube_csv
    base = suppression.protect(load_dataset())
    url = "data:text/csv;base64," + base64.b64encode(cube_csv(regions=("0", "03", "0301"), years=(2021, 2022, 2023),
                                                                seed=12)).decode()
    ds = uploads.user_dataset(url, "oslo.csv", base)
    for lang, word in (("nb", "Skjult: små tall"), ("en", "Hidden: small numbers")):
        result = query(ds, ViewState(year=2023, region="0301", lang=lang))
        assert result.trend["total"][2022] is None and result.trend_hidden == {2022: "secondary"}
        spec = charts.spec("trend", result, lang)
        assert [a.text for a in spec.figure.layout.annotations if a.textangle == -90] == [word]
        assert spec.rows[1][0] == "2022" and spec.rows[1][-1] == word[0].lower() + word[1:]   # the table too
    # A year with no figure at all is still "not published"
    spec = charts.spec("trend", query(load_dataset(), ViewState(gender="women")), "nb")
    assert [a.text for a in spec.figure.layout.annotations or [] if a.textangle == -90] == ["Ikke publisert"] * 2
