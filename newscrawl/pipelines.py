"""Item pipelines: two steps, ordered in ``settings.ITEM_PIPELINES``.

1. ``PreparePipeline``  a parser's item -> the rows a crawl stores (``prepare.py``: validate,
                        dates, split comments, links, commentary), read in the blog's date
                        context as the spider knows it so far
2. ``StoragePipeline``  batched upserts of those rows into SQLite (``storage.py``)

What lasts across crawls (marks, URLs to retry, the ``crawls`` row, deletions) is kept by
the ``bookkeeping.CrawlBookkeeping`` extension, not here.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from .dates import DateContext
from .prepare import InvalidItem, Rows, prepare
from .spiders.base import BlogSpider
from .storage import Store

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

    def open_spider(self):
        self.store = Store(self.db_path)
        spider = self.crawler.spider
        self.touch_seen = not isinstance(spider, BlogSpider) or spider.mode == "full"
        logger.info("Storing into %s", self.db_path)

    def process_item(self, item):
        if not isinstance(item, Rows):
            raise DropItem(f"StoragePipeline stores prepared rows (PreparePipeline first), not {type(item).__name__}")
        for row in item.blogs:
            self.blogs.setdefault(row["id"], {}).update(row)
        self.pending.posts.extend(item.posts)
        self.pending.comments.extend(item.comments)
        self.pending.links.update(item.links)
        if len(self.pending) + len(self.blogs) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        rows = self.pending
        if not (self.blogs or rows.posts or rows.comments):
            return
        counts = self.store.write_rows(self.blogs.values(), rows.posts, rows.comments, rows.links,
                                       touch_seen=self.touch_seen)
        for table in ("posts", "comments"):
            self.stats.inc_value(f"newscrawl/{table}/new", counts.new[table])
            self.stats.inc_value(f"newscrawl/{table}/updated", counts.updated[table])
        # blog rows are kept: later batches re-send them only if they changed
        self.blogs = {}
        self.pending = Rows()

    def close_spider(self):
        try:
            self.flush()
        finally:
            self.store.close()
            self.store = None
