"""What every newscrawl spider shares: the blog URL argument and the date context."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import scrapy

from datetime import timezone

from ..blogs import send_blog_signals_alone
from ..dates import DateContext, parse_machine_date
from ..failures import FailureLog, PageBudget, callback_name, describe_failure
from ..parsing import parse_page, parse_response_text


MODES = ("incremental", "full")

# A scheme written without "//" (``javascript:alert(1)``, ``data:text/html,...``, ``mailto:x@y``): it is not
# a host and a port (``localhost:8080/blog`` is), and must not become ``https://javascript:alert(1)/``.
BARE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d*(?:[/?#]|$))", re.IGNORECASE)

# A host name (letters of any script, digits, dots, hyphens) or an IP address: no spaces,
# no control characters, no empty labels.
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?\.?$|^[0-9a-f:]*:[0-9a-f:.]*$", re.IGNORECASE)


class BlogSpider(scrapy.Spider):
    """A spider for one blog, given as ``-a url=URL``.

    ``-a mode=incremental`` (the default) reads what changed since the last complete
    crawl of this URL (``previous_state``, loaded by the storage pipeline when the spider
    opens); ``-a mode=full`` re-reads everything and lets rows that are gone be marked
    deleted.  A spider leaves what the next crawl resumes from in ``next_state``."""

    platform: str = ""
    # one instance is one blog's crawl (blogs.py: a crawler may run many)
    crawls_one_blog = True
    # the -a argument that turns the machine-readable sources (feeds, API) off: -a NAME=off
    machine_sources_argument: str = "feeds"
    # callbacks that read a URL on their own (no cb_kwargs/meta needed): a URL that failed
    # in an earlier crawl with one of these is fetched again at the start of the next one
    retry_callbacks: tuple[str, ...] = ()

    def __init__(self, url: str | None = None, mode: str = "incremental", *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if mode not in MODES:
            raise ValueError(f"mode={mode!r}: use incremental or full")
        self.mode = mode
        self.start_url = normalize_blog_url(url)
        host = urlsplit(self.start_url).hostname
        self.allowed_domains = [host] if host else []
        self.blog_key: str | None = None
        self.previous_state: dict[str, Any] = {}
        self.next_state: dict[str, Any] = {}
        # Read by the date pipeline: the blog's language and timezone once learned.
        self.date_context = DateContext()
        # What could not be fetched or read (written to the errors table by the storage pipeline).
        self.failures = FailureLog()
        self.page_budget = PageBudget()
        # ids of the feed or API entries read in this crawl: a page bringing none new ends a paging
        self.entries_read: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "BlogSpider":
        """The spider of a crawler of this one blog (``scrapy crawl``, a worker's job); a crawler of
        many blogs makes its blogs itself (``blogs.TrackedBlogsSpider``)."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        send_blog_signals_alone(crawler, spider)
        return spider

    async def parsed(self, parser, *arguments: Any):
        """``parser(*arguments)`` (a page's text and URL, and what else the parser takes): in the
        crawl's page-parsing processes when it has them (``parsing.py``), so that parsing uses the
        machine's other cores."""
        return await parse_page(self.crawler, parser, *arguments)

    async def parsed_page(self, parser, response, *arguments: Any):
        """``parser(response.text, response.url, *arguments)``, as :meth:`parsed`.  The page goes
        to the parsing process as its bytes and encoding and is decoded there, so the crawl process
        never decodes it: a decoded text is one to four times the body, and it would stay with the
        response while the page waits for the pool (``middlewares.HeadMetaRefreshMiddleware`` keeps
        Scrapy from decoding it earlier)."""
        return await self.parsed(parse_response_text, parser, response.body, response.encoding, response.url,
                                 *arguments)

    # -- failures ------------------------------------------------------------------------

    def request_failed(self, failure) -> None:
        """Errback of every request without one of its own (see failures.py); spiders'
        own errbacks call it for failures they cannot work around."""
        described = describe_failure(failure)
        if described is None:
            return
        status, reason = described
        self.record_failure(failure.request.url, status, reason, callback_name(failure.request))

    def record_failure(self, url: str, status: int | None, reason: str, callback: str | None = None) -> None:
        """A URL this crawl could not fetch or read: logged, counted, stored in ``errors``."""
        self.logger.error("Could not read %s: %s", url, reason)
        blocking = self.failures.record(url, status, reason, callback)
        # a URL failing crawl after crawl is kept in errors but no longer holds the marks back
        self.crawler.stats.inc_value("newscrawl/errors" if blocking else "newscrawl/errors/given_up")

    def brings_new_entries(self, ids: set[str], response, first_page: bool) -> bool:
        """Whether a page of a feed or an API holds an entry this crawl has not read yet. A later
        page holding only entries already read (a feed repeating itself behind ever new ``next``
        links, a total the site does not have) ends the paging, recorded in errors."""
        new = ids - self.entries_read
        self.entries_read |= ids
        if new or first_page:
            return True
        what = "repeats entries already read" if ids else "is empty although more pages were announced"
        self.record_failure(response.url, response.status, f"the page {what}: its paging was stopped",
                            callback_name(response.request))
        return False

    def follow_moved_host(self, url: str) -> None:
        """The blog answers at ``url``'s host now: its pages there are the blog's own."""
        host = urlsplit(url).hostname
        if host and host not in self.allowed_domains:
            self.logger.info("%s moved to %s: crawled there as the same blog", self.start_url, host)
            self.allowed_domains.append(host)
            self.crawler.stats.inc_value("newscrawl/moved_hosts")

    # -- incremental crawling ------------------------------------------------------------

    def conditional(self, request: scrapy.Request, validators: dict | None, kind: str) -> scrapy.Request:
        """Ask with the validators of last time: an unchanged resource answers 304.

        When the marks moved since (the feed's URL names the new ``updated-min``), the ETag
        describes another representation and is not sent; the Last-Modified still is: a feed's
        Last-Modified is the time of the newest change it shows, and a feed narrowed to what
        changed after the mark changed no later than the whole feed did."""
        headers = {}
        if validators and validators.get("url") != request.url:
            validators = {"last_modified": validators.get("last_modified")}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        request.headers.update(headers)
        request.meta["handle_httpstatus_list"] = [304]
        request.meta["validators_key"] = f"{kind}_validators"
        return request

    def not_modified(self, response) -> bool:
        if response.status != 304:
            return False
        key = response.meta.get("validators_key")
        if key and key in self.previous_state:
            self.next_state[key] = self.previous_state[key]
        self.crawler.stats.inc_value("newscrawl/not_modified")
        return True

    def remember_validators(self, response) -> None:
        key = response.meta.get("validators_key")
        if not key:
            return
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        self.next_state[key] = {
            "url": response.request.url,
            "etag": etag.decode("latin-1") if etag else None,
            "last_modified": last_modified.decode("latin-1") if last_modified else None,
        }

    def advance_mark(self, kind: str, machine_dates) -> None:
        """Move the high-water mark of ``kind`` to the newest date read."""
        newest = max((d for d in (parse_machine_date(v) for v in machine_dates) if d is not None), default=None)
        if newest is None:
            return
        mark = newest.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        key = f"{kind}_since"
        if self.next_state.get(key) is None or mark > self.next_state[key]:
            self.next_state[key] = mark


def _has_valid_port(parts) -> bool:
    try:
        return parts.port != 0  # .port raises ValueError for "alert(1)" and for 99999
    except ValueError:
        return False


def moved_host(before: str, after: str) -> bool:
    """Whether a redirect from ``before`` to ``after`` moves the same page to another host (a
    blogspot address to its custom domain, ``www.`` added or dropped): same path, same query."""
    old, new = urlsplit(before), urlsplit(after)
    return old.hostname != new.hostname and (old.path or "/", old.query) == (new.path or "/", new.query)


def normalize_blog_url(url: str | None) -> str:
    """``example.blogspot.com`` -> ``https://example.blogspot.com/``; clear error otherwise."""
    if not url or not url.strip():
        raise ValueError("a blog URL is required: scrapy crawl SPIDER -a url=https://example.blogspot.com/")
    url = url.strip()
    if "://" not in url and not BARE_SCHEME.match(url):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or not _HOST.match(parts.hostname) \
            or not _has_valid_port(parts):
        raise ValueError(f"not a web address: {url!r} (expected e.g. https://example.blogspot.com/)")
    path = parts.path or "/"
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"  # example.org/blog and example.org/blog/ are one blog
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{parts.query}" if parts.query else "")
