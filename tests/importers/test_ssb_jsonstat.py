"""Importers: SSB JSON-stat 2.0 (v1 and v2 shapes, from the made-up example in ssb-jsonstat.md), a
municipality's own CSV/.xlsx, uploads (load_user_file) and the `import` command."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from dashboard.model.dataset import DataError, catalogues, load_dataset
from dashboard.importers import detect, load_user_file, spreadsheet, ssb_jsonstat, validate
from dashboard.importers.common import STATUS_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
FIX = Path(__file__).resolve().parents[1] / "fixtures"
MEASURES, SOURCES = catalogues()
PARTICIPANTS = {"Deltakere": "participants_ssb"}
ONE_YEAR = {"Personer": "in_work_or_education_count_1y", "Prosent": "in_work_or_education_1y"}


def example(name="ssb_v2_example.json") -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def ssb(ds, mapping=PARTICIPANTS, **kw):
    raw = json.dumps(ds).encode() if isinstance(ds, dict) else ds
    return ssb_jsonstat.to_result(raw, "t.json", MEASURES, mapping, **kw)


def cells(result) -> dict:
    return {(r["region"], r["gender"], r["year"]): r["value"] for r in result.rows}


def problems(excinfo) -> str:
    return "\n".join(str(p) for p in excinfo.value.problems)


# ---- SSB JSON-stat --------------------------------------------------------------------------------

EXPECTED = {("0301", "men", 2023): 1111, ("0301", "men", 2024): 1222, ("0301", "women", 2023): 2111,
            ("0301", "women", 2024): 2222, ("4601", "men", 2023): 3111, ("4601", "women", 2023): 4111,
            ("4601", "women", 2024): 4222}


def test_the_v2_example_decodes_row_major_as_documented():
    r = ssb(example())
    assert cells(r) == EXPECTED                       # Tid fastest, then ContentsCode, Kjonn, Region
    assert [(s["region"], s["gender"], s["year"], s["status"]) for s in r.status] == [("4601", "men", 2024, ":")]
    assert all(row["measure"] == "participants_ssb" and row["unit"] == "count" for row in r.rows)
    assert len(validate(r, MEASURES, None)) == 7


def test_the_v1_shape_gives_the_same_rows():
    v1 = example("ssb_v1_example.json")
    assert list(v1)[:6] == ["class", "label", "source", "updated", "role", "version"]   # version after role
    assert "note" not in v1 and "extension" not in v1["dimension"]["Region"]
    r1, r2 = ssb(v1), ssb(example())
    assert r1.rows == r2.rows and r1.status == r2.status


def test_sparse_values_array_index_and_status_as_a_list():
    ds = example()
    ds["value"] = {"0": 1111, "1": 1222, "2": 2111, "3": 2222, "4": 3111, "6": 4111, "7": 4222}
    ds["dimension"]["Region"]["category"]["index"] = ["0301", "4601"]
    ds["status"] = [None, None, None, None, None, ":", None, None]
    r = ssb(ds)
    assert cells(r) == EXPECTED and len(r.status) == 1


def test_a_symbol_is_never_written_as_zero():
    r = ssb_jsonstat.to_result((FIX / "ssb_v2_one_year_after.json").read_bytes(), "f.json", MEASURES, ONE_YEAR)
    symbols = {(s["region"], s["gender"], s["year"], s["measure"]): s["status"] for s in r.status}
    assert symbols[("46", "women", 2023, "in_work_or_education_count_1y")] == "-"
    assert symbols[("3024", "women", 2022, "in_work_or_education_1y")] == ".."
    written = {(x["region"], x["gender"], x["year"], x["measure"]) for x in r.rows}
    assert not set(symbols) & written
    assert all(s["meaning"] for s in r.status)


def test_one_year_after_is_written_by_cohort_year_and_bærum_by_the_code_then_in_use():
    r = ssb_jsonstat.to_result((FIX / "ssb_v2_one_year_after.json").read_bytes(), "f.json", MEASURES, ONE_YEAR)
    years = {x["year"] for x in r.rows}
    assert years == {2022, 2023}                        # SSB's 2023 and 2024 columns
    regions = {x["region"] for x in r.rows}
    assert regions == {"0", "3024", "46"}               # K-3201 (today's code) -> 3024 in 2022–2023
    by = {(x["region"], x["gender"], x["year"], x["measure"]): x["value"] for x in r.rows}
    assert by[("0", "all", 2022, "in_work_or_education_count_1y")] == 2000
    assert by[("0", "men", 2023, "in_work_or_education_1y")] == 74
    assert any("cohort year" in n for n in r.notes) and any("3201" in n and "3024" in n for n in r.notes)


def test_a_later_code_for_a_renumbered_region_is_written_with_the_code_of_its_year():
    ds = example()
    ds["dimension"]["Region"]["category"]["index"] = {"0301": 0, "3207": 1}     # Nordre Follo, 2024 code
    r = ssb(ds)
    assert {(x["region"], x["year"]) for x in r.rows if x["region"] != "0301"} == {("3020", 2023), ("3207", 2024)}


def test_an_eliminated_region_is_the_whole_country():
    ds = example()
    i = ds["id"].index("Region")
    ds["id"].pop(i), ds["size"].pop(i), ds["dimension"].pop("Region")
    ds["value"], ds["status"] = [1, 2, 3, 4], {}
    r = ssb(ds)
    assert {x["region"] for x in r.rows} == {"0"} and len(r.rows) == 4


@pytest.mark.parametrize("change, message", [
    (lambda d: d["size"].__setitem__(0, 3), "size"),
    (lambda d: d.__setitem__("value", []), "metadata"),
    (lambda d: d["dimension"]["Tid"]["category"].__setitem__("index", {"2023K1": 0, "2024K1": 1}), "not a year"),
    (lambda d: d["dimension"]["Kjonn"]["category"]["label"].__setitem__("1", "Kvinner"), "sex code '1'"),
    (lambda d: (d["dimension"]["Region"]["category"].__setitem__("index", {"0301": 0, "3207": 1}),
                d["dimension"]["Tid"]["category"].__setitem__("index", {"2016": 0, "2017": 1})),
     "formed from Ski (0213), Oppegård (0217)"),
    (lambda d: d.__setitem__("class", "collection"), "collection"),
    (lambda d: d["value"].__setitem__(0, "many"), "not a number"),
])
def test_what_cannot_be_mapped_is_refused_with_a_message(change, message):
    ds = example()
    change(ds)
    with pytest.raises(DataError) as e:
        ssb(ds)
    assert message in problems(e)


def test_unmapped_or_mismapped_contents_are_refused():
    with pytest.raises(DataError) as e:
        ssb(example(), mapping={})
    assert "--measure Deltakere=" in problems(e)
    with pytest.raises(DataError) as e:
        ssb(example(), mapping={"Deltakere": "no_such_measure"})
    assert "not a measure" in problems(e)
    with pytest.raises(DataError) as e:
        ssb(example(), mapping={"Deltakere": "to_work"})      # personer into a percent measure
    assert "personer" in problems(e) and "percent" in problems(e)


def test_an_extra_dimension_needs_one_category_or_measure_dims():
    ds = example()
    ds["id"].insert(2, "Status")
    ds["size"].insert(2, 2)
    ds["dimension"]["Status"] = {"label": "status", "category": {"index": {"01": 0, "02": 1},
                                                                  "label": {"01": "A", "02": "B"}}}
    ds["value"] = list(range(16))
    ds["status"] = {}
    with pytest.raises(DataError) as e:
        ssb(ds)
    assert "'Status'" in problems(e) and "--measure-dim" in problems(e)
    r = ssb(ds, mapping={"Deltakere+01": "participants_ssb", "Deltakere+02": "participants"},
            measure_dims=("Status",))
    assert {x["measure"] for x in r.rows} == {"participants_ssb", "participants"}


def test_json_stat_1_and_broken_json_are_refused_plainly():
    with pytest.raises(DataError) as e:
        ssb(b'{"dataset": {"dimension": {}}}')
    assert "JSON-stat 1" in problems(e)
    with pytest.raises(DataError) as e:
        ssb(b'{"version": "2.0",\n "class": }')
    assert "line 2" in problems(e)


def test_fetch_without_network_is_a_plain_message():
    # A closed port on this machine: the same error as no network, and nothing leaves the host.
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("10809", base="http://127.0.0.1:9/api", timeout=5)
    assert "cannot reach SSB" in problems(e)
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("abc")
    assert "five digits" in problems(e)


# ---- a municipality's spreadsheet -----------------------------------------------------------------

def sheet(raw, name="k.csv", source="ssb-statbank-2019"):
    return spreadsheet.to_result(raw, name, MEASURES, source)


def test_the_csv_export_with_bom_semicolons_and_decimal_commas():
    r = sheet((FIX / "kommune_eksport.csv").read_bytes())
    v = {(x["region"], x["year"], x["measure"]): x["value"] for x in r.rows}
    assert v[("0301", 2022, "ended")] == 1204 and v[("0301", 2023, "to_work")] == 41.0
    assert v[("0301", 2022, "to_education")] == 20.8 and v[("3024", 2023, "to_work_count")] == 66
    assert ("1103", 2023, "to_work_count") not in v         # an empty cell is no figure, not 0
    assert {(s["region"], s["measure"], s["status"]) for s in r.status} == {
        ("4601", "to_education_count", ":"), ("4601", "to_education", ":")}
    frame = validate(r, MEASURES, SOURCES)
    assert len(frame) == len(r.rows) == 21


def test_unknown_headers_are_refused_by_name():
    raw = "Kommunenummer;År;Avsluttet;Antall katter;Andel arbeid (%)\n0301;2023;5;1;20\n".encode()
    with pytest.raises(DataError) as e:
        sheet(raw)
    assert "'Antall katter'" in problems(e) and "line 1" in problems(e)


def test_row_problems_name_the_line_and_column():
    raw = ("Kommunenummer;Kommune;År;Avsluttet\n0301;Oslo;2023;10\n4601;Oslo;2023;12\n0219;Bærum;2023;4\n"
           "1103;Stavanger;2023;mange\n").encode()
    with pytest.raises(DataError) as e:
        sheet(raw)
    text = problems(e)
    assert "line 3, column 'Kommune': 4601 is Bergen in 2023, not 'Oslo'" in text
    assert "line 4, column 'Kommunenummer'" in text and "not a municipality number in use in 2023" in text
    assert "line 5, column 'Avsluttet': 'mange' is not a number" in text


def test_the_loaders_rules_apply_at_the_users_line():
    raw = "Kommunenummer;År;Avsluttet;Andel arbeid (%)\n0301;2023;10;20\n4601;2023;12,5;140\n".encode()
    r = sheet(raw)
    with pytest.raises(DataError) as e:
        validate(r, MEASURES, SOURCES)
    text = problems(e)
    assert "line 3, column 'value': 12.5 is not a whole number" in text
    assert "line 3, column 'value': 140 is outside 0–100" in text


def test_a_source_is_required():
    raw = "Kommunenummer;År;Avsluttet\n0301;2023;10\n".encode()
    with pytest.raises(DataError) as e:
        spreadsheet.to_result(raw, "k.csv", MEASURES, None)
    assert "Kilde" in problems(e)
    r = spreadsheet.to_result("Kommunenummer;År;Avsluttet;Kilde\n0301;2023;10;imdi-nokkeltall-2023\n".encode(),
                              "k.csv", MEASURES, None)
    assert r.rows[0]["source"] == "imdi-nokkeltall-2023"


def test_windows_1252_is_read_and_said():
    raw = "Kommunenummer;Kommune;År;Avsluttet\n3024;Bærum;2023;10\n".encode("cp1252")
    r = sheet(raw)
    assert r.rows[0]["region"] == "3024" and any("Windows-1252" in n for n in r.notes)


def make_xlsx(formula=False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ark1"
    ws.append(["Introduksjonsprogrammet – resultater"])          # a title above the header
    ws.append([])
    ws.append(["Kommunenummer", "Kommune", "År", "Kjønn", "Avsluttet", "Gikk til arbeid", "Andel arbeid (%)"])
    ws.append([301, "Oslo", 2023, "Alle", 2310, 946, 0.41])
    ws.append([301, "Oslo", 2023, "Kvinner", 1300, 400, ":"])
    ws.append([4601, "Bergen", 2023, "Alle", 812, 333, None])
    for row in ws.iter_rows(min_row=4, min_col=7, max_col=7):
        row[0].number_format = "0%"
    if formula:
        ws["F6"] = "=E6/2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_a_title_row_numbers_and_percent_cells():
    r = sheet(make_xlsx(), "k.xlsx")
    v = {(x["region"], x["gender"], x["measure"]): x["value"] for x in r.rows}
    assert v[("0301", "all", "ended")] == 2310 and v[("0301", "women", "to_work_count")] == 400
    assert v[("0301", "all", "to_work")] == pytest.approx(41.0)    # stored as 0.41 with a % format
    assert ("4601", "all", "to_work") not in v
    assert [(s["gender"], s["status"]) for s in r.status] == [("women", ":")]
    assert any("leading zero" in n for n in r.notes)
    assert r.name == "k.xlsx (sheet 'Ark1')"
    validate(r, MEASURES, SOURCES)


def test_xlsx_formula_without_a_saved_result_is_refused():
    with pytest.raises(DataError) as e:
        sheet(make_xlsx(formula=True), "k.xlsx")
    assert problems(e) == ("k.xlsx (sheet 'Ark1'), line 6: cell F6 holds a formula with no saved result; open the file "
                           "in Excel and save it, or paste the values")


# ---- uploads ---------------------------------------------------------------------------------------

def test_detect_tells_the_formats_apart():
    assert detect(b"year,region,group,gender,education,age,country,measure,value,unit,approx,source\n", "a.csv") == "tidy"
    assert detect((FIX / "kommune_eksport.csv").read_bytes(), "a.csv") == "spreadsheet"
    assert detect(make_xlsx(), "a.xlsx") == "xlsx"
    assert detect((FIX / "ssb_v2_example.json").read_bytes(), "t.json") == "jsonstat"
    with pytest.raises(DataError):
        detect(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls")


def test_load_user_file_for_each_format():
    base = load_dataset()
    tidy = (b"year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
            b"2023,0301,all,all,all,all,all,ended,120,count,false,my-own\n")
    ds = load_user_file(tidy, "mine.csv", base)
    assert ds.origin == "user" and len(ds.cells) == 1
    ds = load_user_file((FIX / "kommune_eksport.csv").read_bytes(), "kommune.csv", base)
    assert ds.origin == "user" and len(ds.cells) == 21 and set(ds.cells["source"]) == {"user-upload"}
    assert list(ds.status_cells.columns) == list(STATUS_COLUMNS) and len(ds.status_cells) == 2
    ds = load_user_file(make_xlsx(), "kommune.xlsx", base)
    assert len(ds.cells) == 7
    js = example()
    js["dimension"]["ContentsCode"]["category"]["index"] = {"participants_ssb": 0}   # a code that is a measure id
    js["dimension"]["ContentsCode"]["category"]["unit"] = {"participants_ssb": {"base": "personer"}}
    ds = load_user_file(json.dumps(js).encode(), "t.json", base)
    assert len(ds.cells) == 7 and ds.status_cells["status"].tolist() == [":"]


def test_load_user_file_refuses_with_line_numbers():
    base = load_dataset()
    with pytest.raises(DataError) as e:
        load_user_file("Kommunenummer;År;Avsluttet\n0301;2023;10\n0301;2023;x\n".encode(), "k.csv", base)
    assert "line 3" in problems(e)
    with pytest.raises(DataError) as e:
        load_user_file((FIX / "ssb_v2_example.json").read_bytes(), "t.json", base)
    assert "--measure" in problems(e)
    with pytest.raises(DataError) as e:
        load_user_file(b"x" * 2000, "big.csv", base, max_bytes=1000)
    assert "limit" in problems(e)


# ---- the command ------------------------------------------------------------------------------------

def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **(env or {})})


def test_import_ssb_writes_a_file_check_accepts_and_the_symbols_beside_it(tmp_path):
    out = tmp_path / "ssb_status.csv"
    r = run("import", "ssb", str(FIX / "ssb_v2_one_year_after.json"), "--measure", "Personer=in_work_or_education_count_1y",
            "--measure", "Prosent=in_work_or_education_1y", "--source", "ssb-statbank-2019", "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "32 rows" in r.stdout and "cohort year" in r.stdout and "'-' 1" in r.stdout
    side = tmp_path / "ssb_status.status.csv"
    lines = side.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(STATUS_COLUMNS) and len(lines) == 5
    c = run("check", str(out))
    assert c.returncode == 0 and "32 rows" in c.stdout


def test_import_refuses_an_unknown_source_and_suggests_the_line(tmp_path):
    r = run("import", "ssb", str(FIX / "ssb_v2_example.json"), "--measure", "Deltakere=participants_ssb",
            "--out", str(tmp_path / "x.csv"))
    assert r.returncode == 1 and "ssb-statbank-99999,SSB," in r.stdout
    assert not (tmp_path / "x.csv").exists() and "Traceback" not in r.stdout + r.stderr


def test_import_spreadsheet_and_plain_failures(tmp_path):
    out = tmp_path / "k.csv"
    r = run("import", "spreadsheet", str(FIX / "kommune_eksport.csv"), "--source", "ssb-statbank-2019", "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert run("check", str(out)).returncode == 0
    for args in (("import", "spreadsheet", str(tmp_path / "nope.csv"), "--out", str(out)),
                 ("import", "ssb", "--out", str(out)),
                 ("import", "ssb", str(FIX / "ssb_v2_example.json"), "--out", str(tmp_path / "x.txt"))):
        r = run(*args)
        assert r.returncode == 1 and r.stdout.strip() and "Traceback" not in r.stdout + r.stderr


def test_import_fetch_without_network_fails_plainly(tmp_path):
    r = run("import", "ssb", "--fetch", "10809", "--out", str(tmp_path / "x.csv"),
            env={"INTRODASH_SSB_API": "http://127.0.0.1:9/api"})
    assert r.returncode == 1 and "cannot reach SSB" in r.stdout and "Traceback" not in r.stdout + r.stderr


# ---- import ssb --fetch: the two requests, against a local stand-in for SSB ------------------------------

import http.server  # noqa: E402
import threading  # noqa: E402


class _SSB(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("Accept"), self.headers.get("User-Agent")))
        ds = example()
        if "/metadata?" in self.path:
            ds["value"], ds["status"] = [], {}
        if "/tables/10809/" not in self.path and "/tables/10808/" not in self.path:
            self.send_error(404, "Not Found")
            return
        body = json.dumps(ds).encode("utf-8") if "/10809/" in self.path else b"<html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture
def local_ssb():
    _SSB.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SSB)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    server.shutdown()


def test_fetch_asks_for_the_metadata_then_every_code_of_every_dimension(local_ssb):
    raw = ssb_jsonstat.fetch("10809", base=local_ssb)
    assert json.loads(raw) == example()
    dims = example()["id"]
    data = "&".join(f"valueCodes%5B{d}%5D=%2A" for d in dims)
    assert _SSB.seen == [("/api/tables/10809/metadata?lang=no&outputFormat=json-stat2", "application/json",
                          "introdash-import"),
                         (f"/api/tables/10809/data?lang=no&outputFormat=json-stat2&{data}", "application/json",
                          "introdash-import")]


def test_fetch_reads_the_api_from_the_setting(local_ssb, monkeypatch):
    monkeypatch.setenv("INTRODASH_SSB_API", local_ssb.rstrip("/"))
    assert json.loads(ssb_jsonstat.fetch("10809")) == example()


def test_fetch_failures_word_for_word(local_ssb):
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("12345", base=local_ssb)
    assert problems(e) == (f"table 12345: SSB answered 404 Not Found for {local_ssb.rstrip('/')}/tables/12345/"
                           "metadata?lang=no&outputFormat=json-stat2")
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("10809", base="http://127.0.0.1:9/api", timeout=5)
    assert problems(e) == ("table 10809: cannot reach SSB ([Errno 111] Connection refused). Without a network "
                           "connection, download the table as JSON-stat 2 on ssb.no and run: python -m dashboard "
                           "import ssb FILE.json --out NAME.csv")
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("10808", base=local_ssb)
    assert problems(e) == "table 10808 (metadata), line 1: this is not valid JSON (Expecting value)"
    with pytest.raises(DataError) as e:
        ssb_jsonstat.fetch("1080")
    assert problems(e) == "table 1080: an SSB table number has five digits, such as 10809"


# ---- every refusal and every note word for word ---------------------------------------------------------

def _rename(d, old, new, label=None, role=True):
    i = d["id"].index(old)
    d["id"][i] = new
    d["dimension"][new] = d["dimension"].pop(old)
    if label:
        d["dimension"][new]["label"] = label
    for k, v in list(d.get("role", {}).items()):
        d["role"][k] = [new if x == old else x for x in v]
    if not role:
        d["role"] = {k: v for k, v in d["role"].items() if new not in v}


def _region_codes(*codes):
    return lambda d: d["dimension"]["Region"]["category"].__setitem__("index", {c: i for i, c in enumerate(codes)})


@pytest.mark.parametrize("change, message", [
    (lambda d: d.__setitem__("value", "5"), "t.json: cell 0 holds '5', not a number"),
    (lambda d: d.__setitem__("value", {"a": 1}), "t.json: `value` has the key 'a'; expected a cell position"),
    (lambda d: d.__setitem__("value", {"8": 1}), "t.json: `value` names cell 8, but the table has 8 cells"),
    (lambda d: d.__setitem__("value", {"-1": 1}), "t.json: `value` names cell -1, but the table has 8 cells"),
    (lambda d: d.__setitem__("value", [1, 2, 3]), "t.json: `value` has 3 entries, but `size` makes 8 cells"),
    (lambda d: d.__setitem__("value", [1]), "t.json: `value` has 1 entries, but `size` makes 8 cells"),
    (lambda d: d.__setitem__("value", 5), "t.json: `value` is neither a list nor an object"),
    (lambda d: d.__setitem__("status", {"x": ":"}), "t.json: `status` has the key 'x'; expected a cell position"),
    (lambda d: (d.pop("role"), _rename(d, "Tid", "Periode", "periode")),
     "t.json: no time dimension (role.time or `Tid`) was found"),
    (lambda d: (d.pop("role"), _rename(d, "ContentsCode", "Innhold", "innhold")),
     "t.json: no contents dimension (role.metric or `ContentsCode`) was found"),
    (lambda d: d["dimension"]["Tid"]["category"].__setitem__("index", {"2023K1": 0, "2024K1": 1}),
     "t.json, column 'Tid': time '2023K1' is not a year; only yearly tables can be imported"),
    (_region_codes("0301", "X1"),
     "t.json, column 'Region': region 'X1' is not a code for Norway, a county or a municipality"),
    (_region_codes("0301", "9998"), "t.json, column 'Region': region 9998 is not a code in use in 2023"),
    (_region_codes("0301", "K-9999"), "t.json, column 'Region': region '9999' (K-9999) is not a place in Norway's "
                                      "structure; leave it out when downloading"),
    (lambda d: (_region_codes("0301", "3207")(d),
                d["dimension"]["Tid"]["category"].__setitem__("index", {"2016": 0, "2017": 1})),
     "t.json, column 'Region': region 3207 (Nordre Follo) did not exist in 2016: it was formed from Ski (0213), "
     "Oppegård (0217); a figure for it cannot be written in 2016's structure. Download the table without years "
     "before 2024, or with the old regions"),
    (lambda d: d["value"].__setitem__(0, True), "t.json: cell 0 holds True, not a number"),
    (lambda d: d["dimension"]["ContentsCode"]["category"]["unit"]["Deltakere"].__setitem__("base", "Prosent"),
     "t.json, column 'ContentsCode': ContentsCode 'Deltakere' is in Prosent but participants_ssb is measured in count"),
    (lambda d: d["dimension"]["Kjonn"]["category"]["label"].__setitem__("1", "Kvinner"),
     "t.json, column 'Kjonn': sex code '1' (Kvinner) cannot be mapped: expected 0 both sexes, 1 men, 2 women"),
    (lambda d: d.__setitem__("value", []),
     "t.json: the file holds the table's metadata only (`value` is empty); download the data"),
])
def test_each_refusal_word_for_word(change, message):
    ds = example()
    change(ds)
    with pytest.raises(DataError) as e:
        ssb(ds)
    assert problems(e) == message


@pytest.mark.parametrize("mapping, message", [
    ({}, "t.json, column 'ContentsCode': ContentsCode 'Deltakere' (Deltakere i introduksjonsprogrammet) has no "
         "measure: pass --measure Deltakere=MEASURE with an id from data/measures.csv"),
    ({"Deltakere": "no_such"}, "t.json, column 'ContentsCode': --measure Deltakere=no_such: 'no_such' is not a "
                               "measure in data/measures.csv"),
    ({"Deltakere": "to_work"}, "t.json, column 'ContentsCode': ContentsCode 'Deltakere' is in personer but to_work "
                               "is measured in percent"),
])
def test_each_refusal_of_the_mapping_word_for_word(mapping, message):
    with pytest.raises(DataError) as e:
        ssb(example(), mapping=mapping)
    assert problems(e) == message


def _with_status_dimension(categories):
    ds = example()
    ds["id"].insert(2, "Status")
    ds["size"].insert(2, len(categories))
    ds["dimension"]["Status"] = {"label": "arbeidsstatus", "category": {
        "index": {c: i for i, c in enumerate(categories)}, "label": {c: f"status {c}" for c in categories}}}
    ds["value"] = list(range(1, 8 * len(categories) + 1))
    ds["status"] = {}
    return ds


def test_extra_dimensions_word_for_word():
    with pytest.raises(DataError) as e:
        ssb(_with_status_dimension(["01", "02"]))
    assert problems(e) == ("t.json, column 'Status': dimension 'Status' (arbeidsstatus) has 2 categories and no place "
                           "in the tidy format; select one category when downloading, or name it with --measure-dim "
                           "so its codes choose the measure")
    r = ssb(_with_status_dimension(["02"]))
    assert "dimension Status (arbeidsstatus) has one category: status 02" in r.notes
    with pytest.raises(DataError) as e:
        ssb(_with_status_dimension(["01", "02"]), mapping={"Deltakere+01": "participants_ssb"}, measure_dims=("Status",))
    assert problems(e) == ("t.json, column 'ContentsCode': ContentsCode 'Deltakere+02' (Deltakere i "
                           "introduksjonsprogrammet / status 02) has no measure: pass --measure Deltakere+02=MEASURE "
                           "with an id from data/measures.csv")


def test_a_contents_code_that_is_a_measure_id_and_units_by_their_words():
    for base, measure in (("personer", "participants_ssb"), ("Antall", "participants_ssb"), ("number", "participants"),
                          ("deltakere", "participants"), ("prosent", "to_work"), ("per cent", "to_work"),
                          ("percent", "to_work"), ("%", "to_work"), ("kroner", "participants")):
        ds = example()
        ds["dimension"]["ContentsCode"]["category"]["unit"] = {"Deltakere": {"base": base}}
        assert {x["unit"] for x in ssb(ds, mapping={"Deltakere": measure}).rows} == {MEASURES[measure].unit}
    ds = example()
    ds["dimension"]["ContentsCode"]["category"] = {"index": {"participants_ssb": 0}}
    assert {x["measure"] for x in ssb(ds, mapping={}).rows} == {"participants_ssb"}


def test_dimensions_are_found_by_role_then_by_id_then_by_label():
    want = cells(ssb(example()))
    for change in (lambda d: _rename(d, "Tid", "Periode", "periode"),                 # by role
                   lambda d: _rename(d, "ContentsCode", "Innhold", "innhold"),
                   lambda d: _rename(d, "Region", "Sted", "sted"),
                   lambda d: d.pop("role"),                                           # by id
                   lambda d: _rename(d, "Tid", "Aarstall", "år", role=False),         # by label
                   lambda d: _rename(d, "ContentsCode", "Innhold", "Statistikkvariabel", role=False),
                   lambda d: _rename(d, "ContentsCode", "Innhold", "contents", role=False),
                   lambda d: _rename(d, "Region", "Sted", "region", role=False),
                   lambda d: _rename(d, "Kjonn", "Sex", "sex")):
        ds = example()
        change(ds)
        assert cells(ssb(ds)) == want
    ds = example()
    ds["role"] = {"time": ["Tid"], "metric": ["ContentsCode"], "geo": []}
    _rename(ds, "Region", "Sted", "sted")
    with pytest.raises(DataError) as e:
        ssb(ds)
    assert problems(e).startswith("t.json, column 'Sted': dimension 'Sted' (sted) has 2 categories")
    assert ssb_jsonstat._role({"role": None}, "time") is None and ssb_jsonstat._role({}, "time") is None
    assert ssb_jsonstat._role({"role": {"time": ["A", "B"]}}, "time") == "A"


def test_the_notes_of_an_import_word_for_word():
    assert ssb(example()).notes == ["no age dimension: all ages", "no country dimension: all countries"]
    ds = example()
    ds["id"].insert(2, "Alder")
    ds["size"].insert(2, 1)
    ds["dimension"]["Alder"] = {"label": "alder", "category": {"index": {"18-25": 0}, "label": {"18-25": "18-25 år"}}}
    r = ssb(ds)
    assert r.notes == ["no country dimension: all countries"] and {x["age"] for x in r.rows} == {"18-25"}
    r = ssb_jsonstat.to_result((FIX / "ssb_v2_one_year_after.json").read_bytes(), "f.json", MEASURES, ONE_YEAR)
    assert r.name == "f.json" and r.notes == [
        "SSB labels status one year after the programme by the year of measurement (November); written as the cohort "
        "year (year − 1) for: in_work_or_education_1y, in_work_or_education_count_1y",
        "no age dimension: all ages", "no country dimension: all countries",
        "SSB gives Bærum as 3201 also for earlier years (today's structure); written with the code in use then: "
        "3024 in 2022–2023"]
    ds = example()
    _region_codes("0301", "3201")(ds)
    ds["dimension"]["Tid"]["category"]["index"] = {"2019": 0, "2023": 1}
    assert ssb(ds).notes[-1] == ("SSB gives Bærum as 3201 also for earlier years (today's structure); written with the "
                                 "code in use then: 0219 in 2019, 3024 in 2023")


def test_cells_without_a_number_symbols_beside_numbers_and_places_that_are_not_places():
    ds = example()
    ds["status"] = {"0": ":", "5": ".."}
    r = ssb(ds)
    assert r.notes[-1] == "cell 0 has the symbol ':' next to the number 1111; the number is written"
    assert all(x["approx"] is False and x["source"] == "ssb-statbank-99999" for x in r.rows) and len(r.rows) == 7
    ds = example()
    ds["value"] = [None, 1222, 2111, 2222, 3111, None, 4111, 4222]
    ds["status"] = {}
    assert len(ssb(ds).rows) == 6 and ssb(ds).status == []          # a cell with neither is no cell
    ds["status"] = [":"]                                             # one symbol for every cell
    r = ssb(ds)
    assert len(r.rows) == 6 and [(s["region"], s["gender"], s["year"]) for s in r.status] == [
        ("0301", "men", 2023), ("4601", "men", 2024)]
    ds["status"] = ".."
    assert [s["status"] for s in ssb(ds).status] == ["..", ".."]
    ds["value"] = None
    assert len(ssb(ds).status) == 8 and ssb(ds).rows == []
    ds = example()
    _region_codes("0301", "9999", "K-9999")(ds)
    ds["size"][0] = 3
    ds["value"] = [1111, 1222, 2111, 2222] + [None] * 8
    ds["status"] = {str(i): "." for i in range(4, 12)}
    r = ssb(ds)
    assert len(r.rows) == 4 and r.notes[-1] == ("8 empty cells for codes that are not places (such as 9999 Uoppgitt) "
                                                "left out")
    for codes, region in ((("0", "0301"), "0"), (("00", "0301"), "0"), (("0000", "0301"), "0"), (("K-0301", "F-46"), "46")):
        ds = example()
        _region_codes(*codes)(ds)
        assert region in {x["region"] for x in ssb(ds).rows}


def test_the_table_number_names_the_source_and_the_suggested_line():
    r = ssb(example(), mapping=PARTICIPANTS)
    assert r.suggested_source == ('ssb-statbank-99999,SSB,"99999: ILLUSTRASJON – deltakere i introduksjonsprogrammet, '
                                  'etter region, kjønn, statistikkvariabel og år (oppdiktede tall)",2025-06-19,'
                                  "https://www.ssb.no/statbank/table/99999")
    ds = example()
    del ds["extension"]
    ds["label"] = ' 12345 : "Tabell" med sitat'
    r = ssb(ds)
    assert {x["source"] for x in r.rows} == {"ssb-statbank-12345"}
    assert r.suggested_source == ('ssb-statbank-12345,SSB," 12345 : Tabell med sitat",2025-06-19,'
                                  "https://www.ssb.no/statbank/table/12345")
    ds["label"] = "Tabell uten nummer"
    r = ssb(ds)
    assert {x["source"] for x in r.rows} == {"ssb-statbank"} and r.suggested_source == ""
    assert {x["source"] for x in ssb(ds, source="mine").rows} == {"mine"}
    with pytest.raises(DataError) as e:
        ssb_jsonstat.to_result(b"[1]", "mine.json", MEASURES)
    assert problems(e) == "mine.json: expected a JSON-stat dataset (an object), not a list or a value"


# ---- parse: the JSON-stat document itself ---------------------------------------------------------------

from dashboard.model.dataset import MAX_JSON_DEPTH  # noqa: E402


def _parse_refusal(raw) -> str:
    with pytest.raises(DataError) as e:
        ssb_jsonstat.parse(raw.encode() if isinstance(raw, str) else raw)
    return problems(e)


@pytest.mark.parametrize("raw, message", [
    (b"\xff{}", "the file is not UTF-8 text; SSB's JSON is UTF-8"),
    ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
     "the JSON nests deeper than 32 levels; a JSON-stat table nests about 5"),
    ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, "expected a JSON-stat dataset (an object), not a list or a value"),
    ('{\n"a": }', None),
    ("{}", "a JSON-stat dataset needs `id`, `size` and `dimension`; one is missing"),
    ('{"dataset": {}}', "this is JSON-stat 1.x (SSB's old 'json-stat' format); download the table as JSON-stat 2 "
                        "(json-stat2)"),
    ('{"class": "collection"}', "this is a JSON-stat 'collection', not a dataset; download one table"),
    ('{"version": "1.0"}', "JSON-stat version '1.0'; expected 2.0 (json-stat2)"),
    ('{"id": "A", "size": [1], "dimension": {}}', "a JSON-stat dataset needs `id`, `size` and `dimension`; one is missing"),
    ('{"id": ["A"], "size": 1, "dimension": {}}', "a JSON-stat dataset needs `id`, `size` and `dimension`; one is missing"),
    ('{"id": ["A"], "size": [1], "dimension": []}', "a JSON-stat dataset needs `id`, `size` and `dimension`; one is missing"),
    ('{"id": ["A", "B"], "size": [1], "dimension": {}}', "`id` names 2 dimensions but `size` gives 1"),
    ('{"id": ["A"], "size": [-1], "dimension": {}}', "`size` must list whole numbers of categories"),
    ('{"id": ["A"], "size": [true], "dimension": {}}', "`size` must list whole numbers of categories"),
    ('{"id": ["A"], "size": [1.0], "dimension": {}}', "`size` must list whole numbers of categories"),
    ('{"id": ["A"], "size": [1], "dimension": {"A": null}}', "dimension 'A' is in `id` but has no `category`"),
    ('{"id": ["A"], "size": [1], "dimension": {"A": {}}}', "dimension 'A' is in `id` but has no `category`"),
    ('{"id": [], "size": [], "dimension": {}, "value": [5]}', "`value` has 1 entries, but `size` makes 0 cells"),
])
def test_parse_refuses_word_for_word(raw, message):
    if message is None:
        assert _parse_refusal(raw) == "table.json, line 2: this is not valid JSON (Expecting value)"
    else:
        assert _parse_refusal(raw) == f"table.json: {message}"


def test_parse_reads_what_it_may_leave_out():
    ds = example()
    for key in ("class", "version"):
        ds.pop(key)
    ds["dimension"]["Kjonn"].pop("label")
    ds["dimension"]["Tid"]["category"] = {"label": {"2023": "2023", "2024": "2024"}}   # no index: the labels' order
    meta, dims, values, status = ssb_jsonstat.parse(json.dumps(ds).encode("utf-8-sig"))
    assert [(d.id, d.label, d.codes) for d in dims] == [("Region", "region", ["0301", "4601"]),
                                                        ("Kjonn", "Kjonn", ["1", "2"]),
                                                        ("ContentsCode", "statistikkvariabel", ["Deltakere"]),
                                                        ("Tid", "år", ["2023", "2024"])]
    assert dims[0].labels == {"0301": "Oslo", "4601": "Bergen"} and dims[1].label_of("3") == "3"
    assert dims[2].units == {"Deltakere": {"base": "personer", "decimals": 0}} and dims[3].units == {}
    assert values == example()["value"] and status == [None] * 5 + [":", None, None]
    ds["id"], ds["size"] = ["Region", "Kjonn", "ContentsCode", "Tid", "Tom"], [2, 2, 1, 2, 0]
    ds["dimension"]["Tom"] = {"category": {}}
    ds["value"] = []
    meta, dims, values, status = ssb_jsonstat.parse(ds)
    assert dims[-1].codes == [] and values == [] and status == []


def test_parse_holds_the_number_of_cells_to_the_setting(monkeypatch):
    monkeypatch.setenv("INTRODASH_MAX_JSONSTAT_CELLS", "8")
    assert len(ssb_jsonstat.parse(example())[2]) == 8
    monkeypatch.setenv("INTRODASH_MAX_JSONSTAT_CELLS", "1000")
    big = {"id": ["A", "B", "C", "D"], "size": [10, 10, 10, 2], "dimension": {}}
    with pytest.raises(DataError) as e:
        ssb_jsonstat.parse(big, "big.json")
    assert problems(e) == ("big.json: `size` declares 2 000 cells; the limit is 1 000 (setting max_jsonstat_cells); "
                           "download a smaller selection")


def test_a_nul_beyond_the_first_4096_bytes_is_no_sign_of_a_binary_file():
    raw = b"Kommunenummer;Aar;Avsluttet\n" + b" " * (4096 - 28) + b"\x00\n"
    with pytest.raises(DataError) as e:
        sheet(raw)
    assert problems(e) == "k.csv, line 2, column 'Aar': '' is not a year"
    notes = []
    assert spreadsheet._decode(b"Kommunenummer;\xc5r\n", "k.csv", notes) == "Kommunenummer;År\n"
    assert notes == ["the file is not UTF-8; it was read as Windows-1252 (Excel's plain CSV). Check æ, ø and å in "
                     "the names, or save as 'CSV UTF-8'"]
