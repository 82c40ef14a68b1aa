"""The tracked-blog list: add, remove, list, OPML import and export, and `crawl --all`.

CLI tests run `newscrawl` through click's CliRunner against temporary databases; the
crawl test runs `newscrawl crawl --all` in a subprocess against two replica blogs,
as a cron job would.  Nothing here leaves 127.0.0.1: addresses on other hosts are
either named with --platform or recognised from their shape, and a detector that
fails the test guards every path that would otherwise fetch a home page.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from lxml import etree

import newscrawl.tracking as tracking
from newscrawl.cli import cli
from newscrawl.crawling import CrawlSummary, format_duration
from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.storage import Store
from newscrawl.tracking import (
    OpmlError,
    home_page_from_feed,
    main_feed_url,
    parse_opml,
    platform_from_address,
    record_crawls,
)
from replica_compare import FAST_LOCAL, rows


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tracked(db) -> list[dict]:
    return rows(db, "select * from tracked_blogs order by url")


@pytest.fixture
def no_internet(monkeypatch):
    """Home-page detection allowed on 127.0.0.1 only; anything else fails the test."""
    real = tracking.detect_platform
    asked: list[str] = []

    def detect(url: str):
        asked.append(url)
        assert url.startswith("http://127.0.0.1:"), f"would fetch {url} from the internet"
        return real(url, timeout=5)

    monkeypatch.setattr(tracking, "detect_platform", detect)
    return asked


@pytest.fixture(scope="module")
def replica():
    blog = generate_blog(posts=3, comments_per_post=1, seed=11, big_post_comments=0)
    with ReplicaServer(blog, template="threaded") as server:
        yield server


# -- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("feed, home, platform", [
    ("https://x.blogspot.com/feeds/posts/default", "https://x.blogspot.com/", "blogger"),
    ("https://www.news-blog.example/feeds/posts/default?alt=rss", "https://www.news-blog.example/", "blogger"),
    ("https://www.news-blog.example/feeds/comments/default", "https://www.news-blog.example/", "blogger"),
    ("https://example.org/feed/", "https://example.org/", "wordpress"),
    ("https://example.org/blog/feed/atom/", "https://example.org/blog/", "wordpress"),
    ("https://example.org/comments/feed/", "https://example.org/", "wordpress"),
    ("https://example.org/?feed=rss2", "https://example.org/", "wordpress"),
    ("https://someone.wordpress.com/feed/", "https://someone.wordpress.com/", "wordpress"),
    # shapes several engines use: the home page is known, the platform is not
    ("https://example.net/feed", "https://example.net/", None),
    ("https://x.substack.com/feed", "https://x.substack.com/", "substack"),
    ("https://example.net/atom.xml", "https://example.net/", None),
    ("https://example.net/index.xml", "https://example.net/", None),
    # feeds served elsewhere: Blogger by its id, FeedBurner: no home page
    ("https://www.blogger.com/feeds/1234567/posts/default", None, "blogger"),
    ("https://feeds.feedburner.com/SomeBlog", None, None),
    ("https://example.net/about.html", None, None),
])
def test_home_page_and_platform_from_a_feed_address(feed, home, platform):
    assert home_page_from_feed(feed) == home
    assert platform_from_address(feed) == platform


def test_main_feed_of_each_platform():
    assert main_feed_url("https://x.blogspot.com/", "blogger") == "https://x.blogspot.com/feeds/posts/default"
    assert main_feed_url("https://example.org/blog/", "wordpress") == "https://example.org/blog/feed/"
    assert main_feed_url("https://example.org/blog", "wordpress") == "https://example.org/blog/feed/"
    assert main_feed_url("https://example.org/", "substack") == "https://example.org/feed"  # a custom domain
    assert main_feed_url("https://example.org/", "feed") is None  # found by autodiscovery when crawled


# -- add / remove / list -------------------------------------------------------------------------


def test_add_with_the_platform_named(tmp_path, no_internet):
    db = tmp_path / "t.db"
    result = invoke("add", "example.org/blog", "--platform", "wordpress", "--title", "Kommentar & Kritik", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "tracking https://example.org/blog/ (wordpress)" in result.output
    [row] = tracked(db)
    assert row["url"] == "https://example.org/blog/"  # normalized as a crawl normalizes its start URL: one blog, one entry
    assert row["platform"] == "wordpress"
    assert row["title"] == "Kommentar & Kritik"
    assert row["enabled"] == 1 and row["added"]
    assert row["last_crawled"] is None and row["last_status"] is None
    assert no_internet == []


def test_add_recognises_a_blogspot_address_without_a_request(tmp_path, no_internet):
    db = tmp_path / "t.db"
    assert invoke("add", "https://a.blogspot.com/", "--db", str(db)).exit_code == 0
    assert tracked(db)[0]["platform"] == "blogger"
    assert no_internet == []


def test_add_auto_detects_the_platform_from_the_home_page(tmp_path, replica, no_internet):
    db = tmp_path / "t.db"
    before = len(replica.requests)
    result = invoke("add", replica.url, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert f"tracking {replica.url} (blogger)" in result.output
    assert tracked(db)[0]["platform"] == "blogger"
    assert replica.requests[before:] == ["/"]  # one request: the home page


def test_add_says_what_to_do_when_the_platform_cannot_be_told(tmp_path, no_internet):
    db = tmp_path / "t.db"
    result = invoke("add", "http://127.0.0.1:9/", "--db", str(db))
    assert result.exit_code != 0
    assert "cannot tell which platform" in result.output
    assert "name it with --platform" in result.output
    assert tracked(db) == []


def test_adding_a_tracked_blog_again_changes_nothing(tmp_path):
    db = tmp_path / "t.db"
    invoke("add", "https://a.blogspot.com/", "--db", str(db), "--title", "First")
    before = tracked(db)
    result = invoke("add", "a.blogspot.com", "--platform", "wordpress", "--title", "Second", "--db", str(db))
    assert result.exit_code == 0
    assert "already tracked: https://a.blogspot.com/ (blogger); nothing changed" in result.output
    assert tracked(db) == before


def test_remove(tmp_path):
    db = tmp_path / "t.db"
    invoke("add", "https://a.blogspot.com/", "https://b.blogspot.com/", "--db", str(db))
    result = invoke("remove", "a.blogspot.com", "--db", str(db))  # the same address, as typed
    assert result.exit_code == 0
    assert "no longer tracking https://a.blogspot.com/" in result.output
    assert [r["url"] for r in tracked(db)] == ["https://b.blogspot.com/"]
    result = invoke("remove", "https://a.blogspot.com/", "--db", str(db))
    assert result.exit_code == 1
    assert "is not tracked" in result.output


def test_list_table_and_json(tmp_path):
    db = tmp_path / "t.db"
    result = invoke("list", "--db", str(db))
    assert result.exit_code != 0 and "no database" in result.output
    invoke("add", "https://a.blogspot.com/", "--db", str(db))
    invoke("add", "https://example.org/", "--platform", "wordpress", "--title", "Example", "--db", str(db))
    store = Store(db)
    store.update_tracked_blog("https://example.org/", last_crawled="2026-01-02T03:04:05+00:00", last_status="finished")
    store.close()

    table = invoke("list", "--db", str(db)).output.splitlines()
    assert table[0].split() == ["url", "platform", "title", "last", "crawled", "last", "status"]
    assert table[1].split() == ["https://a.blogspot.com/", "blogger"]
    assert table[2].split() == ["https://example.org/", "wordpress", "Example", "2026-01-02T03:04:05+00:00", "finished"]

    listed = json.loads(invoke("list", "--json", "--db", str(db)).output)
    assert [(b["url"], b["platform"], b["title"], b["last_status"]) for b in listed] == [
        ("https://a.blogspot.com/", "blogger", None, None),
        ("https://example.org/", "wordpress", "Example", "finished"),
    ]
    assert set(listed[0]) >= {"url", "platform", "title", "blog_id", "enabled", "added", "last_crawled", "last_status"}


def test_list_of_an_empty_database(tmp_path):
    db = tmp_path / "t.db"
    Store(db).close()
    assert "no tracked blogs" in invoke("list", "--db", str(db)).output
    assert json.loads(invoke("list", "--json", "--db", str(db)).output) == []


# -- OPML ----------------------------------------------------------------------------------------


def test_opml_round_trip(tmp_path, no_internet):
    first, second, opml = tmp_path / "first.db", tmp_path / "second.db", tmp_path / "blogs.opml"
    invoke("add", "https://a.blogspot.com/", "--title", "Ä & <B>", "--db", str(first))
    invoke("add", "https://example.org/blog/", "--platform", "wordpress", "--db", str(first))
    invoke("add", "https://www.custom-domain.example/", "--platform", "blogger", "--title", "Custom", "--db", str(first))

    result = invoke("export-opml", str(opml), "--db", str(first))
    assert result.exit_code == 0, result.output
    # valid OPML 2.0 that a feed reader reads: a head, outlines with text, type, xmlUrl, htmlUrl
    root = etree.fromstring(opml.read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") and root.findtext("head/dateCreated")
    outlines = {o.get("htmlUrl"): o for o in root.iterfind("body/outline")}
    assert {url: o.get("xmlUrl") for url, o in outlines.items()} == {
        "https://a.blogspot.com/": "https://a.blogspot.com/feeds/posts/default",
        "https://example.org/blog/": "https://example.org/blog/feed/",
        "https://www.custom-domain.example/": "https://www.custom-domain.example/feeds/posts/default",
    }
    assert all(o.get("type") == "rss" and o.get("text") for o in outlines.values())
    assert outlines["https://a.blogspot.com/"].get("title") == "Ä & <B>"

    result = invoke("import-opml", str(opml), "--db", str(second))
    assert result.exit_code == 0, result.output
    assert "3 added, 0 already tracked" in result.output

    def listing(db):
        return [(r["url"], r["platform"], r["title"]) for r in tracked(db)]

    assert listing(second) == listing(first)
    assert no_internet == []  # every platform was told by its feed address

    # importing again adds nothing
    result = invoke("import-opml", str(opml), "--db", str(second))
    assert "0 added, 3 already tracked" in result.output
    assert listing(second) == listing(first)


def test_export_to_standard_output(tmp_path):
    db = tmp_path / "t.db"
    invoke("add", "https://a.blogspot.com/", "--db", str(db))
    result = invoke("export-opml", "--db", str(db))
    assert result.exit_code == 0
    assert etree.fromstring(result.stdout_bytes).find("body/outline").get("htmlUrl") == "https://a.blogspot.com/"


HAND_WRITTEN_OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions in a feed reader</title></head>
  <body>
    <outline text="Politics" title="Politics">
      <outline type="rss" text="Commentary on the news" title="Commentary on the news"
               xmlUrl="https://www.commentary.example/feeds/posts/default" htmlUrl="https://www.commentary.example/"/>
      <outline text="EU">
        <outline type="rss" text="A WordPress blog, feed only" xmlUrl="https://wp.example/blog/feed/"/>
        <outline type="rss" text="https://x.blogspot.com/feeds/posts/default?alt=rss"
                 xmlUrl="https://x.blogspot.com/feeds/posts/default?alt=rss"/>
      </outline>
    </outline>
    <outline text="Local">
      <outline type="rss" text="Replica" xmlUrl="{replica}atom.xml" htmlUrl="{replica}"/>
      <!-- the same blog in a second category -->
      <outline type="rss" text="Commentary again" xmlurl="https://www.commentary.example/feeds/posts/default"/>
      <outline type="rss" text="Only Blogger's own feed host" xmlUrl="https://www.blogger.com/feeds/12345/posts/default"/>
    </outline>
  </body>
</opml>
"""


def test_import_nested_categories_and_feed_only_entries(tmp_path, replica, no_internet):
    db, opml = tmp_path / "t.db", tmp_path / "subscriptions.opml"
    opml.write_text(HAND_WRITTEN_OPML.replace("{replica}", replica.url), encoding="utf-8")
    result = invoke("import-opml", str(opml), "--db", str(db))
    assert [(r["url"], r["platform"], r["title"]) for r in tracked(db)] == sorted([
        ("https://www.commentary.example/", "blogger", "Commentary on the news"),
        ("https://wp.example/blog/", "wordpress", "A WordPress blog, feed only"),
        ("https://x.blogspot.com/", "blogger", None),  # its text was only the address
        (replica.url, "blogger", "Replica"),  # atom.xml tells nothing: detected from the home page
    ])
    assert no_internet == [replica.url]
    # the one entry without a home page is reported, the rest added, and the exit code says so
    assert result.exit_code == 1
    assert "not added: https://www.blogger.com/feeds/12345/posts/default" in result.output
    assert "newscrawl add" in result.output
    assert "4 added, 0 already tracked, 1 not added" in result.output


def test_import_with_the_platform_named_makes_no_request(tmp_path, no_internet):
    db, opml = tmp_path / "t.db", tmp_path / "s.opml"
    opml.write_text('<opml version="2.0"><body><outline text="x" htmlUrl="http://127.0.0.1:9/"/></body></opml>')
    result = invoke("import-opml", str(opml), "--platform", "wordpress", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert [(r["url"], r["platform"]) for r in tracked(db)] == [("http://127.0.0.1:9/", "wordpress")]
    assert no_internet == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<opml version="2.0"><body><outline text="&c;" htmlUrl="https://a.blogspot.com/"/></body></opml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="x" htmlUrl="https://a.blogspot.com/">&xxe;</outline></body></opml>"""


@pytest.mark.parametrize("content, message", [
    (b"this is not xml <", "is not valid XML"),
    (b"<rss version='2.0'><channel/></rss>", "is not an OPML file: its root element is <rss>"),
    (b"<opml version='2.0'><head/></opml>", "it has no <body>"),
    (b"<opml version='2.0'><body><outline text='Empty category'/></body></opml>", "no blogs in it"),
    (BILLION_LAUGHS, "declares XML entities"),
    (EXTERNAL_ENTITY, "declares XML entities"),
    (BILLION_LAUGHS.decode().encode("utf-16"), "declares XML entities"),
])
def test_invalid_opml_is_refused_with_a_clear_message(tmp_path, content, message):
    db, opml = tmp_path / "t.db", tmp_path / "bad.opml"
    opml.write_bytes(content)
    result = invoke("import-opml", str(opml), "--db", str(db))
    assert result.exit_code != 0
    assert message in result.output
    assert str(opml) in result.output
    assert not db.exists()  # nothing created


def test_parse_opml_never_expands_entities_or_fetches():
    # without declarations an undefined entity is a plain syntax error, not a lookup
    with pytest.raises(OpmlError, match="not valid XML"):
        parse_opml(b'<opml><body><outline text="&undefined;" htmlUrl="https://a/"/></body></opml>')
    entries = parse_opml(b'<!DOCTYPE opml SYSTEM "http://127.0.0.1:9/opml.dtd"><opml version="2.0"><body>'
                         b'<outline text="A" htmlUrl="https://a.blogspot.com/"/></body></opml>')
    assert [(e.home, e.title, e.platform_hint) for e in entries] == [("https://a.blogspot.com/", "A", "blogger")]


def test_parse_opml_keeps_the_category_path():
    opml = HAND_WRITTEN_OPML.replace("{replica}", "http://127.0.0.1:1/").encode()
    categories = {e.title: e.categories for e in parse_opml(opml)}
    assert categories["Commentary on the news"] == ("Politics",)
    assert categories["A WordPress blog, feed only"] == ("Politics", "EU")
    assert categories["Replica"] == ("Local",)


# -- after a crawl -------------------------------------------------------------------------------


def test_record_crawls_fills_the_tracked_rows():
    store = Store(":memory:")
    store.track_blog("https://a.blogspot.com/", "blogger")
    store.write_rows(blogs=[{"id": "blogger:1", "url": "https://a.blogspot.com/", "title": "A blog"}])
    crawls = [
        {"blog_url": "https://a.blogspot.com/", "blog_id": "blogger:1", "status": "finished",
         "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:02:00+00:00"},
        {"blog_url": "https://not-tracked.example/", "blog_id": None, "status": "finished",
         "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:00:01+00:00"},
    ]
    assert record_crawls(store, crawls) == 1
    [row] = store.tracked_blogs()
    assert (row["last_crawled"], row["last_status"], row["blog_id"], row["title"]) == (
        "2026-01-01T00:02:00+00:00", "finished", "blogger:1", "A blog")
    # a crashed crawl (no blog seen, no end): its status and start are recorded, the rest kept
    record_crawls(store, [{"blog_url": "https://a.blogspot.com/", "blog_id": None, "status": "running",
                           "started": "2026-01-02T00:00:00+00:00", "finished": None}])
    [row] = store.tracked_blogs()
    assert (row["last_crawled"], row["last_status"], row["blog_id"]) == (
        "2026-01-02T00:00:00+00:00", "running", "blogger:1")
    store.close()


@pytest.mark.parametrize("started, finished, shown", [
    ("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:07+00:00", "7s"),
    ("2026-01-01T00:00:00+00:00", "2026-01-01T00:04:05+00:00", "4m05s"),
    ("2026-01-01T00:00:00+00:00", "2026-01-01T02:03:59+00:00", "2h03m"),
    ("2026-01-01T00:00:00+00:00", None, ""),
])
def test_duration_column(started, finished, shown):
    assert format_duration(started, finished) == shown
    row = {"blog_url": "https://a.blogspot.com/", "status": "finished", "started": started, "finished": finished,
           "requests": 3, "posts_new": 1, "posts_updated": 0, "comments_new": 2, "comments_updated": 0, "errors": 0}
    header, line = CrawlSummary([row]).table().splitlines()
    assert header.split()[:3] == ["blog", "status", "duration"]
    # the columns line up: the value starts under its header
    column = header.index("duration")
    assert line[column:].split()[0] == (shown or "3")


@pytest.mark.slow
def test_crawl_all_crawls_every_tracked_blog_and_notes_how_it_went(tmp_path, no_internet):
    db = tmp_path / "t.db"
    blogs = [generate_blog(posts=4, comments_per_post=2, seed=seed, big_post_comments=0) for seed in (21, 22, 23)]
    with ReplicaServer(blogs[0]) as one, ReplicaServer(blogs[1], template="threaded") as two, \
            ReplicaServer(blogs[2]) as untracked:
        for server in (one, two):
            assert invoke("add", server.url, "--platform", "blogger", "--db", str(db)).exit_code == 0
        command = [sys.executable, "-m", "newscrawl", "crawl", "--all", untracked.url, "--platform", "blogger",
                   "--db", str(db), *FAST_LOCAL,
                   # one blog at a time: each crawl that ends must start the next waiting one
                   "-s", "NEWSCRAWL_CONCURRENT_BLOGS=1"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        requests = {name: list(server.requests) for name, server in (("one", one), ("two", two))}
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]

    # no detection request for tracked blogs: robots.txt and the feeds only
    assert all("/" not in reqs for reqs in requests.values()), requests
    # progress: one line per blog as its crawl starts
    assert sum("blog 1/3: " in line or "blog 2/3: " in line or "blog 3/3: " in line
               for line in result.stderr.splitlines()) == 3
    # the summary: one line per crawl, with its duration
    summary = result.stdout.splitlines()
    assert summary[0].split()[:3] == ["blog", "status", "duration"]
    assert sorted(line.split()[0] for line in summary[1:]) == sorted([one.url, two.url, untracked.url])

    stored = {r["blog_id"]: r["n"] for r in rows(db, "select blog_id, count(*) as n from posts group by blog_id")}
    assert sorted(stored.values()) == [4, 4, 4]
    crawls = {r["blog_url"]: r for r in rows(db, "select * from crawls")}
    after = {r["url"]: r for r in tracked(db)}
    assert set(after) == {one.url, two.url}  # crawled, not added
    for url, row in after.items():
        assert row["last_status"] == "finished"
        assert row["last_crawled"] == crawls[url]["finished"]
        assert row["blog_id"] == crawls[url]["blog_id"] and row["blog_id"] in stored
        assert row["title"] == rows(db, "select title from blogs where id = ?", [row["blog_id"]])[0]["title"]
    assert no_internet == []
