#!/usr/bin/env bash
# Run every benchmark once (about 10 minutes; --quick about 4) and write benchmarks/RESULTS.md.
# Needs the dev set-up (Chromium, Playwright): bash scripts/setup.sh --test
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/python ]] || bash scripts/setup.sh --test
exec .venv/bin/python -m benchmarks.run "$@"
