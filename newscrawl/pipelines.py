"""Item pipelines, small and ordered in ``settings.ITEM_PIPELINES``:

1. ``ValidateItemsPipeline``  drop (and count) items without the ids they must have
2. ``NormalizeDatesPipeline`` machine value or display string -> one UTC date + its source
3. ``SplitCommentsPipeline``  a post's nested comments -> flat rows linked to post and parent
4. ``ExtractLinksPipeline``   a post's outbound links -> rows of the links table
   ``SplitCommentaryPipeline`` a post's body -> quoted source material and the author's commentary
5. ``StoragePipeline``        batched upserts into SQLite (``storage.py``) + the crawls row

Steps 2 and 3 are plain functions too (``normalize_item_dates``, ``split_comments``) so
``newscrawl extract`` runs exactly what a crawl runs, without Scrapy.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from .dates import DateContext, normalize_date
from .items import TRANSIENT_FIELDS, BlogItem, CommentItem, PostItem
from .commentary import split_commentary
from .links import outbound_links
from .storage import Store, WriteCounts

logger = logging.getLogger(__name__)


def _spider_date_context(crawler) -> DateContext:
    spider = getattr(crawler, "spider", None)
    context = getattr(spider, "date_context", None)
    return context if isinstance(context, DateContext) else DateContext()


class _CrawlerComponent:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


# -- 1. validate --------------------------------------------------------------------


REQUIRED = {PostItem: ("id", "blog_id"), CommentItem: ("id", "post_id"), BlogItem: ("id",)}


def missing_fields(item: Any) -> list[str]:
    required = REQUIRED.get(type(item), ())
    return [name for name in required if not item.get(name)]


class ValidateItemsPipeline(_CrawlerComponent):
    def process_item(self, item):
        missing = missing_fields(item)
        if missing:
            self.stats.inc_value(f"newscrawl/items_dropped/{type(item).__name__}")
            raise DropItem(f"{type(item).__name__} without {', '.join(missing)}: {dict(item)!r:.300}")
        return item


# -- 2. dates ----------------------------------------------------------------------


_DATE_FIELDS = {PostItem: ("published", "updated"), CommentItem: ("published",)}


def normalize_item_dates(item: Any, context: DateContext, stats=None, reference: Any = None) -> Any:
    """Fill ``<field>``, ``<field>_raw`` and ``<field>_source`` for every date of the item
    (and of the comments it carries); count dates that could not be read.

    A post's comments are read with the post's date as reference: the day of a
    time-only stamp, the year of a date shown without one."""
    for name in _DATE_FIELDS.get(type(item), ()):
        machine = item.get(f"{name}_machine")
        display = item.get(f"{name}_raw")
        if machine is None and display is None:
            continue
        result = normalize_date(machine, display, context, reference=reference)
        item[name] = result.value
        item[f"{name}_raw"] = result.raw
        item[f"{name}_source"] = result.source
        if stats is not None:
            key = result.source or "unparsed"
            stats.inc_value(f"newscrawl/dates/{key}")
        if result.value is None:
            logger.warning("Unreadable %s date %r on %s", name, result.raw, item.get("url") or item.get("id"))
    if isinstance(item, PostItem):
        for comment in item.get("comments") or ():
            normalize_item_dates(comment, context, stats, reference=item.get("published"))
    for reply in item.get("replies") or () if isinstance(item, CommentItem) else ():
        normalize_item_dates(reply, context, stats, reference=reference)
    return item


class NormalizeDatesPipeline(_CrawlerComponent):
    def process_item(self, item):
        return normalize_item_dates(item, _spider_date_context(self.crawler), self.stats)


# -- 3. split comments ---------------------------------------------------------------


def split_comments(post: PostItem) -> list[CommentItem]:
    """The post's comment tree as flat rows, each linked to the post and its parent.

    Replies get the id of the comment they are nested in, unless the parser already
    knew a parent (feeds carry it explicitly).
    """
    flat: list[CommentItem] = []

    def walk(comments, parent_id):
        for comment in comments or ():
            comment.setdefault("post_id", post["id"])
            comment.setdefault("blog_id", post.get("blog_id"))
            if parent_id and not comment.get("parent_id"):
                comment["parent_id"] = parent_id
            replies = comment.pop("replies", None)
            flat.append(comment)
            walk(replies, comment["id"])

    walk(post.get("comments"), None)
    return flat


class SplitCommentsPipeline(_CrawlerComponent):
    def process_item(self, item):
        if isinstance(item, PostItem) and item.get("comments") is not None:
            comments = split_comments(item)
            item["comments"] = comments
            self.stats.inc_value("newscrawl/comments/from_post_pages", len(comments))
        elif isinstance(item, CommentItem) and item.get("replies"):
            raise DropItem("a standalone comment must not carry replies; parsers emit them flat")
        return item


# -- 4. links ------------------------------------------------------------------------


def post_links(post: PostItem) -> list[dict[str, Any]]:
    """The outbound links of a post body, as rows of the links table."""
    rows = outbound_links(post.get("content_html"), post.get("url") or "")
    for row in rows:
        row["post_id"] = post["id"]
        row["blog_id"] = post.get("blog_id")
    return rows


class ExtractLinksPipeline(_CrawlerComponent):
    def process_item(self, item):
        if isinstance(item, PostItem) and item.get("content_html"):
            item["links"] = post_links(item)
            self.stats.inc_value("newscrawl/links", len(item["links"]))
        return item


def add_commentary(post: PostItem) -> PostItem:
    """Split the body into what it quotes and what the author adds (``commentary.py``)."""
    if post.get("content_html"):
        split = split_commentary(post["content_html"], post.get("url") or "")
        post["quoted_text"] = split.quoted_text
        post["commentary_text"] = split.commentary_text
        post["commentary_method"] = split.method
    return post


class SplitCommentaryPipeline(_CrawlerComponent):
    def process_item(self, item):
        if isinstance(item, PostItem):
            add_commentary(item)
        return item


# -- 5. storage ----------------------------------------------------------------------


def item_to_row(item: Any) -> dict[str, Any]:
    return {k: v for k, v in ItemAdapter(item).items() if k not in TRANSIENT_FIELDS}


class StoragePipeline(_CrawlerComponent):
    """Batched, transactional writes.  A batch is flushed every ``NEWSCRAWL_BATCH_SIZE``
    rows and when the spider closes; a killed crawl loses at most the unflushed batch,
    never what was committed, and never leaves a half-written batch."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.db_path = settings.get("NEWSCRAWL_DB")
        self.batch_size = settings.getint("NEWSCRAWL_BATCH_SIZE", 1000)
        self.store: Store | None = None
        self.crawl_id: int | None = None
        self.blog_id: str | None = None  # the blog row this crawl wrote (a blog that cannot be read has one too)
        self.blogs: dict[str, dict] = {}
        self.posts: list[dict] = []
        self.comments: list[dict] = []
        self.links: dict[str, list[dict]] = {}
        # ids read in this crawl: after a complete full re-read, what was not read is gone
        self.seen: dict[str, set[str]] = {"posts": set(), "comments": set()}
        self.full = True
        self.pending = 0
        self.totals = WriteCounts()
        self.started = time.monotonic()

    def open_spider(self):
        self.store = Store(self.db_path)
        spider = self.crawler.spider
        self.crawl_id = self.store.start_crawl(spider.name, getattr(spider, "start_url", None))
        self.full = getattr(spider, "mode", "full") == "full"
        # an incremental crawl resumes from what the last complete one left
        if hasattr(spider, "previous_state") and spider.start_url:
            spider.previous_state = self.store.crawl_state(spider.start_url)
        # what earlier crawls could not read is fetched again (failures.py)
        if hasattr(spider, "failures") and spider.start_url:
            spider.failures.expect_retries(self.store.unresolved_errors(spider.start_url))
        logger.info("Storing into %s (crawl %s)", self.db_path, self.crawl_id)

    def process_item(self, item):
        if isinstance(item, BlogItem):
            row = item_to_row(item)
            self.blogs.setdefault(row["id"], {}).update(row)
            self.blog_id = row["id"]
        elif isinstance(item, PostItem):
            self.posts.append(item_to_row(item))
            self.note_seen("posts", item)
            if item.get("links") is not None:
                self.links[item["id"]] = item["links"]
            for comment in item.get("comments") or ():
                self.comments.append(item_to_row(comment))
                self.note_seen("comments", comment)
        elif isinstance(item, CommentItem):
            self.comments.append(item_to_row(item))
            self.note_seen("comments", item)
        self.pending = len(self.posts) + len(self.comments) + len(self.blogs)
        if self.pending >= self.batch_size:
            self.flush()
        return item

    def note_seen(self, table: str, item) -> None:
        # only a full re-read concludes anything from what it did not see
        if self.full:
            self.seen[table].add(item["id"])

    def flush(self) -> None:
        if not (self.blogs or self.posts or self.comments):
            return
        counts = self.store.write_rows(self.blogs.values(), self.posts, self.comments, self.links,
                                       touch_seen=self.full)
        self.totals.add(counts)
        for table in ("posts", "comments"):
            self.stats.inc_value(f"newscrawl/{table}/new", counts.new[table])
            self.stats.inc_value(f"newscrawl/{table}/updated", counts.updated[table])
        # blog rows are kept: later batches re-send them only if they changed
        self.blogs = {}
        self.posts, self.comments, self.links, self.pending = [], [], {}, 0

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # spider_closed comes after every pipeline closed and carries the finish reason
        crawler.signals.connect(pipeline.record_crawl, signal=signals.spider_closed)
        return pipeline

    def close_spider(self):
        self.flush()

    def record_crawl(self, spider, reason):
        """Write the crawls row: what this run fetched, stored and failed."""
        if self.store is None:
            return
        stats = self.crawler.stats.get_stats()
        complete = reason == "finished" and crawl_was_complete(stats)
        try:
            failures = self.record_failures(spider)
            if complete:
                self.advance_state(spider)
            self.store.finish_crawl(
                self.crawl_id,
                blog_id=getattr(spider, "blog_key", None) or self.blog_id,
                status=reason,
                requests=stats.get("downloader/request_count", 0),
                responses_not_modified=stats.get("downloader/response_status_count/304", 0),
                posts_new=self.totals.new["posts"],
                posts_updated=self.totals.updated["posts"],
                comments_new=self.totals.new["comments"],
                comments_updated=self.totals.updated["comments"],
                items_skipped=sum(v for k, v in stats.items() if k.startswith("newscrawl/items_dropped/")),
                errors=failures,
                stats=json.dumps(stats, default=str, sort_keys=True),
            )
        finally:
            self.store.close()
            self.store = None

    def record_failures(self, spider) -> int:
        """Write what this crawl could not read into ``errors``; mark resolved what it
        read at last.  Returns the number of failed URLs."""
        log = getattr(spider, "failures", None)
        if log is None or not getattr(spider, "start_url", None):
            return 0
        self.store.record_errors(spider.start_url, self.crawl_id, log.rows())
        resolved = self.store.resolve_errors(log.resolved())
        if resolved:
            logger.info("%d URL(s) that failed before were read this time", resolved)
            self.stats.set_value("newscrawl/errors/resolved", resolved)
        return len(log.failed)

    def advance_state(self, spider) -> None:
        """Only a complete crawl moves the high-water marks (a failed page must be
        read again next time) and may conclude that unread rows are gone."""
        next_state = getattr(spider, "next_state", None)
        if next_state and spider.start_url:
            self.store.save_crawl_state(spider.start_url, next_state)
        blog_id = getattr(spider, "blog_key", None)
        if self.full and blog_id and self.seen["posts"]:
            for table in ("posts", "comments"):
                gone = self.store.mark_missing_deleted(table, blog_id, self.seen[table])
                self.stats.set_value(f"newscrawl/{table}/gone", gone)
                if gone:
                    logger.warning("%d %s of %s are no longer on the blog: marked deleted", gone, table, blog_id)


def crawl_was_complete(stats: dict[str, Any]) -> bool:
    """No error, no failed page, no post short of its comments."""
    return not (
        stats.get("log_count/ERROR", 0)
        or stats.get("newscrawl/errors", 0)
        or stats.get("newscrawl/posts/comments_short", 0)
        or stats.get("newscrawl/pages/comments_unparsed", 0)
    )
