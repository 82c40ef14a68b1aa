"""The replica's HTTP server: a generated Blogger blog on 127.0.0.1, for tests, benchmarks and manual runs.

:class:`ReplicaServer` routes each address to what Blogger serves there: pages in the chosen template family
(``render``), GData feeds (``feeds.py``) with their query semantics, sitemaps and robots.txt, the blog states of
``states.py`` and the faults of ``faults.py``. The blog it serves, its indexes and its live changes are a
:class:`~newscrawl.replica.blogsite.Site` (``blogsite.py``); the HTTP side is ``loopback.py``'s.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from datetime import datetime
from email.utils import format_datetime as http_date, parsedate_to_datetime
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import feeds as F
from . import states as S
from .blogsite import Site
from .faults import Fault, FaultSet, serve as serve_fault
from .formats import UTC, epoch_ms, format_datetime, iso_s
from .loopback import LoopbackServer, ReplicaHandler, Response
from .model import ReplicaBlog, ReplicaComment, ReplicaPost
from .render import TEMPLATES, Template, robots_txt

SITEMAP_PAGE = 500
HTML = "text/html; charset=UTF-8"

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


class ReplicaServer(LoopbackServer):
    """Serve a :class:`ReplicaBlog` on 127.0.0.1 (``port=0`` picks a free port).

    ``with ReplicaServer(blog) as server: server.url`` -> ``"http://127.0.0.1:PORT/"``.

    ``template``: a markup family of :data:`TEMPLATES` (minima, threaded, simple, contempo, dynamicviews).
    ``state``: what the blog address serves, one of :data:`states.STATES` (see ``states.py``: "ok", "private",
    "deleted", "not_found", "content_warning"). ``blogger_base``: where the private-blog redirect points
    (``blogin.g``); default the replica itself, so nothing leaves 127.0.0.1. ``clock``: a callable returning the
    current aware datetime, for the timestamps of live changes (default the system clock). ``faults``: a list of
    :class:`faults.Fault` served instead of the normal answers (see ``faults.py``), switchable with
    :meth:`set_faults`. ``requests`` / ``request_log``: every request's path and query (see
    :class:`~newscrawl.replica.loopback.LoopbackServer`).

    Live changes (thread-safe, visible to the next request): :meth:`add_post`, :meth:`edit_post`,
    :meth:`add_comment`, :meth:`remove_comment`, :meth:`delete_comment`. Feeds follow them as Blogger's do:
    ``orderby=updated&updated-min=T`` lists the posts (or comments) whose ``updated`` is at or after ``T``, newest
    ``updated`` first - new and edited posts; new and removed comments (deleted ones are simply gone) - and
    ``Last-Modified`` moves forward with every change a feed shows (see :meth:`feed`).
    """

    server_version = "GSE"

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
        self.fault_set = FaultSet(faults or ())

    # ------------------------------------------------------------------ lifecycle
    def started(self) -> None:
        self.site.base = self.base
        self.site.invalidate()

    # ------------------------------------------------------------------ public helpers
    def post_url(self, post: ReplicaPost | str) -> str:
        if isinstance(post, str):
            post = self.site.post_by_id[post]
        return self.site.post_url(post)

    def post_path(self, post: ReplicaPost | str) -> str:
        """The post's path and query as requested (what a fault's pattern matches)."""
        return self.post_url(post)[len(self.base):]

    def comment_pages(self, post: ReplicaPost | str) -> list[list[ReplicaComment]]:
        """The comments shown on ?commentPage=1, 2, ... of a post with this server's template."""
        if isinstance(post, str):
            post = self.site.post_by_id[post]
        return self.site.comment_pages(post, TEMPLATES[self.template].threaded_comments)

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
    def intercept(self, handler: ReplicaHandler, head: bool) -> bool:
        """Serve the first fault that matches this request, if any (see ``faults.py``)."""
        fault = self.fault_set.take(handler.path)
        if fault is None:
            return False
        serve_fault(handler, fault, self, head)
        return True

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
            hi = min(hi, bisect.bisect_right(neg, -epoch_ms(key_min)))
        if key_max is not None:
            lo = max(lo, bisect.bisect_right(neg, -epoch_ms(key_max)))
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


def start_blogs(count: int, port: int = 0, seed: int = 1, posts: int = 30, comments_per_post: int = 5,
                **options: Any) -> list[ReplicaServer]:
    """``count`` distinct generated blogs (seeds ``seed``, ``seed + 1`` ...), each served on its own port:
    ``port``, ``port + 1`` ... (0: any free ports). ``options`` go to every :class:`ReplicaServer`
    (template, feeds ...). The caller stops them (:func:`stop_blogs`)."""
    from .model import generate_blog  # the model is heavy to import for a caller that only serves one blog

    servers: list[ReplicaServer] = []
    try:
        for number in range(count):
            blog = generate_blog(posts=posts, comments_per_post=comments_per_post, seed=seed + number,
                                 big_post_comments=0)
            servers.append(ReplicaServer(blog, port=port + number if port else 0, **options).start())
    except BaseException:
        stop_blogs(servers)
        raise
    return servers


def stop_blogs(servers: list[ReplicaServer]) -> None:
    for server in servers:
        server.stop()
