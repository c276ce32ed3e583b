"""Command line (a stable contract):

  python -m dashboard serve [--host H] [--port P] [--data FILE_OR_DIR] [--dev] [--workers N]
  python -m dashboard check FILE
  python -m dashboard get PATH_WITH_QUERY [--data FILE_OR_DIR]
  python -m dashboard import ssb FILE.json|--fetch TABLE --out NAME.csv [--measure CODE=ID …] [--source ID]
  python -m dashboard import spreadsheet FILE.csv|FILE.xlsx --out NAME.csv [--source ID]
  python -m dashboard fetch ssb TABLE [--out FILE] [--lang nb|en]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def check_catalogue(path: Path) -> int:
    """measures.csv and sources.csv are catalogues, not data rows: check them as such."""
    from .model import schema
    from .model.dataset import CATALOGUE_FILES, DataError, _catalogue, DEFAULT_MAX_BYTES
    reader = schema.read_measures if path.name == "measures.csv" else schema.read_sources
    try:
        items = _catalogue(path, reader, DEFAULT_MAX_BYTES)
    except DataError as e:
        for p in e.problems:
            print(p)
        return 1
    problems = []
    if path.name == "measures.csv":
        for m in items.values():
            if m.unit not in schema.UNITS:
                problems.append(f"{path}: measure {m.id}: unit {m.unit!r} is not count or percent")
            if not m.series:
                problems.append(f"{path}: measure {m.id}: no series")
    else:
        for src in items.values():
            if not src.url.startswith(("https://", "http://")):
                problems.append(f"{path}: source {src.id}: the url is not an http(s) address")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{path}: OK ({len(items)} {'measures' if path.name == 'measures.csv' else 'sources'}; a catalogue, "
          f"one of {', '.join(sorted(CATALOGUE_FILES))})")
    return 0


def cmd_check(args) -> int:
    from .model.dataset import CATALOGUE_FILES, DataError, load_dataset
    path = Path(args.file)
    if path.name in CATALOGUE_FILES and path.is_file():
        try:
            return check_catalogue(path)
        except Exception as e:  # a plain message, never a traceback
            print(f"{path}: cannot be checked ({type(e).__name__}: {e})")
            return 1
    try:
        ds = load_dataset(path)
    except DataError as e:
        for p in e.problems:
            print(p)
        return 1
    except Exception as e:  # never a traceback: a file we cannot read at all is still a plain message
        print(f"{path}: cannot be checked ({type(e).__name__}: {e})")
        return 1
    print(f"{path}: OK")
    print(ds.summary())
    return 0


def cmd_get(args) -> int:
    from .web.app import create_app
    from .model.dataset import DataError
    try:
        app = create_app(args.data)
    except DataError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return 1
    client = app.server.test_client()
    resp = client.get(args.path)
    body = resp.get_data()
    sys.stdout.buffer.write(body)
    if body and not body.endswith(b"\n"):
        sys.stdout.write("\n")
    if resp.status_code >= 400:
        print(f"HTTP {resp.status_code}", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args) -> int:
    from .model.dataset import DataError
    from .web.server import serve
    from .settings import SettingError
    try:
        return serve(host=args.host, port=args.port, data=args.data, dev=args.dev, workers=args.workers)
    except DataError as e:
        print("The data could not be loaded:", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    except SettingError as e:
        print(f"A setting is wrong: {e}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the app (production server unless --dev)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8050)
    s.add_argument("--data", default=None, help="a tidy CSV file or a folder of them (default: the shipped data)")
    s.add_argument("--dev", action="store_true", help="Flask's development server with Dash's debug tools")
    s.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: one per core)")
    s.set_defaults(func=cmd_serve)
    c = sub.add_parser("check", help="validate a data file")
    c.add_argument("file")
    c.set_defaults(func=cmd_check)
    g = sub.add_parser("get", help="answer one request in-process and print it")
    g.add_argument("path")
    g.add_argument("--data", default=None)
    g.set_defaults(func=cmd_get)
    from .importers.cli import add_parser as add_import_parser, add_fetch_parser
    add_import_parser(sub)
    add_fetch_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
