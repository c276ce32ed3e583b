"""Maps: the outlines in data/geo/, and the choropleth drawn with the basic plotly.js bundle only."""
from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest

from dashboard.views import i18n
from dashboard.views.charts import geo as maps
from dashboard.model.query import Cell, Coords, map_cells

ROOT = Path(__file__).resolve().parents[3]
GEO = ROOT / "data" / "geo"
GEO_SOURCE = ROOT / "data" / "build" / "geo-source"
COUNTIES = {
    "2020": {"03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"},
    "2024": {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"},
}
NBSP = "\u00a0"


def cell(code: str, value: float, year: int = 2022, unit: str = "percent", approx: bool = False) -> Cell:
    return Cell(year, Coords(region=code), "in_work_or_education_1y", value, unit, approx, "ssb_test")


def region_traces(fig):
    """The traces that draw a region (not the legend entries, not the selected region's halo)."""
    return [tr for tr in fig.data if tr.type == "scatter" and tr.fill == "toself"]


def legend_entries(fig):
    return [tr for tr in fig.data if tr.showlegend]


# ---- the files -------------------------------------------------------------------------------------

def test_the_source_outlines_are_in_the_repository_with_their_licence():
    notice = (GEO_SOURCE / "NOTICE.md").read_text(encoding="utf-8")
    assert "© Kartverket" in notice and "CC BY 4.0" in notice
    for name in ("2020-Fylker-small.json", "2020-Kommuner-small.json", "Fylker-S.geojson", "Kommuner-S.geojson"):
        doc = json.loads((GEO_SOURCE / name).read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and doc["features"], name


def test_the_four_files_are_under_one_megabyte_together():
    sizes = {f: (GEO / f).stat().st_size for f in maps.FILES.values()}
    assert sum(sizes.values()) < 1_000_000, sizes
    assert (GEO / "README.md").is_file()


@pytest.mark.parametrize("structure", ["2020", "2024"])
def test_every_county_of_each_structure_has_an_outline(structure):
    doc = maps.outlines("county", structure)
    assert doc["attribution"] == "© Kartverket (CC BY 4.0)"
    assert doc["structure"] == structure
    assert set(doc["regions"]) == COUNTIES[structure]


@pytest.mark.parametrize("structure,count", [("2020", 354), ("2024", 357)])
def test_municipalities_are_all_there_each_in_a_county_of_its_structure(structure, count):
    shapes = maps.outlines("municipality", structure)["regions"]
    assert len(shapes) == count
    assert all(len(c) == 4 and maps.county_of(c) in COUNTIES[structure] for c in shapes)
    assert {maps.county_of(c) for c in shapes} == COUNTIES[structure]
    if structure == "2020":
        assert "1144" not in shapes and "1835" not in shapes   # Kvitsøy and Træna: not in the source


@pytest.mark.parametrize("level,structure", list(maps.FILES))
def test_rings_are_closed_polygons_outer_ones_counter_clockwise(level, structure):
    for code, shape in maps.outlines(level, structure)["regions"].items():
        assert shape["name"] and shape["rings"], code
        for ring in shape["rings"]:
            assert len(ring) >= 4 and ring[0] == ring[-1], code
            assert all(4 < lon < 32 and 57 < lat < 72 for lon, lat in ring), code
        outer = shape["rings"][0]
        area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(outer, outer[1:]))
        assert area > 0, code


def test_the_shipped_files_are_what_the_build_script_writes():
    # Kartverket's source files are in the repository (data/build/geo-source/), and the script reads them
    # from there by default: the build needs nothing outside the clone.
    spec = importlib.util.spec_from_file_location("build_maps", ROOT / "data" / "build" / "build_maps.py")
    build_maps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_maps)
    assert build_maps.DEFAULT_SRC.resolve() == GEO_SOURCE.resolve()
    assert {s[1] for s in build_maps.SPECS} <= {p.name for p in GEO_SOURCE.iterdir()}
    for s in build_maps.SPECS:
        doc, _ = build_maps.build(build_maps.DEFAULT_SRC, s)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert (GEO / s[0]).read_text(encoding="utf-8") == text, s[0]


# ---- structure and notes -----------------------------------------------------------------------------

def test_structure_for_a_year():
    assert maps.structure_for(2016) is None and maps.structure_for(2019) is None
    assert maps.structure_for(2020) == maps.structure_for(2023) == "2020"
    assert maps.structure_for(2024) == maps.structure_for(2031) == "2024"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_map_before_2020_and_a_note_that_says_why(lang):
    fig, note = maps.map_figure({"12": cell("12", 50, 2016)}, "county", 2016, lang)
    assert not [tr for tr in fig.data if tr.type == "scatter" and tr.x]
    assert "2016" in note and "2020" in note


def test_a_figure_without_an_outline_is_named_in_the_note():
    values = {"1144": cell("1144", 70), "1103": cell("1103", 60)}
    fig, note = maps.map_figure(values, "municipality", 2022, "nb", county="11")
    assert "Kvitsøy" in note and "1144" in note and "70" in note
    assert "Stavanger" not in note
    _, note = maps.map_figure({"1144": cell("1144", 70, 2024)}, "municipality", 2024, "nb", county="11")
    assert note == ""


# ---- the county map --------------------------------------------------------------------------------

VALUES_2022 = {"03": 62, "11": 66, "15": 62, "18": 65, "30": 67, "34": 67, "46": 59, "50": 65}


def county_map(selected="46", lang="nb", values=VALUES_2022):
    return maps.map_figure({c: cell(c, v) for c, v in values.items()}, "county", 2022, lang, selected=selected)


def test_one_trace_per_region_with_its_code_in_customdata():
    fig, note = county_map()
    assert note == ""
    codes = [tr.customdata[0] for tr in region_traces(fig)]
    assert sorted(codes) == sorted(COUNTIES["2020"])
    assert all(len(tr.customdata) == 1 and tr.mode == "lines" and tr.hoveron == "fills"
               for tr in region_traces(fig))


def test_a_higher_value_never_gets_a_lighter_class():
    fig, _ = county_map()
    colour = {tr.customdata[0]: tr.fillcolor for tr in region_traces(fig)}
    rank = {c: maps.PALETTE.index(colour[c]) for c in VALUES_2022}
    for a in VALUES_2022:
        for b in VALUES_2022:
            if VALUES_2022[a] > VALUES_2022[b]:
                assert rank[a] >= rank[b], (a, b)
            if VALUES_2022[a] == VALUES_2022[b]:
                assert rank[a] == rank[b]
    assert rank["46"] == 0 and rank["30"] == len(set(rank.values())) - 1


def test_regions_without_figures_are_hatched_grey_not_only_a_colour():
    fig, _ = county_map()
    for tr in region_traces(fig):
        code = tr.customdata[0]
        if code in VALUES_2022:
            assert tr.fillcolor in maps.PALETTE and not (tr.fillpattern or {}).get("shape")
        else:
            assert tr.fillpattern.shape == "/" and tr.fillcolor not in maps.PALETTE
            assert maps.FALLBACK_STRINGS["nb"]["map_no_data"] in tr.text or "Ingen tall" in tr.text
    nodata = [tr for tr in legend_entries(fig) if ((tr.marker or {}).get("pattern") or {}).get("shape") == "/"]
    assert len(nodata) == 1 and nodata[0].name == "Ingen tall"


def test_the_legend_has_one_entry_per_class_with_the_values_in_the_language():
    fig, _ = county_map()
    names = [tr.name for tr in legend_entries(fig)]
    assert names == [f"59{NBSP}%", f"62{NBSP}%", f"65{NBSP}%", f"66{NBSP}%", f"67{NBSP}%", "Ingen tall"]
    fig, _ = county_map(values={**VALUES_2022, "38": 68, "42": 70})
    assert [tr.name for tr in legend_entries(fig)][:5] == [
        f"59{NBSP}%", f"62{NBSP}%", f"65–66{NBSP}%", f"67–68{NBSP}%", f"70{NBSP}%"]
    fig, _ = county_map(lang="en", values={"03": 62.5, "11": 70, "15": 71})
    assert [tr.name for tr in legend_entries(fig)][:3] == ["62.5%", "70%", "71%"]
    counts = {c: 1000 * i + 500 for i, c in enumerate(sorted(COUNTIES["2020"]))}
    fig, _ = maps.map_figure({c: cell(c, v, unit="count") for c, v in counts.items()}, "county", 2022, "nb")
    names = [tr.name for tr in legend_entries(fig)]
    assert len(names) == 5 and names[-1].endswith(f"10{NBSP}500") and "–" in names[0]


def test_the_selected_region_has_a_thicker_dark_line_drawn_on_top():
    fig, _ = county_map(selected="46")
    traces = region_traces(fig)
    selected = [tr for tr in traces if tr.customdata[0] == "46"]
    others = [tr for tr in traces if tr.customdata[0] != "46"]
    assert len(selected) == 1
    assert selected[0].line.width > max(tr.line.width for tr in others)
    assert selected[0].line.color == "#111111"
    assert traces[-1].customdata[0] == "46"


def test_hover_names_the_region_and_says_about():
    values = {"03": cell("03", 62, approx=True)}
    fig, _ = maps.map_figure(values, "county", 2022, "nb")
    oslo = next(tr for tr in region_traces(fig) if tr.customdata[0] == "03")
    assert oslo.hoverinfo == "text" and "<b>Oslo</b>" in oslo.text and f"om lag 62{NBSP}%" in oslo.text


def test_layout_hidden_equal_aspect_axes_and_the_credit():
    fig, _ = county_map()
    assert {tr.type for tr in fig.data} <= {"scatter", "bar"}      # the basic bundle: no geo or map traces
    lay = fig.layout
    assert lay.dragmode is False
    assert lay.xaxis.visible is False and lay.yaxis.visible is False
    assert lay.xaxis.fixedrange and lay.yaxis.fixedrange and lay.xaxis.range and lay.yaxis.range
    assert lay.xaxis.scaleanchor == "y"
    mid = (lay.yaxis.range[0] + lay.yaxis.range[1]) / 2
    assert lay.xaxis.scaleratio == pytest.approx(math.cos(math.radians(mid)), abs=0.02)
    assert lay.separators == i18n.PLOTLY_SEPARATORS["nb"]
    assert any("© Kartverket" in a.text for a in lay.annotations)


# ---- municipalities ----------------------------------------------------------------------------------

def test_a_county_filter_draws_only_its_municipalities():
    fig, _ = maps.map_figure({"4601": cell("4601", 55), "0301": cell("0301", 60)}, "municipality", 2022, "en",
                             county="46", selected="4601")
    codes = {tr.customdata[0] for tr in region_traces(fig)}
    assert codes and all(c.startswith("46") for c in codes) and "4601" in codes
    fig, _ = maps.map_figure({}, "municipality", 2024, "nb", county="03")
    assert [tr.customdata[0] for tr in region_traces(fig)] == ["0301"]


def test_values_for_map_uses_the_regions_of_the_year_and_the_other_filters():
    from dashboard.model.dataset import load_dataset
    ds = load_dataset()
    values = map_cells(ds, "in_work_or_education_1y", 2023, "county", Coords(region="46"))
    assert set(values) == COUNTIES["2020"]
    assert all(c.coords.region == code and c.year == 2023 for code, c in values.items())
    women = map_cells(ds, "in_work_or_education_1y", 2023, "county", Coords(gender="women"))
    assert all(c.coords.gender == "women" for c in women.values())
    assert map_cells(ds, "in_work_or_education_1y", 2023, "municipality", Coords()) == {}


def test_code_from_click():
    assert maps.code_from_click({"points": [{"curveNumber": 3, "customdata": ["34"]}]}) == "34"
    assert maps.code_from_click({"points": [{"customdata": "4601"}]}) == "4601"
    assert maps.code_from_click(None) is None and maps.code_from_click({"points": []}) is None


def test_classes_are_monotone_and_never_empty():
    rng = random.Random(7)
    for n in (1, 2, 4, 5, 6, 11, 40):
        values = [rng.choice([rng.randint(20, 80), round(rng.uniform(0, 100), 1)]) for _ in range(n)]
        classes = maps.classify(values)
        assert 1 <= len(classes) <= 5
        assert all(lo <= hi for lo, hi in classes)
        assert all(a[1] < b[0] for a, b in zip(classes, classes[1:]))
        assert all(any(lo <= v <= hi for v in values) for lo, hi in classes)
        ks = [maps.class_of(v, classes) for v in sorted(values)]
        assert ks == sorted(ks)


# ---- images (kaleido drives Chromium) ------------------------------------------------------------------

@pytest.mark.browser
def test_render_the_county_and_a_municipality_map_to_png(tmp_path):
    from dashboard.model.dataset import load_dataset
    ds = load_dataset()
    values = map_cells(ds, "in_work_or_education_1y", 2023, "county", Coords())
    fig, note = maps.map_figure(values, "county", 2023, "nb", selected="46", meta=ds)
    assert note == "" and len(values) == 11
    counties, vestland = tmp_path / "map-counties.png", tmp_path / "map-vestland.png"
    fig.to_plotly().write_image(counties, width=640)
    values = map_cells(ds, "to_work_or_education", 2020, "municipality", Coords())
    fig, _ = maps.map_figure(values, "municipality", 2020, "en", selected="4621", county="46", meta=ds)
    fig.to_plotly().write_image(vestland, width=640)
    for p in (counties, vestland):
        assert Path(p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and Path(p).stat().st_size > 20_000


@pytest.mark.browser
def test_the_basic_bundle_draws_the_map_and_a_click_names_the_region(browser):
    """plotly-basic (bar, pie, scatter) draws it, and a click on a region's fill gives its code the way
    dcc.Graph passes it on (a fill hover has no point number, so Dash sends the trace's customdata)."""
    bundle = ROOT / "assets" / "vendor" / "plotly-basic.min.js"
    assert bundle.is_file(), "the partial bundle is installed by scripts/setup.sh"
    fig, _ = county_map(selected=None)
    page = browser.new_page(viewport={"width": 800, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<div id='g' style='width:640px;height:640px'></div>")
    page.add_script_tag(path=str(bundle))
    page.evaluate("""fig => { const gd = document.getElementById('g');
        window.clicked = null;
        return Plotly.newPlot(gd, fig.data, fig.layout).then(() => gd.on('plotly_click', e => {
            const p = e.points[0];
            window.clicked = (typeof p.pointNumber === 'number') ? p.data.customdata[p.pointNumber]
                : (p.data.mode.includes('lines') ? p.data.customdata : null); })); }""",
                  fig.to_dict())
    assert page.locator("#g .scatterlayer .trace").count() >= 11
    x, y = page.evaluate("""() => { const gd = document.getElementById('g'), L = gd._fullLayout;
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.left + L.xaxis.l2p(10.5), r.top + L.yaxis.l2p(61.5)]; }""")      # Innlandet
    page.mouse.move(x, y)
    page.wait_for_selector(".hovertext")
    assert "Innlandet" in page.locator(".hovertext").first.text_content()
    page.mouse.click(x, y)
    clicked = page.evaluate("() => window.clicked")
    assert maps.code_from_click({"points": [{"customdata": clicked}]}) == "34"
    assert not errors
    page.close()
