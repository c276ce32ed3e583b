#!/usr/bin/env bash
# bash run.sh [--host H] [--port P] [--data FILE_OR_DIR] [--dev]
# Sets up .venv and the vendored assets if needed, then serves the dashboard (arguments go to the CLI).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/python -m dashboard serve "$@"
