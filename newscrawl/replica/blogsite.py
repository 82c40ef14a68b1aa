"""The served Blogger blog: a :class:`ReplicaBlog` plus the indexes, caches and live changes a server needs.

:class:`Site` is what every part of the Blogger replica reads: ``server.py`` routes to it, ``render`` builds pages
from it, ``feeds.py`` builds GData feeds from it. It holds the address the server listens on (``base``), the
feed settings, comment pagination (:func:`threads`, :func:`paginate`) and the mutations that tests and the
incremental crawl scenarios make (add_post, edit_post, add_comment, remove_comment, delete_comment).
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from .formats import UTC, epoch_ms
from .model import ReplicaBlog, ReplicaComment, ReplicaPost
from .texts import comment_text_to_html, slugify, text_to_html

FEED_MODES = ("full", "summary", "none")


def _system_clock() -> datetime:
    return datetime.now(UTC)


class Site:
    """Server-side state: the blog plus indexes and caches (rebuilt lazily after every mutation: add_comment,
    add_post, edit_post, remove_comment, delete_comment).

    ``clock`` returns the current time (aware); mutations stamp ``published``/``updated`` with it, truncated to
    milliseconds and always after the previous value, so a test may pass a fake clock to get exact times.
    """

    def __init__(self, blog: ReplicaBlog, feeds: str, feed_cap: int, posts_per_page: int,
                 archive_posts_per_page: int, comments_per_page: int,
                 clock: Callable[[], datetime] | None = None):
        if feeds not in FEED_MODES:
            raise ValueError(f"feeds must be one of {FEED_MODES}, not {feeds!r}")
        self.blog = blog
        self.feeds = feeds
        self.feed_cap = feed_cap
        self.posts_per_page = posts_per_page
        self.archive_posts_per_page = archive_posts_per_page
        self.comments_per_page = comments_per_page
        self.base = "http://127.0.0.1"
        self.lock = threading.RLock()
        self._cache: dict[Any, Any] = {}
        self.post_by_id: dict[str, ReplicaPost] = {p.post_id: p for p in blog.posts}
        self.post_by_path: dict[str, ReplicaPost] = {p.path: p for p in blog.posts}
        self.comment_by_id: dict[str, ReplicaComment] = {c.comment_id: c for p in blog.posts for c in p.comments}
        self.clock: Callable[[], datetime] = clock or _system_clock
        # post id -> when a comment of it was last deleted (a deletion leaves no timestamp in the content, but
        # Last-Modified of the feeds that listed or counted it must move forward)
        self.deleted_at: dict[str, datetime] = {}
        self._retired_ids: set[str] = set()  # ids of deleted comments: never handed out again
        self._last_stamp: datetime | None = None  # time of the last mutation

    # ------------------------------------------------------------------ caches
    def cached(self, key: Any, fn: Callable[[], Any]) -> Any:
        cache = self._cache
        try:
            return cache[key]
        except KeyError:
            pass
        with self.lock:
            if key not in self._cache:
                self._cache[key] = fn()
            return self._cache[key]

    def invalidate(self) -> None:
        self._cache = {}

    # ------------------------------------------------------------------ lookups
    def post_url(self, post: ReplicaPost) -> str:
        return f"{self.base}{post.path}"

    def posts(self) -> list[ReplicaPost]:
        return self.blog.posts

    def archive(self) -> list[tuple[int, int, list[tuple[int, list[ReplicaPost]]]]]:
        def build():
            years: dict[int, dict[int, list[ReplicaPost]]] = {}
            for p in self.blog.posts:  # newest first
                years.setdefault(p.year, {}).setdefault(p.month, []).append(p)
            return [(y, sum(len(v) for v in ms.values()), sorted(ms.items(), reverse=True))
                    for y, ms in sorted(years.items(), reverse=True)]
        return self.cached("archive", build)

    def month_posts(self, year: int, month: int) -> list[ReplicaPost]:
        for y, _, ms in self.archive():
            if y == year:
                for m, posts in ms:
                    if m == month:
                        return posts
        return []

    def year_posts(self, year: int) -> list[ReplicaPost]:
        for y, _, ms in self.archive():
            if y == year:
                return [p for _, posts in ms for p in posts]
        return []

    def all_labels(self) -> list[str]:
        return self.cached("labels", lambda: sorted({lb for p in self.blog.posts for lb in p.labels}, key=str.lower))

    def label_posts(self, labels: list[str]) -> list[ReplicaPost]:
        def build():
            want = [lb.lower() for lb in labels]
            return [p for p in self.blog.posts if all(w in {x.lower() for x in p.labels} for w in want)]
        return self.cached(("label", tuple(labels)), build)

    def comment_pages(self, post: ReplicaPost, whole_threads: bool) -> list[list[ReplicaComment]]:
        """The comments on ?commentPage=1, 2, ...: see :func:`paginate` (``whole_threads``: the threaded widget)."""
        return self.cached(("cpages", post.post_id, whole_threads, len(post.comments)),
                           lambda: paginate(post.comments, self.comments_per_page, whole_threads))

    def neighbours(self, post: ReplicaPost) -> tuple[ReplicaPost | None, ReplicaPost | None]:
        idx = self.cached("post_index", lambda: {p.post_id: i for i, p in enumerate(self.blog.posts)})
        i = idx[post.post_id]
        posts = self.blog.posts
        return (posts[i - 1] if i > 0 else None, posts[i + 1] if i + 1 < len(posts) else None)

    def sorted_entries(self, key: tuple) -> tuple[list[Any], list[int]]:
        """Entries of a collection newest first by a time key, plus ascending negated keys for bisect.

        ``("posts", order, labels)`` or ``("comments", post_id_or_None[, order])``; ``order`` is "published" or
        "updated". Ties (same millisecond) are broken by id, descending.
        """
        def build():
            kind = key[0]
            if kind == "posts":
                _, order, labels = key
                posts = self.label_posts(list(labels)) if labels else self.blog.posts
                if order == "updated":
                    entries = sorted(posts, key=lambda p: (epoch_ms(p.updated), p.post_id), reverse=True)
                    keys = [epoch_ms(p.updated) for p in entries]
                else:
                    entries = list(posts)  # already newest first by published
                    keys = [epoch_ms(p.published) for p in entries]
            else:
                post_id = key[1]
                order = key[2] if len(key) > 2 else "published"
                comments = (self.post_by_id[post_id].comments if post_id
                            else [c for p in self.blog.posts for c in p.comments])
                attr = "updated" if order == "updated" else "published"
                entries = sorted(comments, key=lambda c: (epoch_ms(getattr(c, attr)), c.comment_id), reverse=True)
                keys = [epoch_ms(getattr(c, attr)) for c in entries]
            return entries, [-k for k in keys]
        return self.cached(("sorted",) + key, build)

    def comments_updated(self, post_id: str | None) -> datetime | None:
        """Newest ``updated`` of the comments of a post (or of the blog), None without comments."""
        def build():
            comments = (self.post_by_id[post_id].comments if post_id
                        else [c for p in self.blog.posts for c in p.comments])
            return max((c.updated for c in comments), default=None)
        return self.cached(("comments_updated", post_id), build)

    def last_change(self, post: ReplicaPost | None = None) -> datetime:
        """When anything that a feed shows last changed: for a post, its own ``updated``, its comments' ``updated``
        and the last deletion of one of its comments (all of which its entry - ``thr:total`` - and its comments feed
        show); without a post, the same over the whole blog. Drives ``Last-Modified``."""
        def build():
            if post is not None:
                times = [post.updated, self.comments_updated(post.post_id), self.deleted_at.get(post.post_id)]
            else:
                times = [max((p.updated for p in self.blog.posts), default=None), self.comments_updated(None),
                         max(self.deleted_at.values(), default=None)]
            return max((t for t in times if t is not None), default=datetime(2000, 1, 1, tzinfo=UTC))
        return self.cached(("last_change", post.post_id if post is not None else None), build)

    # ------------------------------------------------------------------ mutations
    def _new_id(self) -> str:
        rng = random.SystemRandom()
        while True:
            n = str(rng.randrange(10**18, 9_223_372_036_854_775_807))
            if n not in self.comment_by_id and n not in self.post_by_id and n not in self._retired_ids:
                return n

    def _stamp(self, after: datetime | None = None) -> datetime:
        """The time of a mutation: the clock in UTC truncated to milliseconds, but at least 1 ms after ``after`` and
        after the previous mutation (so every change moves the blog's last-change time forward, even with a clock
        that stands still). Call with the lock held."""
        now = self.clock().astimezone(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        for floor in (after, self._last_stamp):
            if floor is not None and now <= floor:
                now = floor.astimezone(UTC) + timedelta(milliseconds=1)
        self._last_stamp = now
        return now

    def add_comment(self, post_id: str, author: str = "Anonymous", text: str = "", parent_id: str | None = None,
                    author_url: str | None = None, is_blog_author: bool | None = None,
                    html: str | None = None) -> ReplicaComment:
        with self.lock:
            post = self.post_by_id.get(post_id)
            if post is None:
                raise KeyError(f"no post {post_id!r} in the replica blog")
            if parent_id is not None:
                parent = self.comment_by_id.get(parent_id)
                if parent is None or parent.post_id != post_id or parent.parent_id is not None:
                    raise ValueError("parent_id must be a top-level comment of the same post (Blogger threads are "
                                     "one level deep)")
            now = self._stamp(after=post.comments[-1].published if post.comments else None)
            if is_blog_author is None:
                is_blog_author = author == self.blog.author_name and author_url in (None, self.blog.author_url)
            if is_blog_author and author_url is None:
                author_url = self.blog.author_url
            c = ReplicaComment(
                comment_id=self._new_id(), post_id=post_id, parent_id=parent_id, author_name=author,
                author_url=author_url, is_blog_author=bool(is_blog_author), published=now,
                language=self.blog.language, _html=html if html is not None else comment_text_to_html(text),
            )
            post.comments = post.comments + [c]  # copy on write: readers keep a consistent list
            self.comment_by_id[c.comment_id] = c
            self.invalidate()
            return c

    def add_post(self, title: str, text: str = "", labels: list[str] | None = None,
                 html: str | None = None) -> ReplicaPost:
        with self.lock:
            blog = self.blog
            tz = blog.tz
            now = self._stamp().astimezone(tz)
            published = now.replace(microsecond=0)
            if blog.posts and published <= blog.posts[0].published:
                published = blog.posts[0].published + timedelta(seconds=1)
            slug = slugify(title) if title else "blog-post"
            path = f"/{published.year}/{published.month:02d}/{slug}.html"
            n = 0
            while path in self.post_by_path:
                n += 1
                path = (f"/{published.year}/{published.month:02d}/{slug}_{published.day:02d}"
                        f"{n - 1 if n > 1 else ''}.html")
            body = html if html is not None else "<br />\n".join(
                text_to_html(line) for line in text.split("\n"))
            post = ReplicaPost(
                post_id=self._new_id(), path=path, title=title, author_name=blog.author_name,
                author_url=blog.author_url, published=published,
                updated=published + timedelta(milliseconds=now.microsecond // 1000 + 1),
                labels=sorted(labels or [], key=str.lower), comments=[], language=blog.language,
                _html=body, _text=None if html is not None else text,
            )
            self._last_stamp = max(self._last_stamp or post.updated, post.updated)
            blog.posts = [post] + blog.posts
            self.post_by_id[post.post_id] = post
            self.post_by_path[post.path] = post
            self.invalidate()
            return post

    def edit_post(self, post_id: str, title: str | None = None, text: str | None = None, html: str | None = None,
                  labels: list[str] | None = None) -> ReplicaPost:
        """Change a post as its author does in the editor: what is given replaces the old value (``html`` wins over
        ``text``, as in add_post; ``labels=[]`` removes all labels). The permalink stays (Blogger keeps the URL of a
        published post when its title changes). ``updated`` becomes now (ms, after the previous ``updated``)."""
        with self.lock:
            post = self.post_by_id.get(post_id)
            if post is None:
                raise KeyError(f"no post {post_id!r} in the replica blog")
            updated = self._stamp(after=post.updated).astimezone(self.blog.tz)
            if title is not None:
                post.title = title
            if html is not None or text is not None:
                body = html if html is not None else "<br />\n".join(
                    text_to_html(line) for line in (text or "").split("\n"))
                post._html, post._text = body, (None if html is not None else text)
                post.has_image = False  # the generated image belonged to the generated body
            if labels is not None:
                post.labels = sorted(labels, key=str.lower)
            post.updated = updated
            self.invalidate()
            return post

    def remove_comment(self, comment_id: str, by: str = "author") -> ReplicaComment:
        """Remove a comment as its author ("author") or a blog admin ("admin") does on Blogger: it stays in place
        (page, counts, feeds) but shows the removal sentence, its feed entry gets ``blogger.contentRemoved`` and its
        ``updated`` becomes now (ms, after the previous ``updated``); ``published`` is kept."""
        if by not in ("author", "admin"):
            raise ValueError(f"by must be 'author' or 'admin', not {by!r}")
        with self.lock:
            c = self.comment_by_id.get(comment_id)
            if c is None:
                raise KeyError(f"no comment {comment_id!r} in the replica blog")
            if c.removed:
                raise ValueError(f"comment {comment_id} was already removed (by {c.removed})")
            c.updated = self._stamp(after=c.updated)
            c.removed = by
            self.invalidate()
            return c

    def delete_comment(self, comment_id: str) -> list[ReplicaComment]:
        """Delete a comment for good (the owner's "delete forever", a spam purge): it disappears from pages and
        feeds and from the counts, and so do its replies. Returns the deleted comments, the given one first."""
        with self.lock:
            c = self.comment_by_id.get(comment_id)
            if c is None:
                raise KeyError(f"no comment {comment_id!r} in the replica blog")
            post = self.post_by_id[c.post_id]
            gone = [c] + [r for r in post.comments if r.parent_id == comment_id]
            ids = {g.comment_id for g in gone}
            post.comments = [x for x in post.comments if x.comment_id not in ids]  # copy on write
            for i in ids:
                del self.comment_by_id[i]
            self._retired_ids |= ids
            self.deleted_at[post.post_id] = self._stamp(after=self.last_change())
            self.invalidate()
            return gone


def threads(comments: Iterable[ReplicaComment]) -> list[list[ReplicaComment]]:
    """Group chronological comments into threads: [top-level, its replies...] in order of the top-level comment."""
    groups: dict[str, list[ReplicaComment]] = {}
    order: list[list[ReplicaComment]] = []
    for c in comments:
        if c.parent_id and c.parent_id in groups:
            groups[c.parent_id].append(c)
        else:
            g = [c]
            groups[c.comment_id] = g
            order.append(g)
    return order


def paginate(comments: list[ReplicaComment], per_page: int, whole_threads: bool) -> list[list[ReplicaComment]]:
    """Comment pages of a post. Classic lists: chronological slices of ``per_page``. Threaded widget
    (``whole_threads``): whole threads packed into pages of at most ``per_page`` comments (a thread is never split
    unless it alone exceeds ``per_page``)."""
    if not comments:
        return []
    if not whole_threads:
        return [comments[i:i + per_page] for i in range(0, len(comments), per_page)]
    pages: list[list[ReplicaComment]] = []
    cur: list[ReplicaComment] = []
    for g in threads(comments):
        if cur and len(cur) + len(g) > per_page:
            pages.append(cur)
            cur = []
        while len(g) > per_page:
            pages.append(g[:per_page])
            g = g[per_page:]
        cur.extend(g)
    if cur:
        pages.append(cur)
    return pages
