"""Scheduled re-crawls against the replica: cheap when nothing changed, exact when
something did, and history instead of loss (versions, deletions marked, never removed)."""

from __future__ import annotations

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, \
    stored_posts, words

pytestmark = pytest.mark.slow


def snapshot(db) -> dict:
    """Every data row, every column: what "writes nothing" is checked against."""
    return {t: rows(db, f"select * from {t} order by 1") for t in ("blogs", "posts", "comments", "links", "post_versions")}


def crawl_requests(server, run) -> list[str]:
    before = len(server.requests)
    run()
    return server.requests[before:]


@pytest.fixture
def blog():
    # 60 posts and ~360 comments: the archive is several feed pages at a cap of 100
    return generate_blog(posts=60, comments_per_post=6, seed=17, big_post_comments=0)


def test_incremental_crawls_cost_little_and_miss_nothing(blog, tmp_path):
    db = tmp_path / "tracked.db"
    with ReplicaServer(blog, template="threaded", feeds="full", feed_cap=100) as server:
        first = crawl_requests(server, lambda: run_crawl(server.url, db))
        assert len(first) == 6  # robots.txt, 1 posts page, 4 comments pages at a cap of 100

        # nothing changed: the two feeds asked for changes since the marks, with the
        # validators of last time (the Last-Modified survives the moved mark): 304s;
        # robots.txt comes from the database
        before = snapshot(db)
        for _ in range(2):
            quiet = crawl_requests(server, lambda: run_crawl(server.url, db))
            assert len(quiet) == 2 and not any(r.startswith("/robots.txt") for r in quiet), quiet
            assert snapshot(db) == before
            crawl = rows(db, "select * from crawls order by id desc limit 1")[0]
            assert crawl["responses_not_modified"] == 2
        assert (crawl["posts_new"], crawl["posts_updated"], crawl["comments_new"], crawl["comments_updated"]) == (0, 0, 0, 0)

        # k new comments on old posts and one new post: exactly those, at a cost that
        # grows with k (one feed page per 100), not with the archive
        costs = {}
        for k in (3, 30):
            old_posts = blog.posts[-k:]
            added = [server.add_comment(p.post_id, author=f"Reader {i}", text=f"late comment {i}")
                     for i, p in enumerate(old_posts)]
            new_post = server.add_post(title=f"Breaking news {k}", text="EDITOR: fresh commentary.")
            requests = crawl_requests(server, lambda: run_crawl(server.url, db))
            costs[k] = len(requests)
            crawl = rows(db, "select * from crawls order by id desc limit 1")[0]
            assert crawl["comments_new"] == k and crawl["posts_new"] == 1
            stored_ids = {r["platform_id"] for r in rows(db, "select platform_id from comments")}
            assert {c.comment_id for c in added} <= stored_ids
            assert rows(db, "select count(*) as n from posts where platform_id = ?", [new_post.post_id])[0]["n"] == 1
        assert costs[3] <= 5 and costs[30] <= 5 and costs[30] < len(first)

        # the first re-crawl after a change: the marks moved, the Last-Modified goes along: 304s
        quiet = crawl_requests(server, lambda: run_crawl(server.url, db))
        assert len(quiet) == 2, quiet
        assert rows(db, "select responses_not_modified as n from crawls order by id desc limit 1")[0]["n"] == 2

        # an edited post keeps its earlier version
        edited = blog.posts[5]
        old_title = edited.title
        server.edit_post(edited.post_id, title="Corrected: " + old_title, text="EDITOR: an update to this story.")
        run_crawl(server.url, db)
        [version] = rows(db, "select * from post_versions")
        assert version["post_id"].endswith(edited.post_id) and version["title"] == (old_title or None)
        current = rows(db, "select * from posts where platform_id = ?", [edited.post_id])[0]
        assert current["title"] == "Corrected: " + old_title

        # a comment removed by its author is marked deleted, its text gone
        victim = next(c for p in blog.posts[10:] for c in p.comments if not c.removed)
        said = victim.content_text
        server.remove_comment(victim.comment_id, by="author")
        run_crawl(server.url, db)
        removed = rows(db, "select * from comments where platform_id = ?", [victim.comment_id])[0]
        assert removed["deleted"] == 1 and removed["content_text"] is None and removed["deleted_noticed"]
        # ... and the text it had is kept in its history
        [kept] = rows(db, "select * from comment_versions where comment_id = ?", [removed["id"]])
        assert kept["change"] == "removed" and words(kept["content_text"]) == words(said)

        # a comment deleted outright vanishes from the feeds: a full re-read notices it
        purged = next(c for p in blog.posts[20:] for c in p.comments if not c.removed and c.parent_id is None
                      and not any(r.parent_id == c.comment_id for r in p.comments))
        server.delete_comment(purged.comment_id)
        run_crawl(server.url, db)  # incremental: cannot see a deletion
        assert rows(db, "select deleted from comments where platform_id = ?", [purged.comment_id])[0]["deleted"] in (0, None)
        run_crawl(server.url, db, "--full")
        gone = rows(db, "select * from comments where platform_id = ?", [purged.comment_id])[0]
        assert gone["deleted"] == 1 and gone["deleted_noticed"]  # marked, never removed

        # and everything the replica still serves is stored exactly
        assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
        stored = {k: v for k, v in stored_comments(db).items() if not k.endswith("c" + purged.comment_id)}
        assert_same_records(expected_comments(blog), stored, "comments")
