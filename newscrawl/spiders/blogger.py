"""Spider ``blogger``: the whole archive of one Blogger blog, feeds first.

Navigation only; extraction is ``platforms.blogger``.

Feeds path (fewest requests): the posts feed and the blog-wide comments feed, paged
with ``start-index``/``max-results`` at whatever cap the feed answers with.  Posts
whose feed entry is a summary get their post page fetched for the body.

HTML path (feeds off, not Atom, or ``-a feeds=off``): home page -> monthly archive
pages (``/YYYY/MM/``) -> post pages -> comment pages (``?commentPage=N``).  ``/search``
is disallowed by Blogger's robots.txt and never requested.

Run: ``scrapy crawl blogger -a url=https://example.blogspot.com/ [-a feeds=off]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterable

from urllib.parse import parse_qs, urlsplit

import scrapy

from ..dates import DateContext
from ..failures import SWITCHED_OFF_STATUSES, callback_name, failure_reason, http_status
from ..items import PostItem
from ..platforms import blogger
from .base import BlogSpider, moved_host


class BloggerSpider(BlogSpider):
    name = "blogger"
    platform = blogger.PLATFORM
    retry_callbacks = ("parse_post_page", "parse_listing")

    def __init__(self, url: str | None = None, feeds: str = "auto", mode: str = "incremental", *args: Any,
                 **kwargs: Any):
        super().__init__(url, mode, *args, **kwargs)
        if feeds not in {"auto", "off"}:
            raise ValueError(f"feeds={feeds!r}: use auto (feeds first) or off (HTML only)")
        self.root = blogger.blog_root(self.start_url)
        self.use_feeds = feeds == "auto"
        self.html_mode = False
        self.comments_feed_ok = self.use_feeds
        self.feed_post_urls: set[str] = set()
        self.expected_comments: dict[str, int] = {}
        self.seen_comments = CommentTally()
        self.post_comment_feeds_ok = True
        self.language: str | None = None
        self.blog_status = blogger.STATUS_OK
        self.blog_status_reason: str | None = None
        self.warning_accepted = False
        self.timezone: str | None = None
        self.feed_windows: dict[str, _FeedWindow] = {}  # posts/comments feed -> its pages still to ask

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.use_feeds:
            # Incremental: only what changed since the last complete crawl, asked with
            # the validators of last time (an unchanged feed answers 304).
            state = self.previous_state if self.mode == "incremental" and self.previous_state.get("feeds") else {}
            self.next_state = {"feeds": True, **{k: v for k, v in state.items() if k.endswith("_since")}}
            yield self.first_feed_request("posts", state, self.parse_posts_feed)
            yield self.first_feed_request("comments", state, self.parse_comments_feed)
        else:
            yield self.html_start()

    # -- feeds ----------------------------------------------------------------------

    def first_feed_request(self, kind: str, state: dict, callback) -> scrapy.Request:
        make_url = blogger.posts_feed_url if kind == "posts" else blogger.comments_feed_url
        request = self.feed_request(make_url(self.root, updated_min=state.get(f"{kind}_since")), callback)
        return self.conditional(request, state.get(f"{kind}_validators"), kind)

    def feed_request(self, url: str, callback) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.feed_failed)

    async def parse_posts_feed(self, response):
        if self.not_modified(response):
            return
        page = await self.read_feed(response)
        if page is None:
            for request in self.switch_to_html(response.url, "the posts feed is not an Atom feed"):
                yield request
            return
        yield self.blog_item(page.blog)
        if page.summary_only:
            page.blog["feed_mode"] = "summary"
        self.remember_validators(response)
        self.advance_mark("posts", (p.get("updated_machine") or p.get("published_machine") for p in page.posts))
        for post in page.posts:
            self.expect_comments(post)
            self.feed_post_urls.add(post.get("url"))
            if post.get("content_html") is None or not self.comments_feed_ok:
                yield self.post_page_request(post, with_comments=not self.comments_feed_ok)
            else:
                yield post
        for request in self.next_feed_requests(page, response, blogger.posts_feed_url, self.parse_posts_feed):
            yield request

    async def parse_comments_feed(self, response):
        if self.not_modified(response):
            return
        page = await self.read_feed(response)
        if page is None:
            for output in self.comments_feed_unavailable(response.url, "not an Atom feed"):
                yield output
            return
        self.remember_validators(response)
        self.advance_mark("comments", (c.get("published_machine") for c in page.comments))
        for comment in page.comments:
            self.note_comments(comment["post_id"], [comment["platform_id"]])
            yield comment
        for request in self.next_feed_requests(page, response, blogger.comments_feed_url, self.parse_comments_feed):
            yield request

    async def parse_post_comments_feed(self, response, post_id: str):
        page = await self.read_feed(response)
        if page is None:
            return
        for comment in page.comments:
            self.note_comments(comment["post_id"], [comment["platform_id"]])
            yield comment
        if page.next_url:
            yield scrapy.Request(page.next_url, callback=self.parse_post_comments_feed,
                                 cb_kwargs={"post_id": post_id})

    async def read_feed(self, response) -> blogger.FeedPage | None:
        try:
            page = await self.parsed(blogger.parse_feed, response.body, response.url)
        except blogger.NotAFeed as exc:
            # recorded, and the caller reads what the feed would have given from pages
            self.record_failure(response.url, response.status, f"unreadable feed: {exc}",
                                callback_name(response.request))
            self.crawler.stats.inc_value("newscrawl/feeds/not_a_feed")
            return None
        self.learn_blog(page.blog)
        self.crawler.stats.inc_value("newscrawl/feeds/pages")
        return page

    def next_feed_requests(self, page: blogger.FeedPage, response, make_url, callback) -> list[scrapy.Request]:
        """The feed's further pages. The first page tells the total (``totalResults``) and the page
        size Blogger honoured: the next ``NEWSCRAWL_PARALLEL_FEED_PAGES`` pages are asked at once,
        and each of them that brings new entries asks for one more, up to the total. So the total is
        believed only as far as pages keep bringing new entries (a feed claiming millions costs that
        window), and a long feed is read with that many pages in flight rather than one after the
        other. The last page of the total goes on by its ``next`` link, so entries added meanwhile
        (or past the total) are still read."""
        fanned = response.meta.get("feed_fan")
        entries = {item["id"] for item in (*page.posts, *page.comments)}
        first = (page.start_index or 1) == 1 or not entries
        if page.entries == 0 or not self.brings_new_entries(entries, response, first):
            return []
        if fanned is None and (page.start_index or 1) == 1 and page.total_results \
                and page.total_results > page.entries:
            since = parse_qs(urlsplit(response.url).query).get("updated-min", [None])[0]
            window = _FeedWindow(make_url, callback, page.entries, page.total_results, since)
            self.feed_windows[make_url.__name__] = window
            return self.window_requests(window, max(1, self.settings.getint("NEWSCRAWL_PARALLEL_FEED_PAGES", 50)))
        if fanned == "member":
            window = self.feed_windows.get(make_url.__name__)
            return self.window_requests(window, 1) if window is not None else []
        next_url = self.next_feed_url(page, response.url, make_url)
        return [self.feed_request(next_url, callback)] if next_url else []

    def window_requests(self, window: "_FeedWindow", count: int) -> list[scrapy.Request]:
        requests = []
        for start in window.take(count):
            request = self.feed_request(window.make_url(self.root, start, updated_min=window.since), window.callback)
            request.meta["feed_fan"] = "last" if start == window.last_start else "member"
            requests.append(request)
        return requests

    def next_feed_url(self, page: blogger.FeedPage, url: str, make_url) -> str | None:
        """The feed's own next link; else the next start-index while totalResults says more.

        The page cap is read from what the feed returned, never assumed."""
        if page.entries == 0:
            return None
        if page.next_url:
            return page.next_url
        start = page.start_index or 1
        if page.total_results is not None and start + page.entries - 1 < page.total_results:
            since = parse_qs(urlsplit(url).query).get("updated-min", [None])[0]
            return make_url(self.root, start + page.entries, updated_min=since)
        return None

    def feed_failed(self, failure):
        request = failure.request
        reason = failure_reason(failure)
        if http_status(failure) not in SWITCHED_OFF_STATUSES:
            self.request_failed(failure)  # a feed switched off is a setting; anything else is a failure
        if "/feeds/comments/" in request.url:
            yield from self.comments_feed_unavailable(request.url, reason)
        else:
            yield from self.switch_to_html(request.url, reason)

    def comments_feed_unavailable(self, url: str, reason: str):
        if not self.comments_feed_ok:
            return
        self.comments_feed_ok = False
        self.logger.warning("Comments feed unavailable (%s: %s); reading comments from post pages", url, reason)
        self.crawler.stats.inc_value("newscrawl/feeds/comments_unavailable")
        for post_url in sorted(u for u in self.feed_post_urls if u):
            yield scrapy.Request(post_url, callback=self.parse_post_page)

    def switch_to_html(self, url: str, reason: str):
        if self.html_mode:
            return
        self.html_mode = True
        self.next_state = {}  # the HTML archive is read whole: no marks to resume from
        self.comments_feed_ok = False
        self.logger.warning("Feed %s unavailable (%s); crawling the HTML archive instead", url, reason)
        self.crawler.stats.inc_value("newscrawl/feeds/unavailable")
        yield self.html_start()

    # -- HTML -------------------------------------------------------------------------

    def html_start(self, url: str | None = None, hops: int = 0) -> scrapy.Request:
        """The home page, with redirects and errors handled here: where Blogger sends a
        reader (a sign-in wall, another address) says what state the blog is in."""
        self.html_mode = True
        return scrapy.Request(
            url or self.root, callback=self.parse_home, errback=self.page_failed, dont_filter=hops > 0,
            meta={"dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307, 308, 401, 403, 404, 410],
                  "hops": hops},
        )

    async def parse_home(self, response):
        if 300 <= response.status < 400:
            for output in self.home_redirected(response):
                yield output
        elif response.status >= 400:
            page = blogger.parse_html(response.text, response.url)
            if page.status == blogger.STATUS_OK:
                page.status, page.status_reason = f"http_{response.status}", f"the home page answers HTTP {response.status}"
            for output in self.unreadable_page(page, response.url):
                yield output
        else:
            async for output in self.parse_listing(response):
                yield output

    def home_redirected(self, response):
        location = response.urljoin(response.headers.get("Location", b"").decode("latin-1"))
        page = blogger.parse_html(b"", response.url)
        if blogger.is_private_blog_redirect(location):
            page.status, page.status_reason = blogger.STATUS_PRIVATE, "private blog: open to invited readers only"
        elif response.meta["hops"] < 5 and (urlsplit(location).hostname == urlsplit(self.root).hostname
                                            or moved_host(response.url, location)):
            self.follow_moved_host(location)
            yield self.html_start(location, response.meta["hops"] + 1)
            return
        else:
            page.status = blogger.STATUS_MOVED
            page.status_reason = f"the blog redirects to {location}: track that address instead"
        yield from self.unreadable_page(page, response.url)

    async def parse_listing(self, response):
        """Home page and monthly archives: follow archive and post links."""
        page = await self.parsed_page(blogger.parse_html, response)
        self.learn_blog(page.blog)
        if page.status != blogger.STATUS_OK:
            for output in self.unreadable_page(page, response.url):
                yield output
            for output in self.continue_past_warning(page, self.parse_listing):
                yield output
            return
        yield self.blog_item(page.blog)
        for url in page.archive_links:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.page_failed)
        for url in page.post_links:
            yield scrapy.Request(url, callback=self.parse_post_page, errback=self.page_failed)

    def continue_past_warning(self, page: blogger.BloggerPage, callback):
        """A content warning is a notice, not a wall: go on as a reader who accepts it
        (Blogger then sets a cookie, which Scrapy keeps for the rest of the crawl)."""
        if page.continue_url and not self.warning_accepted:
            self.warning_accepted = True
            self.logger.info("Content warning accepted: continuing to %s", page.continue_url)
            yield scrapy.Request(page.continue_url, callback=callback, errback=self.page_failed, dont_filter=True)

    def post_page_request(self, feed_post: PostItem, with_comments: bool) -> scrapy.Request:
        return scrapy.Request(
            feed_post["url"], callback=self.parse_post_page, errback=self.page_failed,
            cb_kwargs={"feed_post": feed_post, "with_comments": with_comments},
        )

    async def parse_post_page(self, response, feed_post: PostItem | None = None, with_comments: bool = True):
        page = await self.parsed_page(blogger.parse_html, response)
        if self.learn_blog(page.blog):
            yield self.blog_item(page.blog)
        if page.status != blogger.STATUS_OK:
            for output in self.unreadable_page(page, response.url):
                yield output
            for output in self.continue_past_warning(page, self.parse_post_page):
                yield output
        elif not page.posts:
            self.logger.warning("No post found on %s (template not recognised?)", response.url)
            self.crawler.stats.inc_value("newscrawl/pages/no_post")
        if not page.posts:
            if feed_post is not None:
                yield feed_post  # what the feed said is still worth keeping
            return
        post = page.posts[0]
        if feed_post is not None:
            post = merge_feed_and_page(feed_post, post)
        if not with_comments:
            post.pop("comments", None)
        else:
            for output in self.check_page_comments(page, post, response.url):
                yield output
        self.expect_comments(post)
        yield post

    def check_page_comments(self, page: blogger.BloggerPage, post: PostItem, url: str):
        """Get the comments beyond this page and never lose them silently.

        Blogger's threaded widget loads comments past the first page by script from the
        post's comment feed ("Load more..."): read that feed.  Classic templates link
        further pages (``?commentPage=N``): follow them, also when the feed is closed."""
        self.note_comments(post["id"], _tree_ids(post.get("comments")))
        expected = page.comments_expected or 0
        links = page.comment_page_links
        if page.comments_found == 0 and expected > 0 and not links and not page.more_comments_by_script:
            self.logger.warning("%s announces %d comments but none could be extracted", url, expected)
            self.crawler.stats.inc_value("newscrawl/pages/comments_unparsed")
        needs_feed = page.more_comments_by_script or (expected > page.comments_found and not links)
        if needs_feed and self.post_comment_feeds_ok:
            yield scrapy.Request(
                blogger.post_comments_feed_url(self.root, post["platform_id"]),
                callback=self.parse_post_comments_feed, cb_kwargs={"post_id": post["id"]},
                errback=self.post_comments_feed_failed, meta={"comment_pages": links},
            )
        else:
            for link in links:
                yield scrapy.Request(link, callback=self.parse_post_page, errback=self.page_failed)

    def post_comments_feed_failed(self, failure):
        pages = failure.request.meta.get("comment_pages") or []
        if not pages and http_status(failure) not in SWITCHED_OFF_STATUSES:
            self.request_failed(failure)  # nothing else holds these comments (a loss shows in comments_short)
        self.post_comment_feeds_ok = False
        self.logger.warning("Post comment feed %s unavailable (%s)%s", failure.request.url,
                            failure.getErrorMessage(), "; following comment pages" if pages else "")
        self.crawler.stats.inc_value("newscrawl/feeds/post_comments_unavailable")
        for link in pages:
            yield scrapy.Request(link, callback=self.parse_post_page, errback=self.page_failed)

    def unreadable_page(self, page: blogger.BloggerPage, url: str):
        """A page that cannot be read: say why on the blog row and in the log, store nothing from it."""
        self.logger.warning("%s: %s (%s)", url, page.status, page.status_reason)
        self.crawler.stats.inc_value(f"newscrawl/pages/{page.status}")
        if not page.continue_url:  # a wall, not a notice: recorded with what failed
            self.record_failure(url, None, f"unreadable: {page.status}: {page.status_reason}")
        if self.blog_status != page.status:
            self.blog_status, self.blog_status_reason = page.status, page.status_reason
            # past a content warning the blog's own pages will carry the status (and
            # the blog's id); a wall with no way past it is all we will ever see
            if not page.continue_url:
                yield self.blog_item(page.blog)

    def page_failed(self, failure):
        self.request_failed(failure)

    # -- bookkeeping ---------------------------------------------------------------------

    def learn_blog(self, blog) -> bool:
        """Keep what a page or feed tells about the blog; True when it told something new."""
        # a key built on Blogger's numeric blog id beats one built on the host name
        if blog.get("id") and (self.blog_key is None or blog.get("platform_id")):
            self.blog_key = blog["id"]
        learned = (self.language is None and blog.get("language")) or (self.timezone is None and blog.get("timezone"))
        self.language = self.language or blog.get("language")
        self.timezone = self.timezone or blog.get("timezone")
        self.date_context = DateContext.from_hints(self.language, self.timezone)
        return bool(learned)

    def blog_item(self, blog):
        blog["id"] = self.blog_key or blog.get("id")
        blog["url"] = self.root
        # once a page said the blog is not plainly readable, every blog row says so
        blog["status"] = self.blog_status
        blog["status_reason"] = self.blog_status_reason
        if self.html_mode:
            blog["feed_mode"] = blog.get("feed_mode") or "none"
        return blog

    def note_comments(self, post_id: str, comment_ids) -> None:
        self.seen_comments.add(post_id, comment_ids)

    def expect_comments(self, post: PostItem) -> None:
        if post.get("comment_count") is not None:
            self.expected_comments[post["id"]] = post["comment_count"]

    def closed(self, reason: str) -> None:
        if self.mode != "full" and not self.html_mode:
            return  # an incremental feed crawl reads only the new comments: counts do not add up
        short = {pid: n for pid, n in self.expected_comments.items() if self.seen_comments.count(pid) < n}
        if short:
            self.crawler.stats.set_value("newscrawl/posts/comments_short", len(short))
            for pid, n in sorted(short.items())[:20]:
                self.logger.warning("Post %s reports %d comments, %d were read", pid, n,
                                    self.seen_comments.count(pid))


class CommentTally:
    """How many distinct comments of each post a crawl read, to compare with what each post
    announces.  A count per post and one set of the (post, comment) pairs read, kept as their
    64-bit hashes: a set of ids per post held about 190 bytes per comment (71 MB for a
    400,000-comment blog, tracemalloc), these about 80 (32 MB).  Two pairs with one hash would
    count once (a warning about a comment that was read, never one lost silently); among a
    blog's comments the odds are about one in a billion."""

    def __init__(self) -> None:
        self._read: set[int] = set()
        self._counts: dict[str, int] = {}

    def add(self, post_id: str, comment_ids: Iterable[str]) -> None:
        for comment_id in comment_ids:
            pair = hash((post_id, comment_id))
            if pair not in self._read:
                self._read.add(pair)
                self._counts[post_id] = self._counts.get(post_id, 0) + 1

    def count(self, post_id: str) -> int:
        return self._counts.get(post_id, 0)


@dataclass
class _FeedWindow:
    """The pages of one feed that its first page announced (``totalResults``), asked a window at a time."""

    make_url: Callable[..., str]
    callback: Callable
    step: int  # entries per page, as the first page had them
    total: int
    since: str | None
    next_start: int = 0

    def __post_init__(self) -> None:
        self.next_start = 1 + self.step
        self.last_start = 1 + (self.total - 1) // self.step * self.step

    def take(self, count: int) -> list[int]:
        starts = []
        while len(starts) < count and self.next_start <= self.last_start:
            starts.append(self.next_start)
            self.next_start += self.step
        return starts


def merge_feed_and_page(feed_post: PostItem, page_post: PostItem) -> PostItem:
    """The page's body and comments with the feed's machine values where the page lacks them."""
    merged = page_post.copy()
    for name in ("published_machine", "updated_machine", "comment_count", "author", "author_url", "title", "url"):
        if feed_post.get(name) is not None and (name.endswith("_machine") or merged.get(name) is None):
            merged[name] = feed_post[name]
    if not merged.get("labels"):
        merged["labels"] = feed_post.get("labels")
    return merged


def _tree_ids(comments) -> list[str]:
    """Platform ids of a comment tree (replies nested in ``replies``)."""
    ids = []
    for comment in comments or ():
        ids.append(comment["platform_id"])
        ids.extend(_tree_ids(comment.get("replies")))
    return ids
