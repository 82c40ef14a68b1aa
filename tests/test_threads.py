"""The thread page (/-/newscrawl/post/<post id>), the comment_threads view it reads, and the
links to it from Datasette's pages (issue 18, item 1), against databases written with
Store.write_rows and one made by a replica crawl; Datasette's own test client, in-process."""

from __future__ import annotations

import asyncio
import html
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.database import Database

from newscrawl.browse import make_datasette
from newscrawl.replica.blogsite import threads as replica_threads
from newscrawl.storage import Store
from newscrawl.threads import MAX_INDENT, THREAD_SQL, shown_time
from replica_compare import blog_key, rows
from test_browse import crawled  # noqa: F401  (the replica crawl test_browse browses)

BLOG = "blogger:123"
POST = "blogger:123:456"
LOOP_POST = "blogger:123:789"
DEEP_POST = "blogger:123:999"
# A plain feed's post id: the post's path and query on its blog
FEED_BLOG = "feed:example.org/notes"
FEED_POST = "feed:example.org/notes:/2024/05/drones.html?id=7&x=a b"
SCRIPT = "<script>alert('x')</script>"
DEEP = 210  # replies in a row: more than the view's bound of 200


def comment(cid: str, published: str | None, parent: str | None = None, post: str = POST, **values) -> dict:
    return {"id": f"{BLOG}:{cid}", "post_id": post, "blog_id": BLOG, "platform_id": cid,
            "parent_id": f"{BLOG}:{parent}" if parent else None, "author": values.pop("author", f"Reader {cid}"),
            "published": published, "published_raw": values.pop("raw", None),
            "published_zone": values.pop("zone", "stated"), "content_text": values.pop("text", f"Text of {cid}"),
            "comment_type": values.pop("comment_type", "comment"), **values}


def at(hour_minute: str) -> str:
    return f"2024-05-01T{hour_minute}:00+00:00"


# The thread of POST as written (out of order, as a crawl stores it): id -> (depth, root)
THREAD = [
    comment("c4", at("12:00"), "c3"),
    comment("c1", at("09:00"), author="Alice <b>A.</b>", author_url="https://alice.example/",
            text=f"First {SCRIPT}\nsame paragraph\n\nSecond paragraph <img src=x onerror=alert(1)>",
            raw="1. Mai 2024 11:00", zone="blog"),
    comment("c2", at("10:00"), "c1", author_url="javascript:alert(2)"),
    comment("c3", at("11:00"), "c2"),
    comment("c5", at("09:30"), deleted=1, deleted_reason="This comment has been removed by the author."),
    comment("c6", at("09:45"), "c1", url="https://blog.example/456#c6"),
    comment("c7", at("13:00"), author="Other Blog", comment_type="pingback", text="[...] a link back [...]"),
    comment("c8", at("08:30"), "c404"),  # its parent was never stored
    comment("c9", at("14:00"), zone="unknown", raw="14:00"),
]
IN_REPLY_ORDER = [("c8", 0, "c8"), ("c1", 0, "c1"), ("c6", 1, "c1"), ("c2", 1, "c1"), ("c3", 2, "c1"),
                  ("c4", 3, "c1"), ("c5", 0, "c5"), ("c7", 0, "c7"), ("c9", 0, "c9")]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("threads") / "newscrawl.db"
    store = Store(path)
    try:
        store.write_rows(
            blogs=[{"id": BLOG, "url": "https://blog.example/", "platform": "blogger",
                    "title": f"Notes {SCRIPT}", "timezone": "Europe/Berlin"},
                   {"id": FEED_BLOG, "url": "https://example.org/notes/", "platform": "feed", "title": "Feed"}],
            posts=[{"id": POST, "blog_id": BLOG, "url": "https://blog.example/2024/05/drones.html",
                    "title": f"Drones & {SCRIPT}", "author": "Owner", "published": at("08:00"),
                    "published_raw": "2024-05-01T10:00:00.000+02:00", "published_zone": "stated",
                    "quoted_text": f"Reuters: Drones seen {SCRIPT}\n\nSecond quoted paragraph",
                    "commentary_text": "EDITOR: <b>not bold</b> my take", "comment_count": 9},
                   {"id": LOOP_POST, "blog_id": BLOG, "url": "javascript:alert(3)", "title": "Loops",
                    "published": at("07:00"), "content_text": "A post without a split"},
                   {"id": DEEP_POST, "blog_id": BLOG, "url": "https://blog.example/deep", "title": "Deep",
                    "published": at("06:00")},
                   {"id": FEED_POST, "blog_id": FEED_BLOG, "url": "https://example.org/notes/2024/05/drones.html",
                    "title": "Feed post", "published": at("05:00")}],
            comments=[*THREAD,
                      # x1 and x2 reply to each other, x3 to x1: none of them reaches a top-level comment
                      comment("x0", at("09:00"), post=LOOP_POST),
                      comment("x1", at("10:00"), "x2", post=LOOP_POST),
                      comment("x2", at("11:00"), "x1", post=LOOP_POST),
                      comment("x3", at("12:00"), "x1", post=LOOP_POST),
                      comment("x4", at("13:00"), "x4", post=LOOP_POST),  # replies to itself
                      *[comment(f"d{n}", f"2024-05-02T00:{n // 60:02d}:{n % 60:02d}+00:00",
                                f"d{n - 1}" if n else None, post=DEEP_POST) for n in range(DEEP)],
                      {"id": f"{FEED_BLOG}:c1", "post_id": FEED_POST, "blog_id": FEED_BLOG, "author": "Feed reader",
                       "published": at("06:00"), "content_text": "On the feed post"}],
        )
    finally:
        store.close()
    return path


def get(db: Path, path: str, **options):
    async def fetch():
        return await make_datasette(db).client.get(path, **options)

    return asyncio.run(fetch())


def thread_url(post_id: str) -> str:
    return "/-/newscrawl/post/" + quote(post_id, safe=":")


def view_rows(db: Path, post_id: str) -> list[dict]:
    return rows(db, "select * from comment_threads where post_id = ? order by path", [post_id])


def shown_comments(page: str) -> list[tuple[str, int, float]]:
    """(comment id, data-depth, indent in em) of each comment the page shows, in its order."""
    found = re.findall(r'<li class="newscrawl-comment[^"]*" id="comment-([^"]+)" data-depth="(\d+)" '
                       r'style="margin-left: ([\d.]+)em"', page)
    return [(html.unescape(cid), int(depth), float(indent)) for cid, depth, indent in found]


def comment_html(page: str, cid: str) -> str:
    """The <li> of one comment."""
    start = page.index(f'id="comment-{BLOG}:{cid}"')
    return page[start:page.index("</li>", start)]


# -- the view ------------------------------------------------------------------------------


def test_view_gives_each_comment_its_root_depth_and_reply_order(db):
    found = view_rows(db, POST)
    assert [(r["id"], r["depth"], r["root_id"]) for r in found] == [
        (f"{BLOG}:{cid}", depth, f"{BLOG}:{root}") for cid, depth, root in IN_REPLY_ORDER]
    by_id = {r["id"]: r for r in found}
    for r in found:
        segments = r["path"].split("/")
        assert len(segments) == r["depth"] + 1
        assert segments[-1].startswith(r["published"])  # the comment's own time, then its rowid
        if r["depth"]:
            assert r["path"].startswith(by_id[r["parent_id"]]["path"] + "/")
    assert by_id[f"{BLOG}:c8"]["parent_id"] == f"{BLOG}:c404"  # kept, though shown at top level
    assert {r["id"]: (r["deleted"], r["comment_type"]) for r in found}[f"{BLOG}:c5"] == (1, "comment")
    columns = list(found[0])
    assert columns == ["id", "post_id", "blog_id", "parent_id", "root_id", "depth", "path", "author", "published",
                       "deleted", "comment_type", "content_text"]


def test_order_by_post_and_path_is_reply_order_for_every_post(db):
    every = rows(db, "select post_id, id from comment_threads order by post_id, path")
    assert every == rows(db, "select post_id, id from comment_threads")  # the view's own order
    assert [r["id"] for r in every if r["post_id"] == POST] == [f"{BLOG}:{cid}" for cid, _, _ in IN_REPLY_ORDER]
    assert len(every) == rows(db, "select count(*) as n from comments")[0]["n"]


def test_a_loop_of_parent_ids_ends_and_keeps_its_comments_at_top_level(db):
    started = time.monotonic()
    found = view_rows(db, LOOP_POST)
    assert time.monotonic() - started < 5
    assert [(r["id"], r["depth"], r["root_id"], r["path"][0]) for r in found] == [
        (f"{BLOG}:x0", 0, f"{BLOG}:x0", "2"),
        *[(f"{BLOG}:{cid}", 0, f"{BLOG}:{cid}", "~") for cid in ("x1", "x2", "x3", "x4")]]


def test_a_thread_deeper_than_the_bound_stops_there_and_keeps_every_comment(db):
    found = view_rows(db, DEEP_POST)
    assert len(found) == DEEP
    placed = [r for r in found if not r["path"].startswith("~")]
    assert [r["depth"] for r in placed] == list(range(201))
    assert all(r["depth"] == 0 for r in found[201:])


def test_the_page_reads_the_views_rows(db):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        page_rows = [(r["id"], r["root_id"], r["depth"], r["path"])
                     for r in conn.execute(THREAD_SQL, {"post_id": POST})]
    finally:
        conn.close()
    assert page_rows == [(r["id"], r["root_id"], r["depth"], r["path"]) for r in view_rows(db, POST)]


# -- the page ------------------------------------------------------------------------------


def test_thread_page_shows_the_post_its_blog_and_its_times(db):
    response = get(db, thread_url(POST))
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert '<a href="https://blog.example/2024/05/drones.html" rel="nofollow noopener">Drones &amp; ' \
           "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>" in page
    assert '<a href="/newscrawl/blogs/blogger~3A123" class="blog">Notes &lt;script&gt;' in page
    assert '<a href="/newscrawl/posts/blogger~3A123~3A456">row in Datasette</a>' in page
    # the offset the feed stated, and UTC
    assert ">2024-05-01 10:00 (UTC+02:00)</time>" in page and ">2024-05-01 08:00 UTC</time>" in page
    assert '<blockquote class="text quoted"><p>Reuters: Drones seen &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;' \
           "</p><p>Second quoted paragraph</p></blockquote>" in page
    assert '<div class="text commentary"><p>EDITOR: &lt;b&gt;not bold&lt;/b&gt; my take</p></div>' in page
    assert "8 comments, 1 removed, 1 pingback or trackback" in page


def test_thread_page_shows_comments_in_reply_order_indented(db):
    page = get(db, thread_url(POST)).text
    assert shown_comments(page) == [(f"{BLOG}:{cid}", depth, depth * 1.5) for cid, depth, _ in IN_REPLY_ORDER]
    assert 'in reply to <a href="#comment-blogger:123:c3">Reader c3</a>' in comment_html(page, "c4")
    assert "level 3" in comment_html(page, "c4")


def test_each_comment_shows_author_times_text_and_markers(db):
    page = get(db, thread_url(POST)).text
    first = comment_html(page, "c1")
    assert '<a href="https://alice.example/" rel="nofollow noopener">Alice &lt;b&gt;A.&lt;/b&gt;</a>' in first
    # read in the blog's zone: Berlin summer time; the display string as shown on hover
    assert 'title="As shown on the blog: 1. Mai 2024 11:00">2024-05-01 11:00 (Europe/Berlin)</time>' in first
    assert ">2024-05-01 09:00 UTC</time>" in first
    assert ("<p>First &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\nsame paragraph</p>"
            "<p>Second paragraph &lt;img src=x onerror=alert(1)&gt;</p>") in first
    assert "javascript:" not in comment_html(page, "c2") and "Reader c2" in comment_html(page, "c2")
    removed = comment_html(page, "c5")
    assert '<span class="marker removed">removed</span>' in removed
    assert "This comment has been removed by the author." in removed
    assert '<span class="marker link">pingback</span>' in comment_html(page, "c7")
    assert "replies to a comment that is not stored: shown at top level" in comment_html(page, "c8")
    unknown = comment_html(page, "c9")
    assert ">2024-05-01 14:00 (as shown; zone unknown)</time>" in unknown and " UTC</time>" not in unknown
    assert '<a href="https://blog.example/456#c6" rel="nofollow noopener">on the blog</a>' in comment_html(page, "c6")
    assert '<a href="/newscrawl/comments/blogger~3A123~3Ac6">row</a>' in comment_html(page, "c6")


def test_stored_html_in_a_thread_is_shown_as_text_never_run(db):
    for post_id in (POST, LOOP_POST):
        page = get(db, thread_url(post_id)).text
        assert "<script>alert" not in page
        assert re.search(r"<img[^>]*onerror", page) is None
        assert re.search(r"""<a\b[^>]*href=["']?javascript:""", page) is None


def test_loops_and_deep_threads_are_shown_whole(db):
    page = get(db, thread_url(LOOP_POST)).text
    assert [cid for cid, _, _ in shown_comments(page)] == [f"{BLOG}:x{n}" for n in range(5)]
    assert "cannot be placed under" in comment_html(page, "x2") and "cannot be placed" not in comment_html(page, "x0")
    assert '<div class="text body"><p>A post without a split</p></div>' in page
    assert "<h1>Loops</h1>" in page  # a javascript: address is no link
    shown = shown_comments(get(db, thread_url(DEEP_POST)).text)
    assert len(shown) == DEEP
    # the indent stops growing at MAX_INDENT levels; the depth goes on
    assert shown[12] == (f"{BLOG}:d12", 12, MAX_INDENT * 1.5)
    assert max(indent for _, _, indent in shown) == MAX_INDENT * 1.5


def test_post_ids_open_encoded_or_not(db):
    for path in (thread_url(POST), "/-/newscrawl/post/blogger%3A123%3A456", "/-/newscrawl/post/blogger~3A123~3A456",
                 thread_url(FEED_POST), "/-/newscrawl/post/" + quote(FEED_POST, safe=""),
                 "/-/newscrawl/post/" + quote(FEED_POST, safe=":/")):
        response = get(db, path)
        assert response.status_code == 200, path
        assert shown_comments(response.text), path
    assert ">Feed post</a>" in get(db, thread_url(FEED_POST)).text
    assert get(db, thread_url(POST) + "?database=newscrawl").status_code == 200


def test_unknown_posts_and_databases_are_not_found(db, tmp_path):
    assert get(db, thread_url(f"{BLOG}:nope")).status_code == 404
    assert get(db, "/-/newscrawl/post/blogger%3A123%3Anope", follow_redirects=True).status_code == 404
    assert get(db, thread_url(POST) + "?database=elsewhere").status_code == 404
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table posts (id text primary key)").connection.close()

    async def fetch():
        datasette = make_datasette(db)
        datasette.add_database(Database(datasette, path=str(other)), name="other")
        return await datasette.client.get(thread_url(POST) + "?database=other")

    response = asyncio.run(fetch())
    assert response.status_code == 404 and "not a newscrawl database" in response.text


def test_a_post_with_2000_comments_reads_them_in_one_query(tmp_path, monkeypatch):
    path = tmp_path / "big.db"
    store = Store(path)
    try:
        store.write_rows(
            blogs=[{"id": BLOG, "url": "https://blog.example/", "platform": "blogger"}],
            posts=[{"id": POST, "blog_id": BLOG, "url": "https://blog.example/p", "title": "Busy"}],
            comments=[comment(f"c{n}", f"2024-05-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
                              f"c{n // 3}" if n % 4 else None) for n in range(2000)])
    finally:
        store.close()
    queries = []
    execute = Database.execute

    async def counted(self, sql, *args, **kwargs):
        queries.append(sql)
        return await execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", counted)
    started = time.monotonic()
    response = get(path, thread_url(POST))
    assert response.status_code == 200
    assert time.monotonic() - started < 10
    assert len(shown_comments(response.text)) == 2000
    assert len([sql for sql in queries if re.search(r"\bcomments\b", sql)]) == 1


def test_thread_page_needs_the_permission_to_see_the_tables(db):
    async def fetch():
        datasette = make_datasette(db)
        datasette._metadata_local["databases"]["newscrawl"]["allow"] = False
        return await datasette.client.get(thread_url(POST))

    assert asyncio.run(fetch()).status_code == 403


# -- links from Datasette's pages ------------------------------------------------------------


def test_posts_and_comments_pages_link_to_the_thread(db):
    posts = get(db, "/newscrawl/posts?_size=max").text
    for post_id in (POST, LOOP_POST, DEEP_POST, FEED_POST):
        assert f'href="{html.escape(thread_url(post_id))}"' in posts, post_id
    assert f'<a href="{thread_url(POST)}" title="Read the comments as a thread">9</a>' in posts
    assert f'Feed post <a href="{html.escape(thread_url(FEED_POST))}" class="newscrawl-thread"' in posts
    # other cells as Datasette renders them: the blog's label, the post's row link
    assert '<a href="/newscrawl/blogs/blogger~3A123">Notes &lt;script&gt;' in posts
    assert '<a href="/newscrawl/posts/blogger~3A123~3A456">blogger:123:456</a>' in posts
    row = get(db, "/newscrawl/posts/blogger~3A123~3A456").text
    assert f'blogger:123:456 <a href="{thread_url(POST)}" class="newscrawl-thread"' in row
    comments = get(db, "/newscrawl/comments?_size=max").text
    assert ('<a href="/newscrawl/posts/blogger~3A123~3A456">Drones &amp; &lt;script&gt;alert(&#39;x&#39;)'
            f"&lt;/script&gt;</a>&nbsp;<em>blogger:123:456</em> <a href=\"{thread_url(POST)}#comment-{BLOG}:c4\""
            in comments)
    assert comments.count('class="newscrawl-thread"') == rows(db, "select count(*) as n from comments")[0]["n"]
    latest = get(db, "/newscrawl/latest_comments?post_id=" + quote(POST)).text
    assert f'<a href="{thread_url(POST)}#comment-{BLOG}:c1" class="newscrawl-thread"' in latest
    query = get(db, "/newscrawl/commenter?author=Reader+c6").text
    assert f'{thread_url(POST)}#comment-{BLOG}:c6"' in query
    data = get(db, "/newscrawl/comments.json?_shape=objects&_size=1").json()
    assert data["rows"][0]["post_id"] in {POST, LOOP_POST, DEEP_POST, FEED_POST}  # JSON unchanged


def test_other_databases_get_no_thread_links(db, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table comments (id text primary key, post_id text)")
    conn.execute("insert into comments values ('a', 'p1')")
    conn.commit()
    conn.close()

    async def fetch():
        datasette = make_datasette(db)
        datasette.add_database(Database(datasette, path=str(other)), name="other")
        return await datasette.client.get("/other/comments")

    page = asyncio.run(fetch()).text
    assert "newscrawl-thread" not in page and "/-/newscrawl/post/" not in page


# -- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize("published, zone, raw, blog_timezone, utc, local", [
    ("2024-01-15T21:12:00+00:00", "stated", "2024-01-15T13:12:00-08:00", "-07:00",
     "2024-01-15 21:12 UTC", "2024-01-15 13:12 (UTC-08:00)"),  # the offset the value stated
    ("2024-01-15T21:12:00+00:00", "stated", "January 15, 2024 at 1:12 PM", "America/Los_Angeles",
     "2024-01-15 21:12 UTC", "2024-01-15 13:12 (America/Los_Angeles)"),  # an epoch with its display
    ("2024-01-15T21:12:00+00:00", "stated", "2024-01-15T21:12:00Z", "+02:00",
     "2024-01-15 21:12 UTC", "2024-01-15 23:12 (UTC+02:00)"),  # a platform writing UTC
    ("2024-01-15T21:12:00+00:00", "blog", "15.1.24 22:12", None, "2024-01-15 21:12 UTC", None),
    ("2024-01-15T21:12:00+00:00", None, None, "+02:00", "2024-01-15 21:12 UTC", None),
    ("2024-01-15T21:12:00+00:00", "stated", None, "UTC", "2024-01-15 21:12 UTC", None),
    ("2024-01-15T21:12:00+00:00", "unknown", "21:12", "+02:00", None, "2024-01-15 21:12 (as shown; zone unknown)"),
    (None, None, "gestern", "+02:00", None, None),
])
def test_shown_times(published, zone, raw, blog_timezone, utc, local):
    shown = shown_time(published, zone, raw, blog_timezone)
    assert (shown.utc, shown.local, shown.as_shown, shown.iso) == (utc, local, raw, published)


# -- a crawled database ----------------------------------------------------------------------


@pytest.mark.slow
def test_threads_of_a_crawled_replica_blog(crawled):  # noqa: F811
    blog, path = crawled
    key = blog_key(blog)
    replied = [p for p in blog.posts if any(c.parent_id for c in p.comments)]
    assert replied
    for post in replied:
        expected = [(f"{key}:c{c.comment_id}", 1 if n else 0)
                    for thread in replica_threads(sorted(post.comments, key=lambda c: c.published))
                    for n, c in enumerate(thread)]
        response = get(path, thread_url(f"{key}:{post.post_id}"))
        assert response.status_code == 200
        assert [(cid, depth) for cid, depth, _ in shown_comments(response.text)] == expected
        removed = sum(1 for c in post.comments if c.removed)
        assert response.text.count('<span class="marker removed">removed</span>') == removed
