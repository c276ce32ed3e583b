"""Helpers shared by the benchmarks: servers in subprocesses, percentiles, memory, the machine."""
from __future__ import annotations

import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
BROWSER_ACCEPT = "gzip, deflate, br, zstd"   # what Chromium 156 sends


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str = "/healthz", timeout: float = 120.0, proc=None) -> float:
    """Poll until `path` answers 200; return the seconds waited. Raise if the process dies or time runs out."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"no 200 on {path} after {timeout} s")


@contextmanager
def server(args: list[str], port: int, env: dict | None = None, wait: bool = True, log: Path | None = None):
    """A server subprocess (its own process group, so every worker is ended with it)."""
    # Every benchmark client comes from one loopback address (the load test's 50 users too): the per-address
    # rate limit of `serve` would answer them 429, and it is not what these numbers measure.
    full_env = {**os.environ, "INTRODASH_ACCESS_LOG": "0", "INTRODASH_RATE_CALLBACKS": "0",
                "INTRODASH_RATE_UPLOAD_BYTES": "0", **(env or {})}
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        if wait:
            wait_http(port, proc=proc)
        yield proc
    finally:
        stop(proc)
        if log:
            out.close()


def stop(proc) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def bench_app(port: int, workers: int = 2, memoize: bool = False, data: str | None = None) -> list[str]:
    args = [PY, "-m", "benchmarks.bench_app", "--port", str(port), "--workers", str(workers)]
    if memoize:
        args.append("--memoize")
    if data:
        args += ["--data", data]
    return args


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def memory(pid: int) -> dict:
    """RSS and PSS in MB (PSS shares copy-on-write pages fairly between the processes that map them)."""
    out = {"rss": 0.0, "pss": 0.0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                k, v = line.split(":", 1)
                if k in ("Rss", "Pss"):
                    out[k.lower()] = int(v.split()[0]) / 1024
    except OSError:
        pass
    return out


def percentile(values, p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2),
            "max": round(max(ms), 2) if ms else None}


def decode(body: bytes, encoding: str | None) -> bytes:
    if not encoding:
        return body
    if encoding == "zstd":
        try:
            from compression import zstd
        except ImportError:
            from backports import zstd
        return zstd.decompress(body)
    if encoding == "br":
        import brotli
        return brotli.decompress(body)
    if encoding == "gzip":
        import gzip
        return gzip.decompress(body)
    raise ValueError(encoding)


class Client:
    """One keep-alive connection, as a browser tab keeps one."""

    def __init__(self, port: int, accept: str = BROWSER_ACCEPT, timeout: float = 120.0):
        self.port, self.accept, self.timeout = port, accept, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def post_json(self, path: str, payload: bytes) -> tuple[int, bytes, str | None, float]:
        """(status, raw body, Content-Encoding, milliseconds from send to the last byte)."""
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Accept-Encoding": self.accept}
        for attempt in (0, 1):
            try:
                start = time.perf_counter()
                self.conn.request("POST", path, body=payload, headers=headers)
                resp = self.conn.getresponse()
                body = resp.read()
                return resp.status, body, resp.getheader("Content-Encoding"), (time.perf_counter() - start) * 1e3
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn's keep-alive timeout closed an idle connection: reconnect once, like a browser.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    def close(self):
        self.conn.close()


def machine() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    chromium = ""
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    pkgs = {}
    for name in ("dash", "dash-bootstrap-components", "plotly", "pandas", "numpy", "flask", "werkzeug",
                 "flask-compress", "flask-caching", "gunicorn", "playwright", "brotli", "backports.zstd", "redis"):
        try:
            pkgs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "chromium": chromium, "packages": pkgs,
            "loadavg_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def dumps(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()
