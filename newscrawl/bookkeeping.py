"""What a crawl leaves for the next one: a Scrapy extension, wired in ``EXTENSIONS``.

Modelled on ``scrapy/extensions/spiderstate.py``, per blog: a crawler crawls one blog or many
(``blogs.py``), and each blog's books are opened on ``blogs.blog_opened`` (a one-blog crawler
sends it on ``spider_opened``, which Scrapy 2.19 sends before it asks the spider's ``start()``
for its first request, see ``tests/test_bookkeeping.py``) and closed on ``blogs.blog_closed``
(sent after the blog's rows are written: the pipelines closed, or ``blog_closing`` flushed them).

On open:  the ``crawls`` row (status ``running``), the marks and validators the last
          complete crawl of the address left (``spider.previous_state``) and the URLs
          earlier crawls could not read (``spider.failures``, fetched again).
On close: what failed into ``errors`` (and what was read at last marked resolved); a
          complete crawl moves the marks (``spider.next_state``) and, when it re-read the
          whole blog, marks ``deleted`` the posts and comments it no longer found; the
          ``crawls`` row gets its figures (the blog's own stats) and status.

Only :class:`~newscrawl.spiders.base.BlogSpider` spiders are kept books for.

What is read on open and written on close are two plain, JSON-serializable values,
:class:`CrawlState` and :class:`CrawlOutcome`: a local crawl loads and applies them here, in
the crawl's own process; a distributed crawl (``newscrawl.distributed``) loads the state on
the coordinator, ships it to a worker in the job, and applies the outcome the worker sends
back.  One path through the database either way.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals

from .blogs import blog_closed, blog_of, blog_opened, stats_of
from .prepare import Rows
from .spiders.base import BlogSpider
from .dates import utc_now
from .storage import Store, StorageError, shared_store

logger = logging.getLogger(__name__)


@dataclass
class CrawlState:
    """What the crawl of one blog reads from the database before it starts: the marks and
    validators the last complete crawl left (``previous_state``), the unresolved errors rows of
    earlier crawls (fetched again) and, for a crawl that runs without the database (a worker),
    the stored robots.txt of the blog's host (URL -> ``robots_txt`` row)."""

    url: str
    previous_state: dict[str, Any] = field(default_factory=dict)
    retries: list[dict[str, Any]] = field(default_factory=list)
    robots: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, url: str, with_robots: bool = False) -> "CrawlState":
        robots = {}
        if with_robots:
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            row = store.robots_txt(robots_url)
            if row:
                robots[robots_url] = dict(row)
        return cls(url=url, previous_state=store.crawl_state(url), retries=store.unresolved_errors(url),
                   robots=robots)

    def apply(self, spider: BlogSpider) -> None:
        # an incremental crawl resumes from what the last complete one left
        spider.previous_state = dict(self.previous_state)
        # what earlier crawls could not read is fetched again (failures.py)
        spider.failures.expect_retries(self.retries)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CrawlState":
        return cls(**data)


@dataclass
class CrawlOutcome:
    """What the crawl of one blog leaves, as it closes: its figures and stats, the URLs it failed
    on and those it read at last, the next marks (a complete crawl only), the ids a complete full
    re-read found (for deletion marking, done where the stored rows are) and the robots.txt it
    fetched.  ``apply`` writes it: ``errors``, ``crawl_state``, deletions and the ``crawls`` row."""

    spider: str
    url: str
    mode: str
    reason: str
    complete: bool
    blog_id: str | None
    stats: dict[str, Any]
    failed: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    next_state: dict[str, Any] = field(default_factory=dict)
    seen: dict[str, list[str]] | None = None
    robots: list[dict[str, Any]] = field(default_factory=list)
    started: str | None = None
    finished: str | None = None
    host: str | None = None
    pid: int | None = None

    @classmethod
    def of(cls, spider: BlogSpider, stats: dict[str, Any], reason: str, blog_id: str | None,
           seen: dict[str, set[str]], started: str | None = None) -> "CrawlOutcome":
        complete = reason == "finished" and crawl_was_complete(stats)
        full_reread = complete and spider.mode == "full" and bool(spider.blog_key) and bool(seen["posts"])
        return cls(
            spider=spider.name, url=spider.start_url, mode=spider.mode, reason=reason, complete=complete,
            # a crawl refused for claiming another tracked blog's id wrote none of its rows
            blog_id=None if stats.get("newscrawl/identity_refused") else spider.blog_key or blog_id,
            # JSON values as the crawls row stores them (datetimes as text)
            stats=json.loads(json.dumps(stats, default=str)),
            failed=spider.failures.rows(), resolved=spider.failures.resolved(),
            next_state=dict(spider.next_state) if complete else {},
            seen={table: sorted(ids) for table, ids in seen.items()} if full_reread else None,
            started=started, finished=utc_now(), host=socket.gethostname(), pid=os.getpid(),
        )

    def apply(self, store: Store, crawl_id: int, times: bool = False) -> dict[str, Any]:
        """Write this outcome into ``store`` for the ``crawls`` row ``crawl_id``; returns the stats it
        added (errors resolved, rows gone).  ``times``: the row takes this outcome's start and end,
        host and process (a crawl that ran elsewhere), not the time it is written."""
        # one transaction: the outcome (errors, marks, rows gone, robots.txt, the crawls row) lands
        # whole or not at all; one commit instead of one per write
        with store.transaction():
            return self._write(store, crawl_id, times)

    def _write(self, store: Store, crawl_id: int, times: bool) -> dict[str, Any]:
        added: dict[str, Any] = {}
        store.record_errors(self.url, crawl_id, self.failed)
        resolved = store.resolve_errors(self.resolved)
        if resolved:
            logger.info("%d URL(s) that failed before were read this time", resolved)
            added["newscrawl/errors/resolved"] = resolved
        if self.complete:
            # only a complete crawl moves the high-water marks (a failed page must be read again next
            # time) and may conclude that unread rows are gone
            if self.next_state:
                store.save_crawl_state(self.url, self.next_state)
            if self.seen is not None and self.blog_id:
                for table in ("posts", "comments"):
                    gone = store.mark_missing_deleted(table, self.blog_id, set(self.seen.get(table, ())))
                    added[f"newscrawl/{table}/gone"] = gone
                    if gone:
                        logger.warning("%d %s of %s are no longer on the blog: marked deleted", gone, table,
                                       self.blog_id)
        for robots in self.robots:
            store.save_robots_txt(robots["url"], robots["status"], robots["body"])
        stats = {**self.stats, **added}
        # why the crawl failed as a whole: its rows could not, or may not, be written (pipelines.py)
        failure = stats.get("newscrawl/failed")
        extra = {"started": self.started, "finished": self.finished, "host": self.host, "pid": self.pid} \
            if times else {}
        store.finish_crawl(
            crawl_id,
            blog_id=self.blog_id,
            status="failed" if failure else self.reason,
            reason=failure,
            requests=stats.get("downloader/request_count", 0),
            responses_not_modified=stats.get("downloader/response_status_count/304", 0),
            posts_new=stats.get("newscrawl/posts/new", 0),
            posts_updated=stats.get("newscrawl/posts/updated", 0),
            comments_new=stats.get("newscrawl/comments/new", 0),
            comments_updated=stats.get("newscrawl/comments/updated", 0),
            items_skipped=sum(v for k, v in stats.items() if k.startswith("newscrawl/items_dropped/")),
            errors=len(self.failed),
            stats=json.dumps(stats, default=str, sort_keys=True),
            **{k: v for k, v in extra.items() if v is not None},
        )
        return added

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CrawlOutcome":
        return cls(**data)


class CrawlBooks:
    """What the extension keeps for one blog's crawl while it runs."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self.crawl_id: int | None = None
        self.blog_id: str | None = None  # the blog row this crawl wrote (a blog that cannot be read has one too)
        # ids read in this crawl: after a complete full re-read, what was not read is gone
        self.seen: dict[str, set[str]] = {"posts": set(), "comments": set()}
        self.started: str | None = None


class CrawlBookkeeping:
    """Books for every blog the crawler crawls (one, or many: ``blogs.py``), opened on
    ``blogs.blog_opened`` and closed on ``blogs.blog_closed``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("NEWSCRAWL_DB")
        self.books: dict[BlogSpider, CrawlBooks] = {}

    @classmethod
    def from_crawler(cls, crawler) -> "CrawlBookkeeping":
        extension = cls(crawler)
        crawler.signals.connect(extension.blog_opened, signal=blog_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.blog_closed, signal=blog_closed)
        crawler.signals.connect(extension.own_error, signal=signals.spider_error)
        crawler.signals.connect(extension.own_error, signal=signals.item_error)
        return extension

    # -- open ----------------------------------------------------------------------------

    def blog_opened(self, blog) -> None:
        if not isinstance(blog, BlogSpider):
            return
        books = self.books[blog] = CrawlBooks()
        self.load_state(blog, books).apply(blog)

    def load_state(self, spider: BlogSpider, books: CrawlBooks) -> CrawlState:
        """The state this crawl starts from: here, read from the database, where the ``crawls`` row
        (status ``running``) is written too."""
        books.store = shared_store(self.db_path)
        books.crawl_id = books.store.start_crawl(spider.name, spider.start_url,
                                                 run=self.crawler.settings.get("NEWSCRAWL_RUN_ID"))
        logger.info("Crawl %s of %s into %s", books.crawl_id, spider.start_url, self.db_path)
        return CrawlState.load(books.store, spider.start_url)

    # -- during the crawl ----------------------------------------------------------------

    def item_scraped(self, item, response, spider) -> None:
        if not isinstance(item, Rows):
            return
        blog = getattr(item, "blog", None) or blog_of(self.crawler)
        books = self.books.get(blog)
        if books is None:
            return
        if item.blogs:
            books.blog_id = item.blogs[-1]["id"]
        if blog.mode == "full":  # only a full re-read concludes anything from what it did not see
            books.seen["posts"].update(row["id"] for row in item.posts)
            books.seen["comments"].update(row["id"] for row in item.comments)

    def own_error(self, failure, response=None, spider=None, item=None) -> None:
        """A callback or a pipeline raised: an error of the blog's own (Scrapy's ``log_count/ERROR``
        counts every blog's errors in the process, so another blog's would land here too)."""
        blog = getattr(item, "blog", None) or blog_of(self.crawler, getattr(response, "request", None))
        stats_of(self.crawler, blog).inc_value("newscrawl/errors/raised")

    # -- close ---------------------------------------------------------------------------

    def blog_closed(self, blog, reason: str) -> None:
        """Write the crawls row: what this crawl fetched, stored and failed."""
        books = self.books.pop(blog, None)
        if books is None:
            return
        outcome = CrawlOutcome.of(blog, blog.crawler.stats.get_stats(), reason, books.blog_id, books.seen)
        self.save_outcome(blog, outcome, books)

    def save_outcome(self, spider: BlogSpider, outcome: CrawlOutcome, books: CrawlBooks) -> None:
        """Here: applied to the database at once."""
        if books.store is None:
            return
        try:
            for name, value in outcome.apply(books.store, books.crawl_id).items():
                spider.crawler.stats.set_value(name, value)
        except (sqlite3.Error, StorageError) as exc:
            # the crawls row stays "running": the next run marks it interrupted
            logger.error("Could not record crawl %s of %s in %s: %s", books.crawl_id, spider.start_url,
                         self.db_path, exc)
        finally:
            books.store.close()
            books.store = None


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
