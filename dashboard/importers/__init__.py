"""Importers: foreign formats -> the tidy format, validated exactly like a shipped file.

  ssb_jsonstat  SSB Statbank JSON-stat 2.0 (PxWebApi v1/v2), with SSB's symbols kept aside
  spreadsheet   a municipality's own CSV/.xlsx with Norwegian headers (mapping table in its docstring)
  common        the result, SSB's symbols, validation, NAME.csv + NAME.status.csv

`load_user_file` is the entry point for an upload; `python -m dashboard import …` for the command line.
"""
from __future__ import annotations

import pandas as pd

from ..model.dataset import DEFAULT_MAX_BYTES, DataError, too_large, Dataset, Problem, catalogues, dataset_from_bytes, dataset_from_frame
from . import spreadsheet, ssb_jsonstat
from .common import STATUS_COLUMNS, ImportResult, validate

USER_SOURCE = "user-upload"   # a figure from an upload without a Kilde column


def detect(raw: bytes, filename: str) -> str:
    """'jsonstat', 'xlsx', 'tidy' (our own CSV format) or 'spreadsheet' (a mapped CSV)."""
    lower = filename.lower()
    if raw[:4] == b"PK\x03\x04" or lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".xls") or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError([Problem(filename, None, None, "old Excel files (.xls) cannot be read; save as .xlsx or "
                                                       "'CSV UTF-8'")])
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith(".json") or head[:1] in (b"{", b"["):
        return "jsonstat"
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").casefold()
    cols = {c.strip().strip('"') for c in first.replace(";", ",").replace("\t", ",").split(",")}
    return "tidy" if {"measure", "value", "region", "year"} <= cols else "spreadsheet"


def convert(raw: bytes, filename: str, measures, kind: str | None = None, source: str | None = None,
            measure_map: dict[str, str] | None = None) -> ImportResult:
    kind = kind or detect(raw, filename)
    if kind == "jsonstat":
        return ssb_jsonstat.to_result(raw, filename, measures, measure_map, source)
    if kind in ("xlsx", "spreadsheet"):
        return spreadsheet.to_result(raw, filename, measures, source)
    raise ValueError(f"no importer for {kind!r}")


def load_user_file(raw: bytes, filename: str, base_dataset: Dataset | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Dataset:
    """An uploaded file as a validated Dataset (origin "user"), or DataError with line-numbered problems.

    Tidy CSV goes through dataset.dataset_from_bytes; a mapped spreadsheet or an SSB JSON-stat table is
    converted and then held to the same parse_table rules. Cells with SSB symbols are on the dataset as
    `status_cells` (a frame with common.STATUS_COLUMNS) and what the import did as `import_notes`.
    """
    if len(raw) > max_bytes:
        raise DataError([Problem(filename, None, None,
                                 too_large(len(raw), max_bytes))])
    kind = detect(raw, filename)
    if kind == "tidy":
        return dataset_from_bytes(raw, filename, base_dataset, max_bytes=max_bytes)
    measures, sources = (base_dataset.measures, base_dataset.sources) if base_dataset else catalogues()
    result = convert(raw, filename, measures, kind, source=None if kind == "jsonstat" else USER_SOURCE)
    frame = validate(result, measures, None)
    ds = dataset_from_frame(frame, measures, sources, origin="user", name=filename)
    # Dataset is not ours to change: instance attributes (see the report).
    ds.__dict__["status_cells"] = pd.DataFrame(result.status, columns=list(STATUS_COLUMNS))
    ds.__dict__["import_notes"] = list(result.notes)
    return ds


__all__ = ["ImportResult", "convert", "detect", "load_user_file", "spreadsheet", "ssb_jsonstat", "validate"]
