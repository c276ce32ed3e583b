#!/usr/bin/env python3
"""Copy the front-end files the app serves from npm's node_modules/ into assets/vendor/.

Run after `npm ci` (scripts/setup.sh does both). Standard library only; needs `node` for the
locale conversion. Nothing under assets/vendor/ is committed (see .gitignore).

  node_modules/bootstrap/dist/css/bootstrap.min.css       -> assets/vendor/bootstrap.min.css
  node_modules/plotly.js-basic-dist-min/plotly-basic.min.js -> assets/vendor/plotly-basic.min.js
  node_modules/plotly.js-locales/no.js                    -> assets/vendor/plotly-locale-no.json
  the three packages' LICENSE files                       -> assets/vendor/LICENSE-<package>.txt

Dash includes every asset whose name ends in "js" or "css" (including sub-folders) on every page,
so the CSS and the plotly.js bundle load automatically; the .json file and the licences are only
served as static files (for example /assets/vendor/plotly-locale-no.json).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "assets" / "vendor"

COPIES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
    "plotly.js-basic-dist-min/plotly-basic.min.js": "plotly-basic.min.js",
    # Licence names must not end in "js"/"css", or Dash would inject them as scripts/styles.
    "bootstrap/LICENSE": "LICENSE-bootstrap.txt",
    "plotly.js-basic-dist-min/LICENSE": "LICENSE-plotly.js.txt",
    "plotly.js-locales/LICENSE": "LICENSE-plotly.js-locales.txt",
}

LOCALE_SOURCE = "plotly.js-locales/no.js"
LOCALE_TARGET = "plotly-locale-no.json"
# Upstream no.js (3.7.0) has the key 'Reset akses' (typo), so plotly.js never finds a
# translation for its "Reset axes" modebar title. Add the key plotly.js actually looks up.
LOCALE_EXTRA = {"Reset axes": "Tilbakestill akser"}

EXPECTED_VERSIONS = {
    "bootstrap": "5.3.6",
    "plotly.js-basic-dist-min": "4.1.1",
    "plotly.js-locales": "3.7.0",
}


def fail(message: str) -> None:
    print(f"vendor_assets: {message}", file=sys.stderr)
    sys.exit(1)


def write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def check_versions() -> None:
    for package, wanted in EXPECTED_VERSIONS.items():
        manifest = NODE_MODULES / package / "package.json"
        if not manifest.is_file():
            fail(f"{manifest.relative_to(ROOT)} is missing: run `npm ci` first")
        found = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if found != wanted:
            fail(f"{package} is {found} in node_modules, expected {wanted}: run `npm ci`")


def convert_locale() -> dict:
    node = shutil.which("node")
    if node is None:
        fail("`node` not found (apt-get install nodejs npm)")
    source = NODE_MODULES / LOCALE_SOURCE
    script = "process.stdout.write(JSON.stringify(require(process.argv[1])))"
    result = subprocess.run(
        [node, "-e", script, str(source)], capture_output=True, check=False
    )
    if result.returncode != 0:
        fail(f"node could not read {LOCALE_SOURCE}: {result.stderr.decode(errors='replace')}")
    locale = json.loads(result.stdout.decode("utf-8"))
    if not isinstance(locale.get("dictionary"), dict) or not isinstance(locale.get("format"), dict):
        fail(f"{LOCALE_SOURCE} has no 'dictionary'/'format' objects")
    for key, value in LOCALE_EXTRA.items():
        locale["dictionary"].setdefault(key, value)
    return locale


def main() -> int:
    if not NODE_MODULES.is_dir():
        fail("node_modules/ is missing: run `npm ci` first")
    check_versions()
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in COPIES.items():
        path = NODE_MODULES / source
        if not path.is_file():
            fail(f"{path.relative_to(ROOT)} is missing")
        write_atomic(VENDOR / target, path.read_bytes())
    locale = convert_locale()
    text = json.dumps(locale, ensure_ascii=False, indent=1) + "\n"
    write_atomic(VENDOR / LOCALE_TARGET, text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
