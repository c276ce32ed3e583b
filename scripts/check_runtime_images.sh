#!/usr/bin/env bash
# Images work on the plain runtime install, the way a user installs the app:
#   bash scripts/check_runtime_images.sh
# A fresh venv in a temporary folder gets ONLY requirements.txt and the package (no test extras), the
# app is started on a free loopback port, /chart.png?chart=trend must answer 200 with a PNG, and
# everything is removed again. pip's own cache is used (no --no-cache-dir), so a second run is quick.
# Needs what scripts/setup.sh installs from Debian on the runtime path (chromium and its fonts).
# Exit 0 and one line on success; otherwise the reason, the server's log, and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/introdash-runtime-XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "runtime image check: $*" >&2; [[ -s "$TMP/server.log" ]] && tail -n 40 "$TMP/server.log" >&2; exit 1; }

start=$(date +%s)
"$PY" -m venv "$TMP/venv" || fail "cannot create a venv with $PY"
VPY="$TMP/venv/bin/python"
"$VPY" -m pip install -q --disable-pip-version-check -r requirements.txt >"$TMP/pip.log" 2>&1 \
  || { cat "$TMP/pip.log" >&2; fail "pip install -r requirements.txt failed"; }
# The package itself as scripts/setup.sh installs it (editable, so that it reads this checkout's data/).
# The editable hook goes into the temporary venv only; its build files are git-ignored (*.egg-info).
"$VPY" -m pip install -q --disable-pip-version-check --no-deps -e . >>"$TMP/pip.log" 2>&1 \
  || { cat "$TMP/pip.log" >&2; fail "pip install -e . failed"; }
# Nothing of the test set may have come in: the check is about what a user gets.
for pkg in pytest playwright hypothesis; do
  if "$VPY" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$pkg') is None)" 2>/dev/null; then
    fail "$pkg is installed in the runtime venv: requirements.txt pulls in test tools"
  fi
done

PORT=$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Run from the temporary folder, so that only the installed package (not the checkout on sys.path) is used.
(cd "$TMP" && INTRODASH_ACCESS_LOG=0 exec setsid "$VPY" -m dashboard serve --host 127.0.0.1 --port "$PORT" \
   --workers 1 >"$TMP/server.log" 2>&1) &
SERVER_PID=$!

"$VPY" - "$PORT" "$SERVER_PID" "$TMP/chart.png" <<'EOF' || fail "no PNG from /chart.png?chart=trend"
import http.client, os, sys, time
port, pid, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def get(path, timeout):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.getheader("Content-Type"), r.read()

deadline = time.monotonic() + 120
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the server exited")
    try:
        if get("/healthz", 2)[0] == 200:
            break
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit("no 200 on /healthz after 120 s")
    time.sleep(0.1)
status, ctype, body = get("/chart.png?chart=trend", 120)
if status != 200 or ctype != "image/png" or body[:8] != b"\x89PNG\r\n\x1a\n" or len(body) < 10_000:
    sys.exit(f"/chart.png?chart=trend: HTTP {status}, {ctype}, {len(body)} bytes, starts {body[:16]!r}")
open(out, "wb").write(body)
EOF
echo "runtime image check: ok, a $(stat -c %s "$TMP/chart.png")-byte PNG from a plain runtime install" \
     "($(( $(date +%s) - start )) s)"
