"""What a page is parsed into is freed when it is stored, without waiting for Python's cyclic
collector: a crawl raises the collector's threshold (crawling.GC_THRESHOLD), so anything of a
page caught in a reference cycle (its items, its lxml tree) would pile up for thousands of
pages. Issue 19: a closure calling itself in prepare.split_comments held every post's items and
page tree in a cycle; an HTML crawl of 2,000 posts peaked at 445 MB instead of 157 MB."""

from __future__ import annotations

import gc
import urllib.request
from collections import Counter

import pytest

from newscrawl.extraction import extract_file
from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.replica.feedsite import FeedSiteServer


def _cycles_left_by(work) -> Counter:
    """The types of the objects that ``work()`` left in reference cycles (found by a collection
    with the collector off meanwhile)."""
    gc.collect()
    gc.disable()
    try:
        work()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        return Counter(type(obj).__name__ for obj in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


# What a page leaves behind when it is caught in a cycle: the items, the trees, lxml's strings.
PAGE_OBJECTS = {"CommentItem", "PostItem", "BlogItem", "HtmlElement", "_Element", "_Document",
                "_ElementUnicodeResult", "Rows"}


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


@pytest.mark.parametrize("template", ["threaded", "minima"])
def test_a_blogger_post_page_is_freed_without_the_cyclic_collector(template):
    blog = generate_blog(posts=4, comments_per_post=12, seed=9, big_post_comments=0)
    with ReplicaServer(blog, template=template) as server:
        pages = [(server.post_url(post), _fetch(server.post_url(post))) for post in blog.posts]
        feed = _fetch(f"{server.url}feeds/comments/default?alt=atom&max-results=500")

    def parse_everything() -> None:
        for url, body in pages:
            extracted = extract_file(body, url, "blogger")
            assert extracted["comments"] is not None
        extract_file(feed, f"{server.url}feeds/comments/default", "blogger")

    left = _cycles_left_by(parse_everything)
    assert not PAGE_OBJECTS & set(left), left


def test_a_plain_feed_and_its_post_pages_are_freed_without_the_cyclic_collector():
    blog = generate_blog(posts=4, comments_per_post=6, seed=10, big_post_comments=0)
    with FeedSiteServer(blog, format="atom") as server:
        feed_url = f"{server.url}{server.site.feed_path().lstrip('/')}"
        feed = _fetch(feed_url)
        pages = [(server.post_url(post), _fetch(server.post_url(post))) for post in blog.posts]

    def parse_everything() -> None:
        extract_file(feed, feed_url, "feed")
        for url, body in pages:
            extract_file(body, url, "feed")

    left = _cycles_left_by(parse_everything)
    assert not PAGE_OBJECTS & set(left), left
