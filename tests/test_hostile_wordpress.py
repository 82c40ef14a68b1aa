"""A WordPress REST API that lies or holds bad text must cost neither comments nor unbounded
work (issue 17, items 4 and 6): see hostile_wordpress.py for the server."""

from __future__ import annotations

import pytest

from hostile_wordpress import HostileWordPress
from replica_compare import rows, run_crawl

pytestmark = pytest.mark.slow


def test_a_lone_surrogate_in_one_comment_costs_nothing(tmp_path):
    db = tmp_path / "surrogate.db"
    with HostileWordPress(comments=300, bad_comment=42) as site:
        run_crawl(site.url, db, platform="wordpress")
        assert len(site.paths("/wp/v2/comments")) == 3  # pages 2 and 3 were asked too
    assert rows(db, "select count(*) as n from comments")[0]["n"] == 300
    [bad] = rows(db, "select author, content_text from comments where platform_id = '42'")
    assert bad == {"author": "Bad \ufffd name", "content_text": "Half a pair: \ufffd and on."}
    assert rows(db, "select status, items_skipped from crawls") == [{"status": "finished", "items_skipped": 0}]


def test_a_total_of_ten_million_pages_is_believed_only_while_pages_bring_new_entries(tmp_path):
    db = tmp_path / "repeating.db"
    with HostileWordPress(comments=250, claimed_pages=10_000_000, repeat_pages=True) as site:
        result = run_crawl(site.url, db, platform="wordpress", expect_exit=1, timeout=120)
        asked = {kind: site.paths(f"/wp/v2/{kind}") for kind in ("posts", "comments")}
    # page 1, then a window of NEWSCRAWL_PARALLEL_FEED_PAGES (50) and one more per page that brought
    # new entries: not ten million, not the page cap
    assert 3 < len(asked["comments"]) <= 1 + 50 + 3 and len(asked["posts"]) <= 1 + 50 + 1, asked
    assert rows(db, "select count(*) as n from comments")[0]["n"] == 250
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 3
    repeated = rows(db, "select url from errors where reason like '%repeats entries%'")
    assert {kind for kind in ("posts", "comments") if any(f"/wp/v2/{kind}" in r["url"] for r in repeated)} \
        == {"posts", "comments"}
    assert "failed" in result.stdout


def test_an_empty_page_inside_the_claimed_total_ends_the_paging(tmp_path):
    db = tmp_path / "short.db"
    # 120 comments are 2 pages; the site claims 9 and answers page 3 on with an error
    with HostileWordPress(comments=120, claimed_pages=9) as site:
        run_crawl(site.url, db, platform="wordpress", expect_exit=1)
        asked = site.paths("/wp/v2/comments")
    assert len(asked) == 9  # the window was asked at once (page 1 and 8 more), no more
    assert rows(db, "select count(*) as n from comments")[0]["n"] == 120
    assert rows(db, "select count(*) as n from errors where url like '%/wp/v2/comments%'")[0]["n"] == 7


def test_a_site_claiming_a_tracked_blogs_identity_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from newscrawl.cli import cli

    db = tmp_path / "identity.db"
    with HostileWordPress(posts=3, comments=20) as victim:
        assert CliRunner().invoke(cli, ["add", victim.url, "--platform", "wordpress", "--db", str(db)]).exit_code == 0
        run_crawl(victim.url, db, platform="wordpress")
        before = {t: rows(db, f"select * from {t} order by id") for t in ("blogs", "posts", "comments")}
        [owner] = rows(db, "select url, blog_id from tracked_blogs")
        assert owner["blog_id"] and owner["url"] == victim.url
        # another site whose REST index says its home is the victim's address, crawled in full
        with HostileWordPress(posts=2, comments=5, home=victim.url.rstrip("/")) as impostor:
            result = run_crawl(impostor.url, db, "--full", platform="wordpress", expect_exit=1)
    after = {t: rows(db, f"select * from {t} order by id") for t in ("blogs", "posts", "comments")}
    assert after == before  # not one row replaced, none marked deleted
    [error] = rows(db, "select url, reason from errors")
    assert error["url"] == impostor.url and f"the blog tracked at {victim.url}" in error["reason"]
    assert "failed: " + error["reason"] in result.stdout
    crawl = rows(db, "select blog_id, status, reason from crawls where blog_url = ?", [impostor.url])[0]
    assert crawl == {"blog_id": None, "status": "failed", "reason": error["reason"]}
