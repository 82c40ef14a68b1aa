"""A spider middleware that hands the items of one response to the pipelines together.

A Blogger comments feed page carries 150 comments, a WordPress REST page 100: one by one, each
went through Scrapy's scraper chain, both pipelines, the ``item_scraped`` signal and a debug log
record, which cost more than parsing it (bench/README.md, issue 19).  Grouped per response into
an :class:`~newscrawl.items.ItemBatch`, they cost that once per page.  Requests pass at once; a
callback's items are stored as before, in order, also when the callback fails half-way (the items
it gave before the exception are handed on, then the exception goes on to Scrapy)."""

from __future__ import annotations

from typing import Any, AsyncIterator

from itemadapter import is_item

from .blogs import blog_of, is_blog
from .items import ItemBatch

# Items in one batch at most: a page is rarely larger, and a batch is held in memory whole.
MAX_BATCH_ITEMS = 1000


class ItemBatchMiddleware:
    """Groups each callback's items (not its requests) into batches of up to
    :data:`MAX_BATCH_ITEMS`; a single item goes on as it is.  Placed next to the spider in
    ``SPIDER_MIDDLEWARES``, so the other middlewares see a page's items once.

    In a crawler of many blogs (``blogs.py``) every item goes on in a batch that names its blog,
    which the pipelines need and Scrapy does not hand them."""

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ItemBatchMiddleware":
        return cls(crawler)

    async def process_spider_output(self, response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        blog = None
        if self.crawler is not None and not is_blog(self.crawler.spider):
            blog = blog_of(self.crawler, response.request)
        batch: list[Any] = []
        try:
            async for output in result:
                if is_item(output) and not isinstance(output, ItemBatch):
                    batch.append(output)
                    if len(batch) >= MAX_BATCH_ITEMS:
                        yield ItemBatch(batch, blog)
                        batch = []
                else:
                    yield output
        except Exception:
            if batch:  # what the callback gave before it failed is stored, as item by item it was
                yield _handed_on(batch, blog)
            raise
        if batch:
            yield _handed_on(batch, blog)


def _handed_on(batch: list[Any], blog: Any) -> Any:
    return batch[0] if len(batch) == 1 and blog is None else ItemBatch(batch, blog)
