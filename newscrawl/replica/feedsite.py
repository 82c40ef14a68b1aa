"""A plain feed blog on 127.0.0.1: a small custom CMS with an RSS or Atom feed, for the ``feed`` spider's tests.

It serves a :class:`~newscrawl.replica.model.ReplicaBlog` (the ground truth a crawl is compared with) the way
blogs outside Blogger and WordPress publish:

* ``/``: the home page, with feed autodiscovery (``<link rel="alternate">``; the comments feed is listed first, so
  a crawler must tell it from the posts feed);
* the posts feed, ``/feed.xml`` (RSS 2.0) or ``/feed.atom`` (Atom 1.0), ``content`` ``full`` (the post) or
  ``summary`` (an excerpt: the body is on the post page); ``paging``: ``paged`` (``?paged=N``, no links, 404 past
  the end, as WordPress), ``next`` (RFC 5005 paged feed: ``rel="next"``) or ``archive`` (RFC 5005 archived feed:
  the newest entries, ``rel="prev-archive"`` to ``/archive/N.xml``, archive 1 the oldest);
* with ``comment_feeds=True``: each post's comment feed (``wfw:commentRss`` / ``link rel="replies"``,
  ``/comments/POSTID.xml``, newest first, paged like the posts feed; Atom entries carry RFC 4685
  ``thr:in-reply-to``) and the blog-wide comments feed ``/comments/feed.xml`` (``.atom``);
* post pages ``/YYYY/MM/slug.html`` with the comments in ``markup``: ``drupal`` (Drupal 7: ``a#comment-N`` +
  ``article.comment``, replies in ``div.indented``, ``time[datetime]``), ``spip`` (``li.forum-fil`` /
  ``.forum-message``, ``abbr.date[title]`` in UTC) or ``list`` (``ol.commentlist > li.comment#comment-N``, replies
  in ``ul.children``, the date only as text in the blog's language); with ``disqus=True`` comments are not in the
  page but loaded by script from Disqus (``#disqus_thread``, ``embed.js``), and the feeds carry no counts;
* ``/robots.txt``.

Comments the model marks removed are not published (neither they nor their replies are served):
:meth:`FeedSite.comments_of` is what the site shows.  Feed answers carry an ``ETag`` (a hash of the body) and a
``Last-Modified`` (the blog's last change) and answer ``If-None-Match`` / ``If-Modified-Since`` with 304.
Live changes: :meth:`FeedSiteServer.add_post`, :meth:`FeedSiteServer.add_comment`.

    blog = generate_blog(posts=25, comments_per_post=4, seed=3, big_post_comments=0)
    with FeedSiteServer(blog, format="atom", content="summary", paging="next", markup="drupal") as server:
        server.url  # "http://127.0.0.1:PORT/"

Run by hand: ``python -m newscrawl.replica.feedsite --format atom --paging next`` (``--help`` for the rest).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import threading
from datetime import datetime, timedelta
from email.utils import format_datetime as rfc822, parsedate_to_datetime
from html import escape
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from .loopback import LoopbackServer, Response
from .formats import UTC, format_datetime, iso_s
from .model import ReplicaBlog, ReplicaComment, ReplicaPost, generate_blog
from .texts import comment_text_to_html, slugify, text_to_html

FORMATS = ("rss", "atom")
CONTENT_MODES = ("full", "summary")
PAGING_MODES = ("paged", "next", "archive")
MARKUPS = ("drupal", "spip", "list")

HTML = "text/html; charset=UTF-8"
_FEED_TYPE = {"rss": "application/rss+xml; charset=UTF-8", "atom": "application/atom+xml; charset=UTF-8"}
_EXT = {"rss": "xml", "atom": "atom"}
_TAG_AUTHORITY = "tag:feedsite.test,2024"
_SITE_COMMENTS_PAGE = 25


def post_tag(post: ReplicaPost) -> str:
    """The Atom id of a post (RSS guids are the permalinks)."""
    return f"{_TAG_AUTHORITY}:post-{post.post_id}"


def comment_tag(comment: ReplicaComment) -> str:
    return f"{_TAG_AUTHORITY}:comment-{comment.comment_id}"


def _system_clock() -> datetime:
    return datetime.now(UTC)


class FeedSite:
    """The site: what each address serves (pure functions of the blog and the settings) and live changes."""

    def __init__(self, blog: ReplicaBlog, format: str = "rss", content: str = "full", paging: str = "paged",
                 comment_feeds: bool = True, markup: str = "drupal", disqus: bool = False, page_size: int = 10,
                 comment_page_size: int = 10, clock: Callable[[], datetime] | None = None):
        for value, allowed, name in ((format, FORMATS, "format"), (content, CONTENT_MODES, "content"),
                                     (paging, PAGING_MODES, "paging"), (markup, MARKUPS, "markup")):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
        self.blog = blog
        self.format = format
        self.content = content
        self.paging = paging
        self.comment_feeds = comment_feeds and not disqus
        self.markup = markup
        self.disqus = disqus
        self.page_size = page_size
        self.comment_page_size = comment_page_size
        self.clock = clock or _system_clock
        self.base = "http://127.0.0.1"
        self.lock = threading.RLock()
        self.post_by_path = {p.path: p for p in blog.posts}
        self.post_by_id = {p.post_id: p for p in blog.posts}

    # -- what is published --------------------------------------------------------------------

    def post_url(self, post: ReplicaPost) -> str:
        return f"{self.base}{post.path}"

    def comments_of(self, post: ReplicaPost) -> list[ReplicaComment]:
        """The comments the site shows, oldest first: removed ones and replies to them are unpublished."""
        hidden = {c.comment_id for c in post.comments if c.removed}
        return [c for c in post.comments if c.comment_id not in hidden and c.parent_id not in hidden]

    def feed_path(self) -> str:
        return f"/feed.{_EXT[self.format]}"

    def comment_feed_path(self, post: ReplicaPost) -> str:
        return f"/comments/{post.post_id}.{_EXT[self.format]}"

    def site_comments_path(self) -> str:
        return f"/comments/feed.{_EXT[self.format]}"

    def last_change(self) -> datetime:
        times = [p.updated for p in self.blog.posts] + [c.published for p in self.blog.posts for c in p.comments]
        return max(times, default=datetime(2000, 1, 1, tzinfo=UTC))

    # -- live changes -------------------------------------------------------------------------

    def _now(self, after: datetime | None) -> datetime:
        now = self.clock().astimezone(UTC).replace(microsecond=0)
        if after is not None and now <= after:
            now = after.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
        return now

    def add_post(self, title: str, text: str = "", labels: list[str] | None = None) -> ReplicaPost:
        with self.lock:
            blog = self.blog
            newest = blog.posts[0].published if blog.posts else None
            published = self._now(newest).astimezone(blog.tz)
            path = f"/{published.year}/{published.month:02d}/{slugify(title) if title else 'blog-post'}.html"
            while path in self.post_by_path:
                path = path.replace(".html", "-1.html")
            post = ReplicaPost(
                post_id=self._new_id(), path=path, title=title, author_name=blog.author_name,
                author_url=blog.author_url, published=published, updated=published,
                labels=sorted(labels or [], key=str.lower), language=blog.language,
                _html="<br />\n".join(text_to_html(line) for line in text.split("\n")), _text=text,
            )
            blog.posts = [post] + blog.posts
            self.post_by_path[post.path] = post
            self.post_by_id[post.post_id] = post
            return post

    def add_comment(self, post_id: str, author: str = "Anonymous", text: str = "",
                    parent_id: str | None = None) -> ReplicaComment:
        with self.lock:
            post = self.post_by_id[post_id]
            last = max((c.published for c in post.comments), default=post.published)
            comment = ReplicaComment(
                comment_id=self._new_id(), post_id=post_id, parent_id=parent_id, author_name=author,
                author_url=None, is_blog_author=False, published=self._now(max(last, self.last_change())),
                language=self.blog.language, _html=comment_text_to_html(text),
            )
            post.comments = post.comments + [comment]
            return comment

    def _new_id(self) -> str:
        taken = set(self.post_by_id) | {c.comment_id for p in self.blog.posts for c in p.comments}
        rng = random.SystemRandom()
        while True:
            candidate = str(rng.randrange(10**18, 9_223_372_036_854_775_807))
            if candidate not in taken:
                return candidate

    # -- routing ------------------------------------------------------------------------------

    def route(self, raw_path: str, headers: Any) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            if path == "/robots.txt":
                return 200, "text/plain; charset=UTF-8", b"User-agent: *\nDisallow: /admin/\n", {}
            if path == "/":
                return 200, HTML, self.home_page().encode(), {}
            if path == self.feed_path():
                return self.posts_feed(query, headers)
            if path.startswith("/archive/") and self.paging == "archive":
                return self.archive_feed(path, headers)
            if path.startswith("/comments/") and self.comment_feeds:
                return self.comments_feed(path, query, headers)
            post = self.post_by_path.get(path)
            if post is not None:
                return 200, HTML, self.post_page(post).encode(), {}
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}

    # -- feeds ---------------------------------------------------------------------------------

    def posts_feed(self, query: dict[str, str], headers: Any) -> Response:
        posts = self.blog.posts  # newest first
        if self.paging == "archive":
            archives, current = self._archives()
            links = {"prev-archive": f"/archive/{len(archives)}.{_EXT[self.format]}"} if archives else {}
            return self._feed(self.feed_path(), current, links, headers, archive=False)
        number = _page_number(query)
        chunk = posts[(number - 1) * self.page_size:number * self.page_size]
        if number > 1 and not chunk:
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}
        links = {}
        if self.paging == "next" and number * self.page_size < len(posts):
            links["next"] = f"{self.feed_path()}?paged={number + 1}"
        return self._feed(self.feed_path(), chunk, links, headers)

    def _archives(self) -> tuple[list[list[ReplicaPost]], list[ReplicaPost]]:
        """RFC 5005 archives: fixed chunks from the oldest post on (they never change as posts are added);
        the subscription document holds the rest (1 to page_size posts)."""
        oldest_first = self.blog.posts[::-1]
        complete = max(0, (len(oldest_first) - 1) // self.page_size)
        archives = [oldest_first[i * self.page_size:(i + 1) * self.page_size][::-1] for i in range(complete)]
        return archives, oldest_first[complete * self.page_size:][::-1]

    def archive_feed(self, path: str, headers: Any) -> Response:
        archives, _ = self._archives()
        name = path.rsplit("/", 1)[-1]
        number = name.split(".")[0]
        if not number.isdigit() or not 1 <= int(number) <= len(archives) or not name.endswith(_EXT[self.format]):
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}
        index = int(number)
        links = {"current": self.feed_path()}
        if index > 1:
            links["prev-archive"] = f"/archive/{index - 1}.{_EXT[self.format]}"
        links["next-archive"] = (f"/archive/{index + 1}.{_EXT[self.format]}" if index < len(archives)
                                 else self.feed_path())
        return self._feed(path, archives[index - 1], links, headers, archive=True)

    def _feed(self, path: str, posts: list[ReplicaPost], links: dict[str, str], headers: Any,
              archive: bool = False) -> Response:
        render = self._rss if self.format == "rss" else self._atom
        items = "".join(self._post_entry(post) for post in posts)
        body = render(self.blog.title, self.blog.description, path, links, items, archive)
        return _conditional(body, _FEED_TYPE[self.format], self.last_change(), headers)

    def comments_feed(self, path: str, query: dict[str, str], headers: Any) -> Response:
        name = path[len("/comments/"):]
        stem, _, ext = name.partition(".")
        if ext != _EXT[self.format]:
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}
        if stem == "feed":
            comments = [c for p in self.blog.posts for c in self.comments_of(p)]
            size, title = _SITE_COMMENTS_PAGE, f"Comments for {self.blog.title}"
        elif stem in self.post_by_id:
            post = self.post_by_id[stem]
            comments, size, title = self.comments_of(post), self.comment_page_size, f"Comments on: {post.title}"
        else:
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}
        comments = sorted(comments, key=lambda c: (c.published, c.comment_id), reverse=True)
        number = _page_number(query)
        chunk = comments[(number - 1) * size:number * size]
        if number > 1 and not chunk:
            return 404, HTML, b"<html><body><h1>Not found</h1></body></html>", {}
        links = {}
        if self.paging != "paged" and number * size < len(comments):
            links["next"] = f"{path}?paged={number + 1}"
        render = self._rss if self.format == "rss" else self._atom
        body = render(title, None, path, links, "".join(self._comment_entry(c) for c in chunk), False)
        return _conditional(body, _FEED_TYPE[self.format], self.last_change(), headers)

    def _rss(self, title: str, description: str | None, path: str, links: dict[str, str], items: str,
             archive: bool) -> str:
        atom_links = "".join(f'<atom:link rel="{rel}" href="{self.base}{href}"/>' for rel, href in links.items())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:fh="http://purl.org/syndication/history/1.0">'
            f"<channel><title>{escape(title)}</title>"
            f'<atom:link rel="self" type="application/rss+xml" href="{self.base}{path}"/>{atom_links}'
            f"<link>{self.base}/</link><description>{escape(description or '')}</description>"
            f"<language>{self.blog.language}</language><generator>FeedSite 1.0</generator>"
            f"{'<fh:archive/>' if archive else ''}{items}</channel></rss>"
        )

    def _atom(self, title: str, description: str | None, path: str, links: dict[str, str], items: str,
              archive: bool) -> str:
        extra = "".join(f'<link rel="{rel}" href="{self.base}{href}"/>' for rel, href in links.items())
        subtitle = f'<subtitle type="text">{escape(description)}</subtitle>' if description else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:thr="http://purl.org/syndication/thread/1.0" xmlns:fh="http://purl.org/syndication/history/1.0" '
            f'xml:lang="{self.blog.language}"><title type="text">{escape(title)}</title>{subtitle}'
            f"<id>{_TAG_AUTHORITY}:{escape(path)}</id><updated>{iso_s(self.last_change(), self.blog.tz)}</updated>"
            f'<link rel="alternate" type="text/html" href="{self.base}/"/>'
            f'<link rel="self" type="application/atom+xml" href="{self.base}{path}"/>{extra}'
            f'<generator version="1.0">FeedSite</generator>{"<fh:archive/>" if archive else ""}{items}</feed>'
        )

    def _post_entry(self, post: ReplicaPost) -> str:
        url = self.post_url(post)
        count = len(self.comments_of(post))
        excerpt = _excerpt(post.content_text)
        full = self.content == "full"
        if self.format == "rss":
            parts = [f"<item><title>{escape(post.title)}</title><link>{url}</link>",
                     f'<guid isPermaLink="true">{url}</guid>',
                     f"<dc:creator><![CDATA[{post.author_name}]]></dc:creator>",
                     f"<pubDate>{rfc822(post.published.astimezone(self.blog.tz))}</pubDate>",
                     "".join(f"<category><![CDATA[{label}]]></category>" for label in post.labels),
                     f"<description>{escape(excerpt)}</description>"]
            if full:
                parts.append(f"<content:encoded><![CDATA[{post.content_html}]]></content:encoded>")
            if not self.disqus:
                parts.append(f"<comments>{url}#comments</comments><slash:comments>{count}</slash:comments>")
            if self.comment_feeds:
                parts.append(f"<wfw:commentRss>{self.base}{self.comment_feed_path(post)}</wfw:commentRss>")
            return "".join(parts) + "</item>"
        parts = [f'<entry><title type="text">{escape(post.title)}</title><id>{post_tag(post)}</id>',
                 f'<link rel="alternate" type="text/html" href="{url}"/>',
                 f"<author><name>{escape(post.author_name)}</name></author>",
                 f"<published>{iso_s(post.published, self.blog.tz)}</published>",
                 f"<updated>{iso_s(post.updated, self.blog.tz)}</updated>",
                 "".join(f'<category term="{escape(label)}"/>' for label in post.labels),
                 f'<summary type="text">{escape(excerpt)}</summary>']
        if full:
            parts.append(f'<content type="html">{escape(post.content_html)}</content>')
        if self.comment_feeds:
            parts.append(f'<link rel="replies" type="application/atom+xml" href="{self.base}'
                         f'{self.comment_feed_path(post)}" thr:count="{count}"/>')
        if not self.disqus:
            parts.append(f'<link rel="replies" type="text/html" href="{url}#comments" thr:count="{count}"/>'
                         f"<thr:total>{count}</thr:total>")
        return "".join(parts) + "</entry>"

    def _comment_entry(self, comment: ReplicaComment) -> str:
        post = self.post_by_id[comment.post_id]
        link = f"{self.post_url(post)}#comment-{comment.comment_id}"
        if self.format == "rss":
            return (f"<item><title>{escape(f'By: {comment.author_name}')}</title><link>{link}</link>"
                    f"<dc:creator><![CDATA[{comment.author_name}]]></dc:creator>"
                    f"<pubDate>{rfc822(comment.published.astimezone(self.blog.tz))}</pubDate>"
                    f'<guid isPermaLink="false">{link}</guid>'
                    f"<description>{escape(comment.content_text)}</description>"
                    f"<content:encoded><![CDATA[<p>{comment.content_html}</p>]]></content:encoded></item>")
        if comment.parent_id:  # RFC 4685: a reply names the comment it answers, a comment its post
            ref = f"{_TAG_AUTHORITY}:comment-{comment.parent_id}"
            href = f"{self.post_url(post)}#comment-{comment.parent_id}"
        else:
            ref, href = post_tag(post), self.post_url(post)
        author_uri = f"<uri>{escape(comment.author_url)}</uri>" if comment.author_url else ""
        return (f'<entry><title type="text">{escape(f"By: {comment.author_name}")}</title>'
                f"<id>{comment_tag(comment)}</id><link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>"
                f"<author><name>{escape(comment.author_name)}</name>{author_uri}</author>"
                f"<published>{iso_s(comment.published, self.blog.tz)}</published>"
                f"<updated>{iso_s(comment.published, self.blog.tz)}</updated>"
                f'<thr:in-reply-to ref="{ref}" href="{href}" type="text/html"/>'
                f'<content type="html">{escape("<p>" + comment.content_html + "</p>")}</content></entry>')

    # -- pages --------------------------------------------------------------------------------

    def _head(self, title: str) -> str:
        feed_type = _FEED_TYPE[self.format].split(";")[0]
        links = []
        if self.comment_feeds:  # listed first: a crawler must not take it for the posts feed
            links.append(f'<link rel="alternate" type="{feed_type}" title="{escape(self.blog.title)} &raquo; '
                         f'Comments" href="{self.site_comments_path()}">')
        links.append(f'<link rel="alternate" type="{feed_type}" title="{escape(self.blog.title)} &raquo; Feed" '
                     f'href="{self.feed_path()}">')
        return (f'<!DOCTYPE html><html lang="{self.blog.language}"><head><meta charset="utf-8">'
                f"<title>{escape(title)}</title><meta name=\"generator\" content=\"FeedSite 1.0\">{''.join(links)}"
                "</head>")

    def _chrome(self, main: str) -> str:
        recent = "".join(f'<li><a href="{p.path}">{escape(p.title or "(untitled)")}</a></li>'
                         for p in self.blog.posts[:5])
        return (f'<body><header class="site-header"><a href="/" class="site-title">{escape(self.blog.title)}</a>'
                f'<p class="site-description">{escape(self.blog.description)}</p>'
                '<nav class="menu"><a href="/">Home</a> <a href="/about.html">About</a></nav></header>'
                f'<main id="main">{main}</main><aside class="sidebar"><h2>Recent posts</h2><ul>{recent}</ul></aside>'
                f'<footer class="site-footer">&copy; {escape(self.blog.author_name)}</footer></body></html>')

    def home_page(self) -> str:
        items = "".join(f'<article class="teaser"><h2><a href="{p.path}">{escape(p.title)}</a></h2>'
                        f'<time datetime="{iso_s(p.published, self.blog.tz)}">{self._shown(p.published)}</time>'
                        f"<p>{escape(_excerpt(p.content_text))}</p></article>"
                        for p in self.blog.posts[:self.page_size])
        return self._head(self.blog.title) + self._chrome(items)

    def post_page(self, post: ReplicaPost) -> str:
        comments = self.comments_of(post)
        stamp = iso_s(post.published, self.blog.tz)
        article = (f'<article class="post"><h1 class="post-title">{escape(post.title)}</h1>'
                   f'<p class="byline">{escape(post.author_name)}, <time datetime="{stamp}">'
                   f"{self._shown(post.published)}</time></p>"
                   f'<div class="post-body">{post.content_html}</div></article>')
        if self.disqus:
            section = ('<section class="comments"><div id="disqus_thread"></div><script>'
                       "var disqus_shortname = 'feedsite';(function(){var d=document.createElement('script');"
                       "d.src='https://' + disqus_shortname + '.disqus.com/embed.js';"
                       "(document.head||document.body).appendChild(d);})();</script></section>")
        else:
            render = {"drupal": self._drupal, "spip": self._spip, "list": self._list}[self.markup]
            section = render(post, comments)
        return self._head(post.title or self.blog.title) + self._chrome(article + section)

    def _shown(self, moment: datetime) -> str:
        return format_datetime(moment.astimezone(self.blog.tz), self.blog.comment_timestamp_format, self.blog.language)

    def _threads(self, comments: list[ReplicaComment]) -> list[tuple[ReplicaComment, list[ReplicaComment]]]:
        replies: dict[str, list[ReplicaComment]] = {}
        for comment in comments:
            if comment.parent_id:
                replies.setdefault(comment.parent_id, []).append(comment)
        return [(c, replies.get(c.comment_id, [])) for c in comments if not c.parent_id]

    def _drupal(self, post: ReplicaPost, comments: list[ReplicaComment]) -> str:
        def one(c: ReplicaComment) -> str:
            by = "comment-by-node-author" if c.is_blog_author else "comment-by-anonymous"
            name = (f'<a href="{escape(c.author_url)}" class="username" rel="nofollow">{escape(c.author_name)}</a>'
                    if c.author_url else f'<span class="username">{escape(c.author_name)}</span>')
            stamp = iso_s(c.published, self.blog.tz)
            return (f'<a id="comment-{c.comment_id}"></a><article class="comment {by} clearfix" '
                    f'about="/comment/{c.comment_id}#comment-{c.comment_id}" typeof="sioc:Post sioct:Comment">'
                    f'<header><p class="submitted"><span property="dc:date dc:created" content="{stamp}">{name} '
                    f'<time pubdate datetime="{stamp}">{self._shown(c.published)}</time></span> '
                    f'<a href="/comment/{c.comment_id}#comment-{c.comment_id}" class="permalink">Permalink</a></p>'
                    f'</header><div class="field field-name-comment-body"><div class="field-items"><div '
                    f'class="field-item even"><p>{c.content_html}</p></div></div></div><ul class="links inline">'
                    f'<li class="comment-reply"><a href="/comment/reply/{post.post_id}/{c.comment_id}">Reply</a></li>'
                    "</ul></article>")

        threads = "".join(one(top) + (f'<div class="indented">{"".join(one(r) for r in replies)}</div>'
                                      if replies else "") for top, replies in self._threads(comments))
        return (f'<section id="comments" class="comment-wrapper"><p class="comment-count">{len(comments)} comments</p>'
                f'<h2 class="comments__title">Comments</h2>{threads}</section>')

    def _spip(self, post: ReplicaPost, comments: list[ReplicaComment]) -> str:
        def one(c: ReplicaComment, replies: list[ReplicaComment]) -> str:
            utc = c.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            nested = (f'<ul>{"".join(one(r, []) for r in replies)}</ul>' if replies else "")
            return (f'<li class="forum-fil"><div class="forum-message"><div class="forum-chapo">'
                    f'<strong class="forum-titre"><a href="#forum{c.comment_id}" name="forum{c.comment_id}" '
                    f'id="forum{c.comment_id}">{escape(post.title)}</a></strong> '
                    f'<span class="comment-author vcard"><strong class="fn n crayon forum-qui-{c.comment_id}">'
                    f'{escape(c.author_name)}</strong></span> <abbr class="date" title="{utc}">'
                    f"{self._shown(c.published)}</abbr></div>"
                    f'<div class="crayon forum-texte-{c.comment_id} forum-texte"><p>{c.content_html}</p>'
                    f'<p class="repondre"><a href="spip.php?page=forum&amp;id_article={post.post_id}&amp;'
                    f'id_forum={c.comment_id}" rel="noindex nofollow">Reply to this message</a></p></div></div>'
                    f"{nested}</li>")

        items = "".join(one(top, replies) for top, replies in self._threads(comments))
        heading = f"<h2>{len(comments)} messages</h2>" if comments else ""
        return f'<div class="comments" id="forum">{heading}<ul class="forum">{items}</ul></div>'

    def _list(self, post: ReplicaPost, comments: list[ReplicaComment]) -> str:
        url = self.post_url(post)

        def one(c: ReplicaComment, replies: list[ReplicaComment]) -> str:
            owner = " bypostauthor" if c.is_blog_author else ""
            name = (f'<a href="{escape(c.author_url)}" rel="external nofollow" class="url">{escape(c.author_name)}</a>'
                    if c.author_url else escape(c.author_name))
            nested = f'<ul class="children">{"".join(one(r, []) for r in replies)}</ul>' if replies else ""
            return (f'<li class="comment{owner}" id="comment-{c.comment_id}"><div class="comment-body" '
                    f'id="div-comment-{c.comment_id}"><div class="comment-author vcard"><cite class="fn">{name}</cite> '
                    f'<span class="says">says:</span></div><div class="comment-meta commentmetadata">'
                    f'<a href="{url}#comment-{c.comment_id}">{self._shown(c.published)}</a></div>'
                    f"<p>{c.content_html}</p>"
                    f'<div class="reply"><a class="comment-reply-link" href="?replytocom={c.comment_id}#respond">'
                    f"Reply</a></div></div>{nested}</li>")

        items = "".join(one(top, replies) for top, replies in self._threads(comments))
        return (f'<div id="comments"><h3 class="comments-title">{len(comments)} Responses</h3>'
                f'<ol class="commentlist">{items}</ol></div>')


def _excerpt(text: str, words: int = 30) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" […]" if len(parts) > words else "")


def _page_number(query: dict[str, str]) -> int:
    value = query.get("paged", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _conditional(body: str, content_type: str, changed: datetime, headers: Any) -> Response:
    """A feed answer with validators; 304 when the client's copy is current."""
    data = body.encode("utf-8")
    etag = '"' + hashlib.sha1(data).hexdigest()[:24] + '"'
    last_modified = changed.astimezone(UTC).replace(microsecond=0)
    validators = {"ETag": etag, "Last-Modified": rfc822(last_modified, usegmt=True)}
    if_none_match = headers.get("If-None-Match") if headers is not None else None
    if_modified_since = headers.get("If-Modified-Since") if headers is not None else None
    if if_none_match:
        if etag in [value.strip() for value in if_none_match.split(",")]:
            return 304, content_type, b"", validators
    elif if_modified_since:
        try:
            if last_modified <= parsedate_to_datetime(if_modified_since):
                return 304, content_type, b"", validators
        except (TypeError, ValueError):
            pass
    return 200, content_type, data, validators


class FeedSiteServer(LoopbackServer):
    """Serve a :class:`FeedSite` on 127.0.0.1 (``port=0`` picks a free port); the keyword arguments are
    :class:`FeedSite`'s.  ``requests`` lists every request's path and query."""

    server_version = "FeedSite"

    def __init__(self, blog: ReplicaBlog, host: str = "127.0.0.1", port: int = 0, **settings: Any):
        self.site = FeedSite(blog, **settings)
        self.blog = blog
        super().__init__(host, port)

    def started(self) -> None:
        self.site.base = self.base

    def route(self, raw_path: str, headers: Any) -> Response:
        return self.site.route(raw_path, headers)

    def post_url(self, post: ReplicaPost) -> str:
        return self.site.post_url(post)

    def add_post(self, title: str, text: str = "", labels: list[str] | None = None) -> ReplicaPost:
        return self.site.add_post(title, text, labels)

    def add_comment(self, post_id: str, author: str = "Anonymous", text: str = "",
                    parent_id: str | None = None) -> ReplicaComment:
        return self.site.add_comment(post_id, author, text, parent_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.replica.feedsite",
                                     description="Serve a generated plain feed blog (RSS or Atom) on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    parser.add_argument("--posts", type=int, default=25)
    parser.add_argument("--comments-per-post", type=int, default=4, help="average comments per post")
    parser.add_argument("--seed", type=int, default=3, help="random seed: same seed, same blog")
    parser.add_argument("--format", choices=FORMATS, default="rss")
    parser.add_argument("--content", choices=CONTENT_MODES, default="full", help="what feed entries carry")
    parser.add_argument("--paging", choices=PAGING_MODES, default="paged", help="how the feed pages")
    parser.add_argument("--markup", choices=MARKUPS, default="drupal", help="comment markup of post pages")
    parser.add_argument("--disqus", action="store_true", help="comments loaded from Disqus: none in pages or feeds")
    parser.add_argument("--no-comment-feeds", action="store_true", help="no per-post and site comment feeds")
    args = parser.parse_args(argv)
    blog = generate_blog(posts=args.posts, comments_per_post=args.comments_per_post, seed=args.seed,
                         big_post_comments=0)
    server = FeedSiteServer(blog, port=args.port, format=args.format, content=args.content, paging=args.paging,
                            markup=args.markup, disqus=args.disqus, comment_feeds=not args.no_comment_feeds)
    server.serve_until_stopped(
        f"Feed site {blog.title!r}: {len(blog.posts)} posts, feed {server.site.feed_path()} ({args.format}, "
        f"{args.content}, paging={args.paging}), comments as {'disqus' if args.disqus else args.markup}")
    return 0


__all__ = ["CONTENT_MODES", "FORMATS", "FeedSite", "FeedSiteServer", "MARKUPS", "PAGING_MODES", "comment_tag",
           "post_tag"]


if __name__ == "__main__":
    raise SystemExit(main())
