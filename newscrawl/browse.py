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
import sys
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from .storage import SCHEMA, VIEWS

CHART_PATH = "/-/newscrawl/comments-per-day.svg"

TABLE_TITLES = {"tracked_blogs": "Tracked blogs", "crawl_state": "Crawl state", "post_versions": "Post versions"}

TABLE_DESCRIPTIONS = {
    "blogs": "The blogs newscrawl has crawled.",
    "posts": "Every post of every crawled blog. Newest first; search titles and text with the box above.",
    "comments": "Every reader comment, linked to its post and to the comment it replies to. Newest first; "
                "search authors and text with the box above.",
    "links": "Outbound links of every post: which outlets each blog quotes.",
    "tracked_blogs": "The blogs `newscrawl crawl --all` crawls (see `newscrawl add`).",
    "crawl_state": "Where each blog's next incremental crawl resumes.",
    "post_versions": "Earlier titles and bodies of edited posts.",
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
    "crawls": {"sort_desc": "id", "facets": ["status", "spider", "blog_id"]},
    "errors": {"sort_desc": "last_failed", "facets": ["blog_url", "reason", "status"]},
}

# The views of storage.VIEWS: title, description and facets.  Reader comments exclude
# pingbacks and trackbacks.
VIEW_DISPLAY: dict[str, dict[str, Any]] = {
    "latest_comments": {
        "title": "Latest comments",
        "description": "Reader comments across all blogs, newest first.",
        "facets": ["blog", "author"],
    },
    "most_discussed_posts": {
        "title": "Most discussed posts",
        "description": "Posts by number of reader comments, all time (the canned query "
                       "'Most discussed posts in a period' takes dates).",
        "facets": ["blog"],
    },
    "top_commenters": {
        "title": "Top commenters",
        "description": "Commenters of each blog by number of reader comments; rank 1 is the blog's most active "
                       "commenter (is_blog_author: the owner replying).",
        "facets": ["blog", "rank"],
    },
    "commenter_history": {
        "title": "Commenter history",
        "description": "Every reader comment by commenter, across blogs; filter author, or use the canned "
                       "query 'A commenter's history'.",
        "facets": ["author", "blog"],
    },
    "outlets_per_blog": {
        "title": "Most-cited outlets per blog",
        "description": "Registered domains each blog's posts link to: how many links and posts.",
        "facets": ["blog", "domain"],
    },
    "comments_per_day": {
        "title": "Comments per day",
        "description_html": (
            "<p>Reader comments per day and blog (UTC days). "
            f'<a href="..{CHART_PATH}">Chart</a> (add <code>?blog_id=</code>, <code>since=</code>, '
            "<code>until=</code> to narrow it).</p>"
            f'<p><img src="..{CHART_PATH}" alt="Reader comments per day and blog" style="max-width: 100%"></p>'
        ),
        "facets": ["blog"],
    },
    "growing_posts": {
        "title": "Posts still growing",
        "description": "Posts published more than 7 days ago with reader comments written in the last 7 days "
                       "(the canned query 'Posts still growing' takes the number of days).",
        "facets": ["blog"],
    },
    "deleted_comments": {
        "title": "Deleted comments",
        "description": "Comments removed on the blog (their text is gone), newest notice first.",
        "facets": ["blog", "deleted_reason"],
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
        "sql": f"""select c.id as atom_id,
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
        tables[view] = dict(VIEW_DISPLAY[view])
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

    if pm.get_plugin(_PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=_PLUGIN_NAME)
    return Datasette([str(db_path)], metadata=datasette_metadata(db_path), **options)


_PLUGIN_NAME = "newscrawl"


# -- the chart ---------------------------------------------------------------------------


@hookimpl
def register_routes():
    return [(r"^/-/newscrawl/comments-per-day\.svg$", comments_per_day_chart)]


async def comments_per_day_chart(datasette, request) -> Response:
    """The comments_per_day view as an SVG line chart, one line per blog.

    ``?blog_id=`` one blog; ``since`` / ``until`` (YYYY-MM-DD) a period; ``database``
    the database (default: the first)."""
    db = datasette.get_database(request.args.get("database") or None)
    where, params = ["1 = 1"], {}
    for arg, condition in (("blog_id", "blog_id = :blog_id"), ("since", "day >= :since"), ("until", "day <= :until")):
        if request.args.get(arg):
            where.append(condition)
            params[arg] = request.args[arg]
    result = await db.execute(
        f"select day, coalesce(blog, blog_id) as blog, comments from comments_per_day where {' and '.join(where)}",
        params,
    )
    svg = comments_per_day_svg([(r["day"], r["blog"], r["comments"]) for r in result.rows])
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def comments_per_day_svg(rows: list[tuple[str, str, int]], width: int = 960, height: int = 360,
                         max_series: int = len(PALETTE)) -> str:
    """An SVG line chart of (day YYYY-MM-DD, series, count) rows: days without a row
    count 0; the series beyond the ``max_series - 1`` largest are summed as "others"."""
    if not rows:
        return _svg(width, 60, ['<text x="10" y="35">No reader comments to chart.</text>'])
    totals: dict[str, int] = defaultdict(int)
    for _, series, count in rows:
        totals[series] += count
    ranked = sorted(totals, key=lambda s: (-totals[s], s))
    shown = ranked if len(ranked) <= max_series else ranked[: max_series - 1]
    counts: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for day, series, count in rows:
        counts[series if series in shown else "others"][dt.date.fromisoformat(day)] += count
    names = list(shown) + (["others"] if "others" in counts else [])
    first = min(d for c in counts.values() for d in c)
    last = max(d for c in counts.values() for d in c)
    span = max((last - first).days, 1)
    top = max(v for c in counts.values() for v in c.values())
    left, right, upper, lower = 50, 45, 20, 40 + 18 * len(names)
    plot_w, plot_h = width - left - right, height - upper - lower
    x = lambda day: left + plot_w * (day - first).days / span  # noqa: E731
    y = lambda value: upper + plot_h * (1 - value / top)  # noqa: E731
    parts = [f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#333"/>',
             f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#333"/>']
    for tick in _ticks(top):
        parts.append(f'<line x1="{left - 4}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for i in range(6):
        day = first + dt.timedelta(days=round(span * i / 5))
        parts.append(f'<text x="{x(day):.1f}" y="{upper + plot_h + 16}" text-anchor="middle">{day.isoformat()}</text>')
    for index, name in enumerate(names):
        color = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(first + dt.timedelta(days=n)):.1f},{y(counts[name].get(first + dt.timedelta(days=n), 0)):.1f}"
                          for n in range(span + 1))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{points}">'
                     f"<title>{escape(name)}</title></polyline>")
        legend_y = upper + plot_h + 36 + 18 * index
        parts.append(f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{left + 18}" y="{legend_y}">{escape(name)} ({sum(counts[name].values())})</text>')
    return _svg(width, height, parts)


def _svg(width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
            f'<title>Reader comments per day</title>{"".join(parts)}</svg>')


def _ticks(top: int) -> list[int]:
    step = 1
    while top / step > 5:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return list(range(0, top + 1, step))
