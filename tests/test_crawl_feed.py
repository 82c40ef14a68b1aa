"""Crawls of plain feed blogs (the ``feedsite`` replica: a custom CMS with an RSS or Atom feed),
compared record by record with what the replica serves: each feed format, full and summary
feeds, every way of paging, comments from comment feeds and from Drupal, SPIP and generic
list markup, Disqus; then incremental re-crawls."""

from __future__ import annotations

import re

import pytest

from newscrawl.dates import format_utc
from newscrawl.replica import generate_blog
from newscrawl.replica.feedsite import FeedSiteServer, post_tag
from replica_compare import assert_same_records, rows, run_crawl, words

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    # 23 posts (three feed pages of 10), one post with 30 comments (three comment-feed pages),
    # German display dates in a zone without summer time (the offset the feed shows is the zone)
    return generate_blog(posts=23, comments_per_post=4, seed=3, big_post_comments=30, language="de",
                         timezone="Asia/Kolkata")


def post_id(server: FeedSiteServer, post) -> str:
    # RSS guids are the permalinks (shortened to their path); Atom ids are tag URIs
    native = post.path if server.site.format == "rss" else post_tag(post)
    return f"feed:127.0.0.1:{server.port}:{native}"


def expected_posts(server: FeedSiteServer) -> dict[str, dict]:
    site = server.site
    return {
        post_id(server, p): {
            "title": p.title or None,
            "author": p.author_name,
            "url": server.post_url(p),
            "published": format_utc(p.published),
            "labels": p.labels,
            "comment_count": None if site.disqus else len(site.comments_of(p)),
            "content_text": words(p.content_text),
        }
        for p in server.blog.posts
    }


def expected_comments(server: FeedSiteServer) -> dict[str, dict]:
    """What each comment source serves: RSS comment feeds name no parent; the list markup
    shows the time to the minute only; only Drupal and the list markup mark the post author.
    Disqus serves the comments of a Disqus blog, not the blog."""
    site = server.site
    if site.disqus:
        return {}
    from_feed = site.comment_feeds
    threaded = not (from_feed and site.format == "rss")
    minutes = not from_feed and site.markup == "list"
    result = {}
    for p in server.blog.posts:
        key = post_id(server, p)
        for c in site.comments_of(p):
            published = c.published.replace(second=0, microsecond=0) if minutes else c.published
            if from_feed or site.markup == "spip":
                owner = None
            elif site.markup == "drupal":
                owner = int(c.is_blog_author)
            else:
                owner = 1 if c.is_blog_author else None
            result[f"{key}:c{c.comment_id}"] = {
                "post_id": key,
                "parent_id": f"{key}:c{c.parent_id}" if c.parent_id and threaded else None,
                "author": c.author_name,
                "published": format_utc(published),
                "content_text": words(c.content_text),
                "is_blog_author": owner,
            }
    return result


def stored_posts(db) -> dict[str, dict]:
    import json

    return {
        r["id"]: {"title": r["title"], "author": r["author"], "url": r["url"], "published": r["published"],
                  "labels": json.loads(r["labels"]) if r["labels"] else [], "comment_count": r["comment_count"],
                  "content_text": words(r["content_text"])}
        for r in rows(db, "select * from posts")
    }


def stored_comments(db) -> dict[str, dict]:
    return {
        r["id"]: {"post_id": r["post_id"], "parent_id": r["parent_id"], "author": r["author"],
                  "published": r["published"], "content_text": words(r["content_text"]),
                  "is_blog_author": r["is_blog_author"]}
        for r in rows(db, "select * from comments")
    }


def assert_stored_as_served(server: FeedSiteServer, db) -> None:
    assert_same_records(expected_posts(server), stored_posts(db), "posts")
    assert_same_records(expected_comments(server), stored_comments(db), "comments")
    [crawl] = rows(db, "select * from crawls order by id desc limit 1")
    assert crawl["status"] == "finished" and crawl["errors"] == 0


VARIANTS = {
    # RSS 2.0, whole posts, ?paged=N without links (probed), comments from RSS comment feeds
    "rss-full-paged-commentfeeds": dict(format="rss", content="full", paging="paged", comment_feeds=True),
    # Atom summaries (bodies from the post pages), RFC 5005 rel=next, threaded Atom comment feeds
    "atom-summary-next-commentfeeds": dict(format="atom", content="summary", paging="next", comment_feeds=True),
    # RFC 5005 archived feed (prev-archive), summaries, Drupal comment markup on the post pages
    "rss-summary-archive-drupal": dict(format="rss", content="summary", paging="archive", comment_feeds=False,
                                       markup="drupal"),
    "atom-full-paged-spip": dict(format="atom", content="full", paging="paged", comment_feeds=False, markup="spip"),
    # generic comment list with dates shown only as German text
    "rss-full-next-list": dict(format="rss", content="full", paging="next", comment_feeds=False, markup="list"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_crawl_stores_what_the_blog_serves(blog, tmp_path, variant):
    db = tmp_path / "feed.db"
    with FeedSiteServer(blog, **VARIANTS[variant]) as server:
        run_crawl(server.url, db, platform="feed")
        assert_stored_as_served(server, db)
        [row] = rows(db, "select * from blogs")
        assert row["platform"] == "feed" and row["title"] == blog.title and row["language"] == "de"
        assert row["feed_mode"] == server.site.content and row["comments_hosted_by"] is None


def test_crawl_from_the_feed_address_itself(blog, tmp_path):
    db = tmp_path / "from-feed.db"
    with FeedSiteServer(blog, format="atom", content="full", paging="archive", comment_feeds=True) as server:
        run_crawl(server.url + "feed.atom", db, platform="feed")
        assert "/" not in server.requests  # no home page needed
        assert_stored_as_served(server, db)
        assert [r["id"] for r in rows(db, "select id from blogs")] == [f"feed:127.0.0.1:{server.port}"]


def test_disqus_comments_are_reported_on_the_blog_row(blog, tmp_path):
    db = tmp_path / "disqus.db"
    with FeedSiteServer(blog, format="rss", content="full", paging="paged", disqus=True) as server:
        result = run_crawl(server.url, db, platform="feed")
        assert_stored_as_served(server, db)
    [row] = rows(db, "select * from blogs")
    assert row["comments_hosted_by"] == "disqus"
    assert rows(db, "select count(*) as n from comments")[0]["n"] == 0
    assert result.stderr.count("hosted on disqus") == 1  # said once, not once per post


def snapshot(db) -> dict:
    return {t: rows(db, f"select * from {t} order by 1") for t in ("blogs", "posts", "comments", "links")}


def crawl_requests(server, db, *extra) -> list[str]:
    before = len(server.requests)
    run_crawl(server.url, db, *extra, platform="feed")
    return server.requests[before:]


def last_crawl(db) -> dict:
    return rows(db, "select * from crawls order by id desc limit 1")[0]


@pytest.mark.parametrize("settings, old_post", [
    # with comment feeds: a comment on a post deep in the archive is found through the blog-wide comments feed
    (dict(format="rss", content="full", paging="paged", comment_feeds=True), 15),
    # comments only in the Drupal markup: a changed count on the first feed page
    (dict(format="atom", content="summary", paging="next", comment_feeds=False, markup="drupal"), 4),
])
def test_incremental_crawls_read_only_what_changed(tmp_path, settings, old_post):
    blog = generate_blog(posts=23, comments_per_post=4, seed=5, big_post_comments=0, language="de",
                         timezone="Asia/Kolkata")
    db = tmp_path / "incremental.db"
    with FeedSiteServer(blog, **settings) as server:
        run_crawl(server.url, db, platform="feed")
        before = snapshot(db)

        quiet = crawl_requests(server, db)
        assert len(quiet) <= 3, quiet  # robots.txt and one 304 per feed
        assert snapshot(db) == before
        crawl = last_crawl(db)
        assert (crawl["posts_new"], crawl["posts_updated"], crawl["comments_new"], crawl["comments_updated"]) == (
            0, 0, 0, 0)

        target = blog.posts[old_post]
        comment = server.add_comment(target.post_id, author="Late Reader", text="Noch ein später Kommentar.")
        new_post = server.add_post("Eilmeldung: neue Lage", "REDAKTION: frischer Kommentar.")
        crawl_requests(server, db)
        crawl = last_crawl(db)
        assert (crawl["posts_new"], crawl["comments_new"], crawl["comments_updated"]) == (1, 1, 0)
        assert crawl["posts_updated"] == 1  # the commented post's count, nothing else
        [stored] = rows(db, "select * from comments where platform_id = ?", [comment.comment_id])
        assert stored["author"] == "Late Reader" and stored["post_id"] == post_id(server, target)
        assert rows(db, "select title from posts where id = ?", [post_id(server, new_post)])[0]["title"] == \
            "Eilmeldung: neue Lage"
        assert_stored_as_served(server, db)

        # a full re-read changes nothing and finds nothing gone
        run_crawl(server.url, db, "--full", platform="feed")
        crawl = last_crawl(db)
        assert (crawl["posts_new"], crawl["posts_updated"], crawl["comments_new"], crawl["comments_updated"]) == (
            0, 0, 0, 0)
        assert rows(db, "select count(*) as n from comments where deleted = 1")[0]["n"] == 0


def test_a_page_whose_comments_cannot_be_read_is_reported(real_pages, caplog):
    """The feed counts comments, the page shows none in any markup we know: a warning and a
    stat (which keeps the crawl from counting as complete), never a silent empty list."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from newscrawl.items import PostItem
    from newscrawl.spiders.feed import FeedSpider

    html = (real_pages / "other" / "hpd.de.drupal7-comments.html").read_text("utf-8")
    # the same page in a theme whose comment markup we do not know: no RDF or microdata, and
    # no id or class that says "comment" (Drupal's anchors and classes are what we read)
    html = re.sub(r'\s(?:typeof|property|about|rel|itemprop|datatype|content|resource)="[^"]*"', "", html)
    html = re.sub(r'\b(class|id)="([^"]*)"', lambda m: f'{m[1]}="{m[2].replace("comment", "note")}"', html)
    url = "https://hpd.de/artikel/sie-wissen-nicht-sie-tun-21664"
    crawler = get_crawler(FeedSpider)
    spider = FeedSpider.from_crawler(crawler, url="https://hpd.de/")
    post = PostItem(id="feed:hpd.de:/artikel/21664", blog_id="feed:hpd.de", url=url, comment_count=10)
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")
    [item] = list(spider.parse_post_page(response, post, with_comments=True, needs_body=False))
    assert item["comments"] == []
    assert crawler.stats.get_value("newscrawl/pages/comments_unparsed") == 1
    assert "10 comments announced but none could be read" in caplog.text
