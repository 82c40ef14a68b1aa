"""Plain RSS/Atom blogs: pure parsers for any site that publishes a feed.

The reading of RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 entries lives here once and is
shared with ``wordpress.py``: ``read_feed`` turns a feed document into
:class:`FeedDocument` / :class:`FeedEntry` values (the feed's own fields, machine dates,
comment extensions), and each platform makes its items from them with its own ids.

What a plain blog offers, best first:

1. **Autodiscovery** (``discover_feeds``): ``<link rel="alternate">`` RSS/Atom links of the
   home page, resolved against the page's URL; the posts feed is told from the comments
   feed by its title and address.
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
import html as html_lib
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree, html as lxml_html

from ..dates import language_code, most_common_offset, parse_machine_date
from ..items import BlogItem, CommentItem, PostItem
from ..loaders import BlogLoader, CommentLoader, PostLoader, collapse_whitespace, html_to_text
from .comment_markup import PageComments, comment_key, comments_of_document, decode_page
from .markup import ATOM, NotAFeed, atom_link, feed_root

PLATFORM = "feed"

SOURCE_FEED = "feed"
SOURCE_HTML = "html"

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
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
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
        language=root.get(_XML_LANG),
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


def rfc822_to_iso(value: str | None) -> str | None:
    """An RSS ``pubDate`` (``Thu, 09 Nov 2017 05:00:00 +0000``) as ISO 8601 with its offset."""
    if not value or not value.strip():
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.isoformat()


# Inline HTML as titles and names carry it; anything else in angle brackets is text ("<Analysis>").
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|big|br|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|small|span"
                         r"|strike|strong|sub|sup|time|tt|u|var)\b[^<>]*>", re.IGNORECASE)


def plain_text(value: Any) -> str | None:
    """Text of a feed string that may hold entities or inline markup (``Q&#038;A <em>x</em>``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    if _INLINE_TAG.search(value):
        try:
            value = lxml_html.fragment_fromstring(value, create_parent="div").text_content()
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
    doc = lxml_html.document_fromstring(decode_page(body) or "<html></html>", base_url=url)
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
    found.posts_feed = next((f for f in posts if _same_site(f, url)), posts[0] if posts else None)
    found.comments_feed = next(
        (f for f in comment_feeds if _same_site(f, url) and not _one_posts_feed(f, url)), None
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


def _same_site(url: str | None, other: str | None) -> bool:
    if not url or not other:
        return False

    def site(address: str) -> str:
        return (urlsplit(address).hostname or "").lower().removeprefix("www.")

    return site(url) == site(other)


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
    if parts.scheme in ("http", "https") and _same_site(ident, site):
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


def entry_post_loader(entry: FeedEntry, site: str | None) -> PostLoader:
    """A post loader with what any posts-feed entry says (no ids, no body: each platform
    decides those)."""
    loader = PostLoader()
    # Link blogs point the alternate link at the page they comment on; the permalink is then
    # the content's xml:base.
    for candidate in (entry.link, entry.base):
        if _same_site(candidate, site):
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
    doc = lxml_html.document_fromstring(text or "<html></html>", base_url=url)
    comments = comments_of_document(doc, text, url, post_id, blog)
    language = language_code(doc.get("lang") or doc.get(_XML_LANG))
    if title is None:
        title = collapse_whitespace(" ".join(doc.xpath("//h1[1]//text()")))
    body_html = extract_body(text, url, title) if with_body else None
    return PostPage(body_html=body_html, comments=comments, language=language)


def extract_body(text: str, url: str, title: str | None = None) -> str | None:
    """The main content of a page as HTML (links, images and formatting kept), without the
    post's title heading, which trafilatura keeps as the body's first element."""
    import trafilatura  # imported here: loading it takes a while and only summary feeds need it

    # favor_precision: without it, a short post comes back with the page's header and menu
    extracted = trafilatura.extract(text, url=url, output_format="html", include_comments=False,
                                    favor_precision=True, include_links=True, include_images=True,
                                    include_formatting=True, include_tables=True)
    if not extracted:
        return None
    root = lxml_html.fromstring(extracted)
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        return None
    children = list(body)
    if children and title and children[0].tag in ("h1", "h2", "h3") and not (body.text or "").strip():
        if collapse_whitespace(children[0].text_content()) == collapse_whitespace(title):
            children = children[1:]
    inner = "".join(lxml_html.tostring(child, encoding="unicode") for child in children)
    return ((body.text or "").strip() + inner).strip() or None


__all__ = [
    "CommentFeedPage",
    "DiscoveredFeeds",
    "FeedDocument",
    "FeedEntry",
    "FeedPage",
    "NotAFeed",
    "PLATFORM",
    "PostPage",
    "SiteCommentsPage",
    "atom_text",
    "blog_key",
    "child_text",
    "comment_native_id",
    "discover_feeds",
    "entry_comment_loader",
    "entry_post_loader",
    "extract_body",
    "is_complete_body",
    "looks_like_feed",
    "next_page_url",
    "page_number",
    "paged_url",
    "parse_comment_feed",
    "parse_feed",
    "plain_text",
    "post_key",
    "post_native_id",
    "read_feed",
    "read_post_page",
    "read_site_comments_feed",
    "rfc822_to_iso",
]
