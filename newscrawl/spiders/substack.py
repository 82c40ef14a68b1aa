"""Spider ``substack``: every post and comment of one Substack publication, through its API.

Navigation only; extraction is ``platforms.substack``.  The API lives on the
publication's own host, ``*.substack.com`` or a custom domain alike.

1. The archive, ``/api/v1/archive?sort=new&offset=N&limit=50``, page after page until
   an empty one (Substack may return fewer entries than asked: the next page starts
   after what came back).  Always whole: there is no blog-wide "changed since" query and
   no blog-wide comment feed, and ~20 requests list 1,000 posts.
2. ``/api/v1/posts/SLUG`` for each post that is new or whose archive entry changed
   (title, audience, word count, reactions, comment count ...: ``post_signature``);
   full mode: every post.  A post row is always written whole, from the post answer.
3. ``/api/v1/post/ID/comments?all_comments=true`` for each post whose ``comment_count``
   changed since last time (new posts: when they have comments).  The whole tree comes
   in one answer.

A publication where nothing changed costs robots.txt and the archive pages.
``next_state`` keeps, per post, the signature and the comment count last read (a post
whose comments came back short has its count forgotten, so the next crawl asks again);
it is saved only when the crawl completes.

Run: ``scrapy crawl substack -a url=https://example.substack.com/ [-a mode=full]``.
"""

from __future__ import annotations

from typing import Any, AsyncIterator

import scrapy

from ..failures import callback_name, http_status
from ..items import BlogItem, PostItem
from ..platforms import substack
from ..platforms.markup import count_comments
from .base import BlogSpider

# Version of what next_state holds: a state of another shape is not resumed from.
STATE_VERSION = 1


class SubstackSpider(BlogSpider):
    name = "substack"
    platform = substack.PLATFORM
    # Substack answers fast clients with 429: fewer parallel requests per host, and more
    # patience in Scrapy's retry (429 is one of RETRY_HTTP_CODES) before a page counts as failed.
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "RETRY_TIMES": 5}
    # each reads its URL alone (a post by slug, a comment tree by post id): a URL that
    # failed is fetched again by the next crawl; the archive is read whole every time anyway
    retry_callbacks = ("parse_post", "parse_comments")

    def __init__(self, url: str | None = None, feeds: str = "auto", mode: str = "incremental", *args: Any,
                 **kwargs: Any):
        super().__init__(url, mode, *args, **kwargs)
        if feeds not in {"auto", "off"}:
            raise ValueError(f"feeds={feeds!r}: use auto or off (Substack is read through its API either way)")
        self.feeds = feeds
        self.root = substack.blog_root(self.start_url)
        # Every request is built from the root, never from a link, and a publication on
        # its own domain redirects its substack.com address there: no offsite filter,
        # which would drop that redirect and the other host's robots.txt unseen.
        self.allowed_domains = []
        self.known: dict[str, dict] = {}  # post id -> what the last complete crawl read of it
        self.listed: set[str] = set()
        self.owner_ids: frozenset[str] = frozenset()  # Substack user ids of the publication's owner
        self.blog_sent = False

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.feeds == "off":
            self.logger.info("feeds=off: Substack's /feed holds only recent posts and its pages are script "
                             "shells; reading the API, the only complete source")
        state = self.previous_state if self.mode == "incremental" else {}
        if state.get("substack") == STATE_VERSION:
            self.known = state.get("posts") or {}
            self.blog_key = state.get("blog_key")
            self.owner_ids = frozenset(state.get("owner_ids") or ())
            self.root = state.get("root") or self.root  # where the publication answered last time
        self.next_state = {"substack": STATE_VERSION, "blog_key": self.blog_key, "root": self.root,
                           "owner_ids": sorted(self.owner_ids), "posts": {}}
        yield self.archive_request(0)

    # -- archive ------------------------------------------------------------------------------

    def api_request(self, url: str, callback, **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.api_failed, cb_kwargs=cb_kwargs)

    def archive_request(self, offset: int) -> scrapy.Request:
        return self.api_request(substack.archive_url(self.root, offset), self.parse_archive)

    def parse_archive(self, response):
        offset = substack.archive_offset(response.url)
        try:
            page = substack.parse_archive(response.body, response.url)
        except substack.NotSubstackJson as exc:
            self.unreadable(response, exc)
            return
        self.crawler.stats.inc_value("newscrawl/substack/archive_pages")
        self.follow_move(response.url)
        for post in page.posts:
            self.learn_post(post)
        if page.blog is not None and not self.blog_sent:
            yield self.blog_row(page.blog)
        for post in page.posts:
            if post.platform_id not in self.listed:  # a post published while paging shifts the pages by one
                self.listed.add(post.platform_id)
                yield from self.read_listed(post)
        listed = {post.platform_id for post in page.posts}
        # an archive answering every offset with posts already listed would be paged for ever
        if page.entries and self.brings_new_entries(listed, response, offset == 0 or not listed):
            yield self.archive_request(offset + page.entries)
        elif offset == 0:
            self.logger.warning("%s: the archive lists no post", response.url)
            self.crawler.stats.inc_value("newscrawl/substack/archive_empty")

    def read_listed(self, post: substack.ApiPost):
        """Read again a post whose archive entry changed (or is new); leave the rest alone.

        Any change of what the archive shows (title, word count, reactions, comment
        count ...) re-reads the whole post, so the post row is always written whole."""
        known = self.known.get(post.platform_id)
        if known and known.get("signature") == post.signature and known.get("comments") == post.comment_count:
            self.crawler.stats.inc_value("newscrawl/substack/posts_unchanged")
            self.remember(post.platform_id, **known)
            return
        url = (substack.post_api_url(self.root, post.slug) if post.slug
               else substack.post_by_id_api_url(self.root, post.platform_id))
        yield self.api_request(url, self.parse_post, listed=post)

    # -- posts and comments ------------------------------------------------------------------

    def parse_post(self, response, listed: substack.ApiPost | None = None):
        try:
            post = substack.parse_post(response.body, response.url)
        except substack.NotSubstackJson as exc:
            self.unreadable(response, exc)
            yield from self.archive_record(listed)
            return
        self.crawler.stats.inc_value("newscrawl/substack/posts_read")
        self.learn_post(post)
        if post.blog is not None:
            yield self.blog_row(post.blog)
        known = self.known.get(post.platform_id) or {}
        # the archive entry's signature (the post answer has other fields); none when
        # fetched again on its own, so that the next crawl reads the post once more
        self.remember(post.platform_id, signature=listed.signature if listed else None,
                      comments=known.get("comments"))
        if (post.comment_count or 0) != (known.get("comments") or 0):
            yield self.comments_request(post.item, post.author_ids | (listed.author_ids if listed else frozenset()))
        else:
            self.remember(post.platform_id, comments=post.comment_count)
            yield post.item

    def comments_request(self, post: PostItem, author_ids: frozenset[str]) -> scrapy.Request:
        return self.api_request(substack.comments_api_url(self.root, post["platform_id"]), self.parse_comments,
                                post=post, author_ids=author_ids)

    def parse_comments(self, response, post: PostItem | None = None, author_ids: frozenset[str] = frozenset()):
        post = post if post is not None else self.post_of_comments_url(response.url)
        if post is None:
            self.unreadable(response, "comments of a post of an unknown publication (no archive read yet)")
            return
        try:
            tree = substack.parse_comments(response.body, response.url, post["blog_id"], post.get("url"),
                                           author_ids | self.owner_ids)
        except substack.NotSubstackJson as exc:
            self.unreadable(response, exc)
            yield post
            return
        self.crawler.stats.inc_value("newscrawl/substack/comment_trees")
        complete = self.check_comments(post, count_comments(tree), response.url)
        self.remember(post["platform_id"], comments=post.get("comment_count") if complete else None)
        post["comments"] = tree
        yield post

    def check_comments(self, post: PostItem, read: int, url: str) -> bool:
        """Never lose comments silently: a tree smaller than the post's count is reported
        (False), and its count is then not remembered, so the next crawl reads it again."""
        expected = post.get("comment_count") or 0
        if read >= expected:
            return True
        if read == 0:
            self.logger.warning("%s: post %s reports %d comments, the API returned none", url, post["id"], expected)
        else:
            self.logger.warning("%s: post %s reports %d comments, %d were read", url, post["id"], expected, read)
        self.crawler.stats.inc_value("newscrawl/substack/comments_short")
        return False

    def post_of_comments_url(self, url: str) -> PostItem | None:
        """The post a comments answer belongs to, from its URL alone (a request made
        again later, without the post that asked for it)."""
        post_id = substack.post_id_of_comments_url(url)
        if not post_id or not self.blog_key:
            return None
        return PostItem(id=substack.post_key(self.blog_key, post_id), blog_id=self.blog_key, platform_id=post_id)

    # -- bookkeeping ---------------------------------------------------------------------

    def follow_move(self, url: str) -> None:
        """The archive answered from another address (``x.substack.com`` redirects to the
        publication's own domain): ask there from now on, one request instead of two."""
        root = substack.blog_root(url)
        if root != self.root:
            self.logger.info("%s answers from %s: reading the publication there", self.root, root)
            self.root = self.next_state["root"] = root
            self.crawler.stats.set_value("newscrawl/substack/moved_to", root)

    def remember(self, post_id: str, **values: Any) -> None:
        self.next_state["posts"].setdefault(post_id, {}).update(values)

    def learn_post(self, post: substack.ApiPost) -> None:
        """The publication's key and owner, from the first post that names them."""
        if self.blog_key is None:
            self.blog_key = self.next_state["blog_key"] = post.item["blog_id"]
        if post.owner_id and post.owner_id not in self.owner_ids:
            self.owner_ids = self.owner_ids | {post.owner_id}
            self.next_state["owner_ids"] = sorted(self.owner_ids)

    def blog_row(self, blog: BlogItem) -> BlogItem:
        blog["id"] = self.blog_key or blog["id"]
        blog["url"] = self.root
        self.blog_sent = True
        return blog

    def api_failed(self, failure):
        """Recorded as failed (fetched again by the next crawl); what the request was
        for is kept as far as it is known."""
        self.request_failed(failure)
        request = failure.request
        if (http_status(failure) == 404
                and "/api/v1/archive" in request.url and substack.archive_offset(request.url) == 0):
            self.logger.error("No Substack archive at %s: is %s a Substack publication?", request.url, self.root)
        if request.cb_kwargs.get("post") is not None:
            yield request.cb_kwargs["post"]  # the post without its comments: read again next crawl
        yield from self.archive_record(request.cb_kwargs.get("listed"))

    def archive_record(self, listed: substack.ApiPost | None):
        """A new post whose answer failed: what the archive says of it (no body) is kept
        meanwhile.  A post read before is left as stored."""
        if listed is not None and listed.platform_id not in self.known:
            yield listed.item

    def unreadable(self, response, why: Exception | str) -> None:
        self.record_failure(response.url, response.status, f"unreadable: {why}", callback_name(response.request))
