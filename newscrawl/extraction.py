"""Extraction of one saved page or feed, without Scrapy: what ``newscrawl extract`` prints.

It runs the same parser and the same date and split steps as a crawl, so a page that
extracts wrong here extracts wrong in a crawl, and the other way round.
"""

from __future__ import annotations

from typing import Any

from .dates import DateContext
from .pipelines import add_commentary, item_to_row, normalize_item_dates, post_links, split_comments
from .detect import platform_of_page
from .platforms import blogger, wordpress
from .storage import SCHEMA

_BOOKKEEPING = {"first_seen", "last_changed"}


def _row(item: Any, table: str) -> dict[str, Any]:
    """Every column of ``table`` (None where the page had nothing), in schema order."""
    values = item_to_row(item)
    return {name: values.get(name) for name in SCHEMA[table] if name not in _BOOKKEEPING}


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and b"<html" not in head or head.startswith((b"<feed", b"<rss"))


def feed_platform(body: bytes) -> str:
    """Blogger's feeds name themselves (tag:blogger.com ids); anything else is read as WordPress."""
    head = body[:4096]
    return "blogger" if b"tag:blogger.com" in head or b"blogger.com/feeds" in head else "wordpress"


def extract_file(body: bytes, url: str, platform: str = "auto") -> dict[str, Any]:
    """What a crawl would store from one saved page or feed, as rows (column names)."""
    feed = looks_like_feed(body)
    if platform == "auto":
        if feed:
            platform = feed_platform(body)
        else:
            platform = platform_of_page(body.decode("utf-8", errors="replace")) or "blogger"
    if platform == "blogger":
        return _extract_feed(body, url) if feed else _extract_page(body, url)
    if platform == "wordpress":
        return _extract_wordpress_feed(body, url) if feed else _extract_wordpress_page(body, url)
    raise ValueError(f"unknown platform {platform!r}")


def _extract_wordpress_feed(body: bytes, url: str) -> dict[str, Any]:
    # a feed's URL names its blog (https://x/feed/ -> https://x/), as in a crawl
    page = wordpress.parse_feed(body, url, wordpress.blog_key(wordpress.site_url_from_feed_url(url)))
    return _rows(page.blog, page.posts, page.comments)


def _extract_wordpress_page(body: bytes, url: str) -> dict[str, Any]:
    return _page_rows(wordpress.parse_html(body, url))


def _rows(blog, posts, comments) -> dict[str, Any]:
    context = DateContext.from_hints(blog.get("language"), blog.get("timezone"))
    return {
        "blog": _row(blog, "blogs"),
        "posts": [_row(add_commentary(normalize_item_dates(p, context)), "posts") for p in posts],
        "comments": [_row(normalize_item_dates(c, context), "comments") for c in comments],
    }


def _extract_feed(body: bytes, url: str) -> dict[str, Any]:
    page = blogger.parse_feed(body, url)
    return _rows(page.blog, page.posts, page.comments)


def _extract_page(body: bytes, url: str) -> dict[str, Any]:
    return _page_rows(blogger.parse_html(body, url))


def _page_rows(page) -> dict[str, Any]:
    """A post page: the post, its comments (flattened, linked) and links; a listing: its posts."""
    context = DateContext.from_hints(page.blog.get("language"), page.blog.get("timezone"))
    result: dict[str, Any] = {"blog": _row(page.blog, "blogs")}
    if page.is_post_page and page.posts:
        post = add_commentary(normalize_item_dates(page.posts[0], context))
        comments = split_comments(post)
        result["post"] = _row(post, "posts")
        result["comments"] = [_row(c, "comments") for c in comments]
        result["links"] = [_row(link, "links") for link in post_links(post)]
    else:
        result["posts"] = [_row(add_commentary(normalize_item_dates(p, context)), "posts") for p in page.posts]
        result["comments"] = []
    return result
