"""Meetings and phones, in headless Chromium: a presentation that fits every projector, filters while
presenting, no empty slides, a visible busy state on a slow network, phones, and the first screen.

Every test saves its screenshots under tests/screenshots/ (meetings-*.png) for a person to look at."""
from urllib.parse import quote
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from dashboard.views.presentation import DEFAULT_DECK
from playwright.sync_api import expect

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The deck these tests were written for (five slides), given in the link, so that a change of the default
# deck (tests/views/test_presentation.py pins it) does not change them.
FIVE = "deck=" + quote("|".join(("chart=cards", "chart=trend", "chart=groups", "chart=outcomes", "chart=education")),
                       safe="")
SHOTS = Path(__file__).parent / "screenshots"
PROJECTORS = [(1920, 1080), (1366, 768), (1280, 720), (1024, 768)]
SLIDES = len(DEFAULT_DECK)  # the default deck


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"meetings-{name}.png"))


def axe_violations(page):
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result.response["violations"]]


def query(page) -> dict:
    """The page's query, less the deck these tests give in every link (FIVE)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items() if k != "deck"}


def slide_ready(page):
    page.locator("#solo").wait_for(state="visible")
    page.locator("#solo-cards .kf-card, #solo-graph .main-svg").filter(visible=True).first.wait_for()
    expect(page.locator("#solo-title")).not_to_be_empty()
    expect(page.locator("#solo-counter")).not_to_be_empty()
    page.wait_for_timeout(400)  # plotly's resize and the type scaled to the window (meetings.js)


def page_ready(page):
    page.wait_for_selector("#trend-graph .main-svg", state="attached")
    expect(page.locator("#cards .kf-card").first).to_be_visible()
    expect(page.locator("#trend-title")).not_to_be_empty()


BOXES = """() => {
  const box = id => { const e = document.getElementById(id);
    if (!e || e.offsetParent === null || !e.textContent.trim() && !e.querySelector('svg')) return null;
    const r = e.getBoundingClientRect(); return {id, top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const parts = ['solo-title', 'solo-subtitle', 'solo-filterbar', 'solo-chartbox', 'solo-cards', 'solo-caption',
                 'solo-source', 'solo-nav'].map(box).filter(Boolean);
  const buttons = ['solo-prev', 'solo-next', 'solo-filters-toggle', 'solo-copy', 'solo-exit'].map(box);
  const svg = document.querySelector('#solo-graph .main-svg');
  const texts = svg && svg.getBoundingClientRect().height > 0 ? Array.from(svg.querySelectorAll('text'))
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0).map(t => {
      const r = t.getBoundingClientRect(); return {text: t.textContent, top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }) : [];
  const s = svg && svg.getBoundingClientRect().height > 0 ? svg.getBoundingClientRect() : null;
  const tick = document.querySelector('#solo-graph .xtick text, #solo-graph .ytick text');
  return {parts, buttons, texts, svg: s && {top: s.top, bottom: s.bottom, left: s.left, right: s.right, height: s.height},
          tickSize: tick ? parseFloat(tick.style.fontSize) : null,
          scroll: document.documentElement.scrollHeight - window.innerHeight,
          scrollX: document.documentElement.scrollWidth - window.innerWidth,
          height: window.innerHeight, width: window.innerWidth};
}"""


# Every key-figure card whole inside the cards' box (nothing cut off by it).
CARDS_FIT = """() => { const box = document.getElementById('solo-cards').getBoundingClientRect();
  return Array.from(document.querySelectorAll('#solo-cards .kf-card')).every(c => {
    const r = c.getBoundingClientRect(); return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5; })
    && Array.from(document.querySelectorAll('#solo-cards .kf-card > *')).every(e => {
    const r = e.getBoundingClientRect(), card = e.parentNode.getBoundingClientRect(); return r.bottom <= card.bottom + 0.5; }); }"""


def assert_one_screen(m, where):
    assert m["scroll"] <= 0 and m["scrollX"] <= 0, (where, "scrolls", m["scroll"], m["scrollX"])
    ids = [p["id"] for p in m["parts"]]
    for needed in ("solo-title", "solo-caption", "solo-source", "solo-nav"):
        assert needed in ids, (where, needed, "not shown")
    assert "solo-chartbox" in ids or "solo-cards" in ids, where
    for p in m["parts"]:
        assert p["top"] >= 0 and p["bottom"] <= m["height"] + 0.5, (where, p)
    for above, below in zip(m["parts"], m["parts"][1:]):  # in the order of the page: none over the next
        assert above["bottom"] <= below["top"] + 0.5, (where, above, below)
    for b in m["buttons"]:
        assert b is not None and b["bottom"] <= m["height"] and b["right"] <= m["width"], (where, b)


@pytest.mark.parametrize("width,height", PROJECTORS)
def test_every_slide_fits_one_screen(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for i in range(SLIDES):
        page.goto(f"/?present=1&slide={i}")  # the default deck, every slide of it
        slide_ready(page)
        m = page.evaluate(BOXES)
        assert_one_screen(m, (width, height, i))
        assert page.evaluate(CARDS_FIT), (width, height, i)
        if m["svg"]:
            # The graph takes the room the texts leave, and every label of it is inside it.
            assert m["svg"]["height"] >= 0.38 * height, (i, m["svg"])
            for t in m["texts"]:
                assert t["left"] >= m["svg"]["left"] - 1 and t["right"] <= m["svg"]["right"] + 1, (i, t)
                assert t["top"] >= m["svg"]["top"] - 1 and t["bottom"] <= m["svg"]["bottom"] + 1, (i, t)
            # The figure's type follows the window: 24 px at 1920×1080, smaller on a smaller screen.
            want = 24 * max(0.55, min(1, width / 1400, height / 860))
            assert m["tickSize"] == pytest.approx(want, abs=0.2), (i, m["tickSize"])
        shot(page, f"present-{width}x{height}-slide{i + 1}")
    # With the filter bar open the slides still fit (the cards, and a chart).
    for i in (0, 1):
        page.goto(f"/?present=1&slide={i}")  # the default deck, every slide of it
        slide_ready(page)
        page.keyboard.press("v")
        expect(page.locator("#solo-filterbar")).to_be_visible()
        page.wait_for_timeout(400)
        assert_one_screen(page.evaluate(BOXES), (width, height, "filters", i))
        assert page.evaluate(CARDS_FIT), (width, height, i)
        shot(page, f"present-{width}x{height}-slide{i + 1}-filters")


def test_type_follows_the_window_when_it_changes_size(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/?" + FIVE + "&present=1&slide=1")
    slide_ready(page)
    title = page.evaluate("parseFloat(getComputedStyle(document.getElementById('solo-title')).fontSize)")
    assert page.evaluate(BOXES)["tickSize"] == 24
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(800)
    m = page.evaluate(BOXES)
    assert m["tickSize"] == pytest.approx(24 * 1024 / 1400, abs=0.2)
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('solo-title')).fontSize)") < title
    assert_one_screen(m, "resized")


def test_filters_while_presenting_keep_the_slide(page, console_errors):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/?" + FIVE + "&present=1")
    slide_ready(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-counter")).to_have_text("2 av 5")
    expect(page.locator("#solo-filterbar")).to_be_hidden()
    toggle = page.locator("#solo-filters-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("v")  # V opens the bar and puts the keyboard in its first filter
    expect(page.locator("#solo-filterbar")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#p-gender")).to_be_focused()
    expect(page.locator("#p-gender")).to_have_value("all")
    page.select_option("#p-gender", "women")
    expect(page).to_have_url(re.compile(r"gender=women"))
    assert query(page) == {"gender": "women", "present": "1", "slide": "1"}
    expect(page.locator("#solo-subtitle")).to_contain_text("kvinner")
    expect(page.locator("#solo-title")).to_contain_text("Andel som gikk direkte til arbeid og utdanning")
    expect(page.locator("#solo-counter")).to_have_text("2 av 3 · 2 uten tall utelatt")
    # The other filters of the bar, each written to the URL with the slide kept.
    page.select_option("#p-gender", "all")
    expect(page.locator("#solo-counter")).to_have_text("2 av 5")
    for control, value, param in (("#p-group", "ukraine", "group"), ("#p-group", "all", None),
                                  ("#p-region", "46", "region"), ("#p-year", "2022", "year"),
                                  ("#p-series", "ssb_one_year_after", "series")):
        page.select_option(control, value)
        if param is None:
            expect(page).not_to_have_url(re.compile(r"group="))
            continue
        expect(page).to_have_url(re.compile(rf"{param}={value}"))
        assert query(page)["present"] == "1" and query(page)["slide"] == "1", (param, page.url)
        expect(page.locator(control)).to_have_value(value)
    expect(page.locator("#solo-subtitle")).to_contain_text("Vestland")
    # Esc in the bar closes it and gives the keys back to the slides; then Esc leaves as before.
    page.locator("#p-region").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#solo-filterbar")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert "present=1" in page.url
    # The button opens it too.
    toggle.click()
    expect(page.locator("#solo-filterbar")).to_be_visible()
    toggle.click()
    expect(page.locator("#solo-filterbar")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(re.compile(r"present"))
    expect(page.locator("#page")).to_be_visible()
    assert console_errors == []


def test_back_and_forward_set_the_bar(page):
    page.goto("/?" + FIVE + "&present=1&slide=1")
    slide_ready(page)
    page.keyboard.press("v")
    page.select_option("#p-gender", "men")
    expect(page).to_have_url(re.compile(r"gender=men"))
    page.go_back()
    expect(page.locator("#p-gender")).to_have_value("all")
    expect(page.locator("#solo-subtitle")).not_to_contain_text("menn")
    page.go_forward()
    expect(page.locator("#p-gender")).to_have_value("men")


def test_copy_link_while_presenting_copies_the_slide(page, live_server, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/?" + FIVE + "&present=1")
    slide_ready(page)
    copy = page.locator("#solo-copy")
    expect(copy).to_be_visible()
    expect(copy).to_have_text("Kopier lenke")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-counter")).to_have_text("2 av 5")
    page.locator("#solo-filters-toggle").click()
    page.select_option("#p-gender", "women")
    expect(page).to_have_url(re.compile(r"gender=women"))
    expect(page.locator("#solo-counter")).to_have_text("2 av 3 · 2 uten tall utelatt")
    page.locator("#p-gender").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#solo-filterbar")).to_be_hidden()
    page.keyboard.press("ArrowRight")  # over the two slides without figures
    expect(page.locator("#solo-counter")).to_have_text("3 av 3 · 2 uten tall utelatt")
    copy.click()
    expect(page.locator("#solo-copy-status")).to_have_text("Lenken er kopiert")
    copied = page.evaluate("navigator.clipboard.readText()")
    got = {k: v[0] for k, v in parse_qs(urlsplit(copied).query).items()}
    assert got.pop("deck") == "|".join(("chart=cards", "chart=trend", "chart=groups", "chart=outcomes",
                                        "chart=education"))   # the slide's whole link: its deck too
    assert got == {"gender": "women", "present": "1", "slide": "4"}
    title = page.locator("#solo-title").inner_text()
    other = context.new_page()
    other.goto(copied)
    slide_ready(other)
    expect(other.locator("#solo-title")).to_have_text(title)
    expect(other.locator("#solo-counter")).to_have_text("3 av 3 · 2 uten tall utelatt")
    other.close()


def test_no_slide_reads_no_published_figures(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/?" + FIVE + "&present=1&gender=women")
    slide_ready(page)
    expect(page.locator("#solo-counter")).to_have_text("1 av 3 · 2 uten tall utelatt")
    titles = []
    for n in range(1, 4):
        expect(page.locator("#solo-counter")).to_have_text(f"{n} av 3 · 2 uten tall utelatt")
        slide_ready(page)
        assert "Ingen publiserte tall" not in page.locator("#solo").inner_text()
        titles.append(page.locator("#solo-title").inner_text())
        shot(page, f"women-slide{n}")
        page.keyboard.press("ArrowRight")
    expect(page.locator("#solo-counter")).to_have_text("3 av 3 · 2 uten tall utelatt")  # the end stays
    assert titles[0] == "Nøkkeltall" and "2016" in titles[1] and "utdanningsnivå" in titles[2]
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#solo-counter")).to_have_text("2 av 3 · 2 uten tall utelatt")
    assert query(page)["slide"] == "1"


SLOW = 2000


def slow_updates(page):
    """Every Dash update answers 2 s late (the request goes out at once; its answer is held back)."""
    def hold(route):
        response = route.fetch()
        page.wait_for_timeout(SLOW)
        route.fulfill(response=response)
    page.route(re.compile(r"/_dash-update-component"), hold)


BUSY = """() => Array.from(document.querySelectorAll('[aria-busy="true"]')).map(e => e.id || e.className)"""


def test_a_slow_answer_says_it_is_coming(page):
    page.goto("/")
    page_ready(page)
    status = page.locator("#busy-status")
    assert page.evaluate(BUSY) == []
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")
    slow_updates(page)
    page.select_option("#f-gender", "women")
    expect(status).to_have_text("Oppdaterer …", timeout=1500)
    expect(status).to_be_visible()
    busy = page.evaluate(BUSY)
    assert "section-trend" in busy and "key-figures" in busy, busy
    page.wait_for_timeout(300)  # the dimming fades in
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('section-trend')).opacity)") < 0.75
    expect(page.locator("#f-gender")).not_to_have_attribute("aria-busy", "true")  # the filter is not what changes
    shot(page, "busy-1920x1080-page")
    expect(page.locator("#trend-title")).to_contain_text("kvinner", timeout=15000)
    page.wait_for_function("() => !document.querySelector('[aria-busy=\"true\"]')", timeout=8000)
    expect(status).to_have_text("")
    expect(status).to_be_hidden()
    page.wait_for_timeout(300)
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('section-trend')).opacity)") == 1
    page.unroute_all(behavior="ignoreErrors")


def test_a_slow_slide_says_it_is_coming(page):
    page.goto("/?" + FIVE + "&present=1&slide=1")
    slide_ready(page)
    slow_updates(page)
    page.keyboard.press("ArrowRight")
    status = page.locator("#busy-status")
    expect(status).to_have_text("Oppdaterer …", timeout=1500)
    busy = page.evaluate(BUSY)
    assert "solo-chartbox" in busy and "solo-caption" in busy, busy
    expect(page.locator("#solo-counter")).to_have_text("3 av 5", timeout=15000)
    page.wait_for_function("() => !document.querySelector('[aria-busy=\"true\"]')", timeout=8000)
    expect(status).to_have_text("")
    page.unroute_all(behavior="ignoreErrors")


def test_a_fast_answer_marks_nothing(page):
    page.goto("/")
    page_ready(page)
    page.evaluate("""() => { window.__busySeen = false;
        new MutationObserver(() => { if (document.querySelector('[aria-busy="true"]')) window.__busySeen = true; })
          .observe(document.body, {attributes: true, subtree: true, attributeFilter: ['aria-busy']}); }""")
    page.route(re.compile(r"/_dash-update-component"), lambda route: route.continue_())
    page.evaluate("""() => { const f = window.fetch; window.__slowest = 0;
        window.fetch = function () { const t = performance.now(); const p = f.apply(this, arguments);
          p.then(() => { window.__slowest = Math.max(window.__slowest, performance.now() - t); }); return p; }; }""")
    page.select_option("#f-gender", "men")
    expect(page.locator("#trend-title")).to_contain_text("menn")
    page.wait_for_timeout(500)
    if page.evaluate("window.__slowest") < 250:  # every answer came in time: nothing was marked
        assert page.evaluate("window.__busySeen") is False
    assert page.evaluate(BUSY) == []


def test_phone_filter_change_brings_the_results(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page_ready(page)
    show = page.locator("#show-results")
    expect(show).to_be_hidden()
    page.click("#filters-details summary")
    expect(page.locator("#f-gender")).to_be_visible()
    page.locator("#f-group").scroll_into_view_if_needed()
    page.select_option("#f-gender", "women")
    expect(show).to_be_visible()
    expect(show).to_have_text("Vis resultat ↓")
    box = show.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["y"] > 600  # at the bottom of the screen
    assert axe_violations(page) == []
    shot(page, "phone-390-show-results")
    show.click()
    expect(page.locator("#f-gender")).to_be_hidden()  # the filters fold away
    # The results come into view (a smooth scroll): the top of the results at the top of the screen.
    page.wait_for_function("() => Math.abs(document.getElementById('main').getBoundingClientRect().top) <= 2")
    assert page.evaluate("document.activeElement.id") == "main"
    expect(page.locator("#cards")).to_be_in_viewport()
    expect(page.locator("#trend-title")).to_contain_text("kvinner")
    expect(show).to_be_hidden()
    shot(page, "phone-390-results")


CLIPPED = """id => {
  const svg = document.querySelector('#' + id + ' .main-svg');
  const s = svg.getBoundingClientRect();
  return Array.from(svg.parentNode.querySelectorAll('svg text')).filter(t => t.textContent.trim())
    .map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([_, r]) => r.width > 0 && (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1))
    .map(([text, r]) => [text, Math.round(r.left), Math.round(r.right), Math.round(s.left), Math.round(s.right)]);
}"""
OVERLAPS = """id => {
  const ticks = Array.from(document.querySelectorAll('#' + id + ' .xtick text')).map(t => t.getBoundingClientRect())
    .filter(r => r.width > 0).sort((a, b) => a.left - b.left);
  return ticks.slice(1).filter((r, i) => r.left < ticks[i].right - 1 && r.top < ticks[i].bottom - 1).length;
}"""


@pytest.mark.parametrize("view", ["", "?region=46&year=2022&series=ssb_one_year_after"])
def test_no_chart_label_clipped_at_390(page, view):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/" + view)
    page_ready(page)
    checked = []
    for chart in ("region", "trend", "groups", "outcomes", "ssb", "ssb_county", "map", "countries", "education"):
        section = page.locator(f"#section-{chart}")
        if not section.is_visible():
            continue
        graph = page.locator(f"#{chart}-graph")
        graph.scroll_into_view_if_needed()
        page.wait_for_function("id => !!document.querySelector('#' + id + ' .main-svg text')", arg=f"{chart}-graph")
        page.wait_for_timeout(500)  # a chart out of sight is drawn when it comes near (installLazyCharts)
        assert page.evaluate(CLIPPED, f"{chart}-graph") == [], chart
        assert page.evaluate(OVERLAPS, f"{chart}-graph") == 0, chart
        graph.screenshot(path=str(SHOTS / f"meetings-phone-390-{chart}{'-region' if view else ''}.png"))
        checked.append(chart)
    assert {"trend", "groups", "outcomes", "ssb", "countries"} <= set(checked), checked


def test_presentation_on_a_phone_held_sideways(page):
    page.set_viewport_size({"width": 844, "height": 390})
    page.goto("/?" + FIVE + "&present=1&slide=1")
    slide_ready(page)
    m = page.evaluate(BOXES)
    assert m["scrollX"] <= 0
    assert m["svg"]["height"] >= 220 and m["svg"]["top"] < 120  # the chart fills the first screen
    for b in m["buttons"]:  # the controls stay on the screen (sticky at its bottom)
        assert b["bottom"] <= 390 and b["top"] >= 0, b
    for t in m["texts"]:
        assert m["svg"]["left"] - 1 <= t["left"] and t["right"] <= m["svg"]["right"] + 1, t
    shot(page, "phone-844x390-slide2")
    page.mouse.wheel(0, 400)  # the caption and the sources below the chart
    expect(page.locator("#solo-caption")).to_be_in_viewport()
    expect(page.locator("#solo-nav")).to_be_in_viewport()
    shot(page, "phone-844x390-slide2-caption")
    page.locator("#solo-next").click()
    expect(page.locator("#solo-counter")).to_have_text("3 av 5")
    page.locator("#solo-filters-toggle").click()
    page.select_option("#p-group", "ukraine")
    expect(page).to_have_url(re.compile(r"group=ukraine"))
    assert query(page)["slide"] == "2"


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_first_screen_shows_the_key_figures_and_illustration_1(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    page_ready(page)
    page.wait_for_timeout(300)
    m = page.evaluate("""() => {
      const r = s => document.querySelector(s).getBoundingClientRect();
      return {cards: Array.from(document.querySelectorAll('#cards .kf-card')).map(c => c.getBoundingClientRect().top),
              cardsBottom: r('#cards').bottom, trendTop: r('#section-trend').top, graph: r('#trend-graph .main-svg'),
              xtitle: r('#trend-graph .xtitle'), findings: r('.findings-box').top};
    }""")
    assert len(m["cards"]) == 6 and max(m["cards"]) - min(m["cards"]) < 1  # one compact row
    assert m["cards"][0] >= 0 and m["cardsBottom"] < m["trendTop"]
    assert m["graph"]["top"] > m["cardsBottom"] and m["graph"]["bottom"] <= height  # the whole chart
    assert m["xtitle"]["bottom"] <= height
    assert m["findings"] > m["graph"]["bottom"]  # the findings follow illustration 1
    shot(page, f"first-screen-{width}x{height}")


@pytest.mark.parametrize("width,height", [(1024, 768), (390, 844)])
def test_axe_finds_nothing_on_the_new_controls(page, live_server, context, width, height):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/?" + FIVE + "&present=1&slide=1&gender=women")
    slide_ready(page)
    page.locator("#solo-filters-toggle").click()
    expect(page.locator("#solo-filterbar")).to_be_visible()
    page.locator("#solo-copy").click()
    expect(page.locator("#solo-copy-status")).to_have_text("Lenken er kopiert")
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # the buttons' hover colours have faded (Bootstrap's .15 s transition)
    assert axe_violations(page) == []
    page.goto("/?" + FIVE + "&present=1&lang=en")
    slide_ready(page)
    page.keyboard.press("v")
    expect(page.locator("#solo-filterbar")).to_be_visible()
    expect(page.locator("label[for=p-gender]")).to_have_text("Gender")
    expect(page.locator("#solo-filters-toggle")).to_have_text("Filters (V)")
    assert axe_violations(page) == []
