"""Extraction of one saved page or feed, without Scrapy: what ``newscrawl extract`` prints.

It runs the same parser and the same date and split steps as a crawl, so a page that
extracts wrong here extracts wrong in a crawl, and the other way round.
"""

from __future__ import annotations

from typing import Any

from .dates import DateContext
from .pipelines import item_to_row, normalize_item_dates, post_links, split_comments
from .platforms import blogger
from .storage import SCHEMA

_BOOKKEEPING = {"first_seen", "last_changed"}


def _row(item: Any, table: str) -> dict[str, Any]:
    """Every column of ``table`` (None where the page had nothing), in schema order."""
    values = item_to_row(item)
    return {name: values.get(name) for name in SCHEMA[table] if name not in _BOOKKEEPING}


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and b"<html" not in head or head.startswith((b"<feed", b"<rss"))


def extract_file(body: bytes, url: str, platform: str = "blogger") -> dict[str, Any]:
    if platform != "blogger":
        raise ValueError(f"unknown platform {platform!r}")
    if looks_like_feed(body):
        return _extract_feed(body, url)
    return _extract_page(body, url)


def _extract_feed(body: bytes, url: str) -> dict[str, Any]:
    page = blogger.parse_feed(body, url)
    context = DateContext.from_hints(page.blog.get("language"), page.blog.get("timezone"))
    posts = [_row(normalize_item_dates(p, context), "posts") for p in page.posts]
    comments = [_row(normalize_item_dates(c, context), "comments") for c in page.comments]
    return {"blog": _row(page.blog, "blogs"), "posts": posts, "comments": comments}


def _extract_page(body: bytes, url: str) -> dict[str, Any]:
    page = blogger.parse_html(body, url)
    context = DateContext.from_hints(page.blog.get("language"), page.blog.get("timezone"))
    result: dict[str, Any] = {"blog": _row(page.blog, "blogs")}
    if page.is_post_page and page.posts:
        post = normalize_item_dates(page.posts[0], context)
        comments = split_comments(post)
        result["post"] = _row(post, "posts")
        result["comments"] = [_row(c, "comments") for c in comments]
        result["links"] = [_row(link, "links") for link in post_links(post)]
    else:
        result["posts"] = [_row(normalize_item_dates(p, context), "posts") for p in page.posts]
        result["comments"] = []
    return result
