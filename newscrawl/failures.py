"""What a crawl could not fetch or read, so that nothing fails silently.

Every request that finally fails (after the retries), every response a spider cannot
read and every request robots.txt refuses becomes one :class:`FailedURL` in the
spider's :class:`FailureLog`.  The storage pipeline writes the log into the ``errors``
table when the crawl closes; the next crawl of the blog fetches those URLs again
(:class:`FailureTrackingMiddleware`) and marks them resolved once they are read.

A URL that failed :data:`MAX_ATTEMPTS` crawls in a row is still recorded but no longer
holds the blog's incremental marks back: a post page that answers 500 for a week must
not make every later crawl re-read everything."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any, AsyncIterator, Iterable, Iterator

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError as TwistedTimeoutError)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from .blogs import blog_of, is_blog, stats_of

logger = logging.getLogger(__name__)

# Crawls in a row a URL may fail before it stops holding the blog's marks back.
MAX_ATTEMPTS = 5
# Requests one crawl (one blog) may make: a blog of 20,000 posts read from its HTML archive needs
# about 21,000; a hostile answer claiming millions of pages gets this many.
DEFAULT_MAX_PAGES_PER_BLOG = 50_000


@dataclass
class FailedURL:
    url: str
    status: int | None
    reason: str
    callback: str | None = None


# What Blogger and WordPress answer for a feed or API their owner switched off: a setting
# to work around (read the HTML instead), not a failure.
SWITCHED_OFF_STATUSES = frozenset({401, 403, 404, 410})


def http_status(failure: Failure) -> int | None:
    """The HTTP status of a failure that is an error answer; None for network errors."""
    return failure.value.response.status if failure.check(HttpError) else None


def failure_reason(failure: Failure) -> str:
    """A failure in words for the log (``HTTP 503``, ``timeout (...)`` ...)."""
    described = describe_failure(failure)
    return described[1] if described else failure.getErrorMessage() or failure.type.__name__


def describe_failure(failure: Failure) -> tuple[int | None, str] | None:
    """(HTTP status, reason) of a failed request; None for a request dropped on
    purpose (an offsite link, a duplicate), which is not a failure."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return exc.response.status, f"HTTP {exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return None, "forbidden by robots.txt"
        if "redirect" in message:
            return None, message if message.startswith("redirect loop") else f"redirect loop ({message})"
        if "DOWNLOAD_MAXSIZE" in message:  # a compressed answer that grew past the limit (a gzip bomb)
            return None, "too large: " + message.split(" because ", 1)[-1]
        return None
    name = type(exc).__name__
    # Scrapy 2.13+ wraps download errors in its own exceptions; older versions raise Twisted's
    if isinstance(exc, (TwistedTimeoutError, TCPTimedOutError, TimeoutError)) or name == "DownloadTimeoutError":
        return None, f"timeout ({exc})"
    if name == "ResponseDataLossError":
        return None, "connection lost (the answer was cut short)"
    if name == "DownloadFailedError":
        return None, f"connection lost ({exc})"
    if name == "DownloadConnectionRefusedError":
        return None, "connection refused"
    if isinstance(exc, ResponseFailed):
        return None, f"connection lost ({_reasons(exc)})"
    if isinstance(exc, (ConnectionLost, ConnectionDone)):
        return None, f"connection lost ({exc})"
    if isinstance(exc, ConnectionRefusedError):
        return None, "connection refused"
    if isinstance(exc, DNSLookupError):
        return None, "DNS lookup failed"
    if name in {"DownloadCancelledError", "CancelledError"}:
        return None, f"too large or cancelled ({exc})"
    return None, f"{name}: {exc}"


def _reasons(exc: ResponseFailed) -> str:
    names = [f.type.__name__ for f in getattr(exc, "reasons", []) if isinstance(f, Failure)]
    if "_DataLoss" in names:
        return "the answer was cut short"
    return ", ".join(names) or str(exc)


class FailureLog:
    """The failures of one crawl, and the failures of earlier crawls it retries."""

    def __init__(self) -> None:
        self.failed: dict[str, FailedURL] = {}
        self.pending: dict[str, dict[str, Any]] = {}  # unresolved errors rows of earlier crawls
        self.read: set[str] = set()  # pending URLs this crawl read without error

    def expect_retries(self, rows: Iterable[dict[str, Any]]) -> None:
        self.pending = {row["url"]: row for row in rows}

    def record(self, url: str, status: int | None, reason: str, callback: str | None = None) -> bool:
        """Note a failure; True when it should hold the crawl's marks back (see MAX_ATTEMPTS)."""
        self.failed[url] = FailedURL(url, status, reason, callback)
        earlier = self.pending.get(url, {}).get("attempts") or 0
        return earlier + 1 < MAX_ATTEMPTS

    def note_read(self, url: str) -> None:
        if url in self.pending:
            self.read.add(url)

    def resolved(self) -> list[str]:
        return sorted(url for url in self.read if url not in self.failed)

    def rows(self) -> list[dict[str, Any]]:
        return [asdict(f) for f in self.failed.values()]


def callback_name(request: Request) -> str | None:
    callback = request.callback
    return getattr(callback, "__name__", None) if callback is not None else None


class PageBudget:
    """The distinct pages one crawl of a blog asked for, against ``NEWSCRAWL_MAX_PAGES_PER_BLOG``: a
    hostile total ("10,000,000 pages") or a feed paging for ever stops there, recorded in errors
    (the next crawl asks again)."""

    def __init__(self) -> None:
        self.requests = 0
        self.capped = 0
        # fingerprints of the requests counted: a page linked from many others is one page
        self.asked: set[bytes] = set()

    def admit(self, fingerprint: bytes | None, max_pages: int) -> bool:
        """Whether a request (``fingerprint``: None for one the duplicate filter lets through) is
        within the budget; a page asked again is, as the duplicate filter drops it at no cost."""
        if fingerprint is not None:
            if fingerprint in self.asked:
                return True
            self.asked.add(fingerprint)
        self.requests += 1
        if self.requests <= max_pages:
            return True
        self.capped += 1
        return False


class FailureTrackingMiddleware:
    """Spider middleware: every request gets an errback that records its failure
    (spiders' own errbacks call ``spider.request_failed`` themselves); exceptions in
    callbacks are recorded as unreadable pages; the URLs earlier crawls failed on are
    requested again after the spider's own start requests (:func:`retry_requests`).

    Everything is per blog (``blogs.blog_of``): one crawler may crawl many."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.max_pages = crawler.settings.getint("NEWSCRAWL_MAX_PAGES_PER_BLOG", DEFAULT_MAX_PAGES_PER_BLOG)
        self.budget = PageBudget()  # for a spider that is no blog

    @classmethod
    def from_crawler(cls, crawler) -> "FailureTrackingMiddleware":
        middleware = cls(crawler)
        crawler.signals.connect(middleware.callback_failed, signal=signals.spider_error)
        crawler.signals.connect(middleware.response_received, signal=signals.response_received)
        return middleware

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            if self._within_cap(item_or_request):
                yield self._with_errback(item_or_request)
        spider = self.crawler.spider
        if is_blog(spider):  # a crawler of many blogs yields each blog's retries after its start
            for request in retry_requests(spider):
                if self._within_cap(request):
                    yield request

    def process_spider_output(self, response, result: Iterable[Any]) -> Iterator[Any]:
        for item_or_request in result:
            if self._within_cap(item_or_request):
                yield self._with_errback(item_or_request)

    async def process_spider_output_async(self, response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in result:
            if self._within_cap(item_or_request):
                yield self._with_errback(item_or_request)

    def _within_cap(self, item_or_request: Any) -> bool:
        """Items always pass; requests up to ``NEWSCRAWL_MAX_PAGES_PER_BLOG`` distinct pages of their
        blog (an HTML archive links each post from many pages: counting every link capped a
        20,000-post blog at 16,400 pages). The first one past the cap is recorded as a failure (the
        crawl is then incomplete: its marks stay), the others are counted."""
        if not isinstance(item_or_request, Request):
            return True
        blog = blog_of(self.crawler, item_or_request)
        budget = blog.page_budget if blog is not None else self.budget
        # the same page asked again is dropped by the duplicate filter: it costs no request
        fingerprint = None if item_or_request.dont_filter else \
            self.crawler.request_fingerprinter.fingerprint(item_or_request)
        if budget.admit(fingerprint, self.max_pages):
            return True
        stats_of(self.crawler, blog).inc_value("newscrawl/pages/over_cap")
        if budget.capped == 1 and blog is not None:
            blog.record_failure(item_or_request.url, None,
                                f"page cap: more than {self.max_pages} requests for one blog "
                                "(NEWSCRAWL_MAX_PAGES_PER_BLOG); the rest was not asked")
        return False

    def _with_errback(self, item_or_request: Any) -> Any:
        if isinstance(item_or_request, Request) and item_or_request.errback is None:
            blog = blog_of(self.crawler, item_or_request)
            if blog is not None:
                return item_or_request.replace(errback=blog.request_failed)
        return item_or_request

    def response_received(self, response, request, spider) -> None:
        blog = blog_of(self.crawler, request)
        if blog is not None and response.status < 400:
            blog.failures.note_read(request.url)

    def callback_failed(self, failure: Failure, response, spider) -> None:
        """An exception in a callback: the page could not be read (a parser bug or a
        page unlike any the parser knows); recorded like a failed download."""
        blog = blog_of(self.crawler, response.request)
        if blog is not None:
            reason = f"unreadable: {type(failure.value).__name__}: {failure.value}"
            blog.record_failure(response.request.url if response.request else response.url, response.status,
                                reason, callback_name(response.request) if response.request else None)


def retry_requests(blog) -> Iterator[Request]:
    """The URLs earlier crawls of ``blog`` failed on, asked again, with the callback that failed
    (those of its ``retry_callbacks``, which read a URL without anything else)."""
    log = blog.failures
    allowed = set(blog.retry_callbacks)
    retried = 0
    for url, row in sorted(log.pending.items()):
        callback = getattr(blog, row.get("callback") or "", None)
        if row.get("callback") in allowed and callback is not None:
            retried += 1
            yield Request(url, callback=callback, errback=blog.request_failed)
    if retried:
        logger.info("Fetching again %d URL(s) that failed in earlier crawls of %s", retried, blog.start_url)
        blog.crawler.stats.set_value("newscrawl/errors/retried", retried)
