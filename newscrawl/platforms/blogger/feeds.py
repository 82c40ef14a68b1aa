"""Blogger's Atom feeds: one page of a posts feed, a comments feed or a blog export read into items
(:class:`FeedPage`, :func:`parse_feed`), entry by entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from ...dates import most_common_offset
from ...items import BlogItem, CommentItem, PostItem
from ...loaders import BlogLoader, CommentLoader, PostLoader
from ..markup import ATOM, NotAFeed, atom_link, feed_root, link_with_rel, match_group
from .comments import REMOVED_NOTICE
from .ids import PLATFORM, blog_key, blog_root, comment_key, post_key
from .query import COUNT, to_int

NS = {
    "a": ATOM,
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "feedburner": "http://rssnamespace.org/feedburner/ext/1.0",
}
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"

_ENTRY_ID = re.compile(r"blog-(\d+)\.(?:post|page)-(\d+)")
_FEED_ID = re.compile(r"blog-(\d+)")
_COMMENT_FEED_PARENT = re.compile(r"/comments/default/(\d+)")
_COMMENT_FEED_POST = re.compile(r"/feeds/(?:\d+/)?(\d+)/comments/default")


@dataclass
class FeedPage:
    """One page of a Blogger Atom feed (posts, comments, or an export with both)."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)
    entries: int = 0  # entries on this page, whatever their kind
    total_results: int | None = None
    start_index: int | None = None
    items_per_page: int | None = None
    next_url: str | None = None
    summary_only: bool = False  # posts carry <summary>, not <content>


def parse_feed(body: bytes | str, url: str) -> FeedPage:
    """Parse a Blogger Atom feed page: posts feed, comments feed or a blog export."""
    root = feed_root(body, url)
    if root.tag != f"{{{ATOM}}}feed":
        raise NotAFeed(f"{url}: not an Atom feed (root element {getattr(root, 'tag', None)!r})")

    feed_blog_id = match_group(_FEED_ID, _text(root, "a:id"))
    blog_url = atom_link(root, "alternate") or blog_root(url)
    key = blog_key(feed_blog_id, blog_url)
    owner_uri = _text(root, "a:author/a:uri")
    blog = BlogLoader.build(
        id=key,
        url=blog_url,
        platform=PLATFORM,
        platform_id=feed_blog_id,
        title=_text(root, "a:title"),
        description=_text(root, "a:subtitle"),
        author=_text(root, "a:author/a:name"),
        author_url=owner_uri,
    )
    page = FeedPage(blog=blog)
    entries = root.findall("a:entry", NS)
    page.entries = len(entries)
    page.total_results = to_int(_text(root, "openSearch:totalResults"))
    page.start_index = to_int(_text(root, "openSearch:startIndex"))
    page.items_per_page = to_int(_text(root, "openSearch:itemsPerPage"))
    page.next_url = atom_link(root, "next")

    offsets = []
    for element in entries:
        entry = _Entry(element)
        kind = _entry_kind(entry)
        if kind == "post":
            post = _feed_post(entry, key)
            if post is not None:
                page.posts.append(post)
                offsets.append(post.get("published_machine"))
        elif kind == "comment":
            comment = _feed_comment(entry, key, owner_uri)
            if comment is not None:
                page.comments.append(comment)
                offsets.append(comment.get("published_machine"))
    page.summary_only = bool(page.posts) and all(not p.get("content_html") for p in page.posts)
    offset = most_common_offset(offsets)
    if offset:
        page.blog["timezone"] = offset
    page.blog["feed_mode"] = ("summary" if page.summary_only else "full") if page.posts else None
    return page


class _Entry:
    """An Atom entry's children by tag, read in one pass.  A Blogger entry has about fifteen, and
    each ``find`` with a prefix map resolved its path again: 65 µs an entry, more than building
    the comment's item (a comments feed page has 150 entries).  Lookups answer as ElementPath's
    ``find``/``findall`` of ``prefix:tag`` and ``a:author/a:name`` do."""

    __slots__ = ("children",)

    def __init__(self, entry: etree._Element) -> None:
        self.children: dict = {}
        for child in entry:
            self.children.setdefault(child.tag, []).append(child)

    def all(self, tag: str) -> list[etree._Element]:
        return self.children.get(tag, [])

    def first(self, tag: str) -> etree._Element | None:
        found = self.children.get(tag)
        return found[0] if found else None

    def text(self, tag: str) -> str | None:
        return _stripped_text(self.first(tag))

    def author(self, tag: str) -> str | None:
        """The text of the first ``tag`` (name, uri) of the entry's authors."""
        for author in self.all(_AUTHOR):
            for child in author:  # as author.find(tag), without ElementPath's set-up per call
                if child.tag == tag:
                    return _stripped_text(child)
        return None

    def link(self, rel: str) -> str | None:
        """As :func:`~newscrawl.platforms.markup.atom_link`."""
        return link_with_rel(self.all(_LINK), rel)


def _clark(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


_ID, _TITLE, _CONTENT, _SUMMARY = (_clark("a", tag) for tag in ("id", "title", "content", "summary"))
_PUBLISHED, _UPDATED, _CATEGORY, _LINK = (_clark("a", tag) for tag in ("published", "updated", "category", "link"))
_AUTHOR, _NAME, _URI = (_clark("a", tag) for tag in ("author", "name", "uri"))
_IN_REPLY_TO, _TOTAL = _clark("thr", "in-reply-to"), _clark("thr", "total")
_EXTENDED_PROPERTY, _ORIG_LINK = _clark("gd", "extendedProperty"), _clark("feedburner", "origLink")


def _entry_kind(entry: _Entry) -> str | None:
    """post, comment, or None for export entries we do not store (settings, template)."""
    kind_term = None
    for category in entry.all(_CATEGORY):
        if category.get("scheme") == KIND_SCHEME:
            kind_term = category.get("term", "")
    if kind_term is not None:
        if kind_term.endswith("#post"):
            return "post"
        if kind_term.endswith("#comment"):
            return "comment"
        return None
    if entry.first(_IN_REPLY_TO) is not None:
        return "comment"
    return "post"


def _feed_post(entry: _Entry, blog: str) -> PostItem | None:
    ids = _ENTRY_ID.search(entry.text(_ID) or "")
    if not ids:
        return None
    content = entry.first(_CONTENT)
    # A <summary> is not the post: content is left to the post page then.
    body = _content_html(content) if content is not None else None
    return PostLoader.build(
        id=post_key(blog, ids.group(2)),
        blog_id=blog,
        platform_id=ids.group(2),
        # FeedBurner rewrites links; its origLink is the real permalink
        url=[entry.text(_ORIG_LINK), entry.link("alternate")],
        title=entry.text(_TITLE),
        author=entry.author(_NAME),
        author_url=entry.author(_URI),
        published_machine=entry.text(_PUBLISHED),
        updated_machine=entry.text(_UPDATED),
        labels=[c.get("term") for c in entry.all(_CATEGORY) if c.get("scheme") == LABEL_SCHEME],
        content_html=body,
        content_text=body,
        comment_count=_thr_total(entry),
        source="feed",
    )


def _feed_comment(entry: _Entry, blog: str, owner_uri: str | None) -> CommentItem | None:
    ids = _ENTRY_ID.search(entry.text(_ID) or "")
    if not ids:
        return None
    comment_id = ids.group(2)
    reply_to = entry.first(_IN_REPLY_TO)
    post_id = match_group(_ENTRY_ID, reply_to.get("ref") if reply_to is not None else None, group=2)
    if post_id is None:
        post_id = match_group(_COMMENT_FEED_POST, entry.link("self") or entry.link("edit"))
    if post_id is None:
        return None
    parent = match_group(_COMMENT_FEED_PARENT, entry.link("related"))
    properties = {p.get("name"): p.get("value") for p in entry.all(_EXTENDED_PROPERTY)}
    removed = (properties.get("blogger.contentRemoved") or "").lower() == "true" or bool(
        REMOVED_NOTICE.match(entry.text(_CONTENT) or "")
    )
    author_uri = entry.author(_URI)
    permalink = entry.link("alternate")

    body = None
    if not removed:
        content = entry.first(_CONTENT)
        if content is None:
            content = entry.first(_SUMMARY)
        body = _content_html(content) if content is not None else None
    return CommentLoader.build(
        id=comment_key(blog, comment_id),
        post_id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=comment_id,
        parent_id=comment_key(blog, parent) if parent and parent != post_id else None,
        author=entry.author(_NAME),
        author_url=author_uri,
        is_blog_author=bool(owner_uri and author_uri and author_uri == owner_uri),
        published_machine=entry.text(_PUBLISHED),
        published_raw=properties.get("blogger.displayTime"),
        url=permalink,
        deleted=removed,
        deleted_reason=entry.text(_CONTENT) if removed else None,
        content_html=body,
        content_text=body,
        comment_type="comment",  # Blogger has no pingbacks
        source="feed",
    )


def _content_html(element: etree._Element) -> str | None:
    """The HTML of an Atom text construct (type html, xhtml or text)."""
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = "".join(etree.tostring(child, encoding="unicode") for child in element)
        return (element.text or "") + inner
    text = element.text or ""
    if kind == "text":
        return escape(text).replace("\n", "<br />")
    return text


def _thr_total(entry: _Entry) -> int | None:
    total = entry.first(_TOTAL)
    if total is not None:
        return to_int(total.text)
    # Feeds without thr:total still title the html replies link "N Comments".
    for link in entry.all(_LINK):
        if link.get("rel") == "replies" and link.get("type") == "text/html":
            return to_int(match_group(COUNT, link.get("title")))
    return None


def _text(element: etree._Element, path: str) -> str | None:
    return _stripped_text(element.find(path, NS))


def _stripped_text(found: etree._Element | None) -> str | None:
    if found is None or found.text is None:
        return None
    return found.text.strip() or None
