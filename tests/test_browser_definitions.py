"""The two definitions side by side (chart `definitions`) in headless Chromium: two panels beside each other
on a wide screen and stacked on a phone, each with its own axes and title, the same years in both; a
definition without figures leaves a note in its panel while the other draws; presentation, embed, English,
and axe. Screenshots go to tests/screenshots/definitions-*.png."""
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SHOTS = Path(__file__).parent / "screenshots"

# Each panel's plot area in CSS pixels, the axes each trace is drawn on and the x ranges, as plotly laid out.
PANELS = """sel => {
    const gd = document.querySelector(sel + ' .js-plotly-plot');
    const L = gd._fullLayout;
    const box = (x, y) => ({left: x._offset, right: x._offset + x._length, top: y._offset,
                            bottom: y._offset + y._length});
    return {imdi: box(L.xaxis, L.yaxis), ssb: box(L.xaxis2, L.yaxis2),
            ranges: [L.xaxis.range, L.xaxis2.range], yanchors: [L.xaxis.anchor, L.xaxis2.anchor],
            traces: gd._fullData.map(t => [t.xaxis, t.yaxis, t.y.filter(v => v !== null && v !== undefined).length]),
            texts: Array.from(gd.querySelectorAll('.annotation-text')).map(a => a.textContent).join(' | ')};
}"""


# The stacked figure is tall, and so is the room the page gives it (a figure taller than its box would run over
# the caption).
TALL = """() => { const gd = document.querySelector('#definitions-graph .js-plotly-plot');
    return gd._fullLayout.height >= 800 && gd.getBoundingClientRect().height >= 800; }"""


def wait_page(page):
    page.wait_for_selector("#definitions-graph .main-svg")
    expect(page.locator("#definitions-title")).not_to_be_empty()
    page.locator("#section-definitions").scroll_into_view_if_needed()
    page.wait_for_function("() => { const gd = document.querySelector('#definitions-graph .js-plotly-plot');"
                           " return gd && gd._fullLayout && gd._fullLayout.xaxis2; }")
    page.wait_for_timeout(300)  # plotly settles after the scroll


def side_by_side(p) -> bool:
    return p["imdi"]["right"] < p["ssb"]["left"] and abs(p["imdi"]["top"] - p["ssb"]["top"]) < 1


def stacked(p) -> bool:
    return p["imdi"]["bottom"] < p["ssb"]["top"] and abs(p["imdi"]["left"] - p["ssb"]["left"]) < 1


def text(page, sel) -> str:
    return page.locator(sel).inner_text().replace("\u00a0", " ")


def test_two_panels_side_by_side_at_1920(page, console_errors, no_external_requests):
    page.goto("/")
    wait_page(page)
    p = page.evaluate(PANELS, "#definitions-graph")
    assert side_by_side(p), p
    # Never one axis: each trace on its own pair of axes, the same years on both x-axes.
    assert [t[:2] for t in p["traces"]] == [["x", "y"], ["x2", "y2"]]
    assert p["traces"][0][2] == 8 and p["traces"][1][2] == 14   # IMDi 2016–2023; SSB 2005–07 and 2013–23
    assert p["ranges"][0] == p["ranges"][1] == [2004.5, 2023.5]
    assert "Rett etter programmet (IMDi)" in p["texts"] and "I november året etter (SSB)" in p["texts"]
    assert "Ingen tall fra IMDi for 2005–2015" in p["texts"]
    expect(page.locator("#definitions-title")).to_contain_text("to definisjoner")
    caption = text(page, "#definitions-caption")
    assert ("For de som avsluttet i 2023: 49 % gikk direkte til arbeid eller utdanning; "
            "67 % var i arbeid eller utdanning ett år etter.") in caption
    assert "et annet tidspunkt" in caption and "et annet register" in caption
    for kind in ("png", "svg", "csv", "xlsx"):
        assert "chart=definitions" in page.locator(f"#definitions-{kind}").get_attribute("href")
    SHOTS.mkdir(exist_ok=True)
    page.locator("#section-definitions").screenshot(path=str(SHOTS / "definitions-1920x1080.png"))
    assert console_errors == [] and no_external_requests == []


def test_panels_stack_on_a_phone(page, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    wait_page(page)
    p = page.evaluate(PANELS, "#definitions-graph")
    assert stacked(p), p
    assert p["ranges"][0] == p["ranges"][1]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = page.locator("#definitions-graph").bounding_box()
    assert box["width"] <= 390 and box["height"] >= 800  # two panels of a usable height, one above the other
    SHOTS.mkdir(exist_ok=True)
    page.locator("#section-definitions").screenshot(path=str(SHOTS / "definitions-390x844.png"))
    # Wider again: side by side; and back.
    page.set_viewport_size({"width": 1280, "height": 844})
    page.wait_for_function(f"() => ({PANELS})('#definitions-graph').imdi.right"
                           f" < ({PANELS})('#definitions-graph').ssb.left")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"() => ({PANELS})('#definitions-graph').imdi.bottom"
                           f" < ({PANELS})('#definitions-graph').ssb.top")
    page.wait_for_function(TALL)  # and tall again: a resize must not leave two panels in one panel's height
    assert console_errors == []


def test_a_missing_definition_leaves_a_note_and_the_other_panel_draws(page):
    page.goto("/?region=50")   # Trøndelag: SSB publishes 2020–2023, IMDi nothing
    wait_page(page)
    p = page.evaluate(PANELS, "#definitions-graph")
    assert "Ingen tall fra IMDi for Trøndelag" in p["texts"]
    assert p["traces"][0][2] == 0 and p["traces"][1][2] == 4
    assert page.locator("#definitions-graph .scatterlayer .trace").nth(1).locator(".point").count() == 4
    caption = text(page, "#definitions-caption")
    assert "Ingen tall fra IMDi for Trøndelag." in caption
    assert "For de som avsluttet i 2023: 68 % var i arbeid eller utdanning ett år etter (SSB)." in caption
    page.locator("#section-definitions").screenshot(path=str(SHOTS / "definitions-trondelag-1920x1080.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"() => ({PANELS})('#definitions-graph').imdi.bottom"
                           f" < ({PANELS})('#definitions-graph').ssb.top")
    page.wait_for_function(TALL)
    page.locator("#section-definitions").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.locator("#section-definitions").screenshot(path=str(SHOTS / "definitions-trondelag-390x844.png"))


def test_in_english(page):
    page.goto("/?lang=en")
    wait_page(page)
    p = page.evaluate(PANELS, "#definitions-graph")
    assert "Directly after the programme (IMDi)" in p["texts"] and "In November the year after (SSB)" in p["texts"]
    caption = text(page, "#definitions-caption")
    assert ("For those who ended in 2023: 49% went directly to work or education; "
            "67% were in work or education one year later.") in caption
    assert "another moment" in caption and "another register" in caption


def test_presentation_slide_after_illustration_2(page, console_errors):
    page.goto("/?present=1&slide=2")
    page.locator("#solo").wait_for(state="visible")
    expect(page.locator("#solo-title")).to_contain_text("fordrevne fra Ukraina")  # illustration 2
    page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-counter")).to_have_text("4 av 6")
    expect(page.locator("#solo-title")).to_contain_text("to definisjoner")
    page.wait_for_function("() => { const gd = document.querySelector('#solo-graph .js-plotly-plot');"
                           " return gd && gd._fullLayout && gd._fullLayout.xaxis2; }")
    page.wait_for_timeout(300)
    assert side_by_side(page.evaluate(PANELS, "#solo-graph"))
    expect(page.locator("#solo-caption")).to_contain_text("For de som avsluttet i 2023")
    page.screenshot(path=str(SHOTS / "definitions-present-1920x1080.png"))
    assert console_errors == []


def test_embed_at_two_sizes(page, console_errors):
    for width, height, arranged in ((1920, 1080, side_by_side), (390, 844, stacked)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/?embed=1&chart=definitions")
        page.locator("#solo").wait_for(state="visible")
        expect(page.locator("#solo-title")).to_contain_text("to definisjoner")
        page.wait_for_function("() => { const gd = document.querySelector('#solo-graph .js-plotly-plot');"
                               " return gd && gd._fullLayout && gd._fullLayout.xaxis2; }")
        page.wait_for_timeout(300)
        p = page.evaluate(PANELS, "#solo-graph")
        assert arranged(p), (width, p)
        box = page.locator("#solo-graph").bounding_box()
        assert box["width"] <= width and box["height"] > 200
        assert p["imdi"]["bottom"] <= box["height"] and p["ssb"]["bottom"] <= box["height"]  # inside its frame
        page.screenshot(path=str(SHOTS / f"definitions-embed-{width}x{height}.png"))
    assert console_errors == []


def test_axe_finds_nothing(page):
    for query in ("/?region=50", "/?embed=1&chart=definitions", "/?present=1&slide=3",
                  "/?lang=en&embed=1&chart=definitions"):
        page.goto(query)
        if "embed" in query or "present" in query:
            page.locator("#solo").wait_for(state="visible")
            page.locator("#solo-graph .main-svg").first.wait_for()
            expect(page.locator("#solo-title")).to_contain_text(re.compile("definisjoner|definitions"))
        else:
            wait_page(page)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result.response["violations"]]
        assert violations == [], query
