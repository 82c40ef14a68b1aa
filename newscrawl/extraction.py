"""Extraction of one saved page or feed, without Scrapy: what ``newscrawl extract`` prints.

The document goes through its platform's parser and then through :func:`newscrawl.prepare.prepare`,
the path every crawl's items take, so a page that extracts wrong here is stored wrong by a
crawl, and the other way round (``tests/test_extract_equals_crawl.py`` holds them together).
This module only chooses the parser and lays the rows out; it reads no markup itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .detect import platform_of_document
from .items import BlogItem
from .platforms import blogger, feed as plain_feed, substack, syndication, wordpress
from .prepare import Rows, context_of, prepare_all
from .storage import SCHEMA

logger = logging.getLogger(__name__)

_BOOKKEEPING = {"first_seen", "last_changed"}
PLATFORMS = ("blogger", "wordpress", "substack", "feed")


@dataclass
class Document:
    """A parsed page or feed: its blog row and the items a crawl of it would store."""

    blog: BlogItem
    items: list[Any] = field(default_factory=list)
    post_page: bool = False  # one post with its comments (printed as post + comments + links)
    # why a post page may hold fewer comments than it announces (by script, paged, hosted elsewhere)
    comments_elsewhere: str | None = None


@dataclass(frozen=True)
class CommentCount:
    """A post page's announced comment count beside what was extracted from it."""

    announced: int
    extracted: int
    elsewhere: str | None  # the page's own reason for the difference, if it gives one

    @property
    def matches(self) -> bool:
        return self.announced == self.extracted


def extract_file(body: bytes, url: str, platform: str = "auto") -> dict[str, Any]:
    """What a crawl would store from one saved page or feed, as rows (column names).

    ``auto`` tells the platform from the document itself; a page or feed of any other site
    is read as a plain-feed blog (``feed``)."""
    document = parse_document(body, url, platform)
    rows = prepare_all([document.blog, *document.items], context_of(document.blog))
    count = comment_count_of(document, rows)
    if count is not None and not count.matches:
        logger.warning("%s: the page announces %d comments, %d extracted: %s", url, count.announced,
                       count.extracted, count.elsewhere or "the page gives no reason (a markup not read?)")
    return layout(rows, document.post_page)


def comment_count_of(document: Document, rows: Rows) -> CommentCount | None:
    """The count a post page announces ("23 Kommentare", Blogger's "5 comments:") against the
    comments extracted from it, pingbacks and deleted comments included as the engines count
    them; None where the page announces none."""
    if not document.post_page or not rows.posts or rows.posts[0].get("comment_count") is None:
        return None
    post = rows.posts[0]
    extracted = sum(1 for comment in rows.comments if comment.get("post_id") == post["id"])
    return CommentCount(int(post["comment_count"]), extracted, document.comments_elsewhere)


def parse_document(body: bytes, url: str, platform: str = "auto") -> Document:
    """The platform's own parser over one saved document."""
    if platform == "auto":
        platform = platform_of_document(body) or "feed"
    if platform not in PLATFORMS:
        raise ValueError(f"newscrawl extract does not read {platform} documents ({', '.join(PLATFORMS)} only)")
    if platform == "substack":
        # post pages, newsletter emails and the API's JSON answers: substack.parse_document tells them apart
        saved = substack.parse_document(body, url)
        return Document(saved.blog, [*saved.posts, *saved.comments], post_page=saved.post_page)
    is_feed = syndication.looks_like_feed(body)
    if platform == "blogger":
        if is_feed:
            page = blogger.parse_feed(body, url)
            return Document(page.blog, [*page.posts, *page.comments])
        return _page_document(blogger.parse_html(body, url))
    if platform == "wordpress":
        if is_feed:
            # a feed's URL names its blog (https://x/feed/ -> https://x/), as in a crawl
            key = wordpress.blog_key(wordpress.site_url_from_feed_url(url))
            page = wordpress.parse_feed(body, url, key)
            return Document(page.blog, [*page.posts, *page.comments])
        return _page_document(wordpress.parse_html(body, url))
    if is_feed:
        page = plain_feed.parse_feed_document(body, url)
        return Document(page.blog, [*page.posts, *page.comments])
    return _page_document(plain_feed.parse_html(body, url))


def _page_document(page) -> Document:
    """A post page gives its post (comments nested); a listing page its posts."""
    if page.is_post_page and page.posts:
        return Document(page.blog, page.posts[:1], post_page=True, comments_elsewhere=_comments_elsewhere(page))
    return Document(page.blog, list(page.posts))


def _comments_elsewhere(page) -> str | None:
    """What the page itself says about comments it does not hold (each platform's page object
    records it: a status, comment pages, a script that loads more, a hosted comment system)."""
    if getattr(page, "status_reason", None):
        return page.status_reason
    if getattr(page, "comment_page_links", None):
        return f"the comments continue on {len(page.comment_page_links)} more page(s)"
    if getattr(page, "more_comments_by_script", False):
        return "further comments are loaded by script"
    hosted_by = page.blog.get("comments_hosted_by")
    return f"the comments are hosted by {hosted_by}" if hosted_by else None


def layout(rows: Rows, post_page: bool) -> dict[str, Any]:
    """Rows as ``extract`` prints them: every column of each table, in schema order."""
    result: dict[str, Any] = {"blog": _columns(rows.blogs[0] if rows.blogs else {}, "blogs")}
    if post_page:
        post = rows.posts[0]
        result["post"] = _columns(post, "posts")
        result["comments"] = [_columns(c, "comments") for c in rows.comments]
        result["links"] = [_columns(link, "links") for link in rows.links.get(post["id"], [])]
    else:
        result["posts"] = [_columns(p, "posts") for p in rows.posts]
        result["comments"] = [_columns(c, "comments") for c in rows.comments]
    return result


def _columns(row: dict[str, Any], table: str) -> dict[str, Any]:
    """Every column of ``table`` (None where the page had nothing), in schema order."""
    return {name: row.get(name) for name in SCHEMA[table] if name not in _BOOKKEEPING}
