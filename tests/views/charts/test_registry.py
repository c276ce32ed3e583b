"""Walk the chart registry: every chart on the page has PNG, SVG, XLSX and CSV links that answer, each
chart's files are its own, every number it draws is in its XLSX, and the line view's image is a line chart.

Checked at the default view, in the line style, and for SSB one year after in 2022 (where the map is one of
the charts with figures)."""
import csv
import io
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from dashboard.views import charts, urls
from dashboard.views.state import ViewState
from dashboard.web import callbacks

VIEWS = ["", "style=line", "series=ssb_one_year_after&year=2022", "region=4601&year=2022", "region=46&gender=women", "region=3020&year=2022"]
PNG = b"\x89PNG\r\n\x1a\n"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("class") == "chart-link":
            self.hrefs[a["id"]] = a["href"]


def page_links(app, query: str) -> dict[str, dict[str, str]]:
    """The download links each chart's foot shows on the page, by chart and kind."""
    store = app.server.config["DATA_STORE"]
    state, problems = ViewState.from_query(query)
    assert problems == []
    with app.server.test_request_context("/"):
        out = callbacks.render_charts(store.dataset, state)
    found = {}
    for chart in charts.PAGE_CHARTS:
        parser = Links()
        parser.feed(out[(f"{chart}-foot", "html")])
        found[chart] = {k.split("-")[-1]: v for k, v in parser.hrefs.items()}
    return found


def drawn_numbers(spec) -> set[float]:
    """The values a chart draws: bar lengths and line points (rounded as shown), and every number in a label."""
    out: set[float] = set()
    if spec.id == "map":  # its traces are outlines (longitude, latitude); its colours are checked by code
        return out
    for trace in spec.figure["data"]:
        axis = "x" if trace.get("orientation") == "h" else "y"
        out |= {round(float(v), 1) for v in trace.get(axis) or [] if isinstance(v, (int, float))}
        for text in trace.get("text") or []:
            for n in re.findall(r"\d[\d\u00a0 ]*(?:,\d+)?", str(text)):
                out.add(round(float(n.replace("\u00a0", "").replace(" ", "").replace(",", ".")), 1))
    return out


def xlsx_rows(data: bytes) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))["Data"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    return [dict(zip(header, r)) for r in rows[2:]]


@pytest.mark.parametrize("query", VIEWS)
def test_every_chart_on_the_page_has_its_own_downloads(app, client, query):
    links = page_links(app, query)
    state, _ = ViewState.from_query(query)
    csv_bodies = {}
    for chart in charts.PAGE_CHARTS:
        assert set(links[chart]) == {"png", "svg", "csv", "xlsx"}, chart
        for kind, href in links[chart].items():
            assert f"chart={chart}" in href, (chart, href)
            assert href == urls.download(state, chart, kind)
        result, spec = charts.one(app.server.config["DATA_STORE"].dataset, state, chart)
        csv_r = client.get("/" + links[chart]["csv"])
        xlsx_r = client.get("/" + links[chart]["xlsx"])
        assert csv_r.status_code == 200 and xlsx_r.status_code == 200, chart
        rows = xlsx_rows(xlsx_r.data)
        csv_rows = list(csv.DictReader(io.StringIO(csv_r.get_data(as_text=True))))
        # The CSV and the XLSX hold the same cells, which are exactly the chart's cells.
        key = lambda r: (str(r["year"]), str(r["region"]), r["gender"], r["group"], r["measure"], r["source"])
        assert sorted(map(key, csv_rows)) == sorted(map(key, rows)) == sorted(
            key({**c.row(), "year": c.year}) for c in spec.cells), chart
        # Every number the chart draws is in its XLSX (values rounded as shown).
        in_file = {round(float(r["value"]), 1) for r in rows}
        years = {float(r["year"]) for r in rows}
        missing = {n for n in drawn_numbers(spec) if n not in in_file and n not in years and n != 0}
        assert not missing, (chart, sorted(missing))
        # The map's coloured regions are rows of its file.
        if chart == "map":
            coloured = {t["customdata"][0] for t in spec.figure["data"]
                        if t.get("fill") == "toself" and t.get("fillcolor") != "#ffffff"}
            assert coloured <= {str(r["region"]) for r in rows} and bool(coloured) == bool(rows)
        if rows:
            csv_bodies[chart] = csv_r.get_data()
    # Each chart's file is its own: not one file for every chart (two charts that draw the same cells, as the
    # county chart and the county map can, have the same file by right).
    assert len(csv_bodies) >= (5 if query == "" else 1) and len(set(csv_bodies.values())) >= len(csv_bodies) - 1


@pytest.mark.parametrize("query", VIEWS)
def test_every_chart_image_answers(app, client, query):
    links = page_links(app, query)
    for chart in charts.PAGE_CHARTS:
        png = client.get("/" + links[chart]["png"])
        svg = client.get("/" + links[chart]["svg"])
        assert png.status_code == 200 and png.data[:8] == PNG, chart
        assert svg.status_code == 200 and b"<svg" in svg.data[:500], chart


def test_the_line_view_image_is_a_line_chart(app, client):
    links = page_links(app, "style=line")["trend"]
    assert "style=line" in links["svg"]
    svg = client.get("/" + links["svg"]).data.decode()
    bar_view = client.get("/" + page_links(app, "")["trend"]["svg"]).data.decode()
    assert 'class="trace bars"' not in svg and "js-line" in svg
    assert 'class="trace bars"' in bar_view


def test_the_key_figures_download_holds_the_cards(client):
    r = client.get("/data.csv?chart=cards&year=2023")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    got = {(row["measure"], row["year"]): float(row["value"]) for row in rows}
    assert got[("ended", "2023")] == 11381 and got[("to_work", "2023")] == 41
    assert client.get("/chart.png?chart=cards").status_code == 400   # cards have no image


def test_every_chart_of_the_registry_builds_and_has_a_module(app):
    result = callbacks.query(app.server.config["DATA_STORE"].dataset, ViewState(region="4601", year=2022))
    for chart_id, chart in charts.REGISTRY.items():
        spec = chart.spec(result, "nb")
        assert spec.id == chart_id and spec.title and spec.columns, chart_id
        assert chart.definitions(result.series_measures)
        assert set(chart.needs) <= set(callbacks.query.__globals__["PARTS_OF_QUERY"])
