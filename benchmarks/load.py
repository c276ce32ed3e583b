"""Load: N simulated users for a fixed time, each changing one filter after another with no pause, over
its own keep-alive connection (a closed loop: the offered load is as high as the server can take).
Loopback only, bounded by time. Every answer is checked: HTTP 200 and a complete JSON body."""
from __future__ import annotations

import json
import threading
import time

from .bodies import User
from .common import Client, decode, dumps, summary

PATH = "/_dash-update-component"


def run(port: int, templates: list[dict], users: int = 50, seconds: float = 60.0, seed: int = 1) -> dict:
    """Each user's change is its requests one after the other (the browser sends them at once)."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    changes = [0]

    def person(n: int):
        user = User(templates, seed * 1000 + n)
        client = Client(port, timeout=120)
        while time.monotonic() < deadline:
            for body in user.next_bodies():
                try:
                    status, raw, enc, ms = client.post_json(PATH, dumps(body))
                    if status not in (200, 204):
                        raise RuntimeError(f"HTTP {status}")
                    if status == 200:
                        data = decode(raw, enc)
                        json.loads(data)
                        user.saw(data)
                except Exception as e:  # counted, never hidden
                    with lock:
                        errors.append(f"{type(e).__name__}: {e}"[:200])
                    client.close()
                    client = Client(port, timeout=120)
                    continue
                with lock:
                    times.append(ms)
            with lock:
                changes[0] += 1
        client.close()

    start = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 180)
    elapsed = time.monotonic() - start
    return {"users": users, "seconds": round(elapsed, 1), "requests": len(times),
            "rps": round(len(times) / elapsed, 1), "changes": changes[0], "changes_per_s": round(changes[0] / elapsed, 1), **{k: v for k, v in summary(times).items() if k != "n"},
            "errors": len(errors), "error_examples": sorted(set(errors))[:5]}
