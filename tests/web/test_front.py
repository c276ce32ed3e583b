"""The buffering front before the workers (web/front.py), without sockets: reading a request's head,
what the worker is sent, keep-alive, and the per-client rate limits. tests/robustness/test_robustness_serve.py
drives the real front with slow clients."""
from dashboard.web import front


def test_a_request_head_is_read_with_its_headers():
    head = front.parse_head(b"GET /healthz?x=1 HTTP/1.1\r\nHost: a\r\nX-Test: one\r\nx-test: two\r\n\r\n")
    assert isinstance(head, front.Head)
    assert (head.method, head.target, head.version) == (b"GET", b"/healthz?x=1", b"HTTP/1.1")
    assert head.lower[b"x-test"] == [b"one", b"two"] and head.lower[b"host"] == [b"a"]


def test_what_is_not_http_1_is_refused_plainly():
    assert front.parse_head(b"HELLO\r\n\r\n") == front.Refusal(400, "this is not an HTTP/1.x request")
    assert front.parse_head(b"GET / HTTP/2.0\r\n\r\n").status == 505
    assert front.parse_head(b"GET / HTTP/1.1\r\n folded: header\r\n\r\n").status == 400
    assert front.parse_head(b"GET / HTTP/1.1\r\nno colon here\r\n\r\n").status == 400


def test_keep_alive_follows_the_version_and_the_connection_header():
    keep = lambda raw: front.parse_head(raw).keep_alive()
    assert keep(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n") is True
    assert keep(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n") is False
    assert keep(b"GET / HTTP/1.0\r\n\r\n") is False
    assert keep(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") is True


def test_the_worker_gets_the_request_without_hop_by_hop_headers_and_with_the_client_last():
    head = front.parse_head(b"POST /_dash-update-component HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n"
                            b"X-Forwarded-For: 10.0.0.9\r\nContent-Length: 2\r\n\r\n")
    sent = head.upstream("127.0.0.1", b"{}")
    lines = sent.split(b"\r\n")
    assert lines[0] == b"POST /_dash-update-component HTTP/1.1"
    assert b"Connection: keep-alive" not in lines and lines[-3] == b"Connection: close"
    assert b"X-Forwarded-For: 10.0.0.9, 127.0.0.1" in lines and b"Content-Length: 2" in lines
    assert sent.endswith(b"\r\n\r\n{}")


def test_a_bucket_lets_a_burst_through_then_says_how_long_to_wait():
    bucket = front.Bucket(rate=2.0)                    # 2 a second, a burst of 6
    assert [bucket.take(1) for _ in range(6)] == [0.0] * 6
    wait = bucket.take(1)
    assert 0.3 < wait <= 0.5                            # half a second for the next token, less the time passed
    big = front.Bucket(rate=1.0)
    assert big.take(100) == 0.0                         # larger than the whole burst: passes when full
    assert big.take(1) > 0
