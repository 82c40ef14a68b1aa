"""A local replica of a Substack publication's API, served on 127.0.0.1 for tests and demos.

    from newscrawl.replica.substack import SubstackServer, generate_publication
    publication = generate_publication(posts=30, seed=1)
    with SubstackServer(publication) as server:
        server.url  # "http://127.0.0.1:PORT/"

What it serves, with the field names and shapes of Substack's own answers
(``shared/real-pages/substack``):

* ``/api/v1/archive?sort=new&offset=N&limit=L``: posts newest first, no bodies, at most
  ``archive_cap`` per page whatever ``limit`` asks (Substack answers with fewer than asked
  too), an empty list past the end;
* ``/api/v1/posts/SLUG`` (flat) and ``/api/v1/posts/by-id/ID`` (``{"post", "publication",
  "publicationSettings"}``): a post with ``body_html``; a paid post's body stops at the paywall;
* ``/api/v1/post/ID/comments?all_comments=true``: the whole tree, replies in ``children``,
  deleted comments with ``body: null`` while replies below them stand; without ``all_comments=true`` the
  top level only (this replica's model of the lazily loaded replies);
* ``/feed`` (RSS of the 20 newest posts), ``/`` and ``/p/SLUG`` (script shells with
  ``window._preloads`` as Substack's pages are), ``robots.txt`` (Substack's rules).

Live changes, visible to the next request: :meth:`SubstackServer.add_post`,
:meth:`SubstackServer.add_comment`, :meth:`SubstackServer.delete_comment`.  ``throttle_every=N``
answers the first request of every N-th distinct API address with 429 and ``Retry-After``,
as Substack does to fast clients; ``withheld_comments`` (post ids) answers those posts' trees
empty; ``failing`` ({path: status}) answers those paths with an HTTP error; ``redirect_to``
makes the server a publication's substack.com address that sends every request to its own domain.

Run by hand: ``python -m newscrawl.replica.substack --port 8090``.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import threading
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

from .loopback import LoopbackServer, Response
from .formats import UTC
from .substack_model import (HEART, SubstackComment, SubstackPost, SubstackPublication, SubstackUser, delete,
                             generate_publication, iso_z)
from .texts import slugify

__all__ = ["SubstackServer", "generate_publication"]

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

ARCHIVE_DEFAULT_LIMIT = 12
FEED_ITEMS = 20
ROBOTS_TXT = """User-agent: BLEXBot
Disallow: /

User-agent: *
Disallow: /action/
Disallow: /publish
Disallow: /sign-in
Disallow: /channel-frame
Disallow: /session-attribution-frame
Disallow: /visited-surface-frame
Disallow: /feed/private
Disallow: /feed/podcast/*/private/*.rss
Disallow: /subscribe
Disallow: /lovestack/*
Disallow: /p/*/comment/*
Disallow: /inbox/post/*
Disallow: /notes/post/*
Disallow: /embed

Sitemap: {base}/sitemap.xml
Sitemap: {base}/news_sitemap.xml
"""


def _system_clock() -> datetime:
    return datetime.now(UTC)


class SubstackServer(LoopbackServer):
    """Serve a :class:`SubstackPublication` on 127.0.0.1 (``port=0`` picks a free port).

    ``requests`` lists every path asked for, in order.  ``clock`` gives the time of live
    changes (default the system clock)."""

    server_version = "cloudflare"

    def __init__(self, publication: SubstackPublication, port: int = 0, host: str = "127.0.0.1",
                 archive_cap: int = 50, throttle_every: int = 0, clock: Callable[[], datetime] | None = None,
                 redirect_to: str | None = None):
        self.publication = publication
        # the substack.com address of a publication on its own domain: everything but
        # robots.txt answers 301 to the same path there
        self.redirect_to = redirect_to.rstrip("/") if redirect_to else None
        # post ids whose comment tree is answered empty though their count says otherwise
        # (comments a publication keeps for paying subscribers); changeable live
        self.withheld_comments: set[int] = set()
        # paths (with query) answered with this HTTP status instead; changeable live
        self.failing: dict[str, int] = {}
        super().__init__(host, port)
        self.archive_cap = archive_cap
        self.throttle_every = throttle_every
        self.clock = clock or _system_clock
        self.lock = threading.RLock()
        self._api_paths: list[str] = []  # distinct API addresses, in the order first asked
        self._ids = random.Random(publication.publication_id)  # ids of live additions, reproducible
        self._last_stamp: datetime | None = None

    def post_url(self, post: SubstackPost) -> str:
        return f"{self.base}/p/{post.slug}"

    # -- live changes ------------------------------------------------------------------------

    def _stamp(self, after: datetime | None = None) -> datetime:
        """Now (UTC, milliseconds), after ``after`` and after the previous change."""
        now = self.clock().astimezone(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        for floor in (after, self._last_stamp):
            if floor is not None and now <= floor:
                now = floor + timedelta(milliseconds=1)
        self._last_stamp = now
        return now

    def add_post(self, title: str, text: str = "", audience: str = "everyone") -> SubstackPost:
        """Publish a post now (paragraphs at blank lines; a paid post's first paragraph is public)."""
        with self.lock:
            publication = self.publication
            newest = publication.posts[0] if publication.posts else None
            moment = self._stamp(after=newest.post_date if newest else None)
            paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or [title]
            slug = slugify(title, 60) or "post"
            while any(p.slug == slug for p in publication.posts):
                slug += "-1"
            post = SubstackPost(
                post_id=(newest.post_id if newest else 150_000_000) + self._ids.randrange(1000, 100_000), slug=slug,
                title=title, subtitle="", post_date=moment, updated_at=moment, audience=audience,
                bylines=[publication.owner], tags=[],
                blocks=[(f"<p>{html.escape(p, quote=False)}</p>", p) for p in paragraphs],
                paywall_at=1 if audience != "everyone" else None,
            )
            publication.posts = [post] + publication.posts
            return post

    def add_comment(self, post_id: int, name: str, text: str, parent_id: int | None = None,
                    handle: str | None = None, by_owner: bool = False) -> SubstackComment:
        """A comment (or, with ``parent_id``, a reply at any depth) written now."""
        with self.lock:
            post = self.publication.post_by_id(post_id)
            if post is None:
                raise KeyError(f"no post {post_id} in the replica publication")
            parent = next((c for c in post.all_comments() if c.comment_id == parent_id), None)
            if parent_id is not None and parent is None:
                raise KeyError(f"no comment {parent_id} on post {post_id}")
            every = self.publication.all_comments()
            user = self.publication.owner if by_owner else SubstackUser(
                self._ids.randrange(4 * 10**8, 5 * 10**8), name, handle)
            moment = self._stamp(after=max((c.date for c in post.all_comments()), default=post.post_date))
            comment = SubstackComment(
                comment_id=max((c.comment_id for c in every), default=70_000_000) + self._ids.randrange(1, 5000),
                post_id=post_id, user=user, date=moment,
                paragraphs=[[(p.strip(), ())] for p in text.split("\n\n") if p.strip()], parent=parent,
            )
            (parent.children if parent is not None else post.comments).append(comment)
            return comment

    def delete_comment(self, comment_id: int) -> SubstackComment:
        """Delete a comment as its author can: it stays in the thread without body or author."""
        with self.lock:
            comment = next((c for c in self.publication.all_comments() if c.comment_id == comment_id), None)
            if comment is None:
                raise KeyError(f"no comment {comment_id} in the replica publication")
            delete(comment)
            return comment

    # -- routing -------------------------------------------------------------------------

    def route(self, raw_path: str, headers: Any = None) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self.lock:
            if self.redirect_to and path != "/robots.txt":
                return 301, HTML_TYPE, b"", {"Location": self.redirect_to + raw_path}
            if raw_path in self.failing:
                status = self.failing[raw_path]
                return status, JSON_TYPE, json.dumps({"error": f"HTTP {status}"}).encode(), {}
            if path.startswith("/api/") and self._throttle(raw_path):
                return 429, JSON_TYPE, b'{"error":"Too Many Requests"}', {"Retry-After": "1"}
            if path == "/robots.txt":
                return 200, "text/plain; charset=utf-8", ROBOTS_TXT.format(base=self.base).encode(), {}
            if path == "/api/v1/archive":
                return self._json(self.archive(query))
            if path.startswith("/api/v1/posts/by-id/"):
                post = self._post(lambda p: str(p.post_id) == path.rsplit("/", 1)[-1])
                return self._json({"post": self.post_json(post, detail=True), "publication": self.publication_json(),
                                   "publicationSettings": {"block_ai_crawlers": False}}) if post else self._missing()
            if path.startswith("/api/v1/posts/"):
                post = self._post(lambda p: p.slug == unquote(path[len("/api/v1/posts/"):]))
                return self._json(self.post_json(post, detail=True)) if post else self._missing()
            if path.startswith("/api/v1/post/") and path.endswith("/comments"):
                post = self._post(lambda p: str(p.post_id) == path.split("/")[4])
                return self._json(self.comments_json(post, query)) if post else self._missing()
            if path == "/feed":
                return 200, "application/rss+xml; charset=utf-8", self.feed().encode(), {}
            if path == "/":
                return 200, HTML_TYPE, self.shell({"pub": self.publication_json(), "base_url": self.base}).encode(), {}
            if path.startswith("/p/"):
                post = self._post(lambda p: p.slug == unquote(path[3:].strip("/")))
                if post:
                    page = self.shell({"pub": self.publication_json(), "post": self.post_json(post, detail=True)},
                                      post.title)
                    return 200, HTML_TYPE, page.encode(), {}
            return 404, HTML_TYPE, self.shell({"pub": self.publication_json()}, "Not found").encode(), {}

    def _throttle(self, raw_path: str) -> bool:
        if not self.throttle_every:
            return False
        if raw_path not in self._api_paths:
            self._api_paths.append(raw_path)
            if len(self._api_paths) % self.throttle_every == 0:
                return True
        return False

    def _post(self, match: Callable[[SubstackPost], bool]) -> SubstackPost | None:
        return next((p for p in self.publication.posts if match(p)), None)

    @staticmethod
    def _json(data: Any) -> Response:
        return 200, JSON_TYPE, json.dumps(data, ensure_ascii=False).encode(), {}

    @staticmethod
    def _missing() -> Response:
        return 404, JSON_TYPE, b'{"error":"Not found"}', {}

    # -- API answers --------------------------------------------------------------------------

    def archive(self, query: dict[str, str]) -> list[dict]:
        offset = max(_int(query.get("offset"), 0), 0)
        limit = min(max(_int(query.get("limit"), ARCHIVE_DEFAULT_LIMIT), 1), self.archive_cap)
        posts = self.publication.posts
        if query.get("sort") == "top":
            posts = sorted(posts, key=lambda p: (-p.reactions, -p.post_date.timestamp()))
        search = (query.get("search") or "").lower()
        if search:
            posts = [p for p in posts if search in p.title.lower()]
        return [self.post_json(p, detail=False) for p in posts[offset: offset + limit]]

    def post_json(self, post: SubstackPost, detail: bool) -> dict:
        """A post as the archive (``detail=False``: no body) or the post endpoint answer it."""
        publication = self.publication
        data = {
            "id": post.post_id,
            "editor_v2": False,
            "publication_id": publication.publication_id,
            "title": post.title,
            "social_title": post.title,
            "search_engine_title": None,
            "search_engine_description": None,
            "type": post.post_type,
            "slug": post.slug,
            "post_date": iso_z(post.post_date),
            "audience": post.audience,
            "podcast_duration": None,
            "video_upload_id": None,
            "podcast_upload_id": None,
            "write_comment_permissions": "everyone" if not post.paywalled else "only_paid",
            "should_send_free_preview": False,
            "free_unlock_required": False,
            "default_comment_sort": None,
            "canonical_url": self.post_url(post),
            "section_id": None,
            "top_exclusions": [],
            "pins": [],
            "is_section_pinned": False,
            "section_slug": None,
            "section_name": None,
            "reactions": {HEART: post.reactions},
            "restacks": 0,
            "subtitle": post.subtitle,
            "cover_image": None,
            "cover_image_is_square": False,
            "podcast_url": "",
            "videoUpload": None,
            "podcastFields": {"post_id": post.post_id, "podcast_episode_number": None, "hide_from_feed": False},
            "description": post.subtitle,
            "body_json": None,
            "body_html": post.public_html if detail else None,
            # as in the saved list answers: null for public posts, "" for paid ones
            "truncated_body_text": (post.public_blocks[0][1] if detail else ("" if post.paywalled else None)),
            "wordcount": post.wordcount,
            "postTags": [{"id": f"tag-{slugify(t)}", "publication_id": publication.publication_id, "name": t,
                          "slug": slugify(t), "hidden": False} for t in post.tags],
            "teaser_post_eligible": True,
            "postCountryBlocks": [],
            "headlineTest": None,
            "publishedBylines": [self.byline_json(user) for user in post.bylines],
            "reaction": None,
            "reaction_count": post.reactions,
            "comment_count": post.comment_count,
            "child_comment_count": post.child_comment_count,
            "is_geoblocked": False,
            "hasCashtag": False,
        }
        if detail:
            data["updated_at"] = iso_z(post.updated_at)
            index = self.publication.posts.index(post)
            posts = self.publication.posts
            data["previous_post_slug"] = posts[index + 1].slug if index + 1 < len(posts) else None
            data["next_post_slug"] = posts[index - 1].slug if index > 0 else None
        return data

    def byline_json(self, user: SubstackUser) -> dict:
        publication = self.publication
        owner = user is publication.owner
        return {
            "id": user.user_id,
            "name": user.name,
            "handle": user.handle,
            "previous_name": None,
            "photo_url": user.photo_url,
            "bio": user.bio,
            "profile_set_up_at": iso_z(publication.created_at),
            "publicationUsers": [{
                "id": publication.publication_id + 17, "user_id": user.user_id,
                "publication_id": publication.publication_id, "role": "admin", "public": True, "is_primary": True,
                "publication": self.publication_json(brief=True),
            }] if owner else [],
            "is_guest": not owner,
            "bestseller_tier": None,
        }

    def publication_json(self, brief: bool = False) -> dict:
        """The publication object: as bylines embed it (``brief``) or as the by-id answer carries it."""
        publication = self.publication
        data = {
            "id": publication.publication_id,
            "name": publication.name,
            "subdomain": publication.subdomain,
            "custom_domain": publication.custom_domain,
            "custom_domain_optional": False,
            "hero_text": publication.hero_text,
            "logo_url": f"https://substack-post-media.s3.amazonaws.com/public/images/{publication.subdomain}.png",
            "author_id": publication.owner.user_id,
            "primary_user_id": publication.owner.user_id,
            "theme_var_background_pop": "#FF6719",
            "created_at": iso_z(publication.created_at),
            "email_from_name": publication.owner.name,
            "copyright": publication.owner.name,
            "founding_plan_name": "Founding Member",
            "community_enabled": True,
            "invite_only": False,
            "payments_state": "enabled",
            "language": None,
            "explicit": False,
            "homepage_type": "newspaper",
            "is_personal_mode": False,
        }
        if not brief:
            data.update({
                "language": publication.language,
                "author_name": publication.owner.name,
                "author_handle": publication.owner.handle,
                "author_bio": publication.owner.bio,
                "base_url": self.base,
                "hostname": urlsplit(self.base).netloc,
                "is_on_substack": False,
                "type": "newsletter",
            })
        return data

    def comments_json(self, post: SubstackPost, query: dict[str, str]) -> dict:
        tops = [c for c in post.comments if c.served] if post.post_id not in self.withheld_comments else []
        if query.get("sort") == "newest_first":
            tops.reverse()
        elif query.get("sort") == "best_first":
            tops.sort(key=lambda c: -c.reactions)
        nested = query.get("all_comments") == "true"
        return {"comments": [self.comment_json(c, nested) for c in tops]}

    def comment_json(self, comment: SubstackComment, nested: bool = True) -> dict:
        user = comment.user
        children = [c for c in comment.children if c.served]
        return {
            "id": comment.comment_id,
            "body": comment.body,
            "body_json": comment.body_json,
            "publication_id": self.publication.publication_id,
            "post_id": comment.post_id,
            "user_id": user.user_id if user else None,
            "type": "comment",
            "date": iso_z(comment.date),
            "edited_at": None,
            "ancestor_path": ".".join(str(i) for i in comment.ancestors),
            "reply_minimum_role": "everyone",
            "media_clip_id": None,
            "name": user.name if user else None,
            "photo_url": user.photo_url if user else None,
            "bio": user.bio if user else None,
            "handle": user.handle if user else None,
            "reaction_count": comment.reactions,
            "reactions": {HEART: comment.reactions},
            "restacks": 0,
            "restacked": False,
            "children_count": len(children),
            "attachments": [],
            "user_bestseller_tier": None,
            "user_primary_publication": None,
            "deleted": comment.deleted,
            "status": "published",
            "children": [self.comment_json(c, nested) for c in children] if nested else [],
        }

    # -- pages ----------------------------------------------------------------------------------

    def feed(self) -> str:
        """RSS 2.0 of the newest posts, as Substack's ``/feed`` (the public part of paid posts)."""
        publication = self.publication
        items = []
        for post in publication.posts[:FEED_ITEMS]:
            items.append(
                f"<item><title>{_cdata(post.title)}</title><description>{_cdata(post.subtitle)}</description>"
                f"<link>{self.post_url(post)}</link><guid isPermaLink=\"false\">{self.post_url(post)}</guid>"
                f"<dc:creator>{_cdata(', '.join(u.name for u in post.bylines))}</dc:creator>"
                f"<pubDate>{format_datetime(post.post_date.replace(microsecond=0), usegmt=True)}</pubDate>"
                f"<content:encoded>{_cdata(post.public_html)}</content:encoded></item>"
            )
        built = format_datetime(max((p.post_date for p in publication.posts), default=publication.created_at)
                                .replace(microsecond=0), usegmt=True)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
            'version="2.0"><channel>'
            f"<title>{_cdata(publication.name)}</title><description>{_cdata(publication.hero_text)}</description>"
            f"<link>{self.base}</link><generator>Substack</generator><lastBuildDate>{built}</lastBuildDate>"
            f'<atom:link href="{self.base}/feed" rel="self" type="application/rss+xml"/>'
            f"<copyright>{_cdata(publication.owner.name)}</copyright>"
            f"<language>{_cdata(publication.language)}</language>"
            + "".join(items) + "</channel></rss>"
        )

    def shell(self, preloads: dict, title: str | None = None) -> str:
        """A page as Substack serves it: an empty app root filled by script from ``window._preloads``."""
        publication = self.publication
        payload = json.dumps(json.dumps(preloads, ensure_ascii=False), ensure_ascii=False).replace("</", "<\\/")
        name = html.escape(publication.name)
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<link rel="preconnect" href="https://substackcdn.com">'
            f"<title>{html.escape(title) + ' - ' if title else ''}{name}</title>"
            f'<meta property="og:title" content="{html.escape(title or publication.name)}">'
            f'<meta name="description" content="{html.escape(publication.hero_text)}">'
            f'<link rel="alternate" type="application/rss+xml" href="/feed" title="{name}">'
            '<link rel="stylesheet" type="text/css" href="https://substackcdn.com/bundle/theme/main.css">'
            '</head><body class="pc-root"><div id="entry"><div id="main" class="main typography use-theme-bg">'
            "</div></div>"
            f"<script>window._preloads = JSON.parse({payload})</script>"
            '<script src="https://substackcdn.com/bundle/static/js/main.js" charset="utf-8"></script>'
            "</body></html>"
        )


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.replica.substack", description="Serve a generated Substack publication's API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--comments", type=int, default=6, help="comments per post (on average)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    publication = generate_publication(args.posts, args.comments, args.seed)
    server = SubstackServer(publication, port=args.port)
    server.serve_until_stopped(f"Substack replica {publication.name!r}: {len(publication.posts)} posts")


if __name__ == "__main__":
    main()
