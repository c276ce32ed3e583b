"""`python -m dashboard import ssb|spreadsheet`: a validated CSV written whole, or a plain refusal and status 1."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.importers import cli, spreadsheet, ssb_jsonstat
from dashboard.importers.common import STATUS_COLUMNS
from dashboard.model.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
SOURCE = "ssb-statbank-2019"
SHEET = "Kommunenummer;Kommune;År;Avsluttet;Gikk til arbeid;Andel arbeid (%)\n0301;Oslo;2023;2 310;946;41,0\n"


def run(capsys, *args) -> tuple[int, str]:
    code = main(["import", *map(str, args)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


@pytest.fixture
def kommune(tmp_path) -> Path:
    p = tmp_path / "kommune.csv"
    p.write_text(SHEET, encoding="utf-8")
    return p


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_spreadsheet_is_written_loaded_and_summarised(capsys, kommune, tmp_path):
    out = tmp_path / "out" / "k.csv"
    code, text = run(capsys, "spreadsheet", kommune, "--source", SOURCE, "--out", out)
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == f"{out}: OK" and lines[1] == "3 rows" and lines[-1] == f"wrote: {out}"
    assert "measures: ended, to_work, to_work_count" in text
    ds = load_dataset(out)
    assert {str(m): float(v) for m, v in zip(ds.cells["measure"], ds.cells["value"])} == {
        "ended": 2310, "to_work_count": 946, "to_work": 41}
    assert listing(out.parent) == ["k.csv"]                   # no temporary file is left behind


def test_symbols_go_to_the_status_file_and_a_stale_one_is_removed(capsys, tmp_path):
    src = tmp_path / "k.csv"
    src.write_text("Kommunenummer;År;Avsluttet;Gikk til arbeid\n0301;2023;100;:\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, text = run(capsys, "spreadsheet", src, "--source", SOURCE, "--out", out)
    side = tmp_path / "out.status.csv"
    assert code == 0 and f"wrote: {out}, {side}" in text and "':' 1" in text
    lines = side.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(STATUS_COLUMNS)
    assert lines[1] == f"2023,0301,all,all,all,all,all,to_work_count,:,Suppressed for confidentiality,{SOURCE}"
    src.write_text("Kommunenummer;År;Avsluttet;Gikk til arbeid\n0301;2023;100;40\n", encoding="utf-8")
    code, _ = run(capsys, "spreadsheet", src, "--source", SOURCE, "--out", out)
    assert code == 0 and not side.exists()


def test_a_refused_import_leaves_the_previous_output_as_it_was(capsys, tmp_path, kommune):
    out = tmp_path / "k.csv"
    assert run(capsys, "spreadsheet", kommune, "--source", SOURCE, "--out", out)[0] == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("Kommunenummer;År;Avsluttet\n0301;2023;10\n4601;2023;12,5\n", encoding="utf-8")
    code, text = run(capsys, "spreadsheet", bad, "--source", SOURCE, "--out", out)
    assert code == 1
    assert text.strip() == f"{bad}, line 3, column 'value': 12.5 is not a whole number; a count of persons is whole"
    assert out.read_bytes() == before and listing(tmp_path) == ["bad.csv", "k.csv", "kommune.csv"]


def test_an_unknown_source_is_refused_and_nothing_is_written(capsys, kommune, tmp_path):
    out = tmp_path / "k.csv"
    code, text = run(capsys, "spreadsheet", kommune, "--source", "my-made-up-source", "--out", out)
    assert code == 1 and not out.exists()
    assert "source 'my-made-up-source' is not in data/sources.csv" in text


@pytest.mark.parametrize("args,message", [
    (("spreadsheet", "{tmp}/nope.csv", "--out", "{tmp}/x.csv"), "{tmp}/nope.csv: no such file"),
    (("spreadsheet", "{kommune}", "--source", SOURCE, "--out", "{tmp}/x.xlsx"),
     "{tmp}/x.xlsx: the output must be a .csv file"),
    (("ssb", "--out", "{tmp}/x.csv"), "import ssb: give either a FILE or --fetch TABLE"),
    (("ssb", "{fix}/ssb_v2_example.json", "--fetch", "10809", "--out", "{tmp}/x.csv"),
     "import ssb: give either a FILE or --fetch TABLE"),
    (("ssb", "{fix}/ssb_v2_example.json", "--measure", "Deltakere", "--out", "{tmp}/x.csv"),
     "--measure: 'Deltakere' is not CODE=MEASURE"),
    (("ssb", "{fix}/ssb_v2_example.json", "--measure", "=participants_ssb", "--out", "{tmp}/x.csv"),
     "--measure: '=participants_ssb' is not CODE=MEASURE"),
    (("spreadsheet", "{kommune}", "--out", "{tmp}/x.csv"),
     "{kommune}, line 1: no source: add a 'Kilde' column or give --source"),
])
def test_plain_refusals_with_status_1(capsys, tmp_path, kommune, args, message):
    fill = {"tmp": tmp_path, "fix": FIX, "kommune": kommune}
    code, text = run(capsys, *(a.format(**fill) for a in args))
    assert code == 1 and text.strip().splitlines()[0] == message.format(**fill)
    assert listing(tmp_path) == ["kommune.csv"]


def test_an_unforeseen_error_is_one_plain_line(capsys, kommune, tmp_path, monkeypatch):
    def broken(*a, **kw):
        raise RuntimeError("something odd")
    monkeypatch.setattr(spreadsheet, "to_result", broken)
    code, text = run(capsys, "spreadsheet", kommune, "--source", SOURCE, "--out", tmp_path / "x.csv")
    assert code == 1 and text == "import failed (RuntimeError: something odd)\n"


def test_an_ssb_file_with_a_measure_and_a_known_source(capsys, tmp_path):
    out = tmp_path / "ssb.csv"
    code, text = run(capsys, "ssb", FIX / "ssb_v2_example.json", "--measure", "Deltakere=participants_ssb",
                     "--source", SOURCE, "--out", out)
    assert code == 0 and text.startswith(f"{out}: OK\n7 rows\n")
    ds = load_dataset(out)
    assert set(ds.cells["measure"].astype(str)) == {"participants_ssb"} and len(ds.cells) == 7
    assert set(ds.cells["source"].astype(str)) == {SOURCE}


def test_fetch_keeps_the_raw_table_beside_the_csv(capsys, tmp_path, monkeypatch):
    raw = (FIX / "ssb_v2_example.json").read_bytes()
    asked = []
    monkeypatch.setattr(ssb_jsonstat, "fetch", lambda table: asked.append(table) or raw)
    out = tmp_path / "ssb_10809.csv"
    code, text = run(capsys, "ssb", "--fetch", "10809", "--measure", "Deltakere=participants_ssb",
                     "--source", SOURCE, "--out", out)
    keep = tmp_path / "ssb_10809.ssb.json"
    assert code == 0 and asked == ["10809"]
    assert keep.read_bytes() == raw and json.loads(keep.read_text(encoding="utf-8"))["class"] == "dataset"
    assert text.splitlines()[-1].startswith("wrote: ") and str(keep) in text.splitlines()[-1]
    assert load_dataset(tmp_path).cells.shape[0] == 7         # the raw copy is no data file of the folder


def test_the_parser_itself_refuses_a_missing_out_with_status_2(capsys, kommune):
    with pytest.raises(SystemExit) as e:
        main(["import", "spreadsheet", str(kommune)])
    assert e.value.code == 2 and "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["import", "excel", str(kommune), "--out", "x.csv"])
    assert e.value.code == 2


def test_run_turns_a_data_error_into_its_lines(capsys, tmp_path):
    class Args:
        kind, file, out, source = "spreadsheet", str(tmp_path / "missing.csv"), str(tmp_path / "x.csv"), SOURCE
    assert cli.run(Args) == 1
    assert capsys.readouterr().out == f"{tmp_path / 'missing.csv'}: no such file\n"


def test_the_command_from_a_shell(tmp_path, kommune):
    out = tmp_path / "k.csv"
    ok = subprocess.run([sys.executable, "-m", "dashboard", "import", "spreadsheet", str(kommune), "--source",
                         SOURCE, "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                        env={**os.environ})
    assert ok.returncode == 0 and ok.stdout.startswith(f"{out}: OK") and ok.stderr == ""
    bad = subprocess.run([sys.executable, "-m", "dashboard", "import", "spreadsheet", str(tmp_path / "none.csv"),
                          "--out", str(tmp_path / "y.csv")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 1 and bad.stdout == f"{tmp_path / 'none.csv'}: no such file\n" and bad.stderr == ""


# ---- the help the parser gives, and the refusals of _run word for word ---------------------------------

def helps(capsys, monkeypatch, *args) -> str:
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as e:
        main([*args, "--help"])
    assert e.value.code == 0
    return capsys.readouterr().out


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_help_of_import_and_fetch_word_for_word(capsys, monkeypatch):
    from dashboard.importers import pxweb
    top = words(helps(capsys, monkeypatch))
    assert "import convert an SSB JSON-stat table or a municipality's spreadsheet" in top
    assert "fetch download a known table from SSB's API and write a tidy CSV" in top
    imp = helps(capsys, monkeypatch, "import")
    assert cli.__doc__.strip() in imp and cli.HELP.strip() in imp              # raw: as written, line by line
    assert "ssb SSB Statbank JSON-stat 2.0 (PxWebApi v1 or v2)" in words(imp)
    assert "spreadsheet a municipality's CSV or .xlsx (headers: see the importer)" in words(imp)
    ssb_help = helps(capsys, monkeypatch, "import", "ssb")
    assert cli.HELP.strip() in ssb_help
    for line in ("[file]", "--fetch TABLE", "--out OUT", "file a json-stat2 file downloaded from SSB",
                 "--fetch TABLE download the table from SSB's API instead (needs network)",
                 "--out OUT the tidy CSV to write (NAME.status.csv is written beside it)",
                 "--measure CODE=MEASURE map a ContentsCode (or CODE+OTHER with --measure-dim) to a measure id; repeat",
                 "--measure-dim DIMENSION a further dimension whose codes choose the measure together with ContentsCode",
                 "--source SOURCE the source id (data/sources.csv); default ssb-statbank-TABLE"):
        assert line in words(ssb_help), line
    sheet_help = helps(capsys, monkeypatch, "import", "spreadsheet")
    assert spreadsheet.__doc__.strip() in sheet_help and "--out OUT [--source SOURCE] file" in sheet_help
    assert "--source SOURCE the source id (data/sources.csv) unless the file has a 'Kilde' column" in words(sheet_help)
    fetch_help = helps(capsys, monkeypatch, "fetch", "ssb")
    assert pxweb.__doc__.strip() in fetch_help
    for line in ("[--out OUT] [--lang {en,nb}] table", "table the table number, such as 10809",
                 "--out OUT the tidy CSV to write (default data/ssb_TABLE.csv; symbols in NAME.status.csv)",
                 "--lang {en,nb} labels' language at SSB (default nb)"):
        assert line in words(fetch_help), line
    assert "ssb SSB PxWebApi 2 (known tables: 10809)" in words(helps(capsys, monkeypatch, "fetch"))


def test_import_and_fetch_need_a_kind(capsys):
    for args in (["import"], ["fetch"], ["fetch", "ssb"]):
        with pytest.raises(SystemExit) as e:
            main(args)
        assert e.value.code == 2
    assert "the following arguments are required: kind" in capsys.readouterr().err


def test_a_measure_is_split_at_its_first_equals_sign_and_the_file_names_the_problem(capsys, tmp_path):
    path = FIX / "ssb_v2_example.json"
    code, text = run(capsys, "ssb", path, "--measure", "Deltakere=participants_ssb=x", "--source", SOURCE,
                     "--out", tmp_path / "x.csv")
    assert code == 1 and text == (f"{path}, column 'ContentsCode': --measure Deltakere=participants_ssb=x: "
                                  "'participants_ssb=x' is not a measure in data/measures.csv\n")


def test_measure_dims_reach_the_importer(capsys, tmp_path):
    ds = json.loads((FIX / "ssb_v2_example.json").read_text(encoding="utf-8"))
    ds["id"].insert(2, "Status")
    ds["size"].insert(2, 2)
    ds["dimension"]["Status"] = {"label": "status", "category": {"index": {"01": 0, "02": 1}}}
    ds["value"], ds["status"] = list(range(1, 17)), {}
    src = tmp_path / "t.json"
    src.write_text(json.dumps(ds), encoding="utf-8")
    code, text = run(capsys, "ssb", src, "--measure", "Deltakere+01=participants_ssb", "--measure",
                     "Deltakere+02=participants", "--measure-dim", "Status", "--source", SOURCE,
                     "--out", tmp_path / "x.csv")
    assert code == 0 and "measures: participants, participants_ssb" in text.splitlines()


def test_an_unknown_source_is_named_with_the_line_to_add_only_when_it_is_the_tables_own(capsys, tmp_path):
    path = FIX / "ssb_v2_example.json"
    code, text = run(capsys, "ssb", path, "--measure", "Deltakere=participants_ssb", "--out", tmp_path / "x.csv")
    assert code == 1 and text == (
        f"{path}: source 'ssb-statbank-99999' is not in data/sources.csv; add it there or give --source with a known "
        "id\n  add this line to data/sources.csv (check the title and date):\n  ssb-statbank-99999,SSB,\"99999: "
        "ILLUSTRASJON – deltakere i introduksjonsprogrammet, etter region, kjønn, statistikkvariabel og år (oppdiktede "
        "tall)\",2025-06-19,https://www.ssb.no/statbank/table/99999\n")
    code, text = run(capsys, "ssb", path, "--measure", "Deltakere=participants_ssb", "--source", "nope",
                     "--out", tmp_path / "x.csv")
    assert code == 1 and text == (f"{path}: source 'nope' is not in data/sources.csv; add it there or give --source "
                                  "with a known id\n")
    two = tmp_path / "two.csv"
    two.write_text("Kommunenummer;År;Kilde;Avsluttet\n0301;2023;b-src;10\n0301;2022;a-src;9\n", encoding="utf-8")
    code, text = run(capsys, "spreadsheet", two, "--out", tmp_path / "x.csv")
    assert code == 1 and text == (f"{two}: source 'a-src', 'b-src' is not in data/sources.csv; add it there or give "
                                  "--source with a known id\n")
    assert listing(tmp_path) == ["two.csv"]


def test_import_ssb_needs_out_and_needs_no_measure_for_a_code_that_is_one(capsys, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["import", "ssb", str(FIX / "ssb_v2_example.json")])
    assert e.value.code == 2 and "the following arguments are required: --out" in capsys.readouterr().err
    ds = json.loads((FIX / "ssb_v2_example.json").read_text(encoding="utf-8"))
    ds["dimension"]["ContentsCode"]["category"] = {"index": {"participants_ssb": 0},
                                                   "unit": {"participants_ssb": {"base": "personer"}}}
    src = tmp_path / "t.json"
    src.write_text(json.dumps(ds), encoding="utf-8")
    code, text = run(capsys, "ssb", src, "--source", SOURCE, "--out", tmp_path / "x.csv")
    assert code == 0 and text.startswith(f"{tmp_path / 'x.csv'}: OK\n7 rows\n")
