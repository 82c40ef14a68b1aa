"""Spider ``wordpress``: every post and approved comment of one WordPress blog.

Navigation only; extraction is ``platforms.wordpress``.

1. REST (``/wp-json/``, or ``/?rest_route=/`` when pretty permalinks are off): the site
   index, then ``wp/v2/posts`` and ``wp/v2/comments`` 100 per page, all pages requested
   at once from ``X-WP-TotalPages``.
2. REST closed (401/403/404, not JSON): the posts feed ``/feed/?paged=N`` for the list of
   posts, and each post page for its comments, which only the HTML threads (comment
   feeds carry no parent) and dates right (``time[datetime]``; feed dates inherit
   WordPress's DST bug), following ``/comment-page-N/``.
3. No feed either: the HTML archive ``/page/N/`` and the post pages.

Run: ``scrapy crawl wordpress -a url=https://example.com/ [-a api=off]``.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

import scrapy

from datetime import timedelta

from ..dates import DateContext, parse_machine_date
from ..failures import DEFAULT_MAX_PAGES_PER_BLOG, SWITCHED_OFF_STATUSES, callback_name, failure_reason, http_status
from ..items import BlogItem, PostItem
from ..platforms import wordpress as wp
from ..platforms.markup import walk_comments
from .base import BlogSpider

REST_CLOSED = (400, 401, 403, 404, 405, 410, 500, 501, 503)


class WordPressSpider(BlogSpider):
    name = "wordpress"
    platform = wp.PLATFORM
    machine_sources_argument = "api"
    retry_callbacks = ("parse_post_page", "parse_listing")

    def __init__(self, url: str | None = None, api: str = "auto", mode: str = "incremental", *args: Any,
                 **kwargs: Any):
        super().__init__(url, mode, *args, **kwargs)
        if api not in {"auto", "off"}:
            raise ValueError(f"api={api!r}: use auto (REST API first) or off (feeds and HTML only)")
        self.site = self.start_url if self.start_url.endswith("/") else self.start_url + "/"
        self.use_api = api == "auto"
        self.blog_key = wp.blog_key(self.site)
        self.site_timezone: str | None = None
        self.rest: str | None = None
        self.fallback_started = False
        self.language: str | None = None
        # per REST collection: [the last page asked for, the last page to ask for]
        self.rest_paging: dict[str, list[int]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state = self.previous_state if self.mode == "incremental" else {}
        if self.use_api and state.get("rest"):
            # Incremental: what changed since the last complete crawl, straight from
            # the REST root and timezone it found (robots.txt + 2 requests when quiet).
            self.rest, self.blog_key, self.site_timezone = state["rest"], state["blog_key"], state.get("timezone")
            self.next_state = dict(state)
            self.date_context = DateContext.from_hints(None, self.site_timezone)
            yield self.rest_page_request("posts", 1)
            yield self.rest_page_request("comments", 1)
        elif self.use_api:
            yield self.rest_index_request(wp.rest_root(self.site))
        else:
            yield self.feed_request(1)

    # -- REST ------------------------------------------------------------------------

    def rest_index_request(self, root: str) -> scrapy.Request:
        return scrapy.Request(
            wp.rest_index_url(root), callback=self.parse_rest_index, errback=self.rest_failed,
            cb_kwargs={"root": root}, meta={"handle_httpstatus_list": list(REST_CLOSED)},
        )

    def parse_rest_index(self, response, root: str):
        try:
            if response.status >= 400:
                raise wp.RestError(f"HTTP {response.status}", response.status)
            blog = wp.parse_rest_index(response.body, response.url)
        except (wp.NotRestJson, wp.RestError) as exc:
            yield from self.rest_unavailable(root, f"{response.url}: {exc}")
            return
        if blog.get("status") != wp.STATUS_OK:
            yield from self.rest_unavailable(root, blog.get("status_reason") or blog["status"])
            return
        self.rest = root
        self.blog_key = blog["id"]
        self.site_timezone = blog.get("timezone")
        self.next_state = {"rest": root, "blog_key": self.blog_key, "timezone": self.site_timezone}
        self.learn(blog)
        yield blog
        yield self.rest_page_request("posts", 1)
        yield self.rest_page_request("comments", 1)

    def rest_page_request(self, kind: str, page: int) -> scrapy.Request:
        since = self.rest_since(kind)
        if kind == "posts":
            url = wp.rest_posts_url(self.rest, page, modified_after=since)
        else:
            url = wp.rest_comments_url(self.rest, page, after=since)
        return scrapy.Request(
            url, callback=self.parse_rest_page, errback=self.rest_failed, cb_kwargs={"kind": kind, "page": page}
        )

    async def parse_rest_page(self, response, kind: str, page: int):
        try:
            items, skipped = await self.parsed(wp.read_rest_page, kind, response.body, response.url, self.blog_key,
                                               self.site_timezone)
        except (wp.NotRestJson, wp.RestError) as exc:
            if page == 1:
                outputs = self.rest_unavailable(self.rest, f"{response.url}: {exc}")
            else:
                self.record_failure(response.url, response.status, f"unreadable: {exc}", callback_name(response.request))
                outputs = ()
            for output in outputs:
                yield output
            return
        for reason in skipped:
            self.entry_skipped(kind, reason)
        if page == 1:
            # the other pages are asked for whatever this one's entries hold
            later = self.rest_later_pages(kind, response.headers)
        elif self.brings_new_entries({item["id"] for item in items}, response, first_page=False):
            later = self.rest_next_page(kind)
        else:
            later = ()
        for request in later:
            yield request
        self.crawler.stats.inc_value(f"newscrawl/rest/{kind}_pages")
        dates = (i.get("updated_machine") or i.get("published_machine") for i in items)
        self.advance_mark(kind, dates)
        for item in items:
            yield item

    def rest_later_pages(self, kind: str, headers):
        """Page 1 tells the total (``X-WP-TotalPages``): the next ``NEWSCRAWL_PARALLEL_FEED_PAGES``
        pages are asked at once, and each one that brings new entries asks for one more. So the
        total is believed only as far as pages keep bringing new entries (a site repeating a page
        or answering empty ones costs that window, not its claimed millions), and never past the
        page cap (failures.py records the rest)."""
        total, pages = wp.rest_pages(headers)
        self.logger.info("REST %s: %s in %s pages", kind, total, pages)
        last = min(pages or 1, self.settings.getint("NEWSCRAWL_MAX_PAGES_PER_BLOG", DEFAULT_MAX_PAGES_PER_BLOG) + 1)
        window = max(1, self.settings.getint("NEWSCRAWL_PARALLEL_FEED_PAGES", 50))
        self.rest_paging[kind] = [min(last, 1 + window), last]
        for number in range(2, self.rest_paging[kind][0] + 1):
            yield self.rest_page_request(kind, number)

    def rest_next_page(self, kind: str):
        asked, last = self.rest_paging.get(kind, (1, 1))
        if asked < last:
            self.rest_paging[kind][0] = asked + 1
            yield self.rest_page_request(kind, asked + 1)

    def entry_skipped(self, kind: str, reason: str) -> None:
        """A REST entry that could not be read: the others of its page are kept, and the entry is
        counted with the crawl's skipped items (``crawls.items_skipped``); the parser logged why."""
        self.crawler.stats.inc_value(f"newscrawl/items_dropped/rest_{kind}")

    def rest_since(self, kind: str) -> str | None:
        """The REST filter for an incremental crawl: a day before the mark, because
        WordPress compares ``modified_after``/``after`` with site-local times; re-reading
        a day of changes costs nothing (unchanged rows are not written)."""
        mark = self.previous_state.get(f"{kind}_since") if self.mode == "incremental" and self.next_state.get("rest") else None
        moment = parse_machine_date(mark) if mark else None
        return (moment - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S") if moment else None

    def rest_failed(self, failure):
        request = failure.request
        reason = failure_reason(failure)
        page = request.cb_kwargs.get("page", 1)
        if page == 1:
            yield from self.rest_unavailable(request.cb_kwargs.get("root") or self.rest, f"{request.url}: {reason}")
        else:
            self.request_failed(failure)

    def rest_unavailable(self, root: str | None, reason: str):
        """Try the other URL form of the REST root once, then the feeds."""
        plain = wp.rest_root(self.site, pretty_permalinks=False)
        if root != plain and self.rest is None:
            self.logger.info("REST at %s unavailable (%s); trying %s", root, reason, plain)
            yield self.rest_index_request(plain)
            return
        if self.fallback_started:
            return
        self.fallback_started = True
        self.next_state = {}  # feeds and HTML are read whole: nothing to resume from
        self.logger.warning("REST API closed (%s); reading feeds and HTML instead", reason)
        self.crawler.stats.inc_value("newscrawl/rest/unavailable")
        yield self.feed_request(1)

    # -- feeds -------------------------------------------------------------------------

    def feed_request(self, page: int) -> scrapy.Request:
        return scrapy.Request(
            wp.feed_url(self.site, page), callback=self.parse_posts_feed, errback=self.feed_failed,
            cb_kwargs={"page": page},
        )

    def parse_posts_feed(self, response, page: int):
        try:
            feed = wp.parse_feed(response.body, response.url, self.blog_key)
        except wp.NotAFeed as exc:
            self.record_failure(response.url, response.status, f"unreadable feed: {exc}",
                                callback_name(response.request))
            yield from self.feed_unavailable(page, str(exc))
            return
        if page == 1:
            self.learn(feed.blog)
            yield self.blog_row(feed.blog)
        for post in feed.posts:
            # the post page holds the comment threads and the right dates
            yield self.post_page_request(post["url"], post)
        if feed.entries:
            yield self.feed_request(page + 1)

    def feed_failed(self, failure):
        page = failure.request.cb_kwargs.get("page", 1)
        # past the last page the feed answers 404, and a feed switched off is a setting
        if http_status(failure) not in SWITCHED_OFF_STATUSES:
            self.request_failed(failure)
        yield from self.feed_unavailable(page, failure_reason(failure))

    def feed_unavailable(self, page: int, reason: str):
        if page > 1:
            # paging past the last page answers 404: the normal end of the feed
            self.logger.debug("Feed page %d ends the feed (%s)", page, reason)
            return
        self.logger.warning("Posts feed unavailable (%s); crawling the HTML archive instead", reason)
        self.crawler.stats.inc_value("newscrawl/feeds/unavailable")
        yield scrapy.Request(self.site, callback=self.parse_listing, errback=self.page_failed)

    # -- HTML --------------------------------------------------------------------------

    async def parse_listing(self, response):
        page = await self.parsed_page(wp.parse_html, response)
        if page.is_post_page and page.posts:
            # the address shows one post (a front page set to the latest post): store it as one
            for output in self.post_page_outputs(page, response):
                yield output
            return
        self.learn(page.blog)
        yield self.blog_row(page.blog)
        for url in page.post_links:
            yield self.post_page_request(url)
        for url in page.next_page_links:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.page_failed)

    def post_page_request(self, url: str, feed_post: PostItem | None = None) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_post_page, errback=self.page_failed,
                              cb_kwargs={"feed_post": feed_post})

    async def parse_post_page(self, response, feed_post: PostItem | None = None):
        page = await self.parsed_page(wp.parse_html, response)
        for output in self.post_page_outputs(page, response, feed_post):
            yield output

    def post_page_outputs(self, page: wp.WordPressPage, response, feed_post: PostItem | None = None):
        """What a post page gives: its post with its comments (completed from the post's comment
        feed where the page leaves comments undated), and its further comment pages."""
        self.learn(page.blog)
        if not page.posts:
            self.logger.warning("No post found on %s", response.url)
            self.crawler.stats.inc_value("newscrawl/pages/no_post")
            if feed_post is not None:
                yield feed_post
            return
        post = page.posts[0]
        if feed_post is not None:
            post = merge_page_and_feed(post, feed_post)
        if page.status != wp.STATUS_OK:
            self.logger.warning("%s: %s (%s)", response.url, page.status, page.status_reason)
            self.crawler.stats.inc_value(f"newscrawl/pages/{page.status}")
        undated = [c for c in walk_comments(post.get("comments")) if not (c.get("published_machine") or c.get("published_raw"))]
        if undated and page.post_comments_feed:
            # Themes show pingbacks as a bare link: the post's comment feed has their date and text.
            yield scrapy.Request(page.post_comments_feed, callback=self.complete_from_comment_feed,
                                 errback=self.comment_feed_failed, cb_kwargs={"post": post})
        else:
            yield post
        for url in page.comment_page_links:
            yield scrapy.Request(url, callback=self.parse_post_page, errback=self.page_failed)

    def complete_from_comment_feed(self, response, post: PostItem):
        try:
            feed = wp.parse_feed(response.body, response.url, self.blog_key, post_id=post.get("platform_id"))
        except wp.NotAFeed as exc:
            self.record_failure(response.url, response.status, f"unreadable feed: {exc}",
                                callback_name(response.request))
        else:
            completed = wp.complete_from_feed(post.get("comments") or [], feed.comments)
            self.crawler.stats.inc_value("newscrawl/comments/completed_from_feed", completed)
        yield post

    def comment_feed_failed(self, failure):
        self.request_failed(failure)
        yield failure.request.cb_kwargs["post"]

    def page_failed(self, failure):
        self.request_failed(failure)

    # -- bookkeeping --------------------------------------------------------------------

    def learn(self, blog: BlogItem) -> None:
        self.language = self.language or blog.get("language")
        self.site_timezone = self.site_timezone or blog.get("timezone")
        self.date_context = DateContext.from_hints(self.language, self.site_timezone)

    def blog_row(self, blog: BlogItem) -> BlogItem:
        blog["id"] = self.blog_key
        blog.setdefault("url", self.site)
        return blog


def merge_page_and_feed(page_post: PostItem, feed_post: PostItem) -> PostItem:
    """The page's post (its ``time[datetime]`` is right where feed dates can be an hour
    off), completed with what only the feed gave."""
    merged = page_post.copy()
    for name, value in feed_post.items():
        if name != "comments" and value is not None and merged.get(name) is None:
            merged[name] = value
    return merged
