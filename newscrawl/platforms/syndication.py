"""Reading RSS and Atom: any feed document into plain values, for every platform that has feeds.

RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 are read here once: ``read_feed`` turns a feed
document into :class:`FeedDocument` / :class:`FeedEntry` values (the feed's own fields,
machine dates, the comment extensions ``slash:comments``, ``thr:total``/``thr:count``,
``wfw:commentRss``, Atom ``link rel="replies"`` and ``thr:in-reply-to`` of RFC 4685, and
the RFC 5005 paging links).  No ids are made here: each platform (``feed.py`` for plain
blogs, ``wordpress/feeds.py``) makes its items from these values with its own ids, starting
from ``entry_post_loader`` / ``entry_comment_loader``, which load what any entry says.

Also here: ``looks_like_feed`` (is a response a feed or a page?) and ``discover_feeds``
(a page's ``<link rel="alternate">`` RSS/Atom links, the posts feed told from the comments
feed by title and address).  RSS ``pubDate`` values are read by ``dates.rfc822_to_iso``.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..dates import parse_machine_date, rfc822_to_iso
from ..loaders import CommentLoader, PostLoader, collapse_whitespace, html_fragment
from .comment_markup import decode_page
from .markup import ATOM, NotAFeed, atom_link, feed_root, html_document

RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "a": ATOM,
    "atom": ATOM,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "wfw2": "http://wellformedweb.org/commentAPI/",  # the lower-case spelling some feeds use
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "fh": "http://purl.org/syndication/history/1.0",
    "rss1": RSS1,
    "rdf": RDF,
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"  # xml:lang, of feeds and pages
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


# -- reading any feed -------------------------------------------------------------------------


@dataclass
class FeedEntry:
    """One RSS item or Atom entry, as the feed gives it (no platform ids yet)."""

    element: Any  # the lxml element, for what a platform reads beyond this
    guid: str | None = None  # RSS guid / RSS 1.0 rdf:about / Atom id
    link: str | None = None  # RSS link / Atom link rel=alternate
    base: str | None = None  # Atom content's xml:base (WordPress: the permalink)
    title: str | None = None
    author: str | None = None
    author_url: str | None = None
    published_machine: str | None = None
    published_raw: str | None = None
    updated_machine: str | None = None
    content_html: str | None = None  # the full body: content:encoded, Atom content
    summary_html: str | None = None  # RSS description, Atom summary
    # RSS's description is "the item synopsis", but many feeds put the whole post there;
    # Atom's summary is always a summary (Atom has content for the post)
    summary_may_be_body: bool = False
    labels: list[str] = field(default_factory=list)
    comment_count: str | None = None
    comment_feed: str | None = None  # wfw:commentRss, Atom link rel=replies of a feed type
    comments_page: str | None = None  # RSS comments, Atom link rel=replies type=text/html
    in_reply_to: str | None = None  # thr:in-reply-to ref: the entry this one answers
    in_reply_to_href: str | None = None


@dataclass
class FeedDocument:
    format: str  # rss2, rss1 or atom
    title: str | None = None
    description: str | None = None
    home: str | None = None  # the channel's link / the feed's alternate link
    language: str | None = None
    generator: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # rel -> href (self, next, prev-archive ...)
    archive: bool = False  # RFC 5005 fh:archive: an archive document
    entries: list[FeedEntry] = field(default_factory=list)


def read_feed(body: bytes | str, url: str) -> FeedDocument:
    """Any RSS 0.9x/2.0, RSS 1.0 or Atom 1.0 document; :class:`NotAFeed` otherwise.

    The XML is read strictly (``markup.read_xml``): a feed cut short must not yield half an
    entry as data."""
    root = feed_root(body, url)
    if root.tag == "rss":
        return _read_rss(root, url)
    if root.tag == f"{{{ATOM}}}feed":
        return _read_atom(root, url)
    if root.tag == f"{{{RDF}}}RDF":
        return _read_rss1(root, url)
    raise NotAFeed(f"{url}: not an RSS or Atom feed (root element {root.tag!r})")


def looks_like_feed(body: bytes | str) -> bool:
    """Whether a response body is a feed rather than a page (without parsing it)."""
    head = body[:2048] if isinstance(body, bytes) else body[:2048].encode("utf-8", "replace")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in head or head.startswith(b"<!doctype html"):
        return False
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _read_rss(root, url: str) -> FeedDocument:
    channel = root.find("channel")
    if channel is None:
        raise NotAFeed(f"{url}: RSS without a channel")
    doc = FeedDocument(
        format="rss2",
        title=plain_text(child_text(channel, "title")),
        description=plain_text(child_text(channel, "description")),
        home=_absolute(url, child_text(channel, "link")),
        language=child_text(channel, "language") or child_text(channel, "dc:language"),
        generator=child_text(channel, "generator"),
        links=_atom_links(channel, url),
        archive=channel.find("fh:archive", NS) is not None,
    )
    doc.entries = [_rss_entry(item, url) for item in channel.findall("item")]
    return doc


def _read_rss1(root, url: str) -> FeedDocument:
    channel = root.find("rss1:channel", NS)
    doc = FeedDocument(
        format="rss1",
        title=plain_text(child_text(channel, "rss1:title")) if channel is not None else None,
        description=plain_text(child_text(channel, "rss1:description")) if channel is not None else None,
        home=_absolute(url, child_text(channel, "rss1:link")) if channel is not None else None,
        language=child_text(channel, "dc:language") if channel is not None else None,
        links=_atom_links(channel, url) if channel is not None else {},
    )
    doc.entries = [_rss_entry(item, url) for item in root.findall("rss1:item", NS)]
    return doc


def _read_atom(root, url: str) -> FeedDocument:
    generator = root.find("a:generator", NS)
    generator_text = None
    if generator is not None:
        generator_text = collapse_whitespace(f"{generator.text or ''} {generator.get('version') or ''}")
    links = _atom_links(root, url)
    doc = FeedDocument(
        format="atom",
        title=plain_text(atom_text(root.find("a:title", NS))),
        description=plain_text(atom_text(root.find("a:subtitle", NS))),
        home=links.get("alternate"),
        language=root.get(XML_LANG),
        generator=generator_text,
        links=links,
        archive=root.find("fh:archive", NS) is not None,
    )
    doc.entries = [_atom_entry(entry, url) for entry in root.findall("a:entry", NS)]
    return doc


def _atom_links(element, url: str) -> dict[str, str]:
    """The element's own atom:link hrefs by rel (the first of each rel; no rel = alternate)."""
    links: dict[str, str] = {}
    for link in element.iterfind(f"{{{ATOM}}}link"):
        rel = link.get("rel") or "alternate"
        if link.get("href") and rel not in links:
            links[rel] = _absolute(url, link.get("href"))
    return links


def _rss_entry(item, url: str) -> FeedEntry:
    rss1 = item.tag == f"{{{RSS1}}}item"
    prefix = "rss1:" if rss1 else ""
    pub_date = child_text(item, "pubDate")
    dc_date = child_text(item, "dc:date")
    machine = rfc822_to_iso(pub_date) or _machine(pub_date) or _machine(dc_date)
    reply_to = item.find("thr:in-reply-to", NS)
    return FeedEntry(
        element=item,
        guid=child_text(item, "guid") or item.get(f"{{{RDF}}}about"),
        link=_absolute(url, child_text(item, f"{prefix}link")),
        title=plain_text(child_text(item, f"{prefix}title")),
        author=plain_text(child_text(item, "dc:creator")) or _rss_author_name(child_text(item, "author")),
        published_machine=machine,
        published_raw=pub_date or dc_date,
        content_html=_non_empty(child_text(item, "content:encoded", strip=False)),
        summary_html=_non_empty(child_text(item, f"{prefix}description", strip=False)),
        summary_may_be_body=True,
        labels=_unique(plain_text(c.text) for c in item.findall("category") + item.findall("dc:subject", NS)),
        comment_count=child_text(item, "slash:comments") or child_text(item, "thr:total"),
        comment_feed=_absolute(url, child_text(item, "wfw:commentRss") or child_text(item, "wfw:commentRSS")
                               or child_text(item, "wfw2:commentRss")),
        comments_page=_absolute(url, child_text(item, "comments")),
        in_reply_to=reply_to.get("ref") if reply_to is not None else None,
        in_reply_to_href=_absolute(url, reply_to.get("href")) if reply_to is not None else None,
    )


def _atom_entry(entry, url: str) -> FeedEntry:
    content = entry.find("a:content", NS)
    reply_to = entry.find("thr:in-reply-to", NS)
    published = child_text(entry, "a:published")
    updated = child_text(entry, "a:updated")
    count = child_text(entry, "thr:total")
    comment_feed = comments_page = None
    for link in entry.iterfind(f"{{{ATOM}}}link"):
        if link.get("rel") != "replies" or not link.get("href"):
            continue
        count = count or link.get(f"{{{NS['thr']}}}count")
        if "html" in (link.get("type") or "text/html"):
            comments_page = comments_page or _absolute(url, link.get("href"))
        else:
            comment_feed = comment_feed or _absolute(url, link.get("href"))
    has_body = content is not None and not content.get("src")
    return FeedEntry(
        element=entry,
        guid=child_text(entry, "a:id"),
        link=_absolute(url, atom_link(entry, "alternate")),
        base=content.get(_XML_BASE) if content is not None else None,
        title=plain_text(atom_text(entry.find("a:title", NS))),
        author=plain_text(child_text(entry, "a:author/a:name")),
        author_url=child_text(entry, "a:author/a:uri"),
        published_machine=_machine(published) or _machine(updated),
        published_raw=published or updated,
        updated_machine=updated if _machine(updated) else None,
        content_html=_non_empty(atom_text(content)) if has_body else None,
        summary_html=_non_empty(atom_text(entry.find("a:summary", NS))),
        labels=_unique(plain_text(c.get("term") or c.get("label")) for c in entry.findall("a:category", NS)),
        comment_count=count,
        comment_feed=comment_feed,
        comments_page=comments_page,
        in_reply_to=reply_to.get("ref") if reply_to is not None else None,
        in_reply_to_href=_absolute(url, reply_to.get("href")) if reply_to is not None else None,
    )


def child_text(element, path: str, strip: bool = True) -> str | None:
    """The text of the first child at ``path`` (prefixes of :data:`NS`), None when absent or empty."""
    if element is None:
        return None
    found = element.find(path, NS)
    if found is None:
        return None
    text = "".join(found.itertext())
    if strip:
        text = text.strip()
    return text or None


def atom_text(element) -> str | None:
    """The HTML of an Atom text construct (type html, xhtml or text)."""
    if element is None:
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = "".join(etree.tostring(child, encoding="unicode") for child in element)
        return (element.text or "") + inner
    text = "".join(element.itertext())
    if kind == "text":
        return html_lib.escape(text).replace("\n", "<br />")
    return text


# Inline HTML as titles and names carry it; anything else in angle brackets is text ("<Analysis>").
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|big|br|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|small|span"
                         r"|strike|strong|sub|sup|time|tt|u|var)\b[^<>]*>", re.IGNORECASE)


def plain_text(value: Any) -> str | None:
    """Text of a feed string that may hold entities or inline markup (``Q&#038;A <em>x</em>``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    if _INLINE_TAG.search(value):
        try:
            value = html_fragment(value).text_content()
        except (etree.ParserError, ValueError):
            pass
    return collapse_whitespace(html_lib.unescape(value))


def _machine(value: str | None) -> str | None:
    """An ISO 8601 value with an offset (``dc:date``, Atom dates), else None."""
    return value.strip() if value and parse_machine_date(value) is not None else None


_RSS_AUTHOR = re.compile(r"^\S+@\S+\s*\((.+)\)\s*$")


def _rss_author_name(value: str | None) -> str | None:
    """RSS ``author`` is an e-mail address, by convention followed by the name in parentheses."""
    if not value:
        return None
    match = _RSS_AUTHOR.match(value.strip())
    if match:
        return plain_text(match.group(1))
    return None if "@" in value else plain_text(value)


def _non_empty(value: str | None) -> str | None:
    return value if value and value.strip() else None


def _absolute(base: str, href: str | None) -> str | None:
    return urljoin(base, href.strip()) if href and href.strip() else None


def _unique(values: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


# -- autodiscovery ------------------------------------------------------------------------------

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
               "text/xml")
# Whole words: a news-commentary blog's own feed ("The Commentary » Feed") is not a comments feed.
_COMMENTS_TITLE = re.compile(
    r"\b(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|reactions|réactions|antworten"
    r"|replies)\b", re.IGNORECASE
)
_COMMENTS_PATH = re.compile(r"(?:^|/)comments?(?:[/._-]|$)", re.IGNORECASE)


@dataclass
class DiscoveredFeeds:
    """The feeds a page advertises, sorted out."""

    feeds: list[str] = field(default_factory=list)  # every RSS/Atom link, page order
    posts_feed: str | None = None  # the blog's posts feed
    comments_feed: str | None = None  # the blog-wide comments feed


def discover_feeds(body: bytes | str, url: str) -> DiscoveredFeeds:
    """The RSS/Atom feeds a page's ``<link rel="alternate">`` elements name, resolved
    against the page's URL (or its ``<base href>``).

    The posts feed is the first feed on the page's own site whose title and address do not
    say "comments" (a post page also advertises its own comment feed: those say so too);
    the blog-wide comments feed is the first one that does, when it is not a single post's."""
    doc = html_document(decode_page(body), url)
    base = urljoin(url, (doc.xpath("//base/@href") or [url])[0])
    found = DiscoveredFeeds()
    comment_feeds: list[str] = []
    for link in doc.xpath("//link[@href]"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rels or kind not in _FEED_TYPES:
            continue
        href = urljoin(base, link.get("href").strip())
        if href in found.feeds:
            continue
        found.feeds.append(href)
        if _COMMENTS_TITLE.search(link.get("title") or "") or _COMMENTS_PATH.search(urlsplit(href).path):
            comment_feeds.append(href)
    posts = [f for f in found.feeds if f not in comment_feeds]
    found.posts_feed = next((f for f in posts if same_site(f, url)), posts[0] if posts else None)
    found.comments_feed = next(
        (f for f in comment_feeds if same_site(f, url) and not _one_posts_feed(f, url)), None
    )
    return found


def _one_posts_feed(feed_url: str, page_url: str) -> bool:
    """A single post's comment feed: under the post's own address (WordPress ``/slug/feed/``)
    or named by the post's number (Blogger ``/feeds/POSTID/comments/default``)."""
    path = urlsplit(feed_url).path
    page_path = re.sub(r"\.[a-z]+$", "", urlsplit(page_url).path.rstrip("/"))
    if page_path and path.startswith(page_path) and _OWN_FEED.match(path[len(page_path):]):
        return True
    return any(segment.isdigit() and len(segment) >= 6 for segment in path.split("/"))


# What follows a post's address in its own feed's: /slug/feed/, /slug/feed/atom/, /slug.rss
_OWN_FEED = re.compile(r"^(?:/feed(?:/atom|/rss2?)?/?|\.(?:rss|xml|atom))$")


def same_site(url: str | None, other: str | None) -> bool:
    """Whether two addresses are on one site: the same host, lower-cased, ``www.`` aside."""
    if not url or not other:
        return False

    def site(address: str) -> str:
        return (urlsplit(address).hostname or "").lower().removeprefix("www.")

    return site(url) == site(other)


# -- what any entry says: each platform adds its ids -----------------------------------


def entry_post_loader(entry: FeedEntry, site: str | None) -> PostLoader:
    """A post loader with what any posts-feed entry says (no ids, no body: each platform
    decides those)."""
    loader = PostLoader()
    # Link blogs point the alternate link at the page they comment on; the permalink is then
    # the content's xml:base.
    for candidate in (entry.link, entry.base):
        if same_site(candidate, site):
            loader.add_value("url", candidate)
    loader.add_value("url", entry.base or entry.link or entry.guid)
    loader.add_value("title", entry.title)
    loader.add_value("author", entry.author)
    loader.add_value("author_url", entry.author_url)
    loader.add_value("published_machine", entry.published_machine)
    loader.add_value("published_raw", entry.published_raw)
    loader.add_value("updated_machine", entry.updated_machine)
    loader.add_value("labels", entry.labels)
    loader.add_value("comment_count", entry.comment_count)
    return loader


def entry_comment_loader(entry: FeedEntry) -> CommentLoader:
    """A comment loader with what any comment-feed entry says (no ids: platforms decide those)."""
    body = entry.content_html or entry.summary_html
    loader = CommentLoader()
    loader.add_value("author", entry.author)
    loader.add_value("author_url", entry.author_url)
    loader.add_value("published_machine", entry.published_machine)
    loader.add_value("published_raw", entry.published_raw)
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("url", entry.link)
    loader.add_value("deleted", False)
    return loader


__all__ = [
    "NS",
    "XML_LANG",
    "DiscoveredFeeds",
    "FeedDocument",
    "FeedEntry",
    "atom_text",
    "child_text",
    "discover_feeds",
    "entry_comment_loader",
    "entry_post_loader",
    "looks_like_feed",
    "plain_text",
    "read_feed",
    "same_site",
]
