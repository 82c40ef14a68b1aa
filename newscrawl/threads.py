"""The thread page: a post and its reader comments as a discussion, in reply order, at
``/-/newscrawl/post/<post id>`` (``?database=`` another database than the first), and the
links to it from Datasette's posts and comments pages.

The comments come from the ``comment_threads`` view of ``storage.VIEWS``, the one definition of
reply order: the page runs the view's own SQL narrowed to the post, in one query whatever the
number of comments.  Stored text is data: the template shows it escaped, never as markup, and
links only to http(s) addresses.

This module is a Datasette plugin of its own (routes, its template folder, ``render_cell``),
registered by ``browse.make_datasette`` through ``register_plugin``.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup, escape

from . import browse
from .dates import parse_machine_date, utc_offset_of, zone_of
from .storage import VIEWS

PLUGIN_NAME = "newscrawl.threads"
THREAD_PATH = "/-/newscrawl/post/"
# Anything after the prefix: post ids hold colons, and feed post ids slashes and query strings
# (sent percent-encoded, or tilde-encoded as Datasette's own row addresses write them).
THREAD_ROUTE = r"^/-/newscrawl/post/(?P<post_id>.+)$"
TEMPLATE = "newscrawl_post.html"
TEMPLATES = Path(__file__).parent / "templates"
# Replies deeper than this are drawn at this indent (a page stays readable on a phone); the
# depth number is still shown.
MAX_INDENT = 8
INDENT_EM = 1.5

# The view's source of comments, and the same narrowed to one post: the view's SQL is the page's.
_ALL_COMMENTS = "post_comments as (select rowid as stored, * from comments)"
_POST_COMMENTS = "post_comments as (select rowid as stored, * from comments where post_id = :post_id)"


def _one_post(view_sql: str) -> str:
    if view_sql.count(_ALL_COMMENTS) != 1:
        raise RuntimeError(f"storage.VIEWS['comment_threads'] no longer reads {_ALL_COMMENTS!r}: "
                           "the thread page narrows that line to one post; update threads.py with it")
    return view_sql.replace(_ALL_COMMENTS, _POST_COMMENTS)


# The thread's order and shape from the view; what the page shows besides from comments.
THREAD_SQL = f"""select t.id, t.parent_id, t.root_id, t.depth, t.path, t.author, t.published, t.deleted,
  t.comment_type, t.content_text, c.author_url, c.is_blog_author, c.published_raw, c.published_zone,
  c.deleted_reason, c.url
from ({_one_post(VIEWS["comment_threads"])}) t
join comments c on c.id = t.id
order by t.path"""

POST_SQL = """select p.id, p.blog_id, p.url, p.title, p.author, p.author_url, p.published, p.published_raw,
  p.published_zone, p.quoted_text, p.commentary_text, p.content_text, p.deleted, p.comment_count,
  b.title as blog_title, b.url as blog_url, b.timezone as blog_timezone
from posts p
left join blogs b on b.id = p.blog_id
where p.id = :post_id"""


# -- the plugin ------------------------------------------------------------------------


def register_plugin(pm) -> None:
    """Register this module's Datasette hooks with ``pm`` (once per process)."""
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)


@hookimpl
def register_routes():
    return [(THREAD_ROUTE, thread_page)]


@hookimpl
def prepare_jinja2_environment(env):
    # Datasette finds a plugin's templates in its package's templates folder, but this plugin is
    # a module, which has none (Python 3.11): the folder is added after Datasette's own loaders,
    # so a --template-dir can still override the page.
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES))])


# -- the page --------------------------------------------------------------------------


async def thread_page(datasette, request) -> Response:
    """The post ``post_id`` with its comments as a thread; 404 for an unknown post or database."""
    db = await browse.newscrawl_database(datasette, request.args.get("database") or None, "comment_threads",
                                         "the thread page")
    for table in ("posts", "comments"):
        await datasette.ensure_permissions(
            request.actor, [("view-table", (db.name, table)), ("view-database", db.name), "view-instance"])
    post = await _post(db, request.url_vars["post_id"])
    rows = (await db.execute(THREAD_SQL, {"post_id": post["id"]})).rows
    comments = thread_entries([dict(row) for row in rows], post["blog_timezone"])
    context = {
        "database": db.name,
        "post": post_entry(dict(post)),
        "comments": comments,
        "counts": thread_counts(comments),
        "post_row_url": datasette.urls.row(db.name, "posts", tilde_encode(post["id"])),
        "blog_row_url": datasette.urls.row(db.name, "blogs", tilde_encode(post["blog_id"]))
        if post["blog_id"] else None,
        "comment_row_base": datasette.urls.table(db.name, "comments"),
    }
    return Response.html(await datasette.render_template(TEMPLATE, context, request=request))


async def _post(db, raw_id: str):
    """The post of the address's id: percent-encoded or not, or tilde-encoded (a row address of
    Datasette's edited into a thread address; Datasette's own 404 also redirects to that form)."""
    candidates = [unquote(raw_id)]
    if "~" in raw_id:
        candidates.append(tilde_decode(raw_id))
    for post_id in candidates:
        row = (await db.execute(POST_SQL, {"post_id": post_id})).first()
        if row is not None:
            return row
    raise NotFound(f"No post with id {candidates[0]!r} in database {db.name!r}.")


# -- what the page shows (pure) ----------------------------------------------------------


class ShownTime(NamedTuple):
    """A stored time as the page shows it."""

    iso: str | None  # the stored value (UTC), for <time datetime>
    utc: str | None  # "2024-10-08 05:00 UTC"; None when the zone is unknown
    local: str | None  # "2024-10-07 22:00 (UTC-07:00)", in the zone the time was written in
    as_shown: str | None  # the original string, as the blog showed it


def shown_time(published: str | None, zone_source: str | None, raw: str | None,
               blog_timezone: str | None) -> ShownTime:
    """``published`` (UTC) in UTC and in local time: the offset the value stated, else the blog's
    timezone.  published_zone 'unknown' means the stored value is the wall clock as shown, written
    +00:00: it is shown as such, without a UTC time it does not have."""
    moment = parse_machine_date(published)
    if moment is None:
        return ShownTime(published, None, None, raw)
    if zone_source == "unknown":
        return ShownTime(published, None, f"{moment:%Y-%m-%d %H:%M} (as shown; zone unknown)", raw)
    return ShownTime(published, f"{moment:%Y-%m-%d %H:%M} UTC", _local(moment, zone_source, raw, blog_timezone), raw)


def _local(moment: datetime, zone_source: str | None, raw: str | None, blog_timezone: str | None) -> str | None:
    """The local time: in the offset the original value stated (a feed's 22:00-07:00), else in the
    blog's timezone.  A stated +00:00 is the platform writing UTC, not the writer's clock."""
    if zone_source not in ("stated", "blog"):
        return None
    stated = utc_offset_of(raw) if zone_source == "stated" else None
    name = stated if stated and stated.lstrip("+-") != "00:00" else blog_timezone
    zone = zone_of(name) if name else None
    if zone is None:
        return None
    local = moment.astimezone(zone)
    if not local.utcoffset():
        return None  # the UTC time shown beside it
    return f"{local:%Y-%m-%d %H:%M} ({_zone_label(zone, local)})"


def _zone_label(zone, local: datetime) -> str:
    """An IANA zone by its name (Europe/Berlin); a fixed offset as UTC+HH:MM."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a stored text (blank lines between them); line breaks within a
    paragraph are kept by the page's CSS."""
    return [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text or "") if part.strip()]


def web_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address: a stored javascript: or data: address is never a link."""
    try:
        return url if url and urlsplit(url.strip()).scheme in ("http", "https") else None
    except ValueError:
        return None


def post_entry(post: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows of a post."""
    quoted, commentary = paragraphs(post["quoted_text"]), paragraphs(post["commentary_text"])
    return {
        "id": post["id"],
        "title": post["title"] or "(untitled post)",
        "url": web_link(post["url"]),
        "author": post["author"],
        "author_url": web_link(post["author_url"]),
        "time": shown_time(post["published"], post["published_zone"], post["published_raw"], post["blog_timezone"]),
        "blog_title": post["blog_title"] or post["blog_id"],
        "blog_url": web_link(post["blog_url"]),
        "quoted": quoted,
        "commentary": commentary,
        # a body not split into quote and commentary is shown whole
        "text": [] if quoted or commentary else paragraphs(post["content_text"]),
        "deleted": bool(post["deleted"]),
        "comment_count": post["comment_count"],
    }


def thread_entries(rows: Iterable[Mapping[str, Any]], blog_timezone: str | None) -> list[dict[str, Any]]:
    """What the page shows of each comment, in the order of ``rows`` (the view's reply order)."""
    rows = list(rows)
    by_id = {row["id"]: row for row in rows}
    return [_comment_entry(row, by_id, blog_timezone) for row in rows]


def _comment_entry(row: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]],
                   blog_timezone: str | None) -> dict[str, Any]:
    parent = by_id.get(row["parent_id"]) if row["parent_id"] else None
    return {
        "id": row["id"],
        "anchor": comment_anchor(row["id"]),
        "depth": row["depth"],
        "indent_em": min(row["depth"], MAX_INDENT) * INDENT_EM,
        "author": row["author"] or "(no name)",
        "author_url": web_link(row["author_url"]),
        "is_blog_author": bool(row["is_blog_author"]),
        "time": shown_time(row["published"], row["published_zone"], row["published_raw"], blog_timezone),
        "paragraphs": paragraphs(row["content_text"]),
        "deleted": bool(row["deleted"]),
        "deleted_reason": row["deleted_reason"],
        "kind": row["comment_type"] if row["comment_type"] in ("pingback", "trackback") else None,
        "reply_to": {"anchor": comment_anchor(parent["id"]), "author": parent["author"] or "(no name)"}
        if parent and row["depth"] > 0 else None,
        "placement": _placement(row, parent),
        "url": web_link(row["url"]),
        "row_path": tilde_encode(row["id"]),
    }


def _placement(row: Mapping[str, Any], parent: Mapping[str, Any] | None) -> str | None:
    """Why a reply is shown at top level, or None where it stands under its parent."""
    if row["depth"] > 0 or not row["parent_id"]:
        return None
    if parent is None:
        return "replies to a comment that is not stored: shown at top level"
    return ("replies to a comment it cannot be placed under (their replies loop, or run over 200 deep): "
            "shown at top level")


def thread_counts(comments: list[Mapping[str, Any]]) -> dict[str, int]:
    return {
        "comments": sum(1 for c in comments if not c["kind"]),
        "removed": sum(1 for c in comments if c["deleted"]),
        "links": sum(1 for c in comments if c["kind"]),
    }


def comment_anchor(comment_id: str) -> str:
    """The element id of a comment on the thread page."""
    return f"comment-{comment_id}"


# -- links to the page -------------------------------------------------------------------


def thread_url(datasette, post_id: str, database: str | None = None, comment_id: str | None = None) -> str:
    """The thread page of ``post_id``; ``database`` unless it is the first; ``comment_id``: at that comment."""
    url = datasette.urls.path(THREAD_PATH + quote(post_id, safe=":"))
    if database is not None and database != _first_database(datasette):
        url += "?database=" + quote(database, safe="")
    if comment_id:
        url += "#" + quote(comment_anchor(comment_id), safe=":")
    return url


def _first_database(datasette) -> str | None:
    try:
        return datasette.get_database().name
    except (KeyError, IndexError):
        return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Links to the thread page: beside a post's title and id and on its comment count (the posts
    table; its id column there is Datasette's own link to the row page, not passed to this hook),
    and beside every post_id of the comments table, the views and the canned queries.  Every other
    cell: None, so Datasette renders it as usual."""
    if column not in ("post_id", "id", "title", "comment_count") or not _is_newscrawl(datasette, database):
        return None
    if table == "posts" and column in ("id", "title") and isinstance(value, str):
        post_id = value if column == "id" else _row_value(row, "id")
        if isinstance(post_id, str):
            return escape(value) + _thread_link(thread_url(datasette, post_id, database))
        return None
    if table == "posts" and column == "comment_count":
        post_id = _row_value(row, "id")
        if not isinstance(post_id, str):
            return None
        shown = "thread" if value is None else str(value)
        return Markup('<a href="{}" title="Read the comments as a thread">{}</a>').format(
            thread_url(datasette, post_id, database), shown)
    if column == "post_id":
        return _post_id_cell(row, value, table, database, datasette)
    return None


def _post_id_cell(row, value, table: str | None, database: str, datasette) -> Markup | None:
    comment_id = _row_value(row, "id" if table in ("comments", "comment_threads") else "comment_id")
    comment_id = comment_id if isinstance(comment_id, str) else None
    if isinstance(value, dict):  # a foreign key Datasette expanded: its label, linked as Datasette does
        post_id, label = value.get("value"), value.get("label")
        if not isinstance(post_id, str):
            return None
        row_url = datasette.urls.row(database, "posts", tilde_encode(post_id))
        shown = Markup('<a href="{}">{}</a>').format(row_url, label or post_id)
        if label and label != post_id:
            shown += Markup("&nbsp;<em>{}</em>").format(post_id)
    elif isinstance(value, str) and value:
        # the link to the post's row that browse.py gives a bare id (a row's page, a view), if any
        post_id = value
        shown = browse.render_cell(value=value, column="post_id", table=table, database=database,
                                   datasette=datasette) or escape(value)
    else:
        return None
    return shown + _thread_link(thread_url(datasette, post_id, database, comment_id))


def _thread_link(url: str) -> Markup:
    return Markup(' <a href="{}" class="newscrawl-thread" title="Read the discussion as a thread">'
                  "(thread)</a>").format(url)


def _row_value(row, name: str) -> Any:
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _is_newscrawl(datasette, database: str | None) -> bool:
    """A database served with newscrawl's metadata (make_datasette): another database's posts
    table is none of ours, and gets no links to a page that would not find its posts."""
    tables = (datasette.metadata(database=database) or {}).get("tables") or {}
    return "comment_threads" in tables
