"""Start-up: from starting `python -m dashboard serve` to the first HTTP 200 on /."""
from __future__ import annotations

import os
import subprocess
import time

from .common import PY, ROOT, children, free_port, memory, stop, wait_http


def once(workers: int = 2, data: str | None = None) -> dict:
    port = free_port()
    args = [PY, "-m", "dashboard", "serve", "--port", str(port), "--workers", str(workers)]
    if data:
        args += ["--data", data]
    env = {**os.environ, "INTRODASH_ACCESS_LOG": "0"}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_http(port, "/", timeout=300, proc=proc)
        first = time.perf_counter() - start
        time.sleep(0.5)
        workers_mem = [memory(pid) for pid in children(proc.pid)]
        return {"seconds": round(first, 2), "master": memory(proc.pid), "workers": workers_mem}
    finally:
        stop(proc)


def run(runs: int = 3, workers: int = 2) -> dict:
    results = [once(workers) for _ in range(runs)]
    secs = sorted(r["seconds"] for r in results)
    return {"runs": secs, "median": secs[len(secs) // 2], "max": secs[-1], "memory": results[-1]}
