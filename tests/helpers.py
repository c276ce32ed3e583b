"""Set-up that several test files share: a free port, and the real `python -m dashboard serve` started
and stopped (its own process group, so every worker goes with it)."""
from __future__ import annotations

import os
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
