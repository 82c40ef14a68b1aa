"""WordPress feeds: their URLs, the posts feed and comment feeds as items, and completing a page's
comments from its comment feed.

RSS2 ``/feed/?paged=N``, Atom ``/feed/atom/``, the site's ``/comments/feed/`` and each post's
comment feed (``wfw:commentRss``).  The documents are read by ``syndication.read_feed`` (RSS
and Atom, shared with plain blogs); what is WordPress's own here is the ids (``?p=ID`` guids,
``#comment-ID`` links) and telling a posts feed from a comments feed.  A post's numeric id is
in its guid (``?p=ID``) only when it was first saved as a draft; posts published at once have
their permalink as guid, and those come back without ids (``FeedPage.posts_without_id``):
their post page gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ...dates import language_code
from ...items import BlogItem, CommentItem, PostItem
from ...loaders import BlogLoader
from ..markup import match_group, walk_comments
from ..syndication import (FeedDocument, FeedEntry, child_text, entry_comment_loader, entry_post_loader, plain_text,
                           read_feed)
from .ids import COMMENT_PAGE_PATH, GUID_POST_ID, PLATFORM, SOURCE_FEED, comment_key, post_key

_COMMENT_ANCHOR = re.compile(r"#comment-(\d+)$")
_POST_ID_ELEMENT = "{com-wordpress:feed-additions:1}post-id"


def feed_url(site_url: str, page: int = 1, kind: str = "rss2", pretty_permalinks: bool = True) -> str:
    """The posts feed: ``/feed/`` (``/feed/atom/`` for Atom), older posts with ``?paged=N``."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    if pretty_permalinks:
        url = urljoin(base, "feed/atom/" if kind == "atom" else "feed/")
        return f"{url}?paged={page}" if page > 1 else url
    query = {"feed": "atom" if kind == "atom" else "rss2"}
    if page > 1:
        query["paged"] = str(page)
    return urljoin(base, "?" + urlencode(query))


def comments_feed_url(site_url: str, page: int = 1, pretty_permalinks: bool = True) -> str:
    """The site's newest comments (RSS2): ``/comments/feed/``."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    if pretty_permalinks:
        url = urljoin(base, "comments/feed/")
        return f"{url}?paged={page}" if page > 1 else url
    query = {"feed": "comments-rss2"}
    if page > 1:
        query["paged"] = str(page)
    return urljoin(base, "?" + urlencode(query))


@dataclass
class FeedPage:
    """One page of a WordPress feed: posts (the posts feed) or comments (a comments feed)."""

    blog: BlogItem
    kind: str  # "posts" or "comments"
    format: str  # "rss2" or "atom"
    posts: list[PostItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)
    entries: int = 0
    generator: str | None = None
    site_url: str | None = None  # the channel's home link (posts feeds and /comments/feed/)
    post_url: str | None = None  # the post a per-post comment feed belongs to
    summary_only: bool = False  # posts carry an excerpt, not the post
    comment_feeds: dict[str, str] = field(default_factory=dict)  # post id -> its wfw:commentRss feed
    # WordPress's guid is ``?p=ID`` only for posts first saved as drafts; a post published at once
    # (by an importer, the REST API, a mobile app) has its permalink as guid, and the feed then
    # names no post id.  Such posts are in ``posts`` without ``id`` (see ``posts_without_id``):
    # their post page (``postid-ID``) gives it.  Comments whose post the feed does not name are
    # kept apart: ``post_url_of(comment["url"])`` is their post.
    comments_without_post: list[CommentItem] = field(default_factory=list)

    @property
    def posts_without_id(self) -> list[PostItem]:
        """Posts of this feed that need their post page for an id."""
        return [post for post in self.posts if not post.get("id")]


def parse_feed(body: bytes | str, url: str, blog_key: str, post_id: str | int | None = None) -> FeedPage:
    """Parse a WordPress RSS2 or Atom feed: the posts feed or a comments feed.

    ``post_id``: the post a per-post comment feed (``wfw:commentRss``) belongs to, for
    comments whose guid does not name it (posts imported with a foreign guid)."""
    doc = read_feed(body, url)
    comment_entries = [e for e in doc.entries if _is_comment_link(e.link, e.guid)]
    kind = "comments" if comment_entries and len(comment_entries) == len(doc.entries) else "posts"
    if not doc.entries and re.search(r"/comments/feed|feed=comments", url):
        kind = "comments"
    posts_feed = kind == "posts"
    page = FeedPage(
        blog=_feed_blog(blog_key, doc.home if posts_feed else None, doc.title if posts_feed else None,
                        doc.description if posts_feed else None, doc.language),
        kind=kind,
        format="atom" if doc.format == "atom" else "rss2",
        entries=len(doc.entries),
        generator=doc.generator,
    )
    if posts_feed:
        _read_posts(page, doc, blog_key)
    else:
        _set_comment_feed_target(page, doc.home, url)
        for entry in doc.entries:
            comment = _feed_comment(entry, blog_key, post_id)
            if comment is not None:
                (page.comments if comment.get("post_id") else page.comments_without_post).append(comment)
    return page


def _read_posts(page: FeedPage, doc: FeedDocument, blog: str) -> None:
    page.site_url = doc.home
    for entry in doc.entries:
        post = _feed_post(entry, blog, doc.home)
        page.posts.append(post)
        if entry.comment_feed and doc.format != "atom" and post.get("platform_id"):
            page.comment_feeds[post["platform_id"]] = entry.comment_feed
    page.summary_only = bool(page.posts) and all(not p.get("content_html") for p in page.posts)
    page.blog["feed_mode"] = ("summary" if page.summary_only else "full") if page.posts else None


def _feed_blog(
    blog: str, home: str | None, title: str | None, description: str | None, language: str | None
) -> BlogItem:
    loader = BlogLoader()
    loader.add_value("id", blog)
    loader.add_value("url", home)
    loader.add_value("platform", PLATFORM)
    loader.add_value("title", plain_text(title))
    loader.add_value("description", plain_text(description))
    loader.add_value("language", language_code(language))
    return loader.load_item()


def post_url_of(comment_url: str | None) -> str | None:
    """The post a comment permalink belongs to: ``/slug/comment-page-2/#comment-5`` -> ``/slug/``."""
    if not comment_url:
        return None
    parts = urlsplit(comment_url)
    return urlunsplit((parts.scheme, parts.netloc, COMMENT_PAGE_PATH.sub("/", parts.path), parts.query, ""))


def _is_comment_link(*values: str | None) -> str | None:
    for value in values:
        match = _COMMENT_ANCHOR.search((value or "").strip())
        if match:
            return match.group(1)
    return None


# What a post page's comments may lack that its comment feed has: classic themes print a
# pingback as "Pingback: <a>source</a>", with neither date nor excerpt.
_COMPLETED_FROM_FEED = ("published_machine", "published_raw", "content_html", "content_text", "author_url")


def complete_from_feed(comments: list[CommentItem], feed_comments: list[CommentItem]) -> int:
    """Fill what the page's comments (a tree, as ``parse_html`` gives them) lack from the same
    comments in the post's comment feed, matched by id.  The page keeps its threading, comment
    types and shown dates, which feeds do not carry (a feed's machine date then wins over the
    shown one in the date pipeline).  Returns how many comments were completed."""
    by_id = {c["id"]: c for c in feed_comments if c.get("id")}
    completed = 0
    for comment in walk_comments(comments):
        source = by_id.get(comment["id"])
        if source is None:
            continue
        missing = [name for name in _COMPLETED_FROM_FEED if not comment.get(name) and source.get(name)]
        for name in missing:
            comment[name] = source[name]
        completed += bool(missing)
    return completed


def _set_comment_feed_target(page: FeedPage, channel_link: str | None, url: str) -> None:
    """A site-wide comments feed links the home page; a post's comment feed links the post."""
    feed_path = urlsplit(url).path.rstrip("/")
    if re.search(r"/comments/feed(?:/atom|/rss2?)?$", feed_path) or "feed=comments" in url:
        page.site_url = channel_link
    else:
        page.post_url = channel_link


def _feed_post(entry: FeedEntry, blog: str, home: str | None) -> PostItem:
    """A posts-feed entry; without ``id`` when the feed names no post id (see FeedPage)."""
    post_id = match_group(GUID_POST_ID, entry.guid)
    if post_id is None and entry.element.tag == "item":
        post_id = child_text(entry.element, _POST_ID_ELEMENT)
    loader = entry_post_loader(entry, home)
    loader.add_value("id", post_key(blog, post_id) if post_id else None)
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", post_id)
    loader.add_value("content_html", entry.content_html)
    loader.add_value("content_text", entry.content_html)
    loader.add_value("source", SOURCE_FEED)
    return loader.load_item()


def _feed_comment(entry: FeedEntry, blog: str, post_id: str | int | None) -> CommentItem | None:
    comment_id = _is_comment_link(entry.link, entry.guid)
    if comment_id is None:
        return None
    post = match_group(GUID_POST_ID, entry.guid) or match_group(GUID_POST_ID, entry.in_reply_to)
    if post is None and post_id is not None:
        post = str(post_id)
    loader = entry_comment_loader(entry)
    loader.add_value("id", comment_key(blog, comment_id))
    loader.add_value("post_id", post_key(blog, post) if post else None)
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", comment_id)
    if entry.in_reply_to is not None:
        # Atom says what a comment answers: the post's guid (top level) or the parent comment's.
        parent = _is_comment_link(entry.in_reply_to)
        loader.add_value("parent_id", comment_key(blog, parent) if parent else None)
    # RSS does not say which comment a reply answers: parent_id stays unknown (None), and a
    # crawl never blanks a parent another source stored.  Nor do feeds say whether an entry is
    # a pingback: comment_type is left unknown.
    loader.add_value("source", SOURCE_FEED)
    return loader.load_item()
