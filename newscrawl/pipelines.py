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

from .blogs import blog_closing, blog_of, is_blog, stats_of
from .dates import DateContext
from .items import ItemBatch
from .prepare import InvalidItem, Rows, prepare, prepare_all
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


def blog_of_item(crawler, item: Any) -> Any:
    """The blog spider an item comes from: named by its batch in a crawler of many blogs
    (``batching.py``), else the crawler's spider when it is one blog; None for other spiders."""
    return getattr(item, "blog", None) or blog_of(crawler)


class PreparePipeline(_CrawlerComponent):
    """Turns each item into :class:`~newscrawl.prepare.Rows`; the rows go on down the
    pipelines (and into ``-o`` exports) in place of the item."""

    def process_item(self, item: Any) -> Rows:
        blog = blog_of_item(self.crawler, item)
        context = blog.date_context if blog is not None else DateContext()
        stats = stats_of(self.crawler, blog)
        if isinstance(item, ItemBatch):  # a page's items (batching.py): an invalid one is left out
            rows = prepare_all(item.items, context, stats)
            if item.blog is not None:
                rows.blog = item.blog  # not a field: -o exports only the rows
            return rows
        try:
            return prepare(item, context, stats)
        except InvalidItem as error:
            stats.inc_value(f"newscrawl/items_dropped/{type(item).__name__}")
            raise DropItem(str(error)) from error


class _BlogWrites:
    """What the storage pipeline holds for one blog: rows not written yet, and its identity check."""

    def __init__(self) -> None:
        self.pending = Rows()
        # blog rows are merged by id: a spider sends its blog row again as it learns more
        self.blogs: dict[str, dict] = {}
        # blog ids this crawl may write; why it may not, once it claimed another tracked blog's
        self.identities: set[str] = set()
        self.refused: str | None = None

    def __len__(self) -> int:
        return len(self.pending) + len(self.blogs)


class StoragePipeline(_CrawlerComponent):
    """Batched, transactional writes of prepared rows.  A batch is flushed every
    ``NEWSCRAWL_BATCH_SIZE`` rows (of all the crawler's blogs) and when a blog's crawl or the
    spider closes; a killed crawl loses at most the unflushed batch, never what was committed, and
    never leaves a half-written batch.

    New and updated rows are counted in each blog's stats (``newscrawl/posts/new`` ...), which is
    where its ``crawls`` row (``bookkeeping.py``) reads them."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.db_path = settings.get("NEWSCRAWL_DB")
        self.batch_size = settings.getint("NEWSCRAWL_BATCH_SIZE", 1000)
        self.store: Store | None = None
        # blog spider (None: a spider that is no blog) -> its rows not written yet
        self.writes: dict[Any, _BlogWrites] = {}
        # why rows can no longer be written, once a write failed
        self.failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.blog_closing, signal=blog_closing)
        return pipeline

    def open_spider(self):
        self.store = self.open_store()
        logger.info("Storing into %s", self.db_path)

    def open_store(self) -> Any:
        """Where batches go and what the identity check asks (``tracked_elsewhere``): the database."""
        return shared_store(self.db_path)

    def process_item(self, item):
        if not isinstance(item, Rows):
            raise DropItem(f"StoragePipeline stores prepared rows (PreparePipeline first), not {type(item).__name__}")
        blog = blog_of_item(self.crawler, item)
        if self.failure is not None:
            # the crawl is closing: what is still in flight cannot be stored either
            stats_of(self.crawler, blog).inc_value("newscrawl/rows_unstored", len(item))
            raise DropItem(f"not stored: {self.failure}", log_level="DEBUG")
        writes = self.writes.setdefault(blog, _BlogWrites())
        refused = self.claimed_identity(item, blog, writes)
        if refused:
            stats_of(self.crawler, blog).inc_value("newscrawl/rows_unstored", len(item))
            raise DropItem(refused, log_level="DEBUG")
        for row in item.blogs:
            writes.blogs.setdefault(row["id"], {}).update(row)
        writes.pending.posts.extend(item.posts)
        writes.pending.comments.extend(item.comments)
        writes.pending.links.update(item.links)
        if sum(len(pending) for pending in self.writes.values()) >= self.batch_size:
            self.flush()
        return item

    def claimed_identity(self, item: Rows, blog: Any, writes: _BlogWrites) -> str | None:
        """Why ``item`` is refused: its rows belong to a blog tracked at another address (row ids
        come from what a site says it is, and a site can say it is any blog). The blog's crawl stops
        there, recorded in errors; None when the rows are this crawl's to write."""
        if blog is None:
            return None
        claimed = {row["id"] for row in item.blogs} | {row.get("blog_id") for row in (*item.posts, *item.comments)}
        for blog_id in claimed - writes.identities - {None}:
            owner = self.store.tracked_elsewhere(blog_id, blog.start_url)
            if owner is None:
                writes.identities.add(blog_id)
                continue
            if writes.refused is None:
                writes.refused = (f"{blog.start_url} says it is {blog_id}, the blog tracked at {owner}: "
                                  "its rows are not written (another address cannot take a tracked blog's rows)")
                blog.record_failure(blog.start_url, None, writes.refused)
                blog.crawler.stats.set_value("newscrawl/identity_refused", blog_id)
                self.stop_crawl(writes.refused, IDENTITY_REFUSED, blog)
            return writes.refused
        return None

    def flush(self, closing: bool = False) -> None:
        """Write what every blog has pending."""
        for blog in list(self.writes):
            if not self.flush_blog(blog, closing):
                return

    def flush_blog(self, blog: Any, closing: bool = False) -> bool:
        """Write what ``blog`` has pending; False when the database cannot be written (any more)."""
        if self.failure is not None:
            return False
        writes = self.writes.get(blog)
        if writes is None or not len(writes):
            return True
        try:
            self.write_batch(list(writes.blogs.values()), writes.pending, blog)
        except self.write_errors as exc:
            self.storage_failed(exc, closing)
            return False
        # blog rows are kept: later batches re-send them only if they changed
        writes.blogs = {}
        writes.pending = Rows()
        return True

    # What write_batch raises when a batch cannot be written: the crawl stops (storage_failed).
    write_errors: tuple[type[Exception], ...] = (sqlite3.Error, StorageError)

    def write_batch(self, blogs: list[dict], rows: Rows, blog: Any) -> None:
        """One blog's batch into the database, in one transaction; what was new and updated is counted."""
        counts = self.store.write_rows(blogs, rows.posts, rows.comments, rows.links,
                                       touch_seen=self.touches_seen(blog))
        stats = stats_of(self.crawler, blog)
        for table in ("posts", "comments"):
            stats.inc_value(f"newscrawl/{table}/new", counts.new[table])
            stats.inc_value(f"newscrawl/{table}/updated", counts.updated[table])

    @staticmethod
    def touches_seen(blog: Any) -> bool:
        """An incremental crawl writes only what changed; a full one also touches ``last_seen``."""
        return blog is None or blog.mode == "full"

    def storage_failed(self, exc: Exception, closing: bool) -> None:
        """A batch that cannot be written (a full disk, a database changed under us): retrying it
        with every item would only repeat the error, so the crawl stops, every blog of it. Committed
        batches stay; what was pending is counted as lost, and the crawls are recorded as failed
        (bookkeeping.py)."""
        self.failure = f"cannot write to {self.db_path}: {exc}"
        for blog, writes in self.writes.items():
            stats_of(self.crawler, blog).inc_value("newscrawl/rows_unstored", len(writes))
        self.writes = {}
        logger.error("%s; the crawl stops (what was stored before is kept)", self.failure)
        self.stop_crawl(self.failure, None if closing else STORAGE_FAILED)

    def stop_crawl(self, why: str, close_reason: str | None, blog: Any = None) -> None:
        """Rows cannot, or may not, be written: the crawl (``blog``'s alone, in a crawler of many
        blogs; else the crawler's) is failed with ``why`` (its ``crawls`` row, bookkeeping.py) and
        closed with ``close_reason`` (None: closing already)."""
        host = self.crawler.spider
        if blog is not None and not is_blog(host):
            blog.crawler.stats.set_value("newscrawl/failed", why)
            host.stop_blog(blog, close_reason or why)
            return
        self.crawler.stats.set_value("newscrawl/failed", why)
        if close_reason is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=close_reason))

    def blog_closing(self, blog: Any, reason: str) -> None:
        """A blog's crawl ends: its rows are written before its outcome is recorded."""
        if self.store is not None:
            self.flush_blog(blog)
        self.writes.pop(blog, None)
        if self.failure is not None:  # the database failed under the whole crawler
            blog.crawler.stats.set_value("newscrawl/failed", self.failure)

    def close_spider(self):
        try:
            self.flush(closing=True)
        finally:
            self.store.close()
            self.store = None
