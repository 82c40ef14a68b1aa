"""WordPress ids and addresses: what names a blog, a post and a comment, whichever path read them.

* blog: ``blog_key(home_url)`` = ``wordpress:<host><path>``: the blog's home URL (REST index
  ``home``, a feed's channel link, the REST root or feed link of a page, with ``/wp-json/``,
  ``/index.php`` and ``/feed/`` taken off), host lower-cased without ``www.`` (a port kept), no
  scheme, no trailing slash: ``wordpress:lemire.me/blog``, ``wordpress:de.creativecommons.org``.
  A Wayback Machine copy keys as the site it archived (``unwrap_archive_url``).
* post: ``<blog key>:<post id>``; comment: ``<blog key>:c<comment id>``, the numeric ids
  WordPress shows everywhere (REST ``id``, feed ``guid ?p=ID`` and ``#comment-ID``, HTML
  ``postid-ID`` / ``comment_post_ID`` and ``comment-ID``).

Also the constants every WordPress module shares (platform name, item sources, page
statuses) and the home URL a REST root or a feed link belongs to.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

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


# A post id in a guid or shortlink (``?p=ID``, ``?page_id=ID``)
GUID_POST_ID = re.compile(r"[?&](?:p|page_id)=(\d+)")
# A post's comment pages: ``/slug/comment-page-2/``
COMMENT_PAGE_PATH = re.compile(r"/comment-page-(\d+)/?$")


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``, a Wayback Machine address unwrapped; None when empty."""
    if not href:
        return None
    return unwrap_archive_url(urljoin(base, href.strip()))
