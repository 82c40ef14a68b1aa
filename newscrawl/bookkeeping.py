"""What a crawl leaves for the next one: a Scrapy extension, wired in ``EXTENSIONS``.

Modelled on ``scrapy/extensions/spiderstate.py``: state is loaded on ``spider_opened``
(which Scrapy 2.19 sends before it asks the spider's ``start()`` for its first request,
see ``tests/test_bookkeeping.py``) and saved on ``spider_closed`` (sent after the item
pipelines closed, so every row is written by then).

On open:  the ``crawls`` row (status ``running``), the marks and validators the last
          complete crawl of the address left (``spider.previous_state``) and the URLs
          earlier crawls could not read (``spider.failures``, fetched again).
On close: what failed into ``errors`` (and what was read at last marked resolved); a
          complete crawl moves the marks (``spider.next_state``) and, when it re-read the
          whole blog, marks ``deleted`` the posts and comments it no longer found; the
          ``crawls`` row gets its figures and status.

Only :class:`~newscrawl.spiders.base.BlogSpider` spiders are kept books for.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from scrapy import signals

from .prepare import Rows
from .spiders.base import BlogSpider
from .storage import StorageError, Store

logger = logging.getLogger(__name__)


class CrawlBookkeeping:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("NEWSCRAWL_DB")
        self.store: Store | None = None
        self.crawl_id: int | None = None
        self.blog_id: str | None = None  # the blog row this crawl wrote (a blog that cannot be read has one too)
        # ids read in this crawl: after a complete full re-read, what was not read is gone
        self.seen: dict[str, set[str]] = {"posts": set(), "comments": set()}
        # this crawl's own errors (a callback or a pipeline that raised): Scrapy's log_count/ERROR
        # counts every crawler's errors in the process, so another blog's would land here too
        self.own_errors = 0

    @classmethod
    def from_crawler(cls, crawler) -> "CrawlBookkeeping":
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.own_error, signal=signals.spider_error)
        crawler.signals.connect(extension.own_error, signal=signals.item_error)
        return extension

    # -- open ----------------------------------------------------------------------------

    def spider_opened(self, spider) -> None:
        if not isinstance(spider, BlogSpider):
            return
        self.store = Store(self.db_path)
        self.crawl_id = self.store.start_crawl(spider.name, spider.start_url,
                                               run=self.crawler.settings.get("NEWSCRAWL_RUN_ID"))
        # an incremental crawl resumes from what the last complete one left
        spider.previous_state = self.store.crawl_state(spider.start_url)
        # what earlier crawls could not read is fetched again (failures.py)
        spider.failures.expect_retries(self.store.unresolved_errors(spider.start_url))
        logger.info("Crawl %s of %s into %s", self.crawl_id, spider.start_url, self.db_path)

    # -- during the crawl ----------------------------------------------------------------

    def item_scraped(self, item, spider) -> None:
        if self.store is None or not isinstance(item, Rows):
            return
        if item.blogs:
            self.blog_id = item.blogs[-1]["id"]
        if spider.mode == "full":  # only a full re-read concludes anything from what it did not see
            self.seen["posts"].update(row["id"] for row in item.posts)
            self.seen["comments"].update(row["id"] for row in item.comments)

    def own_error(self, failure, response=None, spider=None, item=None) -> None:
        self.own_errors += 1
        self.stats.inc_value("newscrawl/errors/raised")

    # -- close ---------------------------------------------------------------------------

    def spider_closed(self, spider, reason: str) -> None:
        """Write the crawls row: what this run fetched, stored and failed."""
        if self.store is None:
            return
        stats = self.stats.get_stats()
        complete = reason == "finished" and crawl_was_complete(stats)
        # why the crawl failed as a whole: its rows could not, or may not, be written (pipelines.py)
        failure = stats.get("newscrawl/failed")
        try:
            failures = self.record_failures(spider)
            if complete:
                self.advance_state(spider)
            self.store.finish_crawl(
                self.crawl_id,
                # a crawl refused for claiming another tracked blog's id wrote none of its rows
                blog_id=None if stats.get("newscrawl/identity_refused") else spider.blog_key or self.blog_id,
                status="failed" if failure else reason,
                reason=failure,
                requests=stats.get("downloader/request_count", 0),
                responses_not_modified=stats.get("downloader/response_status_count/304", 0),
                posts_new=stats.get("newscrawl/posts/new", 0),
                posts_updated=stats.get("newscrawl/posts/updated", 0),
                comments_new=stats.get("newscrawl/comments/new", 0),
                comments_updated=stats.get("newscrawl/comments/updated", 0),
                items_skipped=sum(v for k, v in stats.items() if k.startswith("newscrawl/items_dropped/")),
                errors=failures,
                stats=json.dumps(stats, default=str, sort_keys=True),
            )
        except (sqlite3.Error, StorageError) as exc:
            # the crawls row stays "running": the next run marks it interrupted
            logger.error("Could not record crawl %s of %s in %s: %s", self.crawl_id, spider.start_url,
                         self.db_path, exc)
        finally:
            self.store.close()
            self.store = None

    def record_failures(self, spider: BlogSpider) -> int:
        """Write what this crawl could not read into ``errors``; mark resolved what it
        read at last.  Returns the number of failed URLs."""
        log = spider.failures
        self.store.record_errors(spider.start_url, self.crawl_id, log.rows())
        resolved = self.store.resolve_errors(log.resolved())
        if resolved:
            logger.info("%d URL(s) that failed before were read this time", resolved)
            self.stats.set_value("newscrawl/errors/resolved", resolved)
        return len(log.failed)

    def advance_state(self, spider: BlogSpider) -> None:
        """Only a complete crawl moves the high-water marks (a failed page must be
        read again next time) and may conclude that unread rows are gone."""
        if spider.next_state:
            self.store.save_crawl_state(spider.start_url, spider.next_state)
        if spider.mode == "full" and spider.blog_key and self.seen["posts"]:
            for table in ("posts", "comments"):
                gone = self.store.mark_missing_deleted(table, spider.blog_key, self.seen[table])
                self.stats.set_value(f"newscrawl/{table}/gone", gone)
                if gone:
                    logger.warning("%d %s of %s are no longer on the blog: marked deleted", gone, table, spider.blog_key)


def crawl_was_complete(stats: dict[str, Any]) -> bool:
    """No error of this crawl's own (its crawler's stats, never the process-wide log counts), no
    failed page, no post short of its comments."""
    return not (
        stats.get("newscrawl/failed")
        or stats.get("newscrawl/errors/raised", 0)
        or stats.get("newscrawl/errors", 0)
        or stats.get("newscrawl/posts/comments_short", 0)
        or stats.get("newscrawl/pages/comments_unparsed", 0)
    )
