"""Loading and validation: good files load, bad ones are refused with a message naming the line."""
import pytest

from dashboard.model.dataset import DataError, catalogues, load_dataset, parse_table
from dashboard.model.query import Coords, get_cell, query
from dashboard.views.state import ViewState

from tests.cube import cube_csv, cube_dataset

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
GOOD = "2023,0,all,all,all,all,all,ended,11381,count,false,imdi-nokkeltall-2023\n"


@pytest.fixture(scope="module")
def cats():
    return catalogues()


def refuse(cats, text: str | bytes, sources="known") -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    m, s = cats
    with pytest.raises(DataError) as e:
        parse_table(raw, "bad.csv", m, s if sources == "known" else None)
    return [str(p) for p in e.value.problems]


def test_shipped_data_loads():
    ds = load_dataset()
    assert len(ds.cells) > 800
    assert ds.years[0] == 2005  # SSB's one-year-after series starts with the 2005 cohort
    assert set(ds.cells["measure"].astype(str)) <= set(ds.measures)


def test_good_file_with_bom_semicolons_and_decimal_comma(cats):
    text = "\ufeff" + HEADER.replace(",", ";") + "2023;0;all;all;all;all;all;to_work;41,5;percent;true;imdi-nokkeltall-2023\n"
    df = parse_table(text.encode("utf-8"), "ok.csv", *cats)
    assert df["value"].iat[0] == 41.5 and bool(df["approx"].iat[0]) is True


def test_thousands_separators_accepted(cats):
    df = parse_table((HEADER + GOOD.replace("11381", '"11 381"')).encode(), "ok.csv", *cats)
    assert df["value"].iat[0] == 11381


@pytest.mark.parametrize("text,expect", [
    ("", "empty"),
    (HEADER, "no data rows"),
    (HEADER.replace(",source", "") + GOOD.rsplit(",", 1)[0] + "\n", "missing column(s): source"),
    (HEADER.replace("source", "source,colour") + GOOD.strip() + ",red\n", "unknown column(s): 'colour'"),
    (HEADER + GOOD.replace("11381", "many"), "line 2, column 'value': 'many' is not a number"),
    (HEADER + GOOD.replace("11381", "-3"), "line 2, column 'value': -3 is a negative count"),
    (HEADER + GOOD.replace("ended,11381,count", "to_work,141,percent"), "line 2, column 'value': 141 is outside 0–100"),
    (HEADER + GOOD.replace(",all,all,all,all,all,", ",everyone,all,all,all,all,"), "line 2, column 'group'"),
    (HEADER + GOOD.replace("ended", "happiness"), "line 2, column 'measure': 'happiness' is not a known measure"),
    (HEADER + GOOD.replace("2023,0,", "2023,Oslo,"), "line 2, column 'region'"),
    (HEADER + GOOD + GOOD.replace("11381", "11400"), "line 3, column 'value': lines 2, 3 give the same cell"),
    (HEADER + GOOD.replace("imdi-nokkeltall-2023", "somewhere"), "'somewhere' is not a known source"),
    (HEADER + GOOD.replace("count", "percent"), "measured in count, not percent"),
    (HEADER + GOOD.strip() + ",extra\n", "line 2: this row has 13 fields; expected 12"),
    (HEADER + "2023,0,all\n", "line 2: this row has 3 fields"),
])
def test_each_kind_of_bad_file_is_refused_with_its_line(cats, text, expect):
    problems = refuse(cats, text)
    assert any(expect in p for p in problems), problems


def test_latin1_is_refused_with_line_number(cats):
    raw = (HEADER + GOOD.replace("imdi-nokkeltall-2023", "tr\u00f8ndelag")).encode("latin-1")
    problems = refuse(cats, raw)
    assert "line 2" in problems[0] and "not UTF-8" in problems[0]


def test_binary_garbage_is_refused(cats):
    assert "not a text file" in refuse(cats, b"\x00\x01\x02PK\x03\x04" * 10)[0]


def test_duplicate_with_same_value_is_a_harmless_repeat(cats):
    df = parse_table((HEADER + GOOD + GOOD).encode(), "ok.csv", *cats)
    assert len(df) == 1


def test_the_apps_own_export_is_accepted(tmp_path):
    from dashboard.web.app import create_app
    client = create_app().server.test_client()
    body = client.get("/data.csv").data
    f = tmp_path / "export.csv"
    f.write_bytes(body)
    ds = load_dataset(f)
    assert "computed" in set(ds.cells["basis"].astype(str))


def test_full_cube_goes_through_the_same_code():
    ds = cube_dataset()
    r = query(ds, ViewState(region="0301", gender="women", group="ukraine", year=2022))
    total = r.key_figures[-1].cell
    ended = get_cell(ds, "ended", 2022, Coords(region="0301", gender="women", group="ukraine"))
    work = get_cell(ds, "to_work_count", 2022, Coords(region="0301", gender="women", group="ukraine"))
    assert total is not None and ended is not None and work is not None
    assert r.availability["gender"] == {"all": True, "men": True, "women": True}
    assert not [m for m in r.missing if m.measure == "to_work_or_education"]


def test_cube_csv_passes_the_checker(tmp_path, cats):
    parse_table(cube_csv(), "cube.csv", cats[0], None)


# ---- large files: pandas' C reader (dataset._fast_body) must give exactly what csv.reader gives ----

def _big(cats, body_rows: int = 40_000) -> str:
    """A plain file over FAST_READ_BYTES: many regions × the good row, with leading zeros kept."""
    lines = [HEADER]
    for i in range(body_rows):
        region = f"{i % 9000 + 100:04d}"  # 0100 ... : a leading zero must survive
        lines.append(f"{2016 + i // 9000},{region},all,all,all,all,all,ended,{i % 100},count,false,imdi-nokkeltall-2023\n")
    return "".join(lines)


def _both(raw: bytes, cats, monkeypatch):
    import dashboard.model.dataset as D
    fast = D.parse_table(raw, "big.csv", *cats, max_bytes=10**9)
    monkeypatch.setattr(D, "FAST_READ_BYTES", 10**12)
    slow = D.parse_table(raw, "big.csv", *cats, max_bytes=10**9)
    monkeypatch.undo()
    return fast, slow


@pytest.mark.parametrize("variant", ["plain", "crlf", "semicolon-decimal-comma", "padded-and-empty-lines", "bom"])
def test_a_large_file_reads_the_same_through_both_readers(cats, monkeypatch, variant):
    import pandas as pd

    import dashboard.model.dataset as D
    text = _big(cats)
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "semicolon-decimal-comma":
        text = text.replace(",", ";").replace("ended;", "to_work;").replace(";count;", ";percent;")
        text = text.replace(";percent;", ";percent;", 1).replace(";1;percent", ";1,5;percent")
    elif variant == "padded-and-empty-lines":
        text = text.replace(",all,all,all,all,all,", ", all ,all,all,all,all,").replace("\n2017", "\n\n2017")
    elif variant == "bom":
        text = "\ufeff" + text
    raw = text.encode()
    assert len(raw) > D.FAST_READ_BYTES
    calls = []
    real = D._fast_body

    def spy(*a):
        out = real(*a)
        calls.append(out is not None)
        return out
    monkeypatch.setattr(D, "_fast_body", spy)
    fast, slow = _both(raw, cats, monkeypatch)
    assert calls == [True]  # the fast reader read it (it did not hand it to the careful one)
    pd.testing.assert_frame_equal(fast.astype(object), slow.astype(object))
    assert "0100" in set(fast["region"].astype(str))
    if variant == "semicolon-decimal-comma":
        assert 1.5 in set(fast["value"])


@pytest.mark.parametrize("damage,expect", [
    (lambda t: t.replace("\n2017,0100,", "\n2017,0100,x,", 1), "this row has 13 fields"),
    (lambda t: t.replace(",17,count", ",many,count", 1), "'many' is not a number"),
    (lambda t: t.replace("\n2018,0100,all", '\n2018,"0100",all', 1), None),  # quotes: the careful reader
    (lambda t: t.replace("\n2018,0100,", "\n   \n2018,0100,", 1), None),      # a line of spaces: careful
])
def test_a_large_damaged_file_gets_the_same_message_as_a_small_one(cats, monkeypatch, damage, expect):
    text = damage(_big(cats))
    raw = text.encode()
    if expect is None:  # not plain, but valid: both readers agree
        fast, slow = _both(raw, cats, monkeypatch)
        assert len(fast) == len(slow)
        return
    import dashboard.model.dataset as D
    with pytest.raises(DataError) as fast:
        D.parse_table(raw, "big.csv", *cats, max_bytes=10**9)
    monkeypatch.setattr(D, "FAST_READ_BYTES", 10**12)
    with pytest.raises(DataError) as slow:
        D.parse_table(raw, "big.csv", *cats, max_bytes=10**9)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert any(expect in str(p) and "line " in str(p) for p in fast.value.problems)


def test_a_large_file_that_is_not_utf8_names_the_line(cats):
    text = _big(cats).replace("\n2019,0100,", "\n2019,01\u00f800,", 1)
    raw = text.encode("latin-1")
    problems = refuse(cats, raw)
    line = text[: text.index("01\u00f800")].count("\n") + 1
    assert f"line {line}" in problems[0] and "not UTF-8" in problems[0]


@pytest.mark.parametrize("variant", ["cr-only", "delimiters-and-nbsp", "form-feed-line", "lone-cr-line"])
def test_a_large_file_the_fast_reader_declines_reads_like_a_small_one(cats, monkeypatch, variant):
    """Found in review: line ends and blank-looking rows the byte scan cannot judge go to csv.reader."""
    text = _big(cats)
    if variant == "cr-only":
        text = text.replace("\n", "\r")
    elif variant == "delimiters-and-nbsp":
        text = text.replace("\n2017,", "\n,,,,,,,,,,,\u00a0\n2017,", 1)
    elif variant == "form-feed-line":
        text = text.replace("\n2017,", "\n,,,,,,,,,,,\x0c\n2017,", 1)
    elif variant == "lone-cr-line":
        text = text.replace("\n2017,0100,", "\n\r\n2017,0100,", 1).replace(",17,count", ",many,count", 1)
    raw = text.encode()
    import dashboard.model.dataset as D
    outcomes = []
    for limit in (D.FAST_READ_BYTES, 10**12):
        monkeypatch.setattr(D, "FAST_READ_BYTES", limit)
        try:
            outcomes.append(("ok", len(D.parse_table(raw, "big.csv", *cats, max_bytes=10**9))))
        except DataError as e:
            outcomes.append(("refused", [str(p) for p in e.problems]))
    assert outcomes[0] == outcomes[1]
    if variant != "lone-cr-line":
        assert outcomes[0][0] == "ok"


def test_a_bad_byte_across_two_blocks_is_named_as_decode_names_it():
    from dashboard.model.dataset import check_text, decode
    raw = b"a" * 9 + b"\xc3" + b"A" * 10  # the broken sequence starts at the end of the first block
    with pytest.raises(DataError) as whole:
        decode(raw, "x.csv")
    with pytest.raises(DataError) as blocks:
        check_text(raw, "x.csv", block=10)
    assert [str(p) for p in blocks.value.problems] == [str(p) for p in whole.value.problems]
    assert "0xC3" in str(blocks.value.problems[0])


def _depth_by_hand(raw: bytes) -> int:
    """The deepest nesting of [ and { outside strings, one byte at a time. A string runs to its closing
    unescaped quote; a quote that is never closed starts no string (the parser refuses such a text later)."""
    depth = top = i = 0
    while i < len(raw):
        b = raw[i:i + 1]
        if b == b'"' and (end := _string_end(raw, i)) is not None:
            i = end
        elif b in (b"[", b"{"):
            depth += 1
            top = max(top, depth)
        elif b in (b"]", b"}"):
            depth -= 1
        i += 1
    return top


def _string_end(raw: bytes, start: int) -> int | None:
    escaped = False
    for i in range(start + 1, len(raw)):
        if escaped:
            escaped = False
        elif raw[i:i + 1] == b"\\":
            escaped = True
        elif raw[i:i + 1] == b'"':
            return i
    return None


def test_json_depth_counts_brackets_outside_strings_on_either_path():
    """json_depth has a fast path for texts without backslashes; both paths agree with a byte-by-byte count."""
    import random
    from dashboard.model.dataset import json_depth
    rnd = random.Random(20261201)
    alphabet = b'[]{}"\\ a,:'
    for _ in range(20_000):
        raw = bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        assert json_depth(raw) == _depth_by_hand(raw), raw
    assert json_depth(b'{"a": [[1], {"b": "[[[["}]}') == 3
    assert json_depth(b'{"a\\"[[": [[]]}') == 3
    assert json_depth(b"[" * 40 + b"]" * 40) == 40
    assert json_depth("[" * 5000) == 5000  # past the short loop: numpy's path
