"""Real crawls of the local Substack replica, compared record by record with the replica's own data.

Each crawl runs ``newscrawl crawl --platform substack`` in a subprocess against a replica
served from this process on 127.0.0.1, as a user would run it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.dates import format_utc
from newscrawl.replica.substack import SubstackServer, generate_publication
from replica_compare import assert_same_records, rows, run_crawl, words

pytestmark = pytest.mark.slow

COMMENTS_QUERY = "comments?all_comments=true&sort=oldest_first"


def crawl(server: SubstackServer, db: Path, *extra: str) -> list[str]:
    """One crawl; the paths it asked the replica for."""
    before = len(server.requests)
    run_crawl(server.url, db, *extra, platform="substack")
    return server.requests[before:]


def expected_posts(publication, server) -> dict[str, dict]:
    key = f"substack:{publication.publication_id}"
    return {
        f"{key}:{p.post_id}": {
            "title": p.title,
            "url": server.post_url(p),
            "author": ", ".join(u.name for u in p.bylines),
            "published": format_utc(p.post_date),
            "paywalled": int(p.paywalled),
            "reaction_count": p.reactions,
            "comment_count": p.comment_count,
            "content_text": words(p.public_text),
        }
        for p in publication.posts
    }


def stored_posts(db: Path) -> dict[str, dict]:
    return {
        r["id"]: {
            "title": r["title"], "url": r["url"], "author": r["author"], "published": r["published"],
            "paywalled": r["paywalled"], "reaction_count": r["reaction_count"], "comment_count": r["comment_count"],
            "content_text": words(r["content_text"]),
        }
        for r in rows(db, "select * from posts")
    }


def expected_comments(publication) -> dict[str, dict]:
    key = f"substack:{publication.publication_id}"
    expected = {}
    for post in publication.posts:
        for c in post.served_comments():
            user = c.user
            expected[f"{key}:c{c.comment_id}"] = {
                "post_id": f"{key}:{post.post_id}",
                "parent_id": f"{key}:c{c.parent_id}" if c.parent_id else None,
                "author": user.name if user else None,
                "author_url": f"https://substack.com/@{user.handle}" if user and user.handle else None,
                "is_blog_author": int(user is publication.owner or user in post.bylines) if user else 0,
                "published": format_utc(c.date),
                "deleted": int(c.deleted),
                "content_text": None if c.deleted else words(c.body),
                "reaction_count": c.reactions,
            }
    return expected


def stored_comments(db: Path) -> dict[str, dict]:
    return {
        r["id"]: {
            "post_id": r["post_id"], "parent_id": r["parent_id"], "author": r["author"], "author_url": r["author_url"],
            "is_blog_author": r["is_blog_author"], "published": r["published"], "deleted": r["deleted"],
            "content_text": words(r["content_text"]) if r["content_text"] is not None else None,
            "reaction_count": r["reaction_count"],
        }
        for r in rows(db, "select * from comments")
    }


def assert_stored_exactly(publication, server, db: Path, known_authors: dict | None = None) -> None:
    """``known_authors``: comments deleted after they were stored keep the author they had
    (storage never blanks a value the platform withdrew), keyed by comment id."""
    comments = expected_comments(publication)
    for comment_id, author in (known_authors or {}).items():
        comments[f"substack:{publication.publication_id}:c{comment_id}"].update(author)
    assert_same_records(expected_posts(publication, server), stored_posts(db), "posts")
    assert_same_records(comments, stored_comments(db), "comments")


def snapshot(db: Path) -> dict:
    """Every data row, every column: what "changes nothing" is checked against."""
    tables = ("blogs", "posts", "comments", "links", "post_versions")
    return {t: rows(db, f"select * from {t} order by 1") for t in tables}


def last_crawl(db: Path) -> dict:
    return rows(db, "select * from crawls order by id desc limit 1")[0]


def archive_paths(offsets) -> list[str]:
    return [f"/api/v1/archive?sort=new&offset={o}&limit=50" for o in offsets]


def test_crawl_stores_exactly_what_the_replica_serves(tmp_path):
    # 30 posts (a quarter paid), a post without comments, one with 300; the archive
    # answers at most 12 entries per page although 50 are asked for
    publication = generate_publication(posts=30, comments_per_post=6, seed=5, big_post_comments=300)
    db = tmp_path / "substack.db"
    with SubstackServer(publication, archive_cap=12) as server:
        requests = crawl(server, db)
    assert_stored_exactly(publication, server, db)
    posts = publication.posts
    assert any(p.paywalled for p in posts) and any(p.comment_count == 0 for p in posts)
    assert max(len(p.all_comments()) for p in posts) == 300
    assert any(c.deleted and c.served for c in publication.all_comments())

    # the fewest requests: robots.txt, the archive to its empty page, every body, and the
    # comment tree of every post that has comments; no HTML page, no feed
    assert [r for r in requests if r.startswith("/api/v1/archive")] == archive_paths((0, 12, 24, 30))
    assert sorted(r for r in requests if r.startswith("/api/v1/posts/")) == sorted(
        f"/api/v1/posts/{p.slug}" for p in posts)
    assert sorted(r for r in requests if r.startswith("/api/v1/post/")) == sorted(
        f"/api/v1/post/{p.post_id}/{COMMENTS_QUERY}" for p in posts if p.comment_count)
    with_comments = sum(1 for p in posts if p.comment_count)
    assert len(requests) == 1 + 4 + len(posts) + with_comments
    assert requests[0] == "/robots.txt"

    [blog] = rows(db, "select * from blogs")
    assert blog["id"] == f"substack:{publication.publication_id}" and blog["platform"] == "substack"
    assert (blog["title"], blog["description"], blog["url"]) == (publication.name, publication.hero_text, server.url)
    assert blog["author"] == publication.owner.name
    crawl_row = last_crawl(db)
    assert crawl_row["status"] == "finished" and crawl_row["errors"] == 0
    assert crawl_row["posts_new"] == len(posts) and crawl_row["comments_new"] == len(publication.served_comments())
    assert crawl_row["requests"] == len(requests)


def test_incremental_recrawls_read_only_what_changed(tmp_path):
    publication = generate_publication(posts=25, comments_per_post=5, seed=11, big_post_comments=120)
    db = tmp_path / "tracked.db"
    with SubstackServer(publication) as server:
        crawl(server, db)
        before = snapshot(db)

        # nothing changed: the archive (one page and the empty one) and nothing else
        # (robots.txt is kept in the database for a day)
        quiet = crawl(server, db)
        assert quiet == archive_paths((0, 25))
        assert snapshot(db) == before
        row = last_crawl(db)
        assert (row["posts_new"], row["posts_updated"], row["comments_new"], row["comments_updated"]) == (0, 0, 0, 0)

        # a reply deep in an old thread and a new post: exactly those are read and stored
        # (the old post too: its comment count changed)
        old = next(p for p in reversed(publication.posts) if any(c.parent_id for c in p.served_comments()))
        parent = next(c for c in old.served_comments() if c.parent_id and not c.deleted)
        reply = server.add_comment(old.post_id, "Ærøskøbing Reader", "Late reply — still relevant & <true>.\n\nP.S.",
                                   parent_id=parent.comment_id, handle="aeroe")
        new_post = server.add_post("Ceasefire talks — „Runde zwei“ & more", "First paragraph.\n\nSecond <and> last.")
        changed = crawl(server, db)
        assert sorted(changed) == sorted([*archive_paths((0, 26)), f"/api/v1/posts/{new_post.slug}",
                                          f"/api/v1/posts/{old.slug}", f"/api/v1/post/{old.post_id}/{COMMENTS_QUERY}"])
        row = last_crawl(db)
        assert (row["posts_new"], row["comments_new"], row["comments_updated"]) == (1, 1, 0)
        assert row["posts_updated"] == 1  # the old post's comment count
        [stored] = rows(db, "select * from comments where platform_id = ?", [str(reply.comment_id)])
        assert stored["parent_id"] == f"substack:{publication.publication_id}:c{parent.comment_id}"
        assert stored["content_text"] == "Late reply — still relevant & <true>.\n\nP.S."
        assert_stored_exactly(publication, server, db)

        # a deleted comment: its count drops, its tree is read again, it is marked, its replies stay
        # a comment with replies: deleted, it stays in the thread as their parent
        victim = next(c for c in publication.served_comments() if not c.deleted and any(r.served for r in c.children))
        author = {"author": victim.user.name,
                  "author_url": f"https://substack.com/@{victim.user.handle}" if victim.user.handle else None}
        server.delete_comment(victim.comment_id)
        crawl(server, db)
        [gone] = rows(db, "select * from comments where platform_id = ?", [str(victim.comment_id)])
        assert gone["deleted"] == 1 and gone["content_text"] is None and gone["deleted_noticed"]
        assert gone["author"] == author["author"]  # who wrote it stays known
        assert last_crawl(db)["comments_updated"] == 1
        assert_stored_exactly(publication, server, db, {victim.comment_id: author})

        # --full reads every body again and finds nothing gone
        full = crawl(server, db, "--full")
        assert sum(1 for r in full if r.startswith("/api/v1/posts/")) == len(publication.posts)
        row = last_crawl(db)
        assert (row["posts_new"], row["posts_updated"], row["comments_new"], row["comments_updated"]) == (0, 0, 0, 0)
        assert rows(db, "select count(*) as n from posts where deleted = 1")[0]["n"] == 0
        assert_stored_exactly(publication, server, db, {victim.comment_id: author})


def test_rate_limited_answers_are_retried_and_feeds_off_still_reads_the_api(tmp_path):
    publication = generate_publication(posts=10, comments_per_post=4, seed=29, big_post_comments=0)
    db = tmp_path / "throttled.db"
    # every 4th API address answers 429 (Retry-After: 1) the first time it is asked
    with SubstackServer(publication, throttle_every=4) as server:
        requests = crawl(server, db, "--feeds", "off")
    assert_stored_exactly(publication, server, db)
    api = [r for r in requests if r.startswith("/api/")]
    repeated = {r for r in api if api.count(r) == 2}
    assert len(repeated) == len(set(api)) // 4 and len(api) == len(set(api)) + len(repeated)
    assert not any(r.startswith(("/feed", "/p/")) or r == "/" for r in requests)
    assert last_crawl(db)["errors"] == 0


def test_comments_withheld_are_reported_and_asked_for_again(tmp_path):
    publication = generate_publication(posts=8, comments_per_post=4, seed=31, big_post_comments=0)
    hidden = next(p for p in publication.posts if p.comment_count)
    db = tmp_path / "withheld.db"
    with SubstackServer(publication) as server:
        server.withheld_comments.add(hidden.post_id)
        result = run_crawl(server.url, db, platform="substack")
        assert f"reports {hidden.comment_count} comments, the API returned none" in result.stderr
        stats = json.loads(last_crawl(db)["stats"])
        assert stats["newscrawl/substack/comments_short"] == 1
        key = f"substack:{publication.publication_id}"
        assert not rows(db, "select id from comments where post_id = ?", [f"{key}:{hidden.post_id}"])

        # not forgotten: the next crawl asks for that post and its comments again, and
        # once they are served they are stored
        server.withheld_comments.clear()
        again = crawl(server, db)
        assert sorted(again) == sorted([*archive_paths((0, 8)), f"/api/v1/posts/{hidden.slug}",
                                        f"/api/v1/post/{hidden.post_id}/{COMMENTS_QUERY}"])
        assert_stored_exactly(publication, server, db)
        assert crawl(server, db) == archive_paths((0, 8))


def test_a_failed_post_is_recorded_kept_from_the_archive_and_read_next_time(tmp_path):
    publication = generate_publication(posts=6, comments_per_post=3, seed=37, big_post_comments=0)
    broken = next(p for p in publication.posts if p.comment_count)
    path = f"/api/v1/posts/{broken.slug}"
    db = tmp_path / "failed.db"
    with SubstackServer(publication) as server:
        server.failing[path] = 503
        before = len(server.requests)
        run_crawl(server.url, db, "-s", "RETRY_TIMES=1", platform="substack", expect_exit=1)
        assert server.requests[before:].count(path) == 2  # asked, retried once, given up
        [error] = rows(db, "select * from errors")
        assert (error["url"], error["status"], error["callback"], error["resolved"]) == (
            server.base + path, 503, "parse_post", None)
        # the archive's record of the post is kept meanwhile: no body, no comments yet
        [post] = rows(db, "select * from posts where platform_id = ?", [str(broken.post_id)])
        assert (post["title"], post["url"], post["content_text"]) == (broken.title, server.post_url(broken), None)
        assert last_crawl(db)["errors"] == 1

        # the next crawl asks again (the marks did not move) and resolves the error
        del server.failing[path]
        again = crawl(server, db)
        assert path in again and f"/api/v1/post/{broken.post_id}/{COMMENTS_QUERY}" in again
        [error] = rows(db, "select * from errors")
        assert error["resolved"]
    assert_stored_exactly(publication, server, db)


def test_a_substack_address_that_redirects_to_the_custom_domain(tmp_path):
    """``x.substack.com`` of a publication on its own domain redirects there: the crawl
    follows (the other host is not "offsite") and reads the rest from the domain."""
    publication = generate_publication(posts=5, comments_per_post=3, seed=41, big_post_comments=0)
    db = tmp_path / "moved.db"
    with SubstackServer(publication) as domain:
        with SubstackServer(publication, host="localhost", redirect_to=domain.url) as subdomain:
            crawl(subdomain, db)
            assert subdomain.requests == ["/robots.txt", archive_paths((0,))[0]]
            assert domain.requests[:2] == ["/robots.txt", archive_paths((0,))[0]]
            assert_stored_exactly(publication, domain, db)
            # the next crawl of the same address asks the domain straight away
            before = len(domain.requests)
            crawl(subdomain, db)
            assert len(subdomain.requests) == 2 and domain.requests[before:] == archive_paths((0, 5))
    [blog] = rows(db, "select * from blogs")
    assert blog["url"] == domain.url
