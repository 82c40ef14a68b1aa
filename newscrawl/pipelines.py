"""Item pipelines: two steps, ordered in ``settings.ITEM_PIPELINES``.

1. ``PreparePipeline``  a parser's item -> the rows a crawl stores (``prepare.py``: validate,
                        dates, split comments, links, commentary), read in the blog's date
                        context as the spider knows it so far; a page's items arrive as one
                        ``ItemBatch`` (``batching.py``) and become one ``Rows``
2. ``StoragePipeline``  batched upserts of those rows into SQLite (``storage.py``)

What lasts across crawls (marks, URLs to retry, the ``crawls`` row, deletions) is kept by
the ``bookkeeping.CrawlBookkeeping`` extension, not here.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from .dates import DateContext
from .items import ItemBatch
from .prepare import InvalidItem, Rows, prepare, prepare_all
from .spiders.base import BlogSpider
from .storage import Store, StorageError, shared_store

# The reasons a crawl closes with when its rows cannot be written (crawling.py stops the run), and
# when its site claimed another tracked blog's id.
STORAGE_FAILED = "storage_failed"
IDENTITY_REFUSED = "identity_refused"

logger = logging.getLogger(__name__)


class _CrawlerComponent:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class PreparePipeline(_CrawlerComponent):
    """Turns each item into :class:`~newscrawl.prepare.Rows`; the rows go on down the
    pipelines (and into ``-o`` exports) in place of the item."""

    def process_item(self, item: Any) -> Rows:
        spider = self.crawler.spider
        context = spider.date_context if isinstance(spider, BlogSpider) else DateContext()
        if isinstance(item, ItemBatch):  # a page's items (batching.py): an invalid one is left out
            return prepare_all(item.items, context, self.stats)
        try:
            return prepare(item, context, self.stats)
        except InvalidItem as error:
            self.stats.inc_value(f"newscrawl/items_dropped/{type(item).__name__}")
            raise DropItem(str(error)) from error


class StoragePipeline(_CrawlerComponent):
    """Batched, transactional writes of prepared rows.  A batch is flushed every
    ``NEWSCRAWL_BATCH_SIZE`` rows and when the spider closes; a killed crawl loses at most
    the unflushed batch, never what was committed, and never leaves a half-written batch.

    New and updated rows are counted in the stats (``newscrawl/posts/new`` ...), which is
    where the ``crawls`` row (``bookkeeping.py``) reads them."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.db_path = settings.get("NEWSCRAWL_DB")
        self.batch_size = settings.getint("NEWSCRAWL_BATCH_SIZE", 1000)
        self.store: Store | None = None
        self.pending = Rows()
        # blog rows are merged by id: a spider sends its blog row again as it learns more
        self.blogs: dict[str, dict] = {}
        # an incremental crawl writes only what changed; a full one also touches last_seen
        self.touch_seen = True
        # why rows can no longer be written, once a write failed
        self.failure: str | None = None
        # blog ids this crawl may write; why it may not, once it claimed another tracked blog's
        self.identities: set[str] = set()
        self.refused: str | None = None

    def open_spider(self):
        self.store = self.open_store()
        spider = self.crawler.spider
        self.touch_seen = not isinstance(spider, BlogSpider) or spider.mode == "full"
        logger.info("Storing into %s", self.db_path)

    def open_store(self) -> Any:
        """Where batches go and what the identity check asks (``tracked_elsewhere``): the database."""
        return shared_store(self.db_path)

    def process_item(self, item):
        if not isinstance(item, Rows):
            raise DropItem(f"StoragePipeline stores prepared rows (PreparePipeline first), not {type(item).__name__}")
        if self.failure is not None:
            # the crawl is closing: what is still in flight cannot be stored either
            self.stats.inc_value("newscrawl/rows_unstored", len(item))
            raise DropItem(f"not stored: {self.failure}", log_level="DEBUG")
        refused = self.claimed_identity(item)
        if refused:
            self.stats.inc_value("newscrawl/rows_unstored", len(item))
            raise DropItem(refused, log_level="DEBUG")
        for row in item.blogs:
            self.blogs.setdefault(row["id"], {}).update(row)
        self.pending.posts.extend(item.posts)
        self.pending.comments.extend(item.comments)
        self.pending.links.update(item.links)
        if len(self.pending) + len(self.blogs) >= self.batch_size:
            self.flush()
        return item

    def claimed_identity(self, item: Rows) -> str | None:
        """Why ``item`` is refused: its rows belong to a blog tracked at another address (row ids
        come from what a site says it is, and a site can say it is any blog). The crawl stops
        there, recorded in errors; None when the rows are this crawl's to write."""
        spider = self.crawler.spider
        if not isinstance(spider, BlogSpider):
            return None
        claimed = {row["id"] for row in item.blogs} | {row.get("blog_id") for row in (*item.posts, *item.comments)}
        for blog_id in claimed - self.identities - {None}:
            owner = self.store.tracked_elsewhere(blog_id, spider.start_url)
            if owner is None:
                self.identities.add(blog_id)
                continue
            if self.refused is None:
                self.refused = (f"{spider.start_url} says it is {blog_id}, the blog tracked at {owner}: "
                                "its rows are not written (another address cannot take a tracked blog's rows)")
                spider.record_failure(spider.start_url, None, self.refused)
                self.stats.set_value("newscrawl/identity_refused", blog_id)
                self.stop_crawl(self.refused, IDENTITY_REFUSED)
            return self.refused
        return None

    def flush(self, closing: bool = False) -> None:
        rows = self.pending
        if not (self.blogs or rows.posts or rows.comments) or self.failure is not None:
            return
        try:
            self.write_batch(list(self.blogs.values()), rows)
        except self.write_errors as exc:
            self.storage_failed(exc, closing)
            return
        # blog rows are kept: later batches re-send them only if they changed
        self.blogs = {}
        self.pending = Rows()

    # What write_batch raises when a batch cannot be written: the crawl stops (storage_failed).
    write_errors: tuple[type[Exception], ...] = (sqlite3.Error, StorageError)

    def write_batch(self, blogs: list[dict], rows: Rows) -> None:
        """One batch into the database, in one transaction; what was new and updated is counted."""
        counts = self.store.write_rows(blogs, rows.posts, rows.comments, rows.links, touch_seen=self.touch_seen)
        for table in ("posts", "comments"):
            self.stats.inc_value(f"newscrawl/{table}/new", counts.new[table])
            self.stats.inc_value(f"newscrawl/{table}/updated", counts.updated[table])

    def storage_failed(self, exc: Exception, closing: bool) -> None:
        """A batch that cannot be written (a full disk, a database changed under us): retrying it
        with every item would only repeat the error, so the crawl stops. Committed batches stay;
        this one is counted as lost, and the crawl is recorded as failed (bookkeeping.py)."""
        self.failure = f"cannot write to {self.db_path}: {exc}"
        self.stats.inc_value("newscrawl/rows_unstored", len(self.pending) + len(self.blogs))
        self.blogs, self.pending = {}, Rows()
        logger.error("%s; the crawl stops (what was stored before is kept)", self.failure)
        self.stop_crawl(self.failure, None if closing else STORAGE_FAILED)

    def stop_crawl(self, why: str, close_reason: str | None) -> None:
        """This crawl's rows cannot, or may not, be written: it is failed with ``why`` (the
        ``crawls`` row, bookkeeping.py) and closed with ``close_reason`` (None: closing already)."""
        self.stats.set_value("newscrawl/failed", why)
        if close_reason is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=close_reason))

    def close_spider(self):
        try:
            self.flush(closing=True)
        finally:
            self.store.close()
            self.store = None
