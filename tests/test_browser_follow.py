"""The view follows the data (issue 12), in headless Chromium at 1920×1080: one test per point."""
from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).parent / "screenshots"


def ready(page):
    page.wait_for_selector("#trend-graph .main-svg", state="attached")  # hidden in the table view
    expect(page.locator("#cards .kf-card").first).to_be_visible(timeout=20000)
    expect(page.locator("#trend-title")).not_to_be_empty()


def hold_answers(page, seconds: float, only: str = "") -> None:
    """Every callback answer (or only those whose request names `only`) held `seconds` before the page gets it."""
    def hold(route):
        response = route.fetch()
        if only in (route.request.post_data or ""):
            time.sleep(seconds)
        route.fulfill(response=response)
    page.route("**/_dash-update-component*", hold)


def held(page, *names: str):
    """The callback requests whose body names all of `names` are held (not sent on) until release() is called:
    the test decides which answer comes first, and Playwright keeps running meanwhile."""
    routes = []

    def hold(route):
        if all(n in (route.request.post_data or "") for n in names):
            routes.append(route)
        else:
            route.continue_()
    page.route("**/_dash-update-component*", hold)

    def release():
        while routes:
            routes.pop(0).continue_()
    return release


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"follow-{name}-1920.png"), full_page=False)


def trace_ys(page, chart):
    """The y arrays of a chart's traces as plotly holds them (None stays None)."""
    return page.evaluate(f"() => document.querySelector('#{chart}-graph .js-plotly-plot').data"
                         ".map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || []),"
                         " connectgaps: !!t.connectgaps}))")


# ---- 1. "Siste år" and a change that would land on an empty view -------------------------------------

def test_1_latest_year_is_the_views_own_and_a_change_moves_to_the_nearest_year(page):
    page.goto("/?region=4204")   # Kristiansand: IMDi's figure is for 2022 only
    ready(page)
    expect(page.locator("#f-year option[value=latest]")).to_have_text("Siste år (2022)")
    expect(page.locator("#cards")).to_contain_text("71")
    expect(page.locator("#notices")).to_contain_text("Siste år med tall for Kristiansand er 2022.")
    page.goto("/?year=2023")
    ready(page)
    page.select_option("#f-region", "4204")
    expect(page).to_have_url(re.compile(r"year=2022&region=4204"))
    expect(page.locator("#notices")).to_contain_text("Ingen tall for Kristiansand i 2023. Viser 2022, nærmeste år med tall.")
    expect(page.locator("#cards")).to_contain_text("71")
    shot(page, "1-moved")
    # The measure: Oslo has IMDi's figures for 2018, SSB's from 2020.
    page.goto("/?year=2018&region=03")
    ready(page)
    page.select_option("#f-series", "ssb_one_year_after")
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.locator("#notices")).to_contain_text("Viser 2020, nærmeste år med tall")
    expect(page.locator("#cards")).not_to_contain_text(re.compile(r"I arbeid eller utdanning ett år etter\s*Ikke publisert"))


def test_1_the_moved_year_replaces_the_url_so_back_goes_to_the_view_before(page):
    page.goto("/?year=2023")
    ready(page)
    page.select_option("#f-region", "4204")
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204$"))
    expect(page.locator("#f-year")).to_have_value("2022")
    expect(page.locator("#notices")).to_contain_text("Viser 2022, nærmeste år med tall.")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?year=2023$"))
    expect(page.locator("#f-region")).to_have_value("0")
    expect(page.locator("#f-year")).to_have_value("2023")


def test_1_a_change_that_moves_the_year_is_drawn_from_its_first_answers(page):
    """The answers to the URL the control wrote draw the moved view; its URL replaces that one only then
    (moveUrl waits for the charts and the texts), so the answers to the moved URL change nothing: no
    figure, card or notice is sent twice, and none is dropped on its way."""
    page.goto("/?year=2023")
    ready(page)
    page.wait_for_timeout(300)
    answers = []

    def answered(r):
        if "_dash-update-component" in r.url:
            body = r.response().body()
            answers.append((r.post_data, body.decode() if body else ""))
    page.on("requestfinished", answered)
    page.select_option("#f-region", "4204")
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204$"))
    expect(page.locator("#notices")).to_contain_text("Viser 2022, nærmeste år med tall.")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    first = [a for q, a in answers if '"value":"?year=2023&region=4204"' in q]
    moved = [a for q, a in answers if '"value":"?year=2022&region=4204"' in q]
    assert len(first) == 3 and '"figure"' in "".join(first) and '"cards"' in "".join(first)
    for answer in moved:
        assert '"figure"' not in answer and '"cards"' not in answer and '"notices"' not in answer, answer[:300]
    expect(page.locator("#trend-title")).to_contain_text("Kristiansand")


def test_1_the_same_move_again_after_back_is_drawn_from_its_first_answers(page):
    """Back, then the same change again: the stores still hold the moved view of the first change. moveUrl
    waits for this change's charts and texts (their key names the change; dash-renderer also holds it while
    they are on their way), and replaces the URL only then: none of them is dropped."""
    page.goto("/?year=2023")
    ready(page)
    page.select_option("#f-region", "4204")
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?year=2023$"))
    expect(page.locator("#f-region")).to_have_value("0")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    answers = []
    page.on("requestfinished", lambda r: answers.append((r.post_data, (r.response().body() or b"").decode()))
            if "_dash-update-component" in r.url else None)
    release = held(page, '"value":"?year=2023&region=4204"', "cards.html")       # the texts' request
    release_charts = held(page, '"value":"?year=2023&region=4204"', "trend-graph.figure")
    with page.expect_response(lambda r: "_dash-update-component" in r.url and "url-moved" in (r.request.post_data or "")):
        page.select_option("#f-region", "4204")      # the controls' answer (the moved URL) comes first
    page.wait_for_timeout(200)
    assert "year=2023" in page.url                   # moveUrl waits for this change's charts and texts
    release_charts()
    release()
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204$"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    first = [a for q, a in answers if '"value":"?year=2023&region=4204"' in q]
    assert len(first) == 3 and '"figure"' in "".join(first)      # none dropped
    for q, a in answers:
        if '"value":"?year=2022&region=4204"' in q:
            assert '"figure"' not in a and '"cards"' not in a, a[:300]


def test_1_a_change_before_the_moved_url_replaced_the_old_keeps_the_moved_url_in_the_history(page):
    """The charts' answer is slow; the controls' answer (with the moved URL) has come: a second change made
    now leaves the moved URL in the history, so Back shows the view that was on screen, not the empty 2023."""
    page.goto("/?year=2023")
    ready(page)
    page.wait_for_timeout(300)
    release = held(page, '"value":"?year=2023&region=4204"', "trend-graph.figure")    # the charts' request
    with page.expect_response(lambda r: "_dash-update-component" in r.url and "url-moved" in (r.request.post_data or "")):
        page.select_option("#f-region", "4204")
    page.wait_for_timeout(100)
    page.check("#f-style input[value=line]")
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204&style=line$"))
    release()
    page.wait_for_load_state("networkidle")
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?year=2022&region=4204$"))
    expect(page.locator("#f-year")).to_have_value("2022")
    expect(page.locator("#f-style input[value=bar]")).to_be_checked()


def test_a_change_asks_for_the_controls_charts_and_texts_at_once(page):
    """One round trip: the URL is written in the browser, and every request the change sets off is sent before
    any of them is answered (none waits for another's answer, as the charts once waited for the URL's)."""
    page.goto("/")
    ready(page)
    page.wait_for_timeout(300)
    finished = []
    page.on("requestfinished", lambda r: finished.append(r) if "_dash-update-component" in r.url else None)
    hold_answers(page, 0.4)  # a request that waited for another's answer would be sent 400 ms late
    page.select_option("#f-gender", "women")
    expect(page).to_have_url(re.compile(r"gender=women"))
    expect(page.locator("#trend-title")).to_contain_text("kvinner")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    outputs = [r.post_data_json["output"] for r in finished]
    assert len(finished) == 3 and all("url.search" in r.post_data_json["changedPropIds"] for r in finished), outputs
    assert any("trend-graph.figure" in o for o in outputs) and any("cards.html" in o for o in outputs)
    # Playwright's timing: startTime in ms since the epoch, responseEnd in ms after it
    sent = [r.timing["startTime"] for r in finished]
    answered = [r.timing["startTime"] + r.timing["responseEnd"] for r in finished]
    assert max(sent) < min(answered) and max(sent) - min(sent) < 300, "a request waited for another's answer"
    page.unroute_all(behavior="wait")


def test_a_control_changed_while_a_region_search_is_answered_is_applied_after_it(page):
    """Regression: the search's answer, late, wrote the URL it had worked out from the URL before the change,
    and the year chosen meanwhile was lost. Now the year is never lost: either the page waits for the search
    and applies the year after it (Bergen, 2021), or, when the year's URL was written first, the search's
    answer for the URL before is dropped (2021). Which of the two depends on whether the search was sent
    before the year changed."""
    page.goto("/?year=2022")
    ready(page)
    hold_answers(page, 1.5, only="url-found")  # the search's answer; the others as they come
    page.fill("#f-region-search", "Bergen")
    page.press("#f-region-search", "Enter")
    page.wait_for_timeout(200)
    page.select_option("#f-year", "2021")
    page.wait_for_timeout(2500)                                  # the search's answer has come and gone
    expect(page).to_have_url(re.compile(r"/\?year=2021(&region=4601)?$"))
    expect(page.locator("#f-year")).to_have_value("2021")
    region = "4601" if "region=4601" in page.url else "0"     # the controls show what the URL says
    expect(page.locator("#f-region")).to_have_value(region)
    if region == "4601":
        expect(page.locator("#region-title")).to_contain_text("Bergen")
    page.unroute_all(behavior="wait")   # no answer still held when the page closes


def test_1_an_explicit_year_in_a_link_is_kept_with_the_nearest_figures(page):
    page.goto("/?year=2023&region=4204")
    ready(page)
    expect(page.locator("#f-year")).to_have_value("2023")
    expect(page.locator("#notices")).to_contain_text("Nærmeste publiserte tall")
    expect(page.locator("#notices a[href*='year=2022']").first).to_be_visible()
    assert "year=2023" in page.url


# ---- 2. Regions across boundary changes -----------------------------------------------------------

def test_2_a_code_of_another_structure_is_shown_as_the_region_of_that_year(page):
    page.goto("/?year=2023&region=3201")
    ready(page)
    expect(page.locator("#f-region")).to_have_value("3024")
    expect(page.locator("#f-region option:checked")).to_contain_text("Bærum (3024)")
    expect(page.locator("#notices")).to_contain_text("Bærum (3201) er nummeret fra 2024. I 2023 var det Bærum (3024)")
    page.goto("/?year=2022&region=10&series=ssb_one_year_after")
    ready(page)
    expect(page.locator("#f-region")).to_have_value("42")
    expect(page.locator("#notices")).to_contain_text("Vest-Agder (10) ble i 2020 en del av Agder (42)")
    expect(page.locator("#cards")).to_contain_text("66\u00a0%")     # Agder's published 2022 figure
    shot(page, "2-merged")


def test_2_a_split_has_no_translation_and_offers_its_parts(page):
    page.goto("/?year=2024&region=30&series=ssb_one_year_after")
    page.wait_for_selector("#notices .notice-region")
    note = page.locator("#notices .notice-region")
    expect(note).to_contain_text("ingen entydig oversettelse")
    for code in ("31", "32", "33"):
        expect(note.locator(f"a[href*='region={code}']")).to_be_visible()


def test_2_search_and_the_list_use_the_structure_of_the_year_shown(page):
    page.goto("/?year=2023")
    ready(page)
    page.fill("#f-region-search", "Bærum")
    page.press("#f-region-search", "Enter")
    expect(page).to_have_url(re.compile(r"region=3024"))
    expect(page.locator("#f-region")).to_have_value("3024")            # not "Norge"
    page.goto("/?year=2022&series=ssb_one_year_after")
    ready(page)
    values = page.eval_on_selector_all("#f-region option", "os => os.map(o => o.value)")
    assert "42" in values and "10" not in values and "04" not in values
    page.goto("/?year=2016")
    ready(page)
    values = page.eval_on_selector_all("#f-region option", "os => os.map(o => o.value)")
    assert "1601" in values and "5001" not in values and "42" not in values
    page.select_option("#f-region", "1601")
    expect(page.locator("#cards")).not_to_contain_text("Ikke publisert\nBeregnet")
    expect(page.locator("#region-title")).to_contain_text("Trondheim")


def test_2_a_line_follows_a_one_to_one_code_change_and_says_so(page):
    page.goto("/?year=2019&region=0230&view=table")   # Lørenskog: 0230 to 2019, 3029 from 2020
    ready(page)
    table = page.locator("#region-table")
    expect(table).to_contain_text("(tall for 3029)")
    expect(page.locator("#region-caption")).to_contain_text("gjelder Lørenskog (3029): samme område, et annet nummer")


# ---- 4. Gaps stay gaps ----------------------------------------------------------------------------

def test_4_no_line_crosses_a_year_without_a_figure(page):
    page.goto("/?style=line")
    ready(page)
    traces = {t["name"]: t for t in trace_ys(page, "trend")}
    work = traces["Arbeid"]
    assert work["x"][:3] == [2016, 2017, 2018] and work["y"][1] is None and not work["connectgaps"]
    page.goto("/?series=ssb_one_year_after")
    ready(page)
    page.locator("#section-ssb").scroll_into_view_if_needed()
    page.wait_for_selector("#ssb-graph .main-svg")
    page.wait_for_function("() => (document.querySelector('#ssb-graph .js-plotly-plot').data || []).length > 0")
    for t in trace_ys(page, "ssb"):
        xs = t["x"]
        assert xs == list(range(xs[0], xs[-1] + 1))              # every year on the line's axis
        assert 2010 in xs and t["y"][xs.index(2010)] is None       # 2008–2012: no figure, no line
        assert not t["connectgaps"]


# ---- 5. Titles say only what is drawn ------------------------------------------------------------

def test_5_a_county_missing_from_the_chart_is_not_in_its_title_and_the_caption_says_why(page):
    page.goto("/?year=2022&region=4204")
    ready(page)
    expect(page.locator("#region-title")).not_to_contain_text("fylket")
    expect(page.locator("#region-title")).to_contain_text("sammenlignet med hele landet")
    expect(page.locator("#region-caption")).to_contain_text("Ingen tall for Agder i")
    names = [t["name"] for t in trace_ys(page, "region")]
    assert names == ["Kristiansand", "Norge"]
    shot(page, "5-title")


# ---- 6. The map follows the measure --------------------------------------------------------------

def test_6_a_map_without_figures_is_one_line_and_a_link(page):
    page.goto("/?year=2023")
    ready(page)
    page.locator("#section-map").scroll_into_view_if_needed()
    note = page.locator("#map-note")
    expect(note).to_contain_text("så kartet tegnes ikke")
    link = note.locator("a.chart-note-link")
    expect(link).to_be_visible()
    height = page.eval_on_selector("#map-graph", "g => g.getBoundingClientRect().height")
    assert height < 200                      # no full page of hatching
    shot(page, "6-map")
    link.click()
    expect(page).to_have_url(re.compile(r"year=20\d\d"))
    page.wait_for_selector("#map-graph .main-svg")
    expect(page.locator("#map-note")).not_to_contain_text("tegnes ikke")
    assert page.eval_on_selector("#map-graph", "g => g.getBoundingClientRect().height") > 400


# ---- 7. Regions side by side ---------------------------------------------------------------------

def test_7_compare_from_a_link_draws_one_line_per_region(page):
    page.goto("/?series=ssb_one_year_after&compare=03,46,50,xx")
    ready(page)
    expect(page.locator("#section-compare")).to_be_visible()
    page.locator("#section-compare").scroll_into_view_if_needed()
    page.wait_for_function("() => (document.querySelector('#compare-graph .js-plotly-plot').data || []).length == 3")
    assert [t["name"] for t in trace_ys(page, "compare")] == ["Oslo", "Vestland", "Trøndelag"]
    expect(page.locator("#compare-caption")).to_contain_text("Oslo 65 % (2023)".replace(" %", "\u00a0%"))
    expect(page.locator("#notices")).to_contain_text("compare")        # the bad code is named, not an error
    expect(page.locator("#notices")).to_contain_text("xx")
    expect(page.locator("#compare-csv")).to_have_attribute("href", re.compile(r"chart=compare"))
    expect(page.locator("#f-compare")).to_have_value("Oslo (03), Vestland (46), Trøndelag (50)")
    shot(page, "7-compare")


def test_7_compare_from_the_field(page):
    page.goto("/?series=ssb_one_year_after")
    ready(page)
    expect(page.locator("#section-compare")).to_be_hidden()
    page.fill("#f-compare", "Oslo, Rogaland, Atlantis")
    page.press("#f-compare", "Enter")
    expect(page).to_have_url(re.compile(r"compare=03,11"))
    expect(page.locator("#section-compare")).to_be_visible()
    expect(page.locator("#notices")).to_contain_text("Atlantis")
    page.fill("#f-compare", "")
    page.press("#f-compare", "Enter")
    expect(page.locator("#section-compare")).to_be_hidden()


# ---- 3. The user's figures beside the published ones ------------------------------------------------

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
MINE = HEADER + "2023,0301,all,all,all,all,all,to_work_or_education,55,percent,false,kommunen\n"


def test_3_a_users_file_is_laid_over_the_published_figures(page, tmp_path):
    page.goto("/?year=2023")
    ready(page)
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": MINE.encode()}])
    expect(page.locator("#upload-status")).to_contain_text("Lastet inn mine.csv")
    # Norway stays published: no "Ikke publisert" where IMDi has a figure.
    expect(page.locator("#cards")).to_contain_text("11\u00a0381")
    expect(page.locator("#cards")).not_to_contain_text("dine tall")
    page.select_option("#f-region", "0301")
    expect(page.locator("#cards")).to_contain_text("55\u00a0%")
    expect(page.locator("#cards")).to_contain_text("dine tall, fra mine.csv")
    page.check("input[value=table]")
    expect(page.locator("#trend-table")).to_contain_text("dine tall, fra mine.csv")
    expect(page.locator("#trend-sources")).to_contain_text("Dine tall: mine.csv")
    shot(page, "3-overlay")
    # Downloads include the user's rows (through the page's callback, not a link).
    with page.expect_download() as dl:
        page.click("#trend-csv")
    assert dl.value.suggested_filename.startswith("dine-tall-") and dl.value.suggested_filename.endswith(".csv")
    text = open(dl.value.path(), encoding="utf-8").read()
    assert "dine-tall:mine.csv:kommunen" in text and ",55," in text
    with page.expect_download() as dl:
        page.click("#trend-xlsx")
    from openpyxl import load_workbook
    dl.value.save_as(tmp_path / "trend.xlsx")
    sheet = load_workbook(tmp_path / "trend.xlsx").active
    assert any("dine-tall:mine.csv" in str(c.value) for row in sheet.iter_rows() for c in row)
    with page.expect_download() as dl:
        page.click("#trend-png")
    assert open(dl.value.path(), "rb").read()[:8] == b"\x89PNG\r\n\x1a\n"
    # "Kopier lenke" says that the link opens the published figures only.
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_contain_text("bare de publiserte tallene")


def test_1_the_style_or_the_table_view_keeps_the_year_of_a_link(page):
    page.goto("/?year=2023&region=4204")
    ready(page)
    page.check("input[value=line]")
    expect(page).to_have_url(re.compile(r"style=line"))
    assert "year=2023" in page.url
    expect(page.locator("#notices")).not_to_contain_text("nærmeste år med tall.")
