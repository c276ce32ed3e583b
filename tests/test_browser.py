"""The real app in headless Chromium: what a user sees and does."""
import re

import pytest
from playwright.sync_api import expect


def wait_ready(page):
    page.wait_for_selector("#trend-graph .main-svg")
    expect(page.locator("#cards .kf-card").first).to_be_visible(timeout=20000)
    expect(page.locator("#trend-title")).not_to_be_empty()


def select(page, name, value):
    page.select_option(f"#f-{name}", value)


def test_default_page_shows_both_illustrations_with_published_numbers(page, console_errors, no_external_requests):
    page.goto("/")
    wait_ready(page)
    expect(page.locator("#trend-title")).to_contain_text("2016–2023")
    expect(page.locator("#trend-caption")).to_contain_text("41")
    # A chart below the window is drawn when the browser is idle (installLazyCharts): wait for its numbers.
    shown = {"trend": ("41 %", "8 %", "49 %", "48 %", "24,3 %*"), "groups": ("45 %", "3 %", "23 %", "28 %")}
    for chart, values in shown.items():
        for v in values:
            expect(page.locator(f"#{chart}-graph")).to_contain_text(re.compile(re.escape(v).replace(r"\ ", r"\s")))
    expect(page.locator("#cards")).to_contain_text("11 381".replace(" ", "\u00a0"))
    expect(page.locator("#findings")).to_contain_text("41")
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert console_errors == []
    assert no_external_requests == []


def test_each_filter_changes_the_views(page, console_errors):
    page.goto("/")
    wait_ready(page)
    before = page.locator("#trend-title").inner_text()
    select(page, "gender", "women")
    expect(page).to_have_url(re.compile(r"gender=women"))
    expect(page.locator("#trend-title")).not_to_have_text(before)
    expect(page.locator("#trend-title")).to_contain_text("kvinner")
    expect(page.locator("#cards")).to_contain_text("44")
    select(page, "gender", "all")
    select(page, "group", "ukraine")
    expect(page).to_have_url(re.compile(r"group=ukraine"))
    expect(page.locator("#trend-caption")).to_contain_text("45")
    select(page, "group", "all")
    select(page, "year", "2020")
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.locator("#outcomes-title")).to_contain_text("2020")
    select(page, "year", "latest")
    select(page, "age", "19-24")
    expect(page.locator("#cards")).to_contain_text("63")
    select(page, "age", "all")
    select(page, "series", "ssb_one_year_after")
    expect(page).to_have_url(re.compile(r"series=ssb_one_year_after"))
    expect(page.locator("#trend-title")).to_contain_text("ett år etter")
    page.check("input[value=line]")
    expect(page).to_have_url(re.compile(r"style=line"))
    assert console_errors == []


def test_options_without_figures_are_disabled(page):
    page.goto("/")
    wait_ready(page)
    assert page.locator("#f-education option[value=higher]").is_disabled()
    select(page, "gender", "women")
    expect(page.locator("#f-education option[value=higher]")).to_be_enabled()


def test_a_link_reopens_the_same_view_and_back_forward_work(page):
    page.goto("/?year=2021&gender=men")
    wait_ready(page)
    assert page.input_value("#f-year") == "2021"
    assert page.input_value("#f-gender") == "men"
    expect(page.locator("#outcomes-title")).to_contain_text("2021")
    select(page, "gender", "women")
    expect(page).to_have_url(re.compile(r"gender=women"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"gender=men"))
    expect(page.locator("#f-gender")).to_have_value("men")
    page.go_forward()
    expect(page.locator("#f-gender")).to_have_value("women")


def test_a_value_set_on_a_control_by_an_answer_writes_no_url(page):
    """A control's value set by a callback (as the controls' answer sets it, here through set_props) is not
    a choice: the URL stays. An answer for a URL the page has left (Back, then Forward at once) once wrote
    its old value back this way. A choice in the page still writes the URL."""
    page.goto("/?year=2021&gender=men")
    wait_ready(page)
    page.evaluate("() => window.dash_clientside.set_props('f-gender', {value: 'women'})")
    expect(page.locator("#f-gender")).to_have_value("women")
    page.wait_for_timeout(800)
    assert page.url.endswith("?year=2021&gender=men")
    select(page, "gender", "all")
    expect(page).to_have_url(re.compile(r"\?year=2021$"))


def test_invalid_parameter_falls_back_with_a_note(page, console_errors):
    page.goto("/?year=<script>alert(1)</script>&gender=robots")
    wait_ready(page)
    expect(page.locator("#notices")).to_contain_text("year")
    expect(page.locator("#notices")).to_contain_text("gender")
    assert page.input_value("#f-gender") == "all"
    assert console_errors == []


def test_missing_combination_says_so_and_links_to_nearest(page):
    page.goto("/?gender=women&age=19-24")
    wait_ready(page)
    notice = page.locator(".notice-missing")
    expect(notice).to_contain_text("ikke publisert")
    links = notice.locator("a")
    assert links.count() >= 2
    links.first.click()
    wait_ready(page)
    expect(page.locator(".notice-missing")).to_have_count(0)


def test_language_toggle(page, console_errors):
    page.goto("/")
    wait_ready(page)
    page.click("#lang-link")
    expect(page).to_have_url(re.compile(r"lang=en"))
    expect(page.locator("#trend-title")).to_contain_text("Share who went directly")
    expect(page.locator("h1.app-title")).to_have_text("The introduction programme in figures")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("#cards")).to_contain_text("11,381")
    assert console_errors == []


def test_english_link_opens_in_english(page):
    page.goto("/?lang=en&year=2022")
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("#outcomes-title")).to_contain_text("2022")
    expect(page.locator("#filters-heading")).to_have_text("Filters")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768), (390, 844)])
def test_screenshots_at_three_sizes(page, width, height, tmp_path_factory):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    wait_ready(page)
    # Nothing wider than the screen (no sideways scrolling on a phone).
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    from pathlib import Path
    out = Path(__file__).parent / "screenshots"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / f"default-{width}x{height}.png"))


def test_region_type_ahead_by_name_and_code(page):
    page.goto("/?year=2022")
    wait_ready(page)
    box = page.locator("#f-region-search")
    box.fill("Nordre Follo")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"region=3020"))
    expect(page.locator("#region-title")).to_contain_text("Nordre Follo")
    expect(page.locator("#region-caption")).to_contain_text("27")  # the persons behind the share
    expect(page.locator("#section-region")).to_be_visible()
    box.fill("46")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"region=46"))
    expect(page.locator("#f-region")).to_have_value("46")
    box.fill("Atlantis")
    box.press("Enter")
    expect(page.locator("#notices")).to_contain_text("Atlantis")
    page.select_option("#f-region", "0")
    expect(page.locator("#section-region")).to_be_hidden()


def test_map_click_selects_a_region(page, no_external_requests):
    page.goto("/?series=ssb_one_year_after&year=2023")
    wait_ready(page)
    expect(page.locator("#map-caption")).to_contain_text("Vestland 66")
    page.locator("#map-graph").scroll_into_view_if_needed()  # a chart out of sight is drawn when it comes near
    expect(page.locator("#map-graph")).to_contain_text("© Kartverket")
    page.wait_for_timeout(1500)  # let plotly settle after the scroll (it re-measures the graph)
    # Find a point inside Vestland's filled outline (the trace whose customdata is "46") and click it.
    point = page.evaluate(FIND_VESTLAND)
    assert point is not None
    if not 0 < point[1] < page.viewport_size["height"]:  # a tall map: bring Vestland itself into the window
        page.evaluate("dy => window.scrollBy(0, dy)", point[1] - page.viewport_size["height"] / 2)
        page.wait_for_timeout(800)
        point = page.evaluate(FIND_VESTLAND)
    page.mouse.move(point[0], point[1])
    page.wait_for_timeout(500)  # plotly fires its click only after the hover has settled
    assert "Vestland" in page.evaluate("document.querySelector('#map-graph .hoverlayer').textContent")
    page.mouse.click(point[0], point[1])
    expect(page).to_have_url(re.compile(r"region=46"))
    expect(page.locator("#region-title")).to_contain_text("Vestland")
    assert no_external_requests == []


FIND_VESTLAND = """() => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    const scatter = gd._fullData.filter(t => t.type === 'scatter');
    const i = scatter.findIndex(t => t.customdata && t.customdata[0] === '46' && t.fill === 'toself');
    const fill = gd.querySelectorAll('g.scatterlayer g.trace')[i].querySelector('path.js-fill');
    const r = fill.getBoundingClientRect();
    const inverse = fill.getScreenCTM().inverse();
    for (let fy = 0.3; fy <= 0.7; fy += 0.05) for (let fx = 0.3; fx <= 0.8; fx += 0.05) {
        const x = r.left + fx * r.width, y = r.top + fy * r.height;
        if (fill.isPointInFill(new DOMPoint(x, y).matrixTransform(inverse))) return [x, y];
    }
    return null;
}"""


def traces(figure: dict) -> list:
    """A figure's traces as sent: the whole figure, or a dash.Patch that assigns its `data`."""
    if "operations" in figure:
        return next(op["params"]["value"] for op in figure["operations"] if op["location"] == ["data"])
    return figure["data"]


def test_charts_out_of_sight_are_drawn_with_the_new_figures(page, console_errors):
    """Charts below the window are drawn after the ones in sight (assets/js, installLazyCharts), but
    every chart ends up drawn with the figure of the current view, without scrolling."""
    drawn = """id => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');
        return JSON.stringify(gd.data.map(t => [t.x ?? null, t.y ?? null, t.text ?? null])); }"""
    page.goto("/")
    wait_ready(page)
    page.wait_for_timeout(500)
    before = {c: page.evaluate(drawn, f"{c}-graph") for c in ("groups", "outcomes", "ssb_county", "education")}
    # The URL changes first (the controls' callback), then the charts' callback answers for the new URL.
    with page.expect_response(lambda r: "_dash-update-component" in r.url
                              and "trend-graph.figure" in (r.request.post_data or "")) as info:
        select(page, "gender", "women")
    answer = info.value.json()["response"]
    sent = {k.removesuffix("-graph"): [[t.get("x"), t.get("y"), t.get("text")] for t in traces(v["figure"])]
            for k, v in answer.items() if k.endswith("-graph") and "figure" in v}
    want = {c: page.evaluate("v => JSON.stringify(v)", v) for c, v in sent.items()}  # as the browser spells it
    moved = [c for c in before if c in want and want[c] != before[c]]
    assert "groups" in moved and "outcomes" in moved  # new numbers for women
    # Illustration 2 may now sit at the bottom of the first screen (key figures in one row); the outcomes
    # chart, below it, is out of sight when the answer comes.
    top = {c: page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", f"{c}-graph")
           for c in moved}
    assert top["outcomes"] > 1080 + 200, top
    for chart in want:
        page.wait_for_function(f"want => ({drawn})('{chart}-graph') === want", arg=want[chart], timeout=10000)
    assert console_errors == []


PATTERN_FILLS = """id => Array.from(document.querySelectorAll('#' + id + ' .barlayer .point path')).map(p => {
    const m = (p.style.fill || '').match(/url\\("?#([^")]+)"?\\)/);
    if (!m) return 'plain';
    const rect = document.getElementById(m[1]).querySelector('rect');
    return rect ? rect.getAttribute('fill') : 'none';
})"""


def test_hatched_bars_keep_their_colour(page):
    """A computed bar (2016, 2022) and a total-only bar (2017) are hatched over their own colour: with
    plotly's default pattern mode the hatching sits on a transparent background and the bar disappears."""
    page.goto("/")
    wait_ready(page)
    fills = page.evaluate(PATTERN_FILLS, "trend-graph")
    hatched = [f for f in fills if f != "plain"]
    assert len(hatched) >= 4, fills  # 2016 work and education, 2022 work, 2017 total
    assert "none" not in hatched and all(f.startswith("rgb(") for f in hatched), fills
    assert "rgb(138, 138, 138)" in hatched  # the grey total-only bar


COUNT_DRAWS = """id => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    window.__drawsOf = window.__drawsOf || {}; window.__drawsOf[id] = 0;
    const mark = () => { window.__drawsOf[id] += 1; };
    gd.on('plotly_afterplot', mark); }"""  # every draw ends so: a react, a relayout, a resize


def test_a_chart_drawn_at_a_new_height_is_drawn_once_and_a_narrower_window_redraws_it(page, console_errors):
    """The groups chart is a short note for women (300 px, not 420): it is drawn once for the change, not
    drawn again when dcc.Graph sees its box change height (installLazyCharts skips a resize that changes
    no size). A window of another width still redraws a chart to its box: narrower, below 992 px (one
    column), and wider while the chart was hidden by the table view."""
    page.goto("/")
    wait_ready(page)
    page.wait_for_timeout(800)
    page.evaluate(COUNT_DRAWS, "groups-graph")
    height = "() => document.querySelector('#groups-graph .js-plotly-plot')._fullLayout.height"
    assert page.evaluate(height) == 420
    select(page, "gender", "women")
    page.wait_for_function(f"() => ({height})() === 300", timeout=10000)
    page.wait_for_timeout(600)      # dcc.Graph's resize comes 50 ms after the box changed, plotly's 100 ms later
    assert page.evaluate("window.__drawsOf['groups-graph']") == 1
    # Illustration 1, brought into the window (sections out of it are not laid out, CSS content-visibility:
    # their boxes keep their old size until they come near the window, and then their charts are resized)
    fits = """old => { const gd = document.querySelector('#trend-graph .js-plotly-plot');
        gd.scrollIntoView(); return Math.abs(gd.offsetWidth - gd._fullLayout.width) <= 1 && gd.offsetWidth !== old; }"""
    box = "() => document.querySelector('#trend-graph .js-plotly-plot').offsetWidth"
    for size in (1100, 900):     # 900: below 992 px the filters go above the charts (which get wider)
        before = page.evaluate(box)
        page.set_viewport_size({"width": size, "height": 900})
        page.wait_for_function(fits, arg=before, timeout=10000)
    # Hidden by the table view, the window widened meanwhile, and shown again: drawn at its box's width
    page.check("#f-view input[value=table]")
    expect(page).to_have_url(re.compile(r"view=table"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.check("#f-view input[value=chart]")
    page.wait_for_function(fits, arg=page.evaluate(box), timeout=10000)
    assert page.evaluate(box) > 900
    assert console_errors == []
