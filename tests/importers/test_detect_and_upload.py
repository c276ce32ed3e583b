"""dashboard/importers/__init__.py: which importer a file goes to (detect, convert) and an upload's whole path
(load_user_file), word for word."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.importers import convert, detect, load_user_file
from dashboard.model.dataset import DataError, catalogues, dataset_from_frame, load_dataset

FIX = Path(__file__).resolve().parents[1] / "fixtures"
MEASURES, SOURCES = catalogues()
TIDY = b"year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_an_xlsx_by_its_zip_signature_or_its_name():
    assert detect(b"PK\x03\x04rest", "upload") == "xlsx"
    assert detect(b"a,b\n", "k.xlsx") == "xlsx" and detect(b"a,b\n", "K.XLSX") == "xlsx"
    assert detect(b"PK\x03\x05", "upload") == "spreadsheet"


def test_an_old_excel_file_is_refused_by_its_name_or_its_signature():
    for raw, name in ((b"a,b\n", "k.xls"), (b"a,b\n", "K.XLS"), (OLE + b"rest", "upload")):
        with pytest.raises(DataError) as e:
            detect(raw, name)
        assert str(e.value) == (f"{name}: old Excel files (.xls) cannot be read; save as .xlsx or 'CSV UTF-8'")
    assert detect(OLE[:7] + b"\xe2", "upload") == "spreadsheet"


def test_json_by_its_name_or_its_first_character_after_a_bom_and_spaces():
    assert detect(b"x", "t.json") == "jsonstat" and detect(b"x", "T.JSON") == "jsonstat"
    assert detect(b'{"a": 1}', "t.txt") == "jsonstat" and detect(b"[1]", "t.txt") == "jsonstat"
    assert detect(b"\xef\xbb\xbf \t\r\n{", "t.txt") == "jsonstat"
    assert detect(b"(1)", "t.txt") == "spreadsheet"


@pytest.mark.parametrize("header", [b"measure,value,region,year", b"Year;Region;Measure;Value", b"year\tregion\tmeasure\tvalue",
                                    b'"measure","value","region","year"', b"\xef\xbb\xbfmeasure, value ,region,year,\xff",
                                    b"  \r\nmeasure,value,region,year"])
def test_our_own_format_by_its_first_lines_columns(header):
    assert detect(header + b"\n2023,0301,ended,1\nlast,line,year,x", "upload.csv") == "tidy"


def test_without_all_four_columns_of_the_first_line_it_is_a_spreadsheet():
    assert detect(b"measure,value,region\nyear", "k.csv") == "spreadsheet"
    assert detect(b"Kommunenummer;measure value region year", "k.csv") == "spreadsheet"
    first = b"measure,value,region," + b"a" * (4096 - 26) + b",year"    # "year" ends at byte 4096 exactly
    assert len(first) == 4096 and detect(first + b"s\n", "k.csv") == "tidy"


def test_convert_goes_to_the_importer_of_the_kind_it_detects():
    raw = (FIX / "ssb_v2_example.json").read_bytes()
    r = convert(raw, "t.json", MEASURES, measure_map={"Deltakere": "participants_ssb"}, source="my-source")
    assert len(r.rows) == 7 and {x["source"] for x in r.rows} == {"my-source"}
    assert {x["measure"] for x in r.rows} == {"participants_ssb"} and r.name == "t.json"
    sheet = "Kommunenummer;År;Avsluttet\n0301;2023;10\n".encode()
    r = convert(sheet, "k.csv", MEASURES, source="mine")
    assert [(x["region"], x["year"], x["value"], x["source"]) for x in r.rows] == [("0301", 2023, 10.0, "mine")]
    assert convert(sheet, "k.json", MEASURES, kind="spreadsheet", source="mine").rows == r.rows
    with pytest.raises(ValueError) as e:
        convert(sheet, "k.csv", MEASURES, kind="tidy")
    assert str(e.value) == "no importer for 'tidy'"


def test_an_upload_over_the_limit_is_refused_word_for_word_and_one_at_the_limit_is_read():
    with pytest.raises(DataError) as e:
        load_user_file(b"x" * 1_050_001, "big.csv", max_bytes=1_050_000)
    # in MB both would read 1.0: the bytes say why (MB as the settings count them, 1024 × 1024)
    assert str(e.value) == "big.csv: the file is 1050001 bytes; the limit is 1050000 bytes (1.0 MB)"
    row = b"2023,0301,all,all,all,all,all,ended,120,count,false,my-own\n"
    ds = load_user_file(TIDY + row, "mine.csv", max_bytes=len(TIDY + row))
    assert ds.name == "mine.csv" and ds.origin == "user" and ds.cells["value"].tolist() == [120.0]


def base_without(measure: str):
    measures = {k: v for k, v in MEASURES.items() if k != measure}
    frame = load_dataset().cells
    return dataset_from_frame(frame[frame["measure"].astype(str) != measure].head(5), measures, SOURCES)


def test_an_upload_is_held_to_the_catalogue_of_the_data_it_is_laid_over():
    row = b"2023,0301,all,all,all,all,all,participants,120,count,false,my-own\n"
    assert len(load_user_file(TIDY + row, "mine.csv").cells) == 1
    with pytest.raises(DataError) as e:
        load_user_file(TIDY + row, "mine.csv", base_without("participants"))
    assert "mine.csv, line 2" in str(e.value) and "'participants'" in str(e.value)
    sheet = "Kommunenummer;År;Deltakere\n0301;2023;10\n".encode()
    ds = load_user_file(sheet, "k.csv")
    assert ds.name == "k.csv" and ds.origin == "user" and ds.cells["measure"].astype(str).tolist() == ["participants"]
    assert set(ds.cells["source"].astype(str)) == {"user-upload"} and ds.import_notes == []
    assert ds.measures == MEASURES and ds.sources == SOURCES
    base = base_without("to_work")
    laid = load_user_file(sheet, "k.csv", base)
    assert laid.measures is base.measures and laid.sources is base.sources and "to_work" not in laid.measures


def test_an_ssb_upload_keeps_the_tables_own_source_its_symbols_and_notes():
    js = json.loads((FIX / "ssb_v2_example.json").read_text(encoding="utf-8"))
    js["dimension"]["ContentsCode"]["category"]["index"] = {"participants_ssb": 0}
    js["dimension"]["ContentsCode"]["category"]["unit"] = {"participants_ssb": {"base": "personer"}}
    ds = load_user_file(json.dumps(js).encode(), "t.json", load_dataset())
    assert ds.name == "t.json" and set(ds.cells["source"].astype(str)) == {"ssb-statbank-99999"}
    assert ds.import_notes == ["no age dimension: all ages", "no country dimension: all countries"]
    assert ds.status_cells.to_dict("records") == [
        {"year": 2024, "region": "4601", "group": "all", "gender": "men", "education": "all", "age": "all",
         "country": "all", "measure": "participants_ssb", "status": ":", "meaning": "Suppressed for confidentiality",
         "source": "ssb-statbank-99999"}]
