"""Datasette: the metadata, canned queries and chart that make a newscrawl database
browsable without SQL.

Titles and descriptions come from ``storage.SCHEMA`` and the views from
``storage.VIEWS`` (one source of truth); this module adds how each table is best shown
(newest first, facets, label columns), canned queries that ask the views' questions
with parameters, an Atom feed of a blog's new comments (through ``datasette-atom``) and
a comments-per-day chart drawn as SVG on the server, so it works offline.

``make_datasette(path)`` builds the Datasette that ``newscrawl serve`` runs and the
tests query.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from html import escape
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple
from urllib.parse import urlsplit

import datasette_atom
from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup
from feedgen.feed import FeedGenerator
from lxml import etree

from .storage import FOREIGN_KEYS, SCHEMA, VIEWS

CHART_PATH = "/-/newscrawl/comments-per-day.svg"
ATOM = "http://www.w3.org/2005/Atom"
# Comments dated before this day (before the web) or after tomorrow are misdated: the chart
# says how many there are instead of stretching its time axis over them.
FIRST_PLAUSIBLE_DAY = dt.date(1990, 1, 1)

TABLE_TITLES = {"tracked_blogs": "Tracked blogs", "crawl_state": "Crawl state", "post_versions": "Post versions",
                "comment_versions": "Comment versions"}

TABLE_DESCRIPTIONS = {
    "blogs": "The blogs newscrawl has crawled.",
    "posts": "Every post of every crawled blog, newest first. Search titles and text with the search box; "
             "the (thread) link beside a post's title opens its discussion as a thread.",
    "comments": "Every reader comment, linked to its post and to the comment it replies to, newest first. "
                "Search authors and text with the search box.",
    "links": "Outbound links of every post: which outlets each blog quotes.",
    "tracked_blogs": "The blogs `newscrawl crawl --all` crawls (see `newscrawl add`).",
    "crawl_state": "Where each blog's next incremental crawl resumes.",
    "post_versions": "Earlier titles and bodies of edited posts.",
    "comment_versions": "Earlier text of edited comments, and the last text seen of comments removed on the blog.",
    "crawls": "One row per crawl run: requests made, rows stored, errors.",
    "errors": "URLs a crawl could not fetch or read, and why. The next crawl fetches them again; "
              "resolved says when one was read at last.",
}

TABLE_DISPLAY: dict[str, dict[str, Any]] = {
    "blogs": {"label_column": "title", "facets": ["platform", "status"]},
    "posts": {"label_column": "title", "sort_desc": "published", "facets": ["blog_id", "author", {"array": "labels"}]},
    "comments": {
        "label_column": "author",
        "sort_desc": "published",
        "facets": ["blog_id", "author", "deleted", "comment_type"],
    },
    "links": {"label_column": "url", "facets": ["domain", "blog_id"]},
    "tracked_blogs": {"label_column": "title", "sort_desc": "added", "facets": ["platform", "last_status"]},
    "post_versions": {"sort_desc": "replaced"},
    "comment_versions": {"sort_desc": "replaced", "facets": ["change"]},
    "crawls": {"sort_desc": "id", "facets": ["status", "spider", "blog_id"]},
    "errors": {"sort_desc": "last_failed", "facets": ["blog_url", "reason", "status"]},
}

# The views of storage.VIEWS: title, description and facets.  Reader comments exclude
# pingbacks and trackbacks.  Facets count by blog_id: blogs can share a title.
VIEW_DISPLAY: dict[str, dict[str, Any]] = {
    "latest_comments": {
        "title": "Latest comments",
        "description": "Reader comments across all blogs, newest first.",
        "facets": ["blog_id", "author"],
    },
    "most_discussed_posts": {
        "title": "Most discussed posts",
        "description": "Posts by number of reader comments, all time (the canned query "
                       "'Most discussed posts in a period' takes dates).",
        "facets": ["blog_id"],
    },
    "top_commenters": {
        "title": "Top commenters",
        "description": "Commenters of each blog by number of reader comments; rank 1 is the blog's most active "
                       "commenter (is_blog_author: the owner replying).",
        "facets": ["blog_id", "rank"],
    },
    "commenter_history": {
        "title": "Commenter history",
        "description": "Every reader comment by commenter, across blogs; filter author, or use the canned "
                       "query 'A commenter's history'.",
        "facets": ["author", "blog_id"],
    },
    "outlets_per_blog": {
        "title": "Most-cited outlets per blog",
        "description": "Registered domains each blog's posts link to: how many links and posts.",
        "facets": ["blog_id", "domain"],
    },
    "comments_per_day": {
        "title": "Comments per day",
        "description_html": (
            "<p>Reader comments per day and blog (UTC days). "
            f'<a href="..{CHART_PATH}">Chart</a> (add <code>?blog_id=</code>, <code>since=</code>, '
            "<code>until=</code> to narrow it); over a long period it counts per week, month or year, "
            f"and comments dated before {FIRST_PLAUSIBLE_DAY.year} or in the future are counted under it, "
            "not drawn.</p>"
            f'<p><img src="..{CHART_PATH}" alt="Reader comments over time, per blog" style="max-width: 100%"></p>'
        ),
        "facets": ["blog_id"],
    },
    "growing_posts": {
        "title": "Posts still growing",
        "description": "Posts published more than 7 days ago with reader comments written in the last 7 days "
                       "(the canned query 'Posts still growing' takes the number of days).",
        "facets": ["blog_id"],
    },
    "deleted_comments": {
        "title": "Deleted comments",
        "description": "Comments removed on the blog (their text is gone), newest notice first.",
        "facets": ["blog_id", "deleted_reason"],
    },
    "comment_threads": {
        "title": "Comment threads",
        "description": "Every comment with its place in its post's discussion: root_id is the top-level comment "
                       "of its thread, depth 0 the top level; ordered by post and path, replies follow their "
                       "parent. A post_id's (thread) link shows the discussion as a page.",
        "facets": ["blog_id", "depth"],
    },
}

_READER = "coalesce(c.comment_type, 'comment') = 'comment'"
_ANY_BLOG = "(:blog_id = '' or {column} = :blog_id)"

# Canned queries: the views' questions with parameters (an empty parameter means "all").
QUERIES: dict[str, dict[str, Any]] = {
    "recent_comments": {
        "title": "Latest comments",
        "description": "The 200 latest reader comments; blog_id narrows them to one blog (empty: all).",
        "sql": f"select * from latest_comments where {_ANY_BLOG.format(column='blog_id')} limit 200",
    },
    "discussed_between": {
        "title": "Most discussed posts in a period",
        "description": "Posts by reader comments written between since and until (dates, YYYY-MM-DD, "
                       "both included; empty: open-ended); blog_id narrows to one blog.",
        "sql": f"""select p.id as post_id, p.blog_id, b.title as blog, p.title, p.url, p.published,
  count(*) as comments, count(distinct c.author) as commenters, max(c.published) as last_comment
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = p.blog_id
where {_READER}
  and (:since = '' or c.published >= date(:since))
  and (:until = '' or c.published < date(:until, '+1 day'))
  and {_ANY_BLOG.format(column='c.blog_id')}
group by p.id
order by comments desc, p.published desc
limit 100""",
    },
    "blog_top_commenters": {
        "title": "Top commenters of a blog",
        "description": "The 50 most active commenters of each blog (blog_id: one blog; empty: every blog).",
        "sql": f"select * from top_commenters where {_ANY_BLOG.format(column='blog_id')} and rank <= 50",
    },
    "commenter": {
        "title": "A commenter's history",
        "description": "Every reader comment of one author (exactly as shown on the blogs), across blogs, "
                       "newest first.",
        "sql": "select * from commenter_history where author = :author order by published desc",
    },
    "blog_outlets": {
        "title": "Most-cited outlets",
        "description": "Domains the posts link to, most links first (blog_id: one blog; empty: all blogs "
                       "together).",
        "sql": f"""select l.domain, count(*) as links, count(distinct l.post_id) as posts,
  count(distinct l.blog_id) as blogs
from links l
where l.domain is not null and {_ANY_BLOG.format(column='l.blog_id')}
group by l.domain
order by links desc, l.domain""",
    },
    "daily_comments": {
        "title": "Comments per day",
        "description_html": (
            "<p>Reader comments per day (blog_id: one blog; empty: every blog, one row per blog and day). "
            f'<a href="..{CHART_PATH}">Chart of every blog</a>.</p>'
        ),
        "sql": f"select * from comments_per_day where {_ANY_BLOG.format(column='blog_id')}",
    },
    "growing": {
        "title": "Posts still growing",
        "description": "Posts published more than N days ago with reader comments written in the last N days "
                       "(days; empty: 7).",
        "sql": f"""select p.id as post_id, p.blog_id, b.title as blog, p.title, p.url, p.published,
  count(*) as new_comments, max(coalesce(c.published, c.first_seen)) as last_comment
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = p.blog_id
where {_READER}
  and coalesce(c.published, c.first_seen)
      >= strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || coalesce(nullif(:days, ''), 7) || ' days')
  and p.published < strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || coalesce(nullif(:days, ''), 7) || ' days')
group by p.id
order by new_comments desc, last_comment desc""",
    },
    "removed_comments": {
        "title": "Deleted comments",
        "description": "Comments removed on the blog, newest notice first (blog_id: one blog; empty: all).",
        "sql": f"select * from deleted_comments where {_ANY_BLOG.format(column='blog_id')}",
    },
    "blog_comments_feed": {
        "title": "New comments",
        "description": "The 50 latest reader comments of one blog (blog_id), also as an Atom feed: "
                       "add .atom to this page's address (/newscrawl/blog_comments_feed.atom?blog_id=...).",
        "sql": f"""select coalesce(c.url, 'urn:newscrawl:' || c.id) as atom_id,
  coalesce(c.author, 'Anonymous') || ' on ' || coalesce(p.title, p.url) as atom_title,
  coalesce(c.published, c.first_seen) as atom_updated,
  c.content_text as atom_content,
  coalesce(c.url, p.url) as atom_link,
  c.author as atom_author_name,
  c.author_url as atom_author_uri,
  b.title as blog, c.post_id
from comments c
join posts p on p.id = c.post_id
left join blogs b on b.id = c.blog_id
where c.blog_id = :blog_id and {_READER} and coalesce(c.deleted, 0) = 0
order by atom_updated desc
limit 50""",
    },
}


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette ``metadata`` for a newscrawl database at ``db_path``."""
    tables: dict[str, dict[str, Any]] = {}
    for table, columns in SCHEMA.items():
        entry: dict[str, Any] = {
            "title": TABLE_TITLES.get(table, table.capitalize()),
            "description": TABLE_DESCRIPTIONS.get(table, ""),
            "columns": {name: description for name, (_, description) in columns.items()},
        }
        entry.update(TABLE_DISPLAY.get(table, {}))
        tables[table] = entry
    for view in VIEWS:
        tables[view] = dict(VIEW_DISPLAY.get(view, {}))
    for table in INTERNAL_TABLES:
        tables[table]["hidden"] = True
    return {
        "title": "newscrawl",
        "description": "Posts and reader comments of tracked news-commentary blogs.",
        "databases": {Path(db_path).stem: {"tables": tables, "queries": QUERIES}},
    }


def make_datasette(db_path: str | Path, **options: Any):
    """A Datasette serving the database at ``db_path`` with newscrawl's metadata, canned
    queries and chart page (``options`` are Datasette's own, e.g. ``settings``)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from .threads import register_plugin as register_thread_page

    if pm.get_plugin(_PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=_PLUGIN_NAME)
    register_thread_page(pm)  # newscrawl.threads: the thread page and the links to it
    settings = {**DATASETTE_SETTINGS, **options.pop("settings", {})}
    return Datasette([str(db_path)], metadata=datasette_metadata(db_path), settings=settings, **options)


_PLUGIN_NAME = "newscrawl"

# Datasette settings of `newscrawl serve`: a post's HTML body is shown cut (its row page shows it
# whole), so that one row is not taller than a screen.
DATASETTE_SETTINGS = {"truncate_cells_html": 300}

# What a crawl keeps for the next one: not data a reader browses (still queryable with SQL).
INTERNAL_TABLES = ("crawl_state", "robots_txt")


# -- links between rows --------------------------------------------------------------------

# Columns of the views that hold another row's id: (column) -> the table it is a row of.
_VIEW_ID_COLUMNS = {"post_id": "posts", "blog_id": "blogs", "comment_id": "comments", "parent_id": "comments",
                    "root_id": "comments"}
_TABLE_ID_COLUMNS = {(table, column): other for table, keys in FOREIGN_KEYS.items() for column, other, _ in keys}


@hookimpl
def render_cell(value, column, table, database, datasette):
    """An id of another row, as a link to that row. Datasette links foreign keys itself on a
    table's page (``value`` is then the expanded {value, label}), but not on a row's page nor in
    a view: there the bare id is linked here."""
    if not isinstance(value, str) or not value or table is None:
        return None
    other = _TABLE_ID_COLUMNS.get((table, column)) or (_VIEW_ID_COLUMNS.get(column) if table in VIEWS else None)
    if other is None:
        return None
    return Markup(f'<a href="{escape(datasette.urls.row(database, other, tilde_encode(value)))}">'
                  f"{escape(value)}</a>")


# -- the page script -----------------------------------------------------------------------

# On a table's page, Datasette lists every column's description above the rows (2,000 px on
# comments): folded into one line. On the comments_per_day page, the chart is drawn with the
# page's own filters (?blog_id=, day__gte= ...).
PAGE_SCRIPT = """
(function () {
  var list = document.querySelector('dl.column-descriptions');
  if (list) {
    var fold = document.createElement('details');
    fold.className = 'newscrawl-column-descriptions';
    var title = document.createElement('summary');
    title.textContent = 'What each column means';
    fold.appendChild(title);
    list.parentNode.replaceChild(fold, list);
    fold.appendChild(list);
  }
  document.querySelectorAll('img[src*="comments-per-day.svg"]').forEach(function (img) {
    img.src = img.src.split('?')[0] + window.location.search;
  });
})();
"""


@hookimpl
def extra_body_script(template, database, table, columns, view_name, request, datasette):
    return PAGE_SCRIPT if template in ("table.html", "row.html", "query.html") else None


# -- the chart ---------------------------------------------------------------------------


@hookimpl
def register_routes():
    return [(r"^/-/newscrawl/comments-per-day\.svg$", comments_per_day_chart)]


# The chart's query arguments, its own and the comments_per_day page's filters: argument -> condition.
CHART_FILTERS = {
    "blog_id": "blog_id = {}", "blog_id__exact": "blog_id = {}", "blog": "blog = {}", "blog__exact": "blog = {}",
    "since": "day >= {}", "day__gte": "day >= {}", "day__gt": "day > {}",
    "until": "day <= {}", "day__lte": "day <= {}", "day__lt": "day < {}", "day": "day = {}", "day__exact": "day = {}",
}


async def comments_per_day_chart(datasette, request) -> Response:
    """The comments_per_day view as an SVG line chart, one line per blog.

    ``?blog_id=`` one blog; ``since`` / ``until`` (YYYY-MM-DD) a period; ``database``
    the database (default: the first). The filters of the comments_per_day page itself
    (``blog_id__exact=``, ``day__gte=`` ...) narrow it the same way, so the chart on that page
    shows what the page's rows show."""
    db = await newscrawl_database(datasette, request.args.get("database") or None, "comments_per_day", "the chart")
    where, params = ["1 = 1"], {}
    for number, (arg, condition) in enumerate(CHART_FILTERS.items()):
        if request.args.get(arg):
            where.append(condition.format(f":p{number}"))
            params[f"p{number}"] = request.args[arg]
    result = await db.execute(
        f"select day, coalesce(blog_id, '') as blog_id, comments from comments_per_day where {' and '.join(where)}",
        params,
    )
    blogs = await db.execute("select id, title, url from blogs")
    shown = {r["blog_id"] for r in result.rows}
    labels = blog_labels([(r["id"], r["title"], r["url"]) for r in blogs.rows if r["id"] in shown])
    svg = comments_per_day_svg([(r["day"], r["blog_id"], r["comments"]) for r in result.rows], labels)
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def newscrawl_database(datasette, name: str | None, view: str, page: str):
    """The database ``?database=`` names (default: the first) for one of newscrawl's pages, which
    reads its ``view``; Not Found (404) for a database Datasette does not serve or one without
    the view (not a newscrawl database, or one not opened by this newscrawl yet), not a 500."""
    try:
        db = datasette.get_database(name)
    except (KeyError, IndexError):
        raise NotFound(f"No database named {name!r}; {page} reads a newscrawl database "
                       "(leave out ?database= for the first one).") from None
    if view not in await db.view_names():
        raise NotFound(f"Database {db.name!r} has no {view} view: not a newscrawl database "
                       "(open it once with this newscrawl to add the view).")
    return db


def blog_labels(blogs: Iterable[tuple[str, str | None, str | None]]) -> dict[str, str]:
    """The chart's name of each blog of (id, title, url): its title and host ("Notebook
    (example.blogspot.com)"), with its id too where two blogs would still read the same."""
    labels = {}
    for blog_id, title, url in blogs:
        host = _host(url)
        labels[blog_id] = f"{title} ({host})" if title and host else title or host or blog_id
    repeated = Counter(labels.values())
    return {blog_id: f"{label} [{blog_id}]" if repeated[label] > 1 else label for blog_id, label in labels.items()}


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url or "").hostname
    except ValueError:  # a malformed address, e.g. an unclosed [IPv6 bracket
        return None


PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")

# At most this many points per line: a longer period is counted per week, month or year
# instead of per day (a line drawn day by day across centuries of misdated comments was a
# 157 MB SVG whose drawing froze the server).
MAX_POINTS = 500
# Longer blog titles are cut in the legend, so a title cannot inflate the chart either.
MAX_LABEL = 80


class Bucket(NamedTuple):
    """How the chart counts: ``index`` numbers a day's bucket (consecutive buckets get
    consecutive numbers), ``label`` names a bucket by its number."""

    name: str
    index: Callable[[dt.date], int]
    label: Callable[[int], str]


# Date 1 (0001-01-01) was a Monday, so weeks counted from it start on Mondays.
BUCKETS = (
    Bucket("day", dt.date.toordinal, lambda i: dt.date.fromordinal(i).isoformat()),
    Bucket("week", lambda d: (d.toordinal() - 1) // 7, lambda i: dt.date.fromordinal(7 * i + 1).isoformat()),
    Bucket("month", lambda d: 12 * d.year + d.month - 1, lambda i: f"{i // 12:04d}-{i % 12 + 1:02d}"),
    Bucket("year", lambda d: d.year, str),
)


def comments_per_day_svg(rows: Iterable[tuple[str, str, int]], labels: Mapping[str, str] | None = None, *,
                         today: dt.date | None = None, width: int = 960, height: int = 360,
                         max_series: int = len(PALETTE)) -> str:
    """An SVG line chart of (day YYYY-MM-DD, series, count) rows, one line per series
    (a blog id, named by ``labels``; default: the id itself).

    Counted per day, or per week, month or year when that many days would exceed
    ``MAX_POINTS``; buckets without a row count 0.  The series beyond the ``max_series - 1``
    largest are summed as "others".  Rows dated before ``FIRST_PLAUSIBLE_DAY``, after the
    day after ``today`` (default: today, UTC) or not dated at all are counted in a note,
    not drawn.  ``height`` is the plot's; the legend adds a line per series."""
    last_day = (today or dt.datetime.now(dt.timezone.utc).date()) + dt.timedelta(days=1)
    dated, not_drawn = _plausible(rows, FIRST_PLAUSIBLE_DAY, last_day)
    note = [_not_drawn_note(not_drawn, last_day)] if not_drawn else []
    if not dated:
        lines = ["No reader comments to chart.", *note]
        return _svg(width, 30 + 20 * len(lines), "Reader comments",
                    [f'<text x="10" y="{25 + 20 * n}">{escape(line)}</text>' for n, line in enumerate(lines)])
    bucket = _bucket_for(min(day for day, _, _ in dated), max(day for day, _, _ in dated))
    return _draw(_lines(dated, bucket, labels or {}, max_series), bucket, note, width, height)


def _plausible(rows: Iterable[tuple[str, str, int]], first: dt.date,
               last: dt.date) -> tuple[list[tuple[dt.date, str, int]], int]:
    """The rows dated from ``first`` to ``last``, with their days read, and how many
    comments the other rows count."""
    dated, not_drawn = [], 0
    for day, series, count in rows:
        read = _read_day(day)
        if read is not None and first <= read <= last:
            dated.append((read, series, count))
        else:
            not_drawn += count
    return dated, not_drawn


def _read_day(day: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(day)
    except (TypeError, ValueError):  # not a date, or year 0 / negative (substr of a mangled date)
        return None


def _not_drawn_note(count: int, last_day: dt.date) -> str:
    return (f"{count} comment{'s' if count != 1 else ''} not drawn: dated before {FIRST_PLAUSIBLE_DAY.year}, "
            f"after {last_day.isoformat()} or unreadably (misdated).")


def _bucket_for(first: dt.date, last: dt.date) -> Bucket:
    """The finest bucket that spans ``first`` to ``last`` in at most MAX_POINTS points."""
    return next((b for b in BUCKETS if b.index(last) - b.index(first) < MAX_POINTS), BUCKETS[-1])


def _lines(dated: list[tuple[dt.date, str, int]], bucket: Bucket, labels: Mapping[str, str],
           max_series: int) -> list[tuple[str, dict[int, int]]]:
    """(label, comments per bucket) of each line, largest first; the series beyond the
    ``max_series - 1`` largest summed as one line, "others"."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for day, series, count in dated:
        counts[series][bucket.index(day)] += count
    ranked = sorted(counts, key=lambda s: (-sum(counts[s].values()), s))
    if len(ranked) <= max_series:
        return [(labels.get(s, s), counts[s]) for s in ranked]
    others: dict[int, int] = defaultdict(int)
    for series in ranked[max_series - 1:]:
        for index, count in counts[series].items():
            others[index] += count
    return [(labels.get(s, s), counts[s]) for s in ranked[: max_series - 1]] + [("others", others)]


def _draw(lines: list[tuple[str, dict[int, int]]], bucket: Bucket, note: list[str], width: int,
          height: int) -> str:
    first = min(i for _, counts in lines for i in counts)
    last = max(i for _, counts in lines for i in counts)
    span = max(last - first, 1)
    top = max(v for _, counts in lines for v in counts.values())
    left, right, upper, lower = 50, 45, 30, 40
    plot_w, plot_h = width - left - right, height - upper - lower
    x = lambda index: left + plot_w * (index - first) / span  # noqa: E731
    y = lambda value: upper + plot_h * (1 - value / top)  # noqa: E731
    parts = [f'<text x="{left}" y="16">Reader comments per {bucket.name}</text>',
             f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#333"/>',
             f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#333"/>']
    for tick in _ticks(top):
        parts.append(f'<line x1="{left - 4}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for index in sorted({first + round(span * k / 5) for k in range(6)}):
        parts.append(f'<text x="{x(index):.1f}" y="{upper + plot_h + 16}" text-anchor="middle">'
                     f"{bucket.label(index)}</text>")
    for n, (label, counts) in enumerate(lines):
        color, name = PALETTE[n % len(PALETTE)], escape(_shorten(xml_text(label)))
        points = " ".join(f"{x(i):.1f},{y(counts.get(i, 0)):.1f}" for i in range(first, last + 1))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{points}">'
                     f"<title>{name}</title></polyline>")
        legend_y = upper + plot_h + 36 + 18 * n
        parts.append(f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{left + 18}" y="{legend_y}">{name} ({sum(counts.values())})</text>')
    for n, line in enumerate(note):
        parts.append(f'<text x="{left}" y="{upper + plot_h + 36 + 18 * (len(lines) + n)}">{escape(line)}</text>')
    return _svg(width, height + 18 * (len(lines) + len(note)), f"Reader comments per {bucket.name}", parts)


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026"


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
            f'<title>{title}</title>{"".join(parts)}</svg>')


def _ticks(top: int) -> list[int]:
    step = 1
    while top / step > 5:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return list(range(0, top + 1, step))


# -- text XML can carry ------------------------------------------------------------------

# What XML 1.0 allows in a document, even escaped: tab, newline, carriage return and the
# characters from space up, except surrogates, U+FFFE and U+FFFF.  Blogs do serve NULs and
# other control characters; lxml (the Atom feed) refuses them and browsers stop reading an
# SVG at them.
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_IN_XML.sub("", text)


# -- the Atom feed -------------------------------------------------------------------------


@hookimpl(trylast=True)
def register_output_renderer():
    # Datasette keeps the last renderer registered for an extension; trylast makes this one
    # come after datasette-atom's, which it wraps.
    return {"extension": "atom", "render": render_atom, "can_render": datasette_atom.can_render_atom}


def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data) -> Response:
    """datasette-atom's feed, but an empty feed where there are no rows (datasette-atom
    answers 500: it takes the feed's date from the newest row) and without the
    characters XML forbids (lxml refuses them: 500 again)."""
    if not rows:
        return _empty_feed(datasette, request, sql, database, query_name)
    rows = [{key: xml_text(value) if isinstance(value, str) else value for key, value in dict(row).items()}
            for row in rows]
    response = datasette_atom.render_atom(datasette, request, sql, columns, rows, database, table, query_name,
                                          view_name, data)
    blogs = {row.get("blog") for row in rows}
    if len(blogs) == 1 and None not in blogs:  # one blog's feed: titled with its name
        response.body = _retitled(response.body, f"{_feed_title(datasette, request, sql, database, query_name)}"
                                                 f" on {blogs.pop()}")
    return response


def _retitled(feed: str | bytes, title: str) -> bytes:
    root = etree.fromstring(feed.encode() if isinstance(feed, str) else feed)
    root.find(f"{{{ATOM}}}title").text = title
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _empty_feed(datasette, request, sql: str, database: str, query_name: str | None) -> Response:
    """An Atom feed without entries, titled as datasette-atom titles its feeds."""
    feed = FeedGenerator()
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.title(_feed_title(datasette, request, sql, database, query_name))
    feed.updated(dt.datetime.now(dt.timezone.utc))
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8", status=200)


def _feed_title(datasette, request, sql: str, database: str, query_name: str | None) -> str:
    query = ((datasette.metadata(database=database) or {}).get("queries") or {}).get(query_name or "")
    if isinstance(query, dict) and query.get("title"):
        return query["title"]
    return request.args.get("_feed_title") or sql
