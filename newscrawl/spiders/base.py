"""What every newscrawl spider shares: the blog URL argument and the date context."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import scrapy

from ..dates import DateContext


class BlogSpider(scrapy.Spider):
    """A spider for one blog, given as ``-a url=URL``."""

    platform: str = ""

    def __init__(self, url: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = normalize_blog_url(url)
        host = urlsplit(self.start_url).hostname
        self.allowed_domains = [host] if host else []
        self.blog_key: str | None = None
        # Read by the date pipeline: the blog's language and timezone once learned.
        self.date_context = DateContext()


def normalize_blog_url(url: str | None) -> str:
    """``example.blogspot.com`` -> ``https://example.blogspot.com/``; clear error otherwise."""
    if not url or not url.strip():
        raise ValueError("a blog URL is required: scrapy crawl SPIDER -a url=https://example.blogspot.com/")
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not a web address: {url!r}")
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")
