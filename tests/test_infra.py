"""Facts about the set-up (scripts/setup.sh + scripts/vendor_assets.py). No browser needed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "assets" / "vendor"


def test_bootstrap_css_is_vendored():
    header = (VENDOR / "bootstrap.min.css").read_bytes()[:200].decode("utf-8")
    assert re.search(r"\* Bootstrap\s+v5\.3\.6\b", header), header


def test_plotly_basic_bundle_is_vendored_at_4_1_1():
    header = (VENDOR / "plotly-basic.min.js").read_bytes()[:200].decode("utf-8")
    assert re.search(r"plotly\.js \(basic - minified\) v4\.1\.1\b", header), header


def test_norwegian_plotly_locale_parses_with_decimal_comma():
    locale = json.loads((VENDOR / "plotly-locale-no.json").read_text(encoding="utf-8"))
    assert locale["name"] == "no"
    assert locale["format"]["decimal"] == ","
    assert locale["format"]["thousands"] == " "
    assert locale["format"]["shortMonths"][4] == "Mai"
    assert locale["dictionary"]["Zoom in"] == "Zoom inn"
    # upstream has the typo 'Reset akses'; vendor_assets.py adds the key plotly.js looks up
    assert locale["dictionary"]["Reset axes"] == "Tilbakestill akser"


def test_vendored_files_and_node_modules_are_git_ignored():
    paths = ["assets/vendor/bootstrap.min.css", "assets/vendor/plotly-locale-no.json", "node_modules/x"]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == paths
