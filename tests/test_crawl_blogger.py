"""Real crawls of the local Blogger replica, compared with the replica's own records.

Each crawl runs ``newscrawl crawl`` in a subprocess against a replica served from this
process on 127.0.0.1, as a user would run it.
"""

from __future__ import annotations

import asyncio

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import (
    assert_same_records,
    expected_comments,
    expected_posts,
    rows,
    run_crawl,
    stored_comments,
    stored_posts,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    # 30 posts over several years, ~5 comments each, one post with 320 comments
    return generate_blog(posts=30, comments_per_post=5, seed=7, big_post_comments=320)


def test_feed_crawl_stores_exactly_what_the_replica_serves(blog, tmp_path):
    db = tmp_path / "feeds.db"
    with ReplicaServer(blog, template="threaded", feeds="full", feed_cap=150) as server:
        run_crawl(server.url, db)
        requests = list(server.requests)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    # feeds first: robots.txt + posts feed pages + comments feed pages, no HTML
    n_comments = len(blog.all_comments())
    minimum = 1 + -(-len(blog.posts) // 150) + -(-n_comments // 150)
    assert len(requests) == minimum, requests
    assert not any(r.startswith("/search") for r in requests)
    crawl = rows(db, "select * from crawls")[0]
    assert crawl["status"] == "finished"
    assert crawl["posts_new"] == len(blog.posts)
    assert crawl["comments_new"] == n_comments
    assert crawl["requests"] == len(requests)


def test_summary_feed_crawl_reads_bodies_from_post_pages(blog, tmp_path):
    db = tmp_path / "summary.db"
    with ReplicaServer(blog, template="minima", feeds="summary") as server:
        run_crawl(server.url, db)
        requests = list(server.requests)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    # comments still come from the comments feed, which carries the threads
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    post_pages = [r for r in requests if r.endswith(".html")]
    assert len(post_pages) == len(blog.posts)
    stored_blog = rows(db, "select * from blogs")[0]
    assert stored_blog["feed_mode"] == "summary"
    assert stored_blog["language"] == blog.language


@pytest.mark.parametrize("template", ["threaded", "minima"])
def test_html_only_crawl_stores_exactly_what_the_replica_serves(blog, tmp_path, template):
    db = tmp_path / "html.db"
    with ReplicaServer(blog, template=template, feeds="none") as server:
        run_crawl(server.url, db)
        requests = list(server.requests)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    # the classic Minima list shows replies flat: no thread to read
    assert_same_records(expected_comments(blog, threaded=template == "threaded"), stored_comments(db), "comments")
    assert "/robots.txt" in requests
    assert not any(r.startswith("/search") for r in requests), "robots.txt disallows /search"


def test_recrawl_adds_no_duplicates_and_picks_up_a_new_comment(blog, tmp_path):
    db = tmp_path / "twice.db"
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        run_crawl(server.url, db)
        counts = {t: rows(db, f"select count(*) as n from {t}")[0]["n"] for t in ("blogs", "posts", "comments")}
        run_crawl(server.url, db)
        again = {t: rows(db, f"select count(*) as n from {t}")[0]["n"] for t in ("blogs", "posts", "comments")}
        assert again == counts

        old_post = blog.posts[-1]
        parent = next(c for c in old_post.comments if c.parent_id is None) if old_post.comments else None
        added = server.add_comment(old_post.post_id, author="Zoë Müller", text="Late reply, <b>still</b> relevant & true",
                                   parent_id=parent.comment_id if parent else None)
        run_crawl(server.url, db)
    stored = rows(db, "select * from comments where platform_id = ?", [added.comment_id])
    assert len(stored) == 1
    assert stored[0]["author"] == "Zoë Müller"
    assert stored[0]["post_id"].endswith(old_post.post_id)
    assert rows(db, "select count(*) as n from comments")[0]["n"] == counts["comments"] + 1
    crawls = rows(db, "select * from crawls order by id")
    assert [c["comments_new"] for c in crawls] == [counts["comments"], 0, 1]
    assert crawls[1]["posts_updated"] == 0 and crawls[1]["comments_updated"] == 0


def test_comments_beyond_the_first_page_come_from_the_post_comment_feed(blog, tmp_path):
    """Threaded pages show about 200 comments and load the rest by script from the
    post's comment feed ("Load more..."): the crawler reads that feed."""
    db = tmp_path / "loadmore.db"
    big = max(blog.posts, key=lambda p: len(p.comments))
    assert len(big.comments) > 200
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        run_crawl(server.url, db, "--feeds", "off")
        requests = list(server.requests)
    assert [r for r in requests if "/comments/default" in r] == [
        f"/feeds/{big.post_id}/comments/default?start-index=1&max-results=500",
        f"/feeds/{big.post_id}/comments/default?start-index=151&max-results=150",
        f"/feeds/{big.post_id}/comments/default?start-index=301&max-results=150",
    ]
    assert not any("commentPage=" in r for r in requests)
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")


def test_commentary_is_stored_apart_from_the_quoted_news(blog, tmp_path):
    db = tmp_path / "commentary.db"
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        run_crawl(server.url, db)
    posts = rows(db, "select * from posts where commentary_method != 'none'")
    assert posts, "replica posts quote the news in blockquotes"
    for post in posts:
        assert "EDITOR:" in post["commentary_text"] and "EDITOR:" not in (post["quoted_text"] or "")
    # full-text search over commentary alone
    word = posts[0]["commentary_text"].split("EDITOR:")[1].split()[0].strip(".,:;!?")
    hits = rows(db, "select rowid from posts_fts where posts_fts match ?", [f"commentary_text:{word}"])
    assert hits


def _comments_feed_pages(server: ReplicaServer, window: int):
    """A Blogger spider for the replica with this feed window, and two helpers: the replica's
    comments feed page at a URL (as Scrapy would hand it over), and the requests its callback makes."""
    from urllib.request import urlopen

    from scrapy.http import Request, XmlResponse
    from scrapy.utils.test import get_crawler

    from newscrawl.spiders.blogger import BloggerSpider

    spider = BloggerSpider.from_crawler(get_crawler(BloggerSpider, {"NEWSCRAWL_PARALLEL_FEED_PAGES": window}),
                                        url=server.url)

    def page(url: str, meta: dict | None = None) -> XmlResponse:
        with urlopen(url) as answer:
            body = answer.read()
        return XmlResponse(url, body=body, request=Request(url, meta=meta or {}))

    def requests_of(response: XmlResponse) -> list[Request]:
        async def outputs() -> list:
            return [output async for output in spider.parse_comments_feed(response)]
        return [output for output in asyncio.run(outputs()) if isinstance(output, Request)]

    return page, requests_of


def _start_index(request) -> int:
    return int(request.url.split("start-index=")[1].split("&")[0])


def test_feed_pages_are_asked_at_once_when_the_first_tells_the_total(blog):
    """The first page of the comments feed says totalResults: every further page is requested
    from it at once (not one after the other), and only the last of them follows its next link."""
    with ReplicaServer(blog, feeds="full", feed_cap=150) as server:
        page, requests_of = _comments_feed_pages(server, window=50)
        followed = requests_of(page(f"{server.url}feeds/comments/default?start-index=1&max-results=500"))
        total = len(blog.all_comments())
        starts = [_start_index(r) for r in followed]
        assert starts == list(range(151, total + 1, 150))
        assert [r.meta["feed_fan"] for r in followed] == ["member"] * (len(starts) - 1) + ["last"]
        # a page asked with the others follows no link; the last one goes on where the feed says
        middle = requests_of(page(followed[0].url, followed[0].meta))
        assert middle == []
        last = requests_of(page(followed[-1].url, followed[-1].meta))
        assert last == []  # the feed ends there


def test_a_long_feed_is_read_through_a_window_that_slides_as_pages_bring_new_entries(blog):
    """More pages than the window: the window's pages are asked at once, and each that brings new
    entries asks for the next page of the total, so that many stay in flight to the end; the last
    page of the total is the one that follows the feed's next link."""
    total = len(blog.all_comments())
    pages = -(-total // 50)
    assert pages >= 5, "the module's blog has comments for several pages of 50"
    with ReplicaServer(blog, feeds="full", feed_cap=50) as server:
        page, requests_of = _comments_feed_pages(server, window=2)
        asked = requests_of(page(f"{server.url}feeds/comments/default?start-index=1&max-results=500"))
        assert [_start_index(r) for r in asked] == [51, 101]
        read = 1
        while asked:  # each page read asks at most one more: bounded by the pages of the total
            request, asked = asked[0], asked[1:]
            more = requests_of(page(request.url, request.meta))
            read += 1
            assert len(more) <= 1
            asked += more
        assert read == pages
        # a page that repeats entries already read asks for nothing more
        page, requests_of = _comments_feed_pages(server, window=2)
        second = requests_of(page(f"{server.url}feeds/comments/default?start-index=1&max-results=500"))[0]
        assert len(requests_of(page(second.url, second.meta))) == 1
        assert requests_of(page(second.url, second.meta)) == []


def test_a_post_read_short_of_the_comments_it_announces_is_counted_and_logged(caplog):
    """The comments a crawl read of each post, counted once however often they came (a post page
    and its comments feed both give them), against the count the post announces."""
    from scrapy.utils.test import get_crawler

    from newscrawl.items import PostItem
    from newscrawl.spiders.blogger import BloggerSpider, CommentTally

    tally = CommentTally()
    tally.add("p1", ["c1", "c2"])
    tally.add("p1", ["c2", "c3"])  # c2 again: from the comments feed after the page
    tally.add("p2", ["c1"])  # another post's comment of the same number is another comment
    assert (tally.count("p1"), tally.count("p2"), tally.count("p3")) == (3, 1, 0)

    crawler = get_crawler(BloggerSpider)
    spider = BloggerSpider.from_crawler(crawler, url="http://127.0.0.1:9/", mode="full")
    crawler.stats.open_spider()
    for post_id, announced, read in (("p1", 3, ["c1", "c2", "c3"]), ("p2", 4, ["c1", "c2"])):
        spider.expect_comments(PostItem(id=post_id, comment_count=announced))
        spider.note_comments(post_id, read)
        spider.note_comments(post_id, read[:1])
    spider.closed("finished")
    assert crawler.stats.get_value("newscrawl/posts/comments_short") == 1
    assert "Post p2 reports 4 comments, 2 were read" in caplog.text
