"""Plain-feed parsers: real RSS/Atom feeds (``real-pages``), autodiscovery on real pages, and the
paging links and comment feeds of the ``feedsite`` replica, checked against its own records."""

from __future__ import annotations

import pytest

from newscrawl.dates import DateContext
from newscrawl.loaders import html_to_text
from newscrawl.prepare import normalize_item_dates
from newscrawl.platforms import feed, syndication
from newscrawl.replica import generate_blog
from newscrawl.replica.feedsite import FeedSite, comment_tag, post_tag
from replica_compare import words


def real_feed(real_pages, path: str, url: str, **kwargs) -> feed.FeedPage:
    return feed.parse_feed((real_pages / path).read_bytes(), url, **kwargs)


# -- real feeds ----------------------------------------------------------------------------------


def test_rss2_with_full_content_and_comment_counts(real_pages):
    page = real_feed(real_pages, "wordpress/feed.rss2.dcrainmaker.xml", "https://www.dcrainmaker.com/feed/")
    assert page.format == "rss2" and page.entries == len(page.posts) == 8
    assert page.blog["id"] == "feed:dcrainmaker.com" and page.blog["title"] == "DC Rainmaker"
    assert page.blog["feed_mode"] == "full" and not page.summaries
    assert sum(p["comment_count"] for p in page.posts) == 635  # slash:comments
    first = page.posts[0]
    assert first["id"] == "feed:dcrainmaker.com:/?p=81603"  # guid https://www.dcrainmaker.com/?p=81603, same site
    assert first["url"] == "https://www.dcrainmaker.com/2017/11/trainers-power-meters-fenix5-sale.html"
    assert first["published_machine"] == "2017-11-09T05:00:00+00:00"
    assert first["published_raw"] == "Thu, 09 Nov 2017 05:00:00 +0000"
    assert first["comment_count"] == 148 and first["source"] == "feed"
    assert page.comment_feeds == {}  # the feed's wfw:commentRss elements are empty
    assert page.next_url is None


def test_rss_descriptions_with_read_more_links_are_summaries(real_pages):
    doc = syndication.read_feed((real_pages / "wordpress/feed.rss2.dcrainmaker.xml").read_bytes(),
                         "https://www.dcrainmaker.com/feed/")
    assert all(entry.summary_html and not feed.is_complete_body(entry.summary_html) for entry in doc.entries)
    assert all(feed.is_complete_body(entry.content_html) for entry in doc.entries)


def test_atom_summary_feed_with_rfc5005_next_link(real_pages):
    """A Blogger Atom feed read as any Atom feed: summaries only, thr:total, rel=next paging."""
    page = real_feed(real_pages, "blogger/feed.atom.cornetdesign.com.CoryFoy.xml",
                     "http://www.cornetdesign.com/feeds/posts/default")
    assert page.format == "atom" and page.entries == 25
    assert page.summary_only and page.blog["feed_mode"] == "summary"
    assert all(not p.get("content_html") for p in page.posts) and len(page.summaries) == 25
    assert sum(p["comment_count"] for p in page.posts) == 14
    assert page.next_url == "http://www.blogger.com/feeds/9251785/posts/default?start-index=26&max-results=25"
    assert page.blog["timezone"] == "-05:00"
    post = page.posts[1]
    assert post["url"] == "http://www.cornetdesign.com/2009/01/lean-kanban-conference-coming-to.html"
    assert post["platform_id"] == "tag:blogger.com,1999:blog-9251785.post-6459656768972712821"
    assert page.comment_feeds[post["id"]] == \
        "http://www.blogger.com/feeds/9251785/6459656768972712821/comments/default"


@pytest.mark.parametrize("path, comments, full", [
    ("blogger/feed.atom.OnRuby.xml", 36, False),
    ("blogger/feed.atom.Technoblog.feedburner.xml", 195, True),
])
def test_atom_comment_counts(real_pages, path, comments, full):
    page = real_feed(real_pages, path, "https://example.org/feed")
    assert sum(p["comment_count"] for p in page.posts) == comments
    assert (page.blog["feed_mode"] == "full") is full


def test_atom_feed_without_thread_counts(real_pages):
    page = real_feed(real_pages, "wordpress/feed.atom.OneFootTsunami.atom", "http://onefoottsunami.com/feed/atom/")
    assert page.entries == 25 and page.blog["feed_mode"] == "full"
    assert all(p.get("comment_count") is None for p in page.posts)  # no thr:total, no replies links
    assert page.posts[0]["published_machine"] == "2015-09-08T14:21:41Z"


def test_not_a_feed(real_pages):
    with pytest.raises(feed.NotAFeed):
        syndication.read_feed((real_pages / "other" / "regards.fr.spip-comments.html").read_bytes(), "http://x/")
    cut = (real_pages / "wordpress/feed.rss2.dcrainmaker.xml").read_bytes()[:5000]
    with pytest.raises(feed.NotAFeed):  # a feed cut short yields nothing, not half an entry
        syndication.read_feed(cut, "https://www.dcrainmaker.com/feed/")
    assert not syndication.looks_like_feed((real_pages / "other" / "regards.fr.spip-comments.html").read_bytes())
    assert syndication.looks_like_feed((real_pages / "wordpress/feed.rss2.dcrainmaker.xml").read_bytes())


# -- autodiscovery ------------------------------------------------------------------------------


def test_discovery_tells_posts_feed_from_comment_feeds(real_pages):
    url = "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/"
    found = syndication.discover_feeds((real_pages / "wordpress/lemire.me.json.html").read_bytes(), url)
    assert found.posts_feed == "https://lemire.me/blog/feed/"
    assert found.comments_feed == "https://lemire.me/blog/comments/feed/"  # not the post's own comment feed
    assert len(found.feeds) == 3


def test_discovery_resolves_relative_links_and_skips_a_posts_own_comment_feed(real_pages):
    found = syndication.discover_feeds((real_pages / "blogger/2ality.com.2011-06-ecmascript.html").read_bytes(),
                                "http://www.2ality.com/2011/06/ecmascript.html")
    assert found.posts_feed == "http://www.2ality.com/feeds/posts/default"  # Atom, listed before ?alt=rss
    assert found.comments_feed is None  # /feeds/POSTID/comments/default is one post's
    relative = syndication.discover_feeds(
        (real_pages / "substack/12gramsofcarbon.com.p.ilyas-30-papers-to-carmack-vlaes.html").read_bytes(),
        "https://12gramsofcarbon.com/p/ilyas-30-papers-to-carmack-vlaes")
    assert relative.posts_feed == "https://12gramsofcarbon.com/feed"


def test_discovery_finds_nothing_where_no_feed_is_advertised(real_pages):
    # toptal's rel=alternate links are translations (hreflang), not feeds
    found = syndication.discover_feeds((real_pages / "other/toptal.com.python-mistakes.disqus-static.html").read_bytes(),
                                "https://www.toptal.com/python/top-10-mistakes-that-python-programmers-make")
    assert found.posts_feed is None and found.feeds == []


# -- the replica: paging, summaries, comment feeds -------------------------------------------------


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=23, comments_per_post=4, seed=3, big_post_comments=30)


def served(site: FeedSite, path: str) -> bytes:
    status, _, body, _ = site.route(path, {})
    assert status == 200, path
    return body


def test_rfc5005_paged_feed(blog):
    site = FeedSite(blog, format="atom", content="full", paging="next")
    first = feed.parse_feed(served(site, "/feed.atom"), "http://127.0.0.1/feed.atom")
    assert first.next_url == "http://127.0.0.1/feed.atom?paged=2" and first.entries == 10
    third = feed.parse_feed(served(site, "/feed.atom?paged=3"), "http://127.0.0.1/feed.atom?paged=3")
    assert third.next_url is None and third.entries == 3
    assert [p["platform_id"] for p in first.posts] == [post_tag(p) for p in blog.posts[:10]]


def test_rfc5005_archived_feed(blog):
    site = FeedSite(blog, format="rss", content="full", paging="archive")
    url, ids, archives = "http://127.0.0.1/feed.xml", [], 0
    while url:
        page = feed.parse_feed(served(site, url.removeprefix("http://127.0.0.1")), url)
        archives += page.archive
        ids += [p["url"] for p in page.posts]
        url = page.next_url  # prev-archive: ever older
    assert ids == [site.post_url(p) for p in blog.posts] and archives == 2


def test_paged_feed_without_links(blog):
    site = FeedSite(blog, format="rss", content="summary", paging="paged")
    page = feed.parse_feed(served(site, "/feed.xml"), "http://127.0.0.1/feed.xml")
    assert page.next_url is None and page.entries == 10
    assert feed.paged_url("http://127.0.0.1/feed.xml", 2) == "http://127.0.0.1/feed.xml?paged=2"
    assert feed.paged_url("http://127.0.0.1/feed.xml?paged=2&x=1", 1) == "http://127.0.0.1/feed.xml?x=1"
    assert feed.page_number("http://127.0.0.1/feed.xml?paged=3") == 3
    assert site.route("/feed.xml?paged=4", {})[0] == 404  # past the end, as WordPress answers


@pytest.mark.parametrize("fmt, path", [("rss", "/feed.xml"), ("atom", "/feed.atom")])
def test_full_and_summary_feeds(blog, fmt, path):
    full = feed.parse_feed(served(FeedSite(blog, format=fmt, content="full"), path), f"http://127.0.0.1{path}")
    assert [words(p["content_text"]) for p in full.posts] == [words(p.content_text) for p in blog.posts[:10]]
    summary = feed.parse_feed(served(FeedSite(blog, format=fmt, content="summary"), path), f"http://127.0.0.1{path}")
    assert summary.summary_only and all(not p.get("content_html") for p in summary.posts)
    site = FeedSite(blog, format=fmt)
    assert [p["comment_count"] for p in full.posts] == [len(site.comments_of(p)) for p in blog.posts[:10]]
    assert full.comment_feeds[full.posts[0]["id"]] == f"http://127.0.0.1{site.comment_feed_path(blog.posts[0])}"


def test_atom_comment_feed_threads_replies(blog):
    site = FeedSite(blog, format="atom", paging="next", comment_page_size=100)
    post = max(blog.posts, key=lambda p: len(site.comments_of(p)))
    post_id = "feed:127.0.0.1:" + post_tag(post)
    page = feed.parse_comment_feed(served(site, site.comment_feed_path(post)), "http://127.0.0.1/c", post_id,
                                   "feed:127.0.0.1", (post_tag(post), site.post_url(post)))
    got = {c["platform_id"]: c for c in page.comments}
    expected = site.comments_of(post)
    assert set(got) == {c.comment_id for c in expected} and len(expected) == 30
    context = DateContext.from_hints("en", None)
    for comment in expected:
        item = normalize_item_dates(got[comment.comment_id], context)
        parent = f"{post_id}:c{comment.parent_id}" if comment.parent_id else None
        assert item["parent_id"] == parent and "parent_id" in item  # top level: the feed says so
        assert item["author"] == comment.author_name
        assert item["published"] == comment.published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        assert words(item["content_text"]) == words(comment.content_text)
        assert item["url"] == f"{site.post_url(post)}#comment-{comment.comment_id}"
    assert comment_tag(expected[0]).endswith(expected[0].comment_id)


def test_rss_comment_feed_pages_and_unknown_parents(blog):
    site = FeedSite(blog, format="rss", paging="next", comment_page_size=10)
    post = max(blog.posts, key=lambda p: len(site.comments_of(p)))
    path, read = site.comment_feed_path(post), []
    while path:
        page = feed.parse_comment_feed(served(site, path), f"http://127.0.0.1{path}", "P", "B",
                                       (site.post_url(post),))
        read += page.comments
        path = page.next_url.removeprefix("http://127.0.0.1") if page.next_url else None
    assert sorted(c["platform_id"] for c in read) == sorted(c.comment_id for c in site.comments_of(post))
    assert all("parent_id" not in c for c in read)  # RSS does not say: unknown, not "top level"


def test_blog_wide_comments_feed_names_the_posts(blog):
    site = FeedSite(blog, format="rss")
    page = feed.read_site_comments_feed(served(site, "/comments/feed.xml"), "http://127.0.0.1/comments/feed.xml")
    newest = sorted((c for p in blog.posts for c in site.comments_of(p)), key=lambda c: c.published,
                    reverse=True)[:25]
    assert [url for url, _ in page.comments] == [site.post_url(site.post_by_id[c.post_id]) for c in newest]


def test_post_page_body_and_comments(blog):
    site = FeedSite(blog, format="rss", content="summary", markup="list", comment_feeds=False)
    post = blog.posts[1]
    page = feed.read_post_page(served(site, post.path), site.post_url(post), "P", "B", title=post.title)
    assert words(html_to_text(page.body_html)) == words(post.content_text)
    assert page.comments.found == len(site.comments_of(post)) and page.language == "en"


def test_discovery_on_the_replica_home_page_lists_comments_feed_first(blog):
    site = FeedSite(blog, format="atom", comment_feeds=True)
    found = syndication.discover_feeds(served(site, "/"), "http://127.0.0.1/")
    assert found.feeds == ["http://127.0.0.1/comments/feed.atom", "http://127.0.0.1/feed.atom"]
    assert found.posts_feed == "http://127.0.0.1/feed.atom"
    assert found.comments_feed == "http://127.0.0.1/comments/feed.atom"
