"""Issue 12, what was left open: a presentation and the embed offer with a user's file loaded, and the compare
field's suggestions after a comma. Headless Chromium at 1920×1080, and a phone 390 px wide for the screenshots."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).parent / "screenshots"
HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
MINE = HEADER + "2023,0301,all,all,all,all,all,to_work_or_education,55,percent,false,kommunen\n"
NBSP = "\u00a0"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"solo-user-{name}.png"), full_page=False)


def ready(page):
    page.wait_for_selector("#trend-graph .main-svg")
    expect(page.locator("#cards .kf-card").first).to_be_visible(timeout=20000)


def load_file(page):
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": MINE.encode()}])
    expect(page.locator("#upload-status")).to_contain_text("Lastet inn mine.csv")


def slide_ready(page):
    page.locator("#solo").wait_for(state="visible")
    page.locator("#solo-cards .kf-card, #solo-graph .main-svg").filter(visible=True).first.wait_for()
    expect(page.locator("#solo-title")).not_to_be_empty()


# ---- the presentation with a file loaded ---------------------------------------------------------------

def test_a_presentation_marks_the_users_figures_on_its_slides(page, no_external_requests):
    page.goto("/?year=2023&region=0301")
    ready(page)
    load_file(page)
    page.click("#present-link")                       # the same tab: the file comes along
    slide_ready(page)
    expect(page.locator("#solo-title")).to_have_text("Dine tall: Nøkkeltall")
    expect(page.locator("#solo-source")).to_have_text("Kilde: Dine tall: mine.csv")
    expect(page.locator("#solo-cards")).to_contain_text(f"55{NBSP}%")
    expect(page.locator("#solo-cards .kf-user")).to_have_text("dine tall, fra mine.csv")
    shot(page, "present-cards-1920")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"slide=1"))
    expect(page.locator("#solo-title")).to_have_text(re.compile(r"^Dine tall: Andel som gikk direkte til arbeid"))
    expect(page.locator("#solo-source")).to_contain_text("Dine tall: mine.csv")
    page.wait_for_function("() => (document.querySelector('#solo-graph .js-plotly-plot').data || [])"
                           ".some(t => Array.from(t.y || []).includes(55))")
    shot(page, "present-trend-1920")
    # "Kopier lenke" on the slide: the link opens the published figures only, and it says so.
    page.click("#solo-copy")
    expect(page.locator("#solo-copy-status")).to_contain_text("bare de publiserte tallene")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)
    expect(page.locator("#solo-title")).to_be_in_viewport()
    shot(page, "present-trend-390")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#solo-title")).to_have_text("Dine tall: Nøkkeltall")
    shot(page, "present-cards-390")
    assert no_external_requests == []


def test_a_presentation_of_norway_with_the_file_loaded_stays_published(page):
    page.goto("/?year=2023")
    ready(page)
    load_file(page)
    page.goto("/?year=2023&present=1")                # sessionStorage keeps the file in this tab
    slide_ready(page)
    expect(page.locator("#solo-title")).to_have_text("Nøkkeltall")
    expect(page.locator("#solo-source")).to_have_text("Kilde: IMDi")
    expect(page.locator("#solo-cards")).to_contain_text(f"11{NBSP}381")
    expect(page.locator("#solo-cards .kf-user")).to_have_count(0)


# ---- the embed offer and the embed page -----------------------------------------------------------------

KRISTIANSAND = HEADER + "2023,4204,all,all,all,all,all,to_work_or_education,55,percent,false,kommunen\n"


def test_the_embed_offer_and_the_embed_page_say_they_show_the_published_figures_only(page):
    """Kristiansand: IMDi published 71 % for 2022; the user's file adds 55 % for 2023. The page shows both, the
    embed page (a server page) only the published 71 %, and says so where the file is loaded."""
    page.goto("/?year=2023&region=4204")
    ready(page)
    link = page.locator("#trend-embed")
    expect(link).to_have_attribute("href", "?year=2023&region=4204&embed=1")
    expect(page.locator("#trend-embed-note")).to_have_count(0)
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "kristiansand.csv", "mimeType": "text/csv", "buffer": KRISTIANSAND.encode()}])
    expect(page.locator("#upload-status")).to_contain_text("Lastet inn kristiansand.csv")
    expect(page.locator("#trend-embed-note")).to_have_text(
        "Den innebygde visningen viser bare de publiserte tallene: filen din blir i nettleseren din og følger ikke med.")
    page.wait_for_function("() => (document.querySelector('#trend-graph .js-plotly-plot').data || [])"
                           ".some(t => Array.from(t.y || []).includes(55))")
    page.locator("#trend-embed-offer").scroll_into_view_if_needed()
    shot(page, "embed-offer-1920")
    with page.context.expect_page() as opened:
        link.click()
    embedded = opened.value
    embedded.wait_for_selector("#embed-plot .main-svg")
    expect(embedded.locator("#embed-user-note")).to_be_visible()
    expect(embedded.locator("#embed-user-note")).to_have_text(re.compile(r"^Viser bare de publiserte tallene\."))
    ys = embedded.evaluate("() => document.getElementById('embed-plot').data.flatMap(t => Array.from(t.y || []))")
    assert 71 in ys and 55 not in ys                   # the published figure, not the user's
    expect(embedded.locator("#solo-source")).not_to_contain_text("Dine tall")
    embedded.screenshot(path=str(SHOTS / "solo-user-embed-1920.png"))
    embedded.close()
    # Where no file is loaded the note stays hidden (a fresh tab has no session).
    fresh = page.context.new_page()
    fresh.goto(page.url.split("?")[0] + "?year=2023&region=4204&embed=1")
    fresh.wait_for_selector("#embed-plot .main-svg")
    expect(fresh.locator("#embed-user-note")).to_be_hidden()
    fresh.close()


# ---- the compare field --------------------------------------------------------------------------------

OPTIONS = "() => Array.from(document.getElementById('compare-options').options).map(o => o.value)"


def test_the_compare_field_completes_the_name_after_the_comma(page, no_external_requests):
    page.goto("/?series=ssb_one_year_after")
    ready(page)
    field = page.locator("#f-compare")
    expect(field).to_have_attribute("list", "compare-options")
    expect(page.locator("#f-region-search")).to_have_attribute("list", "region-options")   # the search: unchanged
    field.click()
    field.press_sequentially("Oslo (03), Ber", delay=10)      # typed, key by key
    page.wait_for_function(OPTIONS + ".includes('Oslo (03), Bergen (4601, 2020–)')")
    values = page.evaluate(OPTIONS)
    assert values and all(v.startswith("Oslo (03), ") for v in values)
    assert "Oslo (03), Oslo (03, 2016–)" not in values                       # chosen already
    shot(page, "compare-typing-1920")
    # A suggestion taken (as the list's Enter does), then Enter in the field: both regions are compared.
    field.fill("Oslo (03), Bergen (4601, 2020–)")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"compare=03,4601"))
    expect(page.locator("#section-compare")).to_be_visible()
    expect(field).to_have_value("Oslo (03), Bergen (4601)")
    # The field now shows both; typing a third name completes it and keeps the two.
    field.click()
    page.keyboard.press("End")
    page.keyboard.type(", Trom")
    page.wait_for_function(OPTIONS + ".some(v => v.startsWith('Oslo (03), Bergen (4601), Tromsø'))")
    assert all(v.startswith("Oslo (03), Bergen (4601), ") for v in page.evaluate(OPTIONS))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)
    field.scroll_into_view_if_needed()
    shot(page, "compare-typing-390")
    assert no_external_requests == []


# ---- accessibility with a file loaded ------------------------------------------------------------------

def axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    from .test_browser_share import AXE_TAGS
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result.response["violations"]]


def test_axe_finds_nothing_with_a_file_on_the_page_the_slides_and_the_embed(page):
    page.goto("/?year=2023&region=4204")
    ready(page)
    page.set_input_files("#upload input[type=file]",
                         files=[{"name": "kristiansand.csv", "mimeType": "text/csv", "buffer": KRISTIANSAND.encode()}])
    expect(page.locator("#trend-embed-note")).to_be_visible()
    assert axe_violations(page) == []
    page.click("#present-link")
    slide_ready(page)
    expect(page.locator("#solo-title")).to_have_text("Dine tall: Nøkkeltall")
    assert axe_violations(page) == []
    page.goto("/?year=2023&region=4204&embed=1")           # this tab holds the file: the note shows
    page.wait_for_selector("#embed-plot .main-svg")
    expect(page.locator("#embed-user-note")).to_be_visible()
    assert axe_violations(page) == []
