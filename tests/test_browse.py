"""Datasette opens a crawled database with newscrawl's metadata, views, canned queries,
chart and Atom feed (Datasette's own test client), checked against the database and the
replica's own records."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sqlite3
from collections import Counter, defaultdict
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from newscrawl.browse import comments_per_day_svg, make_datasette
from newscrawl.cli import cli
from newscrawl.dates import format_utc
from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.storage import SCHEMA, VIEWS, Store
from replica_compare import blog_key, rows, run_crawl

pytestmark = pytest.mark.slow

ATOM = "http://www.w3.org/2005/Atom"
SVG = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    blog = generate_blog(posts=12, comments_per_post=4, seed=3, big_post_comments=0)
    db = tmp_path_factory.mktemp("browse") / "newscrawl.db"
    with ReplicaServer(blog, template="threaded") as server:
        run_crawl(server.url, db)
    return blog, db


def get_json(db, path):
    status, response = get(db, path)
    return status, response.json()


def test_every_table_opens_with_its_rows(crawled):
    blog, db = crawled
    for table in ("blogs", "posts", "comments", "crawls"):
        status, data = get_json(db, f"/newscrawl/{table}.json?_shape=objects&_size=max")
        assert status == 200, data
        count = rows(db, f"select count(*) as n from {table}")[0]["n"]
        assert len(data["rows"]) == count > 0
    status, data = get_json(db, "/newscrawl/posts.json?_shape=objects&_size=max")
    assert {r["title"] for r in data["rows"]} == {p.title or None for p in blog.posts}


def test_full_text_search_over_comments(crawled):
    blog, db = crawled
    comment = next(c for c in blog.all_comments() if not c.removed and len(c.content_text.split()) > 3)
    word = max(comment.content_text.split(), key=len).strip(".,!?;:\"'()")
    status, data = get_json(db, f"/newscrawl/comments.json?_search={word}&_shape=objects&_size=max")
    assert status == 200, data
    found = {r["platform_id"] for r in data["rows"]}
    assert comment.comment_id in found
    assert all(word.lower() in (r["content_text"] or "").lower() or word.lower() in (r["author"] or "").lower()
               for r in data["rows"])


def test_metadata_describes_tables_and_columns(crawled):
    _, db = crawled
    status, data = get_json(db, "/-/metadata.json")
    assert status == 200
    tables = data["databases"]["newscrawl"]["tables"]
    assert tables["comments"]["columns"]["parent_id"].startswith("The comment this one replies to")
    assert tables["posts"]["sort_desc"] == "published"


def get(db, path):
    """(status, response) of one request to the Datasette ``newscrawl serve`` runs."""

    async def fetch():
        return await make_datasette(db).client.get(path)

    response = asyncio.run(fetch())
    return response.status_code, response


def reader_comments(db):
    return rows(db, "select * from comments where coalesce(comment_type, 'comment') = 'comment'")


def test_every_table_and_view_opens_with_its_rows(crawled):
    _, db = crawled
    for name in [*SCHEMA, *VIEWS]:
        status, data = get_json(db, f"/newscrawl/{name}.json?_shape=objects&_size=max")
        assert status == 200, (name, data)
        assert data["rows"] == rows(db, f"select * from [{name}]") or name in SCHEMA, name
        assert len(data["rows"]) == rows(db, f"select count(*) as n from [{name}]")[0]["n"], name
    status, data = get_json(db, "/-/metadata.json")
    tables = data["databases"]["newscrawl"]["tables"]
    assert set(VIEWS) <= set(tables) and all(tables[v]["title"] for v in VIEWS)


def test_comment_shows_its_post_title_and_post_its_blog_name(crawled):
    blog, db = crawled
    status, data = get_json(db, "/newscrawl/comments.json?_shape=objects&_size=5&_labels=on")
    assert status == 200
    titles = {f"{blog_key(blog)}:{p.post_id}": p.title or None for p in blog.posts}
    for row in data["rows"]:
        assert row["post_id"]["label"] == (titles[row["post_id"]["value"]] or row["post_id"]["value"])
    status, data = get_json(db, "/newscrawl/posts.json?_shape=objects&_size=1&_labels=on")
    assert data["rows"][0]["blog_id"]["label"] == rows(db, "select title from blogs")[0]["title"]


def test_latest_and_deleted_comments(crawled):
    blog, db = crawled
    status, data = get_json(db, "/newscrawl/recent_comments.json?_shape=objects")
    assert status == 200
    published = sorted((c["published"] for c in reader_comments(db)), reverse=True)
    assert [r["published"] for r in data["rows"]] == published[:200]
    status, data = get_json(db, "/newscrawl/removed_comments.json?_shape=objects")
    removed = {f"{blog_key(blog)}:c{c.comment_id}" for c in blog.all_comments() if c.removed}
    assert removed and {r["comment_id"] for r in data["rows"]} == removed


def test_most_discussed_posts_all_time_and_in_a_period(crawled):
    blog, db = crawled
    per_post = {f"{blog_key(blog)}:{p.post_id}": len(p.comments) for p in blog.posts if p.comments}
    status, data = get_json(db, "/newscrawl/most_discussed_posts.json?_shape=objects&_size=max")
    assert {r["post_id"]: r["comments"] for r in data["rows"]} == per_post
    assert [r["comments"] for r in data["rows"]] == sorted(per_post.values(), reverse=True)

    days = sorted(c["published"][:10] for c in reader_comments(db))
    since, until = days[len(days) // 4], days[3 * len(days) // 4]
    expected = Counter(c["post_id"] for c in reader_comments(db) if since <= c["published"][:10] <= until)
    status, data = get_json(db, f"/newscrawl/discussed_between.json?_shape=objects&since={since}&until={until}")
    assert status == 200, data
    assert {r["post_id"]: r["comments"] for r in data["rows"]} == dict(expected)
    status, data = get_json(db, "/newscrawl/discussed_between.json?_shape=objects&since=&until=")
    assert {r["post_id"]: r["comments"] for r in data["rows"]} == per_post


def test_top_commenter_of_each_blog(crawled):
    _, db = crawled
    per_blog = defaultdict(Counter)
    for c in reader_comments(db):
        per_blog[c["blog_id"]][c["author"]] += 1
    for view in ("top_commenters", "blog_top_commenters"):
        status, data = get_json(db, f"/newscrawl/{view}.json?_shape=objects&_size=max")
        assert status == 200, data
        for blog_id, counts in per_blog.items():
            most = max(counts.values())
            top = {r["author"]: r["comments"] for r in data["rows"] if r["blog_id"] == blog_id and r["rank"] == 1}
            assert top == {a: n for a, n in counts.items() if n == most}
            assert {r["author"]: r["comments"] for r in data["rows"] if r["blog_id"] == blog_id} == dict(counts)


def test_a_commenters_history(crawled):
    _, db = crawled
    counts = Counter(c["author"] for c in reader_comments(db) if not c["is_blog_author"])
    author = counts.most_common(1)[0][0]
    status, data = get_json(db, f"/newscrawl/commenter.json?_shape=objects&author={quote(author)}")
    assert status == 200, data
    mine = sorted((c for c in reader_comments(db) if c["author"] == author), key=lambda c: c["published"], reverse=True)
    assert [r["comment_id"] for r in data["rows"]] == [c["id"] for c in mine]


def test_outlets_and_comments_per_day(crawled):
    _, db = crawled
    links = rows(db, "select * from links")
    expected = Counter((link["blog_id"], link["domain"]) for link in links)
    status, data = get_json(db, "/newscrawl/outlets_per_blog.json?_shape=objects&_size=max")
    assert {(r["blog_id"], r["domain"]): r["links"] for r in data["rows"]} == dict(expected) != {}
    status, data = get_json(db, "/newscrawl/blog_outlets.json?_shape=objects&blog_id=")
    assert {r["domain"]: r["links"] for r in data["rows"]} == dict(Counter(link["domain"] for link in links))

    per_day = Counter((c["published"][:10], c["blog_id"]) for c in reader_comments(db))
    for view in ("comments_per_day", "daily_comments"):
        status, data = get_json(db, f"/newscrawl/{view}.json?_shape=objects&_size=max")
        assert {(r["day"], r["blog_id"]): r["comments"] for r in data["rows"]} == dict(per_day), view


def test_comments_per_day_chart_is_an_svg_drawn_on_the_server(crawled):
    _, db = crawled
    status, response = get(db, "/-/newscrawl/comments-per-day.svg")
    assert status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    svg = ElementTree.fromstring(response.text)
    lines = svg.findall(f"{{{SVG}}}polyline")
    assert len(lines) == rows(db, "select count(distinct blog_id) as n from comments")[0]["n"]
    assert "http" not in response.text.replace("http://www.w3.org/2000/svg", "")  # nothing to load
    legend = [t.text for t in svg.findall(f"{{{SVG}}}text") if t.text and t.text.endswith(")")]
    [stored] = rows(db, "select title, url from blogs")
    host = stored["url"].split("/")[2].split(":")[0]
    assert legend == [f"{stored['title']} ({host}) ({len(reader_comments(db))})"]
    status, response = get(db, "/newscrawl/comments_per_day")
    assert status == 200 and "comments-per-day.svg" in response.text
    status, response = get(db, "/-/newscrawl/comments-per-day.svg?blog_id=nobody")
    assert status == 200 and "No reader comments" in response.text


def test_comments_per_day_svg_sums_small_series_as_others():
    rows_ = [("2024-01-01", f"blog {i}", i + 1) for i in range(10)] + [("2024-01-03", "blog 9", 5)]
    svg = ElementTree.fromstring(comments_per_day_svg(rows_, max_series=3))
    legend = [t.text for t in svg.findall(f"{{{SVG}}}text") if t.text and t.text.endswith(")")]
    assert legend == ["blog 9 (15)", "blog 8 (9)", "others (36)"]  # blogs 0-7: 1 + ... + 8
    assert len(svg.findall(f"{{{SVG}}}polyline")) == 3


def test_growing_posts_have_comments_written_in_the_last_days(crawled, tmp_path):
    blog, db = crawled
    copy = tmp_path / "newscrawl.db"
    copy.write_bytes(db.read_bytes())
    old = rows(copy, "select * from posts order by published limit 1")[0]
    now = dt.datetime.now(dt.timezone.utc)
    store = Store(copy)
    try:
        store.write_rows(comments=[
            {"id": f"{old['id']}:new", "post_id": old["id"], "blog_id": old["blog_id"], "author": "Newcomer",
             "published": format_utc(now - dt.timedelta(days=2)), "comment_type": "comment", "content_text": "Still?"},
            {"id": f"{old['id']}:ping", "post_id": old["id"], "blog_id": old["blog_id"], "author": "Other site",
             "published": format_utc(now - dt.timedelta(days=1)), "comment_type": "pingback"},
        ])
    finally:
        store.close()
    status, data = get_json(copy, "/newscrawl/growing_posts.json?_shape=objects")
    assert status == 200, data
    assert [(r["post_id"], r["new_comments"]) for r in data["rows"]] == [(old["id"], 1)]
    assert data["rows"][0]["comments"] == len(next(p for p in blog.posts if old["id"].endswith(p.post_id)).comments) + 1
    status, data = get_json(copy, "/newscrawl/growing.json?_shape=objects&days=7")
    assert [(r["post_id"], r["new_comments"]) for r in data["rows"]] == [(old["id"], 1)]
    status, data = get_json(copy, "/newscrawl/growing.json?_shape=objects&days=1")
    assert data["rows"] == []
    status, data = get_json(db, "/newscrawl/growing_posts.json?_shape=objects")
    assert data["rows"] == []  # the replica's comments are all older than a week


def test_atom_feed_of_a_blogs_new_comments(crawled):
    blog, db = crawled
    blog_id = blog_key(blog)
    status, response = get(db, f"/newscrawl/blog_comments_feed.atom?blog_id={quote(blog_id)}")
    assert status == 200, response.text
    feed = ElementTree.fromstring(response.content)
    blog_title = rows(db, "select title from blogs")[0]["title"]
    assert feed.tag == f"{{{ATOM}}}feed" and feed.findtext(f"{{{ATOM}}}title") == f"New comments on {blog_title}"
    entries = feed.findall(f"{{{ATOM}}}entry")
    expected = sorted((c for c in reader_comments(db) if c["blog_id"] == blog_id and not c["deleted"]),
                      key=lambda c: c["published"], reverse=True)[:50]
    # an entry's id is the comment's own address on the blog
    assert [e.findtext(f"{{{ATOM}}}id") for e in entries] == [c["url"] for c in expected]
    titles = {f"{blog_id}:{p.post_id}": p.title for p in blog.posts}
    first, newest = entries[0], expected[0]
    assert first.findtext(f"{{{ATOM}}}title") == f"{newest['author']} on {titles[newest['post_id']]}"
    assert first.findtext(f"{{{ATOM}}}updated") == newest["published"]
    assert first.findtext(f"{{{ATOM}}}content") == newest["content_text"]
    assert first.find(f"{{{ATOM}}}link").get("href") == newest["url"]


def test_views_are_replaced_when_their_sql_changed(tmp_path):
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("drop view top_commenters")
    conn.execute("create view top_commenters as select author from comments")  # an older newscrawl's
    conn.commit()
    version = conn.execute("pragma schema_version").fetchone()[0]
    conn.close()
    Store(path).close()
    conn = sqlite3.connect(path)
    columns = [d[0] for d in conn.execute("select * from top_commenters").description]
    assert "rank" in columns and "comments" in columns
    version = conn.execute("pragma schema_version").fetchone()[0]
    conn.close()
    Store(path).close()  # unchanged views are left alone
    conn = sqlite3.connect(path)
    assert conn.execute("pragma schema_version").fetchone()[0] == version
    assert {r[0] for r in conn.execute("select name from sqlite_master where type = 'view'")} == set(VIEWS)
    conn.close()


def test_serve_needs_a_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no database at" in result.output


HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">hi</a>'


def test_stored_html_is_shown_as_text_never_run(tmp_path):
    """Comment HTML is stored as the blog served it; none of our pages (tables, row pages,
    views, the Atom feed, the chart) hands it to a browser as markup."""
    db = tmp_path / "newscrawl.db"
    store = Store(db)
    try:
        store.write_rows(
            blogs=[{"id": "feed:evil", "url": "https://evil.example/", "platform": "feed", "title": f"Evil {HOSTILE}"}],
            posts=[{"id": "feed:evil:1", "blog_id": "feed:evil", "url": "https://evil.example/1", "title": HOSTILE,
                    "published": "2026-11-01T10:00:00Z", "content_html": HOSTILE, "content_text": "hi"}],
            comments=[{"id": "feed:evil:c1", "post_id": "feed:evil:1", "blog_id": "feed:evil", "author": HOSTILE,
                       "published": "2026-11-02T10:00:00Z", "content_html": HOSTILE, "content_text": "hi",
                       "url": "https://evil.example/1#c1", "comment_type": "comment"}],
        )
    finally:
        store.close()
    pages = ["/newscrawl/comments", "/newscrawl/comments/feed:evil:c1", "/newscrawl/posts",
             "/newscrawl/posts/feed:evil:1", "/newscrawl/blogs", "/newscrawl/latest_comments",
             "/newscrawl/blog_comments_feed.atom?blog_id=feed:evil", "/-/newscrawl/comments-per-day.svg"]
    for path in pages:
        status, response = get(db, path)
        assert status == 200, (path, response.text[:500])
        body = response.text
        assert "<script>alert" not in body, path
        assert re.search(r"<img[^>]*onerror", body) is None, path
        assert re.search(r"""<a\b[^>]*href=["']?javascript:""", body) is None, path


def test_ids_of_other_rows_are_links_on_a_rows_page_and_in_views(crawled):
    _, db = crawled
    [reply] = rows(db, "select * from comments where parent_id is not null order by id limit 1")
    status, response = get(db, f"/newscrawl/comments/{quote(reply['id'].replace(':', '~3A'))}")
    assert status == 200
    page = response.text
    for column, table in (("post_id", "posts"), ("parent_id", "comments"), ("blog_id", "blogs")):
        link = f'/newscrawl/{table}/{reply[column].replace(":", "~3A")}'
        assert re.search(rf'<td class="col-{column}[^"]*"><a href="{re.escape(link)}">', page), column
    status, response = get(db, "/newscrawl/latest_comments?_size=1")
    assert '<a href="/newscrawl/posts/' in response.text
    # on a table's page Datasette's own link (with the post's title) stays
    status, response = get(db, "/newscrawl/comments?_size=1")
    assert re.search(r'<td class="col-post_id[^"]*"><a href="/newscrawl/posts/[^"]+">[^<]+</a>&nbsp;<em>', response.text)


def test_tables_are_readable(crawled):
    _, db = crawled
    status, data = get_json(db, "/-/metadata.json")
    tables = data["databases"]["newscrawl"]["tables"]
    assert tables["crawl_state"]["hidden"] and tables["robots_txt"]["hidden"]
    status, response = get(db, "/newscrawl")
    assert "crawl_state" not in response.text and "robots_txt" not in response.text
    status, data = get_json(db, "/-/settings.json")
    assert data["truncate_cells_html"] == 300
    # the column descriptions fold into one line, by the page's script
    status, response = get(db, "/newscrawl/comments")
    assert "column-descriptions" in response.text and "What each column means" in response.text


def test_the_chart_follows_the_filters_of_its_page(tmp_path):
    db = tmp_path / "newscrawl.db"
    store = Store(db)
    store.write_rows(
        blogs=[{"id": b, "url": f"https://{b}.example/", "platform": "feed", "title": b.upper()} for b in ("a", "b")],
        posts=[{"id": f"{b}:1", "blog_id": b, "title": "P"} for b in ("a", "b")],
        comments=[{"id": f"{b}:c{n}", "post_id": f"{b}:1", "blog_id": b, "published": f"2024-01-0{n}T10:00:00+00:00",
                   "content_text": "x"} for b in ("a", "b") for n in (1, 2, 3)])
    store.close()
    for query, series, days in (("", 2, 3), ("?blog_id__exact=a", 1, 3), ("?blog_id=b&day__gte=2024-01-02", 1, 2),
                                ("?day__lt=2024-01-02", 2, 1)):
        status, response = get(db, f"/-/newscrawl/comments-per-day.svg{query}")
        svg = ElementTree.fromstring(response.text)
        lines = svg.findall(f"{{{SVG}}}polyline")
        legend = [t.text for t in svg.findall(f"{{{SVG}}}text") if t.text and t.text.endswith(")")]
        assert status == 200 and len(lines) == series, (query, legend)
        assert sum(int(label.rsplit("(", 1)[1].rstrip(")")) for label in legend) == series * days, (query, legend)


def test_one_search_box_over_posts_and_comments_and_json_shown_indented(crawled):
    _, db = crawled
    status, response = get(db, "/-/search?q=news")
    assert status == 200
    searchable = set(re.findall(r'"table": "(\w+)"', response.text))
    assert {"posts", "comments"} <= searchable
    [crawl] = rows(db, "select id from crawls limit 1")
    status, response = get(db, f"/newscrawl/crawls/{crawl['id']}")
    indented = r'<td class="col-stats[^"]*"><pre style="white-space: pre-wrap">\{\n    &#34;'
    assert status == 200 and re.search(indented, response.text)
