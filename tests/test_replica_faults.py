"""The replica's fault modes (``newscrawl/replica/faults.py``): each is served as specified, on the requests its
pattern matches, as many times as asked, and can be switched while the server runs.

Clients are urllib, http.client and raw sockets, every one with a timeout; everything stays on 127.0.0.1."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
import urllib.robotparser
from email.utils import parsedate_to_datetime

import pytest
from lxml import etree

from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.replica import faults
from newscrawl.replica.faults import (BOMB_FANOUT, BOMB_LEVELS, HUGE_SIZE, LOOP_MARKER, Fault, loop_partner,
                                      without_loop_marker)

POSTS_FEED = "/feeds/posts/default?start-index=1&max-results=500"
COMMENTS_FEED = "/feeds/comments/default?start-index=1&max-results=500"
CLIENT_TIMEOUT = 10


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=6, comments_per_post=3, seed=11, big_post_comments=0)


@pytest.fixture
def server(blog):
    with ReplicaServer(blog, template="threaded") as replica:
        yield replica


def get(server: ReplicaServer, path: str, timeout: float = CLIENT_TIMEOUT, method: str = "GET"):
    """(status, headers, body) of one request on a fresh connection; transport errors propagate."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def real(server: ReplicaServer, path: str) -> tuple[int, str, bytes, dict]:
    """What the replica answers without faults: the reference each altered answer is compared with."""
    return server.route(path, None)


def raw_exchange(server: ReplicaServer, path: str, timeout: float) -> tuple[bytes, float]:
    """Send a request on a raw socket; the bytes received until the server closes, and how long that took."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        started = time.monotonic()
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received, time.monotonic() - started


# ---------------------------------------------------------------------------------------------- HTTP errors


@pytest.mark.parametrize("status", [500, 502, 503])
def test_status_fault_fails_each_url_times_then_recovers(server, status):
    server.set_faults([Fault(r"^/feeds/posts/default", "status", status=status, times=2)])
    for _ in range(2):
        got, headers, body = get(server, POSTS_FEED)
        assert got == status
        assert headers["Content-Type"] == "text/html; charset=UTF-8"
        assert f"<b>{status}.</b>".encode() in body
        assert "Retry-After" not in headers
    got, headers, body = get(server, POSTS_FEED)
    assert (got, body) == (200, real(server, POSTS_FEED)[2])
    # another URL the pattern matches has failures of its own to serve
    assert get(server, "/feeds/posts/default?start-index=2&max-results=500")[0] == status
    # URLs the pattern does not match are never touched
    assert get(server, COMMENTS_FEED)[2] == real(server, COMMENTS_FEED)[2]


def test_pattern_is_matched_against_path_and_query(server):
    server.set_faults([Fault(r"start-index=26\b", "status", status=500)])
    assert get(server, "/feeds/posts/default?start-index=26&max-results=25")[0] == 500
    assert get(server, "/feeds/posts/default?start-index=1&max-results=25")[0] == 200
    assert get(server, "/feeds/comments/default?start-index=26&max-results=25")[0] == 500


def test_fault_that_never_recovers(server):
    server.set_faults([Fault(r"^/$", "status", status=502)])
    assert [get(server, "/")[0] for _ in range(5)] == [502] * 5


def test_429_says_when_to_retry_in_seconds(server):
    server.set_faults([Fault(r"^/feeds/", "429", retry_after=2, times=1)])
    status, headers, _ = get(server, POSTS_FEED)
    assert (status, headers["Retry-After"]) == (429, "2")
    assert get(server, POSTS_FEED)[0] == 200


def test_503_says_when_to_retry_as_an_http_date(server):
    server.set_faults([Fault(r"^/feeds/", "status", status=503, retry_after=3, retry_after_date=True)])
    asked = time.time()
    status, headers, _ = get(server, POSTS_FEED)
    retry_at = parsedate_to_datetime(headers["Retry-After"]).timestamp()
    assert status == 503
    # whole seconds, never earlier than asked
    assert asked + 3 <= retry_at <= time.time() + 4


# ---------------------------------------------------------------------------------------------- transport


def test_timeout_answers_nothing_and_closes_after_the_delay(server):
    server.set_faults([Fault(r"^/feeds/", "timeout", delay=1.0)])
    received, waited = raw_exchange(server, POSTS_FEED, timeout=5)
    assert received == b""
    assert 0.9 <= waited < 4


def test_timeout_outlasts_a_client_that_waits_less(server):
    server.set_faults([Fault(r"^/feeds/", "timeout", delay=5.0)])
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        get(server, POSTS_FEED, timeout=0.5)
    assert time.monotonic() - started < 2
    server.set_faults([])
    assert get(server, POSTS_FEED)[0] == 200  # the held connection does not block the server


def test_timeout_is_bounded_by_max_delay(server, monkeypatch):
    monkeypatch.setattr(faults, "MAX_DELAY", 0.5)
    server.set_faults([Fault(r"^/feeds/", "timeout", delay=1000)])
    received, waited = raw_exchange(server, POSTS_FEED, timeout=5)
    assert received == b"" and 0.4 <= waited < 3


def test_reset_aborts_the_connection_with_a_rst(server):
    server.set_faults([Fault(r"\.html$", "reset")])
    path = server.post_url(server.blog.posts[0]).removeprefix(server.base)
    with pytest.raises(ConnectionResetError):
        raw_exchange(server, path, timeout=5)
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        get(server, path)


def test_truncate_announces_the_whole_body_and_sends_half(server):
    server.set_faults([Fault(r"^/feeds/comments/", "truncate")])
    whole = real(server, COMMENTS_FEED)[2]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", COMMENTS_FEED)
        response = conn.getresponse()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) == len(whole)
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
    finally:
        conn.close()
    assert caught.value.partial == whole[: len(whole) // 2]


# ---------------------------------------------------------------------------------------------- charsets


def non_ascii_page(server: ReplicaServer) -> str:
    """A post page whose text is not plain ASCII: a wrong charset would show on it."""
    for post in server.blog.posts:
        path = server.post_url(post).removeprefix(server.base)
        if re.search(rb"[\x80-\xff]", real(server, path)[2]):
            return path
    raise AssertionError("the test blog has no non-ASCII post page")


def test_charset_wrong_claims_another_charset_for_the_same_utf8_bytes(server):
    server.set_faults([Fault(r"\.html$|^/feeds/", "charset_wrong", charset="ISO-8859-1")])
    for path in (non_ascii_page(server), COMMENTS_FEED):
        status, ctype, body, _ = real(server, path)
        got, headers, served = get(server, path)
        assert (got, served) == (status, body)
        assert headers["Content-Type"] == ctype.replace("charset=UTF-8", "charset=ISO-8859-1")
        body.decode("utf-8")  # the bytes are still UTF-8


def test_charset_missing_drops_the_charset_only(server):
    server.set_faults([Fault(r"\.html$|^/feeds/", "charset_missing")])
    page = non_ascii_page(server)
    assert get(server, page)[1]["Content-Type"] == "text/html"
    assert get(server, page)[2] == real(server, page)[2]
    assert get(server, POSTS_FEED)[1]["Content-Type"] == "application/atom+xml"


def test_altering_faults_pass_a_304_through_untouched(server):
    first = get(server, POSTS_FEED)
    server.set_faults([Fault(r"^/feeds/", "invalid_xml")])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", POSTS_FEED, headers={"If-None-Match": first[1]["ETag"]})
        response = conn.getresponse()
        assert (response.status, response.read()) == (304, b"")
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------- broken XML


def test_invalid_xml_cut_stops_inside_a_tag(server):
    server.set_faults([Fault(r"^/feeds/posts/", "invalid_xml", variant="cut")])
    whole = real(server, POSTS_FEED)[2]
    status, headers, body = get(server, POSTS_FEED)
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    assert int(headers["Content-Length"]) == len(body) < len(whole)  # a complete transfer of a broken document
    assert whole.startswith(body)
    assert body.rfind(b"<") > body.rfind(b">")  # ends in the middle of a tag
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)


def test_invalid_xml_broken_tag_misspells_one_end_tag(server):
    server.set_faults([Fault(r"^/feeds/posts/", "invalid_xml", variant="broken_tag")])
    whole = real(server, POSTS_FEED)[2]
    body = get(server, POSTS_FEED)[2]
    assert body.count(b"</titel>") == 1
    assert body.replace(b"</titel>", b"</title>") == whole
    assert body.index(b"</titel>") > body.index(b"<entry")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)


def test_entity_bomb_declares_a_billion_laughs_and_uses_it(server):
    server.set_faults([Fault(r"^/feeds/", "entity_bomb")])
    whole = real(server, POSTS_FEED)[2]
    body = get(server, POSTS_FEED)[2]
    declared = dict(re.findall(rb"<!ENTITY (\w+) '([^']*)'>", body))
    assert len(declared) == BOMB_LEVELS + 1

    sizes: dict[bytes, int] = {}  # expanded length of each entity, from the innermost out (each uses the one before)
    for name, value in declared.items():
        refs = re.findall(rb"&(\w+);", value)
        sizes[name] = len(re.sub(rb"&\w+;", b"", value)) + sum(sizes[ref] for ref in refs)
    top = f"lol{BOMB_LEVELS}".encode()
    assert sizes[top] == 3 * BOMB_FANOUT**BOMB_LEVELS >= 10**9
    assert re.search(rb"<title[^>]*>&" + top + rb";", body)
    # nothing else changed: without the DOCTYPE and the reference it is the real feed
    assert re.sub(rb"<!DOCTYPE feed \[.*?\]>|&" + top + rb";", b"", body) == whole
    assert body.index(b"<!DOCTYPE feed") < body.index(b"<feed")


# ---------------------------------------------------------------------------------------------- redirects, size


def test_redirect_loop_sends_a_to_b_and_b_back_to_a(server):
    server.set_faults([Fault(r"^/feeds/comments/default\?start-index=1&max-results=500$", "redirect_loop")])
    b_path = f"{COMMENTS_FEED}&{LOOP_MARKER}"
    status, headers, _ = get(server, COMMENTS_FEED)
    assert (status, headers["Location"]) == (302, server.base + b_path)
    status, headers, _ = get(server, b_path)
    assert (status, headers["Location"]) == (302, server.base + COMMENTS_FEED)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.base + COMMENTS_FEED, timeout=CLIENT_TIMEOUT)
    assert caught.value.code == 302
    assert without_loop_marker(server.base + b_path) == server.base + COMMENTS_FEED
    assert loop_partner("/2024/01/a.html") == f"/2024/01/a.html?{LOOP_MARKER}"


def test_redirect_loop_that_recovers_counts_both_ends_as_one_url(server):
    server.set_faults([Fault(r"^/feeds/comments/", "redirect_loop", times=2)])
    with urllib.request.urlopen(server.base + COMMENTS_FEED, timeout=CLIENT_TIMEOUT) as response:
        assert response.status == 200
        assert response.read() == real(server, COMMENTS_FEED)[2]
    assert server.requests == [COMMENTS_FEED, f"{COMMENTS_FEED}&{LOOP_MARKER}", COMMENTS_FEED]


def read_streamed(server: ReplicaServer, path: str) -> tuple[dict, int, bytes, bytes]:
    """(headers, bytes received, first bytes, last bytes) without keeping the body."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        size, head, tail = 0, b"", b""
        while chunk := response.read(1 << 16):
            head = head or chunk[:200]
            tail = (tail + chunk)[-200:]
            size += len(chunk)
        return dict(response.headers), size, head, tail
    finally:
        conn.close()


def test_huge_page_streams_50_mb_without_building_it(server):
    server.set_faults([Fault(r"\.html$", "huge")])
    path = server.post_url(server.blog.posts[0]).removeprefix(server.base)
    tracemalloc.start()
    try:
        headers, size, head, tail = read_streamed(server, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == HUGE_SIZE == 50 * 1024 * 1024
    assert int(headers["Content-Length"]) == HUGE_SIZE
    assert head.startswith(b"<!DOCTYPE html>") and tail.endswith(b"</html>\n")
    assert peak < 8 * 1024 * 1024, f"{peak} bytes allocated at once while streaming"


def test_huge_page_without_length_ends_with_the_connection(server):
    server.set_faults([Fault(r"\.html$", "huge", size=3 * 1024 * 1024, announce_size=False)])
    path = server.post_url(server.blog.posts[0]).removeprefix(server.base)
    headers, size, _, tail = read_streamed(server, path)
    assert "Content-Length" not in headers
    assert size == 3 * 1024 * 1024 and tail.endswith(b"</html>\n")


def test_huge_page_survives_a_client_that_hangs_up(server):
    server.set_faults([Fault(r"\.html$", "huge")])
    path = server.post_url(server.blog.posts[0]).removeprefix(server.base)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
    server.set_faults([])
    assert get(server, path)[0] == 200


# ---------------------------------------------------------------------------------------------- wrong documents


def test_html_for_feed_serves_the_home_page_as_html(server):
    server.set_faults([Fault(r"^/feeds/", "html_for_feed")])
    status, headers, body = get(server, POSTS_FEED)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=UTF-8")
    assert body == real(server, "/")[2]
    assert b"<feed" not in body and b"<html" in body


def test_robots_disallow_all(server, blog):
    server.set_faults([Fault(r"^/robots\.txt$", "robots_disallow_all")])
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(get(server, "/robots.txt")[2].decode().splitlines())
    for path in ("/", POSTS_FEED, server.post_url(blog.posts[0])):
        assert not parser.can_fetch("newscrawl", path)
    server.set_faults([])
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(get(server, "/robots.txt")[2].decode().splitlines())
    assert parser.can_fetch("newscrawl", POSTS_FEED)  # the normal robots.txt allows the feeds


# ---------------------------------------------------------------------------------------------- switching


def test_faults_are_switched_live_and_counts_start_again(blog):
    faults = [Fault(r"^/$", "status", status=500, times=1)]
    with ReplicaServer(blog, faults=faults) as server:
        assert [get(server, "/")[0] for _ in range(2)] == [500, 200]
        server.set_faults(faults)
        assert [get(server, "/")[0] for _ in range(2)] == [500, 200]
        server.set_faults([Fault(r"^/$", "status", status=502)])
        assert get(server, "/")[0] == 502
        server.set_faults([])
        assert get(server, "/")[0] == 200


def test_first_matching_fault_with_failures_left_wins(server):
    server.set_faults([Fault(r"^/$", "status", status=500, times=1), Fault(r"^/", "status", status=502, times=1)])
    assert [get(server, "/")[0] for _ in range(3)] == [500, 502, 200]


def test_concurrent_requests_fail_exactly_times(server):
    server.set_faults([Fault(r"^/feeds/posts/", "status", status=503, times=3)])
    statuses: list[int] = []
    lock = threading.Lock()

    def fetch() -> None:
        status = get(server, POSTS_FEED)[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fetch) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CLIENT_TIMEOUT)
    assert sorted(statuses) == [200] * 2 + [503] * 3


def test_request_log_times_every_request(server):
    before = time.monotonic()
    server.set_faults([Fault(r"^/feeds/", "status", status=500, times=1)])
    for path in ("/robots.txt", POSTS_FEED, POSTS_FEED):
        get(server, path)
    after = time.monotonic()
    assert [path for _, path in server.request_log] == server.requests == ["/robots.txt", POSTS_FEED, POSTS_FEED]
    times = [t for t, _ in server.request_log]
    assert before <= times[0] <= times[1] <= times[2] <= after


def test_head_request_gets_the_fault_without_a_body(server):
    server.set_faults([Fault(r"^/$", "status", status=503)])
    status, headers, body = get(server, "/", method="HEAD")
    assert status == 503 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"pattern": ".", "kind": "teapot"}, "kind must be one of"),
    ({"pattern": "(", "kind": "reset"}, "missing \\)"),
    ({"pattern": ".", "kind": "reset", "times": 0}, "times must be at least 1"),
    ({"pattern": ".", "kind": "status", "status": 200}, "error status"),
    ({"pattern": ".", "kind": "invalid_xml", "variant": "half"}, "variant must be one of"),
    ({"pattern": ".", "kind": "429"}, "needs retry_after"),
    ({"pattern": ".", "kind": "huge", "size": 10}, "huge page has at least"),
])
def test_bad_faults_are_refused_where_they_are_made(kwargs, message):
    with pytest.raises((ValueError, re.error), match=message):
        Fault(**kwargs)
