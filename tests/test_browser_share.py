"""Share, present, export and accessibility, in headless Chromium."""
import io
import re
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def ready(page, solo=False):
    if solo:
        page.locator("#solo").wait_for(state="visible")
        page.locator("#solo-cards .kf-card, #solo-graph .main-svg").filter(visible=True).first.wait_for()
        expect(page.locator("#solo-title")).not_to_be_empty()
    else:
        page.wait_for_selector("#trend-graph .main-svg", state="attached")  # hidden in the table view
        expect(page.locator("#trend-title")).not_to_be_empty()
        expect(page.locator("#outcomes-title")).not_to_be_empty()
    # Settled: no part dimmed as busy (assets/js/meetings.js marks one whose answer is slow to come)
    page.wait_for_function("() => !document.querySelector('[aria-busy=true]')")


@pytest.mark.parametrize("query", ["", "?gender=women&year=2022", "?view=table", "?present=1",
                                   "?present=1&slide=1", "?embed=1&chart=groups", "?lang=en"])
def test_axe_finds_no_violations(page, query):
    page.goto("/" + query)
    ready(page, solo="present" in query or "embed" in query)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result.response["violations"]]
    assert violations == []


def test_copy_link_copies_the_current_view(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/?year=2021&gender=women")
    ready(page)
    page.click("#copy-link")
    expect(page.locator("#copy-status")).to_have_text("Lenken er kopiert")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/?year=2021&gender=women")


def test_table_view_is_part_of_the_url_and_holds_the_numbers(page):
    page.goto("/")
    ready(page)
    page.check("#f-view input[value=table]")
    expect(page).to_have_url(re.compile(r"view=table"))
    table = page.locator("#groups-table table")
    expect(table).to_be_visible()
    expect(page.locator("#groups-graph")).to_be_hidden()
    assert table.locator("caption").inner_text().startswith("Arbeid og utdanning")
    assert table.locator("th[scope=col]").count() == 3 and table.locator("th[scope=row]").count() == 2
    text = table.inner_text().replace("\u00a0", " ")
    for v in ("45 %", "23 %", "28 %"):
        assert v in text
    # Sortable: the work column, then descending.
    trend = page.locator("#trend-table table")
    trend.locator("th").nth(0).locator("button").click()
    expect(trend.locator("th").nth(0)).to_have_attribute("aria-sort", "ascending")
    trend.locator("th").nth(0).locator("button").click()
    expect(trend.locator("th").nth(0)).to_have_attribute("aria-sort", "descending")
    assert trend.locator("tbody tr").first.locator("th").inner_text() == "2023"


def test_presentation_mode_by_keyboard(page):
    page.goto("/")
    ready(page)
    page.click("#present-link")
    expect(page).to_have_url(re.compile(r"present=1"))
    ready(page, solo=True)
    expect(page.locator("#page")).to_be_hidden()
    expect(page.locator("#solo-title")).to_have_text("Nøkkeltall")
    font = page.evaluate("parseFloat(getComputedStyle(document.getElementById('solo-caption')).fontSize)")
    assert font >= 24
    page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-title")).to_contain_text("Andel som gikk direkte til arbeid og utdanning")
    expect(page.locator("#solo-counter")).to_have_text("2 av 6")
    page.keyboard.press("Space")
    expect(page.locator("#solo-title")).to_contain_text("fordrevne fra Ukraina")
    page.keyboard.press("PageDown")
    expect(page.locator("#solo-title")).to_contain_text("to definisjoner")
    page.keyboard.press("PageUp")
    expect(page.locator("#solo-counter")).to_have_text("3 av 6")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#solo-counter")).to_have_text("2 av 6")
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"present"))
    expect(page.locator("#page")).to_be_visible()


def test_a_prepared_deck_is_a_link(page):
    deck = "chart=groups&year=2023|chart=trend&gender=women"
    page.goto("/?present=1&deck=" + deck.replace("&", "%26").replace("|", "%7C"))
    ready(page, solo=True)
    expect(page.locator("#solo-title")).to_contain_text("fordrevne fra Ukraina")
    expect(page.locator("#solo-counter")).to_have_text("1 av 2")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-subtitle")).to_contain_text("kvinner")


def test_embed_shows_one_chart_with_a_link_back(page):
    page.set_viewport_size({"width": 640, "height": 420})
    page.goto("/?embed=1&chart=groups&year=2023")
    ready(page, solo=True)
    expect(page.locator("#page")).to_be_hidden()
    expect(page.locator("#solo-nav")).to_be_hidden()
    back = page.locator("#solo-back")
    expect(back).to_be_visible()
    assert back.get_attribute("href") == "?year=2023"  # the full page, not embedded
    box = page.locator("#solo-graph").bounding_box()
    assert box["width"] <= 640 and box["height"] > 200


def test_downloads_hold_what_is_shown(page, live_server):
    page.goto("/?year=2023")
    ready(page)
    href = page.locator("#groups-xlsx").get_attribute("href")
    assert "chart=groups" in href
    wb = load_workbook(io.BytesIO(urlopen(urljoin(live_server + "/", href)).read()))
    shown = {(r[2], r[7]): r[8] for r in list(wb["Data"].iter_rows(values_only=True))[2:]}
    caption = page.locator("#groups-caption").inner_text().replace("\u00a0", " ")
    for (group, measure), value in shown.items():
        assert f"{value:g} %" in caption
    with page.expect_download() as dl:
        page.click("#groups-png")
    assert dl.value.suggested_filename == "introduksjonsprogrammet-groups-norge-2023.png"


def test_keyboard_reaches_the_filters_with_a_skip_link_and_visible_focus(page):
    page.goto("/")
    ready(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.goto("/")
    ready(page)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-gender":
            break
    assert page.evaluate("document.activeElement.id") == "f-gender"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("ArrowDown")  # native select: the keyboard changes the value
    expect(page).to_have_url(re.compile(r"gender=men"))


def test_usable_at_200_percent_zoom(page):
    page.set_viewport_size({"width": 960, "height": 540})  # 1920×1080 at 200 %
    page.goto("/")
    ready(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # Below the desktop breakpoint the filters fold away behind their heading; one click opens them.
    expect(page.locator("#f-gender")).to_be_hidden()
    page.click("#filters-details summary")
    expect(page.locator("#f-gender")).to_be_visible()
