"""Failed URLs are recorded in the errors table, counted crawl after crawl, fetched again
by the next crawl and marked resolved once read; a failed crawl keeps its marks.
(tests/test_crawl_faults.py runs every fault mode of the replica once.)"""

from __future__ import annotations

import re

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.replica.faults import Fault
from replica_compare import assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, \
    stored_posts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=8, comments_per_post=3, seed=11, big_post_comments=0)


def test_a_failed_page_is_recorded_then_fetched_again_and_resolved(blog, tmp_path):
    db = tmp_path / "errors.db"
    victim = blog.posts[3]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        server.set_faults([Fault(f"^{re.escape(server.post_path(victim))}", "status", status=500)])
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
        server.set_faults([])
        run_crawl(server.url, db)
    [error] = rows(db, "select * from errors")
    assert error["resolved"] is not None and error["attempts"] == 2
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")


def test_a_failed_feed_page_keeps_the_marks_and_the_next_crawl_completes(blog, tmp_path):
    db = tmp_path / "feed-errors.db"
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        server.set_faults([Fault(r"^/feeds/comments/default", "status", status=503)])
        run_crawl(server.url, db, "-s", "RETRY_TIMES=1", expect_exit=1)
        [error] = rows(db, "select url, status, resolved from errors")
        assert "/feeds/comments/default" in error["url"] and error["status"] == 503
        # comments were read from the post pages instead, so nothing is missing
        assert_same_records(expected_comments(blog), stored_comments(db), "comments")
        assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 0  # no marks from an incomplete crawl

        server.set_faults([])
        run_crawl(server.url, db)
    assert rows(db, "select resolved is not null as done from errors") == [{"done": 1}]
    assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 1
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")


def test_a_blog_bigger_than_the_page_cap_is_recorded_not_read_for_ever(tmp_path):
    """NEWSCRAWL_MAX_PAGES_PER_BLOG bounds one blog's requests: what was read is stored, the
    first request past the cap is in errors, the crawl is incomplete (exit 1, marks kept back)."""
    from newscrawl.replica import ReplicaServer, generate_blog

    blog = generate_blog(posts=60, comments_per_post=6, seed=17, big_post_comments=0)
    db = tmp_path / "capped.db"
    with ReplicaServer(blog, feeds="full", feed_cap=100) as server:
        run_crawl(server.url, db, "-s", "NEWSCRAWL_MAX_PAGES_PER_BLOG=3", expect_exit=1)
        asked = len(server.requests)
    assert asked <= 4  # robots.txt (the middleware's own) and the 3 pages the cap allows
    [error] = rows(db, "select * from errors")
    assert error["reason"].startswith("page cap: more than 3 requests")
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 60  # what was read is kept
    assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 0  # incomplete: no marks


def test_the_page_cap_counts_pages_not_links(tmp_path):
    """An HTML archive links each post from several pages (home, month, year, neighbours): the
    cap counts the distinct pages a crawl asks for, so a blog of exactly the cap is read whole."""
    from newscrawl.replica import ReplicaServer, generate_blog

    blog = generate_blog(posts=30, comments_per_post=2, seed=18, big_post_comments=0)
    with ReplicaServer(blog, feeds="none") as server:
        run_crawl(server.url, tmp_path / "free.db", "--feeds", "off")
        pages = rows(tmp_path / "free.db", "select requests from crawls")[0]["requests"]
        # robots.txt is the middleware's own request, outside the spider's cap
        run_crawl(server.url, tmp_path / "capped.db", "--feeds", "off", "-s", f"NEWSCRAWL_MAX_PAGES_PER_BLOG={pages}")
    assert rows(tmp_path / "capped.db", "select count(*) as n from errors")[0]["n"] == 0
    assert rows(tmp_path / "capped.db", "select count(*) as n from posts")[0]["n"] == 30


class RepeatingCommentsFeed(ReplicaServer):
    """A Blogger replica whose comments feed claims a billion entries and, behind ever new
    ``next`` links, serves its first page again and again (a hostile or broken feed)."""

    def route(self, raw_path: str, headers):
        status, content_type, body, extra = super().route(raw_path, headers)
        match = re.search(r"/feeds/comments/default\?.*start-index=(\d+)", raw_path)
        if not match or status != 200:
            return status, content_type, body, extra
        first = super().route("/feeds/comments/default?start-index=1&max-results=500", headers)[2].decode()
        start = int(match.group(1))
        first = re.sub(r"<openSearch:totalResults>\d+<", "<openSearch:totalResults>1000000000<", first)
        first = re.sub(r"<openSearch:startIndex>\d+<", f"<openSearch:startIndex>{start}<", first)
        next_link = (f"<link rel='next' type='application/atom+xml' href='{self.url}feeds/comments/default?"
                     f"start-index={start + 500}&amp;max-results=500'/>")
        first = re.sub(r"<link rel='next'[^>]*/>", "", first).replace("<entry>", next_link + "<entry>", 1)
        return status, content_type, first.encode(), extra


def test_a_feed_repeating_itself_ends_its_paging(tmp_path):
    """A totalResults of 10^9 and a next link on every page: the pages asked at once are bounded
    (NEWSCRAWL_PARALLEL_FEED_PAGES), the first page that brings nothing new ends the paging and is
    recorded; every real comment is stored."""
    blog = generate_blog(posts=3, comments_per_post=2, seed=5, big_post_comments=0)
    db = tmp_path / "repeating.db"
    with RepeatingCommentsFeed(blog, feeds="full") as server:
        run_crawl(server.url, db, "-s", "NEWSCRAWL_PARALLEL_FEED_PAGES=5", expect_exit=1, timeout=120)
        comment_pages = [r for r in server.requests if r.startswith("/feeds/comments/default")]
    assert len(comment_pages) <= 1 + 5 + 1, comment_pages
    reasons = {r["reason"] for r in rows(db, "select reason from errors")}
    assert reasons == {"the page repeats entries already read: its paging was stopped"}
    assert rows(db, "select count(*) as n from comments")[0]["n"] == len(blog.all_comments())
