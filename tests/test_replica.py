"""The local Blogger replica: deterministic ground truth, real-Blogger markup, feeds that page like Blogger's."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from lxml import html as lhtml

from newscrawl.replica import (DATE_HEADER_FORMATS, REMOVED_TEXT, ReplicaServer, format_datetime, generate_blog,
                               header_text, html_to_text)

ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearchrss/1.0/}"
THR = "{http://purl.org/syndication/thread/1.0}"
GD = "{http://schemas.google.com/g/2005}"


# ---------------------------------------------------------------------------------------------------- helpers

def fetch(url: str, headers: dict[str, str] | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get_text(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


def atom(url: str) -> etree._Element:
    status, headers, body = fetch(url)
    assert status == 200, url
    assert headers["Content-Type"] == "application/atom+xml; charset=UTF-8"
    return etree.fromstring(body)


def link(el: etree._Element, rel: str, type_: str | None = None) -> str | None:
    for ln in el.findall(f"{ATOM}link"):
        if ln.get("rel") == rel and (type_ is None or ln.get("type") == type_):
            return ln.get("href")
    return None


def all_entries(first_url: str) -> tuple[list[etree._Element], int, int]:
    """Follow rel=next from first_url; returns (entries, totalResults of the first page, pages fetched)."""
    url, entries, total, pages = first_url, [], None, 0
    while url:
        feed = atom(url)
        pages += 1
        if total is None:
            total = int(feed.findtext(f"{OS}totalResults"))
        entries += feed.findall(f"{ATOM}entry")
        url = link(feed, "next")
        assert pages < 1000
    return entries, total, pages


def collapse(s: str) -> str:
    return " ".join(s.split())


def node_text(el) -> str:
    """Text of an HTML element with <br> read as a line break (what a parser must do)."""
    return html_to_text(lhtml.tostring(el, encoding="unicode", with_tail=False))


# ---------------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=30, comments_per_post=5, seed=1)


@pytest.fixture(scope="module")
def minima(blog):
    with ReplicaServer(blog, template="minima", feeds="full") as server:
        yield server


@pytest.fixture(scope="module")
def threaded(blog):
    with ReplicaServer(blog, template="threaded", feeds="full") as server:
        yield server


@pytest.fixture(scope="module")
def simple(blog):
    with ReplicaServer(blog, template="simple", feeds="full") as server:
        yield server


@pytest.fixture(scope="module")
def contempo(blog):
    with ReplicaServer(blog, template="contempo", feeds="full") as server:
        yield server


@pytest.fixture(scope="module")
def dynamicviews(blog):
    with ReplicaServer(blog, template="dynamicviews", feeds="full") as server:
        yield server


@pytest.fixture()
def fresh():
    """A server on its own blog, for tests that add comments or posts."""
    b = generate_blog(posts=12, comments_per_post=3, seed=7, big_post_comments=0)
    with ReplicaServer(b, template="threaded") as server:
        yield b, server


def big_post(blog):
    return max(blog.posts, key=lambda p: len(p.comments))


# ---------------------------------------------------------------------------------------------------- ground truth

def snapshot(b):
    return [(p.post_id, p.path, p.title, p.published, p.updated, tuple(p.labels), p.content_text,
             [(c.comment_id, c.parent_id, c.author_name, c.author_url, c.published, c.removed, c.content_html)
              for c in p.comments]) for p in b.posts]


def test_same_seed_same_blog_other_seed_other_blog():
    a = generate_blog(posts=15, comments_per_post=4, seed=11)
    b = generate_blog(posts=15, comments_per_post=4, seed=11)
    c = generate_blog(posts=15, comments_per_post=4, seed=12)
    assert a.blog_id == b.blog_id and snapshot(a) == snapshot(b)
    assert a.blog_id != c.blog_id and snapshot(a) != snapshot(c)


def test_counts_ids_and_ordering(blog):
    assert len(blog.posts) == 30
    assert len(blog.all_comments()) == 29 * 5 + 320
    assert re.fullmatch(r"\d{19}", blog.blog_id)
    assert re.fullmatch(r"https://www\.blogger\.com/profile/\d+", blog.author_url)
    post_ids = [p.post_id for p in blog.posts]
    comment_ids = [c.comment_id for c in blog.all_comments()]
    assert len(set(post_ids)) == len(post_ids) and len(set(comment_ids)) == len(comment_ids)
    assert not set(post_ids) & set(comment_ids)
    assert len({p.path for p in blog.posts}) == 30
    pubs = [p.published for p in blog.posts]
    assert pubs == sorted(pubs, reverse=True)  # newest first
    assert len({p.published.year for p in blog.posts}) >= 3
    assert len({(p.published.year, p.published.month) for p in blog.posts}) >= 12
    for p in blog.posts:
        assert p.published.tzinfo is not None and p.published.microsecond == 0
        assert p.updated >= p.published
        assert re.fullmatch(rf"/{p.published.year}/{p.published.month:02d}/[a-z0-9-]+(_\d+)?\.html", p.path)
        assert p.comments == sorted(p.comments, key=lambda c: c.published)
        for c in p.comments:
            assert c.post_id == p.post_id
            assert c.published.utcoffset() == timedelta(0)
            assert c.published > p.published


def test_hard_cases_present(blog):
    comments = blog.all_comments()
    names = {c.author_name for c in comments}
    assert {"Anonymous", "Unknown", "Zoë Müller", "Алексей", "José"} <= names
    assert all(c.author_url is None for c in comments if c.author_name in ("Anonymous", "Unknown"))
    assert any(c.author_url and "blogger.com/profile/" in c.author_url for c in comments)
    assert any(c.author_url and "blogger.com" not in c.author_url for c in comments)  # own website
    assert {"author", "admin"} <= {c.removed for c in comments}
    assert any(c.is_blog_author and c.parent_id for c in comments)  # owner replies
    by_id = {c.comment_id: c for c in comments}
    replies = [c for c in comments if c.parent_id]
    assert replies
    for r in replies:
        parent = by_id[r.parent_id]
        assert parent.parent_id is None and parent.post_id == r.post_id and parent.published < r.published
    assert any(not p.comments for p in blog.posts)
    assert len(big_post(blog).comments) == 320
    htmls = [c.content_html for c in comments if not c.removed]
    assert any("<b>" in h for h in htmls) and any("<a href=" in h for h in htmls)
    assert any("<br />" in h for h in htmls)
    assert any("&lt;" in h and "&amp;" in h for h in htmls)
    assert any(re.search("[\U0001F300-\U0001FAFF]", c.content_text) for c in comments)
    assert any(c.removed == "author" and c.content_text == "This comment has been removed by the author."
               for c in comments)
    # a comment near midnight: the blog-local date differs from the UTC date
    assert any(c.published.astimezone(blog.tz).date() != c.published.date() for c in comments)
    # a comment months after its post
    post_of = {p.post_id: p for p in blog.posts}
    assert any(c.published - post_of[c.post_id].published > timedelta(days=60) for c in comments)
    # posts on both sides of a DST change
    assert len({p.published.utcoffset() for p in blog.posts}) == 2
    assert any(p.labels for p in blog.posts) and any(not p.labels for p in blog.posts)
    assert any(p.has_image for p in blog.posts)
    assert any(re.search(r"_\d\d\.html$", p.path) for p in blog.posts)  # duplicate slug in a month
    assert any(p.title == "" for p in blog.posts)  # an untitled post ("blog-post.html")


def test_post_content_is_news_commentary(blog):
    p = blog.posts[0]
    assert "<blockquote>" in p.content_html and "Read more</a> ...." in p.content_html
    assert "EDITOR:" in p.content_text
    assert re.search(r'href="https://(www\.)?[a-z.]+\.(com|de|fr|ch|org)/', p.content_html)
    outlets = {m for q in blog.posts for m in re.findall(r"<b>([^<:]+):", q.content_html)}
    assert len(outlets) >= 5


def test_display_formats():
    dt = datetime(2022, 2 , 27, 21, 12, tzinfo=timezone.utc)
    assert format_datetime(dt, "EEEE, MMMM d, yyyy") == "Sunday, February 27, 2022"
    assert format_datetime(dt, "MMMM d, yyyy 'at' h:mm a") == "February 27, 2022 at 9:12 PM"
    assert format_datetime(dt, "M/d/yyyy h:mm a") == "2/27/2022 9:12 PM"
    assert format_datetime(dt, "HH:mm") == "21:12"
    de = datetime(2015, 6, 5, 10, 23, tzinfo=timezone.utc)
    assert format_datetime(de, "EEEE, d. MMMM yyyy", "de") == "Freitag, 5. Juni 2015"
    assert format_datetime(de, "d. MMMM yyyy 'um' HH:mm", "de") == "5. Juni 2015 um 10:23"
    b = generate_blog(posts=3, comments_per_post=1, language="de", timezone="Europe/Berlin",
                      comment_timestamp_format="time")
    assert b.comment_timestamp_format == "HH:mm" and b.date_header_format == "EEEE, d. MMMM yyyy"


def test_generation_of_a_large_blog_is_fast():
    t0 = time.perf_counter()
    b = generate_blog(posts=10_000, comments_per_post=20, seed=5)
    elapsed = time.perf_counter() - t0
    n = sum(len(p.comments) for p in b.posts)
    print(f"\ngenerate_blog(10,000 posts x 20 comments): {n} comments in {elapsed:.2f}s")
    assert len(b.posts) == 10_000 and n == 9_999 * 20 + 320
    assert elapsed < 20


# ---------------------------------------------------------------------------------------------------- HTML

def test_robots_txt(minima):
    status, headers, body = fetch(minima.url + "robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=UTF-8"
    base = minima.url.rstrip("/")
    assert body.decode() == ("User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\n"
                             f"Allow: /\n\nSitemap: {base}/sitemap.xml\n")


def test_home_page(minima, blog):
    assert minima.url.startswith("http://127.0.0.1:") and minima.url.endswith("/")
    status, headers, body = fetch(minima.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=UTF-8"
    assert int(headers["Content-Length"]) == len(body)
    doc = lhtml.fromstring(body)
    assert doc.get("lang") == "en"
    assert doc.xpath("//meta[@name='generator']/@content") == ["blogger"]
    feeds = doc.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert feeds == [minima.url + "feeds/posts/default"]
    assert doc.xpath("//link[@rel='service.post']/@href") == [
        f"https://www.blogger.com/feeds/{blog.blog_id}/posts/default"]
    posts = doc.cssselect("div.post.hentry")
    assert len(posts) == 7
    titles = [a.text_content() for a in doc.cssselect("h3.post-title a")]
    assert titles == [p.title for p in blog.posts[:7] if p.title]
    older = doc.cssselect("a.blog-pager-older-link")[0].get("href")
    assert older.startswith(minima.url + "search?updated-max=") and older.endswith("&max-results=7")
    assert not doc.cssselect("#comments")  # no comment lists on index pages
    assert doc.cssselect("span.post-comment-link a.comment-link")
    # archive widget: every month listed; the newest month expanded with all its posts
    archive = doc.cssselect("div.widget.BlogArchive#BlogArchive1")[0]
    months = {(p.published.year, p.published.month) for p in blog.posts}
    links = set(archive.xpath(".//a[@class='post-count-link']/@href"))
    assert {f"{minima.url}{y}/{m:02d}/" for y, m in months} <= links
    newest = blog.posts[0]
    in_month = [p for p in blog.posts if (p.year, p.month) == (newest.year, newest.month)]
    expanded = archive.cssselect("li.archivedate.expanded ul.posts li a")
    assert [a.get("href") for a in expanded] == [minima.post_url(p) for p in in_month]


def test_month_archive_and_404(minima, blog):
    p = blog.posts[5]
    doc = lhtml.fromstring(get_text(f"{minima.url}{p.year}/{p.month:02d}/"))
    ids = [a.get("name") for a in doc.cssselect("div.post.hentry > a[name]")]
    assert ids == [q.post_id for q in blog.posts if (q.year, q.month) == (p.year, p.month)]
    status, headers, body = fetch(minima.url + "no/such/page.html")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"<html" in body
    assert fetch(f"{minima.url}{p.year}/{p.month:02d}/not-a-post.html")[0] == 404


def test_minima_post_page_markup(minima, blog):
    post = next(p for p in blog.posts if any(c.removed for c in p.comments) and p.title and len(p.comments) < 200)
    url = minima.post_url(post)
    doc = lhtml.fromstring(get_text(url))
    assert doc.cssselect("h3.post-title.entry-title")[0].text_content().strip() == post.title
    body = doc.cssselect(f"div.post-body.entry-content#post-body-{post.post_id}")[0]
    assert collapse(body.text_content()) == collapse(post.content_text)
    assert doc.cssselect("span.post-author.vcard span.fn")[0].text == post.author_name
    abbr = doc.cssselect("span.post-timestamp a.timestamp-link abbr.published")[0]
    assert datetime.fromisoformat(abbr.get("title")) == post.published
    date_header = doc.cssselect("h2.date-header span")[0].text
    assert date_header == format_datetime(post.published, blog.date_header_format)
    assert doc.cssselect("div.comments#comments h4")[0].text == f"{len(post.comments)} comments:"
    dts = doc.cssselect("dl#comments-block dt.comment-author")
    assert [dt.get("id") for dt in dts] == [f"c{c.comment_id}" for c in post.comments]
    for c in post.comments:
        dt = doc.get_element_by_id(f"c{c.comment_id}")
        assert ("blog-author" in dt.get("class").split()) == c.is_blog_author
        author_links = dt.xpath("./a[@rel='nofollow']")
        if c.author_url:
            assert author_links[0].get("href") == c.author_url and author_links[0].text == c.author_name
        else:
            assert not author_links
            assert c.author_name in dt.text_content()
        dd = doc.get_element_by_id(f"Blog1_cmt-{c.comment_id}")
        if c.removed:
            assert dd.cssselect("span.deleted-comment")[0].text == c.content_text
        else:
            assert collapse(node_text(dd.cssselect("p")[0])) == collapse(c.content_text)
        stamp = dd.getnext().cssselect("span.comment-timestamp a")[0]
        assert stamp.get("href") == f"{url}?showComment={int(c.published.timestamp() * 1000)}#c{c.comment_id}"
        assert stamp.text.strip() == format_datetime(c.published.astimezone(blog.tz), blog.comment_timestamp_format)


def test_zero_comment_post(minima, blog):
    post = next(p for p in blog.posts if not p.comments)
    doc = lhtml.fromstring(get_text(minima.post_url(post)))
    assert doc.cssselect("div.comments#comments h4")[0].text == "No comments:"
    assert not doc.cssselect("dt.comment-author")


@pytest.mark.parametrize("template", ["minima", "threaded", "simple", "contempo"])
def test_comment_paging(request, template, blog):
    server = request.getfixturevalue(template)
    post = big_post(blog)
    url = server.post_url(post)
    flat = template in ("minima", "simple")
    sel = "dt.comment-author" if flat else "li.comment"
    page1 = lhtml.fromstring(get_text(url))
    ids1 = [e.get("id") for e in page1.cssselect(sel)]
    pages = server.comment_pages(post)
    assert len(pages) == 2 and all(len(p) <= 200 for p in pages)
    if flat:
        assert ids1 == [f"c{c.comment_id}" for c in post.comments[:200]]
    assert set(ids1) == {f"c{c.comment_id}" for c in pages[0]}
    nxt = page1.cssselect("span.paging-control-container a.paging-control")
    assert nxt and nxt[0].get("href") == f"{url}?commentPage=2"
    page2 = lhtml.fromstring(get_text(f"{url}?commentPage=2"))
    ids2 = [e.get("id") for e in page2.cssselect(sel)]
    assert set(ids1).isdisjoint(ids2)
    assert set(ids1) | set(ids2) == {f"c{c.comment_id}" for c in post.comments}
    if flat:
        assert ids2 == [f"c{c.comment_id}" for c in post.comments[200:]]
    else:
        assert page1.cssselect("div.loadmore")[0].get("class") == "loadmore"
        assert page1.cssselect("div.loadmore")[0].get("data-post-id") == post.post_id
        assert page2.cssselect("div.loadmore")[0].get("class") == "loadmore hidden"
    c = post.comments[3]
    shown = lhtml.fromstring(get_text(f"{url}?showComment={int(c.published.timestamp() * 1000)}"))
    assert [e.get("id") for e in shown.cssselect(sel)] == ids1


def test_threaded_post_page_markup(threaded, blog):
    post = next(p for p in blog.posts if any(c.parent_id for c in p.comments) and len(p.comments) < 200
                and any(c.is_blog_author for c in p.comments))
    url = threaded.post_url(post)
    doc = lhtml.fromstring(get_text(url))
    assert doc.xpath("//meta[@itemprop='blogId']/@content") == [blog.blog_id]
    assert doc.xpath("//meta[@itemprop='postId']/@content") == [post.post_id]
    assert doc.cssselect("span.post-author.vcard span.fn a.g-profile")[0].get("href") == post.author_url
    top = doc.cssselect("div.comments#comments div.comments-content div.comment-thread.toplevel-thread ol#top-ra")[0]
    tops = [li.get("id") for li in top.xpath("./li[@class='comment']")]
    assert tops == [f"c{c.comment_id}" for c in post.comments if not c.parent_id]
    for c in post.comments:
        li = doc.get_element_by_id(f"c{c.comment_id}")
        header = li.cssselect("div.comment-block > div.comment-header")[0]
        cite = header.cssselect("cite.user")[0]
        assert cite.text_content() == c.author_name
        assert (cite.xpath("./a/@href") or [None])[0] == c.author_url
        icon = header.cssselect("span.icon.user")[0]
        assert ("blog-author" in icon.get("class").split()) == c.is_blog_author
        a = header.cssselect("span.datetime.secondary-text > a")[0]
        assert a.get("href") == f"{url}?showComment={int(c.published.timestamp() * 1000)}#c{c.comment_id}"
        p = li.cssselect("div.comment-block > p.comment-content")[0]
        if c.removed:
            assert p.cssselect("span.deleted-comment")[0].text == c.content_text
        else:
            assert collapse(node_text(p)) == collapse(c.content_text)
        if c.parent_id:  # nested under its parent: li#cPARENT > div.comment-replies > div#cPARENT-rt ... > li
            parent_li = li.xpath("ancestor::li[@class='comment'][1]")[0]
            assert parent_li.get("id") == f"c{c.parent_id}"
            assert li.xpath("ancestor::div[contains(@class,'comment-replies')]")
            assert li.xpath(f"ancestor::ol[@id='c{c.parent_id}-ra']")


def test_german_blog_markup():
    b = generate_blog(posts=10, comments_per_post=3, seed=4, language="de", timezone="Europe/Berlin",
                      big_post_comments=0)
    with ReplicaServer(b, template="threaded") as server:
        for post in b.posts:
            doc = lhtml.fromstring(get_text(server.post_url(post)))
            n = len(post.comments)
            want = "Keine Kommentare:" if n == 0 else "1 Kommentar:" if n == 1 else f"{n} Kommentare:"
            assert doc.cssselect("div.comments h4")[0].text == want
            assert doc.cssselect("h2.date-header span")[0].text == format_datetime(
                post.published, "EEEE, d. MMMM yyyy", "de")
            for c in post.comments:
                a = doc.get_element_by_id(f"c{c.comment_id}").cssselect("span.datetime a")[0]
                assert re.fullmatch(r"\d{1,2}\. [A-Za-zä]+ \d{4} um \d\d:\d\d", a.text)


def rich_post(blog):
    """A post with replies, a removed comment and an owner comment, small enough for one comment page."""
    return next(p for p in blog.posts if any(c.parent_id for c in p.comments) and len(p.comments) < 200
                and any(c.removed for c in p.comments) and any(c.is_blog_author for c in p.comments))


def classes(el) -> list[str]:
    return (el.get("class") or "").split()


def test_simple_post_page_markup(simple, blog):
    post = rich_post(blog)
    url = simple.post_url(post)
    doc = lhtml.fromstring(get_text(url))
    body_classes = classes(doc.body)
    assert "loading" in body_classes and {"variant-bold", "variant-simplysimple"} & set(body_classes)
    for sel in ("div.body-fauxcolumns", "div.content-outer", "div.main-inner div.columns.fauxcolumns",
                "div.column-center-inner div.main.section#main div.widget.Blog#Blog1", "div.tabs-outer"):
        assert doc.cssselect(sel), sel
    art = doc.cssselect("div.date-outer div.date-posts div.post-outer > div.post.hentry")[0]
    assert art.get("itemprop") == "blogPost" and art.get("itemtype") == "http://schema.org/BlogPosting"
    assert art.xpath("./meta[@itemprop='blogId']/@content") == [blog.blog_id]
    assert art.xpath("./meta[@itemprop='postId']/@content") == [post.post_id]
    assert art.xpath("./a/@name")[0] == post.post_id
    title = art.cssselect("h3.post-title.entry-title")[0]
    assert title.get("itemprop") == "name" and title.text_content().strip() == post.title
    abbr = art.cssselect("span.post-timestamp a.timestamp-link abbr.published")[0]
    assert abbr.get("itemprop") == "datePublished" and datetime.fromisoformat(abbr.get("title")) == post.published
    assert doc.cssselect("h2.date-header span")[0].text == format_datetime(post.published, blog.date_header_format)
    fn = art.cssselect("div.post-footer-line-1 span.post-author.vcard span.fn")[0]
    assert fn.get("itemprop") == "author"
    assert fn.cssselect("a.g-profile")[0].get("href") == post.author_url
    assert fn.xpath(".//span[@itemprop='name']/text()") == [post.author_name]
    body = art.cssselect(f"div.post-body.entry-content#post-body-{post.post_id}")[0]
    assert "articleBody" in body.get("itemprop").split()
    assert collapse(body.text_content()) == collapse(post.content_text)
    assert [a.text for a in art.cssselect("div.post-footer-line-2 span.post-labels a[rel='tag']")] == post.labels
    # classic comment list, then the embedded form with its own h4
    section = doc.cssselect("div.comments#comments")[0]
    h4s = section.xpath(".//h4")
    assert h4s[0].text == f"{len(post.comments)} comments:" == header_text("en", len(post.comments))
    assert h4s[1].get("id") == "comment-post-message" and h4s[1].text == "Post a Comment"
    assert section.cssselect("div.comment-form iframe#comment-editor")
    assert not doc.cssselect("li.comment") and not doc.cssselect("div.comment-thread")
    dts = section.cssselect("div#Blog1_comments-block-wrapper dl.avatar-comment-indent#comments-block > dt")
    assert [dt.get("id") for dt in dts] == [f"c{c.comment_id}" for c in post.comments]  # flat, chronological
    for c in post.comments:
        dt = doc.get_element_by_id(f"c{c.comment_id}")
        assert "comment-author" in classes(dt) and ("blog-author" in classes(dt)) == c.is_blog_author
        assert dt.xpath("./a/@name") == [f"c{c.comment_id}"]
        links = [a for a in dt.xpath(".//a[@rel='nofollow']")
                 if not a.xpath("ancestor::div[contains(@class,'avatar-image-container')]")]
        if c.author_url:
            assert links[0].get("href") == c.author_url and links[0].text == c.author_name
        else:
            assert not links and c.author_name in dt.text_content()
        assert collapse(dt.text_content()).endswith("said...")
        dd = doc.get_element_by_id(f"Blog1_cmt-{c.comment_id}")
        if c.removed:
            assert dd.cssselect("span.deleted-comment")[0].text == c.content_text
        else:
            assert collapse(node_text(dd.cssselect("p")[0])) == collapse(c.content_text)
        stamp = dd.getnext().cssselect("span.comment-timestamp a")[0]
        assert stamp.get("href") == f"{url}?showComment={c.epoch_ms}#c{c.comment_id}"
        assert stamp.text.strip() == format_datetime(c.published.astimezone(blog.tz), blog.comment_timestamp_format)


def test_simple_zero_comments_and_index(simple, blog):
    post = next(p for p in blog.posts if not p.comments)
    doc = lhtml.fromstring(get_text(simple.post_url(post)))
    assert doc.cssselect("div.comments#comments h4")[0].text == "No comments:"
    assert doc.cssselect("dl#comments-block") and not doc.cssselect("dl#comments-block dt")
    home = lhtml.fromstring(get_text(simple.url))
    assert [h.get("id") for h in home.cssselect("div.post-body.entry-content")] == [
        f"post-body-{p.post_id}" for p in blog.posts[:7]]
    assert home.cssselect("a.blog-pager-older-link") and home.cssselect("div.widget.BlogArchive a.post-count-link")


def test_contempo_post_page_markup(contempo, blog):
    post = rich_post(blog)
    url = contempo.post_url(post)
    doc = lhtml.fromstring(get_text(url))
    assert doc.get("lang") == "en" and doc.xpath("//meta[@name='generator']/@content") == ["blogger"]
    assert doc.cssselect("main#main div.widget.Blog#Blog1[data-version='2'] div.blog-posts.hfeed.container")
    art = doc.cssselect("div.blog-posts > article.post-outer-container")[0]
    el = art.cssselect("article > div.post-outer > div.post")[0]
    assert "hentry" not in classes(el) and not doc.cssselect("h2.date-header") and not doc.xpath("//*[@itemprop]")
    meta = json.loads(el.xpath("./script[@type='application/ld+json']/text()")[0])
    assert meta["@type"] == "BlogPosting" and meta["headline"] == post.title
    assert datetime.fromisoformat(meta["datePublished"]) == post.published
    assert meta["mainEntityOfPage"]["@id"] == url and meta["author"]["name"] == post.author_name
    assert el.xpath("./a/@name") == [post.post_id]
    assert el.cssselect("h3.post-title.entry-title")[0].text_content().strip() == post.title
    t = el.cssselect("div.post-header div.post-header-line-1 span.byline.post-timestamp a.timestamp-link "
                     "time.published")[0]
    assert datetime.fromisoformat(t.get("datetime")) == post.published == datetime.fromisoformat(t.get("title"))
    assert t.text.strip() == format_datetime(post.published, blog.date_header_format)
    body = el.cssselect(f"div.post-body.entry-content.float-container#post-body-{post.post_id}")[0]
    assert collapse(body.text_content()) == collapse(post.content_text)
    author = el.cssselect("div.post-bottom div.post-footer span.byline.post-author.vcard")[0]
    assert author.cssselect("span.post-author-label")[0].text.strip() == "Posted by"
    profile = author.cssselect("span.fn a.g-profile")[0]
    assert profile.get("href") == post.author_url and profile.cssselect("span")[0].text == post.author_name
    labels = el.cssselect("div.post-footer span.byline.post-labels")
    if post.labels:
        assert labels[0].cssselect("span.byline-label")[0].text == "Labels:"
        assert [a.text.strip() for a in labels[0].cssselect("a[rel='tag']")] == post.labels
    else:
        assert not labels
    section = art.cssselect("section.comments.threaded#comments")[0]
    assert section.get("data-num-comments") == str(len(post.comments))
    assert section.cssselect("h3.title")[0].text == "Comments"  # no count in the heading
    top = section.cssselect("div.comments-content div#comment-holder div.comment-thread.toplevel-thread ol#top-ra")[0]
    assert [li.get("id") for li in top.xpath("./li[@class='comment']")] == [
        f"c{c.comment_id}" for c in post.comments if not c.parent_id]
    for c in post.comments:
        li = doc.get_element_by_id(f"c{c.comment_id}")
        header = li.cssselect("div.comment-block > div.comment-header")[0]
        cite = header.cssselect("cite.user")[0]
        assert cite.text_content() == c.author_name and (cite.xpath("./a/@href") or [None])[0] == c.author_url
        assert ("blog-author" in classes(header.cssselect("span.icon.user")[0])) == c.is_blog_author
        link = header.cssselect("span.datetime.secondary-text > a")[0]
        assert link.get("href") == f"{url}?showComment={c.epoch_ms}#c{c.comment_id}"
        assert link.text == format_datetime(c.published.astimezone(blog.tz), blog.comment_timestamp_format)
        p = li.cssselect("div.comment-block > p.comment-content")[0]
        assert collapse(node_text(p)) == collapse(c.content_text)
        if c.removed:  # the bare sentence, as on current Blogger: no span.deleted-comment
            assert not p.cssselect("span") and p.text == REMOVED_TEXT["en"][c.removed]
        if c.parent_id:
            assert li.xpath("ancestor::li[@class='comment'][1]/@id") == [f"c{c.parent_id}"]
            assert li.xpath("ancestor::div[contains(@class,'comment-replies')]")
    assert doc.cssselect("p.comment-footer") or doc.cssselect("div.comment-form iframe#comment-editor")


def test_contempo_index_pages_show_snippets(contempo, blog):
    doc = lhtml.fromstring(get_text(contempo.url))
    arts = doc.cssselect("div.blog-posts > article.post-outer-container")
    assert len(arts) == 7 and not doc.cssselect("div.post-body.float-container")
    for art, p in zip(arts, blog.posts):
        snippet = art.cssselect(f"div.post-body.entry-content#post-snippet-{p.post_id} div.snippet-item")[0]
        text = snippet.text.strip()
        assert collapse(p.content_text).startswith(text.rstrip("…")) and len(text) <= 151
        assert art.cssselect("div.jump-link a")[0].get("href") == contempo.post_url(p) + "#more"
        link = art.cssselect("span.byline.post-comment-link a.comment-link")[0]
        n = len(p.comments)
        assert link.text.strip() == (f"{n} comment{'s' if n != 1 else ''}" if n else "Post a Comment")
    older = doc.cssselect("div.blog-pager.container#blog-pager a.blog-pager-older-link")[0]
    assert older.get("href").startswith(contempo.url + "search?updated-max=") and older.text.strip() == "More posts"
    months = doc.cssselect("div.widget.BlogArchive[data-version='2'] div.hierarchy-title a.post-count-link")
    assert {a.get("href") for a in months} >= {f"{contempo.url}{p.year}/{p.month:02d}/" for p in blog.posts}


def test_contempo_narrow_nbsp_timestamps():
    b = generate_blog(posts=6, comments_per_post=3, seed=9, big_post_comments=0, comment_timestamp_format="cldr42")
    with ReplicaServer(b, template="contempo") as server:
        post = next(p for p in b.posts if p.comments)
        doc = lhtml.fromstring(get_text(server.post_url(post)))
        for c in post.comments:
            text = doc.get_element_by_id(f"c{c.comment_id}").cssselect("span.datetime a")[0].text
            assert "\u202f" in text and re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d\d\u202f[AP]M", text)


def test_dynamicviews_shell_has_no_content(dynamicviews, blog):
    post = rich_post(blog)
    for url in (dynamicviews.url, dynamicviews.post_url(post), f"{dynamicviews.url}{post.year}/{post.month:02d}/"):
        html = get_text(url)
        doc = lhtml.fromstring(html)
        assert doc.xpath("//meta[@name='blogger-template']/@content") == ["dynamic"]
        assert doc.xpath("//meta[@name='generator']/@content") == ["blogger"]
        assert doc.cssselect("div.main.section#main") and not doc.cssselect("div.main.section#main *")
        for sel in (".post", ".hentry", ".post-body", "#comments", ".comment", ".date-header", "h3", "a[rel='tag']"):
            assert not doc.cssselect(sel), (url, sel)
        assert post.content_text.split("\n")[0] not in html
        assert f"'blogId': '{blog.blog_id}'" in html
    doc = lhtml.fromstring(get_text(dynamicviews.post_url(post)))
    assert doc.xpath("//link[@rel='canonical']/@href") == [dynamicviews.post_url(post)]
    assert doc.xpath("//meta[@property='og:title']/@content") == [post.title]
    html = get_text(dynamicviews.post_url(post))
    assert f"'postId': '{post.post_id}'" in html and "'pageType': 'item'" in html
    assert doc.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")[-1] == (
        f"{dynamicviews.url}feeds/{post.post_id}/comments/default")
    # the content is still all in the feeds
    assert atom(dynamicviews.url + "feeds/posts/default").findtext(f"{OS}totalResults") == "30"
    comments = atom(f"{dynamicviews.url}feeds/{post.post_id}/comments/default")
    assert comments.findtext(f"{OS}totalResults") == str(len(post.comments))
    assert fetch(dynamicviews.url + "no/such.html")[0] == 404


def test_dynamicviews_without_feeds_serves_nothing_readable(blog):
    with ReplicaServer(blog, template="dynamicviews", feeds="none") as server:
        doc = lhtml.fromstring(get_text(server.post_url(blog.posts[0])))
        assert not doc.xpath("//link[@type='application/atom+xml']") and not doc.cssselect(".post-body")
        assert fetch(server.url + "feeds/posts/default")[0] == 404


# ---------------------------------------------------------------------------------------------------- languages

NEW_LANGUAGES = ["fr", "es", "it", "pt", "ru", "nl"]
HEADERS = {  # (no comments, one, two, five)
    "fr": ("Aucun commentaire :", "1 commentaire :", "2 commentaires :", "5 commentaires :"),
    "es": ("No hay comentarios:", "1 comentario:", "2 comentarios:", "5 comentarios:"),
    "it": ("Nessun commento:", "1 commento:", "2 commenti:", "5 commenti:"),
    "pt": ("Nenhum comentário:", "1 comentário:", "2 comentários:", "5 comentários:"),
    "ru": ("Комментариев нет:", "1 комментарий:", "2 комментария:", "5 комментариев:"),
    "nl": ("Geen opmerkingen:", "1 opmerking:", "2 opmerkingen:", "5 opmerkingen:"),
    "de": ("Keine Kommentare:", "1 Kommentar:", "2 Kommentare:", "5 Kommentare:"),
    "en": ("No comments:", "1 comment:", "2 comments:", "5 comments:"),
}
SAID = {"fr": "a dit…", "es": "dijo...", "it": "ha detto...", "pt": "disse...", "ru": "сказал(а)...", "nl": "zei..."}


def test_language_tables_and_formats():
    dt = datetime(2022, 2, 27, 21, 12, tzinfo=timezone.utc)
    want = {
        "fr": ("dimanche 27 février 2022", "27 février 2022 à 21:12"),
        "es": ("domingo, 27 de febrero de 2022", "27 de febrero de 2022, 21:12"),
        "it": ("domenica 27 febbraio 2022", "27 febbraio 2022 alle ore 21:12"),
        "pt": ("domingo, 27 de fevereiro de 2022", "27 de fevereiro de 2022 às 21:12"),
        "ru": ("воскресенье, 27 февраля 2022 г.", "27 февраля 2022 г. в 21:12"),
        "nl": ("zondag 27 februari 2022", "27 februari 2022 om 21:12"),
    }
    for lang, (header, stamp) in want.items():
        b = generate_blog(posts=1, comments_per_post=0, language=lang)
        assert b.language == lang
        assert format_datetime(dt, b.date_header_format, lang) == header
        assert format_datetime(dt, b.comment_timestamp_format, lang) == stamp
    # Russian: genitive in dates, nominative when the month stands alone
    assert format_datetime(dt, "d MMMM yyyy", "ru") == "27 февраля 2022"
    assert format_datetime(dt, "MMMM yyyy", "ru") == "февраль 2022" == format_datetime(dt, "LLLL yyyy", "ru")
    assert format_datetime(dt, "EEE d MMM", "fr") == "dim. 27 févr."
    for lang, forms in HEADERS.items():
        assert tuple(header_text(lang, n) for n in (0, 1, 2, 5)) == forms
    assert [header_text("ru", n) for n in (11, 21, 22, 25, 112)] == [
        "11 комментариев:", "21 комментарий:", "22 комментария:", "25 комментариев:", "112 комментариев:"]
    with pytest.raises(ValueError):
        generate_blog(posts=1, language="xx")


@pytest.mark.parametrize("lang", NEW_LANGUAGES)
def test_language_pages(lang):
    b = generate_blog(posts=6, comments_per_post=4, seed=5, language=lang, timezone="Europe/Paris",
                      big_post_comments=0)
    assert {c.removed for c in b.all_comments()} >= {"author", "admin"}
    with ReplicaServer(b, template="minima") as server:
        for post in b.posts:
            doc = lhtml.fromstring(get_text(server.post_url(post)))
            assert doc.get("lang") == lang
            n = len(post.comments)
            assert doc.cssselect("div.comments h4")[0].text == header_text(lang, n)
            if n in (0, 1, 2, 5):
                assert doc.cssselect("div.comments h4")[0].text == HEADERS[lang][(0, 1, 2, 5).index(n)]
            assert doc.cssselect("h2.date-header span")[0].text == format_datetime(
                post.published, DATE_HEADER_FORMATS[lang], lang)
            for c in post.comments:
                dt = doc.get_element_by_id(f"c{c.comment_id}")
                assert collapse(dt.text_content()).endswith(SAID[lang])
                dd = doc.get_element_by_id(f"Blog1_cmt-{c.comment_id}")
                if c.removed:
                    assert dd.cssselect("span.deleted-comment")[0].text == REMOVED_TEXT[lang][c.removed]
                stamp = dd.getnext().cssselect("span.comment-timestamp a")[0].text.strip()
                assert stamp == format_datetime(c.published.astimezone(b.tz), b.comment_timestamp_format, lang)
        # the same headers in the other families
        post = max(b.posts, key=lambda p: len(p.comments))
        for template in ("threaded", "simple"):
            with ReplicaServer(b, template=template) as other:
                doc = lhtml.fromstring(get_text(other.post_url(post)))
                assert doc.cssselect("div.comments h4")[0].text == header_text(lang, len(post.comments))
        feed = atom(f"{server.url}feeds/{post.post_id}/comments/default")
        removed = [e for e in feed.findall(f"{ATOM}entry")
                   if any(p.get("name") == "blogger.contentRemoved" for p in e.findall(f"{GD}extendedProperty"))]
        for e in removed:
            assert e.findtext(f"{ATOM}content") in {html_escape(t) for t in REMOVED_TEXT[lang].values()}


def html_escape(s: str) -> str:
    import html
    return html.escape(s, quote=False)


# ---------------------------------------------------------------------------------------------------- blog states

def raw_get(server, path: str, headers: dict[str, str] | None = None):
    """One request without following redirects: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k: v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def small_blog():
    return generate_blog(posts=8, comments_per_post=2, seed=3, big_post_comments=0)


def test_state_private(small_blog):
    with ReplicaServer(small_blog, state="private") as server:
        post_path = server.post_url(small_blog.posts[1])[len(server.base):]
        for path in ("/", post_path, "/2024/", "/robots.txt", "/sitemap.xml", "/search?q=x"):
            status, headers, _ = raw_get(server, path)
            assert status == 302, path
            loc = urlsplit(headers["Location"])
            assert loc.path == "/blogin.g"
            q = parse_qs(loc.query)
            assert q["blogspotURL"] == [server.base + path] and q["type"] == ["blog"]
        for path in ("/feeds/posts/default", "/feeds/comments/default?alt=json", "/atom.xml"):
            assert raw_get(server, path)[0] == 401
        status, headers, _ = raw_get(server, "/")
        status, headers, _ = raw_get(server, headers["Location"][len(server.base):])
        assert status == 302 and headers["Location"].endswith("&bpli=1")
        status, _, body = raw_get(server, headers["Location"][len(server.base):])
        page = body.decode()
        assert status == 200 and "This blog is open to invited readers only" in page
        assert "It doesn't look like you have been invited to read this blog" in lhtml.fromstring(body).text_content()
        assert small_blog.posts[0].title not in page and "blogger" not in lhtml.fromstring(body).xpath(
            "string(//meta[@name='generator']/@content)")
        # urllib follows the chain to the sign-in page
        status, _, body = fetch(server.url)
        assert status == 200 and b"invited readers only" in body
    with ReplicaServer(small_blog, state="private", blogger_base="https://www.blogger.com") as server:
        loc = raw_get(server, "/")[1]["Location"]
        assert loc.startswith("https://www.blogger.com/blogin.g?blogspotURL=http")


@pytest.mark.parametrize("state,title,text", [
    ("deleted", "Blog has been removed", "has been removed. This address is not available for new blogs."),
    ("not_found", "Blog not found", "Sorry, the blog you were looking for does not exist."),
])
def test_state_gone(small_blog, state, title, text):
    with ReplicaServer(small_blog, state=state) as server:
        post_path = server.post_url(small_blog.posts[0])[len(server.base):]
        for path in ("/", post_path, "/robots.txt", "/sitemap.xml", "/feeds/posts/default",
                     "/feeds/comments/default?alt=json", f"/feeds/{small_blog.posts[0].post_id}/comments/default"):
            status, headers, body = raw_get(server, path)
            assert status == 404 and headers["Content-Type"].startswith("text/html"), path
            doc = lhtml.fromstring(body)
            assert doc.findtext(".//title") == title and text in doc.text_content()
            assert small_blog.posts[0].title not in body.decode()


def test_state_content_warning(small_blog):
    post = small_blog.posts[1]
    with ReplicaServer(small_blog, template="contempo", state="content_warning") as server:
        path = server.post_url(post)[len(server.base):]
        for p in ("/", path, "/2024/"):
            status, _, body = raw_get(server, p)
            doc = lhtml.fromstring(body)
            assert status == 200 and doc.xpath("string(//div[@id='maia-main']//h1)") == "Content warning"
            assert "may contain content only suitable for adults" in doc.text_content()
            assert not doc.cssselect(".post-body") and post.title not in body.decode()
            button = doc.cssselect("div#maia-main a.maia-button.maia-button-primary#continueButton")[0]
            assert urlsplit(button.get("href")).path == urlsplit(server.base + p).path
            assert "interstitial" in parse_qs(urlsplit(button.get("href")).query)
            assert doc.cssselect("a.maia-button.maia-button-secondary")
        # feeds, robots.txt and the sitemap are not interposed
        assert atom(server.url + "feeds/posts/default").findtext(f"{OS}totalResults") == "8"
        assert raw_get(server, "/robots.txt")[2].startswith(b"User-agent:")
        assert raw_get(server, "/sitemap.xml")[0] == 200
        # continue: ?interstitial=TOKEN sets a cookie and redirects back; with the cookie the blog is served
        href = lhtml.fromstring(raw_get(server, path)[2]).get_element_by_id("continueButton").get("href")
        status, headers, _ = raw_get(server, href[len(server.base):])
        assert status == 302 and headers["Location"] == server.base + path
        cookie = headers["Set-Cookie"].split(";")[0]
        status, _, body = raw_get(server, path, {"Cookie": cookie})
        doc = lhtml.fromstring(body)
        assert status == 200 and doc.cssselect(f"#post-body-{post.post_id}")
        assert raw_get(server, "/", {"Cookie": "blogger_interstitial=wrong"})[2].count(b"Content warning") >= 1
        # a cookie-keeping client gets through by following the button
        import http.cookiejar
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(href, timeout=10) as r:
            assert f"post-body-{post.post_id}".encode() in r.read()
        with opener.open(server.url, timeout=10) as r:
            assert b"article class='post-outer-container'" in r.read()


def test_unknown_state_and_template(small_blog):
    with pytest.raises(ValueError):
        ReplicaServer(small_blog, state="suspended")
    with pytest.raises(ValueError):
        ReplicaServer(small_blog, template="nope")


# ---------------------------------------------------------------------------------------------------- feeds

def test_posts_feed_structure(minima, blog):
    feed = atom(minima.url + "feeds/posts/default")
    assert feed.findtext(f"{ATOM}id") == f"tag:blogger.com,1999:blog-{blog.blog_id}"
    assert feed.findtext(f"{OS}totalResults") == "30"
    assert feed.findtext(f"{OS}startIndex") == "1" and feed.findtext(f"{OS}itemsPerPage") == "25"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 25
    assert link(feed, "next") == minima.url + "feeds/posts/default?start-index=26&max-results=25"
    for e, p in zip(entries, blog.posts):
        assert e.findtext(f"{ATOM}id") == f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{p.post_id}"
        assert datetime.fromisoformat(e.findtext(f"{ATOM}published")) == p.published
        assert datetime.fromisoformat(e.findtext(f"{ATOM}updated")) == p.updated
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d", e.findtext(f"{ATOM}published"))
        assert e.findtext(f"{ATOM}title") == p.title
        assert e.find(f"{ATOM}content").get("type") == "html"
        assert e.findtext(f"{ATOM}content") == p.content_html
        assert [c.get("term") for c in e.findall(f"{ATOM}category")] == p.labels
        assert link(e, "alternate") == minima.post_url(p)
        assert link(e, "replies", "application/atom+xml") == f"{minima.url}feeds/{p.post_id}/comments/default"
        assert int(e.findtext(f"{THR}total")) == len(p.comments)
        assert e.findtext(f"{ATOM}author/{ATOM}name") == blog.author_name
        assert e.findtext(f"{ATOM}author/{ATOM}email") == "noreply@blogger.com"


def test_posts_feed_paging_and_cap(blog):
    with ReplicaServer(blog, feed_cap=10) as server:
        entries, total, pages = all_entries(server.url + "feeds/posts/default?max-results=50")
        assert total == 30 and pages == 3 and len(entries) == 30
        first = atom(server.url + "feeds/posts/default?max-results=50")
        assert len(first.findall(f"{ATOM}entry")) == 10 and first.findtext(f"{OS}itemsPerPage") == "10"
        assert parse_qs(urlsplit(link(first, "next")).query) == {"start-index": ["11"], "max-results": ["10"]}
        ids = [e.findtext(f"{ATOM}id").rsplit("-", 1)[1] for e in entries]
        assert ids == [p.post_id for p in blog.posts]


def test_comment_feeds_match_ground_truth(minima, blog):
    entries, total, _ = all_entries(minima.url + "feeds/comments/default?max-results=150")
    comments = blog.all_comments()
    assert total == len(comments) == len(entries)
    by_id = {c.comment_id: c for c in comments}
    post_of = {p.post_id: p for p in blog.posts}
    published = [datetime.fromisoformat(e.findtext(f"{ATOM}published")) for e in entries]
    assert published == sorted(published, reverse=True)  # newest first
    for e in entries:
        cid = e.findtext(f"{ATOM}id").rsplit(".post-", 1)[1]
        c = by_id[cid]
        post = post_of[c.post_id]
        assert datetime.fromisoformat(e.findtext(f"{ATOM}published")) == c.published
        reply_to = e.find(f"{THR}in-reply-to")
        assert reply_to.get("ref") == f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}"
        assert reply_to.get("href") == minima.post_url(post)
        alt = link(e, "alternate")
        assert alt == f"{minima.post_url(post)}?showComment={int(c.published.timestamp() * 1000)}#c{cid}"
        related = link(e, "related")
        assert (related.rsplit("/", 1)[1] if related else None) == c.parent_id
        assert e.findtext(f"{ATOM}author/{ATOM}name") == c.author_name
        assert e.findtext(f"{ATOM}author/{ATOM}uri") == c.author_url
        props = {p.get("name"): p.get("value") for p in e.findall(f"{GD}extendedProperty")}
        assert props["blogger.displayTime"] == format_datetime(c.published.astimezone(blog.tz),
                                                               blog.comment_timestamp_format)
        assert props["blogger.itemClass"].startswith("pid-")
        assert ("blogger.contentRemoved" in props) == bool(c.removed)
        assert e.findtext(f"{ATOM}content") == c.content_html
    post = big_post(blog)
    per_post, total, pages = all_entries(f"{minima.url}feeds/{post.post_id}/comments/default?max-results=500")
    assert total == 320 == len(per_post) and pages == 3


def test_json_matches_atom(minima, blog):
    for path in ("feeds/posts/default", "feeds/comments/default", f"feeds/{big_post(blog).post_id}/comments/default"):
        xml = atom(f"{minima.url}{path}?max-results=40&start-index=3")
        status, headers, body = fetch(f"{minima.url}{path}?max-results=40&start-index=3&alt=json")
        assert status == 200 and headers["Content-Type"] == "application/json; charset=UTF-8"
        data = json.loads(body)
        assert data["version"] == "1.0" and data["encoding"] == "UTF-8"
        feed = data["feed"]
        assert feed["openSearch$totalResults"]["$t"] == xml.findtext(f"{OS}totalResults")
        assert feed["id"]["$t"] == xml.findtext(f"{ATOM}id")
        entries = feed["entry"]
        assert [e["id"]["$t"] for e in entries] == [e.findtext(f"{ATOM}id") for e in xml.findall(f"{ATOM}entry")]
        first = entries[0]
        assert {ln["rel"] for ln in first["link"]} >= {"self", "alternate"}
        assert "$t" in first["author"][0]["name"] and first["author"][0]["email"]["$t"] == "noreply@blogger.com"
        if path == "feeds/posts/default":
            assert first["thr$total"]["$t"].isdigit()
        else:
            assert first["thr$in-reply-to"]["ref"].startswith("tag:blogger.com,1999:blog-")
            assert {"blogger.itemClass", "blogger.displayTime"} <= {p["name"] for p in first["gd$extendedProperty"]}
    data = json.loads(fetch(minima.url + "feeds/posts/default?alt=json&start-index=999")[2])
    assert "entry" not in data["feed"] and data["feed"]["openSearch$totalResults"]["$t"] == "30"
    status, _, body = fetch(minima.url + "feeds/posts/default?alt=json-in-script&callback=cb&max-results=1")
    assert status == 200 and body.decode().startswith("// API callback\ncb({")


def test_updated_min_filter(minima, blog):
    cut = sorted(p.updated for p in blog.posts)[10]
    iso = cut.isoformat(timespec="milliseconds")
    q = iso.replace("+", "%2B")
    feed = atom(f"{minima.url}feeds/posts/default?orderby=updated&updated-min={q}&max-results=150")
    want = sorted((p for p in blog.posts if p.updated >= cut), key=lambda p: p.updated, reverse=True)
    assert feed.findtext(f"{OS}totalResults") == str(len(want)) == "20"
    assert [e.findtext(f"{ATOM}id").rsplit("-", 1)[1] for e in feed.findall(f"{ATOM}entry")] == [
        p.post_id for p in want]
    ignored = atom(f"{minima.url}feeds/posts/default?updated-min={q}")  # without orderby=updated: ignored
    assert ignored.findtext(f"{OS}totalResults") == "30"
    since = blog.all_comments()[0].published
    z = since.strftime("%Y-%m-%dT%H:%M:%S.") + f"{since.microsecond // 1000:03d}Z"
    feed = atom(f"{minima.url}feeds/comments/default?orderby=updated&updated-min={z}&max-results=150")
    assert int(feed.findtext(f"{OS}totalResults")) == sum(c.published >= since for c in blog.all_comments())


def test_summary_label_and_single_entry_feeds(blog, minima):
    with ReplicaServer(blog, feeds="summary") as server:
        e = atom(server.url + "feeds/posts/default?max-results=1").find(f"{ATOM}entry")
        assert e.find(f"{ATOM}content") is None
        assert e.find(f"{ATOM}summary").get("type") == "text"
        assert collapse(blog.posts[0].content_text).startswith(e.findtext(f"{ATOM}summary"))
    label = next(lb for p in blog.posts for lb in p.labels if " " in lb or "&" in lb) if any(
        " " in lb or "&" in lb for p in blog.posts for lb in p.labels) else blog.posts[0].labels[0]
    from urllib.parse import quote
    entries, total, _ = all_entries(f"{minima.url}feeds/posts/default/-/{quote(label, safe='')}")
    assert total == len(entries) == sum(label in p.labels for p in blog.posts) > 0
    p = blog.posts[3]
    single = atom(f"{minima.url}feeds/posts/default/{p.post_id}")
    assert single.tag == f"{ATOM}entry" and single.findtext(f"{ATOM}title") == p.title
    assert atom(minima.url + "feeds/posts/summary?max-results=1").find(f"{ATOM}entry/{ATOM}summary") is not None


def test_conditional_get(minima):
    url = minima.url + "feeds/comments/default?max-results=5"
    status, headers, body = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    status, _, body2 = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body2 == b""
    assert fetch(url, {"If-None-Match": '"something-else"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_feeds_none(blog):
    with ReplicaServer(blog, feeds="none") as server:
        for path in ("feeds/posts/default", "feeds/comments/default", f"feeds/{blog.posts[0].post_id}/comments/default",
                     "feeds/posts/default?alt=json"):
            assert fetch(server.url + path)[0] == 404
        doc = lhtml.fromstring(get_text(server.url))
        assert not doc.xpath("//link[@type='application/atom+xml']")
        assert doc.xpath("//meta[@name='generator']/@content") == ["blogger"]
        assert fetch(server.post_url(blog.posts[0]))[0] == 200


# ---------------------------------------------------------------------------------------------------- live changes

def test_add_comment_and_post_show_up(fresh):
    b, server = fresh
    post = next(p for p in b.posts if p.comments)
    parent = next(c for c in post.comments if not c.parent_id)
    c = server.add_comment(post.post_id, author="Zoë", text="new <comment> & more\nsecond line")
    r = server.add_comment(post.post_id, author=b.author_name, text="owner reply", parent_id=parent.comment_id)
    assert r.is_blog_author and r.parent_id == parent.comment_id and r.published >= c.published
    assert c.published.tzinfo == timezone.utc and c.published.microsecond % 1000 == 0
    assert c.content_text == "new <comment> & more\nsecond line"
    assert abs(c.published - datetime.now(timezone.utc)) < timedelta(seconds=30)
    first = atom(server.url + "feeds/comments/default?max-results=2").findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id").rsplit(".post-", 1)[1] for e in first] == [r.comment_id, c.comment_id]
    assert link(first[0], "related").endswith(f"/comments/default/{parent.comment_id}")
    assert first[1].findtext(f"{ATOM}content") == "new &lt;comment&gt; &amp; more<br />second line"
    per_post = atom(f"{server.url}feeds/{post.post_id}/comments/default")
    assert per_post.findtext(f"{OS}totalResults") == str(len(post.comments))
    doc = lhtml.fromstring(get_text(server.post_url(post)))
    li = doc.get_element_by_id(f"c{r.comment_id}")
    assert li.xpath("ancestor::li[@class='comment'][1]/@id") == [f"c{parent.comment_id}"]
    assert doc.get_element_by_id(f"c{c.comment_id}").cssselect("cite.user")[0].text == "Zoë"
    with pytest.raises(ValueError):
        server.add_comment(post.post_id, text="reply to a reply", parent_id=r.comment_id)
    p = server.add_post(title="Breaking: a new post", text="First paragraph.\nSecond & last.")
    assert b.posts[0] is p and p.published.tzinfo is not None
    assert p.path == f"/{p.published.year}/{p.published.month:02d}/breaking-new-post.html"
    feed = atom(server.url + "feeds/posts/default?max-results=1")
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Breaking: a new post"
    home = lhtml.fromstring(get_text(server.url))
    assert home.cssselect("h3.post-title a")[0].get("href") == server.post_url(p)
    page = lhtml.fromstring(get_text(server.post_url(p)))
    assert collapse(page.cssselect(f"#post-body-{p.post_id}")[0].text_content()) == collapse(p.content_text)
    assert "/feeds/comments/default?max-results=2" in server.requests


def test_requests_log_and_keep_alive(fresh):
    import http.client
    b, server = fresh
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    for path in ("/", "/robots.txt", "/feeds/posts/default?start-index=1&max-results=150"):
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200 and resp.getheader("Content-Length")
    conn.close()
    assert server.requests[-3:] == ["/", "/robots.txt", "/feeds/posts/default?start-index=1&max-results=150"]


# ---------------------------------------------------------------------------------------------------- edits, removals

class FakeClock:
    """A clock the test moves by hand (live changes are stamped with it)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **kw) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@pytest.fixture()
def live():
    """A minima server on its own blog with a fake clock (well after every generated time)."""
    b = generate_blog(posts=12, comments_per_post=4, seed=11, big_post_comments=0)
    clock = FakeClock(datetime(2027, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc))
    with ReplicaServer(b, template="minima", clock=clock) as server:
        yield b, server, clock


def zq(dt: datetime) -> str:
    """A query-string time with milliseconds, in UTC ('Z': nothing to percent-encode)."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def entry_ids(feed) -> list[str]:
    return [re.split(r"\.post-", e.findtext(f"{ATOM}id"))[-1] for e in feed.findall(f"{ATOM}entry")]


def props(entry) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in entry.findall(f"{GD}extendedProperty")}


def test_comment_updated_is_a_field_defaulting_to_published(blog):
    for c in blog.all_comments()[:50]:
        assert c.updated == c.published
    assert any(c.removed for c in blog.all_comments())  # generated removals keep updated == published


def test_edit_post(live):
    b, server, clock = live
    post = b.posts[4]
    old_updated, old_path, old_published = post.updated, post.path, post.published
    feed_url = server.url + "feeds/posts/default?max-results=150"
    s0, h0, _ = fetch(feed_url)
    assert s0 == 200 and fetch(feed_url, {"If-None-Match": h0["ETag"]})[0] == 304  # nothing changed: 304
    assert fetch(feed_url, {"If-Modified-Since": h0["Last-Modified"]})[0] == 304
    before = clock.tick(seconds=5)
    p = server.edit_post(post.post_id, title="Corrected: the <new> title", text="Fresh body & more.\nLine two.",
                         labels=["Zeta", "alpha"])
    assert p is post and p.path == old_path and p.published == old_published
    assert p.updated > old_updated and p.updated == before.replace(microsecond=123000)
    assert p.updated.tzinfo is not None and p.updated.utcoffset() == before.astimezone(b.tz).utcoffset()
    assert p.labels == ["alpha", "Zeta"] and p.content_text == "Fresh body & more.\nLine two." and not p.has_image
    # the feeds show the new updated, title and content
    e = atom(f"{server.url}feeds/posts/default/{post.post_id}")
    assert datetime.fromisoformat(e.findtext(f"{ATOM}updated")) == p.updated
    assert datetime.fromisoformat(e.findtext(f"{ATOM}published")) == old_published
    assert e.findtext(f"{ATOM}title") == "Corrected: the <new> title"
    assert "Fresh body &amp; more.<br />" in e.findtext(f"{ATOM}content")
    assert [c.get("term") for c in e.findall(f"{ATOM}category")] == ["alpha", "Zeta"]
    # incremental: orderby=updated&updated-min just before the edit -> only this post
    inc = atom(f"{server.url}feeds/posts/default?orderby=updated&updated-min={zq(before - timedelta(seconds=1))}")
    assert inc.findtext(f"{OS}totalResults") == "1" and entry_ids(inc) == [post.post_id]
    exact = atom(f"{server.url}feeds/posts/default?orderby=updated&updated-min={zq(p.updated)}")  # inclusive
    assert entry_ids(exact) == [post.post_id]
    next_ms = zq(p.updated + timedelta(milliseconds=1))
    after = atom(f"{server.url}feeds/posts/default?orderby=updated&updated-min={next_ms}")
    assert after.findtext(f"{OS}totalResults") == "0" and after.find(f"{ATOM}entry") is None
    # published order is unchanged; orderby=updated puts it first
    assert entry_ids(atom(feed_url)) == [x.post_id for x in b.posts]
    assert entry_ids(atom(feed_url + "&orderby=updated"))[0] == post.post_id
    # the post page shows the new content; the label feed has it
    doc = lhtml.fromstring(get_text(server.post_url(post)))
    assert doc.cssselect("h3.post-title.entry-title")[0].text_content().strip() == "Corrected: the <new> title"
    body = doc.cssselect(f"#post-body-{post.post_id}")[0]
    assert collapse(body.text_content()) == "Fresh body & more. Line two."
    assert post.post_id in entry_ids(atom(server.url + "feeds/posts/default/-/Zeta"))
    # conditional GET: the body and Last-Modified changed
    s1, h1, _ = fetch(feed_url, {"If-None-Match": h0["ETag"]})
    assert s1 == 200 and h1["ETag"] != h0["ETag"]
    assert fetch(feed_url, {"If-Modified-Since": h0["Last-Modified"]})[0] == 200
    assert parse_http_date(h1["Last-Modified"]) > parse_http_date(h0["Last-Modified"])
    assert fetch(feed_url, {"If-None-Match": h1["ETag"]})[0] == 304
    # html wins over text; title/labels untouched when not given; every edit moves updated forward (same clock)
    t0 = p.updated
    q = server.edit_post(post.post_id, html="<p>Only <b>HTML</b></p>", text="ignored")
    assert q.content_html == "<p>Only <b>HTML</b></p>" and q.content_text == "Only HTML"
    assert q.title == "Corrected: the <new> title" and q.labels == ["alpha", "Zeta"]
    t1 = q.updated
    assert t1 == t0 + timedelta(milliseconds=1)  # the clock stood still
    server.edit_post(post.post_id, labels=[])
    assert post.labels == [] and post.updated == t1 + timedelta(milliseconds=1)
    with pytest.raises(KeyError):
        server.edit_post("123", title="x")


def parse_http_date(s: str) -> datetime:
    from email.utils import parsedate_to_datetime
    return parsedate_to_datetime(s)


def test_remove_comment(live):
    b, server, clock = live
    post = next(p for p in b.posts if sum(not c.removed for c in p.comments) >= 2)
    c1, c2 = [c for c in post.comments if not c.removed][:2]
    pub1 = c1.published
    comments_url = server.url + "feeds/comments/default?max-results=150"
    post_comments_url = f"{server.url}feeds/{post.post_id}/comments/default"
    _, hc0, _ = fetch(comments_url)
    _, hp0, _ = fetch(post_comments_url)
    n_before = len(post.comments)
    since = clock.tick(minutes=1)
    r = server.remove_comment(c1.comment_id, by="admin")
    assert r is c1 and c1.removed == "admin" and c1.published == pub1
    assert c1.updated == since.replace(microsecond=123000) and c1.updated > c1.published
    assert c1.content_text == REMOVED_TEXT["en"]["admin"] and c1.content_html == REMOVED_TEXT["en"]["admin"]
    clock.tick(seconds=2)
    new = server.add_comment(post.post_id, author="Late", text="after the removal")
    clock.tick(seconds=2)
    server.remove_comment(c2.comment_id)  # by the author (default)
    assert c2.removed == "author" and c2.updated > new.published
    # incremental crawl of the blog's comments: new and removed ones, newest updated first
    inc = atom(f"{server.url}feeds/comments/default?orderby=updated&updated-min={zq(since)}")
    assert inc.findtext(f"{OS}totalResults") == "3"
    assert entry_ids(inc) == [c2.comment_id, new.comment_id, c1.comment_id]
    entries = inc.findall(f"{ATOM}entry")
    assert datetime.fromisoformat(entries[2].findtext(f"{ATOM}updated")) == c1.updated
    assert datetime.fromisoformat(entries[2].findtext(f"{ATOM}published")) == pub1
    assert props(entries[2])["blogger.contentRemoved"] == "true" and "blogger.contentRemoved" not in props(entries[1])
    assert entries[2].findtext(f"{ATOM}content") == REMOVED_TEXT["en"]["admin"]
    assert entries[0].findtext(f"{ATOM}content") == REMOVED_TEXT["en"]["author"]
    # paging through the same selection: totalResults stays, rel=next walks it
    got, total, pages = all_entries(f"{server.url}feeds/comments/default?orderby=updated&updated-min={zq(since)}"
                                    f"&max-results=1")
    assert total == 3 and pages == 3 and [re.split(r"\.post-", e.findtext(f"{ATOM}id"))[-1] for e in got] == [
        c2.comment_id, new.comment_id, c1.comment_id]
    # updated-max (exclusive), the per-post feed, and updated-min ignored without orderby=updated
    mx = atom(f"{server.url}feeds/comments/default?orderby=updated&updated-min={zq(since)}"
              f"&updated-max={zq(c2.updated)}")
    assert entry_ids(mx) == [new.comment_id, c1.comment_id]
    per_post = atom(f"{post_comments_url}?orderby=updated&updated-min={zq(since)}")
    assert entry_ids(per_post) == [c2.comment_id, new.comment_id, c1.comment_id]
    ignored = atom(f"{server.url}feeds/comments/default?updated-min={zq(since)}&max-results=1")
    assert int(ignored.findtext(f"{OS}totalResults")) == len(b.all_comments())
    # by published (default order) the removed comment keeps its place
    by_pub = entry_ids(atom(comments_url))
    want = sorted(b.all_comments(), key=lambda c: (c.published, c.comment_id), reverse=True)
    assert by_pub == [c.comment_id for c in want]
    # single entry; counts unchanged by a removal; the page shows the sentence
    single = atom(f"{post_comments_url}/{c1.comment_id}")
    assert datetime.fromisoformat(single.findtext(f"{ATOM}updated")) == c1.updated
    assert len(post.comments) == n_before + 1
    pe = atom(f"{server.url}feeds/posts/default/{post.post_id}")
    assert pe.findtext(f"{THR}total") == str(n_before + 1)
    doc = lhtml.fromstring(get_text(server.post_url(post)))
    assert doc.get_element_by_id(f"Blog1_cmt-{c1.comment_id}").cssselect("span.deleted-comment")[0].text == \
        REMOVED_TEXT["en"]["admin"]
    assert doc.cssselect("div.comments#comments h4")[0].text == f"{n_before + 1} comments:"
    # conditional GET: Last-Modified moved forward on both comment feeds
    for url, h0 in ((comments_url, hc0), (post_comments_url, hp0)):
        s1, h1, _ = fetch(url, {"If-Modified-Since": h0["Last-Modified"]})
        assert s1 == 200 and parse_http_date(h1["Last-Modified"]) > parse_http_date(h0["Last-Modified"])
        assert fetch(url, {"If-Modified-Since": h1["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-None-Match": h1["ETag"]})[0] == 304
    with pytest.raises(ValueError):
        server.remove_comment(c1.comment_id)  # already removed
    with pytest.raises(ValueError):
        server.remove_comment(new.comment_id, by="someone")
    with pytest.raises(KeyError):
        server.remove_comment("42")


def test_remove_comment_in_other_templates_and_languages():
    b = generate_blog(posts=6, comments_per_post=3, seed=5, big_post_comments=0, language="de")
    post = next(p for p in b.posts if any(not c.removed for c in p.comments))
    c = next(c for c in post.comments if not c.removed)
    with ReplicaServer(b, template="contempo") as server:
        server.remove_comment(c.comment_id, by="admin")
        doc = lhtml.fromstring(get_text(server.post_url(post)))
        assert REMOVED_TEXT["de"]["admin"] in doc.get_element_by_id(f"c{c.comment_id}").text_content()
        assert abs(c.updated - datetime.now(timezone.utc)) < timedelta(seconds=30)  # the system clock


def test_delete_comment(live):
    b, server, clock = live
    post = next(p for p in b.posts if any(c.parent_id for c in p.comments))
    other = next(p for p in b.posts if p.comments and p is not post)
    parent = next(c for c in post.comments if any(r.parent_id == c.comment_id for r in post.comments))
    replies = [r for r in post.comments if r.parent_id == parent.comment_id]
    n_post, n_blog = len(post.comments), len(b.all_comments())
    urls = [server.url + "feeds/comments/default?max-results=150", f"{server.url}feeds/{post.post_id}/comments/default",
            server.url + "feeds/posts/default?max-results=150", f"{server.url}feeds/posts/default/{post.post_id}"]
    before = {u: fetch(u)[1] for u in urls}
    other_url = f"{server.url}feeds/{other.post_id}/comments/default"
    _, other_h, _ = fetch(other_url)
    clock.tick(seconds=3)
    gone = server.delete_comment(parent.comment_id)
    assert gone == [parent] + replies
    ids = {g.comment_id for g in gone}
    assert len(post.comments) == n_post - len(gone) and not ids & {c.comment_id for c in post.comments}
    assert len(b.all_comments()) == n_blog - len(gone)
    # gone from every feed; totals and thr:total drop
    blog_feed = atom(urls[0])
    assert blog_feed.findtext(f"{OS}totalResults") == str(n_blog - len(gone))
    assert not ids & set(entry_ids(blog_feed))
    per_post = atom(urls[1])
    assert per_post.findtext(f"{OS}totalResults") == str(len(post.comments))
    assert entry_ids(per_post) == [c.comment_id for c in sorted(post.comments, key=lambda c: c.published,
                                                                  reverse=True)]
    pe = atom(urls[3])
    assert pe.findtext(f"{THR}total") == str(len(post.comments))
    assert link(pe, "replies", "text/html") and f"{len(post.comments)} Comments" in [
        ln.get("title") for ln in pe.findall(f"{ATOM}link")]
    assert fetch(f"{urls[1]}/{parent.comment_id}")[0] == 404
    inc = atom(f"{server.url}feeds/comments/default?orderby=updated&updated-min={zq(clock.now - timedelta(seconds=1))}")
    assert inc.findtext(f"{OS}totalResults") == "0"  # a deletion leaves no entry
    # gone from the page; the count drops
    doc = lhtml.fromstring(get_text(server.post_url(post)))
    assert not [i for i in ids if doc.xpath(f"//*[@id='c{i}']")]
    assert doc.cssselect("div.comments#comments h4")[0].text == header_text("en", len(post.comments))
    # Last-Modified moved forward on every feed that showed them; other posts' comment feeds unchanged
    for u in urls:
        s1, h1, _ = fetch(u, {"If-Modified-Since": before[u]["Last-Modified"]})
        assert s1 == 200, u
        assert parse_http_date(h1["Last-Modified"]) > parse_http_date(before[u]["Last-Modified"]), u
        assert h1["ETag"] != before[u]["ETag"]
        assert fetch(u, {"If-None-Match": h1["ETag"]})[0] == 304
    assert fetch(other_url, {"If-Modified-Since": other_h["Last-Modified"]})[0] == 304
    assert fetch(other_url, {"If-None-Match": other_h["ETag"]})[0] == 304
    # deleting a reply deletes only it; unknown ids raise
    r = next((c for c in post.comments if c.parent_id), None) or server.add_comment(
        post.post_id, text="a reply", parent_id=next(c for c in post.comments if not c.parent_id).comment_id)
    n = len(post.comments)
    assert server.delete_comment(r.comment_id) == [r] and len(post.comments) == n - 1
    with pytest.raises(KeyError):
        server.delete_comment(parent.comment_id)
    # a new comment after the deletions gets a fresh id and shows up
    c = server.add_comment(post.post_id, text="still open")
    assert c.comment_id not in ids and entry_ids(atom(urls[1] + "?max-results=1")) == [c.comment_id]


def test_live_changes_from_threads(live):
    import threading
    b, server, clock = live
    post = b.posts[0]
    errors: list[BaseException] = []

    def work(k: int):
        try:
            for i in range(10):
                c = server.add_comment(post.post_id, text=f"t{k} c{i}")
                if i % 3 == 0:
                    server.remove_comment(c.comment_id)
                elif i % 3 == 1:
                    server.delete_comment(c.comment_id)
                server.edit_post(post.post_id, title=f"t{k} {i}")
                fetch(server.url + "feeds/comments/default?orderby=updated&max-results=5")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    mine = [c for c in post.comments if c._html and c._html.startswith("t")]  # deleted ones are gone
    assert len(mine) == 4 * 7 and sum(1 for c in mine if c.removed == "author") == 4 * 4  # i = 0, 3, 6, 9
    stamps = [c.updated for c in post.comments] + [post.updated]
    assert len(set(stamps)) == len(stamps)  # the standing clock still gave every change its own millisecond
    feed = atom(f"{server.url}feeds/{post.post_id}/comments/default?orderby=updated&max-results=150")
    assert entry_ids(feed) == [c.comment_id for c in sorted(post.comments, key=lambda c: (c.updated, c.comment_id),
                                                               reverse=True)]


# ---------------------------------------------------------------------------------------------------- package shape

def replica_imports() -> dict[str, set[str]]:
    """Each module of ``newscrawl.replica`` -> every module it imports: all import statements (at the top, inside
    functions, under ``TYPE_CHECKING``), relative imports resolved to dotted names."""
    import ast
    from pathlib import Path

    import newscrawl.replica

    root = Path(newscrawl.replica.__file__).parent
    files = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(("newscrawl.replica", *(parts[:-1] if is_package else parts)))
        files[name] = (path, name if is_package else name.rsplit(".", 1)[0])
    graph: dict[str, set[str]] = {}
    for name, (path, package) in files.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if not node.level:
                    module = node.module
                else:
                    base = package.rsplit(".", node.level - 1)[0]
                    module = f"{base}.{node.module}" if node.module else base
                submodules = {f"{module}.{alias.name}" for alias in node.names} & set(files)
                # "from . import feeds" imports the submodule, not the package being imported
                imported.update(submodules if submodules and not node.module else {module, *submodules})
        graph[name] = imported
    return graph


def test_replica_imports_only_the_stdlib_and_itself_without_cycles():
    import graphlib
    import sys

    graph = replica_imports()
    assert "newscrawl.replica.server" in graph and "newscrawl.replica.render.base" in graph
    outside = {f"{module} imports {name}" for module, names in graph.items() for name in names
               if name not in graph and name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}}
    assert not outside, "the replica is an independent oracle: standard library only"
    internal = {module: {name for name in names if name in graph} for module, names in graph.items()}
    try:
        order = list(graphlib.TopologicalSorter(internal).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle in newscrawl.replica: {' -> '.join(exc.args[1])}")
    assert set(order) == set(graph)
    # the Blogger server is on top: only the package itself and its command line import it
    assert {m for m, names in internal.items() if "newscrawl.replica.server" in names} == {
        "newscrawl.replica", "newscrawl.replica.__main__"}
