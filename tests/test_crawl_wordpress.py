"""Crawls of a real WordPress (Debian's package, started on 127.0.0.1 by the test),
compared with WordPress's own data: every post and approved comment, UTC dates to the
second, parents.  Once through the REST API, once with REST rejected by a must-use
plugin (feeds and HTML).  Skips with a clear message where WordPress cannot be installed."""

from __future__ import annotations


import pytest

from replica_compare import rows, run_crawl, words
from wordpress_server import WordPressServer, nonexistent_local_times, wordpress_site_fixture

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

# Threaded comments, Berlin time (DST matters), comments not paged.
wordpress_site = wordpress_site_fixture(blogname="Commentary Test Blog", timezone="Europe/Berlin")
wordpress_paged = wordpress_site_fixture(blogname="Paged Comments Blog", timezone="America/New_York",
                                         comments_per_page=3, theme="twentytwentythree")

GAP_GMT = nonexistent_local_times("Europe/Berlin", 2024)[0]  # a UTC wall-clock time Berlin skips


def populate(wp: WordPressServer) -> dict:
    """Posts and comments made through WordPress's own functions, with the hard cases."""
    a = wp.create_post("Ölpreis steigt — ein Kommentar",
                       '<p>Reuters: <a href="https://www.reuters.com/markets/oil">Öl</a> &amp; Gas.</p>'
                       "<blockquote>Quoted news.</blockquote><p>EDITOR: mein “Kommentar”.</p>",
                       "2024-03-30 18:00:00")
    b = wp.create_post("Markets after the clock change", "<p>Posted in the hour Berlin skips.</p>",
                       date_gmt=GAP_GMT, author="Jane Commentator")
    c = wp.create_post("A quiet post", "<p>No comments here.</p>", "2023-11-05 09:30:00")
    c1 = wp.create_comment(a, "Ann", "First <b>bold</b> point.", date_local="2024-03-30 19:00:00",
                           author_url="https://ann.example.org/")
    c2 = wp.create_comment(a, "Bob", "Reply to Ann.", parent=c1, date_local="2024-03-30 19:05:00")
    wp.create_comment(a, "Ann", "Reply to Bob.", parent=c2, date_local="2024-03-30 19:10:00")
    wp.create_comment(a, "Chloé Ünïcode", "Grüße — 日本語 & “quotes” <3", date_local="2024-03-30 20:00:00")
    wp.create_comment(a, "Pending Pete", "PENDING-TEXT", approved=0, date_local="2024-03-30 20:10:00")
    wp.create_comment(a, "Spammer", "SPAM-TEXT", approved="spam", date_local="2024-03-30 20:20:00")
    wp.create_comment(a, "Other Blog", "[…] PINGBACK-TEXT […]", type="pingback",
                      author_url="https://other.example.net/", date_local="2024-03-30 21:00:00")
    d1 = wp.create_comment(b, "Dora", "In the gap hour.", date_gmt="2024-03-31 01:15:00")
    wp.create_comment(b, "Ed", "Reply after the change.", parent=d1, date_local="2024-03-31 05:00:00")
    return {"posts": [a, b, c]}


@pytest.fixture(scope="module")
def site(wordpress_site):
    populate(wordpress_site)
    return wordpress_site


def key(wp: WordPressServer) -> str:
    return f"wordpress:127.0.0.1:{wp.port}"


def expected_posts(wp: WordPressServer) -> dict[str, dict]:
    blog = key(wp)
    return {
        f"{blog}:{p['id']}": {"title": p["title"], "url": p["link"], "published": p["published"]}
        for p in wp.truth()["posts"]
    }


def expected_comments(wp: WordPressServer, types=("comment",)) -> dict[str, dict]:
    blog = key(wp)
    return {
        f"{blog}:c{c['id']}": {
            "post_id": f"{blog}:{c['post']}",
            "parent_id": f"{blog}:c{c['parent']}" if int(c["parent"]) else None,
            "author": c["author"],
            "published": c["published"],
            "comment_type": c["type"] or "comment",
            "text": words(c["content"]).replace("<b>", "").replace("</b>", ""),
        }
        for c in wp.truth()["comments"]
        if (c["type"] or "comment") in types
    }


def stored_posts(db) -> dict[str, dict]:
    return {r["id"]: {"title": r["title"], "url": r["url"], "published": r["published"]}
            for r in rows(db, "select * from posts")}


def stored_comments(db) -> dict[str, dict]:
    return {
        r["id"]: {"post_id": r["post_id"], "parent_id": r["parent_id"], "author": r["author"],
                  "published": r["published"], "comment_type": r["comment_type"], "text": words(r["content_text"])}
        for r in rows(db, "select * from comments")
    }


def assert_same(expected: dict, stored: dict, what: str) -> None:
    assert set(stored) == set(expected), f"{what}: missing {set(expected) - set(stored)}, extra {set(stored) - set(expected)}"
    wrong = [(k, f, expected[k][f], stored[k][f]) for k in expected for f in expected[k] if expected[k][f] != stored[k][f]]
    assert not wrong, f"{what} differ: {wrong[:5]}"


def test_rest_crawl_matches_wordpress(site, tmp_path):
    db = tmp_path / "rest.db"
    run_crawl(site.url, db, platform="wordpress")
    assert_same(expected_posts(site), stored_posts(db), "posts")
    # anonymous REST clients see approved reader comments only (no pingbacks)
    assert_same(expected_comments(site), stored_comments(db), "comments")
    texts = " ".join(r["content_text"] or "" for r in rows(db, "select content_text from comments"))
    assert "PENDING-TEXT" not in texts and "SPAM-TEXT" not in texts
    [blog] = rows(db, "select * from blogs")
    assert blog["title"] == "Commentary Test Blog" and blog["timezone"] == "Europe/Berlin"
    assert {r["domain"] for r in rows(db, "select domain from links")} == {"reuters.com"}


def test_crawl_with_rest_closed_matches_wordpress(site, tmp_path):
    db = tmp_path / "no-rest.db"
    site.disable_rest(401)
    try:
        result = run_crawl(site.url, db, platform="wordpress")
    finally:
        site.enable_rest()
    assert "REST API closed" in result.stderr
    assert_same(expected_posts(site), stored_posts(db), "posts")
    stored = stored_comments(db)
    readers = {k: v for k, v in stored.items() if v["comment_type"] == "comment"}
    assert_same(expected_comments(site), readers, "reader comments")
    # the HTML shows pingbacks too, as a bare link; their date and text come from the
    # post's comment feed: stored whole, typed apart from reader comments
    pingbacks = {k: v for k, v in stored.items() if v["comment_type"] != "comment"}
    assert_same(expected_comments(site, types=("pingback",)), pingbacks, "pingbacks")


def test_recrawl_adds_no_duplicates_and_stores_a_new_comment(site, tmp_path):
    db = tmp_path / "twice.db"
    run_crawl(site.url, db, platform="wordpress")
    before = {t: rows(db, f"select count(*) as n from {t}")[0]["n"] for t in ("posts", "comments", "links")}
    run_crawl(site.url, db, platform="wordpress")
    assert {t: rows(db, f"select count(*) as n from {t}")[0]["n"] for t in ("posts", "comments", "links")} == before
    post = site.truth()["posts"][-1]["id"]
    new = site.create_comment(post, "Late Larry", "A comment added between two crawls.", date_local="2024-04-02 10:00:00")
    try:
        run_crawl(site.url, db, platform="wordpress")
        stored = rows(db, "select * from comments where platform_id = ?", [str(new)])
        assert len(stored) == 1 and stored[0]["author"] == "Late Larry"
        assert rows(db, "select count(*) as n from comments")[0]["n"] == before["comments"] + 1
    finally:
        site.run_php(f"wp_delete_comment({new}, true);")


def test_platform_is_detected_from_the_home_page(site, tmp_path):
    db = tmp_path / "auto.db"
    run_crawl(site.url, db, platform="auto")
    assert [r["platform"] for r in rows(db, "select platform from blogs")] == ["wordpress"]


def test_paged_comments_in_a_block_theme_without_rest(wordpress_paged, tmp_path):
    wp = wordpress_paged
    post = wp.create_post("Many comments", "<p>Body.</p>", "2024-06-01 12:00:00")
    first = wp.create_comment(post, "Commenter 0", "Comment number 0", date_local="2024-06-01 13:00:00")
    for n in range(1, 8):
        wp.create_comment(post, f"Commenter {n}", f"Comment number {n}", parent=first if n % 3 == 0 else 0,
                          date_local=f"2024-06-01 13:{n:02d}:00")
    db = tmp_path / "paged.db"
    wp.disable_rest(403)
    try:
        run_crawl(wp.url, db, platform="wordpress")
    finally:
        wp.enable_rest()
    assert_same(expected_posts(wp), stored_posts(db), "posts")
    assert_same(expected_comments(wp), stored_comments(db), "comments")


wordpress_tracked = wordpress_site_fixture(blogname="Tracked Blog", timezone="Europe/Berlin")


def test_incremental_recrawls_of_a_real_wordpress(wordpress_tracked, tmp_path):
    wp = wordpress_tracked
    populate(wp)
    db = tmp_path / "tracked.db"
    run_crawl(wp.url, db, platform="wordpress")

    def last_crawl():
        return rows(db, "select * from crawls order by id desc limit 1")[0]

    def snapshot():
        return {t: rows(db, f"select * from {t} order by 1") for t in ("posts", "comments", "links", "post_versions")}

    before = snapshot()
    run_crawl(wp.url, db, platform="wordpress")
    crawl = last_crawl()
    assert crawl["requests"] <= 3  # robots.txt, posts modified since, comments since
    assert snapshot() == before

    posts = [p["id"] for p in wp.truth()["posts"]]
    new_ids = [wp.create_comment(posts[-1], f"Reader {n}", f"new comment {n}") for n in range(4)]
    run_crawl(wp.url, db, platform="wordpress")
    crawl = last_crawl()
    assert crawl["comments_new"] == 4 and crawl["requests"] <= 3
    assert {str(i) for i in new_ids} <= {r["platform_id"] for r in rows(db, "select platform_id from comments")}

    wp.run_php(f"wp_update_post(['ID' => {posts[0]}, 'post_title' => 'Edited title']);")
    run_crawl(wp.url, db, platform="wordpress")
    [version] = rows(db, "select * from post_versions")
    assert version["post_id"].endswith(f":{posts[0]}") and version["title"] != "Edited title"
    assert rows(db, "select title from posts where platform_id = ?", [str(posts[0])])[0]["title"] == "Edited title"

    wp.run_php(f"wp_delete_comment({new_ids[0]}, true);")
    run_crawl(wp.url, db, platform="wordpress")  # incremental: a deletion leaves no trace to read
    run_crawl(wp.url, db, "--full", platform="wordpress")
    gone = rows(db, "select * from comments where platform_id = ?", [str(new_ids[0])])[0]
    assert gone["deleted"] == 1 and gone["deleted_noticed"]
    assert_same(expected_posts(wp), stored_posts(db), "posts")
    alive = {k: v for k, v in stored_comments(db).items() if not k.endswith(f"c{new_ids[0]}")}
    assert_same(expected_comments(wp), alive, "comments")
