"""Issue 16: bounded work per request, files that are not what they claim, check and page agreeing, and
404/400 instead of 500 — each case one that answered 500, hung or cost seconds and gigabytes before."""
from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from dashboard.model import uploads
from dashboard.model.dataset import DataError, load_dataset
from dashboard.views import i18n, text
from dashboard.model.query import Cell
from dashboard.web.app import create_app
from tests.robustness.test_robustness_requests import post, view_body

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
ENDED_2023 = "2023,0,all,all,all,all,all,ended,11381,count,false,imdi-nokkeltall-2023"


@pytest.fixture
def client(app):
    return app.server.test_client()


def upload(raw: bytes, name: str, base) -> tuple[float, float, object]:
    """Seconds and peak MB (tracemalloc) of one upload through uploads.user_dataset; the result or the error."""
    contents = "data:application/octet-stream;base64," + base64.b64encode(raw).decode()
    tracemalloc.start()
    t = time.monotonic()
    try:
        out = uploads.user_dataset(contents, name, base)
    except DataError as e:
        out = e
    took = time.monotonic() - t
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return took, peak, out


def jsonstat(size: list[int], value=None) -> bytes:
    ids = ["Region", "ContentsCode", "Tid"]
    return json.dumps({
        "version": "2.0", "class": "dataset", "id": ids, "size": size,
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": {f"{i:04d}": i for i in range(size[0])}}},
            "ContentsCode": {"category": {"index": {"participants_ssb": 0}}},
            "Tid": {"category": {"index": {str(2000 + i): i for i in range(size[2])}}}},
        "value": value if value is not None else {"0": 1}}).encode()


# ---- bounded work per request ---------------------------------------------------------------------

@pytest.mark.parametrize("size", [[10000, 1, 10000], [10000, 1, 1000]])
def test_a_jsonstat_declaring_too_many_cells_is_refused_before_allocating(size):
    base = load_dataset()
    raw = jsonstat(size)  # the categories make the file large; the declared cells make it costly
    took, peak, out = upload(raw, f"big{size[2]}.json", base)
    assert isinstance(out, DataError) and "cells; the limit is" in str(out), out
    assert took < 2 and peak < 100, (took, peak)


def test_a_refused_upload_is_remembered_by_its_digest_and_not_parsed_again(monkeypatch):
    import dashboard.importers as importers
    base = load_dataset()
    calls = []
    real = importers.load_user_file
    monkeypatch.setattr(importers, "load_user_file", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    raw = (HEADER + "2023,0301,all,all,all,all,all,ended,many,count,false,mine\n").encode()
    for _ in range(3):
        _, _, out = upload(raw, "refused.csv", base)
        assert isinstance(out, DataError) and "'many' is not a number" in str(out)
    assert len(calls) == 1


def xlsx(sheet_rows: int = 1, shared: int = 1) -> bytes:
    """A minimal workbook written directly (openpyxl would take as long to write it as to read it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                   '.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
                   '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                   '.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main">' + "<si><t>a</t></si>" * shared + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                   + "<row/>" * (sheet_rows - 1)  # (r is optional: rows without it follow on)
                   + "</sheetData></worksheet>")
    return buf.getvalue()


@pytest.mark.parametrize("rows, shared, what", [(1, 2_000_000, "shared strings"), (200_000, 1, "rows in a sheet")])
def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_openpyxl_reads_it(rows, shared, what):
    base = load_dataset()
    raw = xlsx(rows, shared)
    assert len(raw) < 300_000  # small on the wire
    took, peak, out = upload(raw, "kommune.xlsx", base)
    assert isinstance(out, DataError) and (what in str(out) or "unpacks to" in str(out)), out
    assert took < 2 and peak < 100, (took, peak)


def test_an_uploaded_json_nested_100000_deep_is_refused_not_a_recursion_error():
    base = load_dataset()
    took, _, out = upload(b"[" * 100_000 + b"]" * 100_000, "deep.json", base)
    assert isinstance(out, DataError) and "nests deeper" in str(out) and took < 2


def test_callback_bodies_nested_too_deep_are_400_and_nothing_is_logged_as_a_crash(app, client, records):
    r = post(client, b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code == 400 and b"nests deeper" in r.data
    find = view_body(app, [], part="region-notice.data")       # the map's click goes to `find`
    values = ["DEEP" if i.get("property") == "clickData" else "" for i in app.callback_map[find["output"]]["inputs"]]
    assert "DEEP" in values
    deep = '{"points": [' * 5000 + "0" + "]}" * 5000  # (json.dumps itself cannot write this)
    body = view_body(app, values, ["map-graph.clickData"], part="region-notice.data")
    r = post(client, json.dumps(body).replace('"DEEP"', deep))
    assert r.status_code == 400
    inputs = app.callback_map[view_body(app, [])["output"]]["inputs"]
    r = post(client, view_body(app, ["?gender=women"] + [None] * (len(inputs) - 1)))  # a real one still renders
    assert r.status_code == 200
    for body in (b"{", b"[]", b'{"output": 1}', b"\xff\xfe"):
        assert post(client, body).status_code == 400
    assert not [rec for rec in records if rec.exc_info], [rec.getMessage() for rec in records]


# ---- 404, not 500 and not the page ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/__init__.py", "/_dash-component-suites/dash/x.js",
                                  "/_dash-component-suites/dash/../../etc/passwd", "/_dash-component-suites/nope/a.js",
                                  "/_dash-component-suites/dash/dcc/__init__.py", "/nope", "/a/b/c", "/data.csv/x",
                                  "/healthz/x", "/index.html", "/wp-login.php"])
def test_unknown_paths_are_404_without_a_traceback(client, path, records):
    r = client.get(path)
    assert r.status_code == 404 and b"Traceback" not in r.data and b"<html" not in r.data.lower()
    assert not [rec for rec in records if rec.exc_info]


def test_the_page_and_its_relative_links_still_work_with_and_without_a_prefix(client):
    for path in ("/", "/?year=2022", "/?lang=en&gender=women", "/data.csv?year=2022", "/healthz"):
        assert client.get(path).status_code == 200, path
    prefixed = create_app(settings={"url_prefix": "/intro/"}).server.test_client()
    for path in ("/intro/", "/intro/?year=2022", "/intro/data.csv?year=2022", "/", "/data.csv"):
        assert prefixed.get(path).status_code == 200, path
    assert prefixed.get("/intro/nope").status_code == 404


# ---- check and the page agree ---------------------------------------------------------------------

def check(path: Path, timeout: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "check", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("row, said", [
    ("2023,0301,all,all,all,all,all,ended,1e300,count,false,imdi-nokkeltall-2023", "too large for a count"),
    ("2023,0301,all,all,all,all,all,ended,100000000,count,false,imdi-nokkeltall-2023", "too large for a count"),
    ("2023,9999,all,all,all,all,all,ended,10,count,false,imdi-nokkeltall-2023", "not a region code in use in 2023"),
    ("2023,77,all,all,all,all,all,ended,10,count,false,imdi-nokkeltall-2023", "not a region code in use in 2023"),
    ("2016,3024,all,all,all,all,all,ended,10,count,false,imdi-nokkeltall-2023", "not a region code in use in 2016"),
])
def test_check_refuses_what_the_page_cannot_show(tmp_path, row, said):
    f = tmp_path / "figures.csv"
    f.write_text(HEADER + row + "\n", encoding="utf-8")
    r = check(f)
    assert r.returncode == 1 and said in r.stdout and "Traceback" not in r.stdout + r.stderr, r.stdout


def test_a_file_cut_mid_row_and_a_fifo_are_refused_by_check_and_by_the_loader(tmp_path):
    full = (DATA / "figures.csv").read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    # Cut before a line break: every row it has is whole and valid, but the copy stopped there.
    cut.write_text(full[: full.index(ENDED_2023) + len(ENDED_2023)], encoding="utf-8")
    r = check(cut)
    assert r.returncode == 1 and "ends in the middle of a line" in r.stdout
    cut.write_text(full[: full.index(ENDED_2023) + 12], encoding="utf-8")  # "…,ended,11381" -> "…,ende"
    r = check(cut)
    assert r.returncode == 1 and "this row has 4 fields; expected 12" in r.stdout
    d = tmp_path / "data"
    d.mkdir()
    for name in ("measures.csv", "sources.csv"):
        shutil.copy(DATA / name, d / name)
    os.mkfifo(d / "figures.csv")
    r = check(d / "figures.csv")  # before: blocked forever waiting for a writer
    assert r.returncode == 1 and "not a regular file" in r.stdout
    with pytest.raises(DataError, match="not a regular file"):
        load_dataset(d)


def test_healthz_never_quotes_a_refused_file(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for name in ("figures.csv", "measures.csv", "sources.csv"):
        shutil.copy(DATA / name, d / name)
    app = create_app(d, settings={"reload_interval": 0.01, "reload_quiet": 0})
    client = app.server.test_client()
    (d / "figures.csv").unlink()
    (d / "figures.csv").symlink_to("/etc/passwd")
    time.sleep(0.05)
    client.get("/healthz")
    body = client.get("/healthz").get_data(as_text=True)
    assert app.server.config["DATA_STORE"].last_problems and "refused" in body
    first = Path("/etc/passwd").read_text().splitlines()[0]
    assert first[:10] not in body and "passwd" not in body


MEASURES_UNITS = [("ended", "count"), ("to_work", "percent"), ("participants", "count")]
VALUES = st.one_of(st.sampled_from(["1e300", "1e20", "100000000", "99999999", "0", "100", "100.5", "-1", "2.5"]),
                   st.integers(min_value=-10, max_value=10 ** 12).map(str),
                   st.floats(min_value=0, max_value=1e12, allow_nan=False).map(repr),
                   st.floats(min_value=-1e308, max_value=1e308, allow_nan=False).map(repr))


@pytest.fixture(scope="module")
def cats():
    from dashboard.model.dataset import catalogues
    return catalogues()


@settings(derandomize=True, max_examples=250, deadline=None)
@given(value=VALUES, mu=st.sampled_from(MEASURES_UNITS), lang=st.sampled_from(["nb", "en"]),
       decimals=st.integers(0, 2), approx=st.booleans())
def test_formatting_never_raises_for_anything_check_accepts(cats, value, mu, lang, decimals, approx):
    from dashboard.model.dataset import parse_table
    measure, unit = mu
    raw = (HEADER + f"2023,0301,all,all,all,all,all,{measure},{value},{unit},false,imdi-nokkeltall-2023\n").encode()
    try:
        frame = parse_table(raw, "f.csv", *cats)
    except DataError:
        return  # refused by check: the page never sees it
    v = float(frame["value"].iat[0])
    assert i18n.number(v, lang, decimals) and i18n.signed_number(v, lang) and i18n.points(v, lang)
    assert i18n.value_text(v, unit, lang) and i18n.persons(v, lang) and i18n.percent(v, lang, decimals)
    assert text.cell_value(Cell(2023, None, measure, v, unit, approx, "s"), lang)


def test_the_largest_accepted_count_renders_the_default_view_cards_and_presentation(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for name in ("measures.csv", "sources.csv"):
        shutil.copy(DATA / name, d / name)
    full = (DATA / "figures.csv").read_text(encoding="utf-8")
    (d / "figures.csv").write_text(full.replace(ENDED_2023, ENDED_2023.replace("11381", "1e300")), encoding="utf-8")
    assert check(d / "figures.csv").returncode == 1
    with pytest.raises(DataError, match="too large for a count"):
        create_app(d)  # before: loaded, and then the default view, cards and presentation answered 500
    (d / "figures.csv").write_text(full.replace(ENDED_2023, ENDED_2023.replace("11381", "99999999")), encoding="utf-8")
    assert check(d / "figures.csv").returncode == 0
    app = create_app(d)
    client = app.server.test_client()
    inputs = app.callback_map[view_body(app, [])["output"]]["inputs"]
    for search in ("", "?present=1", "?year=2023"):
        r = post(client, view_body(app, [search] + [None] * (len(inputs) - 1)))
        assert r.status_code == 200, (search, r.data[:300])
    assert client.get("/data.csv?year=2023").status_code == 200
