"""Spider ``feed``: every post and reader comment of a blog that publishes an RSS or Atom feed
(custom CMS, Drupal, SPIP, hosted blogs ... anything that is neither Blogger nor WordPress).

Navigation only; extraction is ``platforms.feed`` and ``platforms.comment_markup``.

1. The start URL: a feed itself, or a page whose ``<link rel="alternate">`` names the
   posts feed (and the blog-wide comments feed).
2. The posts feed, page after page: RFC 5005 links (``rel="next"``, ``rel="prev-archive"``),
   else ``?paged=N``, probed until a page is missing, empty or repeats entries already read.
3. Per post: its comment feed when the feed names one (paged the same way); else its page,
   for the comments in its markup; the page also gives the body when the feed carries only
   a summary.  Comments hosted on Disqus (or another service that loads them by script) are
   noted on the blog row (``comments_hosted_by``), with one warning.

Incremental (the default) after a complete crawl: the posts feed and the blog-wide comments
feed are asked with the validators of last time (an unchanged blog costs ``robots.txt`` and
one 304 each).  A changed posts feed is read until a page holds nothing new; new posts are
read whole, known posts whose comment count changed get their comments read again.  The
comments feed names the posts with comments newer than the mark, wherever they are in the
archive.  Without a comments feed, comments on posts past the first page of the posts feed
are found by ``-a mode=full`` (``newscrawl crawl --full``), which re-reads everything.

Run: ``scrapy crawl feed -a url=https://example.org/ [-a mode=full]``.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterator

import scrapy

from ..dates import DateContext, parse_machine_date
from ..failures import callback_name, http_status
from ..items import BlogItem, PostItem
from ..loaders import html_to_text
from ..platforms import feed, syndication
from .base import BlogSpider

# Past the last ``?paged=N`` page a feed answers one of these: the normal end of the feed.
_END_OF_PAGES = (404, 410)


class FeedSpider(BlogSpider):
    name = "feed"
    platform = feed.PLATFORM

    def __init__(self, url: str | None = None, feeds: str = "auto", mode: str = "incremental", *args: Any,
                 **kwargs: Any):
        super().__init__(url, mode, *args, **kwargs)
        if feeds != "auto":
            raise ValueError(f"feeds={feeds!r}: a plain blog is read through its feed, it has no archive to crawl "
                             "instead; use the blogger or wordpress spider for an HTML-only crawl")
        self.site = self.start_url
        self.blog_key = feed.blog_key(self.site)
        self.feed_url: str | None = None
        self.comments_feed_url: str | None = None
        self.language: str | None = None
        self.timezone: str | None = None
        self.hosted_by: str | None = None
        # post URL -> [post id, guid, comment feed, comment count], as the last complete crawl left them
        self.known: dict[str, list] = {}
        self.read_comment_ids: set[str] = set()
        self.comments_read: dict[str, int] = {}  # post id -> comments read from its comment feed
        self.linked_paging = False  # the posts feed pages itself (RFC 5005): no ?paged= probing

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state = self.previous_state if self.mode == "incremental" else {}
        if state.get("feed"):
            self.resume(state)
            request = self.posts_feed_request(self.feed_url, 1)
            request.errback = self.stored_feed_failed
            yield self.conditional(request, state.get("posts_validators"), "posts")
            if self.comments_feed_url:
                request = self.site_comments_request(self.comments_feed_url, 1)
                yield self.conditional(request, state.get("comments_validators"), "comments")
        else:
            yield scrapy.Request(self.start_url, callback=self.parse_start, errback=self.request_failed)

    def stored_feed_failed(self, failure):
        """The feed of last time is gone (the site moved it): find it again from the blog URL."""
        if http_status(failure) in _END_OF_PAGES:
            self.logger.warning("Feed %s is gone (HTTP %d); looking for the feed on %s again",
                                self.feed_url, http_status(failure), self.start_url)
            self.known, self.next_state = {}, {}
            yield scrapy.Request(self.start_url, callback=self.parse_start, errback=self.request_failed,
                                 dont_filter=True)
        else:
            self.request_failed(failure)

    def resume(self, state: dict) -> None:
        """Start where the last complete crawl ended: its feeds, blog id, dates context, posts."""
        self.feed_url, self.comments_feed_url = state["feed"], state.get("comments_feed")
        self.blog_key = state.get("blog_key") or self.blog_key
        self.site = state.get("site") or self.site
        self.hosted_by = state.get("hosted_by")
        self.known = dict(state.get("posts") or {})
        self.next_state = {**state, "posts": dict(self.known)}
        self.learn(state.get("language"), state.get("timezone"))

    # -- the start URL ---------------------------------------------------------------------

    def parse_start(self, response):
        if syndication.looks_like_feed(response.body):
            yield from self.start_from_feed(response)
            return
        found = syndication.discover_feeds(response.body, response.url)
        if not found.posts_feed:
            reason = (f"{response.url} advertises no RSS or Atom feed (no <link rel=\"alternate\">): "
                      "give the feed's own address as the blog URL")
            self.record_failure(response.url, response.status, reason, callback_name(response.request))
            yield self.blog_row(BlogItem(status="no_feed", status_reason=reason, platform=self.platform))
            return
        self.feed_url, self.comments_feed_url = found.posts_feed, found.comments_feed
        self.logger.info("Posts feed %s, comments feed %s", self.feed_url, self.comments_feed_url or "none")
        self.next_state.update(self.location())
        yield self.conditional(self.posts_feed_request(self.feed_url, 1), None, "posts")
        if self.comments_feed_url:
            yield self.conditional(self.site_comments_request(self.comments_feed_url, 1), None, "comments")

    def start_from_feed(self, response):
        """The blog URL is the feed itself: the blog is the site its channel links to."""
        try:
            doc = syndication.read_feed(response.body, response.url)
        except feed.NotAFeed as exc:
            self.record_failure(response.url, response.status, f"unreadable feed: {exc}",
                                callback_name(response.request))
            return
        self.site = doc.home or self.start_url
        self.blog_key = feed.blog_key(self.site)
        self.feed_url = response.url
        self.next_state.update(self.location())
        self.remember_validators(response)  # none: the start request was not conditional
        yield from self.read_posts_page(response, 1, probe=False)

    def location(self) -> dict[str, Any]:
        return {"feed": self.feed_url, "comments_feed": self.comments_feed_url, "blog_key": self.blog_key,
                "site": self.site}

    # -- the posts feed ----------------------------------------------------------------------

    def posts_feed_request(self, url: str, number: int, probe: bool = False) -> scrapy.Request:
        meta = {"probe": probe}
        if probe:
            meta["handle_httpstatus_list"] = list(_END_OF_PAGES)
        return scrapy.Request(url, callback=self.parse_posts_feed, errback=self.request_failed,
                              cb_kwargs={"number": number}, meta=meta)

    def parse_posts_feed(self, response, number: int):
        if self.not_modified(response):
            return
        probe = response.meta.get("probe", False)
        if probe and response.status in _END_OF_PAGES:
            self.logger.debug("%s: past the last page of the feed", response.url)
            return
        if number == 1:
            self.remember_validators(response)
        yield from self.read_posts_page(response, number, probe)

    def read_posts_page(self, response, number: int, probe: bool):
        try:
            page = feed.parse_feed(response.body, response.url, self.blog_key, self.site)
        except feed.NotAFeed as exc:
            if probe:  # a site that does not page its feed may answer ?paged= with a page
                self.logger.debug("%s is not a feed page: the feed has no more pages", response.url)
            else:
                self.record_failure(response.url, response.status, f"unreadable feed: {exc}",
                                    callback_name(response.request))
            return
        fresh = [post for post in page.posts if page.guids[post["id"]] not in self.entries_read]
        if probe and not fresh:
            return  # the site ignores ?paged=: this is a page already read
        # a page its predecessor's next link led to, repeating what was read (or empty but
        # linking on), ends the paging, recorded: a feed cannot lead the crawl on for ever
        guids = {page.guids[post["id"]] for post in page.posts}
        if not self.brings_new_entries(guids, response, number == 1 or probe or not (guids or page.next_url)):
            return
        self.crawler.stats.inc_value("newscrawl/feeds/pages")
        if number == 1:
            self.learn(page.blog.get("language"), page.blog.get("timezone"))
            yield self.blog_row(page.blog)
        self.advance_mark("posts", (p.get("updated_machine") or p.get("published_machine") for p in page.posts))
        changed = False
        for post in fresh:
            news, outputs = self.read_post(post, page)
            changed = changed or news
            yield from outputs
        if self.mode == "incremental" and not changed and self.known:
            return  # nothing new on this page: the older pages hold nothing new either
        if page.next_url:
            self.linked_paging = True
            yield self.posts_feed_request(page.next_url, number + 1)
        elif fresh and not (page.archive or self.linked_paging) and self.feed_url:
            yield self.posts_feed_request(feed.paged_url(self.feed_url, number + 1), number + 1, probe=True)

    def read_post(self, post: PostItem, page: feed.FeedPage) -> tuple[bool, list]:
        """What to fetch for one feed entry; True when the post is new or its comments changed."""
        post_id, url = post["id"], post.get("url")
        guid, comment_feed = page.guids[post_id], page.comment_feeds.get(post_id)
        count = post.get("comment_count")
        known = self.known.get(url)
        self.next_state.setdefault("posts", {})[url] = [post_id, guid, comment_feed, count]
        summary_only = post_id in page.summaries
        if known is None:
            comments_needed, body_needed = count != 0, summary_only
        else:
            comments_needed = count is not None and count != known[3]
            body_needed = summary_only and self.edited_since_last_crawl(post)
        news = known is None or comments_needed or body_needed
        if summary_only and not body_needed:
            post.pop("source", None)  # the body stored was read from the post page, and stays
        outputs: list = []
        if comments_needed and comment_feed:
            outputs.append(self.comment_feed_request(comment_feed, post_id, (guid, url), count))
            comments_needed = False
        if comments_needed or body_needed:
            outputs.append(self.post_page_request(post, with_comments=comments_needed, needs_body=body_needed))
        else:
            outputs.append(post)  # the feed's values as they are now (edited titles, bodies, labels)
        return news, outputs

    def edited_since_last_crawl(self, post: PostItem) -> bool:
        mark = parse_machine_date(self.previous_state.get("posts_since"))
        updated = parse_machine_date(post.get("updated_machine"))
        return mark is not None and updated is not None and updated > mark

    # -- comment feeds -------------------------------------------------------------------------

    def comment_feed_request(self, url: str, post_id: str, refs: tuple, expected: int | None, number: int = 1,
                             probe: bool = False, first: str | None = None, recount: bool = False,
                             linked: bool = False) -> scrapy.Request:
        """A page of a post's comment feed; ``expected``: the post's count in the posts feed;
        ``recount``: the posts feed was not read this time, the comments read give the count."""
        meta = {"probe": probe}
        if probe:
            meta["handle_httpstatus_list"] = list(_END_OF_PAGES)
        return scrapy.Request(
            url, callback=self.parse_comment_feed, errback=self.request_failed, meta=meta,
            cb_kwargs={"post_id": post_id, "refs": refs, "expected": expected, "number": number,
                       "first": first or url, "recount": recount, "linked": linked},
        )

    def parse_comment_feed(self, response, post_id: str, refs: tuple, expected: int | None, number: int,
                           first: str, recount: bool = False, linked: bool = False):
        probe = response.meta.get("probe", False)
        if probe and response.status in _END_OF_PAGES:
            yield from self.comments_complete(post_id, expected, recount)
            return
        try:
            page = feed.parse_comment_feed(response.body, response.url, post_id, self.blog_key, refs)
        except feed.NotAFeed as exc:
            if not probe:
                self.record_failure(response.url, response.status, f"unreadable comment feed: {exc}",
                                    callback_name(response.request))
            return
        fresh = [c for c in page.comments if c["id"] not in self.read_comment_ids]
        if probe and not fresh:
            yield from self.comments_complete(post_id, expected, recount)
            return
        self.read_comment_ids.update(c["id"] for c in fresh)
        read = self.comments_read[post_id] = self.comments_read.get(post_id, 0) + len(fresh)
        self.crawler.stats.inc_value("newscrawl/feeds/comment_pages")
        yield from fresh
        if page.next_url:
            yield self.comment_feed_request(page.next_url, post_id, refs, expected, number + 1, first=first,
                                            recount=recount, linked=True)
        elif fresh and not linked and (expected is None or read < expected):
            yield self.comment_feed_request(feed.paged_url(first, number + 1), post_id, refs, expected, number + 1,
                                            probe=True, first=first, recount=recount)
        else:
            yield from self.comments_complete(post_id, expected, recount)

    def comments_complete(self, post_id: str, expected: int | None, recount: bool):
        """The last page of a post's comment feed was read: check the count, or, when the
        posts feed was not read this time, keep the post's count current."""
        read = self.comments_read.get(post_id, 0)
        if recount:
            yield PostItem(id=post_id, blog_id=self.blog_key, comment_count=read)
        elif expected is not None and read < expected:
            self.logger.warning("%s: the feed counts %d comments, its comment feed holds %d", post_id, expected, read)
            self.crawler.stats.inc_value("newscrawl/feeds/comments_short")

    # -- the blog-wide comments feed ------------------------------------------------------------

    def site_comments_request(self, url: str, number: int, probe: bool = False) -> scrapy.Request:
        meta = {"probe": probe}
        if probe:
            meta["handle_httpstatus_list"] = list(_END_OF_PAGES)
        return scrapy.Request(url, callback=self.parse_site_comments, errback=self.request_failed,
                              cb_kwargs={"number": number}, meta=meta)

    def parse_site_comments(self, response, number: int):
        """Which posts have comments newer than the mark: their comments are read again
        (a full crawl reads every post anyway, and keeps only the validators and the mark)."""
        if self.not_modified(response) or (response.meta.get("probe") and response.status in _END_OF_PAGES):
            return
        try:
            page = feed.read_site_comments_feed(response.body, response.url)
        except feed.NotAFeed as exc:
            self.record_failure(response.url, response.status, f"unreadable comments feed: {exc}",
                                callback_name(response.request))
            return
        if number == 1:
            self.remember_validators(response)
        self.advance_mark("comments", (date for _, date in page.comments))
        mark = parse_machine_date(self.previous_state.get("comments_since"))
        if self.mode == "full" or mark is None:
            return
        newer = [url for url, date in page.comments if (parse_machine_date(date) or mark) > mark]
        for post_url in dict.fromkeys(newer):
            yield from self.refresh_comments(post_url)
        if newer and len(newer) == page.entries:  # all new: older pages may hold more
            if page.next_url:
                yield self.site_comments_request(page.next_url, number + 1)
            else:
                yield self.site_comments_request(feed.paged_url(self.comments_feed_url, number + 1), number + 1,
                                                 probe=True)

    def refresh_comments(self, post_url: str) -> Iterator[scrapy.Request]:
        known = self.known.get(post_url)
        if known is None:
            return  # a post the last crawl did not see: the posts feed brings it
        post_id, guid, comment_feed, _ = known
        if comment_feed:
            yield self.comment_feed_request(comment_feed, post_id, (guid, post_url), None, recount=True)
        else:
            post = PostItem(id=post_id, blog_id=self.blog_key, url=post_url)
            yield self.post_page_request(post, with_comments=True, needs_body=False, recount=True)

    # -- post pages ----------------------------------------------------------------------------

    def post_page_request(self, post: PostItem, with_comments: bool, needs_body: bool,
                          recount: bool = False) -> scrapy.Request:
        """A post page, for its comments and/or its body; ``recount``: the posts feed was not
        read this time, the page's comments give the post's count."""
        return scrapy.Request(post["url"], callback=self.parse_post_page, errback=self.post_page_failed,
                              cb_kwargs={"post": post, "with_comments": with_comments, "needs_body": needs_body,
                                         "recount": recount})

    def parse_post_page(self, response, post: PostItem, with_comments: bool, needs_body: bool,
                        recount: bool = False):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        page = feed.read_post_page(response.body, response.url, post["id"], self.blog_key, content_type,
                                   with_body=needs_body, title=post.get("title"))
        if page.language and not self.language:
            self.learn(page.language, self.timezone)
        if needs_body:
            if page.body_html:
                post["content_html"], post["content_text"] = page.body_html, html_to_text(page.body_html)
                post["source"] = feed.SOURCE_HTML
            else:
                self.logger.warning("%s: no post body found in the page (the feed has only a summary)", response.url)
                self.crawler.stats.inc_value("newscrawl/pages/no_body")
        if page.comments.hosted_by:
            yield from self.note_hosted(page.comments.hosted_by, response.url)
        if with_comments:
            post["comments"] = page.comments.comments
            if recount and not page.comments.hosted_by:
                post["comment_count"] = page.comments.expected or page.comments.found
            self.check_page_comments(post, page.comments, response.url)
        yield post

    def check_page_comments(self, post: PostItem, comments, url: str) -> None:
        """Never lose comments silently: a page the feed says has comments must show them."""
        expected = post.get("comment_count")
        if expected is None:
            expected = comments.expected
        found = comments.found
        if not expected or found >= expected:
            return
        if found == 0 and comments.hosted_by:
            self.crawler.stats.inc_value("newscrawl/comments/hosted_elsewhere")
        elif found == 0:
            self.logger.warning("%s: %d comments announced but none could be read from the page", url, expected)
            self.crawler.stats.inc_value("newscrawl/pages/comments_unparsed")
        else:
            self.logger.warning("%s: %d comments announced, %d read from the page", url, expected, found)
            self.crawler.stats.inc_value("newscrawl/pages/comments_incomplete")

    def post_page_failed(self, failure):
        self.request_failed(failure)
        post = failure.request.cb_kwargs["post"]
        if post.get("title") or post.get("published_machine"):
            yield post  # what the feed said is still worth keeping

    def note_hosted(self, host: str, url: str):
        """Comments that live on another service: said once in the log, always on the blog row."""
        if self.hosted_by == host:
            return
        self.hosted_by = host
        self.next_state["hosted_by"] = host
        self.logger.warning("Comments of %s are hosted on %s and loaded by script (seen on %s): they are not "
                            "crawled beyond what the pages print; the blog row says comments_hosted_by=%s",
                            self.site, host, url, host)
        self.crawler.stats.set_value(f"newscrawl/comments/hosted_by/{host}", 1)
        yield self.blog_row(BlogItem())

    # -- bookkeeping -----------------------------------------------------------------------

    def learn(self, language: str | None, timezone: str | None) -> None:
        self.language = self.language or language
        self.timezone = self.timezone or timezone
        self.date_context = DateContext.from_hints(self.language, self.timezone)
        self.next_state.update(language=self.language, timezone=self.timezone)

    def blog_row(self, blog: BlogItem) -> BlogItem:
        blog["id"] = self.blog_key
        blog["url"] = self.site
        blog["platform"] = self.platform
        if self.hosted_by:
            blog["comments_hosted_by"] = self.hosted_by
        return blog
