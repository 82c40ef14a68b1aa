"""OPML both ways: an export is valid OPML 2.0 (every ``type="rss"`` outline has its ``xmlUrl``; a
blog whose feed is not known yet is a ``type="link"`` outline with its ``url``), an Atom feed
address imports, and importing an export into a fresh database gives the same list, without a
request (a detector that fails the test guards every path that would fetch a home page)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import etree

import newscrawl.tracking as tracking
from newscrawl.cli import cli
from newscrawl.storage import Store
from newscrawl.tracking import OPML_NAMESPACE, parse_opml

BLOGS = [  # (url, platform, title)
    ("https://a.blogspot.com/", "blogger", "A Blogger blog"),
    ("https://www.custom-domain.example/", "blogger", None),
    ("https://example.org/blog/", "wordpress", "Ä & <B>"),
    ("https://news.letter.example/", "substack", "A Substack on its own domain"),
    ("https://plain.example/feed.atom", "feed", "Tracked by its Atom feed"),
    ("https://crawled.example/", "feed", "A feed blog crawled once"),
    ("https://never-crawled.example/", "feed", "A feed blog not crawled yet"),
]
CRAWLED_FEED = "https://crawled.example/index.php/feeds/posts.xml"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def no_internet(monkeypatch):
    asked: list[str] = []

    def detect(url: str):
        asked.append(url)
        raise AssertionError(f"would fetch {url} to tell its platform")

    monkeypatch.setattr(tracking, "detect_platform", detect)
    return asked


def listing(db) -> list[tuple]:
    store = Store(db)
    try:
        return [(r["url"], r["platform"], r["title"]) for r in store.tracked_blogs()]
    finally:
        store.close()


@pytest.fixture
def tracked_db(tmp_path):
    db = tmp_path / "first.db"
    store = Store(db)
    try:
        for url, platform, title in BLOGS:
            assert store.track_blog(url, platform, title)
        # what the feed spider leaves after a crawl started from a home page
        store.save_crawl_state("https://crawled.example/", {"feed": CRAWLED_FEED, "site": "https://crawled.example/"})
    finally:
        store.close()
    return db


def exported(db, path) -> etree._Element:
    result = invoke("export-opml", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    return etree.fromstring(path.read_bytes())


def test_export_is_valid_opml_2(tracked_db, tmp_path):
    root = exported(tracked_db, tmp_path / "blogs.opml")
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    assert len(outlines) == len(BLOGS)
    for outline in outlines:
        assert outline.get("text"), "OPML 2.0: every outline has a text"
        if outline.get("type") == "rss":
            assert outline.get("xmlUrl", "").startswith("https://"), "OPML 2.0: an rss outline has its xmlUrl"
        else:
            assert outline.get("type") == "link" and outline.get("url", "").startswith("https://")
            assert outline.get("xmlUrl") is None
        assert outline.get(f"{{{OPML_NAMESPACE}}}platform") in {"blogger", "wordpress", "substack", "feed"}

    by_feed = {o.get("xmlUrl"): o.get("htmlUrl") for o in outlines if o.get("type") == "rss"}
    assert by_feed == {
        "https://a.blogspot.com/feeds/posts/default": "https://a.blogspot.com/",
        "https://www.custom-domain.example/feeds/posts/default": "https://www.custom-domain.example/",
        "https://example.org/blog/feed/": "https://example.org/blog/",
        "https://news.letter.example/feed": "https://news.letter.example/",
        "https://plain.example/feed.atom": None,  # the tracked address is the feed itself
        CRAWLED_FEED: "https://crawled.example/",  # the feed its last crawl read
    }
    links = [o.get("url") for o in outlines if o.get("type") == "link"]
    assert links == ["https://never-crawled.example/"]


def test_export_to_standard_output_declares_the_namespace_once(tracked_db):
    result = invoke("export-opml", "--db", str(tracked_db))
    assert result.exit_code == 0
    assert result.stdout.count(f'xmlns:newscrawl="{OPML_NAMESPACE}"') == 1


def test_round_trip_gives_the_same_list(tracked_db, tmp_path, no_internet):
    opml, second = tmp_path / "blogs.opml", tmp_path / "second.db"
    exported(tracked_db, opml)
    result = invoke("import-opml", str(opml), "--db", str(second))
    assert result.exit_code == 0, result.output
    assert f"{len(BLOGS)} added, 0 already tracked" in result.output
    assert listing(second) == listing(tracked_db)
    assert no_internet == []
    result = invoke("import-opml", str(opml), "--db", str(second))
    assert f"0 added, {len(BLOGS)} already tracked" in result.output


@pytest.mark.parametrize("xml_url, tracked_as", [
    ("https://plain.example/feed.atom", "https://plain.example/feed.atom"),
    ("https://plain.example/blog/feeds/all.atom.xml", "https://plain.example/blog/feeds/all.atom.xml"),
    ("feed://plain.example/feed.atom", "http://plain.example/feed.atom"),
    ("https://news.example/backend/rss.php", "https://news.example/backend/rss.php"),
])
def test_a_feed_alone_imports_as_a_plain_feed_blog(tmp_path, no_internet, xml_url, tracked_as):
    db, opml = tmp_path / "t.db", tmp_path / "reader.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head><title>Reader</title></head><body>'
                    f'<outline type="rss" text="Plain" title="Plain" xmlUrl="{xml_url}"/></body></opml>')
    result = invoke("import-opml", str(opml), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert listing(db) == [(tracked_as, "feed", "Plain")]
    assert no_internet == []


@pytest.mark.parametrize("xml_url", ["https://www.blogger.com/feeds/12345/posts/default",
                                     "https://feeds.feedburner.com/SomeBlog"])
def test_a_feed_on_a_feed_service_still_needs_its_home_page(tmp_path, no_internet, xml_url):
    """Blogger's feeds on www.blogger.com name the blog by id, FeedBurner's by a name of its own:
    their posts live on another host, so they are not tracked as plain feed blogs."""
    db, opml = tmp_path / "t.db", tmp_path / "reader.opml"
    opml.write_text(f'<opml version="2.0"><body><outline type="rss" text="B" xmlUrl="{xml_url}"/></body></opml>')
    result = invoke("import-opml", str(opml), "--db", str(db))
    assert result.exit_code == 1
    assert "newscrawl add" in result.output
    assert listing(db) == []


def test_link_outlines_of_other_files_import(tmp_path, no_internet):
    db, opml = tmp_path / "t.db", tmp_path / "links.opml"
    opml.write_text('<opml version="2.0"><body><outline type="link" text="A blog" '
                    'url="https://x.blogspot.com/"/></body></opml>')
    result = invoke("import-opml", str(opml), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert listing(db) == [("https://x.blogspot.com/", "blogger", "A blog")]


def test_the_platform_attribute_is_read_and_an_unknown_one_ignored():
    data = (f'<opml version="2.0" xmlns:n="{OPML_NAMESPACE}"><body>'
            '<outline type="rss" text="S" xmlUrl="https://n.example/feed" htmlUrl="https://n.example/" n:platform="substack"/>'
            '<outline type="rss" text="W" xmlUrl="https://w.example/feed/" n:platform="myspace"/>'
            '</body></opml>').encode()
    first, second = parse_opml(data)
    assert (first.platform, first.platform_hint, first.home) == ("substack", "substack", "https://n.example/")
    assert (second.platform, second.platform_hint, second.home) == (None, "wordpress", "https://w.example/")
