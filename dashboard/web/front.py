"""The front of `serve`: a buffering HTTP/1.1 server between the clients and gunicorn's sync workers.

A sync worker reads a request itself, one at a time: a client that sends its headers one line every few
seconds holds that worker the whole while, and a handful of such clients take the site down. Here, an
asyncio process (one per `serve`, started by server.py) accepts every connection, reads the whole request
(request line, headers, body) under a header and a body timeout, and only then hands it to a worker over
a private Unix socket; the answer is read from the worker at once and sent on to the client at the
client's pace. A worker therefore only ever sees complete requests and never waits for a client.

What it refuses, in plain text and before any worker is involved:
  408  headers not complete within header_timeout s, or the body within body_timeout s
  413  a body larger than max_request_bytes (by Content-Length; the body is not read)
  431  request line and headers over 16 KB
  400  a request line or header that is not HTTP/1.x; 411 Transfer-Encoding (a browser sends a length)
  429  per client address: callback requests (/_dash-update-component) over rate_callbacks per second, or
       callback body bytes over rate_upload_bytes per second (uploads, and views carrying a user's file);
       bursts of BURST_SECONDS' worth pass. Retry-After says when to try again.
  503  more than MAX_CONNECTIONS_PER_CLIENT open connections from one address
The worker's answer is passed on unchanged but for the hop-by-hop headers; connections to clients are
kept alive (HTTP/1.1), the one to the worker is not.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import time
from typing import NamedTuple

MAX_HEAD_BYTES = 16 * 1024
MAX_CONNECTIONS_PER_CLIENT = 256
BURST_SECONDS = 3.0
SEND_TIMEOUT = 60.0       # for the client to take the answer
UPSTREAM_TIMEOUT = 120.0  # for a worker to answer (gunicorn's own timeout, 30 s, comes first)
CONNECT_RETRY = 30.0      # the workers' socket may not exist yet (start-up) or be briefly full
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade",
              b"transfer-encoding", b"expect"}
CALLBACK_PATH = b"/_dash-update-component"
REASONS = {400: "Bad Request", 404: "Not Found", 408: "Request Timeout", 411: "Length Required",
           413: "Payload Too Large", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
           502: "Bad Gateway", 503: "Service Unavailable", 505: "HTTP Version Not Supported"}


class Bucket:
    """A token bucket: `rate` per second, holding at most rate × BURST_SECONDS."""
    __slots__ = ("rate", "capacity", "tokens", "at")

    def __init__(self, rate: float):
        self.rate, self.capacity = rate, max(rate * BURST_SECONDS, 1.0)
        self.tokens, self.at = self.capacity, time.monotonic()

    def take(self, n: float) -> float:
        """0 if `n` tokens were taken, else the seconds until they would be there."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if n <= self.tokens or (n > self.capacity and self.tokens >= self.capacity):
            self.tokens -= n  # (a request larger than the whole burst passes when the bucket is full)
            return 0.0
        return (n - self.tokens) / self.rate


class Refusal(NamedTuple):
    """An answer of the front's own instead of the worker's: Front.refuse(writer, *refusal)."""
    status: int
    why: str
    headers: bytes = b""


class Head(NamedTuple):
    """A request line and headers as read; `lower` holds each header's values by its lower-case name."""
    method: bytes
    target: bytes
    version: bytes
    headers: list[tuple[bytes, bytes]]
    lower: dict[bytes, list[bytes]]

    def keep_alive(self) -> bool:
        """Whether the client's connection stays open after the answer (HTTP/1.1 unless it says close;
        HTTP/1.0 if it asks for keep-alive)."""
        connection = self.lower.get(b"connection", [])
        keep = self.version == b"HTTP/1.1" and not any(b"close" in v.lower() for v in connection)
        if self.version == b"HTTP/1.0" and any(b"keep-alive" in v.lower() for v in connection):
            keep = True
        return keep

    def upstream(self, client: str, body: bytes) -> bytes:
        """The request as the worker gets it: HTTP/1.1, no hop-by-hop headers, the client's address last in
        X-Forwarded-For, and the connection closed after the answer."""
        forwarded = b", ".join(self.lower.get(b"x-forwarded-for", []) + [client.encode()])
        out = [b"%s %s HTTP/1.1" % (self.method, self.target)]
        out += [b"%s: %s" % (n, v) for n, v in self.headers
                if n.lower() not in HOP_BY_HOP and n.lower() != b"x-forwarded-for"]
        out += [b"X-Forwarded-For: " + forwarded, b"Connection: close"]
        return b"\r\n".join(out) + b"\r\n\r\n" + body


def parse_head(head: bytes) -> Head | Refusal:
    """The request line and headers read, or the refusal of ones that are not HTTP/1.x."""
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0") or not parts[1] or not parts[0].isalpha():
        return Refusal(505 if len(parts) == 3 and parts[2].startswith(b"HTTP/") else 400,
                       "this is not an HTTP/1.x request")
    method, target, version = parts
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or b" " in name or line[:1] in (b" ", b"\t"):
            return Refusal(400, "a header line cannot be read")
        headers.append((name, value.strip()))
    lower: dict[bytes, list[bytes]] = {}
    for name, value in headers:
        lower.setdefault(name.lower(), []).append(value)
    return Head(method, target, version, headers, lower)


class Front:
    def __init__(self, upstream: str, settings: dict):
        self.upstream = upstream
        self.header_timeout = settings["header_timeout"]
        self.body_timeout = settings["body_timeout"]
        self.max_body = settings["max_request_bytes"]
        self.rate_calls = settings["rate_callbacks"]
        self.rate_bytes = settings["rate_upload_bytes"]
        self.connections: dict[str, int] = {}
        self.buckets: dict[str, tuple[Bucket | None, Bucket | None]] = {}
        self.last_sweep = time.monotonic()

    # --- per-client limits ---------------------------------------------------------------------
    def _buckets(self, client: str):
        b = self.buckets.get(client)
        if b is None:
            b = (Bucket(self.rate_calls) if self.rate_calls > 0 else None,
                 Bucket(self.rate_bytes) if self.rate_bytes > 0 else None)
            self.buckets[client] = b
        now = time.monotonic()
        if now - self.last_sweep > 60:  # forget clients whose buckets are full again
            self.last_sweep = now
            for k in [k for k, (c, n) in self.buckets.items()
                      if all(x is None or now - x.at > BURST_SECONDS * 2 for x in (c, n))]:
                del self.buckets[k]
        return b

    def over_rate(self, client: str, body_bytes: int) -> float:
        calls, sizes = self._buckets(client)
        wait = calls.take(1) if calls else 0.0
        if not wait and sizes:
            wait = sizes.take(body_bytes)
        return wait

    # --- one connection ------------------------------------------------------------------------
    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        client = peer[0] if isinstance(peer, tuple) else "local"
        self.connections[client] = self.connections.get(client, 0) + 1
        try:
            if self.connections[client] > MAX_CONNECTIONS_PER_CLIENT:
                await self.refuse(writer, 503, "too many connections from one address")
                return
            while await self.one_request(reader, writer, client):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, OSError):
            pass
        except asyncio.CancelledError:  # the front is stopping: the connection simply closes
            pass
        finally:
            self.connections[client] -= 1
            if not self.connections[client]:
                del self.connections[client]
            writer.close()

    async def refuse(self, writer, status: int, why: str, headers: bytes = b"") -> None:
        body = f"{status} {REASONS[status]}: {why}.\n".encode()
        writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\nX-Content-Type-Options: nosniff\r\n%s\r\n%s"
                     % (status, REASONS[status].encode(), len(body), headers, body))
        try:
            await asyncio.wait_for(writer.drain(), 5)
        except (ConnectionError, asyncio.TimeoutError, OSError):
            pass

    async def one_request(self, reader, writer, client: str) -> bool:
        """Read, check and forward one request; True if the connection stays open for another."""
        head = await self.read_head(reader, writer)
        if head is None:
            return False
        request = parse_head(head)
        if isinstance(request, Refusal):
            await self.refuse(writer, *request)
            return False
        length = self.body_length(request, client)
        if isinstance(length, Refusal):
            await self.refuse(writer, *length)
            return False
        if length and any(v.lower() == b"100-continue" for v in request.lower.get(b"expect", [])):
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = await asyncio.wait_for(reader.readexactly(length), self.body_timeout) if length else b""
        except asyncio.TimeoutError:
            await self.refuse(writer, 408, f"the body did not arrive within {self.body_timeout:g} s")
            return False
        keep = request.keep_alive()
        answer = await self.forward(request.upstream(client, body))
        if answer is None:
            await self.refuse(writer, 502, "the application did not answer; try again shortly")
            return False
        writer.write(self.rewrite(answer, request.method == b"HEAD", keep))
        await asyncio.wait_for(writer.drain(), SEND_TIMEOUT)
        return keep

    async def read_head(self, reader, writer) -> bytes | None:
        """The request line and headers (up to the blank line), or None when the connection is to close:
        idle or gone (quietly), or too slow or too large (refused)."""
        try:
            return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.header_timeout)
        except asyncio.TimeoutError:
            if reader.at_eof() or not reader._buffer:  # an idle kept-alive connection: just close it
                return None
            await self.refuse(writer, 408, f"the headers did not arrive within {self.header_timeout:g} s")
            return None
        except asyncio.LimitOverrunError:
            await self.refuse(writer, 431, f"the request line and headers exceed {MAX_HEAD_BYTES} bytes")
            return None
        except asyncio.IncompleteReadError:
            return None

    def body_length(self, request: "Head", client: str) -> "int | Refusal":
        """The body's length by Content-Length, or the refusal of a request whose body is not taken: sent in
        chunks, of unreadable or too large a length, or a callback over this client's rate."""
        if b"transfer-encoding" in request.lower:
            return Refusal(411, "send the body with a Content-Length")
        lengths = set(request.lower.get(b"content-length", []))
        if len(lengths) > 1 or (lengths and not next(iter(lengths)).isdigit()):
            return Refusal(400, "the Content-Length cannot be read")
        length = int(next(iter(lengths))) if lengths else 0
        if length > self.max_body:
            return Refusal(413, f"the request is larger than {self.max_body} bytes")
        path = request.target.split(b"?", 1)[0]
        if request.method == b"POST" and path.endswith(CALLBACK_PATH):
            wait = self.over_rate(client, length)
            if wait:
                return Refusal(429, "too many requests from this address; try again shortly",
                               b"Retry-After: %d\r\n" % max(1, int(wait + 0.999)))
        return length

    async def forward(self, request: bytes) -> bytes | None:
        deadline = time.monotonic() + CONNECT_RETRY
        while True:
            try:
                r, w = await asyncio.open_unix_connection(self.upstream, limit=1 << 20)
                break
            except (FileNotFoundError, ConnectionRefusedError, BlockingIOError):
                if time.monotonic() > deadline:
                    return None
                await asyncio.sleep(0.1)
        try:
            w.write(request)
            await asyncio.wait_for(w.drain(), UPSTREAM_TIMEOUT)
            chunks, size = [], 0
            async with asyncio.timeout(UPSTREAM_TIMEOUT):
                while chunk := await r.read(1 << 20):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        return None
            return b"".join(chunks) or None
        except (ConnectionError, asyncio.TimeoutError, OSError):
            return None
        finally:
            w.close()

    @staticmethod
    def rewrite(answer: bytes, head_only: bool, keep: bool) -> bytes:
        """The worker's answer for the client: its own Connection header, and a length when the worker
        marked the end by closing (the client's connection stays open, so the end must be said)."""
        end = answer.find(b"\r\n\r\n")
        if end < 0:
            return answer
        lines = answer[:end].split(b"\r\n")
        body = answer[end + 4:]
        status = lines[0].split(b" ", 2)
        code = int(status[1]) if len(status) > 1 and status[1].isdigit() else 200
        kept = [ln for ln in lines[1:] if ln.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")]
        names = {ln.split(b":", 1)[0].strip().lower() for ln in kept}
        if (b"content-length" not in names and b"transfer-encoding" not in names and not head_only
                and code not in (204, 304) and code >= 200):
            kept.append(b"Content-Length: %d" % len(body))
        kept.append(b"Connection: keep-alive" if keep else b"Connection: close")
        return b"\r\n".join([lines[0]] + kept) + b"\r\n\r\n" + body


async def main_async(listen_fd: int, upstream: str, parent: int) -> None:
    from .. import settings as settings_table
    front = Front(upstream, settings_table.resolve())
    sock = socket.socket(fileno=listen_fd)
    server = await asyncio.start_server(front.handle, sock=sock, limit=MAX_HEAD_BYTES, backlog=2048)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set if sig != signal.SIGHUP else (lambda: None))
    while not stop.is_set():
        if os.getppid() != parent:  # the serve process is gone: so is the application behind us
            break
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass
    server.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard.web.front")
    p.add_argument("--fd", type=int, required=True, help="the listening socket, inherited")
    p.add_argument("--upstream", required=True, help="gunicorn's Unix socket")
    p.add_argument("--parent", type=int, required=True)
    a = p.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; serve stops us itself
    asyncio.run(main_async(a.fd, a.upstream, a.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
