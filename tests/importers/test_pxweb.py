"""`fetch ssb`: PxWebApi 2 requests, the cell limit, retries, and the files written, against recorded
responses (tests/fixtures/pxweb: made-up values in SSB's documented shape). The network is never used."""
import http.server
import io
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
from email.message import Message
from pathlib import Path

import pytest

from dashboard.importers import pxweb
from dashboard.model.dataset import DataError, catalogues

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "pxweb"
ROOT = Path(__file__).resolve().parents[2]
MEASURES, SOURCES = catalogues()


def recorded(name):
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def subset(ds, selection):
    """The recorded response cut to a request's valueCodes (what SSB would answer for a part)."""
    ids = ds["id"]
    codes = {d: sorted(ds["dimension"][d]["category"]["index"], key=ds["dimension"][d]["category"]["index"].get)
             for d in ids}
    keep = {d: [c for c in codes[d] if c in selection.get(d, codes[d])] for d in ids}
    strides, n = [], 1
    for d in reversed(ids):
        strides.insert(0, n)
        n *= len(codes[d])
    values, status = [], {}
    import itertools
    for combo in itertools.product(*(keep[d] for d in ids)):
        pos = sum(codes[d].index(c) * s for d, c, s in zip(ids, combo, strides))
        if str(pos) in ds.get("status", {}):
            status[str(len(values))] = ds["status"][str(pos)]
        values.append(ds["value"][pos])
    dims = {d: {**ds["dimension"][d], "category": {
        **ds["dimension"][d]["category"], "index": {c: i for i, c in enumerate(keep[d])},
        "label": {c: ds["dimension"][d]["category"]["label"][c] for c in keep[d]}}} for d in ids}
    return {**ds, "size": [len(keep[d]) for d in ids], "dimension": dims, "value": values, "status": status}


def answer(url):
    """SSB as recorded: the metadata, or the data for the contents code asked for, cut to the request."""
    parts = urllib.parse.urlsplit(url)
    assert parts.path.startswith("/api/pxwebapi/v2/tables/10809/"), url
    q = dict(urllib.parse.parse_qsl(parts.query))
    assert q["outputFormat"] == "json-stat2" and q["lang"] in ("no", "en")
    if parts.path.endswith("/metadata"):
        return recorded("10809_metadata.json")
    sel = {k[len("valueCodes["):-1]: v.split(",") for k, v in q.items() if k.startswith("valueCodes[")}
    assert "Alder" not in sel                     # eliminated: SSB sums the ages
    (contents,) = sel["ContentsCode"]
    return subset(recorded(f"10809_data_{contents.lower()}.json"), sel)


class Opener:
    """Stands in for urllib.request.urlopen: answers from the recordings, or fails as told."""

    def __init__(self, failures=()):
        self.urls, self.failures = [], list(failures)

    def __call__(self, req, timeout):
        url = req.full_url
        self.urls.append(url)
        if self.failures:
            fail = self.failures.pop(0)
            if isinstance(fail, Exception):
                raise fail
            code, headers = fail
            msg = Message()
            for k, v in headers.items():
                msg[k] = v
            raise urllib.error.HTTPError(url, code, "Too Many Requests" if code == 429 else "Error", msg, io.BytesIO(b"{}"))
        return io.BytesIO(json.dumps(answer(url)).encode("utf-8"))


def fetch(**kw):
    opener = kw.pop("opener", None) or Opener()
    sleeps = []
    result = pxweb.fetch("10809", MEASURES, opener=opener, sleep=sleeps.append, **kw)
    return result, opener, sleeps


def test_the_requests_are_the_documented_ones():
    result, opener, _ = fetch()
    meta, *data = opener.urls
    assert meta == "https://data.ssb.no/api/pxwebapi/v2/tables/10809/metadata?lang=no&outputFormat=json-stat2"
    # one request per contents code (percent has no 'i alt' row), only mapped codes, age left out
    assert len(data) == 2
    q = [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query)) for u in data]
    assert [x["valueCodes[ContentsCode]"] for x in q] == ["Personer", "Prosent"]
    assert q[0]["valueCodes[ArbStatus]"] == "00,01,02,03,04,05,06,07,08"     # not 09 (no measure)
    assert q[1]["valueCodes[ArbStatus]"] == "01,02,03,04,05,06,07,08"
    assert all(x["valueCodes[Kjonn]"] == "0,1,2" and x["valueCodes[Tid]"] == "2022,2023" for x in q)
    assert all(u.startswith("https://data.ssb.no/api/pxwebapi/v2/tables/10809/data?lang=no&outputFormat=json-stat2&")
               for u in data)


def test_cells_become_tidy_rows_by_cohort_year_and_symbols_are_kept():
    result, _, _ = fetch()
    by = {(r["year"], r["gender"], r["measure"]): r["value"] for r in result.rows}
    # SSB's 2023 column is the 2022 cohort; made-up values: 1000*(sex+1) + 10*status + (year-2022)
    assert by[(2022, "all", "former_participants_1y")] == 1001
    assert by[(2021, "men", "in_work_or_education_count_1y")] == 2010
    assert by[(2022, "women", "in_work_or_education_1y")] == 16
    assert {r["year"] for r in result.rows} == {2021, 2022}
    assert all(r["source"] == "ssb-statbank-10809" and r["region"] == "0" and r["age"] == "all" for r in result.rows)
    status = {(s["year"], s["gender"], s["measure"]): s["status"] for s in result.status}
    assert status == {(2022, "women", "registered_unemployed_count_1y"): ":",
                      (2021, "men", "other_jobseekers_labour_measures_count_1y"): "-"}
    assert not {k for k in status} & {(r["year"], r["gender"], r["measure"]) for r in result.rows}
    assert len(result.rows) + len(result.status) == 3 * 2 * (9 + 8)


def test_a_selection_over_the_cell_limit_is_split_along_its_largest_dimension_and_merged():
    whole, _, _ = fetch()
    parts, opener, _ = fetch(limit=20)
    data = opener.urls[1:]
    assert len(data) > 2
    for u in data:
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query))
        n = 1
        for k, v in q.items():
            if k.startswith("valueCodes["):
                n *= len(v.split(","))
        assert n <= 20, u
    key = lambda r: (r["year"], r["gender"], r["measure"], r.get("value"), r.get("status"))
    assert sorted(map(key, parts.rows)) == sorted(map(key, whole.rows))
    assert sorted(map(key, parts.status)) == sorted(map(key, whole.status))


def test_split_keeps_every_code_once():
    sel = {"A": list("abcdefghij"), "B": ["x", "y"], "C": ["1"]}
    parts = pxweb.split(sel, limit=6)
    assert all(pxweb.cells(p) <= 6 for p in parts)
    assert sorted(c for p in parts for c in p["A"]) == sel["A"] and all(p["B"] == ["x", "y"] for p in parts)
    assert pxweb.split(sel) == [sel] and pxweb.MAX_CELLS == 800_000


def test_429_is_retried_after_retry_after_and_the_waits_are_bounded():
    opener = Opener([(429, {"Retry-After": "7"}), (429, {"Retry-After": "3600"}), (429, {})])
    result, opener, sleeps = fetch(opener=opener)
    assert sleeps == [7.0, pxweb.MAX_WAIT, pxweb.BACKOFF[2]]
    assert result.rows and opener.urls[0] == opener.urls[3]          # the metadata asked for four times


def test_retries_end_with_a_plain_message():
    opener = Opener([(429, {"Retry-After": "1"})] * (pxweb.MAX_RETRIES + 1))
    with pytest.raises(DataError) as e:
        fetch(opener=opener)
    msg = str(e.value.problems[0])
    assert "HTTP 429" in msg and f"after {pxweb.MAX_RETRIES + 1} tries" in msg and "\n" not in msg
    assert len(opener.urls) == pxweb.MAX_RETRIES + 1


def test_other_http_errors_and_no_network_are_not_retried():
    for failure, words in (((500, {}), "HTTP 500"), (urllib.error.URLError("no route"), "cannot reach SSB")):
        opener = Opener([failure])
        with pytest.raises(DataError) as e:
            fetch(opener=opener)
        assert words in str(e.value.problems[0]) and len(opener.urls) == 1


def test_a_mapping_that_does_not_fit_the_metadata_is_refused_before_any_data_is_asked_for(monkeypatch):
    real = pxweb.load_mapping

    def wrong(table):
        m = real(table)
        return pxweb.Mapping(m.table, m.source, m.select, m.eliminate, ("Arbeidsstatus",), m.measures, m.path, {})
    monkeypatch.setattr(pxweb, "load_mapping", wrong)
    opener = Opener()
    with pytest.raises(DataError) as e:
        fetch(opener=opener)
    assert "'Arbeidsstatus'" in str(e.value.problems[0]) and len(opener.urls) == 1


def test_a_changed_label_means_changed_codes():
    meta = recorded("10809_metadata.json")
    meta["dimension"]["ArbStatus"]["category"]["label"]["02"] = "Under utdanning"
    from dashboard.importers import ssb_jsonstat
    ds, dims, _, _ = ssb_jsonstat.parse(meta)
    with pytest.raises(DataError) as e:
        pxweb.plan(pxweb.load_mapping("10809"), ds, dims)
    assert "'02'" in str(e.value.problems[0])


def test_unknown_table_and_language():
    with pytest.raises(DataError) as e:
        pxweb.fetch("12345", MEASURES, opener=Opener())
    assert "no mapping" in str(e.value.problems[0]) and "10809" in str(e.value.problems[0])
    with pytest.raises(DataError):
        pxweb.fetch("10809", MEASURES, lang="de", opener=Opener())


def test_english_labels_are_asked_for_with_lang_en():
    _, opener, _ = fetch(lang="en")
    assert all("lang=en" in u for u in opener.urls)


def test_the_mapping_names_real_measures_and_a_known_source():
    m = pxweb.load_mapping("10809")
    assert set(m.measures.values()) <= set(MEASURES)
    assert all(MEASURES[x].series == "ssb_one_year_after" for x in m.measures.values())
    assert m.source in SOURCES


# ---- the command line -------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(answer("http://x" + self.path)).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture
def recorded_ssb():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def cli(*args, base):
    env = {**os.environ, "INTRODASH_SSB_BASE": base}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_fetch_ssb_writes_a_file_that_check_accepts(tmp_path, recorded_ssb):
    out = tmp_path / "ssb_10809.csv"
    r = cli("fetch", "ssb", "10809", "--out", str(out), base=recorded_ssb)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.is_file() and (tmp_path / "ssb_10809.status.csv").is_file()
    assert "cohort year" in r.stdout and "2026-02-10" in r.stdout
    c = cli("check", str(out), base=recorded_ssb)
    assert c.returncode == 0 and f"{out}: OK" in c.stdout, c.stdout + c.stderr
    assert "years: 2021–2022" in c.stdout


def test_fetch_ssb_offline_prints_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "ssb_10809.csv"
    r = cli("fetch", "ssb", "10809", "--out", str(out), base="http://127.0.0.1:9")   # nothing listens there
    assert r.returncode == 1 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "cannot reach SSB" in r.stderr
    assert list(tmp_path.iterdir()) == []
