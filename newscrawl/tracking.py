"""The list of tracked blogs: adding and removing blogs, and OPML import and export.

``newscrawl crawl --all`` crawls every enabled blog of this list with its stored
platform.  The list lives in the database (``tracked_blogs``, written only through
``storage.Store``); this module decides what goes into it:

* a blog is tracked by its home page, normalized as a crawl normalizes its start URL
  (``example.blogspot.com`` -> ``https://example.blogspot.com/``), so a crawls row's
  ``blog_url`` finds its tracked blog;
* its platform is named, inferred from an address whose shape is unambiguous (a Blogger
  feed ``/feeds/posts/default``, a WordPress feed ``/feed/``, a ``*.blogspot.com`` or
  ``*.wordpress.com`` host) or detected from the home page (one request);
* OPML is the subscription-list format feed readers import and export: ``outline``
  elements with ``htmlUrl`` (home page), ``xmlUrl`` (feed), ``text`` and ``title``,
  nested in category outlines.  Parsing never expands entities and never touches the
  network.  An export is valid OPML 2.0 both ways: every ``type="rss"`` outline has its
  ``xmlUrl`` (a blog whose feed is not known yet is a ``type="link"`` outline with its
  ``url``), and each outline names its platform in newscrawl's own namespace
  (``newscrawl:platform``), so importing an export gives the same list without a request.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from .detect import PLATFORMS, detect_platform
from .platforms import blogger, substack
from .spiders.base import BARE_SCHEME, normalize_blog_url
from .storage import Store

Detector = Callable[[str], "str | None"]


class TrackingError(Exception):
    """A blog cannot be tracked as asked (unknown platform, bad address)."""


class OpmlError(Exception):
    """A file is not OPML newscrawl can read."""


# newscrawl's own outline attributes (OPML 2.0 allows attributes of other namespaces)
OPML_NAMESPACE = "urn:newscrawl:opml"
_PLATFORM_ATTRIBUTE = f"{{{OPML_NAMESPACE}}}platform"


# -- addresses and platforms -------------------------------------------------------------

# Feed paths, longest first: what is left after stripping one is the blog's home page.
# The platform is given only where the path belongs to one platform alone.
_FEED_PATHS: list[tuple[str, str | None]] = [
    ("/feeds/posts/default", "blogger"),
    ("/feeds/posts/summary", "blogger"),
    ("/feeds/comments/default", "blogger"),
    ("/comments/feed/", "wordpress"),
    ("/comments/feed", "wordpress"),
    ("/feed/atom/", "wordpress"),
    ("/feed/rss2/", "wordpress"),
    ("/feed/rss/", "wordpress"),
    ("/feed/rdf/", "wordpress"),
    ("/feed/", "wordpress"),
    ("/feed", None),  # WordPress answers it too, and so do other engines
    ("/atom.xml", None),  # Blogger's old alias, and many static sites
    ("/rss.xml", None),
    ("/feed.xml", None),
    ("/index.xml", None),
    ("/rss/", None),
    ("/rss", None),
]
# ``?feed=rss2`` and friends: WordPress without pretty permalinks
_WORDPRESS_FEED_QUERY = re.compile(r"(?:^|&)feed=(?:rss2?|atom|rdf|comments-rss2)(?:&|$)")


def check_blog_url(url: str | None) -> str:
    """The blog's home page, normalized as a crawl normalizes it (``example.blogspot.com`` ->
    ``https://example.blogspot.com/``); :class:`TrackingError` when ``url`` is not a web address
    (another scheme, no host, a port that is no port: see ``normalize_blog_url``)."""
    text = (url or "").strip()
    if not text:
        raise TrackingError("a blog address is required, e.g. https://example.blogspot.com/")
    try:
        return normalize_blog_url(text)
    except ValueError:
        raise TrackingError(f"not a web address: {text!r} (expected e.g. https://example.blogspot.com/)") from None


def platform_from_address(url: str) -> str | None:
    """The platform an address shows by itself (a feed path or a platform host), or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "www.blogger.com" and parts.path.startswith("/feeds/"):
        return "blogger"
    if ".blogspot." in host:  # x.blogspot.com, x.blogspot.de ...
        return "blogger"
    if host.endswith(".wordpress.com"):
        return "wordpress"
    if host.endswith(".substack.com") and host != "www.substack.com":
        return "substack"
    path = parts.path.lower()
    for suffix, platform in _FEED_PATHS:
        # "/feed/" is WordPress's; "/feed" without the slash is also Substack's and others'
        if platform and (path.endswith(suffix) or (not suffix.endswith("/") and path.rstrip("/").endswith(suffix))):
            return platform
    if _WORDPRESS_FEED_QUERY.search(parts.query):
        return "wordpress"
    return None


def home_page_from_feed(feed_url: str) -> str | None:
    """The blog home page a feed address belongs to (None when it cannot be told).

    ``https://x.blogspot.com/feeds/posts/default?alt=rss`` -> ``https://x.blogspot.com/``;
    ``https://example.org/blog/feed/`` -> ``https://example.org/blog/``.  Feeds served
    from another host (``www.blogger.com/feeds/ID/...``, FeedBurner) give None: the
    OPML entry then needs its ``htmlUrl``.
    """
    parts = urlsplit(feed_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or _feed_service(parts.hostname):
        return None
    path = parts.path
    lowered = path.lower().rstrip("/")
    for suffix, _ in _FEED_PATHS:
        bare = suffix.rstrip("/")
        if lowered.endswith(bare):
            path = path[: len(lowered) - len(bare)]
            break
    else:
        if not _WORDPRESS_FEED_QUERY.search(parts.query):
            return None
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/", "", ""))


# A path ending in one of these names a feed whatever its engine (``/feed.atom``, ``/index.rss``, ``/rss.php``).
_FEED_FILE = re.compile(r"\.(?:atom|rss|rdf|xml)$|/(?:atom|rss2?|rdf)\.php$", re.IGNORECASE)


def is_feed_address(url: str) -> bool:
    """Whether an address shows by its shape that it is a feed (a known feed path, a
    ``.atom``/``.rss``/``.xml`` file, WordPress's ``?feed=``), not a home page."""
    parts = urlsplit(url)
    path = parts.path.lower()
    if _FEED_FILE.search(path) or _WORDPRESS_FEED_QUERY.search(parts.query):
        return True
    return any(path.rstrip("/").endswith(suffix.rstrip("/")) for suffix, _ in _FEED_PATHS)


def _feed_service(host: str) -> bool:
    """A host that serves other sites' feeds (Blogger's by blog id, FeedBurner): its feed
    addresses name no blog newscrawl could crawl from them."""
    host = host.lower()
    return host == "www.blogger.com" or host.startswith(("feeds.feedburner.", "feeds2.feedburner."))


def main_feed_url(home: str, platform: str) -> str | None:
    """The feed a feed reader subscribes to: Blogger ``/feeds/posts/default``, WordPress
    ``/feed/``, Substack ``/feed``; None for other sites (their feed is found when crawled)."""
    if platform == "blogger":
        return urljoin(blogger.blog_root(home), "feeds/posts/default")
    if platform == "wordpress":
        parts = urlsplit(home)
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return urlunsplit((parts.scheme, parts.netloc, path + "feed/", "", ""))
    if platform == "substack":
        return substack.feed_url(substack.blog_root(home))
    return None


def feed_of_tracked_blog(blog: dict[str, Any], state: dict[str, Any] | None = None) -> str | None:
    """The feed a reader subscribes to for a tracked blog: its platform's main feed
    (:func:`main_feed_url`); for a plain feed blog, its tracked address when that is a feed,
    else the feed its last crawl read (``state``, its ``crawl_state``); None before then."""
    platform = blog.get("platform") or ""
    if platform != "feed":
        return main_feed_url(blog["url"], platform)
    if is_feed_address(blog["url"]):
        return blog["url"]
    found = (state or {}).get("feed")
    return found if isinstance(found, str) and found.startswith(("http://", "https://")) else None


def check_platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise TrackingError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}")
    return platform


def resolve_platform(url: str, platform: str = "auto", detect: Detector | None = None) -> str:
    """The platform named, else the one the address shows, else the home page's (one request
    through ``detect``, by default ``detect.detect_platform``)."""
    if platform != "auto":
        return check_platform(platform)
    found = platform_from_address(url) or (detect or detect_platform)(url)
    if found is None:
        raise TrackingError(
            f"{url}: cannot tell which platform this blog runs on (home page unreachable or not recognised); "
            f"name it with --platform ({', '.join(PLATFORMS)})"
        )
    return check_platform(found)


# -- the tracked list ---------------------------------------------------------------------


@dataclass
class AddResult:
    url: str
    platform: str
    added: bool  # False: it was already tracked (then left unchanged)


def add_blog(store: Store, url: str, platform: str = "auto", title: str | None = None,
             detect: Detector | None = None) -> AddResult:
    """Track the blog at ``url``.  Tracking it twice is a no-op (``added`` False)."""
    home = check_blog_url(url)
    existing = tracked_blog(store, home)
    if existing is not None:
        return AddResult(home, existing["platform"], False)
    platform = resolve_platform(home, platform, detect)
    added = store.track_blog(home, platform, title)
    return AddResult(home, platform, added)


def remove_blog(store: Store, url: str) -> str | None:
    """Stop tracking a blog (its posts and comments stay); the address removed, or None."""
    candidates = [url.strip()]
    try:
        candidates.insert(0, normalize_blog_url(url))
    except ValueError:
        pass
    for candidate in candidates:
        if store.untrack_blog(candidate):
            return candidate
    return None


def tracked_blog(store: Store, url: str) -> dict[str, Any] | None:
    found = list(store.db.query("select * from tracked_blogs where url = ?", [url]))
    return found[0] if found else None


# Blog statuses under which the whole blog can still be read (a content warning is a notice).
READABLE_STATUSES = {"ok", "content_warning"}


def crawl_outcome(row: dict[str, Any]) -> str:
    """How a crawl ended, for people: ``finished``, ``finished, 3 URLs failed (see errors)``,
    ``private blog``, ``shutdown`` ..."""
    if row["status"] == "failed" and row.get("reason"):
        return f"failed: {row['reason']}"
    if row["status"] != "finished":
        return row["status"] or "unknown"
    blog_status = row.get("blog_status")
    if blog_status and blog_status not in READABLE_STATUSES:
        return f"{blog_status} blog"
    if row.get("errors"):
        return f"finished, {row['errors']} failed (see errors)"
    return "finished"


def record_crawls(store: Store, crawls: Iterable[dict[str, Any]]) -> int:
    """After a run: note on each tracked blog when and how its crawl ended, and which
    ``blogs`` row (and title) it filled.  Crawls of blogs not tracked are ignored.
    Returns the number of tracked blogs updated."""
    tracked = {row["url"] for row in store.tracked_blogs()}
    updated = 0
    for crawl in crawls:
        url = crawl.get("blog_url")
        if url not in tracked:
            continue
        title = None
        if crawl.get("blog_id"):
            found = list(store.db.query("select title from blogs where id = ?", [crawl["blog_id"]]))
            title = found[0]["title"] if found else None
        store.update_tracked_blog(
            url,
            last_crawled=crawl.get("finished") or crawl.get("started"),
            last_status=crawl_outcome(crawl),
            blog_id=crawl.get("blog_id"),
            title=title,
        )
        updated += 1
    return updated


# -- OPML -------------------------------------------------------------------------------


@dataclass
class OpmlEntry:
    """One feed outline: its home page (when known), feed, title and category path, and the
    platform newscrawl's export names (``newscrawl:platform``)."""

    html_url: str | None
    xml_url: str | None
    title: str | None
    categories: tuple[str, ...] = ()
    platform: str | None = None

    @property
    def home(self) -> str | None:
        """The address to track: the home page, given or derived from the feed address; else,
        for a feed whose address shows neither its home page nor a platform (``/feed.atom``,
        ``/blog/all.atom.xml`` ...), the feed itself, crawled as a plain feed blog.  None for a
        feed on a feed service (FeedBurner, ``www.blogger.com``): it names no blog to crawl."""
        if self.html_url:
            return self.html_url
        if not self.xml_url:
            return None
        feed = _http_feed_address(self.xml_url)
        if self.platform == "feed":
            return feed
        return home_page_from_feed(feed) or (feed if self.platform_hint == "feed" else None)

    @property
    def platform_hint(self) -> str | None:
        if self.platform in PLATFORMS:
            return self.platform
        for url in (self.xml_url, self.html_url):
            if url and (found := platform_from_address(url)):
                return found
        if not self.html_url and self.xml_url:
            feed = _http_feed_address(self.xml_url)
            if home_page_from_feed(feed) is None and not _feed_service(urlsplit(feed).hostname or ""):
                return "feed"  # a feed alone, of no platform it shows: read as a plain feed blog
        return None


def _http_feed_address(url: str) -> str:
    """``feed://x/rss`` and ``feed:https://x/rss`` (feed readers' scheme) as the web address they stand for."""
    if url[:5].lower() == "feed:":
        rest = url[5:]
        return rest if rest.lower().startswith(("http://", "https://")) else "http:" + rest
    return url


# No DTD, no entity expansion, no network: an OPML file is plain elements and attributes.
_OPML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                               remove_comments=True, remove_pis=True)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_opml(data: bytes, source: str = "OPML") -> list[OpmlEntry]:
    """Every outline with an ``htmlUrl`` or ``xmlUrl``, at any depth, in document order."""
    # Entities in attribute values are expanded by libxml2 whatever the parser options:
    # refuse declarations outright (OPML never needs them).  NULs are dropped so that
    # UTF-16 files are checked too.
    if _ENTITY_DECLARATION.search(data.replace(b"\x00", b"")):
        raise OpmlError(f"{source}: declares XML entities (<!ENTITY>), which OPML files never need; refusing to read it")
    try:
        root = etree.fromstring(data, _OPML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"{source} is not valid XML: {exc}") from exc
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        tag = etree.QName(root).localname if root is not None and isinstance(root.tag, str) else "?"
        raise OpmlError(f"{source} is not an OPML file: its root element is <{tag}>, not <opml>")
    body = next((child for child in root if isinstance(child.tag, str) and etree.QName(child).localname == "body"), None)
    if body is None:
        raise OpmlError(f"{source} is not an OPML file: it has no <body>")
    entries: list[OpmlEntry] = []

    def walk(element: etree._Element, path: tuple[str, ...]) -> None:
        for outline in element:
            if not isinstance(outline.tag, str) or etree.QName(outline).localname != "outline":
                continue
            html_url = _attr(outline, "htmlUrl")
            if html_url is None and (_attr(outline, "type") or "").lower() == "link":
                html_url = _attr(outline, "url")  # OPML 2.0's link outline: a page, not a feed
            xml_url = _attr(outline, "xmlUrl")
            title = _attr(outline, "title") or _attr(outline, "text")
            if title in {html_url, xml_url}:
                title = None  # a reader that writes the address as its text: no title
            if html_url or xml_url:
                platform = outline.get(_PLATFORM_ATTRIBUTE)
                entries.append(OpmlEntry(html_url, xml_url, title, path,
                                         platform if platform in PLATFORMS else None))
            walk(outline, path + ((title,) if title and not (html_url or xml_url) else ()))

    walk(body, ())
    return entries


def _attr(element: etree._Element, name: str) -> str | None:
    # attribute names are case-sensitive in XML, but readers write xmlurl/htmlURL too
    value = element.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in element.attrib.items() if k.lower() == lowered), None)
    value = " ".join(value.split()) if value else None
    return value or None


def write_opml(blogs: Iterable[dict[str, Any]], title: str = "newscrawl tracked blogs",
               feeds: dict[str, str | None] | None = None) -> bytes:
    """OPML 2.0, one outline per tracked blog, its platform in ``newscrawl:platform``.

    A blog whose feed is known (``feeds[url]``, else :func:`feed_of_tracked_blog`) is an
    ``outline type="rss"`` with ``xmlUrl`` and, unless the tracked address is the feed itself,
    ``htmlUrl``; the others (a plain feed blog before its first crawl) an ``outline
    type="link"`` with ``url``: OPML 2.0 requires the ``xmlUrl`` of an rss outline."""
    root = etree.Element("opml", version="2.0", nsmap={"newscrawl": OPML_NAMESPACE})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    etree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for blog in blogs:
        url = blog["url"]
        feed = (feeds or {}).get(url) or feed_of_tracked_blog(blog)
        outline = etree.SubElement(body, "outline")
        outline.set("text", blog.get("title") or url)
        if blog.get("title"):
            outline.set("title", blog["title"])
        if feed:
            outline.set("type", "rss")
            outline.set("xmlUrl", feed)
            if feed != url:
                outline.set("htmlUrl", url)
        else:
            outline.set("type", "link")
            outline.set("url", url)
        if blog.get("platform"):
            outline.set(_PLATFORM_ATTRIBUTE, blog["platform"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_opml(store: Store) -> bytes:
    """The tracked list as OPML; a plain feed blog's feed is the one its last crawl read."""
    blogs = store.tracked_blogs()
    feeds = {blog["url"]: feed_of_tracked_blog(blog, store.crawl_state(blog["url"]))
             for blog in blogs if blog.get("platform") == "feed"}
    return write_opml(blogs, feeds=feeds)


@dataclass
class ImportReport:
    added: list[AddResult] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, why): not a web address

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.already)} already tracked"
                + (f", {len(self.failed)} not added" if self.failed else "")
                + (f", {len(self.refused)} refused" if self.refused else ""))


# feed:// is the feed readers' own alias of http://
_FEED_SCHEMES = {"http", "https", "feed"}


def outline_refusal(entry: OpmlEntry) -> tuple[str, str] | None:
    """(address, why) when an outline's address is not a web address (``javascript:``, ``data:``,
    ``file://`` ...): such an outline is refused whole; None for the others."""
    if entry.html_url:
        try:
            check_blog_url(entry.html_url)
        except TrackingError as exc:
            return entry.html_url, str(exc)
    if entry.xml_url and _other_scheme(entry.xml_url):
        return entry.xml_url, (f"not a web address: {entry.xml_url!r} "
                               f"(expected e.g. https://example.blogspot.com/feeds/posts/default)")
    return None


def _other_scheme(url: str) -> bool:
    """``javascript:...``, ``data:...``, ``ftp://...``: the address of no web page or feed."""
    if "://" in url:
        return urlsplit(url).scheme.lower() not in _FEED_SCHEMES
    return bool(BARE_SCHEME.match(url))


def read_opml(data: bytes, source: str = "OPML") -> tuple[list[OpmlEntry], list[tuple[str, str]]]:
    """An OPML file's outlines to track, and those refused, (address, why) each (see
    :func:`outline_refusal`).  :class:`OpmlError` when the file is not OPML or has no blog in it."""
    entries = parse_opml(data, source)
    if not entries:
        raise OpmlError(f"{source}: no blogs in it (no outline has an htmlUrl or xmlUrl)")
    usable: list[OpmlEntry] = []
    refused: list[tuple[str, str]] = []
    for entry in entries:
        refusal = outline_refusal(entry)
        if refusal is None:
            usable.append(entry)
        else:
            refused.append(refusal)
    return usable, refused


def import_opml(store: Store, entries: list[OpmlEntry], platform: str = "auto", detect: Detector | None = None,
                workers: int = 8, refused: Iterable[tuple[str, str]] = ()) -> ImportReport:
    """Track the blogs of an OPML file's outlines (``read_opml``; ``refused``, the outlines it
    refused, are carried into the report).

    Each outline's home page is its ``htmlUrl``, else derived from its ``xmlUrl``.  The
    platform is ``platform`` when named, else the one the addresses show, else detected
    from the home page (requests run ``workers`` at a time).  Outlines that cannot be
    added are reported in ``failed``; the rest are added."""
    report = ImportReport(refused=list(refused))
    tracked = {row["url"] for row in store.tracked_blogs()}
    todo: dict[str, OpmlEntry] = {}
    for entry in entries:
        home = entry.home
        if home is None:
            report.failed.append((entry.xml_url or "?", "no htmlUrl, and the home page cannot be told from the feed "
                                                        "address; add it with `newscrawl add HOME-PAGE-URL`"))
            continue
        try:
            home = check_blog_url(home)
        except TrackingError as exc:
            report.failed.append((home, str(exc)))
            continue
        if home in tracked:
            if home not in report.already:
                report.already.append(home)
            continue
        todo.setdefault(home, entry)

    def platform_of(item: tuple[str, OpmlEntry]) -> str | TrackingError:
        home, entry = item
        try:
            if platform == "auto" and entry.platform_hint:
                return check_platform(entry.platform_hint)
            return resolve_platform(home, platform, detect)
        except TrackingError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        platforms = list(pool.map(platform_of, todo.items()))
    for (home, entry), found in zip(todo.items(), platforms):
        if isinstance(found, TrackingError):
            report.failed.append((home, str(found)))
        elif store.track_blog(home, found, entry.title):
            report.added.append(AddResult(home, found, True))
        else:
            report.already.append(home)
    return report
