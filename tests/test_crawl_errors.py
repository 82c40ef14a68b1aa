"""Failed URLs are recorded in the errors table, fetched again by the next crawl and
marked resolved once read; retries wait as the server asks (Retry-After).

The replica is made to fail by overriding its router, so these tests depend on nothing
but the crawl side.  (tests/test_crawl_faults.py runs every fault mode of the replica.)"""

from __future__ import annotations

import threading
import time

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, \
    stored_posts

pytestmark = pytest.mark.slow


class FlakyReplica(ReplicaServer):
    """The replica, with ``failing`` paths answering ``status`` (``times`` times, or
    always when ``times`` is None) and the time of every request kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failing: dict[str, dict] = {}
        self.times: list[tuple[float, str]] = []
        self._times_lock = threading.Lock()

    def route(self, raw_path, headers):
        with self._times_lock:
            self.times.append((time.monotonic(), raw_path))
            rule = self.failing.get(raw_path.split("?")[0])
            if rule is not None and (rule["times"] is None or rule["times"] > 0):
                if rule["times"] is not None:
                    rule["times"] -= 1
                return rule["status"], "text/plain; charset=UTF-8", b"failing on purpose", rule.get("headers", {})
        return super().route(raw_path, headers)


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=8, comments_per_post=3, seed=11, big_post_comments=0)


def _path(server, post) -> str:
    return server.post_url(post)[len(server.base):]


def test_a_failed_page_is_recorded_then_fetched_again_and_resolved(blog, tmp_path):
    db = tmp_path / "errors.db"
    victim = blog.posts[3]
    with FlakyReplica(blog, template="threaded", feeds="none") as server:
        path = _path(server, victim)
        server.failing[path] = {"status": 500, "times": None}
        first = run_crawl(server.url, db, "-s", "RETRY_TIMES=1", expect_exit=1)
        assert "1 failed" in first.stdout

        [error] = rows(db, "select * from errors")
        assert error["url"] == server.post_url(victim)
        assert (error["status"], error["reason"], error["attempts"]) == (500, "HTTP 500", 1)
        assert error["callback"] == "parse_post_page" and error["resolved"] is None
        crawl = rows(db, "select * from crawls")[0]
        assert crawl["errors"] >= 1
        # everything else was served correctly and is stored exactly
        others = {k: v for k, v in expected_posts(blog, server).items() if not k.endswith(victim.post_id)}
        assert_same_records(others, stored_posts(db), "posts")
        expected = {k: v for k, v in expected_comments(blog).items() if not v["post_id"].endswith(victim.post_id)}
        assert_same_records(expected, stored_comments(db), "comments")

        # still failing: a second attempt is counted
        run_crawl(server.url, db, "-s", "RETRY_TIMES=1", expect_exit=1)
        assert rows(db, "select attempts, resolved from errors") == [{"attempts": 2, "resolved": None}]

        # the site recovers: the next crawl reads the page, the error is resolved, nothing is missing
        del server.failing[path]
        run_crawl(server.url, db)
    [error] = rows(db, "select * from errors")
    assert error["resolved"] is not None and error["attempts"] == 2
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")


def test_a_failed_feed_page_keeps_the_marks_and_the_next_crawl_completes(blog, tmp_path):
    db = tmp_path / "feed-errors.db"
    with FlakyReplica(blog, template="threaded", feeds="full") as server:
        server.failing["/feeds/comments/default"] = {"status": 503, "times": None}
        run_crawl(server.url, db, "-s", "RETRY_TIMES=1", expect_exit=1)
        [error] = rows(db, "select url, status, resolved from errors")
        assert "/feeds/comments/default" in error["url"] and error["status"] == 503
        # comments were read from the post pages instead, so nothing is missing
        assert_same_records(expected_comments(blog), stored_comments(db), "comments")
        assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 0  # no marks from an incomplete crawl

        server.failing.clear()
        run_crawl(server.url, db)
    assert rows(db, "select resolved is not null as done from errors") == [{"done": 1}]
    assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 1
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")


def test_retry_after_is_honoured(blog, tmp_path):
    db = tmp_path / "retry-after.db"
    with FlakyReplica(blog, template="threaded", feeds="full") as server:
        server.failing["/feeds/posts/default"] = {"status": 429, "times": 1, "headers": {"Retry-After": "2"}}
        run_crawl(server.url, db)
        feed_times = [t for t, path in server.times if path.startswith("/feeds/posts/default")]
    assert len(feed_times) == 2
    assert feed_times[1] - feed_times[0] >= 1.9  # the retry waited as asked
    assert rows(db, "select count(*) as n from errors")[0]["n"] == 0
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")


def test_a_retry_after_beyond_the_limit_gives_the_url_up_for_this_crawl(blog, tmp_path):
    db = tmp_path / "retry-after-long.db"
    with FlakyReplica(blog, template="threaded", feeds="full") as server:
        server.failing["/feeds/comments/default"] = {"status": 429, "times": None, "headers": {"Retry-After": "3600"}}
        started = time.monotonic()
        run_crawl(server.url, db, "-s", "NEWSCRAWL_MAX_RETRY_AFTER=5", expect_exit=1)
        elapsed = time.monotonic() - started
        comment_feed_requests = [p for _, p in server.times if p.startswith("/feeds/comments/default")]
    assert elapsed < 60
    assert len(comment_feed_requests) == 1  # not retried within this crawl
    [error] = rows(db, "select status, reason from errors")
    assert error == {"status": 429, "reason": "HTTP 429"}
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
