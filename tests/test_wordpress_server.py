"""Smoke tests of the real-WordPress harness (tests/wordpress_server.py): the site answers
REST, feeds and HTML as a crawler will see them, hides what is not public, and REST can be
switched off. Needs .ci/install-wordpress.sh; skips with that hint where it cannot run."""

from __future__ import annotations

import re
import time

import lxml.etree
import lxml.html
import pytest

from wordpress_server import WordPressServer, nonexistent_local_times, wordpress_site  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.wordpress]

GAP_GMT = nonexistent_local_times("Europe/Berlin", 2024)[0]  # '2024-03-31 02:30:00'


@pytest.fixture(scope="module")
def site(wordpress_site: WordPressServer, pytestconfig: pytest.Config) -> dict:
    """Two posts with threaded comments, plus one pending, one spam and one pingback."""
    wp = wordpress_site
    started = time.monotonic()
    a = wp.create_post(
        "Ölpreis steigt — ein Kommentar",
        '<p>Die Meldung: <a href="http://127.0.0.1/news">Öl</a> &amp; Gas.</p>\n<p>Mein “Kommentar”.</p>',
        "2024-03-30 18:00:00",
    )
    b = wp.create_post(
        "Markets after the clock change",
        "<p>Published at a UTC wall-clock time that does not exist in Berlin.</p>",
        date_gmt=GAP_GMT,
        author="Jane Commentator",
    )
    c1 = wp.create_comment(a, "Ann", "First <b>bold</b> point.", date_local="2024-03-30 19:00:00",
                           author_url="http://127.0.0.1/ann")
    c2 = wp.create_comment(a, "Bob", "Reply to Ann.", parent=c1, date_local="2024-03-30 19:05:00")
    c3 = wp.create_comment(a, "Ann", "Reply to Bob.", parent=c2, date_local="2024-03-30 19:10:00")
    c4 = wp.create_comment(a, "Chloé Ünïcode", "Grüße — 日本語 & “quotes”", date_local="2024-03-30 20:00:00")
    pending = wp.create_comment(a, "Pending Pete", "PENDING-TEXT", approved=0, date_local="2024-03-30 20:10:00")
    spam = wp.create_comment(a, "Spammer", "SPAM-TEXT", approved="spam", date_local="2024-03-30 20:20:00")
    ping = wp.create_comment(a, "Other Blog", "[…] PINGBACK-TEXT […]", type="pingback",
                             author_url="http://127.0.0.1/other-blog/", date_local="2024-03-30 21:00:00")
    d1 = wp.create_comment(b, "Dora", "In the gap hour (UTC).", date_gmt="2024-03-31 02:15:00")
    d2 = wp.create_comment(b, "Ed", "Reply after the change.", parent=d1, date_local="2024-03-31 05:00:00")
    report(
        pytestconfig,
        f"\nWordPress {wp.wordpress_version} started in {wp.startup_seconds:.2f}s "
        f"({wp.timings}); test data created in {time.monotonic() - started:.2f}s"
    )
    return {
        "a": a, "b": b, "comments_a": [c1, c2, c3, c4], "replies": {c2: c1, c3: c2, d2: d1},
        "pending": pending, "spam": spam, "ping": ping, "comments_b": [d1, d2], "gap": d1,
    }


def report(config: pytest.Config, message: str) -> None:
    """Print past pytest's capture: the start-up time belongs in CI's log."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(message)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(message)


def test_truth_has_wordpress_data(wordpress_site, site):
    truth = wordpress_site.truth()
    assert truth["timezone"] == "Europe/Berlin"
    assert [p["id"] for p in truth["posts"]] == [site["a"], site["b"]]
    post_a, post_b = truth["posts"]
    assert post_a["link"] == wordpress_site.url + "2024/03/olpreis-steigt-ein-kommentar/"
    assert post_a["date"] == "2024-03-30 18:00:00" and post_a["published"] == "2024-03-30T17:00:00+00:00"
    assert post_b["date"] == "2024-03-31 04:30:00" and post_b["published"] == "2024-03-31T02:30:00+00:00"
    assert post_a["author"] == "Site Admin" and post_b["author"] == "Jane Commentator"
    assert post_a["comment_count"] == 5  # 4 comments + the pingback; not pending, not spam
    ids = {c["id"]: c for c in truth["comments"]}
    assert set(ids) == set(site["comments_a"]) | set(site["comments_b"]) | {site["ping"]}
    assert ids[site["ping"]]["type"] == "pingback"
    for child, parent in site["replies"].items():
        assert ids[child]["parent"] == parent
    assert ids[site["gap"]]["date_gmt"] == "2024-03-31 02:15:00"
    assert ids[site["gap"]]["date"] == "2024-03-31 04:15:00"
    assert ids[site["comments_a"][3]]["author"] == "Chloé Ünïcode"
    assert wordpress_site.php_warnings() == []


def test_rest_posts_and_headers(wordpress_site, site):
    r = wordpress_site.fetch("wp-json/wp/v2/posts?per_page=100")
    assert r.status == 200
    assert r.header("X-WP-Total") == "2" and r.header("X-WP-TotalPages") == "1"
    assert {p["id"] for p in r.json()} == {site["a"], site["b"]}
    paged = wordpress_site.fetch("wp-json/wp/v2/posts?per_page=1")
    assert paged.header("X-WP-TotalPages") == "2" and 'rel="next"' in paged.header("Link")
    past_end = wordpress_site.fetch("wp-json/wp/v2/posts?per_page=1&page=3")
    assert past_end.status == 400 and past_end.json()["code"] == "rest_post_invalid_page_number"
    plain = wordpress_site.fetch("?rest_route=/wp/v2/posts")
    assert plain.status == 200 and {p["id"] for p in plain.json()} == {site["a"], site["b"]}
    index = wordpress_site.fetch("wp-json/").json()
    assert index["timezone_string"] == "Europe/Berlin"


def test_rest_comments_public_only(wordpress_site, site):
    r = wordpress_site.fetch(f"wp-json/wp/v2/comments?post={site['a']}&per_page=100")
    assert r.status == 200
    assert r.header("X-WP-Total") == "4" and r.header("X-WP-TotalPages") == "1"
    comments = r.json()
    assert {c["id"] for c in comments} == set(site["comments_a"])  # no pending, spam, pingback
    assert all(c["type"] == "comment" for c in comments)
    by_id = {c["id"]: c for c in comments}
    assert by_id[site["comments_a"][1]]["parent"] == site["comments_a"][0]
    assert "Grüße" in by_id[site["comments_a"][3]]["content"]["rendered"]
    assert "<b>bold</b>" in by_id[site["comments_a"][0]]["content"]["rendered"]
    # Anonymous clients never see pingbacks through REST: `type` is a protected parameter.
    pings = wordpress_site.fetch(f"wp-json/wp/v2/comments?post={site['a']}&type=pingback")
    assert pings.status == 401 and pings.json()["code"] == "rest_forbidden_param"
    assert wordpress_site.fetch(f"wp-json/wp/v2/comments/{site['ping']}").status == 200
    for hidden in ("pending", "spam"):
        assert wordpress_site.fetch(f"wp-json/wp/v2/comments/{site[hidden]}").status in (401, 403, 404)
    everything = wordpress_site.fetch("wp-json/wp/v2/comments?per_page=100").text
    assert "PENDING-TEXT" not in everything and "SPAM-TEXT" not in everything


def _feed_dates(wp: WordPressServer, path: str, marker: str) -> list[str]:
    """pubDate / published of the feed entries whose link contains `marker`."""
    root = lxml.etree.fromstring(wp.fetch(path).body)
    atom = "{http://www.w3.org/2005/Atom}"
    found = []
    for entry in [*root.iter("item"), *root.iter(f"{atom}entry")]:
        links = [entry.findtext("link") or "", *(link.get("href", "") for link in entry.iter(f"{atom}link"))]
        if any(marker in link for link in links):
            found.append(entry.findtext("pubDate") or entry.findtext(f"{atom}published"))
    return found


def test_dst_gap_dates_by_source(wordpress_site, site):
    """platforms.md's caveat, source by source: a GMT wall-clock time that does not exist
    in the site's zone (02:15/02:30 UTC on 2024-03-31, Berlin's spring-forward hour) comes
    out one hour late wherever WordPress formats it with mysql2date(): REST date_gmt and
    modified_gmt, RSS2 pubDate, the Atom *comments* feed. Right: REST `date` (local), the
    Atom posts feed, HTML time[datetime]. Stored values (truth()) are right."""
    wp = wordpress_site
    truth = wp.truth()
    post = next(p for p in truth["posts"] if p["id"] == site["b"])
    gap = next(c for c in truth["comments"] if c["id"] == site["gap"])
    assert (post["date_gmt"], post["date"]) == ("2024-03-31 02:30:00", "2024-03-31 04:30:00")
    assert (gap["date_gmt"], gap["date"]) == ("2024-03-31 02:15:00", "2024-03-31 04:15:00")
    rest_post = wp.fetch(f"wp-json/wp/v2/posts/{site['b']}").json()
    rest_comment = wp.fetch(f"wp-json/wp/v2/comments/{site['gap']}").json()
    assert rest_post["date"] == "2024-03-31T04:30:00"  # right: 04:30 CEST = 02:30 UTC
    assert rest_comment["date"] == "2024-03-31T04:15:00"
    html = wp.fetch(post["link"]).text
    assert 'datetime="2024-03-31T04:30:00+02:00"' in html  # the post's own date: right
    assert 'datetime="2024-03-31T04:15:00+02:00"' in html  # the comment's: right
    atom_posts = _feed_dates(wp, "feed/atom/", post["link"])
    assert atom_posts == ["2024-03-31T02:30:00Z"]  # right
    observed = {
        "rest post date_gmt": rest_post["date_gmt"],
        "rest post modified_gmt": rest_post["modified_gmt"],
        "rest comment date_gmt": rest_comment["date_gmt"],
        "rss2 post pubDate": _feed_dates(wp, "feed/", post["link"]),
        "rss2 comment pubDate": _feed_dates(wp, "comments/feed/", f"#comment-{site['gap']}"),
        "atom comment published": _feed_dates(wp, "comments/feed/atom/", f"#comment-{site['gap']}"),
    }
    late = {
        "rest post date_gmt": "2024-03-31T03:30:00",
        "rest post modified_gmt": "2024-03-31T03:30:00",
        "rest comment date_gmt": "2024-03-31T03:15:00",
        "rss2 post pubDate": ["Sun, 31 Mar 2024 03:30:00 +0000"],
        "rss2 comment pubDate": ["Sun, 31 Mar 2024 03:15:00 +0000"],
        "atom comment published": ["2024-03-31T03:15:00Z"],
    }
    if wp.wordpress_version.startswith("6.1."):  # Debian 12's WordPress
        assert observed == late
    # A GMT time outside the gap is right everywhere.
    other = next(c for c in truth["comments"] if c["id"] == site["comments_b"][1])
    rest_other = wp.fetch(f"wp-json/wp/v2/comments/{other['id']}").json()
    assert rest_other["date_gmt"] == other["date_gmt"].replace(" ", "T")


def test_feeds(wordpress_site, site):
    feed = wordpress_site.fetch("feed/")
    assert feed.status == 200 and "rss+xml" in feed.header("Content-Type")
    root = lxml.etree.fromstring(feed.body)
    assert {t.text for t in root.iter("title")} >= {"Ölpreis steigt — ein Kommentar", "Markets after the clock change"}
    assert b"<wfw:commentRss>" in feed.body and b"<slash:comments>5</slash:comments>" in feed.body
    comments = wordpress_site.fetch("comments/feed/")
    assert comments.status == 200
    assert "Grüße" in comments.text and "Reply to Bob." in comments.text
    assert "PENDING-TEXT" not in comments.text and "SPAM-TEXT" not in comments.text
    assert "PINGBACK-TEXT" in comments.text  # the comments feed mixes pingbacks in
    post_feed = wordpress_site.fetch("2024/03/olpreis-steigt-ein-kommentar/feed/")
    assert post_feed.status == 200 and "Reply to Ann." in post_feed.text


def test_post_html_threaded_comments(wordpress_site, site):
    r = wordpress_site.fetch("2024/03/olpreis-steigt-ein-kommentar/")
    assert r.status == 200
    doc = lxml.html.fromstring(r.body)
    lists = doc.xpath('//ol[contains(concat(" ", @class, " "), " comment-list ")]')
    assert lists, "no ol.comment-list"
    items = {
        int(li.get("id").removeprefix("comment-")): li
        for li in doc.xpath('//li[contains(concat(" ", @class, " "), " comment ")]')
    }
    assert set(items) == set(site["comments_a"])
    c1, c2, c3, _ = site["comments_a"]
    assert "depth-3" in items[c3].get("class")
    assert items[c2].getparent().get("class") == "children"
    assert items[c2].getparent().getparent() is items[c1]
    times = items[c1].xpath('./article//time/@datetime')
    assert times == ["2024-03-30T19:00:00+01:00"]
    pings = doc.xpath('//li[contains(concat(" ", @class, " "), " pingback ")]')
    assert [li.get("id") for li in pings] == [f"comment-{site['ping']}"]
    assert "PENDING-TEXT" not in r.text and "SPAM-TEXT" not in r.text
    assert 'rel="https://api.w.org/"' in r.text


def test_comment_paging_option(wordpress_site, site):
    wp = wordpress_site
    wp.run_php("update_option('page_comments', 1); update_option('comments_per_page', 1);")
    try:
        page = wp.fetch("2024/03/olpreis-steigt-ein-kommentar/comment-page-2/")
        assert page.status == 200
        assert f'id="comment-{site["comments_a"][3]}"' in page.text
    finally:
        wp.run_php("update_option('page_comments', 0); update_option('comments_per_page', 50);")


REST_URLS = ["wp-json/", "wp-json/wp/v2/posts", "wp-json/wp/v2/comments?post={a}", "?rest_route=/wp/v2/posts"]


@pytest.mark.parametrize("status", [401, 403, 404])
def test_disable_rest(wordpress_site, site, status):
    wp = wordpress_site
    wp.disable_rest(status)
    try:
        assert wp.rest_disabled
        for url in REST_URLS:
            assert wp.fetch(url.format(**site)).status == status, url
        home = wp.fetch("")
        assert home.status == 200 and "api.w.org" not in home.text and home.header("Link") is None
        assert wp.fetch("feed/").status == 200
        assert wp.fetch("comments/feed/").status == 200
        post = wp.fetch("2024/03/olpreis-steigt-ein-kommentar/")
        assert post.status == 200 and "comment-list" in post.text
    finally:
        wp.enable_rest()
    assert not wp.rest_disabled
    assert wp.fetch("wp-json/wp/v2/posts").status == 200


def test_robots_and_sitemap(wordpress_site, site):
    robots = wordpress_site.fetch("robots.txt")
    assert robots.status == 200 and "Disallow: /wp-admin/" in robots.text
    sitemap = wordpress_site.fetch("wp-sitemap.xml")
    assert sitemap.status == 200 and re.search(r"wp-sitemap-posts-post-1\.xml", sitemap.text)
