"""Callback latency over HTTP against gunicorn: the real filter change vs a no-op callback, interleaved.

Both go through one keep-alive connection each, with the browser's Accept-Encoding, alternating which
goes first, so that whatever else the machine does at a moment weighs on both equally.
"""
from __future__ import annotations

import json

from .bench_app import noop_body
from .common import Client, decode, dumps, summary

PATH = "/_dash-update-component"


def interleaved(port: int, bodies: dict[str, dict | list[dict]], rounds: int, warmup: int = 5) -> dict:
    """bodies: name -> POST body, or a list of them sent one after the other and timed together (a filter
    change: URL ↔ controls, then what the new URL sets off); 'noop' is added. Returns name -> {p50, p95, ...}
    in ms."""
    bodies = {"noop": noop_body(1), **bodies}
    clients = {name: Client(port) for name in bodies}
    payloads = {name: [dumps(b) for b in (b if isinstance(b, list) else [b])] for name, b in bodies.items()}
    times: dict[str, list[float]] = {name: [] for name in bodies}
    sizes: dict[str, int] = {}
    names = list(bodies)
    for i in range(warmup + rounds):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            total = 0.0
            for payload in payloads[name]:
                status, body, enc, ms = clients[name].post_json(PATH, payload)
                if status not in (200, 204):
                    raise RuntimeError(f"{name}: HTTP {status}: {body[:200]!r}")
                total += ms
                if i == 0:
                    sizes[name] = sizes.get(name, 0) + len(body)
                    if status == 200:
                        json.loads(decode(body, enc))  # a real, complete answer
            if i >= warmup:
                times[name].append(total)
    for c in clients.values():
        c.close()
    return {name: {**summary(ms), "bytes": sizes.get(name)} for name, ms in times.items()}


def misses(port: int, bodies: list[dict]) -> dict:
    """Each body once (distinct views: with a cache, every one is a miss)."""
    c = Client(port)
    ms = []
    for b in bodies:
        status, body, enc, t = c.post_json(PATH, dumps(b))
        if status != 200:
            raise RuntimeError(f"HTTP {status}")
        ms.append(t)
    c.close()
    return summary(ms)
