"""Plain RSS/Atom blogs: the "feed" platform, pure parsers for any site that publishes a feed.

The feed documents themselves are read by ``syndication.py`` (RSS 2.0/0.9x, RSS 1.0, Atom 1.0,
autodiscovery), which ``wordpress`` shares; this module makes a plain blog's items from what it
reads, with the plain blog's own ids.

What a plain blog offers, best first:

1. **Autodiscovery** (``syndication.discover_feeds``): ``<link rel="alternate">`` RSS/Atom
   links of the home page, resolved against the page's URL; the posts feed is told from the
   comments feed by its title and address.
2. **The posts feed** (``parse_feed``): posts with machine dates, full content or only a
   summary (``FeedPage.summaries``: the body then comes from the post page), the comment
   count (``slash:comments``, ``thr:total``, ``thr:count``) and each post's comment feed
   (``wfw:commentRss``, Atom ``link rel="replies"``).  Older entries: RFC 5005 links
   (``rel="next"`` in paged feeds, ``rel="prev-archive"`` in archived feeds), else
   ``?paged=N`` (``paged_url``), which the spider probes.
3. **Comment feeds** (``parse_comment_feed``): comments with machine dates; Atom's
   ``thr:in-reply-to`` (RFC 4685) says which comment a reply answers.
4. **Post pages** (``read_post_page``): the body via trafilatura when the feed carries
   summaries, and the comments from the page's markup (``comment_markup.py``).

Ids, stable across crawls whichever source read them:

* blog: ``blog_key(home)`` = ``feed:<host><path>`` (host lower-cased, no ``www.``, port kept);
* post: ``<blog key>:<native>``: the entry's guid (Atom ``id``), or its link when it has
  none; a guid that is an address on the blog's own host is shortened to its path
  (``feed:example.org:/2024/05/a-post.html``);
* comment: ``comment_markup.comment_key(post id, native)``: the site's comment number
  (``#comment-N`` in the comment's link or guid, the markup's own id), else ``g`` and a
  hash of the guid.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..dates import language_code, most_common_offset, parse_machine_date
from ..items import BlogItem, CommentItem, PostItem
from ..loaders import BlogLoader, PostLoader, collapse_whitespace, html_to_text
from .comment_markup import PageComments, comment_key, comments_of_document, decode_page
from .markup import NotAFeed, extract_body, has_class, html_document, json_ld_dates, title_among
from .syndication import (XML_LANG, FeedDocument, FeedEntry, entry_comment_loader, entry_post_loader, read_feed,
                          same_site)

PLATFORM = "feed"

SOURCE_FEED = "feed"
SOURCE_HTML = "html"


# -- ids -------------------------------------------------------------------------------------


def blog_key(home_url: str) -> str:
    """Our blogs.id for a plain-feed blog: ``feed:<host><path>`` (see the module docstring)."""
    parts = urlsplit(home_url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return f"{PLATFORM}:{host}{parts.path.rstrip('/')}"


def post_native_id(guid: str | None, link: str | None, site: str | None) -> str | None:
    """A post's own id on its blog: the guid (else the link), an address of the blog's own
    host shortened to its path and query."""
    ident = (guid or link or "").strip()
    if not ident:
        return None
    parts = urlsplit(ident)
    if parts.scheme in ("http", "https") and same_site(ident, site):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ident


def post_key(blog: str, native_id: str) -> str:
    return f"{blog}:{native_id}"


_COMMENT_NUMBER = re.compile(r"(?:#|\b)(?:comment|cmt)[-_]?(\d+)/?$|#c(\d+)$")


def comment_native_id(*values: str | None) -> str | None:
    """The site's comment number, as ``#comment-N`` (or ``...comment-N`` ending a tag URI)
    writes it in a comment's link or guid."""
    for value in values:
        match = _COMMENT_NUMBER.search((value or "").strip())
        if match:
            return match.group(1) or match.group(2)
    return None


def _guid_native(guid: str) -> str:
    return "g" + hashlib.sha1(guid.encode("utf-8")).hexdigest()[:12]


# -- the posts feed --------------------------------------------------------------------------


@dataclass
class FeedPage:
    """One page of a plain blog's posts feed."""

    blog: BlogItem
    format: str
    posts: list[PostItem] = field(default_factory=list)
    entries: int = 0
    guids: dict[str, str] = field(default_factory=dict)  # post id -> the entry's guid (what replies point at)
    summaries: dict[str, str] = field(default_factory=dict)  # post id -> summary, for posts without a body
    comment_feeds: dict[str, str] = field(default_factory=dict)  # post id -> its comment feed
    next_url: str | None = None  # RFC 5005: rel=next, else rel=prev-archive
    archive: bool = False  # an RFC 5005 archive document

    @property
    def summary_only(self) -> bool:
        return bool(self.posts) and len(self.summaries) == len(self.posts)


def parse_feed(body: bytes | str, url: str, blog: str | None = None, site: str | None = None) -> FeedPage:
    """A posts feed page of a plain blog (posts with or without bodies, comment counts and feeds).

    ``blog``: our blog key (default: from the feed's home link); ``site``: the blog's home URL,
    to shorten same-site guids (default: the feed's home link)."""
    doc = read_feed(body, url)
    site = site or doc.home or url
    blog = blog or blog_key(site)
    page = FeedPage(blog=_blog_item(doc, blog, site), format=doc.format, entries=len(doc.entries),
                    next_url=next_page_url(doc), archive=doc.archive)
    for entry in doc.entries:
        post = _post_item(entry, blog, site)
        if post is None:
            continue
        page.posts.append(post)
        page.guids[post["id"]] = entry.guid or entry.link or ""
        if entry.comment_feed:
            page.comment_feeds[post["id"]] = entry.comment_feed
        if not post.get("content_html"):
            page.summaries[post["id"]] = entry.summary_html or ""
    if page.posts:
        page.blog["feed_mode"] = "summary" if page.summary_only else "full"
        offset = most_common_offset(p.get("published_machine") for p in page.posts)
        if offset:
            page.blog["timezone"] = offset
    return page


def _blog_item(doc: FeedDocument, blog: str, site: str) -> BlogItem:
    loader = BlogLoader()
    loader.add_value("id", blog)
    loader.add_value("url", site)
    loader.add_value("platform", PLATFORM)
    loader.add_value("title", doc.title)
    loader.add_value("description", doc.description)
    loader.add_value("language", language_code(doc.language))
    loader.add_value("status", "ok")
    return loader.load_item()


def _post_item(entry: FeedEntry, blog: str, site: str) -> PostItem | None:
    native = post_native_id(entry.guid, entry.link, site)
    if native is None:
        return None
    loader = entry_post_loader(entry, site)
    loader.add_value("id", post_key(blog, native))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", native)
    body = entry.content_html
    if body is None and entry.summary_may_be_body and entry.summary_html and is_complete_body(entry.summary_html):
        body = entry.summary_html
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("source", SOURCE_FEED)
    return loader.load_item()


_TRUNCATED = re.compile(r"(?:\[\s*(?:…|\.\.\.|&hellip;|&#8230;)\s*\]|…|\.\.\.|&hellip;|&#8230;)\s*$")
_MORE_LINK = re.compile(
    r"""class=["'][^"']*(?:\bmore-link|\bread[-_]?more|\bmore\b)|>\s*(?:read more|continue reading|weiterlesen"""
    r"""|mehr lesen|lire la suite|leer más|continua a leggere|lees meer|ler mais)\b""",
    re.IGNORECASE,
)
_TRAILING_LINK = re.compile(r"<a\b[^>]*>[^<]*</a>\s*$", re.IGNORECASE)


def is_complete_body(summary_html: str) -> bool:
    """Whether an RSS description holds the whole post rather than a synopsis.

    A synopsis ends in an ellipsis or a "read more" link, or is a short text without any
    markup; anything else is taken as the post (better one page request too many than a
    summary stored as the body, so a doubtful case counts as a synopsis)."""
    text = html_to_text(summary_html) or ""
    before_link = html_to_text(_TRAILING_LINK.sub("", summary_html.strip())) or ""
    if any(_TRUNCATED.search(t) for t in (text, before_link)) or _MORE_LINK.search(summary_html):
        return False
    has_markup = bool(re.search(r"<(?:p|br|div|blockquote|ul|ol|h\d|img|a)\b", summary_html, re.IGNORECASE))
    return has_markup and len(text) >= 200


def next_page_url(doc: FeedDocument) -> str | None:
    """RFC 5005 paging: the next page of a paged feed, else the previous archive document."""
    return doc.links.get("next") or doc.links.get("prev-archive")


def paged_url(url: str, page: int) -> str:
    """``url`` with ``paged=page`` (WordPress's and many CMSs' feed paging); page 1 without it."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    if page > 1:
        query.append(("paged", str(page)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def page_number(url: str) -> int:
    """The ``paged`` number of a feed URL (1 without it)."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "paged" and value.isdigit():
            return int(value)
    return 1


# -- comment feeds -----------------------------------------------------------------------------


@dataclass
class CommentFeedPage:
    """One page of a post's comment feed."""

    comments: list[CommentItem] = field(default_factory=list)
    entries: int = 0
    next_url: str | None = None  # RFC 5005 rel=next


@dataclass
class SiteCommentsPage:
    """One page of a blog-wide comments feed: which post each comment belongs to, and when
    it was written (the comments themselves are read from each post's own source, which
    threads them)."""

    comments: list[tuple[str, str | None]] = field(default_factory=list)  # (post URL, machine date)
    entries: int = 0
    next_url: str | None = None


def parse_comment_feed(
    body: bytes | str, url: str, post_id: str, blog: str, post_refs: Iterable[str] = ()
) -> CommentFeedPage:
    """The comments of one post's comment feed.

    ``post_refs``: the post's guid and URL, which a top-level comment's ``thr:in-reply-to``
    names; a reply's names its parent comment (RFC 4685).  RSS comment feeds do not say
    which comment a reply answers: their comments carry no parent (None: unknown, and a
    crawl never blanks a parent another source stored)."""
    doc = read_feed(body, url)
    refs = {r for r in post_refs if r}
    natives = {e.guid: _comment_native(e) for e in doc.entries if e.guid}
    page = CommentFeedPage(entries=len(doc.entries), next_url=next_page_url(doc))
    for entry in doc.entries:
        native = _comment_native(entry)
        if native is None:
            continue
        page.comments.append(_comment_item(entry, native, post_id, blog, _parent_native(entry, natives, refs)))
    return page


def read_site_comments_feed(body: bytes | str, url: str) -> SiteCommentsPage:
    """A blog-wide comments feed (``/comments/feed/``): (post URL, date) of each comment."""
    doc = read_feed(body, url)
    page = SiteCommentsPage(entries=len(doc.entries), next_url=next_page_url(doc))
    for entry in doc.entries:
        target = entry.link or entry.in_reply_to_href or entry.guid or ""
        if target.startswith(("http://", "https://")):
            page.comments.append((target.split("#")[0], entry.published_machine))
    return page


def _comment_native(entry: FeedEntry) -> str | None:
    native = comment_native_id(entry.link, entry.guid)
    if native is None and (entry.guid or entry.link):
        native = _guid_native(entry.guid or entry.link)
    return native


def _parent_native(entry: FeedEntry, natives: dict[str, str | None], post_refs: set[str]) -> str | None:
    ref, href = entry.in_reply_to, entry.in_reply_to_href
    if not ref and not href:
        return None
    if ref in post_refs or (href and href.split("#")[0] in post_refs and "#" not in href):
        return None
    if ref in natives:
        return natives[ref]
    return comment_native_id(ref, href) or (_guid_native(ref) if ref else None)


def _comment_item(entry: FeedEntry, native: str, post_id: str, blog: str, parent: str | None) -> CommentItem:
    loader = entry_comment_loader(entry)
    loader.add_value("id", comment_key(post_id, native))
    loader.add_value("post_id", post_id)
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", native)
    if entry.in_reply_to or entry.in_reply_to_href:
        # the feed says what the comment answers: the post (top level) or a comment
        loader.add_value("parent_id", comment_key(post_id, parent) if parent else None)
    loader.add_value("source", SOURCE_FEED)
    item = loader.load_item()
    if entry.in_reply_to or entry.in_reply_to_href:
        item.setdefault("parent_id", None)
    return item


# -- post pages ------------------------------------------------------------------------------


@dataclass
class PostPage:
    """What a post page adds to its feed entry: the full body and the comments."""

    body_html: str | None
    comments: PageComments
    language: str | None = None


def read_post_page(body: bytes | str, url: str, post_id: str, blog: str, content_type: str | None = None,
                   with_body: bool = True, title: str | None = None) -> PostPage:
    """The body (trafilatura's main-content extraction, comments left out) and the comments
    (``comment_markup``) of a post page; ``title``: the post's title, which the body must
    not repeat."""
    text = decode_page(body, content_type)
    doc = html_document(text, url)
    return _post_page_of(doc, text, url, post_id, blog, with_body, title)


def _post_page_of(doc, text: str, url: str, post_id: str, blog: str, with_body: bool = True,
                  title: str | None = None) -> PostPage:
    comments = comments_of_document(doc, text, url, post_id, blog)
    language = language_code(doc.get("lang") or doc.get(XML_LANG))
    if title is None:
        title = collapse_whitespace(" ".join(doc.xpath("//h1[1]//text()")))
    body_html = extract_body(text, url, title) if with_body else None
    return PostPage(body_html=body_html, comments=comments, language=language)


__all__ = [
    "CommentFeedPage",
    "FeedPage",
    "NotAFeed",
    "PLATFORM",
    "PostPage",
    "SiteCommentsPage",
    "blog_key",
    "comment_native_id",
    "extract_body",
    "is_complete_body",
    "next_page_url",
    "page_number",
    "paged_url",
    "parse_comment_feed",
    "parse_feed",
    "post_key",
    "post_native_id",
    "read_post_page",
    "read_site_comments_feed",
]


# -- one saved document of a plain site (``newscrawl extract``) ------------------------------


@dataclass
class FeedDocumentItems:
    """What one feed document holds: a posts feed's posts, or one post's comments."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)


def site_root(url: str) -> str:
    """``https://example.org/2020/01/post/`` -> ``https://example.org/``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def parse_feed_document(body: bytes | str, url: str) -> FeedDocumentItems:
    """A posts feed; or one post's comment feed, whose channel links the post."""
    doc = read_feed(body, url)
    site = site_root(doc.home or url)
    blog = blog_key(site)
    if doc.entries and all(comment_native_id(e.link, e.guid) for e in doc.entries):
        post_url = doc.home or url
        post_id = post_key(blog, post_native_id(None, post_url, site))
        comments = parse_comment_feed(body, url, post_id, blog, [post_url]).comments
        return FeedDocumentItems(BlogItem(id=blog, url=site, platform=PLATFORM), comments=comments)
    page = parse_feed(body, url, blog, site)
    return FeedDocumentItems(page.blog, posts=page.posts)


@dataclass
class SitePage:
    """A post page of a plain site read on its own (no feed entry): the post from the page's
    metadata, its body and comments."""

    blog: BlogItem
    posts: list[PostItem]
    is_post_page: bool = True


# The entry's heading as engines and themes mark it (hAtom's entry-title, Movable Type's asset-name,
# a theme's title/headline), and the h1s: taken only where <title> or og:title names it too, else the first h1.
_TITLE_HEADINGS = " | ".join(
    [f"//*[{has_class(name)}]" for name in ("entry-title", "asset-name", "post-title", "posttitle", "title",
                                            "headline", "articleTitle")] + ["//h1"])


# An element inside a comment or the comments section (its own class or id, or an ancestor's, says so).
_IN_COMMENTS = "ancestor-or-self::*[contains(@class, 'comment') or contains(@id, 'comment')]"


def parse_html(body: bytes | str, url: str) -> SitePage:
    """A post page of any other site: the body (trafilatura), the metadata the page declares
    (canonical URL, ``og:title``, ``article:published_time``, ``datePublished`` in microdata, hAtom or
    JSON-LD) and the comments in its markup."""
    text = decode_page(body)
    doc = html_document(text, url)
    canonical = _first_text(doc.xpath("//link[@rel='canonical']/@href"))
    permalink = urljoin(url, canonical) if canonical else url
    site = site_root(permalink)
    blog = blog_key(site)
    native = post_native_id(None, permalink, site)
    h1 = _first_text(doc.xpath("//h1//text()"))
    title = _first_text(doc.xpath("//meta[@property='og:title']/@content")) or title_among(
        doc, [collapse_whitespace(e.text_content()) for e in doc.xpath(_TITLE_HEADINGS)], fallback=h1)
    published = [v for v in doc.xpath("//meta[@property='article:published_time']/@content"
                                      " | //*[@itemprop='datePublished']/@content"
                                      " | //*[@itemprop='datePublished']/@datetime"
                                      " | //article//time/@datetime"
                                      # hAtom's published date, unless it is a comment's
                                      f" | //abbr[{has_class('published')}][not({_IN_COMMENTS})]/@title")
                 + json_ld_dates(doc) if parse_machine_date(v)]
    author = doc.xpath("//meta[@name='author']/@content")
    # the tree already parsed here serves the comments too (read after the metadata above)
    page = _post_page_of(doc, text, url, post_key(blog, native), blog, title=title)
    loader = PostLoader()
    loader.add_value("id", post_key(blog, native))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", native)
    loader.add_value("url", permalink)
    loader.add_value("title", title)
    loader.add_value("author", author)
    loader.add_value("published_machine", published[:1])
    loader.add_value("content_html", page.body_html)
    loader.add_value("content_text", page.body_html)
    loader.add_value("comment_count", page.comments.expected)
    loader.add_value("source", SOURCE_HTML)
    post = loader.load_item()
    post["comments"] = page.comments.comments
    item = BlogItem(id=blog, url=site, platform=PLATFORM, language=page.language,
                    comments_hosted_by=page.comments.hosted_by)
    return SitePage(blog=item, posts=[post])


def _first_text(values) -> str | None:
    return next((v.strip() for v in values if v and v.strip()), None)
