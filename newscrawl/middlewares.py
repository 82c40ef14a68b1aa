"""Downloader middlewares for the ways real servers misbehave.

- Retries that wait, as a polite client's do (``BackoffRetryMiddleware``): Scrapy's own
  RetryMiddleware sends a retry at once.  A server answering 429 or 503 usually says how
  long to wait (``Retry-After``); one that failed for another reason is given an
  exponential backoff.  The wait does not hold a download slot.
- Redirect loops that fail loudly (``LoopSafeRedirectMiddleware``): Scrapy's duplicate
  filter would drop the request that closes the loop without a word.
- Bodies in UTF-8 behind a header claiming Latin-1 (``CharsetRepairMiddleware``).
- Requests to another host that are recorded, not dropped, and blogs that moved host
  followed (``BlogOffsiteMiddleware``).
- ``<meta http-equiv=refresh>`` looked for without decoding the whole page
  (``HeadMetaRefreshMiddleware``)."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater
from w3lib.encoding import html_to_unicode, http_content_type_encoding
from w3lib.html import get_meta_refresh

from .blogs import blog_of, stats_of
from .failures import callback_name
from .spiders.base import moved_host

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: delta-seconds or an HTTP date
    (RFC 9110 10.2.3); None when absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware whose retries wait: ``Retry-After`` on 429/503 (up to
    ``NEWSCRAWL_MAX_RETRY_AFTER`` seconds: beyond that the URL is given up for this
    crawl), else ``RETRY_BACKOFF_BASE * 2^(n-1)`` seconds before retry n, at most
    ``RETRY_BACKOFF_MAX``."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.max_retry_after = settings.getfloat("NEWSCRAWL_MAX_RETRY_AFTER", 300.0)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = None
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None and wait > self.max_retry_after:
            logger.warning("%s asks to wait %.0f s (Retry-After), more than NEWSCRAWL_MAX_RETRY_AFTER=%.0f: "
                           "giving it up for this crawl", request.url, wait, self.max_retry_after)
            self.crawler.stats.inc_value("newscrawl/retry_after/too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait is not None:
            self.crawler.stats.inc_value("newscrawl/retry_after/honoured")
        await self._sleep(wait if wait is not None else self._backoff(retry))
        return retry

    async def process_exception(self, request, exception, spider=None):
        retry = super().process_exception(request, exception)
        if retry is not None:
            await self._sleep(self._backoff(retry))
        return retry

    def _backoff(self, retry) -> float:
        attempt = retry.meta.get("retry_times", 1)
        return min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            from twisted.internet import reactor  # the one Scrapy installed (importing it early would install another)

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class BlogOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, for each request's blog (``blogs.blog_of``).

    A redirect that changes only the host (a blogspot address moved to its custom domain,
    ``www.`` added or dropped) is the blog moving: the new host becomes the blog's too, and
    the crawl goes on there.  Any other request to another host is one the crawl needed and
    does not get (a post moved elsewhere, a feed whose posts live on another host): recorded
    in ``errors`` under the URL the spider asked for, where Scrapy only logs the first one
    per host at DEBUG."""

    def __init__(self, stats) -> None:
        super().__init__(stats)
        # allowed_domains -> Scrapy's host regex for them (a blog's hosts change when it moves)
        self.blog_regexes: dict[tuple[str, ...], object] = {}

    def process_request(self, request, spider=None):
        blog = blog_of(self.crawler, request)
        chain = request.meta.get("redirect_urls")
        if blog is not None and chain and moved_host(chain[-1], request.url) \
                and urlsplit(chain[-1]).hostname in blog.allowed_domains:
            blog.follow_moved_host(request.url)
        if blog is None:  # a robots.txt, or a spider that is no blog: Scrapy's own filter
            self._update_host_regex(self.crawler.spider)
            return super().process_request(request)
        if request.dont_filter or request.meta.get("allow_offsite") or self.on_blog_host(request, blog):
            return None
        asked = chain[0] if chain else request.url
        how = "redirected to" if chain else "on"
        blog.record_failure(asked, None, f"{how} another host: {request.url}", callback_name(request))
        stats_of(self.crawler, blog).inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {urlsplit(request.url).hostname!r}")

    def on_blog_host(self, request, blog) -> bool:
        """Scrapy's rule (a host of ``allowed_domains`` or a subdomain of one), per blog."""
        if not blog.allowed_domains:
            return True
        domains = tuple(blog.allowed_domains)
        regex = self.blog_regexes.get(domains)
        if regex is None:
            regex = self.blog_regexes[domains] = self.get_host_regex(blog)
        return bool(regex.search(urlparse_cached(request).hostname or ""))


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """A redirect back to a URL of its own chain (A -> B -> A) is a loop: fail the
    request there, so its errback runs (and the failure is recorded) instead of the
    duplicate filter dropping it silently."""

    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        return super()._redirect(redirected, request, reason)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, which reads a refresh in the first 4,096 characters of a
    page, without decoding the rest: those characters are decoded from the body's first bytes, and
    only a page that has a refresh there goes on to Scrapy's own handling.  Scrapy's reads
    ``response.text``: it decodes every HTML page whole and keeps the text with the response while
    the page waits to be parsed, one to four times the body (four bytes a character on a page with
    one emoji), and pages parsed in another process (parsing.py) never need it."""

    # UTF-8 spends at most four bytes on a character: 4,096 characters are in this many bytes
    HEAD_BYTES = 4 * 4096

    def __init__(self, settings):
        super().__init__(settings)
        self.ignore_tags = settings.getlist("METAREFRESH_IGNORE_TAGS")

    def process_response(self, request, response, spider=None):
        if isinstance(response, HtmlResponse) and not self.refresh_in_head(response):
            return response
        # older Scrapy versions pass the spider, which their middleware takes; newer ones pass none
        # and warn when given one
        return super().process_response(request, response, *(() if spider is None else (spider,)))

    def refresh_in_head(self, response: HtmlResponse) -> bool:
        encoding = response.encoding
        head = html_to_unicode(f"charset={encoding}", response.body[:self.HEAD_BYTES])[1][:4096]
        _interval, url = get_meta_refresh(head, response.url, encoding, ignore_tags=self.ignore_tags)
        return url is not None


# Header charsets that servers send by default whatever the body is.
_DEFAULT_HEADER_CHARSETS = {"iso-8859-1", "latin-1", "latin1", "cp1252", "windows-1252", "us-ascii", "ascii"}


class CharsetRepairMiddleware:
    """A body that is valid UTF-8 with non-ASCII characters, served with a Latin-1 (or
    ASCII) header charset, is UTF-8: a server default, not the author's choice.  HTML
    gives the header precedence over ``<meta charset>``, which turns such pages into
    mojibake ("â€œ"); multi-byte UTF-8 sequences are practically never meant as Latin-1."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse):
            return response
        declared = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        if (declared or "").lower() not in _DEFAULT_HEADER_CHARSETS:
            return response
        body = response.body
        if body.isascii():
            return response
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return response
        return response.replace(encoding="utf-8")
