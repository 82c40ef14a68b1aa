"""A page's items go to the pipelines as one batch (batching.py), with what one by one gave."""

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from newscrawl import batching
from newscrawl.batching import ItemBatchMiddleware
from newscrawl.items import CommentItem, ItemBatch
from newscrawl.pipelines import PreparePipeline


def comment(n: int) -> CommentItem:
    return CommentItem(id=f"b:c{n}", post_id="b:p1", blog_id="b", platform_id=str(n), author=f"Reader {n}",
                       published_machine="2024-02-01T10:00:00+00:00", content_html=f"<p>comment {n}</p>")


async def _output(*values, fail: Exception | None = None):
    for value in values:
        yield value
    if fail is not None:
        raise fail


def collect(result) -> list:
    async def run():
        return [value async for value in result]
    return asyncio.run(run())


def test_a_callbacks_items_go_on_together_and_its_requests_at_once():
    request = Request("http://127.0.0.1/next")
    out = collect(ItemBatchMiddleware().process_spider_output(None, _output(comment(1), request, comment(2), comment(3))))
    assert out[0] is request
    assert isinstance(out[1], ItemBatch) and [c["id"] for c in out[1].items] == ["b:c1", "b:c2", "b:c3"]


def test_a_single_item_goes_on_as_it_is():
    out = collect(ItemBatchMiddleware().process_spider_output(None, _output(comment(1))))
    assert len(out) == 1 and isinstance(out[0], CommentItem)


def test_batches_are_bounded(monkeypatch):
    monkeypatch.setattr(batching, "MAX_BATCH_ITEMS", 4)
    out = collect(ItemBatchMiddleware().process_spider_output(None, _output(*[comment(n) for n in range(10)])))
    assert [len(batch) for batch in out] == [4, 4, 2]
    assert [c["id"] for batch in out for c in batch.items] == [f"b:c{n}" for n in range(10)]


def test_items_given_before_a_callback_failed_are_handed_on_then_the_error():
    async def run():
        seen = []
        with pytest.raises(ValueError, match="page broke"):
            async for value in ItemBatchMiddleware().process_spider_output(
                    None, _output(comment(1), comment(2), fail=ValueError("page broke"))):
                seen.append(value)
        return seen
    seen = asyncio.run(run())
    assert len(seen) == 1 and [c["id"] for c in seen[0].items] == ["b:c1", "b:c2"]


def test_an_invalid_item_in_a_batch_is_left_out_and_counted_the_others_prepared():
    crawler = get_crawler(Spider)
    crawler.spider = Spider("plain")
    crawler.stats.open_spider()
    invalid = CommentItem(id="b:c9", blog_id="b")  # no post_id
    rows = PreparePipeline(crawler).process_item(ItemBatch([comment(1), invalid, comment(2)]))
    assert [row["id"] for row in rows.comments] == ["b:c1", "b:c2"]
    assert rows.comments[0]["published"] == "2024-02-01T10:00:00+00:00"
    assert crawler.stats.get_value("newscrawl/items_dropped/CommentItem") == 1
