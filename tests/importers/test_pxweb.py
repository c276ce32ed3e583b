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


# ---- the plan: each id and code of a mapping checked against the metadata, word for word ------------------

from dashboard.importers import ssb_jsonstat  # noqa: E402

WHERE = "the mapping (dashboard/importers/tables/99999.json)"


def metadata(dims, role=None):
    """SSB's metadata answer (the shape, no cells) for [(id, codes, eliminable)]."""
    ds = {"version": "2.0", "class": "dataset", "label": "99999: test", "id": [d for d, _, _ in dims],
          "size": [len(c) for _, c, _ in dims], "value": [],
          "dimension": {d: {"label": d.lower(), "extension": {"elimination": e},
                            "category": {"index": {c: i for i, c in enumerate(codes)},
                                         "label": {c: f"{d} {c}" for c in codes}}} for d, codes, e in dims}}
    if role is not None:
        ds["role"] = role
    meta, parsed, _, _ = ssb_jsonstat.parse(ds)
    return meta, parsed


DIMS = [("Kjonn", ["0", "1", "2"], True), ("Alder", ["999", "20-24"], True), ("Land", ["x"], False),
        ("ArbStatus", ["00", "01"], False), ("ContentsCode", ["Personer", "Prosent"], False),
        ("Tid", ["2022", "2023"], False)]


def mapping(**kw):
    base = dict(table="99999", source="s", select={"Kjonn": ["1", "2"]}, eliminate=("Alder",),
                measure_dims=("ArbStatus",), measures={"Personer+00": "a", "Personer+01": "b", "Prosent+01": "c"},
                path="dashboard/importers/tables/99999.json", labels={})
    return pxweb.Mapping(**{**base, **kw})


def refusal(m, dims=DIMS, role=None, lang="no") -> str:
    meta, parsed = metadata(dims, role)
    with pytest.raises(DataError) as e:
        pxweb.plan(m, meta, parsed, lang)
    (p,) = e.value.problems
    return str(p)


def test_the_plan_of_the_shipped_mapping_is_exact():
    meta = recorded("10809_metadata.json")
    ds, dims, _, _ = ssb_jsonstat.parse(meta)
    both = {"Kjonn": ["0", "1", "2"], "Tid": ["2022", "2023"]}
    assert pxweb.plan(pxweb.load_mapping("10809"), ds, dims) == [
        {"Kjonn": both["Kjonn"], "ArbStatus": ["00", "01", "02", "03", "04", "05", "06", "07", "08"],
         "ContentsCode": ["Personer"], "Tid": both["Tid"]},
        {"Kjonn": both["Kjonn"], "ArbStatus": ["01", "02", "03", "04", "05", "06", "07", "08"],
         "ContentsCode": ["Prosent"], "Tid": both["Tid"]}]


def test_the_plan_takes_selected_codes_in_the_tables_order_a_single_code_and_leaves_out_what_ssb_sums():
    meta, dims = metadata(DIMS)
    assert pxweb.plan(mapping(select={"Kjonn": ["2", "1"]}), meta, dims) == [
        {"Kjonn": ["1", "2"], "Land": ["x"], "ArbStatus": ["00", "01"], "ContentsCode": ["Personer"],
         "Tid": ["2022", "2023"]},
        {"Kjonn": ["1", "2"], "Land": ["x"], "ArbStatus": ["01"], "ContentsCode": ["Prosent"], "Tid": ["2022", "2023"]}]
    # "*" takes every code; a dimension neither named nor single but eliminable is summed by SSB (absent)
    (sel,) = pxweb.plan(mapping(select={"Kjonn": "*"}, eliminate=(), measures={"Personer+01": "b"}), meta, dims)
    assert sel == {"Kjonn": ["0", "1", "2"], "Land": ["x"], "ArbStatus": ["01"], "ContentsCode": ["Personer"],
                   "Tid": ["2022", "2023"]}


def test_the_plan_finds_contents_and_time_by_role_or_by_their_usual_ids():
    renamed = [("Kjonn", ["0"], True), ("Stat", ["00"], False), ("Innhold", ["Personer"], False),
               ("Aar", ["2022"], False)]
    m = mapping(select={}, eliminate=(), measure_dims=("Stat",), measures={"Personer+00": "a"})
    meta, dims = metadata(renamed, role={"metric": ["Innhold"], "time": ["Aar"]})
    assert pxweb.plan(m, meta, dims) == [{"Kjonn": ["0"], "Stat": ["00"], "Innhold": ["Personer"], "Aar": ["2022"]}]
    for role in (None, {"time": ["Aar"]}, {"metric": ["Innhold"]}):
        assert refusal(m, renamed, role) == ("table 99999: the metadata has no contents (role.metric) or time "
                                             "(role.time) dimension")
    meta, dims = metadata(DIMS)       # no role: ContentsCode and Tid
    assert pxweb.plan(mapping(measures={"Personer+00": "a"}), meta, dims)[0]["Tid"] == ["2022", "2023"]


def test_the_plan_refuses_what_the_table_does_not_have_word_for_word():
    url = "https://data.ssb.no/api/pxwebapi/v2/tables/99999/metadata?lang=no"
    assert refusal(mapping(select={"Sex": ["1"]})) == (
        f"table 99999: {WHERE} names dimension 'Sex', which the table does not have (it has Kjonn, Alder, Land, "
        f"ArbStatus, ContentsCode, Tid); compare with {url}")
    assert refusal(mapping(eliminate=("Alder", "ArbStatus"))) == (
        f"table 99999: {WHERE} leaves out dimension 'ArbStatus', but SSB cannot sum it (elimination is false)")
    assert refusal(mapping(measures={"Personer": "a"})) == (
        f"table 99999: {WHERE}: 'Personer' needs one code for ContentsCode and one for each of ArbStatus")
    assert refusal(mapping(measure_dims=(), measures={"Personer+00": "a"})) == (
        f"table 99999: {WHERE}: 'Personer+00' needs one code for ContentsCode and one for each of (no measure_dims)")
    assert refusal(mapping(measures={"Personer+07": "a"})) == (
        f"table 99999: {WHERE}: ArbStatus has no code '07' (it has 00, 01)")
    assert refusal(mapping(measures={"Antall+00": "a"})) == (
        f"table 99999: {WHERE}: ContentsCode has no code 'Antall' (it has Personer, Prosent)")
    assert refusal(mapping(select={"Kjonn": ["1", "7", "9"]})) == f"table 99999: {WHERE}: Kjonn has no code '7', '9'"


def test_a_dimension_of_several_codes_that_ssb_cannot_sum_must_be_selected():
    dims = [d if d[0] != "Alder" else ("Alder", ["999", "20-24"], False) for d in DIMS]
    assert refusal(mapping(eliminate=()), dims) == (
        f"table 99999: {WHERE} does not say what to take of dimension 'Alder' (alder), which SSB cannot sum; "
        "add it to select")


def test_labels_are_checked_in_bokmaal_only_and_only_with_a_measure_dimension():
    meta, dims = metadata(DIMS)
    m = mapping(labels={"01": "Noe annet"})
    assert refusal(m) == (f"table 99999: {WHERE}: ArbStatus '01' is 'ArbStatus 01' in the table, not 'Noe annet'; "
                          "the codes have changed, correct the mapping")
    assert len(pxweb.plan(m, meta, dims, "en")) == 2                      # English labels are not compared
    assert len(pxweb.plan(mapping(labels={"01": " arbstatus  01 "}), meta, dims)) == 2   # case and spaces
    assert len(pxweb.plan(mapping(labels={"07": "x"}), meta, dims)) == 2  # a code the table lacks: not compared
    plain = [("Kjonn", ["0"], True), ("ContentsCode", ["Personer"], False), ("Tid", ["2022"], False)]
    meta, dims = metadata(plain)
    assert pxweb.plan(mapping(select={}, eliminate=(), measure_dims=(), measures={"Personer": "a"}), meta, dims) \
        == [{"Kjonn": ["0"], "ContentsCode": ["Personer"], "Tid": ["2022"]}]


def test_split_cuts_down_to_single_codes_and_refuses_a_row_too_large():
    assert pxweb.split({"A": list("abc"), "B": list("wxyz")}, limit=2) == [
        {"A": a, "B": [b]} for b in "wxyz" for a in (["a", "b"], ["c"])]
    assert pxweb.split({"A": ["a", "b"]}, limit=1) == [{"A": ["a"]}, {"A": ["b"]}]
    with pytest.raises(ValueError) as e:
        pxweb.split({"A": ["a"], "B": ["x"]}, limit=0)
    assert str(e.value) == "one cell-row of 1 cells exceeds the limit of 0"


def test_retry_after_in_seconds_or_as_a_date_is_bounded():
    from email.utils import formatdate
    import time
    assert pxweb._retry_after("-5", 0) == 0.0 and pxweb._retry_after("0", 2) == 0.0
    assert pxweb._retry_after("12.5", 0) == 12.5
    assert pxweb._retry_after(formatdate(time.time() - 60, usegmt=True), 0) == 0.0
    assert 7.0 <= pxweb._retry_after(formatdate(time.time() + 10, usegmt=True), 0) <= 10.0
    assert pxweb._retry_after(formatdate(time.time() + 3600, usegmt=True), 0) == pxweb.MAX_WAIT
    assert pxweb._retry_after("soon", 1) == 2.0 and pxweb._retry_after(None, 0) == 1.0
    assert pxweb._retry_after("", 7) == 4.0


# ---- the HTTP requests, the whole fetch and the command in-process ---------------------------------------

ONE_YEAR = ("SSB labels status one year after the programme by the year of measurement (November); written as the "
            "cohort year (year − 1) for: ")


class Recording(Opener):
    """The recorded SSB, keeping each request and its timeout; `fail_at` {call number: failure}."""

    def __init__(self, fail_at=None, meta=None):
        super().__init__()
        self.fail_at, self.meta, self.requests, self.timeouts = dict(fail_at or {}), meta, [], []

    def __call__(self, req, timeout):
        self.requests.append(req)
        self.timeouts.append(timeout)
        n = len(self.requests)
        if n in self.fail_at:
            self.failures = [self.fail_at.pop(n)]
        elif self.meta is not None and n == 1:
            self.urls.append(req.full_url)
            return io.BytesIO(self.meta)
        return super().__call__(req, timeout)


def test_the_whole_fetch_names_its_result_and_says_what_it_did():
    result, opener, sleeps = fetch()
    assert result.name == "SSB table 10809" and sleeps == []
    assert result.notes == [
        ONE_YEAR + "employed_and_in_education_count_1y, employed_only_count_1y, former_participants_1y, "
        "in_education_only_count_1y, in_work_or_education_count_1y, other_jobseekers_labour_measures_count_1y, "
        "other_or_unknown_status_count_1y, registered_unemployed_count_1y, unemployed_or_labour_measures_count_1y",
        "no region dimension: the figures are for the whole country (region 0)", "no age dimension: all ages",
        "no country dimension: all countries",
        ONE_YEAR + "employed_and_in_education_1y, employed_only_1y, in_education_only_1y, in_work_or_education_1y, "
        "other_jobseekers_labour_measures_1y, other_or_unknown_status_1y, registered_unemployed_1y, "
        "unemployed_or_labour_measures_1y",
        "SSB updated the table on 2026-02-10: the date of source ssb-statbank-10809 in data/sources.csv should say so"]
    assert result.suggested_source == (
        'ssb-statbank-10809,SSB,"10809: ILLUSTRASJON – tidligere deltakere i introduksjonsprogrammet, status i '
        'november (oppdiktede tall)",2026-02-10,https://www.ssb.no/statbank/table/10809')


def test_the_fetch_asks_a_mirror_for_everything_and_writes_the_mappings_source(monkeypatch):
    real = pxweb.load_mapping
    monkeypatch.setattr(pxweb, "load_mapping", lambda t: pxweb.Mapping(**{**real(t).__dict__, "source": "my-own"}))
    opener = Recording()
    pxweb_result = pxweb.fetch("10809", MEASURES, base="http://mirror.test/", opener=opener, sleep=None)
    assert len(opener.urls) == 3 and all(u.startswith("http://mirror.test/api/pxwebapi/v2/tables/10809/")
                                         for u in opener.urls)
    assert {r["source"] for r in pxweb_result.rows + pxweb_result.status} == {"my-own"}
    assert pxweb_result.notes[-1] == ("SSB updated the table on 2026-02-10: the date of source my-own in "
                                      "data/sources.csv should say so")


def test_each_request_says_what_it_accepts_who_asks_and_how_long_it_waits():
    opener = Recording()
    pxweb.fetch("10809", MEASURES, opener=opener, sleep=None)
    assert {(r.get_header("Accept"), r.get_header("User-agent")) for r in opener.requests} == {
        ("application/json", "introdash-fetch")}
    assert opener.timeouts == [30.0, 30.0, 30.0]


def test_a_data_request_is_retried_too_and_a_503_without_headers_waits_the_backoff():
    failure = urllib.error.HTTPError("u", 503, "Service Unavailable", None, io.BytesIO(b""))
    opener = Recording(fail_at={2: failure, 3: (429, {"Retry-After": "2"})})
    sleeps = []
    result = pxweb.fetch("10809", MEASURES, opener=opener, sleep=sleeps.append)
    assert sleeps == [pxweb.BACKOFF[0], 2.0] and len(opener.requests) == 5 and len(result.rows) == 100


def test_http_failures_are_one_line_word_for_word():
    url = "https://data.ssb.no/api/pxwebapi/v2/tables/10809/metadata?lang=no&outputFormat=json-stat2"
    cases = [((500, {}), f"table 10809: SSB answered HTTP 500 Error for {url}; nothing was written"),
             (urllib.error.URLError("no route"), "table 10809: cannot reach SSB (no route); nothing was written. "
              "Without a network connection, download the table as JSON-stat 2 on ssb.no and run: python -m "
              "dashboard import ssb FILE.json --out NAME.csv"),
             (TimeoutError("timed out"), "table 10809: cannot reach SSB (timed out); nothing was written. "
              "Without a network connection, download the table as JSON-stat 2 on ssb.no and run: python -m "
              "dashboard import ssb FILE.json --out NAME.csv")]
    for failure, message in cases:
        with pytest.raises(DataError) as e:
            fetch(opener=Opener([failure]))
        assert [str(p) for p in e.value.problems] == [message]
    with pytest.raises(DataError) as e:
        fetch(opener=Opener([(503, {})] * 4))
    assert str(e.value) == (f"table 10809: SSB answered HTTP 503 Error after 4 tries for {url}; nothing was written")


def test_metadata_that_is_not_json_or_has_changed_labels_is_refused_by_name():
    with pytest.raises(DataError) as e:
        pxweb.fetch("10809", MEASURES, opener=Recording(meta=b"<html>"), sleep=None)
    assert str(e.value) == "table 10809 (metadata), line 1: this is not valid JSON (Expecting value)"
    meta = recorded("10809_metadata.json")
    meta["dimension"]["ArbStatus"]["category"]["label"]["02"] = "Under utdanning"
    with pytest.raises(DataError) as e:
        pxweb.fetch("10809", MEASURES, opener=Recording(meta=json.dumps(meta).encode()), sleep=None)
    assert str(e.value) == ("table 10809: the mapping (dashboard/importers/tables/10809.json): ArbStatus '02' is "
                            "'Under utdanning' in the table, not 'Sysselsatt'; the codes have changed, correct "
                            "the mapping")


def test_table_numbers_languages_and_urls_word_for_word():
    for table, message in (("1080", "table 1080: an SSB table number has five digits, such as 10809"),
                           ("12345", "table 12345: no mapping for this table (known: 10809); add "
                                     "dashboard/importers/tables/12345.json")):
        with pytest.raises(DataError) as e:
            pxweb.load_mapping(table)
        assert str(e.value) == message
    with pytest.raises(DataError) as e:
        pxweb.fetch("10809", MEASURES, lang="de", opener=Opener())
    assert str(e.value) == "table 10809: --lang must be one of nb, en"
    assert pxweb.known_tables() == ["10809"]
    assert pxweb.table_url("1", "data", [("valueCodes[A]", "a,b*"), ("x", "(y)")], base="http://x.test//") == (
        "http://x.test/api/pxwebapi/v2/tables/1/data?valueCodes[A]=a,b*&x=(y)")


def test_a_mapping_is_read_whole_and_what_it_leaves_out_is_empty(tmp_path, monkeypatch):
    m = pxweb.load_mapping("10809")
    assert (m.table, m.source, m.select, m.eliminate, m.measure_dims, m.path) == (
        "10809", "ssb-statbank-10809", {"Kjonn": ["0", "1", "2"]}, ("Alder",), ("ArbStatus",),
        "dashboard/importers/tables/10809.json")
    assert m.labels["01"] == "Sysselsatt og / eller under utdanning, i alt" and len(m.labels) == 9
    assert len(m.measures) == 17 and m.measures["Personer+00"] == "former_participants_1y"
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "99999.json").write_text('{"table": 99999, "source": "s", "measures": {"A": "ended"}}',
                                                    encoding="utf-8")
    monkeypatch.setattr(pxweb.resources, "files", lambda package: tmp_path)
    assert pxweb.load_mapping("99999") == pxweb.Mapping("99999", "s", {}, (), (), {"A": "ended"},
                                                        "dashboard/importers/tables/99999.json", {})


def fetch_cli(capsys, *args):
    from dashboard.__main__ import main
    code = main(["fetch", "ssb", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_fetch_ssb_in_process_writes_loads_and_summarises(capsys, tmp_path, monkeypatch, recorded_ssb):
    monkeypatch.setenv("INTRODASH_SSB_BASE", recorded_ssb)
    monkeypatch.chdir(tmp_path)
    code, out, err = fetch_cli(capsys, "10809")
    csv, status = Path("data/ssb_10809.csv"), Path("data/ssb_10809.status.csv")
    assert (code, err) == (0, "") and csv.is_file() and status.is_file()
    lines = out.splitlines()
    assert lines[0] == "data/ssb_10809.csv: OK"
    assert lines[1:3] == ["100 rows", "years: 2021–2022"]
    assert lines[-1] == "wrote: data/ssb_10809.csv, data/ssb_10809.status.csv"
    code, out, err = fetch_cli(capsys, "10809", "--out", tmp_path / "en.csv", "--lang", "en")
    assert code == 0 and out.startswith(f"{tmp_path / 'en.csv'}: OK\n")


def test_fetch_ssb_in_process_refusals_are_one_line_on_stderr(capsys, tmp_path, monkeypatch, recorded_ssb):
    monkeypatch.setenv("INTRODASH_SSB_BASE", recorded_ssb)
    assert fetch_cli(capsys, "10809", "--out", tmp_path / "x.txt") == (
        1, "", "table 10809: --out must be a .csv file\n")
    real = pxweb.load_mapping
    monkeypatch.setattr(pxweb, "load_mapping", lambda t: pxweb.Mapping(**{**real(t).__dict__, "source": "nowhere"}))
    assert fetch_cli(capsys, "10809", "--out", tmp_path / "x.csv") == (
        1, "", "table 10809: source nowhere is not in data/sources.csv; add it there\n")

    def odd(*a, **kw):
        raise RuntimeError("odd\nthing")
    monkeypatch.setattr(pxweb, "fetch", odd)
    assert fetch_cli(capsys, "10809", "--out", tmp_path / "x.csv") == (1, "", "fetch failed (RuntimeError: odd thing)\n")
    monkeypatch.setattr(pxweb, "fetch", lambda *a, **kw: pxweb.ImportResult([], name="SSB table 10809"))
    assert fetch_cli(capsys, "10809", "--out", tmp_path / "x.csv") == (
        1, "", "SSB table 10809: nothing to import: no cell with a number was found\n")
    assert list(tmp_path.iterdir()) == []
