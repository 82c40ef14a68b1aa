"""Extraction of one saved page or feed, without Scrapy: what ``newscrawl extract`` prints.

The document goes through its platform's parser and then through :func:`newscrawl.prepare.prepare`,
the path every crawl's items take, so a page that extracts wrong here is stored wrong by a
crawl, and the other way round (``tests/test_extract_equals_crawl.py`` holds them together).
This module only chooses the parser and lays the rows out; it reads no markup itself.  What it
cannot read (an empty or binary file, a page where its parser finds nothing) is refused with
:class:`ExtractError`, which says why and what to extract instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .detect import platform_of_document
from .items import BlogItem, CommentItem, PostItem
from .platforms import blogger, feed as plain_feed, substack, syndication, wordpress
from .prepare import Rows, context_of, prepare_all
from .storage import SCHEMA

logger = logging.getLogger(__name__)

_BOOKKEEPING = {"first_seen", "last_changed"}
PLATFORMS = ("blogger", "wordpress", "substack", "feed")


class ExtractError(ValueError):
    """A document ``newscrawl extract`` cannot read: empty, binary, not of the platform named, or a
    page where its parser finds nothing.  The message says which, and what to extract instead."""


@dataclass
class Document:
    """A parsed page or feed: its blog row and the items a crawl of it would store."""

    blog: BlogItem
    items: list[Any] = field(default_factory=list)
    post_page: bool = False  # one post with its comments (printed as post + comments + links)
    # why a post page may hold fewer comments than it announces (by script, paged, hosted elsewhere)
    comments_elsewhere: str | None = None
    # a feed or an API answer: read even when it holds nothing (a blog without posts, a post
    # without comments); a page where nothing is found is refused
    may_be_empty: bool = False


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
    is read as a plain-feed blog (``feed``).  :class:`ExtractError` when the document cannot be
    read (see :func:`parse_document`) or a crawl would store no post from a post page."""
    document = parse_document(body, url, platform)
    rows = prepare_all([document.blog, *document.items], context_of(document.blog))
    if document.post_page and not rows.posts:
        raise _no_post(url, document)
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
    """The platform's own parser over one saved document.

    :class:`ExtractError` for a document it cannot read: an empty or binary file, JSON for a
    platform without JSON answers, a Substack feed (the crawl reads Substack's API, never its
    feed), or a page where the parser finds nothing at all.  A document the platform's parser
    refuses raises the parser's own error (``NotAFeed``, ``NotSubstackJson``: one of
    :data:`PARSER_ERRORS`); :func:`refusal` words it for people."""
    refuse_unreadable(body, url)
    if platform == "auto":
        platform = platform_of_document(body) or "feed"
    if platform not in PLATFORMS:
        raise ExtractError(f"newscrawl extract does not read {platform} documents ({', '.join(PLATFORMS)} only)")
    document = _parse(body, url, platform)
    if not document.may_be_empty and not found_anything(document):
        verdict = document.blog.get("status_reason") if document.blog.get("status") in _NOT_A_BLOG else None
        raise ExtractError(f"{url}: nothing found in this {_kind_of(body)} as a {platform} document "
                           f"({verdict + '; ' if verdict else ''}no post with a title, text or date, no comment, "
                           f"no blog status); {_advice(platform)}")
    if document.post_page and not any(isinstance(item, PostItem) and item.get("id") for item in document.items):
        raise _no_post(url, document)
    return document


# What the platforms' parsers raise for a document they do not read (NotAFeed, NotSubstackJson and
# the JSON and XML errors under them are ValueErrors)
PARSER_ERRORS = (ValueError, etree.LxmlError)


def refusal(exc: Exception, url: str, platform: str, body: bytes = b"") -> ExtractError:
    """A parser's refusal of a document as one line for people: what the parser said and what
    to extract instead (an :class:`ExtractError` is already worded)."""
    if isinstance(exc, ExtractError):
        return exc
    if platform == "auto":
        platform = platform_of_document(body) or "feed"
    return ExtractError(f"{url}: not a {platform} document newscrawl can read: {_one_line(exc, url)}; "
                        f"{_advice(platform)}")


def _no_post(url: str, document: Document) -> ExtractError:
    return ExtractError(f"{url}: no post a crawl could store in this page (no post id in it); "
                        f"{_advice(document.blog.get('platform'))}")


def _parse(body: bytes, url: str, platform: str) -> Document:
    if platform == "substack":
        if syndication.looks_like_feed(body):
            raise ExtractError(f"{url}: a Substack feed: a crawl reads Substack through its API and stores nothing "
                               f"from its feed; {_advice('substack')}, or read this file as a plain feed with "
                               f"--platform feed")
        # post pages, newsletter emails and the API's JSON answers: substack.parse_document tells them apart
        saved = substack.parse_document(body, url)
        post = saved.posts[0] if saved.post_page and saved.posts else None
        elsewhere = None
        if saved.kind == "page" and post is not None and post.get("platform_id") and not post.get("comments"):
            elsewhere = (f"Substack's pages load their comments by script: extract "
                         f"{substack.comments_api_url(substack.blog_root(url), post['platform_id'])}")
        return Document(saved.blog, [*saved.posts, *saved.comments], post_page=saved.post_page,
                        comments_elsewhere=elsewhere, may_be_empty=saved.kind in {"archive", "posts", "comments"})
    if _kind_of(body) == "JSON":
        raise ExtractError(f"{url}: a JSON document: newscrawl extract reads JSON only as Substack API answers "
                           f"(--platform substack); for a {platform} blog extract its pages or feeds")
    is_feed = syndication.looks_like_feed(body)
    if platform == "blogger":
        if is_feed:
            page = blogger.parse_feed(body, url)
            return Document(page.blog, [*page.posts, *page.comments], may_be_empty=True)
        return _page_document(blogger.parse_html(body, url))
    if platform == "wordpress":
        if is_feed:
            # a feed's URL names its blog (https://x/feed/ -> https://x/), as in a crawl
            key = wordpress.blog_key(wordpress.site_url_from_feed_url(url))
            page = wordpress.parse_feed(body, url, key)
            return Document(page.blog, [*page.posts, *page.comments], may_be_empty=True)
        return _page_document(wordpress.parse_html(body, url))
    if is_feed:
        page = plain_feed.parse_feed_document(body, url)
        return Document(page.blog, [*page.posts, *page.comments], may_be_empty=True)
    return _page_document(plain_feed.parse_html(body, url))


# -- what cannot be read ---------------------------------------------------------------------

# Formats recognised by their first bytes: named in the error, since "binary" alone does not say what to do.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x1f\x8b", "gzip-compressed: unpack it first (gunzip -c FILE > page.html)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed: unpack it first (zstd -d FILE)"),
    (b"BZh", "bzip2-compressed: unpack it first (bunzip2 FILE)"),
    (b"\xfd7zXZ\x00", "xz-compressed: unpack it first (unxz FILE)"),
    (b"PK\x03\x04", "a zip archive: unpack the page or feed from it first"),
    (b"%PDF-", "a PDF document, not a page or feed"),
    (b"\x89PNG", "a PNG image, not a page or feed"),
    (b"\xff\xd8\xff", "a JPEG image, not a page or feed"),
    (b"GIF8", "a GIF image, not a page or feed"),
    (b"SQLite format 3\x00", "an SQLite database, not a page or feed (browse it with `newscrawl serve --db FILE`)"),
]
# UTF-16, with its byte order mark or without (an XML document's "<" then NUL, or NUL then "<")
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
# bytes no text holds: C0 controls but tab, newline, form feed, carriage return and escape
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}


def refuse_unreadable(body: bytes, url: str) -> None:
    """:class:`ExtractError` for an empty file or one that is no text at all (compressed, an image,
    random bytes): every page, feed and API answer is text."""
    if not body.strip(b" \t\r\n\x0c\x0b\xef\xbb\xbf\x00"):
        raise ExtractError(f"{url}: the file is empty: save the page or feed again (curl -o FILE URL)")
    for magic, what in _MAGIC:
        if body.startswith(magic):
            raise ExtractError(f"{url}: the file is {what}")
    head = body[:8192]
    if head.startswith(_UTF16_STARTS):
        return  # UTF-16: NUL bytes are half its text
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if b"\x00" in head or controls > len(head) // 20:
        raise ExtractError(f"{url}: the file is binary, not a page, feed or API answer (HTML, XML or JSON text)")


# blog statuses that are a parser's verdict on the page rather than the blog's state
_NOT_A_BLOG = {wordpress.STATUS_NOT_WORDPRESS}


def found_anything(document: Document) -> bool:
    """Whether the parser recognised anything in a page: a post with a title, text or date, a
    comment (a Substack Note is one, though a crawl stores it nowhere), or a blog state other
    than ok (private, removed, content warning)."""
    if document.blog.get("status") not in {None, "ok", *_NOT_A_BLOG}:
        return True
    for item in document.items:
        if isinstance(item, CommentItem) or (isinstance(item, PostItem) and item.get("comments")):
            return True
        if isinstance(item, PostItem) and any(item.get(name) for name in (
                "title", "content_html", "content_text", "published_machine", "published_raw")):
            return True
    return False


def _advice(platform: str | None) -> str:
    if platform == "substack":
        return ("extract a post page (/p/SLUG) or an API answer (/api/v1/archive, /api/v1/posts/SLUG, "
                "/api/v1/post/ID/comments?all_comments=true); a home page's posts are loaded by script")
    return (f"extract a post page, a listing page or a feed, and name its platform with --platform "
            f"({', '.join(PLATFORMS)}) if auto told it wrong")


def _kind_of(body: bytes) -> str:
    start = body[:2048].lstrip(b" \t\r\n\xef\xbb\xbf")
    if start.startswith((b"{", b"[")):
        return "JSON"
    if start.startswith(b"<"):
        return "page"
    return "text"


def _one_line(exc: Exception, url: str) -> str:
    """The parser's message on one line, without the URL the parsers start theirs with."""
    text = " ".join(str(exc).split()).removeprefix(f"{url}: ")
    return text[:300] or type(exc).__name__


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
