"""WordPress's REST API (``/wp-json/`` or ``/?rest_route=/``): its URLs, its errors and its answers.

The site index (name, home URL, timezone), ``wp/v2/posts`` and ``wp/v2/comments``, 100 per
page, paged by ``X-WP-Total`` / ``X-WP-TotalPages``.  Anonymous clients get approved reader
comments only: asking for ``type=pingback`` answers 401 ``rest_forbidden_param``, so pingbacks
and trackbacks come from the post pages (typed) or the comment feeds (untyped).  REST dates
are a pair (site-local ``date`` and ``date_gmt``), read by ``dates.wordpress_utc``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Mapping
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ...dates import language_code, offset_from_hours, wordpress_utc
from ...items import BlogItem, CommentItem, PostItem
from ...loaders import BlogLoader, CommentLoader, PostLoader
from ..markup import load_json
from ..syndication import plain_text
from .ids import PLATFORM, SOURCE_API, STATUS_OK, blog_key, comment_key, post_key, site_url_from_rest_root

logger = logging.getLogger(__name__)


class NotRestJson(ValueError):
    """The body is not the JSON a WordPress REST route answers (a login wall, an HTML error page)."""


class RestError(ValueError):
    """The REST API answered with an error object (``{"code": ..., "message": ...}``)."""

    def __init__(self, code: str, message: str | None, status: int | None = None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status

    def __reduce__(self):
        # as it was made: a page parsed in another process (parsing.py) raises it here unchanged
        return type(self), (self.code, self.message, self.status)


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
        return load_json(text)
    except ValueError:
        # Some plugins print notices or a BOM before the JSON: read from the first bracket.
        start = min([i for i in (text.find("["), text.find("{")) if i >= 0] or [-1])
        if start > 0:
            try:
                return load_json(text[start:])
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
    blog.add_value("title", plain_text(data.get("name")))
    blog.add_value("description", plain_text(data.get("description")))
    blog.add_value("timezone", data.get("timezone_string") or None)
    blog.add_value("timezone", offset_from_hours(data.get("gmt_offset")))
    blog.add_value("language", language_code(data.get("language") or data.get("lang")))
    blog.add_value("status", STATUS_OK)
    item = blog.load_item()
    if "wp/v2" not in (data.get("namespaces") or ["wp/v2"]):
        item["status"] = "rest_without_wp_v2"
        item["status_reason"] = "the REST index lists no wp/v2 namespace: read posts and comments from feeds and HTML"
    return item


def parse_rest_posts(
    body: bytes | str, url: str, blog_key: str, site_timezone: str | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> list[PostItem]:
    """One page of ``wp/v2/posts``.  With the site's timezone, dates are cross-checked
    (``wordpress_utc``); without it ``date_gmt`` is taken as it is.  An entry that cannot be
    read is skipped (``on_skip`` is told why), not the page."""
    return _each_entry(_collection(body, url), lambda entry: _rest_post(entry, blog_key, site_timezone),
                       url, on_skip)


def read_rest_page(kind: str, body: bytes | str, url: str, blog_key: str,
                   site_timezone: str | None = None) -> tuple[list, list[str]]:
    """One page of ``wp/v2/posts`` (``kind`` posts) or ``wp/v2/comments`` (comments): its items, and
    why each entry that could not be read was skipped. A module-level function of its arguments,
    so that a crawl can parse the page in another process (``parsing.py``)."""
    parse = parse_rest_posts if kind == "posts" else parse_rest_comments
    skipped: list[str] = []
    return parse(body, url, blog_key, site_timezone, on_skip=skipped.append), skipped


def _each_entry(entries: list[dict], read: Callable[[dict], Any], url: str,
                on_skip: Callable[[str], None] | None) -> list:
    items = []
    for entry in entries:
        try:
            items.append(read(entry))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = f"{url}: entry {entry.get('id')!r} unreadable ({type(exc).__name__}: {exc})"
            logger.warning("Skipped a REST entry: %s", reason)
            if on_skip is not None:
                on_skip(reason)
    return items


def _rest_post(entry: dict, blog_key: str, site_timezone: str | None) -> PostItem:
    post_id = _required_id(entry)
    embedded = entry.get("_embedded") or {}
    loader = PostLoader()
    loader.add_value("id", post_key(blog_key, post_id))
    loader.add_value("blog_id", blog_key)
    loader.add_value("platform_id", post_id)
    loader.add_value("url", entry.get("link"))
    loader.add_value("title", plain_text(_rendered(entry.get("title"))))
    # ``author`` is a user id, not a name: only the embedded user gives one.
    authors = [a for a in embedded.get("author") or [] if isinstance(a, dict) and a.get("name")]
    if authors:
        loader.add_value("author", plain_text(authors[0]["name"]))
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
    return loader.load_item()


def _embedded_terms(embedded: Mapping[str, Any]) -> list[str]:
    """Category and tag names of an ``_embed``-ed post, categories first, as WordPress lists them."""
    names: list[str] = []
    for group in embedded.get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and term.get("taxonomy") in ("category", "post_tag") and term.get("name"):
                name = plain_text(term["name"])
                if name and name not in names:
                    names.append(name)
    return names


def parse_rest_comments(
    body: bytes | str, url: str, blog_key: str, site_timezone: str | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> list[CommentItem]:
    """One page of ``wp/v2/comments``, flat; ``parent_id`` links replies (parent 0 = top level).
    An entry that cannot be read is skipped (``on_skip`` is told why), not the page."""
    return _each_entry(_collection(body, url), lambda entry: _rest_comment(entry, blog_key, site_timezone),
                       url, on_skip)


def _rest_comment(entry: dict, blog_key: str, site_timezone: str | None) -> CommentItem:
    comment_id = _required_id(entry)
    post_id = _object_id(entry.get("post"))
    parent = _object_id(entry.get("parent"))
    loader = CommentLoader()
    loader.add_value("id", comment_key(blog_key, comment_id))
    loader.add_value("post_id", post_key(blog_key, post_id) if post_id else None)
    loader.add_value("blog_id", blog_key)
    loader.add_value("platform_id", comment_id)
    loader.add_value("parent_id", comment_key(blog_key, parent) if parent else None)
    loader.add_value("author", plain_text(entry.get("author_name")))
    loader.add_value("author_url", entry.get("author_url") or None)
    loader.add_value("published_machine", wordpress_utc(entry.get("date"), entry.get("date_gmt"), site_timezone))
    body_html = _rendered(entry.get("content"))
    loader.add_value("content_html", body_html)
    loader.add_value("content_text", body_html)
    loader.add_value("url", entry.get("link"))
    loader.add_value("deleted", False)
    loader.add_value("comment_type", entry.get("type") or "comment")
    loader.add_value("source", SOURCE_API)
    return loader.load_item()


def _object_id(value: Any) -> str | None:
    """A WordPress object id (a positive integer, or its digits); None for 0 (no object) and for
    anything else, so that no parent or post is made up from a malformed answer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) > 0:
        return str(int(value))
    return None


def _required_id(entry: Mapping[str, Any]) -> str:
    found = _object_id(entry.get("id"))
    if found is None:
        raise ValueError(f"no usable id: {entry.get('id')!r}")
    return found


def _rendered(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None
