"""Bad data: every malformed file is refused with a message naming the place, exit 1, no traceback,
bounded memory; and (property) any bytes either load into a dataset that keeps every invariant or
are refused with DataError, never another exception."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing

from dashboard.model import schema
from dashboard.__main__ import main
from dashboard.model.dataset import DataError, catalogues, load_dataset, parse_table

from tests.corpus import GOOD, OVERSIZE_LIMIT, make_corpus

ROOT = Path(__file__).resolve().parents[2]
CASES_BY_SUBPROCESS = ("oversized.csv", "binary_with_nul.csv", "latin1_with_oe.csv", "formula_cmd_in_source.csv",
                       "truncated_in_quotes.csv", "excel_workbook_renamed.csv")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, make_corpus(folder)


@pytest.fixture(scope="module")
def cats():
    return catalogues()


def test_the_corpus_is_broad_and_its_base_file_is_valid(corpus, tmp_path):
    folder, cases = corpus
    assert len(cases) >= 30 and len({c.name for c in cases}) == len(cases)
    (tmp_path / "good.csv").write_text(GOOD)
    assert len(load_dataset(tmp_path / "good.csv").cells) == 4  # so each refusal comes from its break alone


def test_each_bad_file_is_refused_naming_place_and_problem_within_bounded_memory(corpus):
    folder, cases = corpus
    for case in cases:
        tracemalloc.start()
        try:
            with pytest.raises(DataError) as e:
                load_dataset(folder / case.name, max_bytes=case.max_bytes)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        text = str(e.value)
        assert text.startswith(case.name), (case.name, text)
        for fragment in case.expect:
            assert fragment in text, (case.name, fragment, text)
        # The giant field is 200 KB; the rest are a few KB: nothing should need more than a few MB.
        assert peak < 25 * 2**20, (case.name, peak)


def peak_bytes_of_refusal(path, max_bytes) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as e:
            load_dataset(path, max_bytes=max_bytes)
        return tracemalloc.get_traced_memory()[1], str(e.value)
    finally:
        tracemalloc.stop()


def test_an_oversized_file_is_refused_before_it_is_read(corpus):
    folder, _ = corpus
    path = folder / "oversized.csv"
    assert path.stat().st_size > 5 * OVERSIZE_LIMIT
    load_dataset(ROOT / "data" / "figures.csv")  # warm imports out of the measure
    baseline, _ = peak_bytes_of_refusal(folder / "empty.csv", OVERSIZE_LIMIT)  # the catalogues are read either way
    peak, message = peak_bytes_of_refusal(path, OVERSIZE_LIMIT)
    assert f"oversized.csv: the file is {path.stat().st_size / 2**20:.1f} MB; the limit is {OVERSIZE_LIMIT / 2**20:.1f} MB" in message
    # Its 5.8 MB were never read: the peak is the catalogues' (about 1 MB), not the file's.
    assert peak < baseline + 256 * 1024 and peak < 2 * 2**20, (peak, baseline)


def test_check_command_exits_1_with_messages_and_no_traceback_for_every_file(corpus, capsys, monkeypatch):
    folder, cases = corpus
    monkeypatch.setenv("INTRODASH_MAX_DATA_BYTES", str(OVERSIZE_LIMIT))  # only the oversized file is near it
    for case in cases:
        assert main(["check", str(folder / case.name)]) == 1, case.name
        out = capsys.readouterr()
        assert "Traceback" not in out.out + out.err
        for fragment in case.expect:
            assert fragment in out.out, (case.name, fragment, out.out)


def test_check_command_as_a_process(corpus):
    folder, _ = corpus
    env = {**os.environ, "INTRODASH_MAX_DATA_BYTES": str(OVERSIZE_LIMIT)}

    def run(name):
        return name, subprocess.run([sys.executable, "-m", "dashboard", "check", str(folder / name)],
                                    capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)

    with ThreadPoolExecutor(4) as pool:
        for name, r in pool.map(run, CASES_BY_SUBPROCESS):
            assert r.returncode == 1, (name, r.stdout, r.stderr)
            assert r.stdout.startswith(name) and "Traceback" not in r.stdout + r.stderr, (name, r.stdout, r.stderr)


def test_a_bad_catalogue_is_refused_as_data_not_a_crash(tmp_path):
    for f in ("figures.csv", "measures.csv", "sources.csv"):
        (tmp_path / f).write_bytes((ROOT / "data" / f).read_bytes())
    (tmp_path / "sources.csv").write_text("source,publisher\nx,y\n")
    with pytest.raises(DataError, match="sources.csv, line 1: missing column"):
        load_dataset(tmp_path)
    src = (ROOT / "data" / "sources.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",javascript:alert(1)"
    (tmp_path / "sources.csv").write_text("\n".join(src) + "\n")
    with pytest.raises(DataError, match="is not an http\\(s\\) address"):
        load_dataset(tmp_path)
    (tmp_path / "sources.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="sources.csv"):
        load_dataset(tmp_path)


# ---- properties --------------------------------------------------------------------------------

def assert_invariants(df, measures, sources=None):
    """Everything a loaded frame promises, checked from scratch."""
    assert list(df.columns) == list(schema.COLUMNS) + ["basis"]
    assert len(df) > 0
    assert df["year"].between(*schema.YEAR_RANGE).all()
    for region in df["region"].astype(str):
        assert region.isascii() and schema.REGION_PATTERN.fullmatch(region), region
    for dim, allowed in schema.ALLOWED.items():
        assert df[dim].isin(allowed).all(), dim
    for country in df["country"].astype(str):
        assert schema.COUNTRY_PATTERN.fullmatch(country), country
    assert df["measure"].isin(list(measures)).all()
    assert (df["unit"] == df["measure"].map({k: m.unit for k, m in measures.items()})).all()
    assert df["approx"].isin([True, False]).all() and df["basis"].isin(schema.BASES).all()
    source = df["source"].astype(str)
    assert (source != "").all() and not source.str.match(r"[=+\-@]").any()
    if sources is not None:
        assert source.isin(list(sources)).all()
    for column in df.columns:
        if df[column].dtype == object:
            assert not df[column].astype(str).str.contains(r"[\x00-\x1f\x7f]").any(), column
    assert not df.duplicated(list(schema.KEY)).any()
    value = df["value"].to_numpy(dtype="float64")
    assert np.isfinite(value).all()
    change = df["measure"].str.contains("change|gap").to_numpy()
    count = (df["unit"] == "count").to_numpy()
    percent = ~count
    assert (value[count & ~change] >= 0).all() and (value[count & ~change] % 1 == 0).all()
    assert ((value[percent & ~change] >= 0) & (value[percent & ~change] <= 100)).all()
    assert ((value[percent & change] >= -100) & (value[percent & change] <= 100)).all()


def load_or_refuse(raw: bytes, measures, sources):
    try:
        df = parse_table(raw, "fuzz.csv", measures, sources, max_bytes=200_000)
    except DataError as e:
        assert e.problems and all(p.file == "fuzz.csv" and p.message for p in e.problems)
        return None
    assert_invariants(df, measures, sources)
    return df


@settings(max_examples=fuzzing.LOADER_BYTES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=3000))
def test_any_bytes_load_validly_or_are_refused_with_data_error(cats, raw):
    load_or_refuse(raw, *cats)
    load_or_refuse(raw, cats[0], None)


@settings(max_examples=fuzzing.LOADER_TEXT, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from([b"", b"\xef\xbb\xbf"]), text=st.text(max_size=400))
def test_any_text_after_a_valid_header_loads_validly_or_is_refused(cats, prefix, text):
    raw = prefix + (",".join(schema.COLUMNS) + "\n" + text).encode("utf-8", "surrogatepass")
    load_or_refuse(raw, *cats)


MEASURES = ("ended", "participants", "to_work", "to_work_change_pp", "participants_change", "employed_1y")
FUZZ = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", " ", "all", "=1+1", "@x", "-", "+", "<b>x</b>", "nan", "inf", "-inf", "1e999", "-0", "0x10", "1_000",
     "٣", "²", "\u00a0", "\ufeff", "NULL", "true", "TRUE", "ja", "\x00", "a\nb", '"', "'", ";", ","]))
CELLS = {
    "year": st.sampled_from(["2023", "2016", "1990", "2100", "1989", "2101", "20x3", "2023.0", "٢٠٢٣", " 2023 "]),
    "region": st.sampled_from(["0", "03", "0301", "301", "3", "٠٣", "00", "03 01", "0301\n"]),
    "group": st.sampled_from(schema.ALLOWED["group"] + ("Ukraine", "everyone")),
    "gender": st.sampled_from(schema.ALLOWED["gender"] + ("kvinner",)),
    "education": st.sampled_from(schema.ALLOWED["education"]),
    "age": st.sampled_from(schema.ALLOWED["age"] + ("18 - 25",)),
    "country": st.sampled_from(["all", "SY", "UA", "sy", "Syria", "S1", "ÅÆ"]),
    "measure": st.sampled_from(MEASURES + ("happiness", "")),
    "value": st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True, allow_infinity=True).map(str),
                       st.floats(-150, 150).map(lambda f: f"{f:.1f}".replace(".", ",")),
                       st.sampled_from(["41", "100", "100.0", "100.01", "-0.5", "12 345", '1\u00a0000', "41 %"])),
    "unit": st.sampled_from(["count", "percent", "Count", "%"]),
    "approx": st.sampled_from(["true", "false", "", "ja", "nei", "maybe", "1", "0"]),
    "source": st.sampled_from(["imdi-nokkeltall-2023", "ssb-introduksjonsordningen-2023", "", "unknown-src",
                               "=HYPERLINK(\"http://x\")", "+x", "a\x00b"]),
    "basis": st.sampled_from(["", "published", "computed", "guessed"]),
}


@st.composite
def near_valid_csv(draw):
    columns = list(schema.COLUMNS) + (["basis"] if draw(st.booleans()) else [])
    columns = draw(st.permutations(columns))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        rows.append([draw(st.one_of(CELLS[c], CELLS[c], CELLS[c], FUZZ)) for c in columns])
    if rows and draw(st.booleans()):
        rows.append(list(rows[0]))  # a repeat: dropped if equal, refused if a value differs
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        [columns] + rows)
    raw = buf.getvalue().encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + raw


def test_near_valid_files_load_validly_or_are_refused(cats):
    outcomes = {"loaded": 0, "refused": 0}

    @settings(max_examples=fuzzing.NEAR_VALID, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(raw=near_valid_csv())
    def check(raw):
        loaded = load_or_refuse(raw, *cats) is not None
        load_or_refuse(raw, cats[0], None)
        outcomes["loaded" if loaded else "refused"] += 1

    check()
    # The property is only worth something if the generator makes valid files as well as broken ones.
    assert outcomes["loaded"] >= 5 and outcomes["refused"] >= 5, outcomes
