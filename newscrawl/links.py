"""The outbound links of a post: which outlets a commentary blog quotes.

A link is outbound when it leaves the blog: links to the blog's own pages (labels,
other posts, comment forms) and to the platform's own infrastructure (image hosting,
share buttons, profiles) say nothing about the sources a post cites.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from .loaders import collapse_whitespace, html_fragment

# Hosts that belong to the platforms themselves, not to what a post cites.
PLATFORM_HOSTS = (
    "blogger.com",
    "bp.blogspot.com",
    "googleusercontent.com",
    "blogblog.com",
    "feedburner.com",
    "wp.com",  # Jetpack's image copies (i0.wp.com ...)
    "wp.me",  # WordPress.com short links to the post itself
    "gravatar.com",
)


# Blogger serves every blog under country domains too (name.blogspot.de, .co.uk ...).
_BLOGSPOT = re.compile(r"^(?:www\.)?([a-z0-9-]+)\.blogspot\.[a-z]{2,3}(?:\.[a-z]{2})?$")


def site_of(host: str) -> str:
    """One name per site: ``www.`` dropped, Blogger country domains folded into blogspot.com."""
    host = host.lower()
    match = _BLOGSPOT.match(host)
    if match:
        return f"{match.group(1)}.blogspot.com"
    return host[4:] if host.startswith("www.") else host


@functools.lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # the bundled public-suffix snapshot: never fetch the list from the network
    # private suffixes too: every *.blogspot.com or *.wordpress.com blog is an outlet of its own
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


@functools.lru_cache(maxsize=8192)
def registered_domain(host: str) -> str:
    """``www.bbc.co.uk`` -> ``bbc.co.uk``; an IP address or bare name stays as it is.  Cached: a blog
    cites the same few outlets again and again, and tldextract costs 0.1 ms a host."""
    if _BLOGSPOT.match(host):
        return site_of(host)
    parts = _extractor()(host)
    if hasattr(parts, "top_domain_under_public_suffix"):  # tldextract >= 5.3
        domain = parts.top_domain_under_public_suffix
    else:
        domain = parts.registered_domain
    return domain or host


def is_platform_host(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in PLATFORM_HOSTS)


def outbound_links(content_html: str | None, page_url: str, blog_host: str | None = None,
                   body=None) -> list[dict[str, Any]]:
    """Every outbound ``<a href>`` of a post body, in order: url, host, domain, anchor text.
    ``body``: ``content_html`` parsed by :func:`~newscrawl.loaders.html_fragment` when the caller has
    it (read, not changed)."""
    if not content_html or "href" not in content_html:
        return []
    try:
        fragment = body if body is not None else html_fragment(content_html)
    except Exception:  # an unparseable body has no links we can trust
        return []
    links = []
    for anchor, url, host in outbound_anchors([fragment], page_url, blog_host):
        links.append(
            {
                "position": len(links),
                "url": url,
                "host": host,
                "domain": registered_domain(host),
                "anchor_text": collapse_whitespace(anchor.text_content()),
            }
        )
    return links


def outbound_anchors(elements: Iterable[Any], page_url: str,
                     blog_host: str | None = None) -> Iterator[tuple[Any, str, str]]:
    """The ``<a href>`` elements in (or being) ``elements`` that leave the blog, in order, each with
    its absolute URL and lower-cased host."""
    own_site = own_site_of(page_url, blog_host)
    for element in elements:
        for anchor in element.iter("a"):
            target = outbound_target(anchor, page_url, own_site)
            if target is not None:
                yield anchor, *target


def own_site_of(page_url: str, blog_host: str | None = None) -> str:
    """The site (:func:`site_of`) a link must leave to be outbound: the blog's host, else the page's."""
    return site_of(blog_host or urlsplit(page_url).hostname or "")


def outbound_target(anchor: Any, page_url: str, own_site: str) -> tuple[str, str] | None:
    """The absolute URL and lower-cased host an ``<a>`` leads to, when that is a web page off
    ``own_site`` (:func:`site_of` the blog's host) and off the blogging platforms' own hosts."""
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    url = urljoin(page_url, href)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or site_of(host) == own_site or is_platform_host(host):
        return None
    return url, host
