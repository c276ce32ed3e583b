"""The command line contract: check, get (and serve is exercised by the browser and server tests)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_check_accepts_the_shipped_data():
    r = run("check", "data/figures.csv")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "rows" in r.stdout and "years: 2005–" in r.stdout and "measures:" in r.stdout


def test_check_refuses_a_bad_file_with_one_line_per_problem(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
                 "2023,0,all,all,all,all,all,ended,lots,count,false,imdi-nokkeltall-2023\n"
                 "20x3,0,all,all,all,all,all,ended,5,count,false,imdi-nokkeltall-2023\n")
    r = run("check", str(f))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert any("line 2, column 'value'" in x for x in lines)
    assert any("line 3, column 'year'" in x for x in lines)
    assert "Traceback" not in r.stdout + r.stderr


def test_check_on_a_missing_file_is_a_plain_message(tmp_path):
    r = run("check", str(tmp_path / "nope.csv"))
    assert r.returncode == 1 and "no such file" in r.stdout and "Traceback" not in r.stdout + r.stderr


def test_get_prints_the_data_csv():
    r = run("get", "/data.csv?year=2023&group=ukraine")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("year,region,group,gender,education,age,country,measure,value,unit,approx,source,basis")
    assert "2023,0,ukraine,all,all,all,all,to_work,45,percent,false,imdi-nokkeltall-2023,published," in lines


def test_get_exits_non_zero_on_400():
    r = run("get", "/data.csv?gender=robots")
    assert r.returncode != 0 and "Invalid value for 'gender'" in r.stdout


def test_check_accepts_the_shipped_catalogues_and_refuses_a_broken_one(tmp_path):
    for name in ("measures.csv", "sources.csv"):
        r = run("check", f"data/{name}")
        assert r.returncode == 0 and "a catalogue" in r.stdout, r.stdout
    bad = tmp_path / "measures.csv"
    bad.write_text("measure,unit\nx,y\n")
    r = run("check", str(bad))
    assert r.returncode == 1 and "missing column(s)" in r.stdout and "Traceback" not in r.stdout + r.stderr
