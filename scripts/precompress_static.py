#!/usr/bin/env python3
"""Compress the page's static files once, at set-up, into the folder the app reads them from at start.

    .venv/bin/python scripts/precompress_static.py

Builds the app the way `python -m dashboard serve` does (create_app), which compresses every file a page
loads (assets/ and the component suites' JavaScript and CSS) with zstd 19, brotli 9 and gzip 9 and keeps
the results in INTRODASH_STATIC_CACHE (default ~/.cache/introdash/static), named by a digest of each
file's bytes. A later start then reads them instead of compressing again. Run by scripts/setup.sh.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.web import performance  # noqa: E402
from dashboard.web.app import create_app  # noqa: E402


def main() -> int:
    app = create_app(settings={"reload_interval": 0})
    done = app.server.extensions.get("introdash_precompressed", {})
    where = performance.static_cache_dir() or "memory only"
    print(f"setup: static files compressed in advance: {done.get('files', 0)} files, "
          f"{done.get('raw_bytes', 0) / 1e6:.1f} MB; {done.get('compressed', 0)} compressed now, "
          f"{done.get('from_disk', 0)} already in {where} ({done.get('seconds', 0)} s)")
    return 1 if done.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
