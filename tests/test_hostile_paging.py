"""Paging a site cannot lead on for ever (issue 17, item 4): a plain feed whose ``rel="next"``
links go on past its last page, repeating it, and a Substack archive that ignores its offset.
The first page bringing nothing new ends the paging and is recorded; every real post is kept.
(Blogger's feeds: tests/test_crawl_errors.py; WordPress REST: tests/test_hostile_wordpress.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from newscrawl.replica import generate_blog
from newscrawl.replica.feedsite import FeedSiteServer
from newscrawl.replica.substack import SubstackServer, generate_publication
from replica_compare import rows, run_crawl

pytestmark = pytest.mark.slow


class EndlessFeed(FeedSiteServer):
    """A feed paged by ``rel="next"`` whose last page links on to ``?paged=N+1``, which serves the
    last page again with a link to the next one, and so on."""

    def route(self, raw_path: str, headers):
        parts = urlsplit(raw_path)
        if parts.path != self.site.feed_path():
            return super().route(raw_path, headers)
        number = int(parse_qs(parts.query).get("paged", ["1"])[0])
        size = self.site.page_size
        last = -(-len(self.blog.posts) // size)
        shown = self.blog.posts[(min(number, last) - 1) * size:min(number, last) * size]
        with self.site.lock:
            return self.site._feed(self.site.feed_path(), shown, {"next": f"{parts.path}?paged={number + 1}"},
                                   headers)


def test_a_feed_linking_on_past_its_last_page_ends_its_paging(tmp_path):
    blog = generate_blog(posts=25, comments_per_post=1, seed=8, big_post_comments=0)
    db = tmp_path / "endless.db"
    with EndlessFeed(blog, format="atom", paging="next") as server:
        run_crawl(server.url, db, platform="feed", expect_exit=1, timeout=120)
        feed_pages = [r for r in server.requests if urlsplit(r).path == server.site.feed_path()]
    pages = -(-len(blog.posts) // server.site.page_size)
    assert len(feed_pages) == pages + 1, feed_pages  # the real pages and the one repeating the last
    assert rows(db, "select count(*) as n from posts")[0]["n"] == len(blog.posts)
    [error] = rows(db, "select url, reason from errors")
    assert error["url"].endswith(f"?paged={pages + 1}")
    assert error["reason"] == "the page repeats entries already read: its paging was stopped"


class OffsetBlindArchive(SubstackServer):
    """A Substack archive answering every offset with its first page."""

    def archive(self, query):
        return super().archive({**query, "offset": "0"})


def test_a_substack_archive_ignoring_its_offset_ends_its_paging(tmp_path):
    publication = generate_publication(posts=12, comments_per_post=1, seed=4, big_post_comments=0)
    db = tmp_path / "offset.db"
    with OffsetBlindArchive(publication, archive_cap=5) as server:
        run_crawl(server.url, db, platform="substack", expect_exit=1, timeout=120)
        archive_pages = [r for r in server.requests if r.startswith("/api/v1/archive")]
    assert len(archive_pages) == 2, archive_pages
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 5  # all the archive ever shows
    [error] = rows(db, "select url, reason from errors")
    assert "/api/v1/archive" in error["url"]
    assert error["reason"] == "the page repeats entries already read: its paging was stopped"
