"""robots.txt kept in the database and reused for up to a day (RFC 9309 §2.4 allows caching it
for 24 hours), so an unchanged blog costs its feeds and nothing more.

Scrapy's ``RobotsTxtMiddleware`` asks every host for ``/robots.txt`` once per crawler; with a
crawl every hour, that is a request per host per run.  This
subclass looks the host up in the ``robots_txt`` table first and only fetches what is missing
or older than ``NEWSCRAWL_ROBOTSTXT_MAX_AGE`` seconds.  What it stores: 2xx answers (the
rules) and 4xx answers (no rules: everything allowed).  A 5xx or a network error is never
stored: RFC 9309 treats the host as unreachable, and the next crawl asks again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from .blogs import TrackedBlogsSpider
from .storage import StorageError, shared_store

logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 24 * 3600


class StoredRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.db_path = crawler.settings.get("NEWSCRAWL_DB")
        self.max_age = timedelta(seconds=crawler.settings.getint("NEWSCRAWL_ROBOTSTXT_MAX_AGE", DEFAULT_MAX_AGE))

    async def robot_parser(self, request: Request):
        parts = urlparse_cached(request)
        if parts.netloc not in self._parsers:
            stored = self._stored(f"{parts.scheme}://{parts.netloc}/robots.txt")
            if stored is not None:
                self._parsers[parts.netloc] = build_from_crawler(self._parserimpl, self.crawler, stored)
                self._stats.inc_value("newscrawl/robotstxt/reused")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            body = response.body if 200 <= response.status < 300 else b""
            self._save(_robots_url(request), response.status, body)
        host = self.crawler.spider
        if isinstance(host, TrackedBlogsSpider):  # the blog whose request needed it pays for it
            host.count_fetch(request, response)
        await super()._parse_robots(response, netloc, request)

    # -- the table -----------------------------------------------------------------------

    def _stored(self, url: str) -> bytes | None:
        """The stored rules of ``url`` while they are fresh; None to fetch them."""
        row = self._with_store(lambda store: store.robots_txt(url))
        if not row or not row.get("fetched"):
            return None
        try:
            age = datetime.now(timezone.utc) - datetime.fromisoformat(row["fetched"].replace("Z", "+00:00"))
        except ValueError:
            return None
        if age > self.max_age or age < timedelta(0):
            return None
        return (row.get("body") or "").encode("utf-8")

    def _save(self, url: str, status: int, body: bytes) -> None:
        text = body.decode("utf-8", errors="replace")
        self._with_store(lambda store: store.save_robots_txt(url, status, text))

    def _with_store(self, action) -> Any:
        # a cache: when the database cannot serve it, the crawl fetches robots.txt as Scrapy does
        if not self.db_path or str(self.db_path) == ":memory:":
            return None
        try:
            store = shared_store(self.db_path)
        except (StorageError, OSError) as exc:
            logger.warning("robots.txt cache unavailable (%s): fetching it", exc)
            return None
        try:
            return action(store)
        except Exception as exc:  # noqa: BLE001 - sqlite3 errors of any kind: the cache is optional
            logger.warning("robots.txt cache unavailable (%s: %s): fetching it", type(exc).__name__, exc)
            return None
        finally:
            store.close()


def _robots_url(request: Request) -> str:
    parts = urlparse_cached(request)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
