"""Many blogs in one crawler.

Scrapy runs one spider per crawler.  ``newscrawl crawl`` runs one crawler per process (per group of
blogs whose spiders share settings), and its spider, :class:`TrackedBlogsSpider`, stands for many
blogs: each blog is an instance of its platform's spider (``spiders/``), which holds that blog's
state (marks, failures, date context, hosts) and gets its own stats (:class:`BlogCrawler`).  A blog
is opened when its turn comes and closed when the last of its requests is done.

Scrapy calls a request's callback, a method of the blog's spider, so the spiders' code is the same
whether their crawler runs one blog (``scrapy crawl blogger -a url=...``, a distributed worker's job)
or many; the components that asked ``crawler.spider`` ask :func:`blog_of` instead, and what they did
on ``spider_opened``/``spider_closed`` they do on :data:`blog_opened`/:data:`blog_closed`, which a
one-blog crawler sends too.  Politeness is Scrapy's own: one download slot per server
(``ServerSlotMiddleware``), ``robots.txt`` per host, AutoThrottle per slot.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, AsyncIterator

import scrapy
from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

# Sent with ``blog`` when a blog's crawl starts (its state is loaded then), with ``blog`` and
# ``reason`` when its last request is done: first ``blog_closing`` (its pending rows are written),
# then ``blog_closed`` (its outcome is recorded).  A one-blog crawler sends them on
# ``spider_opened`` and ``spider_closed``, after its pipelines have closed.
blog_opened = object()
blog_closing = object()
blog_closed = object()

# Blogs open at once in one crawler (their requests share its CONCURRENT_REQUESTS).
DEFAULT_CONCURRENT_BLOGS = 16


def is_blog(spider: Any) -> bool:
    """Whether ``spider`` crawls one blog (a ``spiders.base.BlogSpider``)."""
    return getattr(spider, "crawls_one_blog", False) is True


def blog_of(crawler: Any, request: scrapy.Request | None = None) -> Any:
    """The blog ``request`` belongs to: the crawler's spider when it crawls one blog, else the blog
    spider whose method is the request's callback or errback; None for a request of no blog (a
    ``robots.txt``, which serves every blog of its host)."""
    spider = crawler.spider
    if is_blog(spider):
        return spider
    if request is None:
        return None
    for method in (request.callback, request.errback):
        owner = getattr(method, "__self__", None)
        if is_blog(owner):
            return owner
    return None


class BlogCrawler:
    """A blog's view of the crawler that runs it: the same settings, engine and signals, its own
    stats (what the blog's ``crawls`` row and outcome are made of)."""

    def __init__(self, crawler: Any) -> None:
        self._crawler = crawler
        self.stats = StatsCollector(crawler)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._crawler, name)


def send_blog_signals_alone(crawler: Any, blog: Any) -> None:
    """A crawler of one blog: its :data:`blog_opened` on ``spider_opened``, its :data:`blog_closing` and
    :data:`blog_closed` on ``spider_closed`` (after the blog's own ``closed()``, connected earlier)."""

    def opened(spider: Any) -> None:
        crawler.signals.send_catch_log(blog_opened, blog=blog)

    def closed(spider: Any, reason: str) -> None:
        crawler.signals.send_catch_log(blog_closing, blog=blog, reason=reason)
        crawler.signals.send_catch_log(blog_closed, blog=blog, reason=reason)

    # strong references: the blog keeps no other (see crawling.py on pydispatcher's weak ones)
    crawler.signals.connect(opened, signal=signals.spider_opened, weak=False)
    crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)


def stats_of(crawler: Any, blog: Any) -> Any:
    """Where a component counts for ``blog``: its own stats, or the crawler's for a spider that is no blog."""
    return blog.crawler.stats if blog is not None else crawler.stats


@dataclass(order=True)
class BlogToCrawl:
    """One blog of a run: its number in the run, its URL, its spider class and ``-a`` arguments."""

    number: int
    url: str
    spider: type = field(compare=False)
    arguments: dict[str, str] = field(default_factory=dict, compare=False)


class SharedBlogs:
    """The blogs of a run that several forked crawl processes share: each takes the next server's
    blogs when it has a seat free, so a process that is done early takes more instead of waiting
    for the slowest one's share (dealt out in advance, figure 6b's two processes ended up to 0.7 s
    apart).  A server's blogs are taken together: one process, one download slot serves them
    (``ServerSlotMiddleware``).  Made before the fork; the counter lives in shared memory."""

    def __init__(self, groups: list[list[BlogToCrawl]], context: Any) -> None:
        self.groups = groups
        self._taken = context.Value("i", 0)

    def take(self) -> list[BlogToCrawl]:
        """The next server's blogs, or none when every group is taken."""
        with self._taken.get_lock():
            number = self._taken.value
            self._taken.value = number + 1
        return self.groups[number] if number < len(self.groups) else []


@dataclass
class _Tally:
    """What a blog has in the crawler: requests queued or in progress, and whether its start is read."""

    live: int = 0
    started: bool = False
    closing: str | None = None  # why it stops before its requests ran out (its rows may not be written)


class TrackedBlogsSpider(scrapy.Spider):
    """The spider of a crawler that crawls many blogs (``crawling.py``): it opens up to
    ``NEWSCRAWL_CONCURRENT_BLOGS`` of ``blogs`` at once, yields each one's start requests, and closes each
    blog when none of its requests is queued or in progress any more."""

    name = "blogs"
    crawls_one_blog = False

    def __init__(self, blogs: list[BlogToCrawl] | None = None, total: int | None = None,
                 shared: SharedBlogs | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.blogs = sorted(blogs or [])  # this crawler's blogs (with ``shared``: those taken so far)
        self.total = total or len(self.blogs)
        self.shared = shared  # more blogs to take, shared with other crawl processes
        self._to_open = deque(self.blogs)
        self.open: dict[Any, _Tally] = {}
        self.closed_blogs = 0
        self._seat_freed: Deferred | None = None
        self.opening = True

    @classmethod
    def with_settings(cls, custom_settings: dict[str, Any]) -> type["TrackedBlogsSpider"]:
        """This spider with its blogs' spiders' ``custom_settings`` (they apply to a whole crawler)."""
        if not custom_settings:
            return cls
        return type(cls.__name__, (cls,), {"custom_settings": dict(custom_settings), "__module__": cls.__module__})

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "TrackedBlogsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._engine_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._count_request, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider._count_response, signal=signals.response_received)
        return spider

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        settings.set("SCHEDULER", "newscrawl.blogs.BlogScheduler", priority="spider")
        settings.set("DUPEFILTER_CLASS", "newscrawl.blogs.BlogDupeFilter", priority="spider")

    # -- opening blogs ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        from .failures import retry_requests  # failures imports this module

        seats = max(1, self.settings.getint("NEWSCRAWL_CONCURRENT_BLOGS", DEFAULT_CONCURRENT_BLOGS))
        while True:
            while len(self.open) >= seats:
                self._seat_freed = Deferred()
                await maybe_deferred_to_future(self._seat_freed)
            if not self.opening:
                return
            blog_to_crawl = self._next_blog()
            if blog_to_crawl is None:
                return
            blog = self.open_blog(blog_to_crawl)
            if blog is None:
                continue
            try:
                async for request in blog.start():
                    yield request
                for request in retry_requests(blog):
                    yield request
            except Exception:  # one blog's start that fails is that blog's error, not the run's
                logger.exception("Could not start the crawl of %s", blog.start_url)
                blog.crawler.stats.inc_value("newscrawl/errors/raised")
            tally = self.open.get(blog)
            if tally is not None:
                tally.started = True
                self._close_if_done(blog)

    def _next_blog(self) -> BlogToCrawl | None:
        if not self._to_open and self.shared is not None:
            taken = self.shared.take()  # only now that a seat is free: others may take it before
            self.blogs.extend(taken)
            self._to_open.extend(taken)
        return self._to_open.popleft() if self._to_open else None

    def open_no_more(self) -> None:
        """The blogs not opened yet are not crawled (the database cannot be written)."""
        self.opening = False

    def open_blog(self, blog_to_crawl: BlogToCrawl) -> Any:
        logger.info("blog %d/%d: %s (%s)", blog_to_crawl.number, self.total, blog_to_crawl.url,
                    blog_to_crawl.spider.name)
        try:
            blog = blog_to_crawl.spider(url=blog_to_crawl.url, **blog_to_crawl.arguments)
        except Exception:  # the run's other blogs are crawled
            logger.exception("Cannot crawl %s with the %s spider", blog_to_crawl.url, blog_to_crawl.spider.name)
            self.closed_blogs += 1
            return None
        blog.crawler = BlogCrawler(self.crawler)
        blog.settings = self.crawler.settings
        blog.crawler.stats.set_value("start_time", datetime.now(tz=timezone.utc))
        self.open[blog] = _Tally()
        self.crawler.signals.send_catch_log(blog_opened, blog=blog)
        return blog

    # -- what each blog has in the crawler -------------------------------------------------

    def _engine_opened(self, spider: Any) -> None:
        """Watch the engine's requests in progress: one leaves when its download, callback and
        items are done (Scrapy sends no signal then)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is None or not callable(getattr(slot, "remove_request", None)):
            raise RuntimeError("this Scrapy version's engine has no request slot: newscrawl cannot crawl many "
                               "blogs in one crawler with it")
        if BlogScheduler not in type(slot.scheduler).__mro__:  # (Scrapy's isinstance is duck-typed)
            # another scheduler would not say which blog's requests it holds: blogs would close early
            reason = (f"SCHEDULER={type(slot.scheduler).__module__}.{type(slot.scheduler).__name__}: a crawler "
                      "of many blogs needs newscrawl.blogs.BlogScheduler (or a subclass)")
            logger.error("Not crawling: %s", reason)
            raise CloseSpider(reason)
        add_request, remove_request = slot.add_request, slot.remove_request

        def added(request: scrapy.Request) -> None:
            add_request(request)
            self.entered(request)

        def removed(request: scrapy.Request) -> None:
            remove_request(request)
            self.left(request)

        slot.add_request, slot.remove_request = added, removed

    def entered(self, request: scrapy.Request) -> None:
        self._step(request, 1)

    def queued(self, request: scrapy.Request) -> None:
        """In the scheduler's queue (in memory: a crawler of many blogs has no JOBDIR), counted as
        Scrapy counts it."""
        self._in_scheduler(request, 1, "enqueued")

    def dequeued(self, request: scrapy.Request) -> None:
        # no close check here: the request goes straight into progress (entered)
        self._in_scheduler(request, -1, "dequeued")

    def left(self, request: scrapy.Request) -> None:
        blog = self._step(request, -1)
        if blog is not None:
            self._close_if_done(blog)

    def _step(self, request: scrapy.Request, step: int) -> Any:
        """``request``'s open blog, its count of requests moved by ``step``; None for no open blog."""
        blog = blog_of(self.crawler, request)
        tally = self.open.get(blog)
        if tally is None:
            return None
        tally.live += step
        return blog

    def _in_scheduler(self, request: scrapy.Request, step: int, what: str) -> None:
        blog = self._step(request, step)
        if blog is not None:
            blog.crawler.stats.inc_value(f"scheduler/{what}")
            blog.crawler.stats.inc_value(f"scheduler/{what}/memory")

    def _count_request(self, request: scrapy.Request, spider: Any) -> None:
        blog = blog_of(self.crawler, request)
        if blog in self.open:
            blog.crawler.stats.inc_value("downloader/request_count")

    def _count_response(self, response: Any, request: scrapy.Request, spider: Any) -> None:
        blog = blog_of(self.crawler, request)
        if blog in self.open:
            blog.crawler.stats.inc_value("downloader/response_count")
            blog.crawler.stats.inc_value(f"downloader/response_status_count/{response.status}")
            blog.crawler.stats.inc_value("response_received_count")

    def count_fetch(self, request: scrapy.Request, response: Any) -> None:
        """A request of no blog made for ``request``'s (its host's ``robots.txt``), counted as that blog's."""
        self._count_request(request, self)
        self._count_response(response, request, self)

    # -- stopping and closing blogs --------------------------------------------------------

    def stop_blog(self, blog: Any, reason: str) -> None:
        """``blog`` stops here (its rows may not be written): its requests still queued are dropped,
        and it closes with ``reason`` once those in progress are done."""
        tally = self.open.get(blog)
        if tally is not None and tally.closing is None:
            tally.closing = reason

    def stopped(self, request: scrapy.Request) -> bool:
        tally = self.open.get(blog_of(self.crawler, request))
        return tally is not None and tally.closing is not None

    def _close_if_done(self, blog: Any) -> None:
        tally = self.open[blog]
        if tally.started and tally.live <= 0:
            self.close_blog(blog, tally.closing or "finished")

    def close_blog(self, blog: Any, reason: str) -> None:
        self.open.pop(blog)
        self.closed_blogs += 1
        stats = blog.crawler.stats
        finished = datetime.now(tz=timezone.utc)
        stats.set_value("finish_time", finished)
        stats.set_value("finish_reason", reason)
        stats.set_value("elapsed_time_seconds", (finished - stats.get_value("start_time")).total_seconds())
        self.crawler.signals.send_catch_log(blog_closing, blog=blog, reason=reason)
        closed = getattr(blog, "closed", None)
        if callable(closed):
            try:
                closed(reason)
            except Exception:
                logger.exception("Error closing the crawl of %s", blog.start_url)
        self.crawler.signals.send_catch_log(blog_closed, blog=blog, reason=reason)
        if self._seat_freed is not None and not self._seat_freed.called:
            self._seat_freed.callback(None)

    def closed(self, reason: str) -> None:
        """The crawler closes (every blog done, Ctrl-C, a database that cannot be written): the blogs
        still open close with its reason; those not opened yet are not crawled."""
        if reason == "finished" and self.open:
            # the crawler ran out of requests while these blogs still counted some: a miscount, not
            # a loss (nothing of theirs is left to do), but one to hear about
            logger.warning("%d blog(s) were still open when the crawler finished: %s", len(self.open),
                           ", ".join(sorted(blog.start_url for blog in self.open)))
        for blog in list(self.open):
            self.close_blog(blog, reason)
        if self.blogs_not_started:
            logger.warning("%d blog(s) of this crawler were not started (%s)", self.blogs_not_started, reason)

    @property
    def blogs_not_started(self) -> int:
        """Blogs of this crawler never opened (counted once every open one is closed)."""
        return len(self.blogs) - self.closed_blogs - len(self.open)


class BlogScheduler(Scheduler):
    """Scrapy's scheduler, telling the crawler's :class:`TrackedBlogsSpider` which blog's request
    it queues and gives out, so that a blog is closed only when nothing of it is queued."""

    def enqueue_request(self, request: scrapy.Request) -> bool:
        queued = super().enqueue_request(request)
        if queued:
            spider = self.crawler.spider
            if isinstance(spider, TrackedBlogsSpider):
                spider.queued(request)
        return queued

    def next_request(self) -> scrapy.Request | None:
        request = super().next_request()
        if request is not None:
            spider = self.crawler.spider
            if isinstance(spider, TrackedBlogsSpider):
                spider.dequeued(request)
        return request


class BlogDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, per blog: two blogs may ask for one URL (a blog that moved to the
    host of another tracked blog) and each must read it; a blog's fingerprints go when it closes."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> "BlogDupeFilter":
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        dupefilter.seen_by_blog = {}
        crawler.signals.connect(dupefilter.blog_closed, signal=blog_closed)
        return dupefilter

    def request_seen(self, request: scrapy.Request) -> bool:
        fingerprint = self.fingerprinter.fingerprint(request)
        seen = self.seen_by_blog.setdefault(blog_of(self.crawler, request), set())
        if fingerprint in seen:
            return True
        seen.add(fingerprint)
        return False

    def blog_closed(self, blog: Any) -> None:
        self.seen_by_blog.pop(blog, None)


class ServerSlotMiddleware:
    """Downloader middleware: one download slot per server (host and port), where Scrapy's default
    is one per host name, so that blogs served from one host on two ports are two servers, as
    they are to ``crawling.server_of``; requests of a blog stopped early are dropped."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ServerSlotMiddleware":
        return cls(crawler)

    def process_request(self, request: scrapy.Request, spider: Any = None) -> None:
        host = self.crawler.spider
        if isinstance(host, TrackedBlogsSpider) and host.stopped(request):
            raise IgnoreRequest(f"the crawl of this blog stopped: {request.url}")
        if "download_slot" not in request.meta:
            parts = urlparse_cached(request)
            if parts.port is not None and parts.hostname:
                request.meta["download_slot"] = f"{parts.hostname}:{parts.port}"

