"""Blogs that are not plainly readable: the blog row says why, nothing empty is stored."""

from __future__ import annotations

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, stored_posts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=8, comments_per_post=3, seed=11, big_post_comments=0)


@pytest.mark.parametrize(
    "state, status, reason_words",
    [
        ("private", "private", "invited readers"),
        ("deleted", "deleted", "removed"),
        ("not_found", "not_found", "no blog"),
    ],
)
def test_unreadable_blog_gets_a_status_and_no_posts(blog, tmp_path, state, status, reason_words):
    db = tmp_path / f"{state}.db"
    with ReplicaServer(blog, state=state) as server:
        result = run_crawl(server.url, db, expect_exit=1)  # a blog that cannot be read is a failed crawl
    [stored_blog] = rows(db, "select * from blogs")
    assert stored_blog["status"] == status
    assert reason_words in stored_blog["status_reason"]
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 0
    assert rows(db, "select count(*) as n from comments")[0]["n"] == 0
    assert status in result.stderr  # the crawl log says why


def test_dynamic_views_blog_is_read_through_its_feeds(blog, tmp_path):
    db = tmp_path / "dv.db"
    with ReplicaServer(blog, template="dynamicviews", feeds="full") as server:
        run_crawl(server.url, db)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")


def test_dynamic_views_without_feeds_says_so(blog, tmp_path):
    db = tmp_path / "dv-off.db"
    with ReplicaServer(blog, template="dynamicviews", feeds="none") as server:
        run_crawl(server.url, db, expect_exit=1)
    [stored_blog] = rows(db, "select * from blogs")
    assert stored_blog["status"] == "dynamic_views"
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 0


def test_content_warning_is_recorded_and_passed(blog, tmp_path):
    db = tmp_path / "cw.db"
    with ReplicaServer(blog, state="content_warning", feeds="none", template="threaded") as server:
        run_crawl(server.url, db)
    [stored_blog] = rows(db, "select * from blogs")
    assert stored_blog["status"] == "content_warning"
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
