"""One real crawl per fault mode of the replica (``newscrawl/replica/faults.py``).

Each test serves a small Blogger blog on 127.0.0.1 with some requests failing, runs ``newscrawl crawl`` in a
subprocess (bounded in time, short download timeout, two retries) and checks that

* the crawl ends, and its exit code says whether URLs failed (0: none left unread, 1: some);
* everything the replica served correctly is stored with the replica's own values, and nothing from a broken
  answer is stored: a stored record that differs from the replica's fails the test;
* every URL that finally failed has one unresolved row in ``errors`` (reason, blog, crawl), the crawl's row counts
  them, and a fault the retries get past leaves no row at all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.replica.faults import Fault, without_loop_marker
from replica_compare import (FAST_LOCAL, assert_same_records, expected_comments, expected_posts, rows,
                             stored_comments, stored_posts)

pytestmark = pytest.mark.slow

# three attempts of at most 3 s each: a URL that never answers costs about 10 s
SHORT = ["-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=2"]
CRAWL_TIMEOUT = 90
POSTS_FEED = r"^/feeds/posts/default\?"
COMMENTS_FEED = r"^/feeds/comments/default\?"
FIRST_POSTS_FEED = "/feeds/posts/default?start-index=1&max-results=500"
FIRST_COMMENTS_FEED = "/feeds/comments/default?start-index=1&max-results=500"
NOT_ROBOTS = r"^/(?!robots\.txt)"
# a normal crawl of this blog peaks near 100 MB; a billion laughs expanded would take gigabytes
MEMORY_BOUND_MB = 400


@pytest.fixture(scope="module")
def blog():
    # 6 posts over 5 months, 18 comments with replies, non-ASCII names and text
    return generate_blog(posts=6, comments_per_post=3, seed=11, big_post_comments=0)


# ------------------------------------------------------------------------------------------------ running


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float

    def __str__(self) -> str:
        return f"exit {self.returncode} after {self.seconds:.1f}s\n{self.stdout}\n{self.stderr[-4000:]}"


def crawl(server: ReplicaServer, db: Path, *extra: str, timeout: float = CRAWL_TIMEOUT) -> Crawl:
    """``newscrawl crawl`` as ``replica_compare.run_crawl`` runs it, with short timeouts; the exit code is the
    caller's to check (after the data, so a failure shows what was stored). Also measures the crawl's peak
    memory: ``os.wait4`` reports the resources of that one child."""
    command = [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(db), "--log-level", "WARNING",
               "--platform", "blogger", *FAST_LOCAL, *SHORT, *extra]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        status, usage = _wait(process, timeout)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Crawl(status, out.read().decode(errors="replace"), err.read().decode(errors="replace"), seconds,
                     usage.ru_maxrss / 1024)


def _wait(process: subprocess.Popen, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
            return process.returncode, usage
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            process.returncode = -9
            raise AssertionError(f"the crawl did not end within {timeout} s")
        time.sleep(0.05)


# ------------------------------------------------------------------------------------------------ checks


def path_of(server: ReplicaServer, post) -> str:
    return server.post_url(post).removeprefix(server.base)


def exactly(path: str) -> str:
    return f"^{re.escape(path)}$"


def assert_served_data_stored(db: Path, server: ReplicaServer, blog, lost_posts=()) -> None:
    """Every post and comment is stored with the replica's values, except that ``lost_posts`` (whose pages
    failed) and their comments may be missing; nothing is stored that the replica does not serve."""
    key = f"blogger:{blog.blog_id}"
    lost = {f"{key}:{post.post_id}" for post in lost_posts}
    stored = stored_posts(db)
    wanted = {k: v for k, v in expected_posts(blog, server).items() if k not in lost or k in stored}
    assert_same_records(wanted, stored, "posts")
    stored = stored_comments(db)
    wanted = {k: v for k, v in expected_comments(blog).items() if v["post_id"] not in lost or k in stored}
    assert_same_records(wanted, stored, "comments")


def assert_complete(db: Path, server: ReplicaServer, blog) -> None:
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")


def last_crawl(db: Path) -> dict:
    return rows(db, "select * from crawls order by id desc limit 1")[0]


def assert_failures_recorded(db: Path, server: ReplicaServer, expected: dict[str, str]) -> dict[str, dict]:
    """The unresolved errors are exactly ``expected`` (path -> how the reason starts), recorded by the last
    crawl of this blog and counted in its crawls row. Both ends of a redirect loop count as one URL."""
    crawl_row = last_crawl(db)
    errors = rows(db, "select * from errors where resolved is null")
    recorded = {without_loop_marker(row["url"]).removeprefix(server.base): row for row in errors}
    assert set(recorded) == set(expected), f"unresolved errors {sorted(recorded)}, expected {sorted(expected)}"
    for path, reason in expected.items():
        row = recorded[path]
        assert (row["reason"] or "").startswith(reason), f"{path}: reason {row['reason']!r}, expected {reason!r}..."
        assert row["blog_url"] == server.url
        assert row["crawl_id"] == crawl_row["id"]
        assert row["attempts"] == 1
        assert row["first_failed"] and row["last_failed"]
        assert row["callback"], f"{path}: no callback to fetch it again with"
    assert crawl_row["errors"] == len(errors), f"crawls.errors {crawl_row['errors']}, errors rows {len(errors)}"
    return recorded


def assert_no_failures(db: Path) -> None:
    assert rows(db, "select url, reason from errors") == []
    assert last_crawl(db)["errors"] == 0


def assert_exit(result: Crawl, code: int) -> None:
    assert result.returncode == code, f"expected exit {code}: {result}"


def requests_of(server: ReplicaServer, path: str) -> int:
    return sum(1 for requested in server.requests if without_loop_marker(requested) == path)


def request_times(server: ReplicaServer, pattern: str) -> list[float]:
    return [t for t, path in server.request_log if re.search(pattern, path)]


# ------------------------------------------------------------------------------------------------ HTTP errors


def test_http_errors_the_retries_get_past_leave_complete_data_and_no_error(blog, tmp_path):
    db = tmp_path / "flaky.db"
    faults = [  # each fails twice; the third attempt (the second retry) succeeds
        Fault(POSTS_FEED, "status", status=500, times=2),
        Fault(r"^/feeds/comments/default\?start-index=1&", "status", status=502, times=2),
        Fault(r"^/feeds/comments/default\?start-index=6&", "status", status=503, times=2),
    ]
    with ReplicaServer(blog, template="threaded", feeds="full", feed_cap=5, faults=faults) as server:
        result = crawl(server, db)
        requests = list(server.requests)
    assert_complete(db, server, blog)
    assert_no_failures(db)
    for pattern in (POSTS_FEED + "start-index=1&", r"^/feeds/comments/default\?start-index=1&",
                    r"^/feeds/comments/default\?start-index=6&"):
        assert len([r for r in requests if re.search(pattern, r)]) == 3, (pattern, requests)
    assert_exit(result, 0)


def test_a_page_failing_with_503_is_recorded_and_read_by_the_next_crawl(blog, tmp_path):
    db = tmp_path / "503.db"
    victim = blog.posts[2]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        path = path_of(server, victim)
        server.set_faults([Fault(exactly(path), "status", status=503)])
        first = crawl(server, db)
        assert_served_data_stored(db, server, blog, lost_posts=[victim])
        [error] = assert_failures_recorded(db, server, {path: "HTTP 503"}).values()
        assert error["status"] == 503
        assert requests_of(server, path) == 3  # the first attempt and two retries
        assert_exit(first, 1)

        server.set_faults([])
        second = crawl(server, db)
    assert_complete(db, server, blog)
    assert rows(db, "select resolved is not null as resolved from errors") == [{"resolved": 1}]
    assert_exit(second, 0)


def test_429_and_503_are_retried_no_earlier_than_retry_after(blog, tmp_path):
    db = tmp_path / "retry-after.db"
    faults = [Fault(POSTS_FEED, "429", retry_after=2, times=1),
              Fault(COMMENTS_FEED, "status", status=503, retry_after=2, retry_after_date=True, times=1)]
    with ReplicaServer(blog, template="threaded", feeds="full", faults=faults) as server:
        result = crawl(server, db)
        posts_feed, comments_feed = request_times(server, POSTS_FEED), request_times(server, COMMENTS_FEED)
    assert len(posts_feed) == len(comments_feed) == 2
    assert posts_feed[1] - posts_feed[0] >= 2.0  # Retry-After: 2
    assert comments_feed[1] - comments_feed[0] >= 2.0  # Retry-After: an HTTP date at least 2 s ahead
    assert_complete(db, server, blog)
    assert_no_failures(db)
    assert_exit(result, 0)


def test_a_retry_after_beyond_the_limit_is_recorded_and_retried_next_crawl(blog, tmp_path):
    db = tmp_path / "retry-after-long.db"
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        server.set_faults([Fault(COMMENTS_FEED, "429", retry_after=600)])
        first = crawl(server, db, "-s", "NEWSCRAWL_MAX_RETRY_AFTER=5")
        assert requests_of(server, FIRST_COMMENTS_FEED) == 1  # given up at once, not after 10 minutes
        assert_complete(db, server, blog)  # the comments were read from the post pages
        [error] = assert_failures_recorded(db, server, {FIRST_COMMENTS_FEED: "HTTP 429"}).values()
        assert error["status"] == 429
        assert_exit(first, 1)

        server.set_faults([])
        second = crawl(server, db)
        assert requests_of(server, FIRST_COMMENTS_FEED) == 2
    assert rows(db, "select resolved is not null as resolved from errors") == [{"resolved": 1}]
    assert_complete(db, server, blog)
    assert_exit(second, 0)


# ------------------------------------------------------------------------------------------------ transport


def test_timeouts_are_retried_then_recorded(blog, tmp_path):
    db = tmp_path / "timeout.db"
    victim = blog.posts[1]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        path = path_of(server, victim)
        server.set_faults([Fault(r"^/$", "timeout", delay=10, times=1), Fault(exactly(path), "timeout", delay=10)])
        result = crawl(server, db)
        assert requests_of(server, "/") == 2
        assert requests_of(server, path) == 3
    assert result.seconds < 60
    assert_served_data_stored(db, server, blog, lost_posts=[victim])
    [error] = assert_failures_recorded(db, server, {path: "timeout"}).values()
    assert error["status"] is None
    assert_exit(result, 1)


def test_connection_resets_are_retried_then_recorded(blog, tmp_path):
    db = tmp_path / "reset.db"
    victim = blog.posts[4]
    month = f"/{victim.year}/{victim.month:02d}/"
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        path = path_of(server, victim)
        server.set_faults([Fault(exactly(month), "reset", times=2), Fault(exactly(path), "reset")])
        result = crawl(server, db)
        assert requests_of(server, month) == 3  # two resets, then the page
        # three attempts; Twisted sends a GET again once by itself when a reused keep-alive connection dies
        # before any answer (an idempotent request may be repeated, RFC 9110 9.2.2), so up to two requests each
        assert 3 <= requests_of(server, path) <= 6
    assert_served_data_stored(db, server, blog, lost_posts=[victim])
    [error] = assert_failures_recorded(db, server, {path: "connection lost"}).values()
    assert error["status"] is None
    assert_exit(result, 1)


def test_truncated_answers_are_never_read_as_data(blog, tmp_path):
    db = tmp_path / "truncate.db"
    faults = [Fault(POSTS_FEED, "truncate", times=1), Fault(COMMENTS_FEED, "truncate")]
    with ReplicaServer(blog, template="threaded", feeds="full", faults=faults) as server:
        result = crawl(server, db)
        assert requests_of(server, FIRST_POSTS_FEED) == 2
        assert requests_of(server, FIRST_COMMENTS_FEED) == 3
    # the half comments feed is dropped; the comments come from the post pages, threads and all
    assert_complete(db, server, blog)
    assert_failures_recorded(db, server, {FIRST_COMMENTS_FEED: "connection lost"})
    assert_exit(result, 1)


# ------------------------------------------------------------------------------------------------ charsets


@pytest.mark.parametrize("feeds", ["summary", "none"])
@pytest.mark.parametrize("kind", ["charset_wrong", "charset_missing"])
def test_text_is_stored_right_whatever_the_charset_header_says(blog, tmp_path, kind, feeds):
    """Pages and feeds are UTF-8; the header claims ISO-8859-1 or nothing. With feeds=summary the bodies come
    from post pages and the comments from the feed; with feeds=none everything comes from pages."""
    assert any(re.search(r"[^\x00-\x7f]", c["author"] + (c["content_text"] or ""))
               for c in expected_comments(blog).values()), "the test needs non-ASCII text"
    db = tmp_path / f"{kind}-{feeds}.db"
    with ReplicaServer(blog, template="threaded", feeds=feeds, faults=[Fault(NOT_ROBOTS, kind)]) as server:
        result = crawl(server, db)
    assert_complete(db, server, blog)
    assert_no_failures(db)
    assert_exit(result, 0)


# ------------------------------------------------------------------------------------------------ unreadable feeds


@pytest.mark.parametrize("variant, pattern, feed", [
    ("cut", POSTS_FEED, FIRST_POSTS_FEED),
    ("broken_tag", COMMENTS_FEED, FIRST_COMMENTS_FEED),
])
def test_invalid_xml_feed_is_recorded_and_its_data_read_from_pages(blog, tmp_path, variant, pattern, feed):
    db = tmp_path / f"invalid-{variant}.db"
    with ReplicaServer(blog, template="threaded", feeds="full",
                       faults=[Fault(pattern, "invalid_xml", variant=variant)]) as server:
        result = crawl(server, db)
    assert_complete(db, server, blog)
    [error] = assert_failures_recorded(db, server, {feed: "unreadable"}).values()
    assert error["status"] == 200
    assert_exit(result, 1)


def test_entity_bomb_is_never_expanded(blog, tmp_path):
    db = tmp_path / "bomb.db"
    with ReplicaServer(blog, template="threaded", feeds="full", faults=[Fault(POSTS_FEED, "entity_bomb")]) as server:
        result = crawl(server, db)
    assert result.max_rss_mb < MEMORY_BOUND_MB, f"the crawl peaked at {result.max_rss_mb:.0f} MB"
    assert_complete(db, server, blog)  # the posts come from the HTML archive; no "lol" anywhere
    assert_failures_recorded(db, server, {FIRST_POSTS_FEED: "unreadable"})
    assert_exit(result, 1)


def test_html_page_where_the_feed_should_be(blog, tmp_path):
    db = tmp_path / "html-feed.db"
    with ReplicaServer(blog, template="threaded", feeds="full", faults=[Fault(POSTS_FEED, "html_for_feed")]) as server:
        result = crawl(server, db)
    assert_complete(db, server, blog)
    [error] = assert_failures_recorded(db, server, {FIRST_POSTS_FEED: "unreadable"}).values()
    assert error["status"] == 200
    assert_exit(result, 1)


# ------------------------------------------------------------------------------------------------ redirects, size


def test_redirect_loop_is_recorded(blog, tmp_path):
    db = tmp_path / "loop.db"
    with ReplicaServer(blog, template="threaded", feeds="full",
                       faults=[Fault(COMMENTS_FEED, "redirect_loop")]) as server:
        result = crawl(server, db)
        loop_requests = requests_of(server, FIRST_COMMENTS_FEED)
    assert 2 <= loop_requests <= 2 * 21  # at least one round trip, at most Scrapy's 20 redirects per attempt
    assert_complete(db, server, blog)  # comments from the post pages
    assert_failures_recorded(db, server, {FIRST_COMMENTS_FEED: "redirect"})
    assert_exit(result, 1)


def test_pages_over_the_size_limit_are_dropped_recorded_and_read_next_time(blog, tmp_path):
    """One post page announces 50 MB, another streams 50 MB without a length: both stop at DOWNLOAD_MAXSIZE."""
    db = tmp_path / "huge.db"
    announced, streamed = blog.posts[0], blog.posts[3]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        paths = [path_of(server, announced), path_of(server, streamed)]
        server.set_faults([Fault(exactly(paths[0]), "huge"), Fault(exactly(paths[1]), "huge", announce_size=False)])
        first = crawl(server, db)
        assert first.max_rss_mb < MEMORY_BOUND_MB, f"the crawl peaked at {first.max_rss_mb:.0f} MB"
        assert_served_data_stored(db, server, blog, lost_posts=[announced, streamed])
        assert_failures_recorded(db, server, {paths[0]: "too large", paths[1]: "too large"})
        assert_exit(first, 1)

        server.set_faults([])
        second = crawl(server, db)
    assert_complete(db, server, blog)
    assert rows(db, "select count(*) as n from errors where resolved is null") == [{"n": 0}]
    assert_exit(second, 0)


# ------------------------------------------------------------------------------------------------ refusals


def test_robots_txt_disallowing_everything_is_obeyed_and_recorded(blog, tmp_path):
    db = tmp_path / "robots.db"
    with ReplicaServer(blog, template="threaded", feeds="full",
                       faults=[Fault(r"^/robots\.txt$", "robots_disallow_all")]) as server:
        result = crawl(server, db)
        requests = list(server.requests)
    assert requests == ["/robots.txt"]  # nothing else was fetched
    assert rows(db, "select count(*) as n from posts") == [{"n": 0}]
    assert rows(db, "select count(*) as n from comments") == [{"n": 0}]
    errors = rows(db, "select * from errors where resolved is null")
    assert {row["reason"] for row in errors} == {"forbidden by robots.txt"}
    assert server.base + FIRST_POSTS_FEED in {row["url"] for row in errors}  # the crawl's first request
    assert all(row["url"].startswith(server.base) and row["blog_url"] == server.url for row in errors)
    assert last_crawl(db)["errors"] == len(errors)
    assert_exit(result, 1)


@pytest.mark.parametrize("state, words", [("private", ("private",)), ("deleted", ("deleted", "removed"))])
def test_a_blog_that_cannot_be_read_records_what_failed(blog, tmp_path, state, words):
    db = tmp_path / f"{state}.db"
    with ReplicaServer(blog, template="threaded", feeds="full", state=state) as server:
        result = crawl(server, db)
    assert rows(db, "select count(*) as n from posts") == [{"n": 0}]
    errors = {row["url"]: row for row in rows(db, "select * from errors where resolved is null")}
    assert server.url in errors, f"the blog's home page is not among the errors: {sorted(errors)}"
    reason = errors[server.url]["reason"] or ""
    assert any(word in reason.lower() for word in words), reason
    assert all(row["blog_url"] == server.url for row in errors.values())
    assert last_crawl(db)["errors"] == len(errors)
    assert_exit(result, 1)
