"""Which platform a blog runs on: what ``newscrawl add`` and ``newscrawl crawl`` use to
pick a spider (``tracking.resolve_platform`` asks the address first, then this module).

Pure detection from a document (``platform_of_page`` for HTML, ``platform_of_document``
for any saved page, feed or API answer), plus ``detect_platform``: one fetch of the home
page and, when the page does not tell, a few cheap probes of the platforms' own
endpoints.  ``feed`` is the platform of every other site with a feed or server-rendered
comments (Drupal, SPIP, Disqus, custom engines): the feed spider reads those."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Callable
from urllib.parse import urljoin

from . import __version__
from .platforms.comment_markup import comments_hosted_by
from .platforms.syndication import looks_like_feed

PLATFORMS = ("blogger", "wordpress", "substack", "feed")

_GENERATOR = re.compile(r"""<meta[^>]+name=["']generator["'][^>]*>|<meta[^>]+content=["'][^"']*["'][^>]+name=["']generator["'][^>]*>""",
                        re.IGNORECASE)
_FEED_LINK = re.compile(r"""<link\b[^>]*\btype=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE)
# Engines the feed spider reads (comment_markup knows their comments).
_OTHER_ENGINES = ("drupal.settings", "drupal-settings-json", "/sites/all/", "/sites/default/files/", "spip.php",
                  "class=\"comment-list", "class=\"commentlist")


def platform_of_page(html: str) -> str | None:
    """``blogger``, ``wordpress``, ``substack``, ``feed`` or None, from a page's own
    markers: the generator meta tag, Blogger's feed and widget ids, WordPress's REST link
    and paths, Substack's CDN and API, and for any other site a feed link or known
    comment markup."""
    head = html[:300_000]
    for tag in _GENERATOR.findall(head):
        lowered = tag.lower()
        for name in ("blogger", "wordpress", "substack"):
            if name in lowered:
                return name
    if "https://api.w.org/" in head or "/wp-content/" in head or "/wp-includes/" in head:
        return "wordpress"
    if "www.blogger.com/feeds/" in head or "blogger.com/static/" in head or "_WidgetManager" in head:
        return "blogger"
    if "substackcdn.com" in head or "substack.com/api/" in head:
        return "substack"
    lowered = head.lower()
    if _FEED_LINK.search(head) or any(marker in lowered for marker in _OTHER_ENGINES) or comments_hosted_by(head):
        return "feed"
    return None


def platform_of_feed(body: bytes) -> str:
    """The platform that generated an RSS/Atom feed (its ``generator`` and ids); ``feed``
    for any other engine."""
    head = body[:8192].lower()
    if b"tag:blogger.com" in head or b"blogger.com/feeds" in head or b"www.blogger.com\">blogger" in head:
        return "blogger"
    if b"wordpress.org" in head:
        return "wordpress"
    if b"substack" in head and b"<generator>substack" in head:
        return "substack"
    return "feed"


# Fields of Substack's post, comment and note objects that no other API uses together.
_SUBSTACK_FIELDS = {"publication_id", "entity_key", "ancestor_path", "body_json"}


def platform_of_json(data: object) -> str | None:
    """Substack's and WordPress's API answers name themselves by their fields."""
    sample = data
    if isinstance(sample, dict) and len(sample) == 1:
        sample = next(iter(sample.values()))  # {"post": {...}}, {"posts": [...]}, {"item": {...}}
    if isinstance(sample, list):
        sample = sample[0] if sample else {}
    if not isinstance(sample, dict):
        return None
    text = json.dumps(sample)[:200_000]
    if _SUBSTACK_FIELDS & sample.keys() or "substack.com" in text or "substackcdn.com" in text:
        return "substack"
    if "namespaces" in sample and any("wp/v2" in n for n in sample.get("namespaces", [])):
        return "wordpress"
    if "_links" in sample and "api.w.org" in text:
        return "wordpress"
    return None


def platform_of_document(body: bytes) -> str | None:
    """The platform of any saved document: an HTML page, an RSS/Atom feed or a JSON API answer."""
    start = body[:2048].lstrip().lower()
    if start.startswith((b"{", b"[")):
        try:
            return platform_of_json(json.loads(body))
        except ValueError:
            return None
    if looks_like_feed(body):
        return platform_of_feed(body)
    return platform_of_page(body.decode("utf-8", errors="replace"))


# The cheap probes, in order, for a home page that does not tell: a platform's own
# endpoint answers in its own shape; nothing else does.
PROBES: list[tuple[str, str, Callable[[bytes], bool]]] = [
    ("substack", "api/v1/archive?sort=new&limit=1",
     lambda body: platform_of_document(body) == "substack" or body.strip() == b"[]"),
    ("wordpress", "wp-json/", lambda body: platform_of_document(body) == "wordpress"),
    ("blogger", "feeds/posts/default?max-results=1", lambda body: platform_of_document(body) == "blogger"),
]


def _fetch(url: str, timeout: float) -> tuple[int, dict[str, str], bytes] | None:
    request = urllib.request.Request(url, headers={"User-Agent": f"newscrawl/{__version__} (platform detection)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read(2_000_000)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read(2_000_000)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def detect_platform(url: str, timeout: float = 30.0) -> str | None:
    """Fetch the home page once and tell its platform; when the page says no more than
    "some site with a feed", probe Substack's, WordPress's and Blogger's endpoints (a
    custom domain hides its engine from the page).  None when it cannot be told."""
    home = _fetch(url, timeout)
    if home is None:
        return None
    status, headers, body = home
    link = headers.get("Link", "") + headers.get("link", "")
    if "api.w.org" in link:  # WordPress announces its REST API in a header
        return "wordpress"
    found = platform_of_document(body) if body else None
    if found not in (None, "feed"):
        return found
    if status >= 400 and found is None:
        return None
    for platform, path, answers in PROBES:
        probe = _fetch(urljoin(url, path), timeout)
        if probe is not None and probe[0] == 200 and answers(probe[2]):
            return platform
    return found
