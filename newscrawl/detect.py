"""Which platform a blog runs on, from its home page: what ``newscrawl crawl`` uses to
pick a spider.  Pure detection from the page (``platform_of_page``) plus one fetch of
the home page (``detect_platform``)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from . import __version__

PLATFORMS = ("blogger", "wordpress", "substack", "feed")

_GENERATOR = re.compile(r"""<meta[^>]+name=["']generator["'][^>]*>|<meta[^>]+content=["'][^"']*["'][^>]+name=["']generator["'][^>]*>""",
                        re.IGNORECASE)


def platform_of_page(html: str) -> str | None:
    """``blogger``, ``wordpress`` or None, from a page's own markers: the generator
    meta tag, Blogger's feed and widget ids, WordPress's REST link and paths."""
    head = html[:200_000]
    for tag in _GENERATOR.findall(head):
        lowered = tag.lower()
        if "blogger" in lowered:
            return "blogger"
        if "wordpress" in lowered:
            return "wordpress"
    if "https://api.w.org/" in head or "/wp-content/" in head or "/wp-includes/" in head:
        return "wordpress"
    if "www.blogger.com/feeds/" in head or "blogger.com/static/" in head or "_WidgetManager" in head:
        return "blogger"
    return None


def detect_platform(url: str, timeout: float = 30.0) -> str | None:
    """Fetch the home page once and tell its platform (None when it cannot be told)."""
    request = urllib.request.Request(url, headers={"User-Agent": f"newscrawl/{__version__} (platform detection)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(2_000_000)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        body, charset = exc.read(2_000_000), "utf-8"
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return platform_of_page(body.decode(charset, errors="replace"))
