"""The SQLite database: the schema and every write. Nothing else runs SQL that writes.

Tables
  blogs     one row per tracked blog
  posts     one row per post, id stable across crawls (platform ids, not URLs)
  comments  one row per reader comment, linked to its post and parent comment
  crawls    one row per crawl run: what it fetched, stored and failed

The schema is created or migrated (missing columns added) whenever a database is
opened, so an old database keeps working with new code.  Rows are upserted by primary
key in batched transactions: a re-crawl updates rows in place, never duplicates them,
and never blanks a column it has no value for (``None`` values are not written).
A row whose values did not change is not written at all.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import sqlite3
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from .dates import utc_now

# Seconds a write waits for another connection's write lock before "database is locked".
BUSY_TIMEOUT = 30

# The crawls of one run (``crawls.run``), each with its blog's status (how crawl_outcome tells
# "finished" from "private blog" ...).
CRAWLS_OF_RUN = ("select c.*, b.status as blog_status from crawls c left join blogs b on b.id = c.blog_id"
                 " where c.run = ?")

# name -> (SQLite type, description).  The descriptions feed Datasette's metadata.
SCHEMA: dict[str, dict[str, tuple[type, str]]] = {
    "blogs": {
        "id": (str, "Stable id: platform and the platform's own blog id (blogger:123...)"),
        "url": (str, "Home page of the blog"),
        "platform": (str, "blogger, wordpress, substack or feed"),
        "platform_id": (str, "The platform's own id of the blog"),
        "title": (str, "Blog title"),
        "description": (str, "Blog description or subtitle"),
        "language": (str, "Language of the blog (from the page or feed), e.g. en, de"),
        "timezone": (str, "The blog's UTC offset or zone, learned from its timestamps"),
        "author": (str, "Owner of the blog"),
        "author_url": (str, "Profile page of the owner"),
        "feed_mode": (str, "What the posts feed carries: full, summary or none"),
        "status": (str, "ok, or why the blog (or part of it) could not be read: private, deleted, not_found, moved, "
                        "content_warning, dynamic_views, comments_by_script ..."),
        "status_reason": (str, "Details for the status"),
        "comments_hosted_by": (str, "Where reader comments live when not on the blog itself (disqus ...): "
                                    "they are then not crawled"),
        "first_seen": (str, "When newscrawl first stored this blog (UTC)"),
        "last_changed": (str, "When this row last changed (UTC)"),
    },
    "posts": {
        "id": (str, "Stable id: platform, blog id and the platform's post id"),
        "blog_id": (str, "The blog this post belongs to"),
        "platform_id": (str, "The platform's own post id"),
        "url": (str, "Permalink of the post"),
        "title": (str, "Post title"),
        "author": (str, "Author as shown"),
        "author_url": (str, "Author profile link"),
        "published": (str, "Publication time, UTC (ISO 8601)"),
        "published_raw": (str, "The original date string, as shown or as in the feed"),
        "published_source": (str, "Where published comes from: iso (machine timestamp), epoch, display (parsed text)"),
        "published_zone": (str, "Where published's UTC offset comes from: stated (the value carried it), blog (a display time read in the blog's known zone), unknown (the wall clock as shown, written +00:00: the instant may be off by up to 14 hours)"),
        "updated": (str, "Last edit time reported by the platform, UTC"),
        "updated_raw": (str, "The original string of updated"),
        "updated_source": (str, "Where updated comes from"),
        "updated_zone": (str, "Where updated's UTC offset comes from (as published_zone)"),
        "content_html": (str, "Post body as HTML"),
        "content_text": (str, "Post body as plain text"),
        "quoted_text": (str, "The quoted source material of the body (blockquotes, the excerpt before a Read more link)"),
        "commentary_text": (str, "The author's own commentary: the body without the quoted material"),
        "commentary_method": (str, "What the split was read from: blockquote, read-more, outlet, marker, or none"),
        "labels": (str, "Labels / tags (JSON list)"),
        "comment_count": (int, "Number of comments as the platform reports it"),
        "reaction_count": (int, "Likes / reactions as the platform reports them (Substack hearts)"),
        "paywalled": (int, "1 when the body is only the public part of a paid post"),
        "source": (str, "api, feed or html: where this row was last read"),
        "deleted": (int, "1 when the post disappeared from the blog (noticed on a full re-read)"),
        "deleted_noticed": (str, "When newscrawl noticed the post was gone (UTC)"),
        "first_seen": (str, "When newscrawl first stored this post (UTC)"),
        "last_seen": (str, "When a crawl last read this post (UTC)"),
        "last_changed": (str, "When this row last changed (UTC)"),
    },
    "comments": {
        "id": (str, "Stable id: platform, blog id and the platform's comment id"),
        "post_id": (str, "The post this comment belongs to"),
        "blog_id": (str, "The blog this comment belongs to"),
        "parent_id": (str, "The comment this one replies to (empty for top-level comments)"),
        "platform_id": (str, "The platform's own comment id"),
        "author": (str, "Commenter as shown (Anonymous and Unknown kept as shown)"),
        "author_url": (str, "Commenter's profile or website"),
        "is_blog_author": (int, "1 when the blog's owner wrote this comment"),
        "published": (str, "Comment time, UTC (ISO 8601)"),
        "published_raw": (str, "The original date string, as shown or as in the feed"),
        "published_source": (str, "Where published comes from: epoch (showComment), iso, display"),
        "published_zone": (str, "Where published's UTC offset comes from: stated (the value carried it), blog (a display time read in the blog's known zone), unknown (the wall clock as shown, written +00:00: the instant may be off by up to 14 hours)"),
        "content_html": (str, "Comment as HTML (stored, never rendered)"),
        "content_text": (str, "Comment as plain text"),
        "url": (str, "Permalink of the comment"),
        "deleted": (int, "1 when the comment was removed (text is then empty)"),
        "deleted_reason": (str, "The platform's removal notice"),
        "comment_type": (str, "comment (a reader comment), or pingback / trackback (a link from another site)"),
        "reaction_count": (int, "Likes / reactions as the platform reports them"),
        "source": (str, "api, feed or html: where this row was last read"),
        "deleted_noticed": (str, "When newscrawl noticed the removal, or that the comment was gone (UTC)"),
        "first_seen": (str, "When newscrawl first stored this comment (UTC)"),
        "last_seen": (str, "When a crawl last read this comment (UTC)"),
        "last_changed": (str, "When this row last changed (UTC)"),
    },
    "links": {
        "post_id": (str, "The post the link is in"),
        "position": (int, "Order of the link in the post body (0 = first)"),
        "blog_id": (str, "The blog of the post"),
        "url": (str, "Where the link points"),
        "host": (str, "Host name of the link"),
        "domain": (str, "Registered domain (bbc.co.uk, politico.com): the outlet"),
        "anchor_text": (str, "The linked text"),
    },
    "tracked_blogs": {
        "url": (str, "The blog's address as the user added it"),
        "platform": (str, "blogger, wordpress ... (detected when added, or named)"),
        "title": (str, "Title (from the OPML file or the first crawl)"),
        "blog_id": (str, "The blogs row this address fills, once crawled"),
        "enabled": (int, "1: crawled by `newscrawl crawl --all`"),
        "added": (str, "When it was added (UTC)"),
        "last_crawled": (str, "When its last crawl finished (UTC)"),
        "last_status": (str, "How its last crawl ended"),
    },
    "crawl_state": {
        "url": (str, "The blog address a spider starts from"),
        "state": (str, "What an incremental crawl resumes from: high-water marks, validators (JSON)"),
        "updated": (str, "When the state was last advanced (UTC)"),
    },
    "robots_txt": {
        "url": (str, "A host's robots.txt address (scheme and host)"),
        "status": (int, "HTTP status of the answer (4xx: no rules, everything allowed)"),
        "body": (str, "The rules as fetched"),
        "fetched": (str, "When it was fetched (UTC); reused for NEWSCRAWL_ROBOTSTXT_MAX_AGE seconds"),
    },
    "post_versions": {
        "id": (int, "Version row number"),
        "post_id": (str, "The post"),
        "title": (str, "Title before the edit"),
        "content_html": (str, "Body before the edit"),
        "content_text": (str, "Body before the edit, as text"),
        "updated": (str, "The post's own updated time of that version (UTC)"),
        "replaced": (str, "When newscrawl noticed the edit (UTC)"),
    },
    "comment_versions": {
        "id": (int, "Version row number"),
        "comment_id": (str, "The comment"),
        "author": (str, "Author shown before the change"),
        "content_html": (str, "Text before the edit or the removal"),
        "content_text": (str, "Text before the edit or the removal, as plain text"),
        "published": (str, "The comment's date in that version (UTC)"),
        "replaced": (str, "When newscrawl noticed the edit or the removal (UTC)"),
        "change": (str, "edited, or removed (the comment's text was taken back on the blog)"),
    },
    "crawls": {
        "id": (int, "Crawl run number"),
        "blog_id": (str, "The blog crawled"),
        "blog_url": (str, "The URL the crawl started from"),
        "spider": (str, "Spider that ran"),
        "started": (str, "Start time, UTC"),
        "finished": (str, "End time, UTC (empty while running or after a crash)"),
        "status": (str, "running, finished, failed, or the reason the crawl stopped (interrupted, shutdown ...)"),
        "reason": (str, "Why a failed crawl failed (the database or disk is full ...)"),
        "requests": (int, "HTTP requests made"),
        "responses_not_modified": (int, "304 answers to conditional requests"),
        "posts_new": (int, "Posts stored for the first time"),
        "posts_updated": (int, "Posts whose stored values changed"),
        "comments_new": (int, "Comments stored for the first time"),
        "comments_updated": (int, "Comments whose stored values changed"),
        "items_skipped": (int, "Items dropped as invalid (see the crawl log)"),
        "errors": (int, "Errors logged: failed requests, unparseable pages"),
        "stats": (str, "All Scrapy stats of the run (JSON)"),
        "run": (str, "The `newscrawl crawl` run the crawl belongs to (empty for a `scrapy crawl`)"),
        "pid": (int, "The process that ran the crawl: a crawl still running is alive while it is"),
        "host": (str, "The machine that ran the crawl"),
    },
    "errors": {
        "url": (str, "The URL that could not be fetched or read"),
        "blog_url": (str, "The blog address of the crawl that failed on it"),
        "crawl_id": (int, "The last crawl that failed on it"),
        "status": (int, "HTTP status of the failed answer (empty for network errors)"),
        "reason": (str, "Why it failed: HTTP 503, timeout, connection lost, unreadable page ..."),
        "callback": (str, "The spider method that reads this URL: the next crawl fetches it again with it"),
        "attempts": (int, "Crawls that failed on it"),
        "first_failed": (str, "When it first failed (UTC)"),
        "last_failed": (str, "When it last failed (UTC)"),
        "resolved": (str, "When a later crawl read it (UTC); empty while it is still failing"),
    },
}

PRIMARY_KEYS = {
    "blogs": "id",
    "posts": "id",
    "comments": "id",
    "links": ("post_id", "position"),
    "tracked_blogs": "url",
    "crawl_state": "url",
    "robots_txt": "url",
    "post_versions": "id",
    "comment_versions": "id",
    "crawls": "id",
    "errors": "url",
}

FOREIGN_KEYS = {
    "posts": [("blog_id", "blogs", "id")],
    "comments": [("post_id", "posts", "id"), ("blog_id", "blogs", "id"), ("parent_id", "comments", "id")],
    "links": [("post_id", "posts", "id"), ("blog_id", "blogs", "id")],
    "post_versions": [("post_id", "posts", "id")],
    "comment_versions": [("comment_id", "comments", "id")],
    "crawls": [("blog_id", "blogs", "id")],
}

INDEXES = {
    "posts": [["blog_id", "published"], ["published"]],
    "comments": [["post_id", "published"], ["blog_id", "published"], ["published"], ["parent_id"], ["author"]],
    "links": [["domain"], ["blog_id", "domain"]],
    "post_versions": [["post_id", "replaced"]],
    "comment_versions": [["comment_id", "replaced"]],
    "crawls": [["blog_id", "started"]],
    "errors": [["blog_url", "resolved"]],
}

FULL_TEXT = {
    "posts": ["title", "content_text", "commentary_text"],
    "comments": ["author", "content_text"],
}

# Views: the questions users ask, answerable from sqlite3 and sqlite-utils as well as
# Datasette (whose canned queries in browse.py ask the same with parameters).  Reader
# comments are comment_type 'comment' (pingbacks and trackbacks are links from other
# sites, not readers); removed comments still count as comments that were written.
# A view whose SQL changes here is dropped and created again when a database is opened.
_READER = "coalesce(c.comment_type, 'comment') = 'comment'"
VIEWS: dict[str, str] = {
    "latest_comments": f"""select c.published, c.blog_id, b.title as blog, c.post_id, p.title as post,
  c.author, c.content_text, c.deleted, c.url, c.id as comment_id
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = c.blog_id
where {_READER}
order by c.published desc""",
    "most_discussed_posts": f"""select p.id as post_id, p.blog_id, b.title as blog, p.title, p.url, p.published,
  count(*) as comments, count(distinct c.author) as commenters, sum(coalesce(c.deleted, 0)) as removed,
  max(c.published) as last_comment
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = p.blog_id
where {_READER}
group by p.id
order by comments desc, p.published desc""",
    "top_commenters": f"""select c.blog_id, b.title as blog, c.author,
  rank() over (partition by c.blog_id order by count(*) desc) as rank,
  count(*) as comments, count(distinct c.post_id) as posts, max(coalesce(c.is_blog_author, 0)) as is_blog_author,
  min(c.published) as first_comment, max(c.published) as last_comment
from comments c
left join blogs b on b.id = c.blog_id
where {_READER} and c.author is not null
group by c.blog_id, c.author
order by c.blog_id, comments desc, c.author""",
    "commenter_history": f"""select c.author, c.author_url, c.published, c.blog_id, b.title as blog, c.post_id,
  p.title as post, c.content_text, c.deleted, c.url, c.id as comment_id
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = c.blog_id
where {_READER} and c.author is not null
order by c.author, c.published desc""",
    "outlets_per_blog": """select l.blog_id, b.title as blog, l.domain,
  count(*) as links, count(distinct l.post_id) as posts
from links l
left join blogs b on b.id = l.blog_id
where l.domain is not null
group by l.blog_id, l.domain
order by l.blog_id, links desc, l.domain""",
    "comments_per_day": f"""select substr(c.published, 1, 10) as day, c.blog_id, b.title as blog, count(*) as comments
from comments c
left join blogs b on b.id = c.blog_id
where {_READER} and c.published is not null
group by day, c.blog_id
order by day desc, c.blog_id""",
    # Posts published more than 7 days ago that got reader comments in the last 7 days
    # (by the comment's own date; when newscrawl first saw it if the date is unknown).
    "growing_posts": f"""select p.id as post_id, p.blog_id, b.title as blog, p.title, p.url, p.published,
  count(*) as new_comments, max(coalesce(c.published, c.first_seen)) as last_comment,
  (select count(*) from comments a where a.post_id = p.id and coalesce(a.comment_type, 'comment') = 'comment')
    as comments
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = p.blog_id
where {_READER}
  and coalesce(c.published, c.first_seen) >= strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-7 days')
  and p.published < strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-7 days')
group by p.id
order by new_comments desc, last_comment desc""",
    "deleted_comments": """select coalesce(c.deleted_noticed, c.last_changed) as noticed, c.published, c.blog_id,
  b.title as blog, c.post_id, p.title as post, c.author, c.deleted_reason, c.url, c.id as comment_id
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = c.blog_id
where c.deleted = 1
order by noticed desc, c.published desc""",
    # Every comment's place in its post's discussion: root_id (the top-level comment of its thread),
    # depth (0: top level) and path, which sorts a reply under its parent and siblings oldest first
    # (order by post_id, path).  A path segment is the comment's published time and its rowid, both
    # fixed-width, so no id can sort a reply away from its parent.  A comment whose parent is not
    # stored with the same post is top level.  Each comment has one parent, so a loop of parent ids
    # is never reached from a top-level comment: the comments of a loop (and of a thread deeper than
    # the bound of 200 replies) are listed as top level, after the threads (a path starting with ~).
    # The thread page (threads.py) runs this SQL with post_comments narrowed to one post: keep that
    # line as it is.  `+c.post_id` keeps SQLite on the parent_id index for each reply.
    "comment_threads": """with recursive post_comments as (select rowid as stored, * from comments),
threads(id, post_id, blog_id, parent_id, root_id, depth, path,
        author, published, deleted, comment_type, content_text) as (
  select c.id, c.post_id, c.blog_id, c.parent_id, c.id, 0,
    printf('%-25.25s %010d', coalesce(c.published, '~'), c.stored),
    c.author, c.published, c.deleted, c.comment_type, c.content_text
  from post_comments c
  where coalesce(c.parent_id, '') = ''
     or not exists (select 1 from comments p where p.id = c.parent_id and p.post_id = c.post_id)
  union all
  select c.id, c.post_id, c.blog_id, c.parent_id, t.root_id, t.depth + 1,
    t.path || '/' || printf('%-25.25s %010d', coalesce(c.published, '~'), c.rowid),
    c.author, c.published, c.deleted, c.comment_type, c.content_text
  from threads t
  join comments c on c.parent_id = t.id and +c.post_id = t.post_id
  where t.depth < 200
)
select * from threads
union all
select c.id, c.post_id, c.blog_id, c.parent_id, c.id, 0,
  '~' || printf('%-25.25s %010d', coalesce(c.published, '~'), c.stored),
  c.author, c.published, c.deleted, c.comment_type, c.content_text
from post_comments c
where c.id not in (select id from threads)
order by post_id, path""",
}

# The database format this version writes, kept in SQLite's user_version. Raised when a change
# would break an older newscrawl reading or writing the file (it then refuses the file).
# 1: comment_versions and crawls.reason (newscrawl 0.x, December 2026).
FORMAT_VERSION = 1

# Bookkeeping columns: set by storage, never compared to decide whether a row changed.
_BOOKKEEPING = {"first_seen", "last_seen", "last_changed", "deleted_noticed"}
# An edit of these keeps the earlier values in the table's history (post_versions, comment_versions).
_VERSIONED = {"posts": ("title", "content_html"), "comments": ("author", "content_html")}
_ROW_TABLES = ("blogs", "posts", "comments")
# where the earlier values of a table's edited rows are kept
_HISTORY = {"posts": "post_versions", "comments": "comment_versions"}


@dataclass
class WriteCounts:
    """What one batch did, per table: rows inserted and rows whose values changed."""

    new: dict[str, int] = field(default_factory=lambda: {t: 0 for t in _ROW_TABLES})
    updated: dict[str, int] = field(default_factory=lambda: {t: 0 for t in _ROW_TABLES})

    def add(self, other: "WriteCounts") -> None:
        for table in _ROW_TABLES:
            self.new[table] += other.new[table]
            self.updated[table] += other.updated[table]


# Database files this process has created or migrated already: a crawl opens its database several
# times per blog (bookkeeping, storage, robots.txt), and checking ~80 tables, columns and indexes
# each time was the largest part of an unchanged blog's cost. Keyed by the file's identity, so a
# file deleted and created anew (whose inode may be reused) is migrated again: SQLite's
# schema_version, which every schema change moves, must also be the one seen after migrating.
_SCHEMA_READY: dict[tuple[str, int, int], int] = {}


def _file_identity(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path.resolve()), stat.st_dev, stat.st_ino


class Store:
    """A newscrawl database, opened (and created or migrated) at ``path``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            if str(path) != ":memory:":
                self.db.enable_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._refuse_newer_format()
            identity = _file_identity(self.path) if str(path) != ":memory:" else None
            if identity is None or _SCHEMA_READY.get(identity) != self._schema_version():
                self.ensure_schema()
                if identity is not None:
                    _SCHEMA_READY[identity] = self._schema_version()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc

    # -- schema -----------------------------------------------------------------

    def _refuse_newer_format(self) -> None:
        """A database a newer newscrawl wrote may hold what this version would damage (a NOT NULL
        column it cannot fill, tables it does not know): it is not opened, let alone downgraded."""
        found = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if found > FORMAT_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer newscrawl (database format {found}; this version "
                f"reads up to {FORMAT_VERSION}): upgrade newscrawl (pip install -U newscrawl) to use it"
            )

    def _schema_version(self) -> int:
        return int(self.db.execute("PRAGMA schema_version").fetchone()[0])

    def ensure_schema(self) -> None:
        """Create missing tables, columns, indexes and full-text indexes."""
        for table, columns in SCHEMA.items():
            types = {name: kind for name, (kind, _) in columns.items()}
            tbl = self.db.table(table)
            if not tbl.exists():
                foreign_keys = FOREIGN_KEYS.get(table, [])
                tbl.create(
                    types,
                    pk=PRIMARY_KEYS[table],
                    # a table cannot reference itself before it exists
                    foreign_keys=[fk for fk in foreign_keys if fk[1] != table],
                    not_null=set(_as_tuple(PRIMARY_KEYS[table])),
                )
                for column, other, other_column in foreign_keys:
                    if other == table:
                        tbl.add_foreign_key(column, other, other_column)
            else:
                existing = set(tbl.columns_dict)
                for name, kind in types.items():
                    if name not in existing:
                        tbl.add_column(name, kind)
        for table, indexes in INDEXES.items():
            for columns in indexes:
                self.db.table(table).create_index(columns, if_not_exists=True)
        for table, columns in FULL_TEXT.items():
            fts = self.db.table(table).detect_fts()
            if not fts:
                self.db.table(table).enable_fts(columns, create_triggers=True)
            elif set(self.db.table(fts).columns_dict) != set(columns):
                # an older database indexes other columns: rebuild the index
                self.db.table(table).enable_fts(columns, create_triggers=True, replace=True)
        self._ensure_views()
        if int(self.db.execute("PRAGMA user_version").fetchone()[0]) < FORMAT_VERSION:
            self.db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")

    def _ensure_views(self) -> None:
        """Create the VIEWS; one whose stored SQL differs (an older newscrawl) is replaced."""
        stored = dict(self.db.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
        for name, sql in VIEWS.items():
            create = f"CREATE VIEW [{name}] AS\n{sql}"
            if stored.get(name) == create:
                continue
            with self.transaction():
                self.db.execute(f"DROP VIEW IF EXISTS [{name}]")
                self.db.execute(create)

    # -- rows --------------------------------------------------------------------

    def write_rows(
        self,
        blogs: Iterable[Mapping[str, Any]] = (),
        posts: Iterable[Mapping[str, Any]] = (),
        comments: Iterable[Mapping[str, Any]] = (),
        links: Mapping[str, list[Mapping[str, Any]]] | None = None,
        touch_seen: bool = True,
    ) -> WriteCounts:
        """Upsert rows of the record tables in one transaction.

        Parents are written before children, so a batch is consistent on its own.
        ``links`` maps a post id to all of that post's links: they replace the stored
        ones when the post is new or changed.  ``touch_seen``: unchanged rows get
        ``last_seen`` (a full re-read); an incremental crawl writes only what changed.
        """
        counts = WriteCounts()
        now = utc_now()
        with self.transaction():
            self._upsert("blogs", list(blogs), now, counts)
            changed_posts = self._upsert("posts", list(posts), now, counts, touch_seen)
            self._upsert("comments", list(comments), now, counts, touch_seen)
            if links:
                self._replace_links(links, changed_posts)
        return counts

    def _replace_links(self, links: Mapping[str, list[Mapping[str, Any]]], changed_posts: set[str]) -> None:
        # An unchanged post keeps its links, unless it has none stored yet (a database
        # from before the links table).
        unchanged = [pid for pid, rows in links.items() if pid not in changed_posts and rows]
        have_links = set()
        for start in range(0, len(unchanged), 500):
            chunk = unchanged[start : start + 500]
            marks = ",".join("?" * len(chunk))
            have_links.update(
                r[0] for r in self.db.execute(f"select distinct post_id from links where post_id in ({marks})", chunk)
            )
        targets = [pid for pid in links if pid in changed_posts or (links[pid] and pid not in have_links)]
        self.db.conn.executemany("delete from links where post_id = ?", [(post_id,) for post_id in targets])
        self._insert_rows("links", [{**{name: _parameter(value) for name, value in row.items()}, "post_id": post_id}
                                    for post_id in targets for row in links[post_id]])

    def _upsert(
        self, table: str, rows: list[Mapping[str, Any]], now: str, counts: WriteCounts, touch_seen: bool = True
    ) -> set[str]:
        """Write new and changed rows; return the ids written."""
        if not rows:
            return set()
        columns = SCHEMA[table]
        prepared: dict[str, dict[str, Any]] = {}
        for row in rows:
            clean = {
                k: v if v.__class__ in _PLAIN else _to_sql(v) for k, v in row.items() if k in columns and v is not None
            }
            if not clean.get("id"):
                raise StorageError(f"{table} row without id: {dict(row)!r}")
            if table == "comments" and clean.get("deleted"):
                # a removed comment has no text any more: the platform took it back
                clean["content_html"] = clean["content_text"] = None
            # later rows for the same id in one batch complete earlier ones
            prepared.setdefault(clean["id"], {}).update(clean)
        existing = self._existing(table, list(prepared))
        new, changed, seen_again, versions = [], [], [], []
        for row_id, row in prepared.items():
            old = existing.get(row_id)
            if old is None:
                row.update({k: now for k in ("first_seen", "last_seen", "last_changed") if k in columns})
                if row.get("deleted") and "deleted_noticed" in columns:
                    row["deleted_noticed"] = now
                counts.new[table] += 1
                new.append(row)
            else:
                if old.get("deleted") and not row.get("deleted") and "deleted" in columns:
                    _undelete(row, columns)
                if not any(old.get(k) != v for k, v in row.items() if k not in _BOOKKEEPING):
                    if touch_seen and "last_seen" in columns:
                        seen_again.append(row_id)
                    continue
                row.update({k: now for k in ("last_seen", "last_changed") if k in columns})
                if row.get("deleted") and not old.get("deleted") and "deleted_noticed" in columns:
                    row["deleted_noticed"] = now
                if any(k in row and old.get(k) is not None and old[k] != row[k] for k in _VERSIONED.get(table, ())):
                    versions.append(_version_of(table, old, row, now))
                counts.updated[table] += 1
                changed.append(row)
        # the ids were read inside this transaction: new rows are plain inserts, no conflict to resolve
        self._insert_rows(table, new)
        self._update_rows(table, changed)
        if versions:
            self.db.table(_HISTORY[table]).insert_all(versions, batch_size=500)
        for start in range(0, len(seen_again), 500):
            chunk = seen_again[start : start + 500]
            self.db.execute(
                f"update [{table}] set last_seen = ? where id in ({','.join('?' * len(chunk))})", [now, *chunk]
            )
        return {row["id"] for row in new} | {row["id"] for row in changed}

    def _insert_rows(self, table: str, rows: list[Mapping[str, Any]]) -> None:
        """INSERT rows in their order (rowids follow it): a column a row lacks is NULL, as in a
        new row written by ``insert_all``."""
        if rows:
            self._insert_values(table, sorted({name for row in rows for name in row}), rows)

    def _update_rows(self, table: str, rows: list[Mapping[str, Any]]) -> None:
        """Write stored rows again by id, each with its own columns only: a column a row has no
        value for keeps what is stored (one statement with every row's columns would set it to NULL)."""
        by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        for row in rows:
            by_columns.setdefault(tuple(sorted(row)), []).append(row)
        for names, group in by_columns.items():
            assigned = ", ".join(f"[{name}] = excluded.[{name}]" for name in names if name != "id")
            self._insert_values(table, names, group, f" on conflict(id) do update set {assigned}")

    def _insert_values(self, table: str, names: Iterable[str], rows: list[Mapping[str, Any]], then: str = "") -> None:
        """``insert into TABLE (NAMES) values (...), (...) THEN``, many rows per statement: the full-text
        index writes out what its triggers collected at every statement's end, and one statement per row
        (executemany) took twice as long as one per 49 rows.  The rows' values are already as stored
        (``_to_sql``, ``_parameter``): they go to SQLite as they are."""
        names = list(names)
        largest = max(1, min(self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names),
                             _ROWS_PER_STATEMENT))
        columns = ", ".join(f"[{name}]" for name in names)
        one_row = f"({', '.join('?' * len(names))})"
        start = 0
        for size in _statement_sizes(len(rows), largest):
            chunk = rows[start : start + size]
            start += size
            self.db.conn.execute(
                f"insert into [{table}] ({columns}) values {', '.join([one_row] * size)}{then}",
                [row.get(name) for row in chunk for name in names],
            )

    def mark_missing_deleted(self, table: str, blog_id: str, seen_ids: set[str]) -> int:
        """After a complete full re-read of a blog: rows of it that were not read again
        are gone from the blog. They are marked deleted with the time noticed, never
        removed from the database."""
        now = utc_now()
        stored = [r[0] for r in self.db.execute(
            f"select id from [{table}] where blog_id = ? and coalesce(deleted, 0) = 0", [blog_id]
        )]
        missing = [row_id for row_id in stored if row_id not in seen_ids]
        with self.transaction():
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                self.db.execute(
                    f"update [{table}] set deleted = 1, deleted_noticed = ?, last_changed = ?"
                    f" where id in ({','.join('?' * len(chunk))})",
                    [now, now, *chunk],
                )
        return len(missing)

    def _existing(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(f"select * from [{table}] where id in ({marks})", chunk):
                found[row["id"]] = row
        return found

    # -- tracked blogs and crawl state ------------------------------------------------

    def track_blog(self, url: str, platform: str, title: str | None = None) -> bool:
        """Add a blog to the tracked list; False when it was already there (then unchanged)."""
        with self.transaction():
            if self.db.table("tracked_blogs").count_where("url = ?", [url]):
                return False
            self.db.table("tracked_blogs").insert(
                {"url": url, "platform": platform, "title": title, "enabled": 1, "added": utc_now()}
            )
        return True

    def untrack_blog(self, url: str) -> bool:
        """Remove a blog from the tracked list (its posts and comments stay)."""
        with self.transaction():
            removed = self.db.execute("delete from tracked_blogs where url = ?", [url]).rowcount
            self.db.execute("delete from crawl_state where url = ?", [url])
        return bool(removed)

    def tracked_blogs(self, enabled_only: bool = False) -> list[dict[str, Any]]:
        where = "where enabled = 1" if enabled_only else ""
        return list(self.db.query(f"select * from tracked_blogs {where} order by added, url"))

    def tracked_elsewhere(self, blog_id: str, url: str) -> str | None:
        """The tracked address, other than ``url``, whose crawls stored the blog ``blog_id``: a
        crawl of ``url`` claiming that id claims another blog's identity."""
        found = self.db.execute("select url from tracked_blogs where blog_id = ? and url != ? order by added limit 1",
                                [blog_id, url]).fetchone()
        return found[0] if found else None

    def update_tracked_blog(self, url: str, **values: Any) -> None:
        values = {k: _to_sql(v) for k, v in values.items() if k in SCHEMA["tracked_blogs"] and v is not None}
        if values:
            with self.transaction():
                self.db.execute(
                    f"update tracked_blogs set {', '.join(f'[{k}] = ?' for k in values)} where url = ?",
                    [*values.values(), url],
                )

    def crawl_state(self, url: str) -> dict[str, Any]:
        """What the last successful crawl of ``url`` left for the next one ({} the first time)."""
        rows = list(self.db.query("select state from crawl_state where url = ?", [url]))
        return json.loads(rows[0]["state"]) if rows and rows[0]["state"] else {}

    def save_crawl_state(self, url: str, state: dict[str, Any]) -> None:
        with self.transaction():
            self.db.table("crawl_state").upsert(
                {"url": url, "state": json.dumps(state, sort_keys=True), "updated": utc_now()}, pk="url"
            )

    # -- robots.txt ---------------------------------------------------------------

    def robots_txt(self, url: str) -> dict[str, Any] | None:
        """The stored robots.txt of ``url`` (status, body, fetched), or None."""
        return next(iter(self.db.query("select status, body, fetched from robots_txt where url = ?", [url])), None)

    def save_robots_txt(self, url: str, status: int, body: str) -> None:
        with self.transaction():
            self.db.table("robots_txt").upsert(
                {"url": url, "status": status, "body": body, "fetched": utc_now()}, pk="url")

    # -- crawls ------------------------------------------------------------------

    def start_crawl(self, spider: str, blog_url: str | None, blog_id: str | None = None,
                    run: str | None = None) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "insert into crawls (spider, blog_url, blog_id, started, status, run, pid, host)"
                " values (?, ?, ?, ?, 'running', ?, ?, ?)",
                [spider, blog_url, blog_id, utc_now(), run, os.getpid(), socket.gethostname()],
            )
        return int(cursor.lastrowid)

    def close_interrupted_crawls(self, run: str | None = None) -> int:
        """Crawls rows still "running" whose process is gone (killed, crashed, the machine lost
        power): marked, so the record says what happened. A crawl whose process still runs on this
        machine (a `scrapy crawl` beside a `newscrawl crawl`) is left alone, as is one another
        machine ran, which this one cannot see. ``run``: a run that has ended, whose crawls still
        "running" are dead whatever their pid."""
        here = socket.gethostname()
        running = self.db.execute(
            "select id, pid, host, run from crawls where status = 'running' and finished is null").fetchall()
        dead = [crawl_id for crawl_id, pid, host, crawl_run in running
                if (run is not None and crawl_run == run)
                or (host in (None, here) and not (pid and _process_alive(pid)))]
        with self.transaction():
            for start in range(0, len(dead), 500):
                chunk = dead[start : start + 500]
                self.db.execute(f"update crawls set status = 'interrupted' where id in ({','.join('?' * len(chunk))})",
                                chunk)
        return len(dead)

    def finish_crawl(self, crawl_id: int, **values: Any) -> None:
        values = {k: _to_sql(v) for k, v in values.items() if k in SCHEMA["crawls"]}
        values.setdefault("finished", utc_now())
        with self.transaction():
            self.db.table("crawls").update(crawl_id, values)

    # -- errors -------------------------------------------------------------------

    def record_errors(self, blog_url: str, crawl_id: int | None, failures: Iterable[Mapping[str, Any]]) -> int:
        """One row per failed URL: a URL failing again counts another attempt; one that
        had been resolved starts over."""
        now = utc_now()
        written = 0
        with self.transaction():
            for failure in failures:
                old = next(iter(self.db.query("select * from errors where url = ?", [failure["url"]])), None)
                still_failing = old is not None and old["resolved"] is None
                self.db.table("errors").upsert({
                    "url": failure["url"], "blog_url": blog_url, "crawl_id": crawl_id,
                    "status": failure.get("status"), "reason": failure.get("reason"),
                    "callback": failure.get("callback"),
                    "attempts": (old["attempts"] or 0) + 1 if still_failing else 1,
                    "first_failed": old["first_failed"] if still_failing else now,
                    "last_failed": now, "resolved": None,
                }, pk="url")
                written += 1
        return written

    def resolve_errors(self, urls: Iterable[str]) -> int:
        """URLs read without error at last: the row stays, as history."""
        urls = list(urls)
        if not urls:
            return 0
        now = utc_now()
        with self.transaction():
            return sum(self.db.execute("update errors set resolved = ? where url = ? and resolved is null",
                                       [now, url]).rowcount for url in urls)

    def unresolved_errors(self, blog_url: str) -> list[dict[str, Any]]:
        return list(self.db.query("select * from errors where blog_url = ? and resolved is null order by url",
                                  [blog_url]))

    # -- helpers -----------------------------------------------------------------

    def transaction(self) -> Any:
        """``with store.transaction():`` what is written inside lands whole or not at all.  Inside
        another it is part of that one, which commits or rolls back everything (a crawl's outcome,
        several writes, is one transaction: ``bookkeeping.CrawlOutcome.apply``)."""
        return nullcontext(self.db.conn) if self.db.conn.in_transaction else _Transaction(self.db.conn)

    def count(self, table: str) -> int:
        return self.db.table(table).count

    def close(self) -> None:
        self.db.conn.close()


class StorageError(Exception):
    """The database cannot be opened or a row cannot be written."""


# -- one connection per database file for a crawl process's components ---------------------------
#
# A crawl process crawls blog after blog, and each blog's crawl opened the database four times
# (robots.txt, the crawl's state, its rows, its outcome): each open reads the schema again and
# each close of the last connection checkpoints the WAL, a tenth of a first crawl's CPU and more
# of an unchanged blog's.  The components take this process's shared Store instead; its close()
# leaves the connection open for the next blog, and close_shared_stores() ends it: at the end of
# the crawl process's run, before a fork (a connection must not cross one) and at exit.


class _SharedStore(Store):
    def close(self) -> None:
        """Kept open for the next blog of this process (see :func:`shared_store`)."""

    def close_connection(self) -> None:
        Store.close(self)


_SHARED: dict[tuple[int, str], tuple[tuple[str, int, int] | None, _SharedStore]] = {}


def shared_store(path: str | Path) -> Store:
    """This thread's open Store of the database at ``path``, opened (and created or migrated) the
    first time; a file deleted or replaced since is opened anew.  ``close()`` on it is a no-op."""
    key = (threading.get_ident(), str(path))
    cached = _SHARED.get(key)
    if cached is not None:
        identity, store = cached
        if identity is not None and identity == _file_identity(store.path):
            return store
        del _SHARED[key]
        store.close_connection()
    store = _SharedStore(path)
    _SHARED[key] = (_file_identity(store.path) if str(path) != ":memory:" else None, store)
    return store


def close_shared_stores() -> None:
    """Close this process's shared connections (the next :func:`shared_store` opens anew)."""
    while _SHARED:
        _key, (_identity, store) = _SHARED.popitem()
        try:
            store.close_connection()
        except sqlite3.Error:
            pass  # closing: nothing is pending on a connection between two blogs


os.register_at_fork(before=close_shared_stores)
atexit.register(close_shared_stores)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error: a batch lands whole or not at all."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        # Another process writing the database (``crawl --all``'s crawl processes share it) holds its
        # write lock for a batch at a time.  SQLite's own busy handler waits for it in sleeps of 1, 2,
        # 5, 10, 15, 20, 25 ... ms and so oversleeps a lock held a few ms, with this process's reactor
        # waiting meanwhile: asked again every millisecond, the crawl processes of a 200-blog crawl
        # waited 0.4 s each instead of 0.7 s.
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + BUSY_TIMEOUT
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return self.conn
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.001)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        elif self.conn.in_transaction:
            # SQLite rolls back by itself on some errors (a full disk): a second ROLLBACK would
            # raise "no transaction is active" and hide the error that matters
            self.conn.execute("ROLLBACK")


def _version_of(table: str, old: Mapping[str, Any], new: Mapping[str, Any], now: str) -> dict[str, Any]:
    """The history row that keeps what an edit (or a removal) replaced."""
    if table == "posts":
        return {"post_id": old["id"], "title": old.get("title"), "content_html": old.get("content_html"),
                "content_text": old.get("content_text"), "updated": old.get("updated"), "replaced": now}
    return {"comment_id": old["id"], "author": old.get("author"), "content_html": old.get("content_html"),
            "content_text": old.get("content_text"), "published": old.get("published"), "replaced": now,
            "change": "removed" if new.get("deleted") else "edited"}


def _undelete(row: dict[str, Any], columns: Mapping[str, Any]) -> None:
    """A row marked deleted (gone from a full re-read, or removed) that a crawl reads again as
    present is on the blog again: no longer deleted."""
    row["deleted"] = 0
    for name in ("deleted_noticed", "deleted_reason"):
        if name in columns:
            row[name] = None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _as_tuple(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


# Values SQLite takes as they are: no JSON, no conversion (bool is not among them: it becomes 0/1).
_PLAIN = frozenset({str, int, float, type(None)})
# sqlite3 keeps every statement it prepared (128 of them): a 1,000-row insert took 2.3 MB prepared and
# grew a feed crawl's peak RSS by 60 MB, one of 128 rows takes 0.26 MB.
_ROWS_PER_STATEMENT = 128


def _statement_sizes(count: int, largest: int) -> list[int]:
    """Rows per statement for ``count`` rows: full statements of ``largest``, the rest in powers of two,
    so that few distinct statements are ever prepared."""
    sizes = [largest] * (count // largest)
    rest = count % largest
    while rest:
        sizes.append(1 << (rest.bit_length() - 1))
        rest -= sizes[-1]
    return sizes


def _parameter(value: Any) -> Any:
    """A value as ``insert_all`` would write it (JSON for lists and dicts, ISO text for dates ...)."""
    return value if value.__class__ in _PLAIN else jsonify_if_needed(value)


def _to_sql(value: Any) -> Any:
    """A value as it is stored: booleans as 0/1, lists and dicts as JSON, the rest as ``insert_all``
    writes it (:func:`_parameter`), so that a row's values go to SQLite as they are."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return _parameter(value)
