"""WordPress (self-hosted and WordPress.com): pure parsers for the REST API, feeds and HTML pages.

Three ways into a WordPress blog, best first (see ``shared/platforms.md``):

1. **REST** (``/wp-json/``, or ``/?rest_route=/`` when pretty permalinks are off): the site index
   (name, home URL, timezone), ``wp/v2/posts`` and ``wp/v2/comments``, 100 per page, paged by
   ``X-WP-Total`` / ``X-WP-TotalPages``.  Anonymous clients get approved reader comments only:
   asking for ``type=pingback`` answers 401 ``rest_forbidden_param``, so pingbacks and
   trackbacks come from the post pages (typed) or the comment feeds (untyped).
2. **Feeds**: RSS2 ``/feed/?paged=N``, Atom ``/feed/atom/``, the site's ``/comments/feed/`` and
   each post's comment feed (``wfw:commentRss``).  A post's numeric id is in its guid
   (``?p=ID``) only when it was first saved as a draft; posts published at once have their
   permalink as guid, and those come back without ids (``FeedPage.posts_without_id``): their
   post page gives it.
3. **HTML**: a post page with its comments, across themes: the core comment list
   (``li.comment#comment-ID`` / ``#li-comment-ID``, replies nested in ``ol.children``), block
   themes (``.wp-block-comment-*``) and plugin markup (Epoch's ``article.epoch-single-comment``).
   Every comment element is found by the id WordPress gives it, ``comment-ID``, whatever the
   theme wraps around it; a reply is a comment element inside another one.  Comments that are
   not in the HTML (Disqus, lazy loading) are a page status, never an empty list that looks
   like "no comments".

Input: text or bytes plus the URL it came from (and the blog key, for API and feed answers that
do not say which blog they belong to).  Output: items (``items.py``) built with the loaders
(``loaders.py``), never requests: the spider decides what to fetch from what these report.

Ids, stable across crawls whichever path read them:

* blog: ``blog_key(home_url)`` = ``wordpress:<host><path>``: the blog's home URL (REST index
  ``home``, a feed's channel link, the REST root or feed link of a page, with ``/wp-json/``,
  ``/index.php`` and ``/feed/`` taken off), host lower-cased without ``www.`` (a port kept), no
  scheme, no trailing slash: ``wordpress:lemire.me/blog``, ``wordpress:de.creativecommons.org``.
  A Wayback Machine copy keys as the site it archived.
* post: ``<blog key>:<post id>``; comment: ``<blog key>:c<comment id>``, the numeric ids
  WordPress shows everywhere (REST ``id``, feed ``guid ?p=ID`` and ``#comment-ID``, HTML
  ``postid-ID`` / ``comment_post_ID`` and ``comment-ID``).

Dates.  REST ``date_gmt`` is UTC but can be an hour late around a DST change; ``wordpress_utc``
cross-checks it against the site-local ``date``.  Feed dates carry their offset (RFC 822 in
RSS, ISO in Atom).  In HTML, ``time[datetime]`` is right on WordPress 5.3 and later (and
WordPress.com); older versions wrote the site-local wall-clock time with ``+00:00`` (format
``c``) or with the offset in force when the page was rendered, so on those pages the markup
timestamps are not machine values: their wall-clock time goes to the date pipeline instead,
to be read in the blog's timezone (``WordPressPage.machine_dates_trusted``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from ..dates import format_utc, language_code, most_common_offset, parse_machine_date, zone_of
from ..items import BlogItem, CommentItem, PostItem
from ..loaders import BlogLoader, CommentLoader, PostLoader, collapse_whitespace
from .feed import (FeedDocument, FeedEntry, NotAFeed, child_text, entry_comment_loader, entry_post_loader,
                   plain_text, read_feed, rfc822_to_iso)
from .markup import (count_comments, css_xpath, has_class, inner_html, match_group, own_css, own_matches,
                     walk_comments)

PLATFORM = "wordpress"

SOURCE_API = "api"
SOURCE_FEED = "feed"
SOURCE_HTML = "html"

# Page statuses: whether a page's comments could be read from its HTML.
STATUS_OK = "ok"
STATUS_COMMENTS_BY_SCRIPT = "comments_by_script"
STATUS_COMMENTS_INCOMPLETE = "comments_incomplete"
STATUS_NOT_WORDPRESS = "not_wordpress"

COMMENT_TYPES = ("comment", "pingback", "trackback")


# -- ids --------------------------------------------------------------------------------

_WAYBACK = re.compile(r"^(?:https?://(?:web\.)?archive\.org)?/web/\d{1,14}[a-z_]*/(.+)$", re.IGNORECASE)


def unwrap_archive_url(url: str | None) -> str | None:
    """``https://web.archive.org/web/2016.../http://x.net/a/`` -> ``http://x.net/a/``; other URLs unchanged."""
    if not url:
        return url
    match = _WAYBACK.match(url.strip())
    if not match:
        return url
    inner = match.group(1)
    inner = re.sub(r"^(https?):/(?!/)", r"\1://", inner)  # the archive sometimes folds "//"
    return inner if re.match(r"^https?://", inner) else url


def blog_key(site_url: str) -> str:
    """Our blogs.id for a WordPress blog, from its home URL (see the module docstring)."""
    parts = urlsplit(unwrap_archive_url(site_url.strip()) or "")
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    if path.endswith("/index.php"):
        path = path[: -len("/index.php")]
    return f"{PLATFORM}:{host}{path}"


def post_key(blog: str, post_id: str | int) -> str:
    return f"{blog}:{post_id}"


def comment_key(blog: str, comment_id: str | int) -> str:
    return f"{blog}:c{comment_id}"


def site_url_from_rest_root(root: str) -> str:
    """The home URL a REST root belongs to: ``https://x/blog/wp-json/`` -> ``https://x/blog/``;
    ``https://x/index.php/wp-json/`` -> ``https://x/``; ``https://x/?rest_route=/`` -> ``https://x/``."""
    parts = urlsplit(unwrap_archive_url(root) or root)
    path = parts.path
    path = re.sub(r"/wp-json(?:/.*)?$", "/", path)
    path = re.sub(r"/index\.php/?$", "/", path)
    return urlunsplit((parts.scheme, parts.netloc, path or "/", "", ""))


def site_url_from_feed_url(feed: str) -> str:
    """The home URL a main feed link belongs to: ``https://x/feed/`` -> ``https://x/``."""
    parts = urlsplit(unwrap_archive_url(feed) or feed)
    path = re.sub(r"/(?:comments/)?feed(?:/(?:atom|rss2?|rdf))?/?$", "/", parts.path)
    path = re.sub(r"/wp-(?:atom|rss2?|rdf)\.php$", "/", path)
    path = re.sub(r"/index\.php/?$", "/", path)
    return urlunsplit((parts.scheme, parts.netloc, path or "/", "", ""))


# -- dates ------------------------------------------------------------------------------


def offset_name(hours: float | int | str | None) -> str | None:
    """WordPress ``gmt_offset`` (hours, may be fractional: 5.5, -3.5) -> ``+05:30``."""
    try:
        value = float(hours)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    minutes = round(abs(value) * 60)
    return f"{'-' if value < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def _site_zone(site_timezone: str | None) -> tzinfo | None:
    """The site's zone (IANA name or fixed offset); None when the site gave none."""
    if not site_timezone or not str(site_timezone).strip():
        return None
    return zone_of(str(site_timezone))


def _naive(value: Any) -> datetime | None:
    """A REST date (``2022-03-27T04:30:00``, no offset) as a naive datetime; None when empty or zero."""
    if not value or not isinstance(value, str) or value.startswith("0000-00-00"):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def _utc_readings(local: datetime, zone: tzinfo) -> list[datetime]:
    """Every UTC instant (naive) that a site-local wall-clock time can mean in ``zone``:
    one normally, two in the hour repeated when DST ends, and for a time in the hour skipped
    when DST starts, the readings with the offsets before and after the change."""
    readings: list[datetime] = []
    for fold in (0, 1):
        instant = local.replace(tzinfo=zone, fold=fold).astimezone(timezone.utc).replace(tzinfo=None)
        if instant not in readings:
            readings.append(instant)
    return readings


def wordpress_utc(date_local: str | None, date_gmt: str | None, site_timezone: str | None) -> str | None:
    """The UTC machine value (``2022-03-27T02:30:00+00:00``) of a REST date pair.

    ``date_gmt`` is taken when it is one of the UTC instants ``date`` can mean in the site's
    timezone (IANA name or fixed offset); otherwise UTC is derived from ``date`` and the zone
    (the offset in force before a DST change for a skipped or repeated wall-clock time, as
    ``dates.py`` reads display times).  WordPress formats ``date_gmt`` by reading the stored
    GMT wall-clock time in the site's zone, so a GMT time that falls into the skipped hour comes
    out an hour late; ``date`` is right.  Without a zone ``date_gmt`` is all there is.
    """
    gmt = _naive(date_gmt)
    local = _naive(date_local)
    zone = _site_zone(site_timezone)
    if local is None or zone is None:
        return format_utc(gmt.replace(tzinfo=timezone.utc)) if gmt is not None else None
    readings = _utc_readings(local, zone)
    chosen = gmt if gmt is not None and gmt in readings else readings[0]
    return format_utc(chosen.replace(tzinfo=timezone.utc))


_GENERATOR_VERSION = re.compile(r"WordPress\s+(\d+)\.(\d+)", re.IGNORECASE)


def markup_dates_trusted(generator: str | None) -> bool:
    """Whether ``time[datetime]`` in this WordPress's pages carries the right offset.

    WordPress before 5.3 formatted dates with ``date_i18n``: format ``c`` printed the site-local
    time with ``+00:00`` and ``P``/``O`` printed the offset in force at render time, not at the
    date's.  5.3 rewrote the date functions.  WordPress.com is current; an unknown version is
    trusted (most sites hide the generator tag; those that do are rarely that old).
    """
    if not generator:
        return True
    match = _GENERATOR_VERSION.search(generator)
    if not match:
        return True  # WordPress.com, or no version
    return (int(match.group(1)), int(match.group(2))) >= (5, 3)


# -- REST -------------------------------------------------------------------------------


class NotRestJson(ValueError):
    """The body is not the JSON a WordPress REST route answers (a login wall, an HTML error page)."""


class RestError(ValueError):
    """The REST API answered with an error object (``{"code": ..., "message": ...}``)."""

    def __init__(self, code: str, message: str | None, status: int | None = None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status


# The end of a paged collection: asking past it answers 400 with this code.
REST_INVALID_PAGE = ("rest_post_invalid_page_number", "rest_comment_invalid_page_number", "rest_invalid_page_number")


def rest_root(site_url: str, pretty_permalinks: bool = True) -> str:
    """The REST root of a site: ``https://x/blog/wp-json/``, or ``https://x/blog/?rest_route=/``."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, "wp-json/") if pretty_permalinks else urljoin(base, "?rest_route=/")


def rest_url(root: str, route: str, params: Mapping[str, Any] | None = None) -> str:
    """A REST route under a root of either form (``.../wp-json/`` or ``...?rest_route=/``)."""
    route = "/" + route.strip("/")
    query = [(k, v) for k, v in (params or {}).items() if v is not None]
    parts = urlsplit(root)
    if "rest_route=" in parts.query:
        query = [("rest_route", route)] + query
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query, safe="/"), ""))
    base = root if root.endswith("/") else root + "/"
    url = urljoin(base, route.lstrip("/"))
    return f"{url}?{urlencode(query, safe='/')}" if query else url


def rest_index_url(root: str) -> str:
    return rest_url(root, "/") if "rest_route=" in root else root


def rest_posts_url(
    root: str,
    page: int = 1,
    per_page: int = 100,
    embed: bool = True,
    orderby: str = "id",
    order: str = "asc",
    modified_after: str | None = None,
) -> str:
    """One page of ``wp/v2/posts``.  Ordered by id, ascending, so posts published during a
    crawl land on later pages instead of shifting the ones still to fetch; ``_embed`` adds
    author names and category/tag names; ``modified_after`` (WordPress 5.7+) for re-crawls."""
    params = {
        "per_page": max(1, min(100, per_page)),
        "page": max(1, page),
        "orderby": orderby,
        "order": order,
        "_embed": "author,wp:term" if embed else None,
        "modified_after": modified_after,
    }
    return rest_url(root, "/wp/v2/posts", params)


def rest_comments_url(
    root: str,
    page: int = 1,
    per_page: int = 100,
    post: int | str | None = None,
    orderby: str = "id",
    order: str = "asc",
    after: str | None = None,
) -> str:
    """One page of ``wp/v2/comments`` (the whole site, or one ``post``), ordered by id;
    ``after``: only comments published after that time (comments have no modified date)."""
    params = {
        "after": after,
        "per_page": max(1, min(100, per_page)),
        "page": max(1, page),
        "post": post,
        "orderby": orderby,
        "order": order,
    }
    return rest_url(root, "/wp/v2/comments", params)


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    value = None
    getter = getattr(headers, "get", None)
    if getter is not None:
        for key in (name, name.lower(), name.encode("latin-1"), name.lower().encode("latin-1")):
            try:
                value = getter(key)
            except (TypeError, KeyError):
                value = None
            if value is not None:
                break
    if value is None and isinstance(headers, Mapping):
        for key, candidate in headers.items():
            key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
            if key_text.lower() == name.lower():
                value = candidate
                break
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value.strip() if isinstance(value, str) else None


def rest_pages(headers: Any) -> tuple[int | None, int | None]:
    """``(X-WP-Total, X-WP-TotalPages)`` of a collection response; None where a header is missing.

    ``headers`` may be Scrapy's ``Headers`` (bytes, case-insensitive) or any mapping."""
    def number(name: str) -> int | None:
        value = _header(headers, name)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    return number("X-WP-Total"), number("X-WP-TotalPages")


def rest_error(body: bytes | str) -> RestError | None:
    """The error object of a REST answer (``rest_post_invalid_page_number`` past the last
    page, ``rest_no_route``, ``rest_forbidden``...), or None when the body is not one."""
    try:
        data = json.loads(body.decode("utf-8-sig") if isinstance(body, bytes) else body)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("code"), str) and "message" in data:
        status = data.get("data", {}).get("status") if isinstance(data.get("data"), dict) else None
        return RestError(data["code"], data.get("message"), status)
    return None


def _json(body: bytes | str, url: str) -> Any:
    text = body.decode("utf-8-sig", errors="replace") if isinstance(body, bytes) else body
    text = text.lstrip("\ufeff")
    try:
        return json.loads(text)
    except ValueError:
        # Some plugins print notices or a BOM before the JSON: read from the first bracket.
        start = min([i for i in (text.find("["), text.find("{")) if i >= 0] or [-1])
        if start > 0:
            try:
                return json.loads(text[start:])
            except ValueError:
                pass
        raise NotRestJson(f"{url}: not JSON (REST disabled or blocked?); fall back to feeds and HTML") from None


def _collection(body: bytes | str, url: str) -> list[dict]:
    data = _json(body, url)
    error = rest_error(body)
    if error is not None:
        raise error
    if not isinstance(data, list):
        raise NotRestJson(f"{url}: expected a JSON list from a REST collection, got {type(data).__name__}")
    return [entry for entry in data if isinstance(entry, dict) and entry.get("id") is not None]


def parse_rest_index(body: bytes | str, url: str) -> BlogItem:
    """The site index (``/wp-json/``): name, description, home URL, timezone, language if given.

    The timezone is ``timezone_string`` (an IANA name) when the site set one, else the fixed
    ``gmt_offset`` as ``+HH:MM``."""
    data = _json(body, url)
    error = rest_error(body)
    if error is not None:
        raise error
    if not isinstance(data, dict) or not ({"namespaces", "routes", "home", "url"} & set(data)):
        raise NotRestJson(f"{url}: not a WordPress REST index (no namespaces/routes/home)")
    home = data.get("home") or data.get("url") or site_url_from_rest_root(url)
    blog = BlogLoader()
    blog.add_value("id", blog_key(home))
    blog.add_value("url", home)
    blog.add_value("platform", PLATFORM)
    blog.add_value("title", _plain(data.get("name")))
    blog.add_value("description", _plain(data.get("description")))
    blog.add_value("timezone", data.get("timezone_string") or None)
    blog.add_value("timezone", offset_name(data.get("gmt_offset")))
    blog.add_value("language", language_code(data.get("language") or data.get("lang")))
    blog.add_value("status", STATUS_OK)
    item = blog.load_item()
    if "wp/v2" not in (data.get("namespaces") or ["wp/v2"]):
        item["status"] = "rest_without_wp_v2"
        item["status_reason"] = "the REST index lists no wp/v2 namespace: read posts and comments from feeds and HTML"
    return item


def parse_rest_posts(
    body: bytes | str, url: str, blog_key: str, site_timezone: str | None = None
) -> list[PostItem]:
    """One page of ``wp/v2/posts``.  With the site's timezone, dates are cross-checked
    (``wordpress_utc``); without it ``date_gmt`` is taken as it is."""
    posts = []
    for entry in _collection(body, url):
        post_id = str(entry["id"])
        embedded = entry.get("_embedded") or {}
        loader = PostLoader()
        loader.add_value("id", post_key(blog_key, post_id))
        loader.add_value("blog_id", blog_key)
        loader.add_value("platform_id", post_id)
        loader.add_value("url", entry.get("link"))
        loader.add_value("title", _plain(_rendered(entry.get("title"))))
        # ``author`` is a user id, not a name: only the embedded user gives one.
        authors = [a for a in embedded.get("author") or [] if isinstance(a, dict) and a.get("name")]
        if authors:
            loader.add_value("author", _plain(authors[0]["name"]))
            loader.add_value("author_url", authors[0].get("link"))
        loader.add_value("published_machine", wordpress_utc(entry.get("date"), entry.get("date_gmt"), site_timezone))
        modified = wordpress_utc(entry.get("modified"), entry.get("modified_gmt"), site_timezone)
        loader.add_value("updated_machine", modified)
        content = entry.get("content") or {}
        body_html = _rendered(content)
        if body_html and not (isinstance(content, dict) and content.get("protected") and not body_html.strip()):
            loader.add_value("content_html", body_html)
            loader.add_value("content_text", body_html)
        loader.add_value("labels", _embedded_terms(embedded))
        loader.add_value("comment_count", entry.get("comment_count"))  # only where a plugin adds it
        loader.add_value("source", SOURCE_API)
        posts.append(loader.load_item())
    return posts


def _embedded_terms(embedded: Mapping[str, Any]) -> list[str]:
    """Category and tag names of an ``_embed``-ed post, categories first, as WordPress lists them."""
    names: list[str] = []
    for group in embedded.get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and term.get("taxonomy") in ("category", "post_tag") and term.get("name"):
                name = _plain(term["name"])
                if name and name not in names:
                    names.append(name)
    return names


def parse_rest_comments(
    body: bytes | str, url: str, blog_key: str, site_timezone: str | None = None
) -> list[CommentItem]:
    """One page of ``wp/v2/comments``, flat; ``parent_id`` links replies (parent 0 = top level)."""
    comments = []
    for entry in _collection(body, url):
        comment_id = str(entry["id"])
        post_id = entry.get("post")
        parent = entry.get("parent")
        loader = CommentLoader()
        loader.add_value("id", comment_key(blog_key, comment_id))
        loader.add_value("post_id", post_key(blog_key, post_id) if post_id else None)
        loader.add_value("blog_id", blog_key)
        loader.add_value("platform_id", comment_id)
        loader.add_value("parent_id", comment_key(blog_key, parent) if parent not in (None, 0, "0", "") else None)
        loader.add_value("author", _plain(entry.get("author_name")))
        loader.add_value("author_url", entry.get("author_url") or None)
        loader.add_value("published_machine", wordpress_utc(entry.get("date"), entry.get("date_gmt"), site_timezone))
        body_html = _rendered(entry.get("content"))
        loader.add_value("content_html", body_html)
        loader.add_value("content_text", body_html)
        loader.add_value("url", entry.get("link"))
        loader.add_value("deleted", False)
        loader.add_value("comment_type", entry.get("type") or "comment")
        loader.add_value("source", SOURCE_API)
        comments.append(loader.load_item())
    return comments


def _rendered(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None


_plain = plain_text


# -- feeds --------------------------------------------------------------------------------
#
# Feeds are read by ``feed.read_feed`` (RSS and Atom, shared with plain blogs); what is
# WordPress's own here is the ids (``?p=ID`` guids, ``#comment-ID`` links) and telling a
# posts feed from a comments feed.

_GUID_POST_ID = re.compile(r"[?&](?:p|page_id)=(\d+)")
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
    loader.add_value("title", _plain(title))
    loader.add_value("description", _plain(description))
    loader.add_value("language", language_code(language))
    return loader.load_item()


def post_url_of(comment_url: str | None) -> str | None:
    """The post a comment permalink belongs to: ``/slug/comment-page-2/#comment-5`` -> ``/slug/``."""
    if not comment_url:
        return None
    parts = urlsplit(comment_url)
    return urlunsplit((parts.scheme, parts.netloc, _COMMENT_PAGE_PATH.sub("/", parts.path), parts.query, ""))


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
    post_id = match_group(_GUID_POST_ID, entry.guid)
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
    post = match_group(_GUID_POST_ID, entry.guid) or match_group(_GUID_POST_ID, entry.in_reply_to)
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


# -- HTML pages ---------------------------------------------------------------------------------


@dataclass
class WordPressPage:
    """What one HTML page of a WordPress blog holds, and what to fetch next from it."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    is_wordpress: bool = False
    is_post_page: bool = False
    generator: str | None = None
    machine_dates_trusted: bool = True  # see markup_dates_trusted()
    rest_root: str | None = None  # link rel="https://api.w.org/"
    feed_links: list[str] = field(default_factory=list)  # every RSS/Atom link the page advertises
    posts_feed: str | None = None
    comments_feed: str | None = None  # the site's /comments/feed/
    post_comments_feed: str | None = None  # this post's comment feed
    post_links: list[str] = field(default_factory=list)  # posts listed on a home/archive page
    next_page_links: list[str] = field(default_factory=list)  # /page/N/, ?paged=N
    comment_page_links: list[str] = field(default_factory=list)  # /comment-page-N/, ?cpage=N
    comments_expected: int | None = None  # the count the page shows ("12 Kommentare"), pingbacks included
    comments_found: int = 0  # comment elements read, pingbacks and trackbacks included
    comments_by_script: bool = False  # the comments are loaded by script, not in this HTML
    comments_system: str | None = None  # wordpress, epoch, disqus, facebook, wpdiscuz, jetpack ...
    status: str = STATUS_OK
    status_reason: str | None = None


def _css(element, css: str) -> list:
    """Elements under ``element`` (itself included) matching a CSS selector."""
    return element.xpath(css_xpath(css))


def is_wordpress_html(text: str | bytes) -> bool:
    head = text[:300000] if isinstance(text, str) else text[:300000].decode("utf-8", "replace")
    return bool(
        re.search(r"""<meta[^>]+content=["']WordPress""", head, re.IGNORECASE)
        or "https://api.w.org/" in head
        or "/wp-content/" in head
        or "/wp-includes/" in head
    )


_POST_ID_CLASS = re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)")
_POST_ELEMENT_ID = re.compile(r"^post-(\d+)$")
_COMMENT_ELEMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-(\d+)/?$")


def parse_html(body: str | bytes, url: str) -> WordPressPage:
    """Parse a WordPress page: a post page (post + comments) or a listing (home, archive)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    doc = lxml_html.document_fromstring(body or "<html></html>", base_url=url)
    generator = _generator(doc)
    rest = _first(doc.xpath("//link[@rel='https://api.w.org/']/@href"))
    feeds = _feed_links(doc, url)
    home = _home_url(doc, url, rest, feeds)
    key = blog_key(home)

    blog = BlogLoader()
    blog.add_value("id", key)
    blog.add_value("url", home)
    blog.add_value("platform", PLATFORM)
    blog.add_value("language", language_code(doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")))
    blog.add_value("language", language_code(_first(doc.xpath("//meta[@property='og:locale']/@content"))))
    blog.add_value("title", doc.xpath("//meta[@property='og:site_name']/@content"))
    page = WordPressPage(blog=blog.load_item(), generator=generator)
    page.is_wordpress = bool(generator) or rest is not None or is_wordpress_html(body)
    page.machine_dates_trusted = markup_dates_trusted(generator)
    page.rest_root = _absolute(url, rest)
    _sort_feeds(page, feeds, home)
    if not page.is_wordpress:
        page.status, page.status_reason = STATUS_NOT_WORDPRESS, "no WordPress generator, REST link or wp-content paths"

    post_id = _single_post_id(doc)
    page.is_post_page = post_id is not None
    if page.is_post_page:
        _read_post_page(page, doc, body, post_id, key, url)
    else:
        page.posts = _listing_posts(doc, key, url, page.machine_dates_trusted)
        page.post_links = [p["url"] for p in page.posts if p.get("url")]
    page.next_page_links = _next_page_links(doc, url)
    # blog-wide conditions go to the blog row; missing comments on one page do not
    page.blog["status"] = page.status if page.status != STATUS_COMMENTS_INCOMPLETE else STATUS_OK
    if page.status_reason and page.status != STATUS_COMMENTS_INCOMPLETE:
        page.blog["status_reason"] = page.status_reason
    return page


def _sort_feeds(page: WordPressPage, feeds: list[str], home: str) -> None:
    """The blog's posts feed, the site's comments feed and this post's comment feed."""
    page.feed_links = feeds
    for feed in feeds:
        path = urlsplit(feed).path.rstrip("/")
        if re.search(r"/comments/feed(?:/atom|/rss2?)?$", path):
            page.comments_feed = page.comments_feed or feed
        elif site_url_from_feed_url(feed).rstrip("/") == home.rstrip("/"):
            page.posts_feed = page.posts_feed or feed
        elif re.search(r"/feed/?$", path):
            page.post_comments_feed = page.post_comments_feed or feed


def _read_post_page(page: WordPressPage, doc, body: str, post_id: str, key: str, url: str) -> None:
    """The post of a single-post page with its comments, and whether any are missing."""
    post, time_value = _html_post(doc, post_id, key, url, page.machine_dates_trusted)
    comments = parse_html_comments(doc, key, post_id, post.get("url") or url, page.machine_dates_trusted)
    post["comments"] = comments
    page.posts.append(post)
    page.comments_found = count_comments(comments)
    page.comments_expected = _comments_expected(doc)
    if page.comments_expected is not None:
        post["comment_count"] = page.comments_expected
    page.comment_page_links = _comment_page_links(doc, url)
    page.comments_system, page.comments_by_script = _comments_system(doc, body, page.comments_found)
    if page.comments_by_script:
        page.status = STATUS_COMMENTS_BY_SCRIPT
        page.status_reason = (
            f"comments are loaded by script ({page.comments_system}), not in the HTML: "
            "read them from the REST API or the post's comment feed"
        )
    elif page.comments_expected and page.comments_found < page.comments_expected and not page.comment_page_links:
        page.status = STATUS_COMMENTS_INCOMPLETE
        page.status_reason = (
            f"the page announces {page.comments_expected} comments but holds {page.comments_found}: "
            "read them from the REST API or the post's comment feed"
        )
    if page.machine_dates_trusted:
        # the site's UTC offset as its own time[datetime] values write it (plugins' metadata is UTC)
        offset = most_common_offset([time_value] + [c.get("published_machine") for c in walk_comments(comments)])
        if offset:
            page.blog["timezone"] = offset


def _generator(doc) -> str | None:
    """WordPress's own generator tag (``WordPress 5.3.2``, ``WordPress.com``), not a theme's or plugin's."""
    values = doc.xpath("//meta[translate(@name,'GENRATO','genrato')='generator']/@content")
    values = [collapse_whitespace(v) or "" for v in values]
    return next((v for v in values if re.match(r"^WordPress(?:\.com)?\b", v, re.IGNORECASE)), None)


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    return unwrap_archive_url(urljoin(base, href.strip()))


def _feed_links(doc, url: str) -> list[str]:
    links: list[str] = []
    for href in doc.xpath("//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"):
        absolute = _absolute(url, href)
        if absolute and absolute not in links:
            links.append(absolute)
    return links


def _home_url(doc, url: str, rest: str | None, feeds: list[str]) -> str:
    """The blog's home URL: from the REST root, else the main feed link (the shortest ``/feed/``
    path: a post's own comment feed is ``/slug/feed/``), else rel=home, else the host."""
    if rest:
        return site_url_from_rest_root(_absolute(url, rest) or rest)
    homes = [
        site_url_from_feed_url(feed) for feed in feeds
        if re.search(r"/feed(?:/atom|/rss2?)?/?$", urlsplit(feed).path) and "/comments/feed" not in feed
    ]
    if homes:
        return min(homes, key=lambda home: len(urlsplit(home).path))
    for href in doc.xpath("//link[@rel='home']/@href | //a[@rel='home']/@href"):
        return _absolute(url, href) or url
    page = urlsplit(unwrap_archive_url(url) or url)
    return urlunsplit((page.scheme, page.netloc, "/", "", ""))


def _first(values: Iterable[str]) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None


def _single_post_id(doc) -> str | None:
    """The post a single-post page shows, or None for listings (home, archives, search)."""
    body_class = " ".join(doc.xpath("//body/@class"))
    match = _POST_ID_CLASS.search(body_class)
    if match:
        return match.group(1)
    if re.search(r"(?:^|\s)(?:home|blog|archive|search|paged)(?:\s|$)", body_class):
        return None
    for value in doc.xpath("//input[@name='comment_post_ID']/@value"):
        if value.strip().isdigit():
            return value.strip()
    singular = re.search(r"singular-post-(\d+)", body_class)
    if singular:
        return singular.group(1)
    shortlink = _first(doc.xpath("//link[@rel='shortlink']/@href"))
    match = _GUID_POST_ID.search(shortlink or "")
    if match:
        return match.group(1)
    matches = (_POST_ELEMENT_ID.match(v) for v in doc.xpath("//*[starts-with(@id,'post-')]/@id"))
    articles = {m.group(1) for m in matches if m}
    if len(articles) == 1 and _first(doc.xpath("//meta[@property='og:type']/@content")) == "article":
        return articles.pop()
    return None


# Comment areas, widgets, navigation and related posts: never part of a post's own metadata.
_NOT_POST = (
    "ancestor-or-self::*[@id='comments' or @id='respond' or self::aside or self::nav"
    " or self::footer[not(ancestor::article)]"
    f" or {has_class('comments-area')} or {has_class('commentlist')} or {has_class('comment-list')}"
    f" or {has_class('widget')} or {has_class('related-post')} or {has_class('related-posts')}"
    " or starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]"
)


def _own_post(elements: list) -> list:
    return [e for e in elements if not e.xpath(_NOT_POST)]


def _post_scope(doc, post_id: str):
    """The element holding the post: ``#post-ID`` or ``article.post-ID``, else the page."""
    for path in (f"//*[@id='post-{post_id}']", f"//article[{has_class(f'post-{post_id}')}]"):
        found = _own_post(doc.xpath(path))
        if found:
            return found[0]
    return doc


_TITLE_CSS = (".entry-title", ".post-title", ".single-post-title", "h1", "h2")
_AUTHOR_CSS = (
    ".wp-block-post-author__name", ".wp-block-post-author-name", ".entry-author-name", ".author.vcard .fn", ".byline .fn", ".entry-meta .fn", ".author .fn",
    ".entry-author [itemprop=name]", ".byline a", ".post-author-name", ".post-byline a", "a[rel~=author]",
    "a[href*='/author/']",
)
_CONTENT_CSS = (
    ".entry-content", ".post-content", ".post_content", ".post-bodycopy", ".single-blog-content",
    ".entrytext", "[itemprop=articleBody]", ".entry", ".post-template-content", "section.content", ".content",
)
_POST_DATE_CSS = (
    "time.entry-date", "time.published", ".entry-date", ".entry-time", ".entry-published", ".post-date",
    "time[itemprop=datePublished]", "time.updated", "#wpcom-comments-date .date", ".date",
)


def _html_post(doc, post_id: str, blog: str, url: str, trusted: bool) -> tuple[PostItem, str | None]:
    """The post of a single-post page, and its time[datetime] value when that was the machine value."""
    scope = _post_scope(doc, post_id)
    loader = PostLoader()
    loader.add_value("id", post_key(blog, post_id))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", post_id)
    loader.add_value("url", _post_url(doc, url))
    for css in _TITLE_CSS:
        texts = [_text_of(e) for e in _own_post(_css(scope, css))]
        if any(texts):
            loader.add_value("title", texts)
            break
    loader.add_value("title", _plain(_first(doc.xpath("//meta[@property='og:title']/@content"))))
    author_el = None
    for css in _AUTHOR_CSS:
        found = [e for e in _own_post(_css(scope, css)) if _author_name(e)]
        if found:
            author_el = found[0]
            break
    if author_el is not None:
        loader.add_value("author", _author_name(author_el))
        href = author_el.get("href") or _first(author_el.xpath(".//a/@href"))
        loader.add_value("author_url", _absolute(url, href))
    loader.add_value("author", doc.xpath("//meta[@name='author']/@content"))
    loader.add_value("author", _json_ld_author(doc))

    machine, display, from_time = _post_dates(doc, scope, trusted)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display)
    # rel="category tag" on category links, rel="tag" on tag links (the_category(), the_tags())
    tag_links = scope.xpath(
        ".//a[contains(concat(' ', @rel, ' '), ' tag ') or contains(concat(' ', @rel, ' '), ' category ')]"
    )
    labels = [_text_of(a) for a in _own_post(tag_links)]
    loader.add_value("labels", _unique(t for t in labels if t))
    for css in _CONTENT_CSS:
        found = _own_post(_css(scope, css))
        if found:
            inner = inner_html(found[0])
            loader.add_value("content_html", inner)
            loader.add_value("content_text", inner)
            break
    loader.add_value("source", SOURCE_HTML)
    return loader.load_item(), machine if from_time else None


def _post_url(doc, url: str) -> str:
    """The post's permalink: rel=canonical (comment pages folded into the post), else the page URL."""
    canonical = _absolute(url, _first(doc.xpath("//link[@rel='canonical']/@href"))) or unwrap_archive_url(url) or url
    parts = urlsplit(canonical)
    path = _COMMENT_PAGE_PATH.sub("/", parts.path)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith(("replytocom=", "cpage=")))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _post_dates(doc, scope, trusted: bool) -> tuple[str | None, str | None, bool]:
    """(machine value, shown text, whether the machine value is the page's own time[datetime])."""
    display = None
    time_machine = None
    for css in _POST_DATE_CSS:
        found = _own_post(_css(scope, css))
        if found:
            display = _text_of(found[0])
            value = found[0].get("datetime")
            if value and parse_machine_date(value) is not None:
                time_machine = value.strip()
            if display:
                break
    if time_machine is None:
        for value in _own_post(scope.xpath(".//time[@datetime]") + scope.xpath(".//*[@itemprop='datePublished']")):
            candidate = value.get("datetime") or value.get("content")
            if candidate and parse_machine_date(candidate) is not None:
                time_machine = candidate.strip()
                display = display or _text_of(value)
                break
    if trusted and time_machine:
        return time_machine, display, True
    # Plugins' metadata (Yoast's JSON-LD, Open Graph) is written from the stored GMT time.
    for candidate in _json_ld_dates(doc) + doc.xpath("//meta[@property='article:published_time']/@content"):
        if parse_machine_date(candidate) is not None:
            return candidate.strip(), display, False
    if time_machine and not trusted:
        display = _wall_clock(time_machine)
    return None, display, False


def _wall_clock(value: str) -> str | None:
    """The local wall-clock time of a markup timestamp whose offset is not to be trusted
    (``2014-04-02T08:29:59+00:00`` -> ``2014-04-02 08:29:59``): the date pipeline reads it in the
    blog's timezone, like any shown date."""
    moment = parse_machine_date(value)
    return moment.replace(tzinfo=None).isoformat(sep=" ") if moment is not None else None


_ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "WebPage", "ItemPage", "Report", "SocialMediaPosting"}


def _json_ld_objects(doc) -> list[dict]:
    objects: list[dict] = []
    for script in doc.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return objects


def _json_ld_types(obj: dict) -> set[str]:
    kinds = obj.get("@type")
    return set(kinds) if isinstance(kinds, list) else {kinds} if isinstance(kinds, str) else set()


def _json_ld_dates(doc) -> list[str]:
    """``datePublished`` of the page's Article/BlogPosting/WebPage objects, articles first."""
    objects = [
        o for o in _json_ld_objects(doc)
        if _json_ld_types(o) & _ARTICLE_TYPES and isinstance(o.get("datePublished"), str)
    ]
    objects.sort(key=lambda o: 0 if _json_ld_types(o) & {"Article", "BlogPosting", "NewsArticle"} else 1)
    return [o["datePublished"] for o in objects]


def _json_ld_author(doc) -> list[str]:
    names = []
    for obj in _json_ld_objects(doc):
        if _json_ld_types(obj) & {"Article", "BlogPosting", "NewsArticle"}:
            author = obj.get("author")
            for person in author if isinstance(author, list) else [author]:
                if isinstance(person, dict) and isinstance(person.get("name"), str):
                    names.append(person["name"])
    return names


_POST_CLASS = re.compile(r"(?:^|\s)post-(\d+)(?:\s|$)")


def _listing_posts(doc, blog: str, url: str, trusted: bool) -> list[PostItem]:
    """The posts a home/archive page lists: id, permalink, title, date; bodies come from post pages.

    Each is an element with ``id="post-ID"`` (classic themes) or post_class()'s ``post-ID
    type-post`` classes (block themes' ``li.wp-block-post``)."""
    posts = []
    seen = set()
    candidates = doc.xpath(f"//*[starts-with(@id,'post-')] | //*[{has_class('type-post')}]")
    for element in _own_post(candidates):
        match = _POST_ELEMENT_ID.match(element.get("id") or "") or _POST_CLASS.search(element.get("class") or "")
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        loader = PostLoader()
        loader.add_value("id", post_key(blog, match.group(1)))
        loader.add_value("blog_id", blog)
        loader.add_value("platform_id", match.group(1))
        for css in (".entry-title a", ".post-title a", ".wp-block-post-title a", "h2 a", "h1 a", "h3 a"):
            links = _css(element, css)
            if links:
                loader.add_value("url", _absolute(url, links[0].get("href")))
                loader.add_value("title", _text_of(links[0]))
                break
        machine, display, from_time = _post_dates(doc, element, trusted)
        # page-level metadata (JSON-LD, og tags) belongs to no single listed post
        loader.add_value("published_machine", machine if from_time else None)
        loader.add_value("published_raw", display)
        loader.add_value("source", SOURCE_HTML)
        posts.append(loader.load_item())
    return posts


def _next_page_links(doc, url: str) -> list[str]:
    """Older-posts pages of a listing: ``/page/N/`` or ``?paged=N`` on this site."""
    links: list[str] = []
    host = urlsplit(unwrap_archive_url(url) or url).netloc
    for href in doc.xpath(f"//link[@rel='next']/@href | //a[{has_class('next')}]/@href"
                          " | //a[contains(@href,'/page/') or contains(@href,'paged=')]/@href"):
        absolute = _absolute(url, href)
        if not absolute:
            continue
        parts = urlsplit(absolute)
        if parts.netloc != host or _COMMENT_PAGE_PATH.search(parts.path):
            continue
        if (_PAGE_PATH.search(parts.path) or "paged=" in parts.query) and absolute not in links:
            links.append(absolute.split("#")[0])
    return links


def _comment_page_links(doc, url: str) -> list[str]:
    """Other pages of this post's comments: ``/comment-page-N/`` or ``?cpage=N`` (reply links,
    ``?replytocom=``, point at the same pages and are left out)."""
    links: list[str] = []
    here = _comment_page_key(unwrap_archive_url(url) or url)
    for href in doc.xpath("//a[contains(@href,'comment-page-') or contains(@href,'cpage=')]/@href"):
        absolute = _absolute(url, href) or ""
        parts = urlsplit(absolute)
        query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("replytocom="))
        absolute = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        if parts.netloc == urlsplit(url).netloc and _comment_page_key(absolute) != here and absolute not in links:
            links.append(absolute)
    return links


def _comment_page_key(url: str) -> tuple[str, int]:
    """(post URL, comment page number) of a post or comment page URL; the post URL itself is page 0."""
    parts = urlsplit(url)
    match = _COMMENT_PAGE_PATH.search(parts.path) or re.search(r"(?:^|&)cpage=(\d+)", parts.query)
    path = _COMMENT_PAGE_PATH.sub("/", parts.path)
    return f"{parts.netloc}{path}", int(match.group(1)) if match else 0


_COUNT_IN_HEADING = re.compile(r"(\d[\d.,]*)")


def _comments_expected(doc) -> int | None:
    """The count the page shows: the comment section's heading ("12 Kommentare", "There are 13
    comments", "5 Gedanken zu ...", "This Post Has 80 Comments"), else the post header's comments
    link ("54 Kommentare").  WordPress counts pingbacks and trackbacks in it."""
    headings = doc.xpath(
        f"//*[{has_class('comments-title')} or @id='comments-title' or {has_class('comment-count-area')}"
        f" or {has_class('commentsheader')}"
        " or ((self::h2 or self::h3 or self::h4) and (@id='comments' or ancestor::*[@id='comments']"
        " or following-sibling::*[1][self::ol or self::ul][contains(@class,'comment')]))]"
    )
    links = doc.xpath(f"//a[{has_class('comments-link')} or ancestor::*[{has_class('entry-comments-link')}]]")
    for element in headings + [a for a in links if not a.xpath(f"ancestor::*[{has_class('widget')}]")]:
        reply_form_or_widget = f"@id='respond' or {has_class('comment-reply-title')} or {has_class('widget')}"
        if element.xpath(f"ancestor-or-self::*[{reply_form_or_widget}]"):
            continue
        match = _COUNT_IN_HEADING.search(_text_of(element) or "")
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits:
                return int(digits)
    return None


_SCRIPT_SYSTEMS = (
    ("disqus", re.compile(r"""id=["']disqus_thread["']|disqus\.com/embed\.js|\bdisqus_config\b""")),
    ("facebook", re.compile(r"""class=["'][^"']*\bfb-comments\b""")),
    ("wpdiscuz", re.compile(r"""id=["']wpdcom["']|wpdiscuz""")),
    ("jetpack", re.compile(r"""jetpack_remote_comment|jetpack-comments-iframe|highlander-comments-iframe""")),
    ("epoch", re.compile(r"""epoch-comment-template|id=["']epoch-comments["']""")),
)


def _comments_system(doc, body: str, found: int) -> tuple[str | None, bool]:
    """Which comment system the page uses, and whether its comments are missing from the HTML.

    Disqus and Facebook comments are never in the page.  wpDiscuz and Epoch may render them
    server-side or load them by script: with none found, they count as loaded by script unless
    the page says there are none.  Jetpack replaces only the comment form: its comments are
    missing only when the page announces some and none were found."""
    for name, pattern in _SCRIPT_SYSTEMS:
        if not pattern.search(body):
            continue
        if name in ("disqus", "facebook"):
            return name, True
        if found:
            return name, False
        expected = _comments_expected(doc)
        return name, bool(expected) if name == "jetpack" else expected != 0
    has_list = doc.xpath(f"//*[@id='comments' or {has_class('comment-list')} or {has_class('commentlist')}]")
    return ("wordpress" if found or has_list else None), False


# -- HTML comments ---------------------------------------------------------------------------


def parse_html_comments(
    doc, blog: str, post_id: str, post_url: str, trusted_dates: bool = True
) -> list[CommentItem]:
    """The comments of a post page as a tree (replies nested in ``replies``).

    Every comment element carries its WordPress id (``id="comment-123"``, ``li-comment-123``,
    ``div-comment-123``; Epoch: ``div#comment-123[data-comment-id]``).  The outermost element
    of each id is the comment; a comment inside another is a reply to it.  Pingbacks and
    trackbacks are kept with their type."""
    nodes = _comment_nodes(doc)
    if not nodes:
        return []
    node_set = {id(node) for node, _ in nodes}
    items: dict[int, CommentItem] = {}
    roots: list[CommentItem] = []
    for node, comment_id in nodes:
        parent_node = _parent_node(node, node_set)
        item = _comment_item(node, comment_id, node_set, blog, post_id, post_url, trusted_dates)
        items[id(node)] = item
        if parent_node is not None and id(parent_node) in items:
            parent = items[id(parent_node)]
            item["parent_id"] = parent["id"]
            parent.setdefault("replies", []).append(item)
        else:
            roots.append(item)
    return roots


def _parent_node(node, node_set: set[int]):
    """The comment a comment element replies to: the comment element it is nested in, or, where a
    theme closes the parent's ``</li>`` before its ``<ul class="children">`` (WordPress.com's h4),
    the comment element just before the replies list."""
    for ancestor in node.iterancestors():
        if id(ancestor) in node_set:
            return ancestor
        if "children" in (ancestor.get("class") or "").split():
            previous = ancestor.getprevious()
            while previous is not None and not isinstance(previous.tag, str):
                previous = previous.getprevious()
            if previous is not None and id(previous) in node_set:
                return previous
    return None


def _comment_nodes(doc) -> list[tuple[Any, str]]:
    """(element, comment id) for every comment on the page, outermost element per id, page order."""
    seen: dict[str, Any] = {}
    ordered: list[tuple[Any, str]] = []
    candidates = doc.xpath(
        "//*[starts-with(@id,'comment-') or starts-with(@id,'li-comment-') or starts-with(@id,'div-comment-')]"
    )
    for element in candidates:
        match = _COMMENT_ELEMENT_ID.match(element.get("id") or "")
        if not match or element.tag in ("a", "span", "input", "p", "textarea", "form", "script"):
            continue
        if element.xpath(f"ancestor::*[{has_class('widget')} or self::aside]"):
            continue  # a "recent comments" widget links to comments, it does not hold them
        if not len(element) and not (element.text or "").strip():
            continue  # an empty anchor target, not the comment
        comment_id = match.group(1)
        if comment_id in seen:
            continue
        seen[comment_id] = element
        ordered.append((element, comment_id))
    return ordered


_COMMENT_AUTHOR_CSS = (
    ".comment-author .fn", ".fn", ".wp-block-comment-author-name", ".epoch-author-link", ".epoch-comment-author",
    ".comment-author-name", ".comment-author-link", ".authorname", ".comment-author", "span.author", ".author",
    "cite",
)
_COMMENT_CONTENT_CSS = (
    ".comment-text", ".comment-content", ".wp-block-comment-content", ".epoch-comment-content", ".contenttext",
    ".comment-entry", ".comment_text", ".commenttext",
)
_COMMENT_DATE_CSS = (
    ".comment-date", ".comment-time", ".wp-block-comment-date", ".epoch-comment-link", ".comment-metadata",
    ".commentmetadata", ".comment-meta",
)
# Inside a comment's body: the reply link, like buttons and report links are not the comment.
_COMMENT_CHROME = (
    ".reply", ".comment-reply", ".comment-reply-link", ".comment-likes", ".comment-like-feedback",
    ".pmcc-comments-report-link", ".comment-edit-link", ".sharedaddy", "script", "style",
)


def _comment_item(
    node, comment_id: str, node_set, blog: str, post_id: str, post_url: str, trusted: bool
) -> CommentItem:
    # the comment element's classes, and its first child's (Epoch puts them on the inner article)
    first_child = next((child for child in node if isinstance(child.tag, str)), None)
    classes = set((node.get("class") or "").split())
    if first_child is not None:
        classes |= set((first_child.get("class") or "").split())
    kind = next((k for k in ("pingback", "trackback") if k in classes), "comment")
    own_text = collapse_whitespace(" ".join(own_matches(node, node_set, ".//text()"))) or ""
    if kind == "comment" and re.match(r"^(pingback|trackback)\s*:", own_text, re.IGNORECASE):
        kind = own_text.split(":", 1)[0].strip().lower()

    loader = CommentLoader()
    loader.add_value("id", comment_key(blog, comment_id))
    loader.add_value("post_id", post_key(blog, post_id))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", comment_id)
    name, author_url = _comment_author(node, node_set, kind)
    loader.add_value("author", name)
    loader.add_value("author_url", _absolute(post_url, author_url))
    loader.add_value("is_blog_author", "bypostauthor" in classes)
    machine, display, permalink = _comment_date(node, node_set, comment_id, trusted)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display)
    loader.add_value("url", _absolute(post_url, permalink) or f"{post_url.split('#')[0]}#comment-{comment_id}")
    body = _comment_body(node, node_set, kind)
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("deleted", False)
    loader.add_value("comment_type", kind)
    loader.add_value("source", SOURCE_HTML)
    return loader.load_item()


_SAYS = re.compile(
    r"\s*(says|said|wrote|sagt|schreibt|schrieb|meint|dit|a dit|dice|dijo|disse|zegt|skriver|pisze|говорит)\s*:?\s*$",
    re.IGNORECASE,
)


def _comment_author(node, node_set, kind: str) -> tuple[str | None, str | None]:
    if kind != "comment":
        # core prints a pingback as "Pingback: <a class="url" href=SOURCE>SOURCE TITLE</a>"
        links = [a for a in own_matches(node, node_set, ".//a[@href]") if not _is_permalink(a)]
        if links:
            return _text_of(links[0]), links[0].get("href")
    for css in _COMMENT_AUTHOR_CSS:
        for element in own_css(node, node_set, css):
            if element.xpath(f"ancestor-or-self::*[{has_class('comment-author-avatar')} or {has_class('avatar')}]"):
                continue
            name = _author_name(element)
            if name:
                links = [a for a in element.xpath("descendant-or-self::a[@href]")
                         if _text_of(a) and not _is_permalink(a)]
                return name, links[0].get("href") if links else None
    return None, None


def _is_permalink(anchor) -> bool:
    href = anchor.get("href") or ""
    classes = anchor.get("class") or ""
    return "#comment-" in href or "replytocom=" in href or "comment-reply" in classes or "comment-edit" in classes


_NOT_NAME = {
    "says", "screen-reader-text", "epoch-divide", "p3_comment_author", "comment-author-label", "post-author-badge",
}


def _author_name(element) -> str | None:
    """A name as shown, without "says:", badges ("Autor"), separators and trailing commas."""
    links = [a for a in element.xpath("descendant-or-self::a[@href]") if _text_of(a) and not _is_permalink(a)]
    if links:
        text = _text_of(links[0]) or ""
        text = re.sub(r"^(view all posts by|posts by|alle beiträge von)\s+", "", text, flags=re.IGNORECASE)
    else:
        parts = []
        for piece in element.xpath("./text() | ./*"):
            if isinstance(piece, str):
                parts.append(piece)
                continue
            skipped = piece.tag in ("br", "img", "time", "a", "script", "noscript")
            if skipped or _NOT_NAME & set((piece.get("class") or "").split()):
                if piece.tag == "br" and any(p.strip() for p in parts):
                    break  # a badge on its own line ("Martina Berg<br><span>Autor</span>")
                continue
            if "avatar" in (piece.get("class") or ""):
                continue
            parts.append(piece.text_content())
        text = collapse_whitespace(" ".join(parts)) or ""
    text = _SAYS.sub("", text)
    text = re.sub(r"^(by|von|par|di|por|door|av)\s+", "", text, flags=re.IGNORECASE)
    return collapse_whitespace(text.strip(" ,:·|–-")) or None


def _comment_date(node, node_set, comment_id: str, trusted: bool) -> tuple[str | None, str | None, str | None]:
    """(machine value, shown text, permalink) of a comment."""
    machine = None
    display = None
    for time in own_matches(node, node_set, ".//time"):
        value = time.get("datetime")
        if value and parse_machine_date(value) is not None:
            machine = value.strip()
            display = _text_of(time) or display
            break
        display = display or _text_of(time)
    own_anchor = re.compile(rf"#comment-{comment_id}$")
    permalinks = [a for a in own_matches(node, node_set, ".//a[@href]") if own_anchor.search(a.get("href") or "")]
    permalink = permalinks[0].get("href") if permalinks else None
    if display is None:
        for link in permalinks:
            text = _text_of(link)
            if text and re.search(r"\d", text):
                display = text
                break
    if display is None:
        for css in _COMMENT_DATE_CSS:
            for element in own_css(node, node_set, css):
                text = _text_of(element)
                if text and re.search(r"\d", text):
                    display = text
                    break
            if display:
                break
    if display is None:
        display = _loose_date_text(node, node_set)
    if not trusted and machine:
        # before WordPress 5.3 the markup offset is wrong, its wall-clock time is right
        display, machine = _wall_clock(machine), None
    return machine, display, permalink


def _loose_date_text(node, node_set) -> str | None:
    """A date printed as loose text beside the author name (``<span class="author">X</span><br/> März 7, 2018``)."""
    for author in own_css(node, node_set, "span.author, .authorname, .fn"):
        for piece in [author] + list(author.itersiblings()):
            if piece is not author and piece.tag in ("p", "div", "blockquote", "ul", "ol"):
                break
            tail = collapse_whitespace(piece.tail)
            if tail and re.search(r"\d", tail):
                return tail
    return None


def _comment_body(node, node_set, kind: str) -> str | None:
    for css in _COMMENT_CONTENT_CSS:
        found = own_css(node, node_set, css)  # .comment-text first: scilogs wraps it and the meta in .comment-content
        if found:
            return _clean_inner_html(found[0])
    if kind != "comment":
        # core's pingback markup is "Pingback: <a>SOURCE TITLE</a>": no excerpt to store (the
        # source is author/author_url; the comment feeds carry the excerpt)
        return None
    paragraphs = [
        p for p in own_matches(node, node_set, ".//p")
        if not p.xpath(
            f"ancestor::*[{has_class('comment-meta')} or {has_class('comment-author')} or {has_class('reply')}"
            f" or {has_class('comment-metadata')} or {has_class('commentmetadata')} or self::footer or self::header]"
        )
        and not p.xpath(f"ancestor-or-self::*[{has_class('comment-likes')}]")
    ]
    if paragraphs:
        return "".join(_clean_outer_html(p) for p in paragraphs).strip() or None
    return None


def _clean_copy(element):
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode"))
    for css in _COMMENT_CHROME:
        for junk in _css(copy, css):
            if junk is copy:
                continue
            parent = junk.getparent()
            if parent is not None:
                # keep the text that follows the removed element
                if junk.tail and junk.tail.strip():
                    previous = junk.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + junk.tail
                    else:
                        parent.text = (parent.text or "") + junk.tail
                parent.remove(junk)
    return copy


def _clean_inner_html(element) -> str | None:
    return inner_html(_clean_copy(element)) or None


def _clean_outer_html(element) -> str:
    return lxml_html.tostring(_clean_copy(element), encoding="unicode", with_tail=False)


# -- small helpers -----------------------------------------------------------------------------


def _text_of(element) -> str | None:
    if element is None:
        return None
    return collapse_whitespace(element.text_content())


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen




__all__ = [
    "FeedPage",
    "NotAFeed",
    "NotRestJson",
    "RestError",
    "WordPressPage",
    "blog_key",
    "comment_key",
    "comments_feed_url",
    "complete_from_feed",
    "feed_url",
    "is_wordpress_html",
    "markup_dates_trusted",
    "offset_name",
    "parse_feed",
    "parse_html",
    "parse_html_comments",
    "parse_rest_comments",
    "parse_rest_index",
    "parse_rest_posts",
    "post_key",
    "post_url_of",
    "rest_comments_url",
    "rest_error",
    "rest_index_url",
    "rest_pages",
    "rest_posts_url",
    "rest_root",
    "rest_url",
    "rfc822_to_iso",
    "site_url_from_feed_url",
    "site_url_from_rest_root",
    "unwrap_archive_url",
    "wordpress_utc",
]
