"""`python -m dashboard import ssb|spreadsheet …`: write a validated tidy CSV (and NAME.status.csv).

Every failure is a plain message and exit status 1, never a traceback. The written file is loaded
again with dataset.load_dataset before the summary is printed, so `check` accepts what `import` wrote.
"""
from __future__ import annotations

from pathlib import Path

from ..model.dataset import DataError, catalogues, load_dataset
from . import spreadsheet, ssb_jsonstat
from .common import validate, write_atomic, write_outputs

HELP = """examples:
  python -m dashboard import ssb table.json --measure Personer=in_work_or_education_count_1y \\
      --source ssb-statbank-2019 --out data/ssb_status.csv
  python -m dashboard import ssb --fetch 10809 --measure … --out data/ssb_10809.csv   (needs network)
  python -m dashboard import spreadsheet kommune.xlsx --source my-source --out data/kommune.csv
"""


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="convert an SSB JSON-stat table or a municipality's spreadsheet",
                       description=__doc__, epilog=HELP, formatter_class=_raw())
    kinds = p.add_subparsers(dest="kind", required=True)
    s = kinds.add_parser("ssb", help="SSB Statbank JSON-stat 2.0 (PxWebApi v1 or v2)", epilog=HELP,
                         formatter_class=_raw())
    s.add_argument("file", nargs="?", help="a json-stat2 file downloaded from SSB")
    s.add_argument("--fetch", metavar="TABLE", help="download the table from SSB's API instead (needs network)")
    s.add_argument("--out", required=True, help="the tidy CSV to write (NAME.status.csv is written beside it)")
    s.add_argument("--measure", action="append", default=[], metavar="CODE=MEASURE",
                   help="map a ContentsCode (or CODE+OTHER with --measure-dim) to a measure id; repeat")
    s.add_argument("--measure-dim", action="append", default=[], metavar="DIMENSION",
                   help="a further dimension whose codes choose the measure together with ContentsCode")
    s.add_argument("--source", help="the source id (data/sources.csv); default ssb-statbank-TABLE")
    s.set_defaults(func=run)
    x = kinds.add_parser("spreadsheet", help="a municipality's CSV or .xlsx (headers: see the importer)",
                         epilog=spreadsheet.__doc__, formatter_class=_raw())
    x.add_argument("file")
    x.add_argument("--out", required=True)
    x.add_argument("--source", help="the source id (data/sources.csv) unless the file has a 'Kilde' column")
    x.set_defaults(func=run)


def add_fetch_parser(sub) -> None:
    """`fetch ssb TABLE`: a known table (dashboard/importers/tables/TABLE.json) from SSB's PxWebApi 2."""
    from . import pxweb
    p = sub.add_parser("fetch", help="download a known table from SSB's API and write a tidy CSV")
    kinds = p.add_subparsers(dest="kind", required=True)
    s = kinds.add_parser("ssb", help=f"SSB PxWebApi 2 (known tables: {', '.join(pxweb.known_tables())})",
                         description=pxweb.__doc__, formatter_class=_raw())
    s.add_argument("table", help="the table number, such as 10809")
    s.add_argument("--out", help="the tidy CSV to write (default data/ssb_TABLE.csv; symbols in NAME.status.csv)")
    s.add_argument("--lang", choices=sorted(pxweb.LANGS), default="nb", help="labels' language at SSB (default nb)")
    s.set_defaults(func=pxweb.run)


def _raw():
    import argparse
    return argparse.RawDescriptionHelpFormatter


def run(args) -> int:
    try:
        return _run(args)
    except DataError as e:
        for p in e.problems:
            print(p)
        return 1
    except Exception as e:   # never a traceback: anything unforeseen is still one plain line
        print(f"import failed ({type(e).__name__}: {e})")
        return 1


def _read(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise DataError([_p(path, "no such file")])
    return p.read_bytes()


def _p(name, message):
    from ..model.dataset import Problem
    return Problem(name, None, None, message)


def _run(args) -> int:
    measures, sources = catalogues()
    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        raise DataError([_p(args.out, "the output must be a .csv file")])
    raw_copy = None
    if args.kind == "ssb":
        if bool(args.file) == bool(args.fetch):
            raise DataError([_p("import ssb", "give either a FILE or --fetch TABLE")])
        mapping = {}
        for m in args.measure:
            code, sep, mid = m.partition("=")
            if not sep or not code or not mid:
                raise DataError([_p("--measure", f"{m!r} is not CODE=MEASURE")])
            mapping[code.strip()] = mid.strip()
        if args.fetch:
            raw, name = ssb_jsonstat.fetch(args.fetch), f"SSB table {args.fetch}"
            raw_copy = raw
        else:
            raw, name = _read(args.file), args.file
        result = ssb_jsonstat.to_result(raw, name, measures, mapping, args.source, tuple(args.measure_dim))
    else:
        raw = _read(args.file)
        result = spreadsheet.to_result(raw, args.file, measures, args.source)
    unknown = sorted({r["source"] for r in result.rows + result.status} - set(sources))
    if unknown:
        hint = (f"\n  add this line to data/sources.csv (check the title and date):\n  {result.suggested_source}"
                if result.suggested_source and unknown == [result.suggested_source.split(",")[0]] else "")
        raise DataError([_p(result.name, f"source {', '.join(repr(u) for u in unknown)} is not in data/sources.csv; "
                                         f"add it there or give --source with a known id{hint}")])
    validate(result, measures, sources)
    written = write_outputs(result, out)
    if raw_copy is not None:
        keep = out.with_name(out.stem + ".ssb.json")
        write_atomic(keep, raw_copy)
        written.append(keep)
    load_dataset(out)          # what `check` does: the file must load as it stands
    print(f"{out}: OK")
    print(result.summary())
    print("wrote: " + ", ".join(str(p) for p in written))
    return 0
