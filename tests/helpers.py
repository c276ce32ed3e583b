"""Set-up that several test files share: a free port, and the real `python -m dashboard serve` started
and stopped (its own process group, so every worker goes with it)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(log: Path, args: list[str], env: dict, port: int | None = None, poll: float = 0.1) -> dict:
    """`python -m dashboard serve --port P *args` with `env` over this environment (no GUNICORN_CMD_ARGS),
    once its /healthz answers 200; the test fails, with the end of the log, if it exits or takes 120 s."""
    port = port or free_port()
    full_env = {**os.environ, "INTRODASH_ACCESS_LOG": "0", **env}
    full_env.pop("GUNICORN_CMD_ARGS", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), *args], cwd=ROOT,
                                env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            stop_serve({"proc": proc})
            pytest.fail(f"no /healthz after 120 s:\n{log.read_text()[-3000:]}")
        time.sleep(poll)
    return {"base": base, "port": port, "proc": proc, "log": log}


def stop_serve(server: dict) -> None:
    """SIGTERM to the whole group, then SIGKILL after 30 s."""
    proc = server["proc"]
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


DASHBOARD_JS = ROOT / "assets" / "js" / "dashboard.js"
NODE = shutil.which("node") or shutil.which("nodejs")   # installed by scripts/setup.sh
NO_UPDATE = "<no_update>"

_JS_RUNNER = """
const vm = require("vm"), fs = require("fs");
const noop = () => {};
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
const out = calls.map(([fn, args, triggered, search, elements]) => {
  const history = {state: null, replaced: null, replaceState(s, t, url) { this.replaced = url; }};
  const window = {dash_clientside: {no_update: "<no_update>", callback_context: {triggered: triggered}},
                  history: history, location: {pathname: "/intro/", search: search || "", hash: ""}};
  const byId = id => (elements || {})[id] || null;  // the page's elements a call finds (none unless given)
  const ctx = {window, document: {addEventListener: noop, getElementById: byId, readyState: "complete"},
               navigator: {}, console, MutationObserver: class { observe() {} disconnect() {} }};
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), ctx);
  const value = window.dash_clientside.dashboard[fn].apply(null, args);
  return {value: value === undefined ? null : value, replaced: history.replaced};
});
process.stdout.write(JSON.stringify(out));
"""


def run_dashboard_js(calls: list[tuple]) -> list[dict]:
    """Functions of assets/js/dashboard.js run in Node as the browser runs them, with no page: each call is
    (name, args, triggered, location search[, elements by id]), `triggered` as Dash's callback_context gives it. Each answer
    is {"value": what it returned, "replaced": the URL it gave history.replaceState, or None}; Dash's
    no_update reads NO_UPDATE. One Node process for all of them."""
    assert NODE, "node is needed (bash scripts/setup.sh installs it)"
    out = subprocess.run([NODE, "-e", _JS_RUNNER, str(DASHBOARD_JS)], input=json.dumps(calls), capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)
