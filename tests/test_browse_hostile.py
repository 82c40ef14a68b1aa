"""Datasette pages on hostile or odd data: the chart of comments dated across millennia,
blogs that share a title, an Atom feed of a blog without comments or of comments holding
characters XML forbids, a chart asked of a database that is not there (issue 17, item 8)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

from newscrawl.browse import MAX_POINTS, blog_labels, comments_per_day_svg, make_datasette
from newscrawl.storage import Store

ATOM = "http://www.w3.org/2005/Atom"
SVG = "http://www.w3.org/2000/svg"
CHART = "/-/newscrawl/comments-per-day.svg"
# Every character XML 1.0 forbids in text, next to ones it allows (tab, newline).
FORBIDDEN = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)])) + "\ufffe\uffff"


def get(db: Path, path: str):
    async def fetch():
        return await make_datasette(db).client.get(path)

    return asyncio.run(fetch())


def make_db(path: Path, blogs: dict[str, tuple[str, str]], comments: list[tuple[str, str, str]],
            post_title: str = "A post") -> Path:
    """A database of ``blogs`` (id -> (title, url)), one post each, and ``comments``
    (blog id, published, text)."""
    store = Store(path)
    try:
        store.write_rows(
            blogs=[{"id": bid, "url": url, "platform": "feed", "title": title} for bid, (title, url) in blogs.items()],
            posts=[{"id": f"{bid}:1", "blog_id": bid, "url": f"{url}1", "title": post_title,
                    "published": "2020-01-01T00:00:00+00:00"} for bid, (_, url) in blogs.items()],
            comments=[{"id": f"{bid}:c{n}", "post_id": f"{bid}:1", "blog_id": bid, "author": "Reader",
                       "published": published, "content_text": text, "comment_type": "comment",
                       "url": f"{blogs[bid][1]}1#c{n}"}
                      for n, (bid, published, text) in enumerate(comments)],
        )
    finally:
        store.close()
    return path


def polylines(svg_text: str) -> list[ElementTree.Element]:
    return ElementTree.fromstring(svg_text).findall(f"{{{SVG}}}polyline")


def texts(svg_text: str) -> list[str]:
    return [t.text or "" for t in ElementTree.fromstring(svg_text).iter(f"{{{SVG}}}text")]


def point_count(line: ElementTree.Element) -> int:
    return len(line.get("points").split())


# -- 1. the chart is bounded whatever the dates ------------------------------------------


def test_chart_of_comments_dated_in_year_1000_and_9999_stays_small(tmp_path):
    days = [f"2024-{month:02d}-15T12:00:00+00:00" for month in range(1, 13)]
    db = make_db(tmp_path / "newscrawl.db", {"feed:a": ("A blog", "https://a.example/")},
                 [("feed:a", "1000-01-01T00:00:00+00:00", "too old"),
                  ("feed:a", "9999-12-31T23:59:59+00:00", "too new"), *[("feed:a", day, "fine") for day in days]])
    response = get(db, CHART)
    assert response.status_code == 200
    assert len(response.content) < 200_000
    lines = polylines(response.text)
    assert len(lines) == 1 and point_count(lines[0]) <= MAX_POINTS
    assert any("2 comments" in t and "not drawn" in t for t in texts(response.text))  # said, not hidden
    assert any(t.startswith("A blog (a.example) (12)") for t in texts(response.text))


def test_svg_of_a_long_period_counts_per_week_or_per_month():
    def daily(first_year: int, last_year: int) -> list[tuple[str, str, int]]:
        return [(f"{year}-{month:02d}-{day:02d}", "blog", 1)
                for year in range(first_year, last_year + 1) for month in range(1, 13) for day in (1, 11, 21)]

    today = dt.date(2026, 1, 1)
    for rows, bucket in ((daily(1990, 2025)[:6], "per day"), (daily(2023, 2024), "per week"),
                         (daily(2001, 2024), "per month"), (daily(1990, 2099), "per year")):
        svg = comments_per_day_svg(rows, today=dt.date(2100, 1, 1) if bucket == "per year" else today)
        (line,) = polylines(svg)
        assert point_count(line) <= MAX_POINTS
        assert any(bucket in t for t in texts(svg)), (bucket, texts(svg))
        assert f"blog ({len(rows)})" in texts(svg)  # every comment drawn, none lost to the buckets
    svg = comments_per_day_svg([("1000-01-01", "blog", 1), ("9999-12-31", "blog", 1)], today=today)
    assert not polylines(svg) and len(svg) < 2000


def test_svg_caps_long_blog_titles_and_unreadable_days():
    rows = [("2024-01-01", "x" * 100_000, 1), ("not a day", "x" * 100_000, 1), ("2024-01-02", "b", 2)]
    svg = comments_per_day_svg(rows)
    assert len(svg) < 20_000 and len(polylines(svg)) == 2
    assert any("1 comment " in t and "not drawn" in t for t in texts(svg))


# -- 2. blogs are told apart by id, not by title -----------------------------------------


def test_two_blogs_with_the_same_title_are_two_series_and_two_facets(tmp_path):
    db = make_db(tmp_path / "newscrawl.db", {"feed:a": ("Same title", "https://a.example/"),
                                     "feed:b": ("Same title", "https://b.example/")},
                 [("feed:a", "2024-01-01T10:00:00+00:00", "a1"), ("feed:a", "2024-01-02T10:00:00+00:00", "a2"),
                  ("feed:b", "2024-01-01T11:00:00+00:00", "b1")])
    response = get(db, CHART)
    assert response.status_code == 200
    assert len(polylines(response.text)) == 2
    legend = [t for t in texts(response.text) if t.endswith(")")]
    assert legend == ["Same title (a.example) (2)", "Same title (b.example) (1)"]
    for view in ("latest_comments", "comments_per_day", "commenter_history", "top_commenters"):
        data = get(db, f"/newscrawl/{view}.json?_size=0").json()
        facet = data["facet_results"]["blog_id"]["results"]
        assert {f["value"] for f in facet} == {"feed:a", "feed:b"}, view


def test_svg_series_are_keyed_by_blog_id_and_labelled_apart():
    rows = [("2024-01-01", "feed:a", 2), ("2024-01-01", "feed:b", 1)]
    svg = comments_per_day_svg(rows, labels={"feed:a": "Same (a.example)", "feed:b": "Same (b.example)"})
    assert len(polylines(svg)) == 2
    assert [t for t in texts(svg) if t.endswith(")")] == ["Same (a.example) (2)", "Same (b.example) (1)"]


def test_blog_labels_are_title_and_host_and_the_id_only_where_needed():
    labels = blog_labels([("feed:a", "Same", "https://a.example/"), ("blogger:1", "Same", "https://b.example/"),
                          ("feed:b", "Same", "https://b.example/feed"), ("feed:c", "Alone", "https://c.example/"),
                          ("feed:d", None, "not a url [")])
    assert labels == {"feed:a": "Same (a.example)", "blogger:1": "Same (b.example) [blogger:1]",
                      "feed:b": "Same (b.example) [feed:b]", "feed:c": "Alone (c.example)", "feed:d": "feed:d"}


# -- 3. the Atom feed -----------------------------------------------------------------------


def test_atom_feed_of_a_blog_without_comments_is_an_empty_feed(tmp_path):
    db = make_db(tmp_path / "newscrawl.db", {"feed:a": ("Quiet", "https://a.example/")}, [])
    for blog_id in ("feed:a", "feed:nobody"):
        response = get(db, f"/newscrawl/blog_comments_feed.atom?blog_id={blog_id}")
        assert response.status_code == 200, response.text[:500]
        feed = ElementTree.fromstring(response.content)
        assert feed.tag == f"{{{ATOM}}}feed" and feed.findtext(f"{{{ATOM}}}title") == "New comments"
        assert feed.findtext(f"{{{ATOM}}}updated") and feed.findtext(f"{{{ATOM}}}id")
        assert feed.findall(f"{{{ATOM}}}entry") == []


def test_atom_feed_strips_characters_xml_forbids(tmp_path):
    text = f"before{FORBIDDEN}after\ttab\nline"
    db = make_db(tmp_path / "newscrawl.db", {"feed:a": (f"Blog{FORBIDDEN}", "https://a.example/")},
                 [("feed:a", "2024-01-01T10:00:00+00:00", text)], post_title=f"Post{FORBIDDEN}")
    response = get(db, "/newscrawl/blog_comments_feed.atom?blog_id=feed:a")
    assert response.status_code == 200, response.text[:500]
    (entry,) = ElementTree.fromstring(response.content).findall(f"{{{ATOM}}}entry")
    assert entry.findtext(f"{{{ATOM}}}content") == "beforeafter\ttab\nline"
    assert entry.findtext(f"{{{ATOM}}}title") == "Reader on Post"
    response = get(db, CHART)  # the chart's legend is XML too
    assert response.status_code == 200
    assert any(t.startswith("Blog (a.example) (1)") for t in texts(response.text))


# -- 4. an unknown database ---------------------------------------------------------------


def test_chart_of_an_unknown_database_is_not_found(tmp_path):
    db = make_db(tmp_path / "newscrawl.db", {"feed:a": ("A blog", "https://a.example/")},
                 [("feed:a", "2024-01-01T10:00:00+00:00", "hi")])
    response = get(db, f"{CHART}?database=nonexistent")
    assert response.status_code == 404
    assert re.search("nonexistent", response.text)
    assert get(db, f"{CHART}?database=_internal").status_code == 404  # Datasette's own: no newscrawl views
    assert get(db, f"{CHART}?database=newscrawl").status_code == 200
    assert get(db, f"{CHART}?database=").status_code == 200  # empty: the first database
