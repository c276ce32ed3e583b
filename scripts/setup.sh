#!/usr/bin/env bash
# Set up everything the app needs, idempotently and quietly:
#   bash scripts/setup.sh          runtime: Debian chromium + fonts (images), .venv + requirements.txt +
#                                  editable package, npm assets, static files compressed in advance
#   bash scripts/setup.sh --test   also libatomic1 + redis-server (tests) and requirements-dev.txt
# Each step is skipped when a hash stamp shows its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
WANT_TEST=0; [[ "${1:-}" == "--test" ]] && WANT_TEST=1
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0
apt_install() {
  echo "setup: apt-get install $*"
  if [[ $APT_UPDATED -eq 0 ]]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# --- Debian packages --------------------------------------------------------------------------
PY=${PYTHON:-python3}
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3 python3-venv; PY=python3; fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then apt_install nodejs npm; fi
# Debian's Chromium and the fonts the images are drawn with: kaleido renders /chart.png and /chart.svg with
# it (and Playwright's browser download cannot work here). Without it the app serves everything but images.
DEBS=(chromium fonts-liberation fonts-dejavu-core)
# libatomic1 for Playwright's bundled node; redis-server: the shared-cache test runs two apps against a real Redis
[[ $WANT_TEST -eq 1 ]] && DEBS+=(libatomic1 redis-server)
if ! dpkg -s "${DEBS[@]}" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt_install "${DEBS[@]}" || { [[ $WANT_TEST -eq 1 ]] && exit 1
      echo "setup: could not install chromium: the app will serve everything but images (/chart.png, /chart.svg)" >&2; }
  else
    echo "setup: no apt-get: install chromium (and fonts) yourself for images (/chart.png, /chart.svg)" >&2
  fi
fi

# --- Python: .venv, pinned requirements, then the package itself (editable, no deps) -----------
REQ=requirements.txt; [[ $WANT_TEST -eq 1 ]] && REQ=requirements-dev.txt
[[ -x .venv/bin/python ]] || { echo "setup: creating .venv"; "$PY" -m venv .venv; }
# The editable install records dashboard/ as a namespace package while it has no __init__.py,
# and then misses the regular package outside the repo root: re-install once __init__.py appears.
PKG_STATE=namespace; [[ -e dashboard/__init__.py ]] && PKG_STATE=regular
PIP_HASH=$({ cat requirements.txt requirements-dev.txt pyproject.toml; echo "$PKG_STATE"; } | sha256sum | cut -c1-16)
if [[ ! -e .venv/.installed-$PIP_HASH-$WANT_TEST && ! -e .venv/.installed-$PIP_HASH-1 ]]; then
  echo "setup: pip install -r $REQ"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQ"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  rm -f .venv/.installed-*; touch ".venv/.installed-$PIP_HASH-$WANT_TEST"
fi

# --- Front-end files from npm into assets/vendor/ (never committed) ----------------------------
NPM_HASH=$(hash_of package.json package-lock.json)
if [[ ! -e node_modules/.installed-$NPM_HASH ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  touch "node_modules/.installed-$NPM_HASH"
fi
VENDOR_HASH=$(hash_of package-lock.json scripts/vendor_assets.py)
if [[ ! -e assets/vendor/.vendored-$VENDOR_HASH || ! -s assets/vendor/bootstrap.min.css \
      || ! -s assets/vendor/plotly-basic.min.js || ! -s assets/vendor/plotly-locale-no.json ]]; then
  echo "setup: vendoring front-end assets into assets/vendor/"
  .venv/bin/python scripts/vendor_assets.py
  rm -f assets/vendor/.vendored-*; touch "assets/vendor/.vendored-$VENDOR_HASH"
fi

# --- Static files compressed in advance (zstd 19, brotli 9, gzip 9) into the folder the app reads at start
STATIC_HASH=$({ echo "$PIP_HASH"; cat package-lock.json; find assets -type f ! -name '.*' -printf '%P %s %T@\n' | sort; } \
              | sha256sum | cut -c1-16)
if [[ ! -e .venv/.precompressed-$STATIC_HASH ]]; then
  .venv/bin/python scripts/precompress_static.py || echo "setup: static files will be compressed at start instead" >&2
  rm -f .venv/.precompressed-*; touch ".venv/.precompressed-$STATIC_HASH"
fi
