"""A user's own file in the browser: a good one is shown as 'your data', a bad one changes nothing."""
import re

from playwright.sync_api import expect

from .cube import cube_csv

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"


def ready(page):
    page.wait_for_selector("#trend-graph .main-svg")
    expect(page.locator("#trend-title")).not_to_be_empty()


def upload(page, name, data: bytes):
    page.set_input_files("#upload input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def test_good_upload_is_labelled_your_data_and_can_be_cleared(page, tmp_path):
    # 2023: the year of this generated Oslo file that the small-number protection leaves shown
    page.goto("/?year=2023&region=0301")
    ready(page)
    upload(page, "oslo-kube.csv", cube_csv(regions=("0", "03", "0301"), years=(2021, 2022, 2023)))
    expect(page.locator("#upload-status")).to_contain_text("Lastet inn oslo-kube.csv")
    expect(page.locator("#trend-title")).to_contain_text("Dine tall: ")
    # A chart without the file's figures keeps its title (the countries are published only)
    expect(page.locator("#countries-title")).not_to_contain_text("Dine tall")
    expect(page.locator("#notices")).to_contain_text("dine egne data")
    # Downloads stay, with the user's figures in them (a button: the link cannot carry the file; issue 12).
    expect(page.locator("#groups-downloads button.user-download").first).to_be_visible()
    expect(page.locator("#download-user")).to_be_visible()
    with page.expect_download() as dl:
        page.click("#download-user")
    assert dl.value.suggested_filename.startswith("dine-data-")
    text = open(dl.value.path(), encoding="utf-8").read()
    assert "test-cube" in text
    page.click("#upload-clear")
    expect(page.locator("#trend-title")).not_to_contain_text("Dine tall")


def test_bad_upload_lists_problems_with_lines_and_keeps_the_data(page):
    page.goto("/")
    ready(page)
    before = page.locator("#cards").inner_text()
    bad = (HEADER + "2023,0,all,all,all,all,all,ended,lots,count,false,mine\n"
           "2023,0,all,all,all,all,all,to_work,140,percent,false,mine\n").encode()
    upload(page, "feil.csv", bad)
    status = page.locator("#upload-status")
    expect(status).to_contain_text("feil.csv ble ikke lastet inn")
    expect(status).to_contain_text("line 2, column 'value'")
    expect(status).to_contain_text("line 3, column 'value'")
    assert page.locator("#cards").inner_text() == before
    expect(page.locator("#trend-title")).not_to_contain_text("Dine tall")


def test_uploaded_small_numbers_are_protected(page):
    page.goto("/?region=0301&year=2023&gender=women&group=ukraine")
    ready(page)
    rows = HEADER + "".join(
        f"2023,0301,{g},{s},all,all,all,ended,{n},count,false,mine\n"
        for g, s, n in [("all", "all", 40), ("ukraine", "all", 22), ("other", "all", 18), ("all", "women", 25),
                        ("all", "men", 15), ("ukraine", "women", 3), ("ukraine", "men", 19), ("other", "women", 22),
                        ("other", "men", 0)])
    upload(page, "liten.csv", rows.encode())
    expect(page.locator("#upload-status")).to_contain_text("Lastet inn")
    cards = page.locator("#cards")
    expect(cards).to_contain_text("Vises ikke av personvernhensyn")
    assert not re.search(r"Avsluttet programmet\s*3\b", cards.inner_text())
