"""The replica's HTTP server: a generated Blogger blog on 127.0.0.1, for tests, benchmarks and manual runs."""

from __future__ import annotations

import bisect
import hashlib
import random
import re
import threading
import time
import traceback
from datetime import datetime, timedelta
from email.utils import format_datetime as http_date, parsedate_to_datetime
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds as F
from . import states as S
from .model import (UTC, ReplicaBlog, ReplicaComment, ReplicaPost, comment_text_to_html, format_datetime, iso_s,
                    slugify, text_to_html)
from .faults import Fault, FaultSet, serve as serve_fault
from .loopback import LoopbackServer, QuietHandler
from .render import TEMPLATES, Template, paginate_comments, robots_txt

FEED_MODES = ("full", "summary", "none")
SITEMAP_PAGE = 500

_POST_RE = re.compile(r"^/(\d{4})/(\d{2})/([^/]+\.html)$")
_MONTH_RE = re.compile(r"^/(\d{4})/(\d{2})/?$")
_YEAR_RE = re.compile(r"^/(\d{4})/?$")
_OLD_ARCHIVE_RE = re.compile(r"^/(\d{4})_(\d{2})_01_archive\.html$")


def _parse_time(value: str | None, tz) -> datetime | None:
    """ISO 8601 from a query string ('+' may have been decoded to ' '); date-only or naive means blog-local."""
    if not value:
        return None
    v = value.strip().replace(" ", "+")
    if v.endswith("Z"):
        v = v[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _ms(dt: datetime) -> int:
    return int(round(dt.timestamp() * 1000))


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

    def comment_pages(self, post: ReplicaPost, template: str) -> list[list[ReplicaComment]]:
        return self.cached(("cpages", post.post_id, template, len(post.comments)),
                           lambda: paginate_comments(post.comments, template, self.comments_per_page))

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
                    entries = sorted(posts, key=lambda p: (_ms(p.updated), p.post_id), reverse=True)
                    keys = [_ms(p.updated) for p in entries]
                else:
                    entries = list(posts)  # already newest first by published
                    keys = [_ms(p.published) for p in entries]
            else:
                post_id = key[1]
                order = key[2] if len(key) > 2 else "published"
                comments = (self.post_by_id[post_id].comments if post_id
                            else [c for p in self.blog.posts for c in p.comments])
                attr = "updated" if order == "updated" else "published"
                entries = sorted(comments, key=lambda c: (_ms(getattr(c, attr)), c.comment_id), reverse=True)
                keys = [_ms(getattr(c, attr)) for c in entries]
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


class _Handler(QuietHandler):
    server_version = "GSE"
    replica: "ReplicaServer"  # set on the subclass

    def serve(self, head: bool) -> None:
        rep = self.replica
        with rep._req_lock:
            rep.requests.append(self.path)
            rep.request_log.append((time.monotonic(), self.path))
        fault = rep.fault_set.take(self.path)
        if fault is not None:
            serve_fault(self, fault, rep, head)
            return
        try:
            status, ctype, body, headers = rep.route(self.path, self.headers)
        except Exception as exc:  # a bug in the replica should not look like a network error
            traceback.print_exc()
            status, ctype, body, headers = 500, "text/plain; charset=UTF-8", f"replica error: {exc}".encode(), {}
        self.answer(status, ctype, body, headers, head)


Response = tuple[int, str, bytes, dict[str, str]]
HTML = "text/html; charset=UTF-8"


class ReplicaServer(LoopbackServer):
    """Serve a :class:`ReplicaBlog` on 127.0.0.1 (``port=0`` picks a free port).

    ``with ReplicaServer(blog) as server: server.url`` -> ``"http://127.0.0.1:PORT/"``.

    ``template``: a markup family of :data:`TEMPLATES` (minima, threaded, simple, contempo, dynamicviews).
    ``state``: what the blog address serves, one of :data:`states.STATES` (see ``states.py``: "ok", "private",
    "deleted", "not_found", "content_warning"). ``blogger_base``: where the private-blog redirect points
    (``blogin.g``); default the replica itself, so nothing leaves 127.0.0.1. ``clock``: a callable returning the
    current aware datetime, for the timestamps of live changes (default the system clock). ``faults``: a list of
    :class:`faults.Fault` served instead of the normal answers (see ``faults.py``), switchable with
    :meth:`set_faults`. ``requests`` lists every request's path and query; ``request_log`` the same with the
    ``time.monotonic()`` at which each arrived.

    Live changes (thread-safe, visible to the next request): :meth:`add_post`, :meth:`edit_post`,
    :meth:`add_comment`, :meth:`remove_comment`, :meth:`delete_comment`. Feeds follow them as Blogger's do:
    ``orderby=updated&updated-min=T`` lists the posts (or comments) whose ``updated`` is at or after ``T``, newest
    ``updated`` first - new and edited posts; new and removed comments (deleted ones are simply gone) - and
    ``Last-Modified`` moves forward with every change a feed shows (see :meth:`feed`).
    """

    handler_class = _Handler

    def __init__(self, blog: ReplicaBlog, template: str = "minima", feeds: str = "full", feed_cap: int = 150,
                 port: int = 0, host: str = "127.0.0.1", posts_per_page: int = 7, archive_posts_per_page: int = 20,
                 comments_per_page: int = 200, state: str = "ok", blogger_base: str | None = None,
                 clock: Callable[[], datetime] | None = None, faults: list[Fault] | None = None):
        if template not in TEMPLATES:
            raise ValueError(f"template must be one of {sorted(TEMPLATES)}, not {template!r}")
        if state not in S.STATES:
            raise ValueError(f"state must be one of {S.STATES}, not {state!r}")
        self.blog = blog
        self.template = template
        self.state = state
        self.blogger_base = blogger_base
        self.site = Site(blog, feeds, feed_cap, posts_per_page, archive_posts_per_page, comments_per_page, clock)
        super().__init__(host, port)
        self.requests: list[str] = []
        self.request_log: list[tuple[float, str]] = []
        self.fault_set = FaultSet(faults or ())
        self._req_lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle
    def started(self) -> None:
        self.site.base = self.base
        self.site.invalidate()

    # ------------------------------------------------------------------ public helpers
    def post_url(self, post: ReplicaPost | str) -> str:
        if isinstance(post, str):
            post = self.site.post_by_id[post]
        return self.site.post_url(post)

    def comment_pages(self, post: ReplicaPost | str) -> list[list[ReplicaComment]]:
        """The comments shown on ?commentPage=1, 2, ... of a post with this server's template."""
        if isinstance(post, str):
            post = self.site.post_by_id[post]
        return self.site.comment_pages(post, self.template)

    def add_comment(self, post_id: str, author: str = "Anonymous", text: str = "", parent_id: str | None = None,
                    **kw: Any) -> ReplicaComment:
        return self.site.add_comment(post_id, author=author, text=text, parent_id=parent_id, **kw)

    def add_post(self, title: str, text: str = "", **kw: Any) -> ReplicaPost:
        return self.site.add_post(title, text, **kw)

    def edit_post(self, post_id: str, title: str | None = None, text: str | None = None, html: str | None = None,
                  labels: list[str] | None = None) -> ReplicaPost:
        """Edit a published post (see :meth:`Site.edit_post`): new title/body/labels, ``updated`` = now."""
        return self.site.edit_post(post_id, title=title, text=text, html=html, labels=labels)

    def remove_comment(self, comment_id: str, by: str = "author") -> ReplicaComment:
        """Remove a comment by its author or an admin (see :meth:`Site.remove_comment`): it stays, shows the
        removal sentence, gets ``blogger.contentRemoved`` and ``updated`` = now."""
        return self.site.remove_comment(comment_id, by=by)

    def delete_comment(self, comment_id: str) -> list[ReplicaComment]:
        """Delete a comment and its replies for good (see :meth:`Site.delete_comment`)."""
        return self.site.delete_comment(comment_id)

    def set_faults(self, faults: list[Fault]) -> None:
        """Serve these faults from the next request on (``[]``: none); failure counts start again."""
        self.fault_set.replace(faults)

    # ------------------------------------------------------------------ routing
    def tpl(self) -> Template:
        return TEMPLATES[self.template](self.site)

    def route(self, raw_path: str, headers: Any) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        q = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        site = self.site
        if self.state != "ok":
            interposed = self.state_route(raw_path, path, q, headers)
            if interposed is not None:
                return interposed
        if path == "/robots.txt":
            return 200, "text/plain; charset=UTF-8", robots_txt(site.base).encode(), {}
        if path.startswith("/feeds/"):
            return self.feed(path, q, headers)
        if path in ("/atom.xml", "/rss.xml"):
            target = "/feeds/posts/default" + ("?alt=rss" if path == "/rss.xml" else "")
            return 301, HTML, b"", {"Location": site.base + target}
        if path == "/sitemap.xml":
            return self.sitemap(q)
        if path == "/favicon.ico":
            return 404, "text/plain; charset=UTF-8", b"not found", {}
        if path == "/":
            return self.home()
        if path == "/search" or path.startswith("/search/label/"):
            return self.search(path, q)
        m = _POST_RE.match(path)
        if m:
            post = site.post_by_path.get(path)
            if post is None:
                return self.not_found()
            page = _int(q.get("commentPage"), 1)
            newer, older = site.neighbours(post)
            return 200, HTML, self.tpl().post_page(post, page, newer, older).encode(), {}
        m = _MONTH_RE.match(path) or _OLD_ARCHIVE_RE.match(path)
        if m:
            return self.month(int(m.group(1)), int(m.group(2)))
        m = _YEAR_RE.match(path)
        if m:
            return self.year(int(m.group(1)))
        return self.not_found()

    def not_found(self) -> Response:
        return 404, HTML, self.tpl().not_found_page().encode(), {}

    # ------------------------------------------------------------------ blog states (see states.py)
    def state_route(self, raw_path: str, path: str, q: dict[str, str], headers: Any) -> Response | None:
        """The response that replaces the blog in a non-"ok" state, or None to serve the blog."""
        site = self.site
        host = urlsplit(site.base).netloc
        if self.state in ("deleted", "not_found"):
            page = S.removed_page(host) if self.state == "deleted" else S.not_found_page(host)
            return 404, HTML, page.encode(), {}
        if self.state == "private":
            blogger = (self.blogger_base or site.base).rstrip("/")
            if path == "/blogin.g" and blogger == site.base:
                blog_url = q.get("blogspotURL", site.base + "/")
                if q.get("bpli") != "1":
                    target = f"{site.base}{raw_path}&bpli=1" if "?" in raw_path else f"{site.base}{raw_path}?bpli=1"
                    return 302, HTML, b"", {"Location": target}
                signin = ("https://accounts.google.com/ServiceLogin?continue="
                          + quote(f"{blogger}/blogin.g?blogspotURL={blog_url}&type=blog", safe=""))
                return 200, HTML, S.private_page(blog_url, signin).encode(), {}
            if path.startswith("/feeds/") or path in ("/atom.xml", "/rss.xml"):
                return 401, HTML, b"<html><body><h1>Unauthorized</h1></body></html>", {}
            target = f"{blogger}/blogin.g?blogspotURL={quote(site.base + raw_path, safe=':/')}&type=blog"
            return 302, HTML, b"", {"Location": target}
        if self.state == "content_warning":
            if path.startswith("/feeds/") or path in ("/atom.xml", "/rss.xml", "/robots.txt", "/sitemap.xml",
                                                      "/favicon.ico"):
                return None
            token = S.interstitial_token(self.blog.blog_id)
            if "interstitial" in q:
                rest = urlsplit(raw_path)
                kept = "&".join(part for part in rest.query.split("&") if part and not part.startswith("interstitial="))
                target = site.base + rest.path + (f"?{kept}" if kept else "")
                if q["interstitial"] != token:
                    return 302, HTML, b"", {"Location": target}
                return 302, HTML, b"", {"Location": target,
                                        "Set-Cookie": f"{S.INTERSTITIAL_COOKIE}={token}; Path=/; HttpOnly"}
            if self._cookie(headers, S.INTERSTITIAL_COOKIE) == token:
                return None
            sep = "&" if "?" in raw_path else "?"
            return 200, HTML, S.content_warning_page(f"{site.base}{raw_path}{sep}interstitial={token}").encode(), {}
        return None

    @staticmethod
    def _cookie(headers: Any, name: str) -> str | None:
        raw = headers.get("Cookie") if headers is not None else None
        if not raw:
            return None
        try:
            jar = SimpleCookie(raw)
        except CookieError:
            return None
        return jar[name].value if name in jar else None

    def _older_link(self, last: ReplicaPost, n: int) -> str:
        return f"{self.site.base}/search?updated-max={quote(iso_s(last.published), safe=':')}&max-results={n}"

    def home(self) -> Response:
        site = self.site
        n = site.posts_per_page
        posts = site.posts()
        shown = posts[:n]
        older = self._older_link(shown[-1], n) if len(posts) > n else None
        expanded = (shown[0].year, shown[0].month) if shown else None
        body = self.tpl().list_page(self.blog.title, f"{site.base}/", shown, older, None, expanded)
        return 200, HTML, body.encode(), {}

    def month(self, year: int, month: int) -> Response:
        site = self.site
        posts = site.month_posts(year, month)
        if not posts:
            return self.not_found()
        n = site.archive_posts_per_page
        shown = posts[:n]
        older = self._older_link(shown[-1], n) if len(posts) > n else None
        title = f"{self.blog.title}: {format_datetime(posts[0].published, 'MMMM yyyy', self.blog.language)}"
        body = self.tpl().list_page(title, f"{site.base}/{year}/{month:02d}/", shown, older, None, (year, month))
        return 200, HTML, body.encode(), {}

    def year(self, year: int) -> Response:
        site = self.site
        posts = site.year_posts(year)
        if not posts:
            return self.not_found()
        n = site.archive_posts_per_page
        shown = posts[:n]
        older = self._older_link(shown[-1], n) if len(posts) > n else None
        body = self.tpl().list_page(f"{self.blog.title}: {year}", f"{site.base}/{year}/", shown, older, None,
                                    (year, shown[0].month))
        return 200, HTML, body.encode(), {}

    def search(self, path: str, q: dict[str, str]) -> Response:
        """/search?updated-max=ISO&max-results=N (Older Posts), updated-min + reverse-paginate (Newer Posts),
        /search/label/LABEL, /search?q=words (titles only). Disallowed by robots.txt, served anyway (like Blogger)."""
        site = self.site
        tz = self.blog.tz
        status = ""
        label = None
        if path.startswith("/search/label/"):
            label = unquote(path[len("/search/label/"):])
            posts = site.label_posts([label])
            status = self.tpl().label_status(label)
        else:
            posts = site.posts()
        if q.get("q"):
            words = q["q"].lower().split()
            posts = [p for p in posts if all(w in p.title.lower() for w in words)]
        n = max(1, min(_int(q.get("max-results"), site.posts_per_page), 500))
        umax = _parse_time(q.get("updated-max"), tz)
        umin = _parse_time(q.get("updated-min"), tz)
        newest = posts[0] if posts else None
        reverse = q.get("reverse-paginate") == "true" and umin is not None
        if umax is not None:
            posts = [p for p in posts if p.published < umax]
        if umin is not None:
            posts = [p for p in posts if (p.published > umin if reverse else p.published >= umin)]
        if reverse:
            shown = posts[-n:]
            has_older = True
        else:
            shown = posts[:n]
            has_older = len(posts) > n
        base_path = f"{site.base}{path}"  # path is still percent-encoded as requested
        older = (f"{base_path}?updated-max={quote(iso_s(shown[-1].published), safe=':')}&max-results={n}"
                 if shown and has_older else None)
        newer = (f"{base_path}?updated-min={quote(iso_s(shown[0].published), safe=':')}&max-results={n}"
                 f"&reverse-paginate=true" if shown and shown[0] is not newest and (umax or umin) else None)
        expanded = (shown[0].year, shown[0].month) if shown else None
        title = f"{self.blog.title}: {label}" if label else self.blog.title
        body = self.tpl().list_page(title, f"{site.base}{path}", shown, older, newer, expanded, status)
        return 200, HTML, body.encode(), {}

    def sitemap(self, q: dict[str, str]) -> Response:
        site = self.site
        posts = site.posts()
        xml = "application/xml; charset=UTF-8"
        if "page" not in q:
            pages = max(1, (len(posts) + SITEMAP_PAGE - 1) // SITEMAP_PAGE)
            items = "".join(f"<sitemap><loc>{site.base}/sitemap.xml?page={i}</loc></sitemap>"
                            for i in range(1, pages + 1))
            body = ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex "
                    f"xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{items}</sitemapindex>")
            return 200, xml, body.encode(), {}
        page = _int(q.get("page"), 1)
        chunk = posts[(page - 1) * SITEMAP_PAGE: page * SITEMAP_PAGE] if page >= 1 else []
        items = "".join(f"<url><loc>{site.post_url(p)}</loc><lastmod>"
                        f"{p.updated.astimezone(UTC).isoformat(timespec='seconds').replace('+00:00', 'Z')}"
                        f"</lastmod></url>" for p in chunk)
        body = ("<?xml version='1.0' encoding='UTF-8'?><urlset "
                f"xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{items}</urlset>")
        return 200, xml, body.encode(), {}

    # ------------------------------------------------------------------ feeds
    def feed(self, path: str, q: dict[str, str], headers: Any) -> Response:
        """GData feeds: ``/feeds/posts/default[/-/LABEL...]``, ``/feeds/posts/default/POSTID``,
        ``/feeds/comments/default``, ``/feeds/POSTID/comments/default[/COMMENTID]`` (``summary`` for ``default``).

        Query semantics (times are ISO 8601; without offset they are blog-local; compared at millisecond precision):

        * order: newest ``published`` first; with ``orderby=updated`` newest ``updated`` first (posts and comments
          alike); ties broken by id, descending. ``reverse=false`` turns the selected list around.
        * ``updated-min`` (inclusive) / ``updated-max`` (exclusive) filter on ``updated`` and count only together
          with ``orderby=updated`` (ignored otherwise, as on Blogger); ``published-min`` (inclusive) /
          ``published-max`` (exclusive) filter on ``published`` always.
        * ``openSearch:totalResults`` is the number of entries the filters select; ``start-index`` (1-based) and
          ``max-results`` (default 25, capped at ``feed_cap``) page through them, ``rel=next``/``previous`` links
          repeat the other parameters.
        * ``updated``: a post's changes when it is edited (edit_post) and is set at creation (add_post); a
          comment's equals ``published`` until it is removed (remove_comment), then it is the removal time. A
          deleted comment (delete_comment) leaves no entry; only ``thr:total`` and ``totalResults`` drop.
        * ``ETag`` is a hash of the body; ``Last-Modified`` (whole seconds) is the last change the document can
          show: posts feeds - any post or comment change or deletion in the blog (entries carry comment counts);
          blog comments feed - newest comment ``updated`` or deletion; a post's comments feed and single post
          entry - that post's ``updated``, its comments' ``updated``, deletions of its comments; a single comment -
          its ``updated``. ``If-None-Match`` (checked first) / ``If-Modified-Since`` give ``304`` when unchanged.
          Two changes within one second share a ``Last-Modified``: prefer ``If-None-Match``.
        """
        site = self.site
        if site.feeds == "none":
            return 404, HTML, b"<html><body><h1>Not Found</h1><p>Feeds are disabled for this blog.</p></body></html>", {}
        segs = [unquote(s) for s in path.strip("/").split("/")][1:]  # after "feeds"
        blog = self.blog
        summary_path = False
        # /feeds/posts/default[/-/L1/L2] | /feeds/posts/summary[...] | /feeds/posts/default/POSTID
        if len(segs) >= 2 and segs[0] == "posts" and segs[1] in ("default", "summary"):
            summary_path = segs[1] == "summary"
            rest = segs[2:]
            if len(rest) == 1 and rest[0].isdigit():
                post = site.post_by_id.get(rest[0])
                if post is None:
                    return self._feed_404()
                entry = F.post_entry(site, post, summary_path or site.feeds == "summary")
                return self._single(entry, q, headers, site.last_change(post))
            labels: list[str] = []
            if rest:
                if rest[0] != "-" or len(rest) < 2:
                    return self._feed_404()
                labels = rest[1:]
            return self._feed_page("posts", ("posts", labels), q, headers,
                                   summary=summary_path or site.feeds == "summary",
                                   self_path=path, feed_id=f"tag:blogger.com,1999:blog-{blog.blog_id}")
        # /feeds/comments/default | /feeds/comments/summary
        if len(segs) == 2 and segs[0] == "comments" and segs[1] in ("default", "summary"):
            return self._feed_page("comments", ("comments", None), q, headers, summary=False, self_path=path,
                                   feed_id=f"tag:blogger.com,1999:blog-{blog.blog_id}.comments")
        # /feeds/POSTID/comments/default[/COMMENTID]
        if len(segs) >= 3 and segs[0].isdigit() and segs[1] == "comments" and segs[2] in ("default", "summary"):
            post = site.post_by_id.get(segs[0])
            if post is None:
                return self._feed_404()
            if len(segs) == 4:
                c = site.comment_by_id.get(segs[3])
                if c is None or c.post_id != post.post_id:
                    return self._feed_404()
                return self._single(F.comment_entry(site, c), q, headers, c.updated)
            if len(segs) != 3:
                return self._feed_404()
            return self._feed_page("comments", ("comments", post.post_id), q, headers, summary=False,
                                   self_path=path,
                                   feed_id=f"tag:blogger.com,1999:blog-{blog.blog_id}.post{post.post_id}..comments",
                                   title=f"Comments on {blog.title}: {post.title}")
        return self._feed_404()

    def _feed_404(self) -> Response:
        return 404, HTML, b"<html><body><h1>Not Found</h1></body></html>", {}

    def _feed_page(self, kind: str, spec: tuple, q: dict[str, str], headers: Any, summary: bool, self_path: str,
                   feed_id: str, title: str | None = None) -> Response:
        site = self.site
        tz = self.blog.tz
        order = "updated" if q.get("orderby") == "updated" else "published"
        if kind == "posts":
            entries, neg = site.sorted_entries(("posts", order, tuple(spec[1])))
        else:
            entries, neg = site.sorted_entries(("comments", spec[1], order))
        # updated-min/max count only with orderby=updated (as on Blogger); published-min/max always.
        # neg holds the negated sort keys (ascending) so bounds are two bisections.
        umin = umax = None
        if q.get("orderby") == "updated":
            umin, umax = _parse_time(q.get("updated-min"), tz), _parse_time(q.get("updated-max"), tz)
        pmin, pmax = _parse_time(q.get("published-min"), tz), _parse_time(q.get("published-max"), tz)
        if order == "updated":  # by updated: published bounds filter linearly
            key_min, key_max = umin, umax
        else:  # by published (updated-min/max are None here)
            key_min = max([d for d in (umin, pmin) if d is not None], default=None)
            key_max = min([d for d in (umax, pmax) if d is not None], default=None)
            pmin = pmax = None
        lo, hi = 0, len(entries)
        if key_min is not None:
            hi = min(hi, bisect.bisect_right(neg, -_ms(key_min)))
        if key_max is not None:
            lo = max(lo, bisect.bisect_right(neg, -_ms(key_max)))
        selected = entries[lo:hi] if hi > lo else []
        if pmin is not None or pmax is not None:
            selected = [e for e in selected if (pmin is None or e.published >= pmin)
                        and (pmax is None or e.published < pmax)]
        if q.get("reverse") == "false":
            selected = selected[::-1]
        total = len(selected)
        start = max(1, _int(q.get("start-index"), 1))
        max_results = _int(q.get("max-results"), 25)
        max_results = max(0, min(max_results, site.feed_cap))
        page_entries = selected[start - 1:start - 1 + max_results]
        params = {k: v for k, v in q.items() if k not in ("start-index", "max-results")}
        if kind == "posts":
            upd = max((p.updated for p in entries), default=None)
            # entries show comment counts too: any post or comment change (or deletion) counts
            last_mod = site.last_change()
        else:
            upd = site.comments_updated(spec[1])
            last_mod = (site.last_change(site.post_by_id[spec[1]]) if spec[1]
                        else site.cached("comments_last_change", lambda: max(
                            [t for t in (upd, max(site.deleted_at.values(), default=None)) if t is not None],
                            default=None)))
        if upd is None:
            upd = max((p.updated for p in site.posts()), default=datetime(2000, 1, 1, tzinfo=UTC))
        if last_mod is None:
            last_mod = upd
        page = F.FeedPage(kind=kind, feed_id=feed_id, self_path=self_path, entries=page_entries, total=total,
                          start_index=start, items_per_page=max_results, params=params, updated=upd,
                          summary=summary, title=title)
        return self._render_feed(F.feed_json(site, page), q, headers, last_mod)

    def _single(self, entry: dict[str, Any], q: dict[str, str], headers: Any, updated: datetime) -> Response:
        doc = F.single_entry_json(self.site, entry)
        return self._render_feed(doc, q, headers, updated)

    def _render_feed(self, doc: dict[str, Any], q: dict[str, str], headers: Any, updated: datetime) -> Response:
        alt = q.get("alt", "atom")
        if alt == "json":
            body, ctype = F.json_document(doc), "application/json; charset=UTF-8"
        elif alt == "json-in-script":
            cb = re.sub(r"[^A-Za-z0-9_.$]", "", q.get("callback", "")) or "handleResponse"
            body, ctype = F.json_document(doc, cb), "text/javascript; charset=UTF-8"
        elif alt == "rss" and "feed" in doc:
            body, ctype = F.rss_document(self.site, doc), "application/rss+xml; charset=UTF-8"
        else:
            body, ctype = F.atom_document(doc), "application/atom+xml; charset=UTF-8"
        data = body.encode("utf-8")
        etag = '"' + hashlib.sha1(data).hexdigest()[:24] + '"'
        last_mod = updated.astimezone(UTC).replace(microsecond=0)
        hdrs = {"ETag": etag, "Last-Modified": http_date(last_mod, usegmt=True),
                "Cache-Control": "private, max-age=0"}
        inm = headers.get("If-None-Match") if headers is not None else None
        ims = headers.get("If-Modified-Since") if headers is not None else None
        if inm:
            if etag in [x.strip() for x in inm.split(",")] or inm.strip() == "*":
                return 304, ctype, b"", hdrs
        elif ims:
            try:
                since = parsedate_to_datetime(ims)
                if since.tzinfo is None:
                    since = since.replace(tzinfo=UTC)
                if last_mod <= since:
                    return 304, ctype, b"", hdrs
            except (TypeError, ValueError):
                pass
        return 200, ctype, data, hdrs
