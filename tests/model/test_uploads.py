"""A user's own file, as dcc.Upload sends it (a data: URL, base64): validated, protected, cached by content."""
from __future__ import annotations

import base64

import pytest

from dashboard.model import uploads
from dashboard.model.dataset import DataError, load_dataset, parse_table
from dashboard.model.query import Coords, get_cell
from dashboard.model.suppression import Threshold
from dashboard.model.uploads import MAX_UPLOAD_BYTES, decode_upload, user_dataset
from tests.cube import cube_csv

HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"


def row(measure, value, year=2023, region="0301", source="my-own"):
    return f"{year},{region},all,all,all,all,all,{measure},{value},count,false,{source}\n"


# Made up for the tests: 120 ended in Oslo, 3 of them to work (a small count), 30 to education.
MINE = (HEADER + row("ended", 120) + row("to_work_count", 3) + row("to_education_count", 30)).encode()


def data_url(raw: bytes, kind="text/csv") -> str:
    return f"data:{kind};base64,{base64.b64encode(raw).decode()}"


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


@pytest.fixture(scope="module")
def base():
    return load_dataset()


def test_decode_upload_reads_the_data_url():
    assert decode_upload(data_url(MINE), "mine.csv") == MINE
    assert decode_upload("data:application/octet-stream;base64,", "empty.csv") == b""


@pytest.mark.parametrize("contents", [None, 42, "no comma here", "data:text/csv;base64,@@not base64@@",
                                      "data:text/csv;base64,YWJ"])
def test_an_unreadable_upload_is_a_plain_data_error(contents):
    with pytest.raises(DataError) as e:
        decode_upload(contents, "x.csv")
    assert problems(e) == ["x.csv: the upload could not be read"]


def test_a_users_file_becomes_a_user_dataset_with_its_own_sources(base):
    ds = user_dataset(data_url(MINE), "mine.csv", base)
    assert ds.origin == "user" and ds.name == "mine.csv"
    assert ds.measures is base.measures
    # The file is laid over the published figures: its rows are marked as the user's (the file name and the
    # file's own source, which need not be in sources.csv), and the published rows stay.
    sources = set(ds.cells["source"].astype(str))
    assert {s for s in sources if s.startswith("dine-tall:")} == {"dine-tall:mine.csv:my-own"}
    assert sources - {"dine-tall:mine.csv:my-own"} <= set(base.cells["source"].astype(str))
    assert len(ds.cells) > len(base.cells) // 2
    assert get_cell(ds, "ended", 2023, Coords(region="0301")).value == 120
    assert get_cell(ds, "to_education_count", 2023, Coords(region="0301")).value == 30


def test_a_small_count_is_hidden_as_in_the_shipped_data(base):
    ds = user_dataset(data_url(MINE), "mine.csv", base)
    assert get_cell(ds, "to_work_count", 2023, Coords(region="0301")) is None
    mine = ds.cells[ds.cells["source"].astype(str) == "dine-tall:mine.csv:my-own"]
    assert "to_work_count" not in set(mine["measure"].astype(str))
    hidden = [r for r in ds.suppressed.to_dict("records") if r["source"] == "dine-tall:mine.csv:my-own"]
    assert hidden == [{"year": 2023, "region": "0301", "group": "all", "gender": "all", "education": "all",
                       "age": "all", "country": "all", "measure": "to_work_count",
                       "source": "dine-tall:mine.csv:my-own", "reason": "count"}]
    assert "value" not in ds.suppressed.columns                    # the hidden number is not kept at all


def test_the_threshold_can_be_given(base):
    ds = user_dataset(data_url(MINE), "mine-low.csv", base, threshold=Threshold(min_count=2, min_base=2))
    assert get_cell(ds, "to_work_count", 2023, Coords(region="0301")).value == 3
    assert len(ds.suppressed) == 0


def test_a_cube_upload_hides_every_count_under_the_threshold(base):
    raw = cube_csv(regions=("0", "0301"), years=(2023,), source="cube")
    ds = user_dataset(data_url(raw), "cube.csv", base)
    sent = parse_table(raw, "cube.csv", base.measures, None)
    small = sent[(sent["unit"] == "count") & (sent["value"] < Threshold().min_count)]
    assert len(small) > 0                                   # the made-up cube has small counts to hide
    mine = ds.cells[ds.cells["source"].astype(str).str.startswith("dine-tall:")]
    counts = mine[mine["unit"].astype(str) == "count"]
    assert len(counts) > 0 and (counts["value"] >= Threshold().min_count).all()
    hidden = ds.suppressed[ds.suppressed["source"].astype(str).str.startswith("dine-tall:")]
    assert len(hidden) >= len(small) and len(mine) + len(hidden) == len(sent)   # every row: shown or hidden


def test_the_same_content_is_parsed_once(base):
    a = user_dataset(data_url(MINE), "same.csv", base)
    b = user_dataset(data_url(MINE), "same.csv", base)
    c = user_dataset(data_url(MINE, "application/vnd.ms-excel"), "same.csv", base)   # the type is not the content
    assert a is b is c
    assert user_dataset(data_url(MINE), "other-name.csv", base) is not a       # the name is part of the key
    changed = MINE.replace(b"ended,120", b"ended,121")
    assert get_cell(user_dataset(data_url(changed), "same.csv", base), "ended", 2023, Coords(region="0301")).value == 121


def test_the_parsed_cache_is_bounded(base, monkeypatch):
    monkeypatch.setattr(uploads, "CACHE_SIZE", 2)
    monkeypatch.setattr(uploads, "_parsed", type(uploads._parsed)())
    for n in (200, 201, 202):
        user_dataset(data_url(MINE.replace(b"ended,120", f"ended,{n}".encode())), "b.csv", base)
    assert len(uploads._parsed) == 2


def test_a_refused_file_names_the_line_and_column(base):
    raw = (HEADER + row("ended", 120) + row("ended", "many", 2022) + row("to_work_count", -4)).encode()
    with pytest.raises(DataError) as e:
        user_dataset(data_url(raw), "bad.csv", base)
    text = problems(e)
    assert "bad.csv, line 3, column 'value': 'many' is not a number" in text
    assert any(p.startswith("bad.csv, line 4, column 'value'") and "negative count" in p for p in text)
    assert all(p.line in (3, 4) for p in e.value.problems)


def test_a_municipalitys_spreadsheet_is_accepted_too(base):
    raw = "Kommunenummer;Kommune;År;Avsluttet;Gikk til arbeid\n0301;Oslo;2023;2 310;946\n".encode()
    ds = user_dataset(data_url(raw), "kommune.csv", base)
    assert ds.origin == "user"
    assert get_cell(ds, "to_work_count", 2023, Coords(region="0301")).value == 946
    with pytest.raises(DataError) as e:
        user_dataset(data_url("Kommunenummer;År;Avsluttet\n0301;2023;10\n0301;2023;x\n".encode()), "k.csv", base)
    assert any("line 3" in p and "'x' is not a number" in p for p in problems(e))


def test_a_file_over_the_limit_is_refused_before_it_is_read(base, monkeypatch):
    read = []
    monkeypatch.setattr("dashboard.importers.load_user_file", lambda *a, **kw: read.append(1))
    with pytest.raises(DataError) as e:
        user_dataset(data_url(b"x" * 3_000_001), "big.csv", base, max_bytes=2_000_000)
    assert problems(e) == ["big.csv: the file is 2.9 MB; the limit is 1.9 MB"]  # MB of 1024 × 1024, as the settings
    assert read == []


def test_a_file_one_byte_over_the_limit_says_so_in_bytes(base):
    """In MB both would read 2.0: the message gives the bytes, so the user sees why it was refused."""
    with pytest.raises(DataError) as e:
        user_dataset(data_url(b"x" * (2 * 1024 * 1024 + 1)), "big.csv", base, max_bytes=2 * 1024 * 1024)
    assert problems(e) == ["big.csv: the file is 2097153 bytes; the limit is 2097152 bytes (2.0 MB)"]


def test_the_default_limit_is_two_megabytes_and_a_file_at_the_limit_is_read(base):
    assert MAX_UPLOAD_BYTES == 2 * 1024 * 1024
    raw = MINE + b"\n" * (1000 - len(MINE))
    assert len(raw) == 1000
    assert user_dataset(data_url(raw), "edge.csv", base, max_bytes=1000).origin == "user"
    with pytest.raises(DataError):
        user_dataset(data_url(raw + b"\n"), "edge.csv", base, max_bytes=1000)


def test_a_long_file_name_is_cut_short_in_messages(base):
    name = "x" * 300 + ".csv"
    with pytest.raises(DataError) as e:
        user_dataset("nonsense", name, base)
    assert e.value.problems[0].file == name[:80]


def test_protecting_a_file_beside_the_published_figures_is_inside_the_time_budget(base, monkeypatch):
    """The budget (parse_seconds) covers the overlay's protection too, not the reading alone: a file that
    is read in time but whose protection runs past the budget is refused with the plain message. A refusal
    for time is not remembered (the machine may have been busy): a second try runs again."""
    import time
    from dashboard.model import suppression
    calls = []
    real = suppression.protect

    def slow_protect(*args, **kw):
        calls.append(1)
        time.sleep(0.6)
        return real(*args, **kw)
    monkeypatch.setattr(uploads, "budget_seconds", lambda: 0.5)
    monkeypatch.setattr(suppression, "protect", slow_protect)
    url = data_url(cube_csv(regions=("0", "03", "0301"), years=(2022, 2023), seed=7))
    for _ in range(2):
        with pytest.raises(DataError) as e:
            user_dataset(url, "slow.csv", base)
        assert problems(e) == ["slow.csv: the file takes too long to read; it is refused (split it into smaller "
                               "files, or import it with python -m dashboard import)"]
    assert len(calls) == 2  # read in time, refused after the first round of the protection; each try runs


def test_a_file_refused_for_its_own_faults_is_remembered_by_its_digest(base, monkeypatch):
    import dashboard.importers as importers
    reads = []
    real = importers.load_user_file
    monkeypatch.setattr(importers, "load_user_file", lambda *a, **kw: reads.append(1) or real(*a, **kw))
    url = data_url("Kommunenummer;År;Avsluttet\n0301;2023;x\n".encode())
    for _ in range(2):
        with pytest.raises(DataError) as e:
            user_dataset(url, "feil.csv", base)
        assert any("'x' is not a number" in p for p in problems(e))
    assert reads == [1]
