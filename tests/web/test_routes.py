"""/healthz and /data.csv (routes.py): a view's cells, one chart's cells, or a plain 400 naming the parameter."""
import re
import csv
import io

import pytest

from dashboard.model.query import query
from dashboard.views import charts
from dashboard.views.state import ViewState
from dashboard.web.routes import plain
from tests.published import values


def rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_healthz_answers_ok(client):
    r = client.get("/healthz")
    lines = r.get_data(as_text=True).splitlines()
    assert r.status_code == 200 and r.mimetype == "text/plain" and lines[0] == "ok"
    # The version served: its digest, rows and load time, and never a file's contents.
    assert re.fullmatch(r"data: sha256:[0-9a-f]{16} rows \d+ loaded \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[1]), lines


def test_a_charts_csv_is_exactly_its_cells(client):
    r = client.get("/data.csv?chart=groups")
    got = [(x["group"], x["measure"], float(x["value"]), x["basis"]) for x in rows(r)]
    assert got == [("ukraine", "to_work", 45, "published"), ("other", "to_work", 23, "published"),
                   ("ukraine", "to_education", 3, "published"), ("other", "to_education", 28, "published")]
    assert r.headers["Content-Disposition"] == 'inline; filename="introduksjonsprogrammet-groups-norge-2023.csv"'


def test_a_charts_csv_matches_what_the_chart_draws_with_computed_values_and_formula(app, client):
    store = app.server.config["DATA_STORE"]
    spec = charts.spec("trend", query(store.dataset, ViewState()), "en")
    got = rows(client.get("/data.csv?chart=trend"))
    assert [(int(x["year"]), x["measure"]) for x in got] == [(c.year, c.measure) for c in spec.cells]
    y2016 = next(x for x in got if x["year"] == "2016" and x["measure"] == "to_work")
    assert y2016["basis"] == "computed" and y2016["formula"].replace("\u00a0", " ") == "1 087 / 4 469 × 100 = 24,3 %"
    en = next(x for x in rows(client.get("/data.csv?chart=trend&lang=en")) if x["year"] == "2016")
    assert en["formula"] == "1,087 / 4,469 × 100 = 24.3%"  # the formula in the link's language
    assert float(y2016["value"]) == pytest.approx(24.3, abs=0.05)
    y2023 = next(x for x in got if x["year"] == "2023" and x["measure"] == "to_work")
    assert float(y2023["value"]) in values("to_work", 2023) and y2023["formula"] == ""


def test_the_views_csv_follows_its_filters(client):
    got = rows(client.get("/data.csv?year=2023&group=ukraine"))
    assert got and all(x["year"] == "2023" and x["group"] == "ukraine" for x in got)
    assert {"to_work": 45, "to_education": 3} == {x["measure"]: float(x["value"]) for x in got
                                                 if x["measure"] in ("to_work", "to_education") and x["region"] == "0"}
    everything = rows(client.get("/data.csv"))
    assert len({x["year"] for x in everything}) > 5  # no year given: every year
    assert client.get("/data.csv").headers["Content-Disposition"] == 'inline; filename="introduksjonsprogrammet.csv"'


@pytest.mark.parametrize("query_string, line", [
    ("year=1999", "Invalid value for 'year': '1999'."),
    ("gender=x", "Invalid value for 'gender': 'x'."),
    ("chart=nope", "Invalid value for 'chart': 'nope'."),
    ("region=9999", "Invalid value for 'region': '9999'."),
    ("lang=fr", "Invalid value for 'lang': 'fr'."),
])
def test_a_bad_value_is_a_plain_400_naming_the_parameter(client, query_string, line):
    r = client.get("/data.csv?" + query_string)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert body.splitlines()[0] == line
    assert body.splitlines()[-1].startswith("Years with figures: 2005–") and "Traceback" not in body


def test_every_bad_parameter_is_named(client):
    body = client.get("/data.csv?year=1999&gender=x").get_data(as_text=True)
    assert body.splitlines()[:2] == ["Invalid value for 'year': '1999'.", "Invalid value for 'gender': 'x'."]


def test_markup_in_a_value_is_quoted_not_reflected(client):
    body = client.get("/data.csv", query_string={"gender": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>" not in body and "\\x3cscript\\x3e" in body


def test_plain_quotes_short_and_without_markup():
    assert plain("abc") == "'abc'"
    assert plain("<b>&") == "'\\x3cb\\x3e\\x26'"
    assert plain("x" * 50) == "'" + "x" * 40 + "…'"
    assert plain("x" * 10, limit=5) == "'xxxxx…'"
    assert plain("it's") == '"it\'s"'
