"""WordPress parsers on small answers shaped like WordPress's own output: REST JSON (the
fields ``WP_REST_Posts_Controller`` / ``WP_REST_Comments_Controller`` return), the core comment
feed templates (``feed-rss2-comments.php``, ``feed-atom-comments.php``), block-theme comment
markup, and pages whose comments are not in the HTML.  The real saved pages are in
``test_wordpress_real_pages.py``."""

from __future__ import annotations

import json

import pytest
from scrapy.http import Headers

from newscrawl.dates import DateContext, rfc822_to_iso, wordpress_utc
from newscrawl.prepare import normalize_item_dates, split_comments
from newscrawl.platforms import wordpress
from newscrawl.platforms.wordpress import blog_key

# -- dates -------------------------------------------------------------------------------------


def test_wordpress_utc_spring_forward_in_berlin():
    # 2022-03-27 02:00 CET -> 03:00 CEST.  Published at 02:30 UTC = 04:30 CEST.  WordPress read
    # the GMT wall-clock "02:30" in Europe/Berlin, where it does not exist, and moved it an hour
    # later: date_gmt came out 03:30.  date (04:30) can only mean 02:30 UTC.
    assert wordpress_utc("2022-03-27T04:30:00", "2022-03-27T03:30:00", "Europe/Berlin") == "2022-03-27T02:30:00+00:00"
    # the same pair where date_gmt is right
    assert wordpress_utc("2022-03-27T04:30:00", "2022-03-27T02:30:00", "Europe/Berlin") == "2022-03-27T02:30:00+00:00"
    # just before the change: 01:59 CET
    assert wordpress_utc("2022-03-27T01:59:00", "2022-03-27T00:59:00", "Europe/Berlin") == "2022-03-27T00:59:00+00:00"


def test_wordpress_utc_other_cases():
    # an ordinary summer date: date_gmt is one of the readings of date, so it is taken
    assert wordpress_utc("2022-06-01T12:00:00", "2022-06-01T10:00:00", "Europe/Berlin") == "2022-06-01T10:00:00+00:00"
    # the repeated hour when DST ends: 02:30 local is 00:30 or 01:30 UTC; date_gmt picks one
    assert wordpress_utc("2022-10-30T02:30:00", "2022-10-30T01:30:00", "Europe/Berlin") == "2022-10-30T01:30:00+00:00"
    assert wordpress_utc("2022-10-30T02:30:00", "2022-10-30T00:30:00", "Europe/Berlin") == "2022-10-30T00:30:00+00:00"
    # date_gmt disagreeing with date (a plugin rewrote it, or it is missing): derived from date
    assert wordpress_utc("2022-06-01T12:00:00", "2022-06-01T17:00:00", "Europe/Berlin") == "2022-06-01T10:00:00+00:00"
    assert wordpress_utc("2022-06-01T12:00:00", None, "Europe/Berlin") == "2022-06-01T10:00:00+00:00"
    assert wordpress_utc("2022-06-01T12:00:00", "0000-00-00T00:00:00", "Europe/Berlin") == "2022-06-01T10:00:00+00:00"
    # a fixed offset (gmt_offset 5.5 when the site set no timezone_string)
    assert wordpress_utc("2022-06-01T12:00:00", "2022-06-01T06:30:00", "+05:30") == "2022-06-01T06:30:00+00:00"
    # no zone known: date_gmt is all there is
    assert wordpress_utc("2022-06-01T12:00:00", "2022-06-01T10:00:00", None) == "2022-06-01T10:00:00+00:00"
    assert wordpress_utc(None, None, "Europe/Berlin") is None


def test_markup_dates_trusted_from_wordpress_5_3():
    assert wordpress.markup_dates_trusted("WordPress 5.3")
    assert wordpress.markup_dates_trusted("WordPress 6.4.2")
    assert wordpress.markup_dates_trusted("WordPress.com")
    assert wordpress.markup_dates_trusted(None)
    assert not wordpress.markup_dates_trusted("WordPress 5.2.4")
    assert not wordpress.markup_dates_trusted("WordPress 4.8-alpha-40290")
    assert not wordpress.markup_dates_trusted("WordPress 3.8.13")


def test_rfc822_to_iso():
    assert rfc822_to_iso("Thu, 09 Nov 2017 05:00:00 +0000") == "2017-11-09T05:00:00+00:00"
    assert rfc822_to_iso("Sun, 27 Mar 2022 04:30:00 +0200") == "2022-03-27T04:30:00+02:00"
    assert rfc822_to_iso("not a date") is None


# -- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://lemire.me/blog",  # REST index "home", RSS channel <link>
        "https://lemire.me/blog/",
        "http://www.lemire.me/blog/",
        "https://lemire.me/blog/index.php",
        "https://web.archive.org/web/20190802000000/https://lemire.me/blog/",
    ],
)
def test_blog_key_is_the_home_url_without_scheme_www_and_trailing_slash(url):
    assert blog_key(url) == "wordpress:lemire.me/blog"


def test_blog_key_from_rest_root_and_feed_link():
    assert blog_key(wordpress.site_url_from_rest_root("https://lemire.me/blog/wp-json/")) == "wordpress:lemire.me/blog"
    assert blog_key(wordpress.site_url_from_rest_root("https://de.creativecommons.org/index.php/wp-json/")) == (
        "wordpress:de.creativecommons.org")
    assert blog_key(wordpress.site_url_from_rest_root("https://example.org/?rest_route=/")) == "wordpress:example.org"
    assert blog_key(wordpress.site_url_from_feed_url("https://lemire.me/blog/feed/")) == "wordpress:lemire.me/blog"
    assert blog_key(wordpress.site_url_from_feed_url("http://www.hobby-werkstatt-blog.de/feed")) == (
        "wordpress:hobby-werkstatt-blog.de")
    assert blog_key("http://127.0.0.1:8080/") == "wordpress:127.0.0.1:8080"


def test_one_blog_key_whichever_path_read_the_blog(real_pages):
    index = wordpress.parse_rest_index(json.dumps(REST_INDEX), "https://lemire.me/blog/wp-json/")
    feed_home = wordpress.parse_feed(RSS_POSTS, "https://lemire.me/blog/feed/", "x").site_url
    page = wordpress.parse_html(
        (real_pages / "wordpress" / "lemire.me.json.html").read_bytes(),
        "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/",
    )
    assert index["id"] == blog_key(feed_home) == page.blog["id"] == "wordpress:lemire.me/blog"


# -- REST: URLs and paging ---------------------------------------------------------------------


def test_rest_urls_in_both_forms():
    pretty = wordpress.rest_root("https://lemire.me/blog")
    plain = wordpress.rest_root("https://lemire.me/blog/", pretty_permalinks=False)
    assert pretty == "https://lemire.me/blog/wp-json/"
    assert plain == "https://lemire.me/blog/?rest_route=/"
    assert wordpress.rest_posts_url(pretty, page=3) == (
        "https://lemire.me/blog/wp-json/wp/v2/posts?per_page=100&page=3&orderby=id&order=asc&_embed=author%2Cwp%3Aterm")
    assert wordpress.rest_posts_url(plain, page=2, embed=False) == (
        "https://lemire.me/blog/?rest_route=/wp/v2/posts&per_page=100&page=2&orderby=id&order=asc")
    assert wordpress.rest_comments_url(pretty, page=1, per_page=500) == (
        "https://lemire.me/blog/wp-json/wp/v2/comments?per_page=100&page=1&orderby=id&order=asc")
    assert wordpress.rest_comments_url(plain, post=17725) == (
        "https://lemire.me/blog/?rest_route=/wp/v2/comments&per_page=100&page=1&post=17725&orderby=id&order=asc")
    assert wordpress.rest_posts_url(pretty, modified_after="2024-01-01T00:00:00").endswith(
        "&modified_after=2024-01-01T00%3A00%3A00")
    assert wordpress.rest_index_url(pretty) == pretty
    assert wordpress.rest_index_url(plain) == "https://lemire.me/blog/?rest_route=/"


def test_feed_urls():
    assert wordpress.feed_url("https://lemire.me/blog") == "https://lemire.me/blog/feed/"
    assert wordpress.feed_url("https://lemire.me/blog/", page=3) == "https://lemire.me/blog/feed/?paged=3"
    assert wordpress.feed_url("https://lemire.me/blog/", kind="atom") == "https://lemire.me/blog/feed/atom/"
    assert wordpress.feed_url("https://x.org/", page=2, pretty_permalinks=False) == "https://x.org/?feed=rss2&paged=2"
    assert wordpress.comments_feed_url("https://lemire.me/blog") == "https://lemire.me/blog/comments/feed/"
    assert wordpress.comments_feed_url("https://x.org/", pretty_permalinks=False) == "https://x.org/?feed=comments-rss2"


def test_rest_pages_from_scrapy_headers_and_plain_dicts():
    assert wordpress.rest_pages(Headers({"X-WP-Total": "1234", "X-WP-TotalPages": "13"})) == (1234, 13)
    assert wordpress.rest_pages({"x-wp-total": "7", "x-wp-totalpages": "1"}) == (7, 1)
    assert wordpress.rest_pages({b"X-WP-Total": [b"0"], b"X-WP-TotalPages": [b"0"]}) == (0, 0)
    assert wordpress.rest_pages({}) == (None, None)
    assert wordpress.rest_pages(None) == (None, None)


def test_rest_errors_say_what_happened():
    past_the_end = json.dumps({"code": "rest_post_invalid_page_number",
                               "message": "The page number requested is larger than the number of pages available.",
                               "data": {"status": 400}})
    error = wordpress.rest_error(past_the_end)
    assert (error.code, error.status) == ("rest_post_invalid_page_number", 400)
    assert error.code in wordpress.REST_INVALID_PAGE
    with pytest.raises(wordpress.RestError):
        wordpress.parse_rest_posts(past_the_end, "https://x.org/wp-json/wp/v2/posts?page=9", "wordpress:x.org")
    with pytest.raises(wordpress.NotRestJson, match="fall back to feeds and HTML"):
        wordpress.parse_rest_comments("<html><body>Forbidden</body></html>", "https://x.org/wp-json/wp/v2/comments",
                                      "wordpress:x.org")
    assert wordpress.rest_error("[]") is None


# -- REST: index, posts, comments ---------------------------------------------------------------

REST_INDEX = {
    "name": "Daniel Lemire&#039;s blog",
    "description": "Daniel Lemire is a computer science professor",
    "url": "https://lemire.me/blog",
    "home": "https://lemire.me/blog",
    "gmt_offset": "-4",
    "timezone_string": "America/Toronto",
    "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
    "authentication": [],
    "routes": {},
}


def test_rest_index():
    blog = wordpress.parse_rest_index(json.dumps(REST_INDEX).encode(), "https://lemire.me/blog/wp-json/")
    assert blog["id"] == "wordpress:lemire.me/blog"
    assert blog["url"] == "https://lemire.me/blog"
    assert blog["platform"] == "wordpress"
    assert blog["title"] == "Daniel Lemire's blog"
    assert blog["description"] == "Daniel Lemire is a computer science professor"
    assert blog["timezone"] == "America/Toronto"
    assert blog["status"] == "ok"
    assert blog.get("language") is None  # the index does not say


def test_rest_index_fixed_offset_and_no_wp_v2():
    index = {**REST_INDEX, "timezone_string": "", "gmt_offset": 5.5, "namespaces": ["oembed/1.0"]}
    blog = wordpress.parse_rest_index(json.dumps(index), "https://lemire.me/blog/wp-json/")
    assert blog["timezone"] == "+05:30"
    assert blog["status"] == "rest_without_wp_v2"
    with pytest.raises(wordpress.NotRestJson):
        wordpress.parse_rest_index(json.dumps({"hello": 1}), "https://x.org/wp-json/")


REST_POSTS = [
    {
        "id": 17725,
        "date": "2022-03-27T04:30:00",
        "date_gmt": "2022-03-27T03:30:00",  # an hour late (the DST bug)
        "guid": {"rendered": "https://blog.example/?p=17725"},
        "modified": "2022-06-01T12:00:00",
        "modified_gmt": "2022-06-01T10:00:00",
        "slug": "json-parsing",
        "status": "publish",
        "type": "post",
        "link": "https://blog.example/2022/03/27/json-parsing/",
        "title": {"rendered": "JSON parsing: simdjson vs. JSON for Modern C++ &#8211; <em>part 2</em>"},
        "content": {"rendered": "<p>JSON is the ubiquitous data format.</p>\n", "protected": False},
        "excerpt": {"rendered": "<p>JSON is</p>", "protected": False},
        "author": 3,
        "categories": [84],
        "tags": [12, 13],
        "_embedded": {
            "author": [{"id": 3, "name": "Daniel Lemire", "link": "https://blog.example/author/lemire/"}],
            "wp:term": [
                [{"id": 84, "name": "Programming", "taxonomy": "category"}],
                [{"id": 12, "name": "JSON", "taxonomy": "post_tag"}, {"id": 13, "name": "C&#43;&#43;", "taxonomy": "post_tag"}],
            ],
        },
    },
    {
        "id": 17726,
        "date": "2022-06-01T12:00:00",
        "date_gmt": "2022-06-01T10:00:00",
        "link": "https://blog.example/2022/06/01/locked/",
        "title": {"rendered": "Protected: Members only"},
        "content": {"rendered": "", "protected": True},
        "author": 3,  # no _embed: a user id is not a name
    },
]


def test_rest_posts():
    posts = wordpress.parse_rest_posts(json.dumps(REST_POSTS), "https://blog.example/wp-json/wp/v2/posts",
                                       "wordpress:blog.example", site_timezone="Europe/Berlin")
    first, locked = posts
    assert first["id"] == "wordpress:blog.example:17725"
    assert (first["blog_id"], first["platform_id"]) == ("wordpress:blog.example", "17725")
    assert first["url"] == "https://blog.example/2022/03/27/json-parsing/"
    assert first["title"] == "JSON parsing: simdjson vs. JSON for Modern C++ – part 2"
    assert (first["author"], first["author_url"]) == ("Daniel Lemire", "https://blog.example/author/lemire/")
    assert first["published_machine"] == "2022-03-27T02:30:00+00:00"  # from date, not the late date_gmt
    assert first["updated_machine"] == "2022-06-01T10:00:00+00:00"
    assert first["labels"] == ["Programming", "JSON", "C++"]
    assert first["content_html"] == "<p>JSON is the ubiquitous data format.</p>"
    assert first["content_text"] == "JSON is the ubiquitous data format."
    assert first["source"] == "api"
    assert locked.get("author") is None
    assert locked.get("content_html") is None and locked.get("labels") is None
    normalized = normalize_item_dates(first, DateContext())
    assert (normalized["published"], normalized["published_source"]) == ("2022-03-27T02:30:00+00:00", "iso")


def test_rest_posts_without_the_site_timezone_take_date_gmt():
    posts = wordpress.parse_rest_posts(json.dumps(REST_POSTS[:1]), "u", "wordpress:blog.example")
    assert posts[0]["published_machine"] == "2022-03-27T03:30:00+00:00"


REST_COMMENTS = [
    {"id": 421882, "post": 17725, "parent": 0, "author": 0, "author_name": "degski",
     "author_url": "http://example.com", "date": "2019-08-03T00:11:57", "date_gmt": "2019-08-03T04:11:57",
     "content": {"rendered": "<p>Thanks, for posting this.</p>\n"},
     "link": "https://lemire.me/blog/2019/08/02/json-parsing/#comment-421882", "status": "approved",
     "type": "comment", "author_avatar_urls": {}},
    {"id": 422230, "post": 17725, "parent": 421882, "author": 1, "author_name": "Daniel Lemire",
     "author_url": "", "date": "2019-08-05T09:46:09", "date_gmt": "2019-08-05T13:46:09",
     "content": {"rendered": "<p>We are working toward releasing version 0.2.</p>\n"},
     "link": "https://lemire.me/blog/2019/08/02/json-parsing/comment-page-2/#comment-422230", "status": "approved",
     "type": "comment"},
    {"id": 422300, "post": 17725, "parent": 0, "author": 0, "author_name": "Some Blog &#8211; Links",
     "author_url": "https://other.example/links/", "date": "2019-08-06T08:00:00", "date_gmt": "2019-08-06T12:00:00",
     "content": {"rendered": "<p>[&hellip;] simdjson [&hellip;]</p>\n"},
     "link": "https://lemire.me/blog/2019/08/02/json-parsing/#comment-422300", "status": "approved",
     "type": "pingback"},
]


def test_rest_comments():
    comments = wordpress.parse_rest_comments(json.dumps(REST_COMMENTS), "https://lemire.me/blog/wp-json/wp/v2/comments",
                                             "wordpress:lemire.me/blog", site_timezone="America/Toronto")
    got = [(c["id"], c["post_id"], c.get("parent_id"), c["author"], c.get("author_url"), c["published_machine"],
            c["comment_type"]) for c in comments]
    assert got == [
        ("wordpress:lemire.me/blog:c421882", "wordpress:lemire.me/blog:17725", None, "degski", "http://example.com",
         "2019-08-03T04:11:57+00:00", "comment"),
        ("wordpress:lemire.me/blog:c422230", "wordpress:lemire.me/blog:17725", "wordpress:lemire.me/blog:c421882",
         "Daniel Lemire", None, "2019-08-05T13:46:09+00:00", "comment"),
        ("wordpress:lemire.me/blog:c422300", "wordpress:lemire.me/blog:17725", None, "Some Blog – Links",
         "https://other.example/links/", "2019-08-06T12:00:00+00:00", "pingback"),
    ]
    assert comments[0]["content_text"] == "Thanks, for posting this."
    assert comments[1]["url"] == "https://lemire.me/blog/2019/08/02/json-parsing/comment-page-2/#comment-422230"
    assert all(c["source"] == "api" and c["deleted"] is False for c in comments)


# -- feeds ---------------------------------------------------------------------------------------

RSS_POSTS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
  <title>Daniel Lemire&#039;s blog</title>
  <atom:link href="https://lemire.me/blog/feed/" rel="self" type="application/rss+xml" />
  <link>https://lemire.me/blog</link>
  <description>Daniel Lemire is a computer science professor</description>
  <language>en-US</language>
  <generator>https://wordpress.org/?v=6.4.2</generator>
  <item>
    <title>Parsing JSON &#038; more</title>
    <link>https://lemire.me/blog/2024/01/02/parsing-json/</link>
    <comments>https://lemire.me/blog/2024/01/02/parsing-json/#comments</comments>
    <dc:creator><![CDATA[Daniel Lemire]]></dc:creator>
    <pubDate>Tue, 02 Jan 2024 15:04:05 +0000</pubDate>
    <category><![CDATA[misc]]></category>
    <guid isPermaLink="false">https://lemire.me/blog/?p=21000</guid>
    <description><![CDATA[Parsing JSON quickly&#8230;]]></description>
    <wfw:commentRss>https://lemire.me/blog/2024/01/02/parsing-json/feed/</wfw:commentRss>
    <slash:comments>7</slash:comments>
  </item>
</channel>
</rss>"""


def test_rss_posts_feed_with_summaries_only():
    page = wordpress.parse_feed(RSS_POSTS, "https://lemire.me/blog/feed/", "wordpress:lemire.me/blog")
    [post] = page.posts
    assert (page.kind, page.summary_only, page.blog["feed_mode"]) == ("posts", True, "summary")
    assert post["id"] == "wordpress:lemire.me/blog:21000"
    assert post["title"] == "Parsing JSON & more"
    assert post["published_machine"] == "2024-01-02T15:04:05+00:00"
    assert post.get("content_html") is None  # an excerpt is not the post: the post page has it
    assert post["comment_count"] == 7
    assert page.comment_feeds == {"21000": "https://lemire.me/blog/2024/01/02/parsing-json/feed/"}
    assert page.blog["title"] == "Daniel Lemire's blog"


# feed-rss2-comments.php for one post (/slug/feed/): the guid is the post's guid + #comment-ID.
RSS_POST_COMMENTS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
  <title>Comments on: Parsing JSON</title>
  <atom:link href="https://lemire.me/blog/2024/01/02/parsing-json/feed/" rel="self" type="application/rss+xml" />
  <link>https://lemire.me/blog/2024/01/02/parsing-json/</link>
  <description>Daniel Lemire is a computer science professor</description>
  <lastBuildDate>Wed, 03 Jan 2024 10:00:00 +0000</lastBuildDate>
  <sy:updatePeriod>hourly</sy:updatePeriod>
  <generator>https://wordpress.org/?v=6.4.2</generator>
  <item>
    <title>By: degski</title>
    <link>https://lemire.me/blog/2024/01/02/parsing-json/#comment-650001</link>
    <dc:creator><![CDATA[degski]]></dc:creator>
    <pubDate>Tue, 02 Jan 2024 16:00:00 +0000</pubDate>
    <guid isPermaLink="false">https://lemire.me/blog/?p=21000#comment-650001</guid>
    <description><![CDATA[Thanks &amp; well done.]]></description>
    <content:encoded><![CDATA[<p>Thanks &amp; well done.</p>
]]></content:encoded>
  </item>
  <item>
    <title>By: Daniel Lemire</title>
    <link>https://lemire.me/blog/2024/01/02/parsing-json/comment-page-1/#comment-650002</link>
    <dc:creator><![CDATA[Daniel Lemire]]></dc:creator>
    <pubDate>Tue, 02 Jan 2024 17:30:00 +0000</pubDate>
    <guid isPermaLink="false">https://imported.example/2011/old-guid#comment-650002</guid>
    <description><![CDATA[You are welcome.]]></description>
  </item>
</channel>
</rss>"""


def test_rss_comment_feed_of_one_post():
    page = wordpress.parse_feed(RSS_POST_COMMENTS, "https://lemire.me/blog/2024/01/02/parsing-json/feed/",
                                "wordpress:lemire.me/blog", post_id=21000)
    assert (page.kind, page.format, page.entries) == ("comments", "rss2", 2)
    assert page.post_url == "https://lemire.me/blog/2024/01/02/parsing-json/"
    assert page.site_url is None and page.comments_without_post == []
    assert page.blog["id"] == "wordpress:lemire.me/blog" and page.blog.get("title") is None
    first, second = page.comments
    assert first["id"] == "wordpress:lemire.me/blog:c650001"
    assert first["post_id"] == "wordpress:lemire.me/blog:21000"  # from the guid ?p=21000
    assert (first["author"], first["published_machine"]) == ("degski", "2024-01-02T16:00:00+00:00")
    assert first["content_html"] == "<p>Thanks &amp; well done.</p>"
    assert first["url"] == "https://lemire.me/blog/2024/01/02/parsing-json/#comment-650001"
    # RSS says neither what a comment replies to nor whether it is a pingback: left unknown
    assert first.get("parent_id") is None and first.get("comment_type") is None
    # a foreign guid: the post id passed by the caller
    assert second["post_id"] == "wordpress:lemire.me/blog:21000"
    assert second["content_text"] == "You are welcome."  # description when there is no content:encoded
    normalized = normalize_item_dates(second, DateContext())
    assert (normalized["published"], normalized["published_raw"]) == (
        "2024-01-02T17:30:00+00:00", "Tue, 02 Jan 2024 17:30:00 +0000")


def test_site_comments_feed_hands_back_comments_it_cannot_place():
    page = wordpress.parse_feed(RSS_POST_COMMENTS, "https://lemire.me/blog/comments/feed/", "wordpress:lemire.me/blog")
    assert page.site_url == "https://lemire.me/blog/2024/01/02/parsing-json/"  # the channel link
    assert [c["platform_id"] for c in page.comments] == ["650001"]
    [unplaced] = page.comments_without_post
    assert unplaced["platform_id"] == "650002" and unplaced.get("post_id") is None
    assert wordpress.post_url_of(unplaced["url"]) == "https://lemire.me/blog/2024/01/02/parsing-json/"


# WordPress 6.1 feed-rss2.php for a post published at once (wp_insert_post with status
# publish): its guid is the permalink, so the feed names no post id.
RSS_PERMALINK_GUIDS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
  <title>Newscrawl Test Commentary</title>
  <link>http://127.0.0.1:42599</link>
  <generator>https://wordpress.org/?v=6.1.9</generator>
  <item>
    <title>&#214;lpreis</title>
    <link>http://127.0.0.1:42599/2024/03/olpreis/</link>
    <dc:creator><![CDATA[Site Admin]]></dc:creator>
    <pubDate>Sat, 30 Mar 2024 17:00:00 +0000</pubDate>
    <category><![CDATA[Uncategorized]]></category>
    <guid isPermaLink="false">http://127.0.0.1:42599/2024/03/olpreis/</guid>
    <description><![CDATA[Body.]]></description>
    <content:encoded><![CDATA[<p>Body.</p>
]]></content:encoded>
    <wfw:commentRss>http://127.0.0.1:42599/2024/03/olpreis/feed/</wfw:commentRss>
    <slash:comments>1</slash:comments>
  </item>
</channel>
</rss>"""


def test_posts_feed_without_post_ids_lists_the_posts_without_ids():
    page = wordpress.parse_feed(RSS_PERMALINK_GUIDS, "http://127.0.0.1:42599/feed/", "wordpress:127.0.0.1:42599")
    assert page.posts_without_id == page.posts and page.comment_feeds == {}
    [post] = page.posts
    assert post.get("id") is None and post.get("platform_id") is None
    assert (post["url"], post["title"], post["published_machine"], post["comment_count"]) == (
        "http://127.0.0.1:42599/2024/03/olpreis/", "Ölpreis", "2024-03-30T17:00:00+00:00", 1)


# feed-atom-comments.php: thr:in-reply-to names the post's guid, or the parent comment's.
ATOM_COMMENTS = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" xml:lang="de-DE">
  <title type="text">Kommentare zu: Hallo Welt</title>
  <updated>2022-03-27T03:00:00Z</updated>
  <link rel="alternate" type="text/html" href="https://blog.example/hallo-welt/" />
  <link rel="self" type="application/atom+xml" href="https://blog.example/hallo-welt/feed/atom/" />
  <id>https://blog.example/hallo-welt/feed/atom/</id>
  <entry>
    <title>Von: Ana</title>
    <link rel="alternate" href="https://blog.example/hallo-welt/#comment-5" type="text/html" />
    <author><name>Ana</name><uri>https://ana.example</uri></author>
    <id>https://blog.example/?p=1#comment-5</id>
    <updated>2022-03-27T00:30:00Z</updated>
    <published>2022-03-27T00:30:00Z</published>
    <content type="html" xml:base="https://blog.example/hallo-welt/#comment-5"><![CDATA[<p>Erster!</p>]]></content>
    <thr:in-reply-to ref="https://blog.example/?p=1" href="https://blog.example/hallo-welt/" type="text/html" />
  </entry>
  <entry>
    <title>Von: admin</title>
    <link rel="alternate" href="https://blog.example/hallo-welt/#comment-6" type="text/html" />
    <author><name>admin</name></author>
    <id>https://blog.example/?p=1#comment-6</id>
    <updated>2022-03-27T02:30:00Z</updated>
    <published>2022-03-27T02:30:00Z</published>
    <content type="html" xml:base="https://blog.example/hallo-welt/#comment-6"><![CDATA[<p>Danke!</p>]]></content>
    <thr:in-reply-to ref="https://blog.example/?p=1#comment-5" href="https://blog.example/hallo-welt/#comment-5" type="text/html" />
  </entry>
</feed>"""


def test_atom_comment_feed_knows_parents():
    page = wordpress.parse_feed(ATOM_COMMENTS, "https://blog.example/hallo-welt/feed/atom/", "wordpress:blog.example")
    assert (page.kind, page.format, page.post_url) == ("comments", "atom", "https://blog.example/hallo-welt/")
    got = [(c["platform_id"], c["post_id"], c.get("parent_id"), c["author"], c.get("author_url"), c["published_machine"])
           for c in page.comments]
    assert got == [
        ("5", "wordpress:blog.example:1", None, "Ana", "https://ana.example", "2022-03-27T00:30:00Z"),
        ("6", "wordpress:blog.example:1", "wordpress:blog.example:c5", "admin", None, "2022-03-27T02:30:00Z"),
    ]
    assert page.comments[1]["content_text"] == "Danke!"


CLASSIC_PINGBACK_PAGE = """<!DOCTYPE html><html lang="en-US"><head><meta name="generator" content="WordPress 6.1.9" />
<link rel="https://api.w.org/" href="http://127.0.0.1:8080/wp-json/" /></head>
<body class="post-template-default single single-post postid-1">
<article id="post-1" class="post-1 post type-post"><h1 class="entry-title">Hallo Welt</h1>
<div class="entry-content"><p>Text.</p></div></article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on &ldquo;Hallo Welt&rdquo;</h2>
<ol class="comment-list">
 <li id="comment-5" class="comment even thread-even depth-1"><article id="div-comment-5" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ana</b> <span class="says">says:</span></div>
  <div class="comment-metadata"><a href="http://127.0.0.1:8080/hallo-welt/#comment-5"><time datetime="2022-03-27T01:30:00+01:00">March 27, 2022 at 1:30 am</time></a></div></footer>
  <div class="comment-content"><p>Erster!</p></div></article></li>
 <li id="comment-7" class="pingback odd alt thread-odd thread-alt depth-1"><div class="comment-body">
  Pingback: <a href="https://other.example/post/" rel="external nofollow ugc" class="url">Other Blog</a>
  <span class="edit-link"></span></div></li>
</ol></div></body></html>"""

# the post's comment feed (feed-rss2-comments.php) lists the pingback with date and excerpt
RSS_PINGBACK = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Comments on: Hallo Welt</title><link>http://127.0.0.1:8080/hallo-welt/</link>
  <item><title>By: Other Blog</title><link>http://127.0.0.1:8080/hallo-welt/#comment-7</link>
    <dc:creator><![CDATA[Other Blog]]></dc:creator><pubDate>Mon, 28 Mar 2022 07:00:00 +0000</pubDate>
    <guid isPermaLink="false">http://127.0.0.1:8080/hallo-welt/#comment-7</guid>
    <description><![CDATA[[&#8230;] Hallo Welt [&#8230;]]]></description>
    <content:encoded><![CDATA[<p>[&#8230;] Hallo Welt [&#8230;]</p>]]></content:encoded></item>
  <item><title>By: Ana</title><link>http://127.0.0.1:8080/hallo-welt/#comment-5</link>
    <dc:creator><![CDATA[Ana]]></dc:creator><pubDate>Sun, 27 Mar 2022 00:30:00 +0000</pubDate>
    <guid isPermaLink="false">http://127.0.0.1:8080/hallo-welt/#comment-5</guid>
    <content:encoded><![CDATA[<p>Erster!</p>]]></content:encoded></item>
</channel></rss>"""


def test_classic_pingback_is_completed_from_the_post_comment_feed():
    page = wordpress.parse_html(CLASSIC_PINGBACK_PAGE, "http://127.0.0.1:8080/hallo-welt/")
    comments = page.posts[0]["comments"]
    pingback = comments[1]
    assert (pingback["comment_type"], pingback["author"], pingback["author_url"]) == (
        "pingback", "Other Blog", "https://other.example/post/")
    assert pingback.get("published_machine") is None and pingback.get("content_html") is None
    feed = wordpress.parse_feed(RSS_PINGBACK, "http://127.0.0.1:8080/hallo-welt/feed/", page.blog["id"], post_id=1)
    assert wordpress.complete_from_feed(comments, feed.comments) == 1
    assert (pingback["published_machine"], pingback["content_text"], pingback["comment_type"]) == (
        "2022-03-28T07:00:00+00:00", "[…] Hallo Welt […]", "pingback")
    # what the page had stays: Ana's time[datetime] and display text
    assert (comments[0]["published_machine"], comments[0]["published_raw"]) == (
        "2022-03-27T01:30:00+01:00", "March 27, 2022 at 1:30 am")


def test_not_a_feed():
    with pytest.raises(wordpress.NotAFeed):
        wordpress.parse_feed(b"<html><body>Not found</body></html>", "https://x.org/feed/", "wordpress:x.org")


# -- HTML: block themes, missing comments, listings ---------------------------------------------------

BLOCK_THEME_POST = """<!DOCTYPE html><html lang="de-DE"><head>
<meta name="generator" content="WordPress 6.4.2" />
<link rel="https://api.w.org/" href="https://blog.example/wp-json/" />
<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed" href="https://blog.example/feed/" />
<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Kommentar-Feed" href="https://blog.example/comments/feed/" />
<link rel="alternate" type="application/rss+xml" title="Hallo Welt Kommentar-Feed" href="https://blog.example/hallo-welt/feed/" />
<link rel="canonical" href="https://blog.example/hallo-welt/" />
<link rel='shortlink' href='https://blog.example/?p=1' />
</head>
<body class="post-template-default single single-post postid-1 single-format-standard wp-embed-responsive">
<main class="wp-block-group">
 <h1 class="wp-block-post-title">Hallo Welt</h1>
 <div class="wp-block-post-date"><time datetime="2022-03-27T04:30:00+02:00">27. März 2022</time></div>
 <div class="taxonomy-category wp-block-post-terms"><a href="https://blog.example/category/allgemein/" rel="tag">Allgemein</a></div>
 <div class="entry-content wp-block-post-content"><p>Willkommen.</p></div>
 <div class="wp-block-comments">
  <h2 id="comments" class="wp-block-comments-title">3 Antworten auf &#8222;Hallo Welt&#8220;</h2>
  <ol class="wp-block-comment-template">
   <li id="comment-5" class="comment even thread-even depth-1 parent">
    <div class="wp-block-group">
     <div class="wp-block-comment-author-name"><a rel="external nofollow ugc" href="https://ana.example" target="_self">Ana</a></div>
     <div class="wp-block-comment-date"><time datetime="2022-03-27T01:30:00+01:00"><a href="https://blog.example/hallo-welt/#comment-5">27. März 2022 um 1:30</a></time></div>
     <div class="wp-block-comment-content"><p>Erster!</p></div>
     <div class="wp-block-comment-reply-link"><a rel="nofollow" class="comment-reply-link" href="#comment-5" data-commentid="5" data-postid="1">Antworten</a></div>
    </div>
    <ol class="children">
     <li id="comment-6" class="comment byuser comment-author-admin bypostauthor odd alt depth-2">
      <div class="wp-block-group">
       <div class="wp-block-comment-author-name">admin</div>
       <div class="wp-block-comment-date"><time datetime="2022-03-27T04:30:00+02:00"><a href="https://blog.example/hallo-welt/#comment-6">27. März 2022 um 4:30</a></time></div>
       <div class="wp-block-comment-content"><p>Danke!</p></div>
      </div>
     </li>
    </ol>
   </li>
   <li id="comment-7" class="trackback even thread-odd thread-alt depth-1">
    <div class="wp-block-group">
     <div class="wp-block-comment-author-name"><a rel="external nofollow ugc" href="https://other.example/post/" target="_self">Other Blog</a></div>
     <div class="wp-block-comment-date"><time datetime="2022-03-28T09:00:00+02:00"><a href="https://blog.example/hallo-welt/#comment-7">28. März 2022 um 9:00</a></time></div>
     <div class="wp-block-comment-content"><p>[&hellip;] Hallo Welt [&hellip;]</p></div>
    </div>
   </li>
  </ol>
  <nav class="wp-block-comments-pagination"><a href="https://blog.example/hallo-welt/comment-page-2/#comments" class="wp-block-comments-pagination-next">Neuere Kommentare</a></nav>
 </div>
</main>
<input type="hidden" name="comment_post_ID" value="1" id="comment_post_ID" />
</body></html>"""


def test_block_theme_post_page():
    page = wordpress.parse_html(BLOCK_THEME_POST, "https://blog.example/hallo-welt/")
    assert page.is_post_page and page.blog["id"] == "wordpress:blog.example"
    assert (page.rest_root, page.posts_feed, page.comments_feed, page.post_comments_feed) == (
        "https://blog.example/wp-json/", "https://blog.example/feed/", "https://blog.example/comments/feed/",
        "https://blog.example/hallo-welt/feed/")
    assert page.comment_page_links == ["https://blog.example/hallo-welt/comment-page-2/"]
    assert (page.comments_expected, page.comments_found, page.status) == (3, 3, "ok")
    assert page.blog["timezone"] == "+02:00"  # most of the page's time[datetime] values
    post = normalize_item_dates(page.posts[0], DateContext.from_hints("de", page.blog["timezone"]))
    assert (post["id"], post["title"], post["url"]) == ("wordpress:blog.example:1", "Hallo Welt", "https://blog.example/hallo-welt/")
    assert (post["published"], post["labels"], post["comment_count"]) == ("2022-03-27T02:30:00+00:00", ["Allgemein"], 3)
    comments = split_comments(post)
    got = [(c["platform_id"], c["author"], c.get("author_url"), c["published"], c.get("parent_id"), c["comment_type"],
            c["is_blog_author"], c["content_text"]) for c in comments]
    assert got == [
        ("5", "Ana", "https://ana.example", "2022-03-27T00:30:00+00:00", None, "comment", False, "Erster!"),
        ("6", "admin", None, "2022-03-27T02:30:00+00:00", "wordpress:blog.example:c5", "comment", True, "Danke!"),
        ("7", "Other Blog", "https://other.example/post/", "2022-03-28T07:00:00+00:00", None, "trackback", False,
         "[…] Hallo Welt […]"),
    ]


PRE_5_3_POST = BLOCK_THEME_POST.replace("WordPress 6.4.2", "WordPress 5.2.4")


def test_markup_times_before_wordpress_5_3_go_to_the_date_pipeline():
    page = wordpress.parse_html(PRE_5_3_POST, "https://blog.example/hallo-welt/")
    assert not page.machine_dates_trusted and "timezone" not in page.blog
    post = page.posts[0]
    assert post.get("published_machine") is None and post["published_raw"] == "2022-03-27 04:30:00"
    first = post["comments"][0]
    assert first.get("published_machine") is None and first["published_raw"] == "2022-03-27 01:30:00"
    # read in the blog's zone, as a crawl that knows it does
    normalized = normalize_item_dates(first, DateContext.from_hints("de", "Europe/Berlin"))
    assert (normalized["published"], normalized["published_source"]) == ("2022-03-27T00:30:00+00:00", "display")


DISQUS_POST = """<!DOCTYPE html><html lang="en-US"><head><meta name="generator" content="WordPress 6.1" />
<link rel="https://api.w.org/" href="https://news.example/wp-json/" /></head>
<body class="single single-post postid-42">
<article id="post-42" class="post-42 post"><h1 class="entry-title">A story</h1>
<time class="entry-date published" datetime="2023-05-01T10:00:00+00:00">May 1, 2023</time>
<div class="entry-content"><p>Text.</p></div></article>
<div id="comments" class="comments-area"><div id="disqus_thread"></div></div>
<script>var disqus_config = function () { this.page.identifier = '42 https://news.example/?p=42'; };</script>
<script src="https://news-example.disqus.com/embed.js"></script>
</body></html>"""


def test_disqus_comments_are_a_status_not_zero_comments():
    page = wordpress.parse_html(DISQUS_POST, "https://news.example/a-story/")
    assert page.posts[0]["comments"] == [] and page.comments_found == 0
    assert (page.comments_by_script, page.comments_system, page.status) == (True, "disqus", "comments_by_script")
    assert "loaded by script (disqus)" in page.status_reason
    assert page.blog["status"] == "comments_by_script"


LAZY_POST = DISQUS_POST.replace('<div id="disqus_thread"></div>', '<h2 class="comments-title">12 Comments</h2><ol class="comment-list"></ol>') \
    .replace("<script>var disqus_config = function () { this.page.identifier = '42 https://news.example/?p=42'; };</script>", "") \
    .replace('<script src="https://news-example.disqus.com/embed.js"></script>', '<script src="/wp-content/plugins/lazy-load-comments/x.js"></script>')


def test_announced_comments_missing_from_the_html_are_flagged():
    page = wordpress.parse_html(LAZY_POST, "https://news.example/a-story/")
    assert (page.comments_expected, page.comments_found, page.status) == (12, 0, "comments_incomplete")
    assert "announces 12 comments but holds 0" in page.status_reason


HOME_PAGE = """<!DOCTYPE html><html lang="en-US"><head><meta name="generator" content="WordPress 6.4.2" />
<link rel="https://api.w.org/" href="https://blog.example/wp-json/" /></head>
<body class="home blog wp-embed-responsive">
<article id="post-12" class="post-12 post type-post"><h2 class="entry-title"><a href="https://blog.example/second/">Second</a></h2>
 <time class="entry-date published" datetime="2024-01-02T10:00:00+01:00">January 2, 2024</time></article>
<article id="post-11" class="post-11 post type-post"><h2 class="entry-title"><a href="https://blog.example/first/">First</a></h2>
 <time class="entry-date published" datetime="2024-01-01T10:00:00+01:00">January 1, 2024</time></article>
<nav class="navigation pagination"><a class="next page-numbers" href="https://blog.example/page/2/">Next</a></nav>
<aside class="widget"><ul><li class="recentcomments"><a href="https://blog.example/first/#comment-3">Ana</a></li></ul></aside>
</body></html>"""


def test_listing_page_lists_posts_and_older_pages():
    page = wordpress.parse_html(HOME_PAGE, "https://blog.example/")
    assert not page.is_post_page
    assert [(p["id"], p["url"], p["title"], p["published_machine"]) for p in page.posts] == [
        ("wordpress:blog.example:12", "https://blog.example/second/", "Second", "2024-01-02T10:00:00+01:00"),
        ("wordpress:blog.example:11", "https://blog.example/first/", "First", "2024-01-01T10:00:00+01:00"),
    ]
    assert page.post_links == ["https://blog.example/second/", "https://blog.example/first/"]
    assert page.next_page_links == ["https://blog.example/page/2/"]


def test_not_wordpress():
    page = wordpress.parse_html("<html><body><p>Hello</p></body></html>", "https://plain.example/")
    assert not page.is_wordpress and page.status == "not_wordpress"
    assert page.posts == []


def test_name_prefixes_are_cut_only_where_they_are_prefixes():
    from lxml import html as lxml_html

    from newscrawl.platforms.wordpress.comments import author_name

    def name(markup: str) -> str | None:
        return author_name(lxml_html.fragment_fromstring(markup))

    assert name("<cite>Comment by Daniel</cite>") == "Daniel"
    assert name("<cite>Comentario de Ana</cite>") == "Ana"
    assert name("<cite>by Ann</cite>") == "Ann"
    assert name("<cite>De Vries</cite>") == "De Vries"
    assert name("<cite>Od Zeta</cite>") == "Od Zeta"


def test_rest_comments_isolate_a_bad_entry_and_mend_lone_surrogates():
    def comment(number, **changes):
        entry = {"id": number, "post": 5, "parent": 0, "author_name": f"Reader {number}", "date": "2024-01-01T10:00:00",
                 "date_gmt": "2024-01-01T10:00:00", "content": {"rendered": f"<p>Text {number}</p>"},
                 "link": f"https://x.example/p/#comment-{number}", "type": "comment"}
        return {**entry, **changes}

    entries = [comment(1, author_name="Half \ud800 a pair", content={"rendered": "<p>x\udc00y \U0001f600</p>"}),
               comment(2, id={"not": "an id"}),
               comment(3, parent={"not": "an id"}, post="five"),
               comment(4, parent="1")]
    skipped = []
    items = wordpress.parse_rest_comments(json.dumps(entries).encode(), "https://x.example/wp-json/wp/v2/comments",
                                          "wordpress:x.example", on_skip=skipped.append)
    assert [item["platform_id"] for item in items] == ["1", "3", "4"]
    assert items[0]["author"] == "Half \ufffd a pair" and items[0]["content_text"] == "x\ufffdy \U0001f600"
    # a malformed parent or post is no parent or post: none is made up
    assert "parent_id" not in items[1] and "post_id" not in items[1]
    assert items[2]["parent_id"] == "wordpress:x.example:c1"
    assert len(skipped) == 1 and "entry {'not': 'an id'} unreadable" in skipped[0]


def test_a_post_whose_theme_names_its_content_its_own_way_still_gets_its_text():
    sentences = " ".join(f"Sentence {n} of the post, long enough to be read as its main content." for n in range(12))
    page = (
        "<html><head><meta name='generator' content='WordPress 6.4'><title>A post | Blog</title>"
        "<link rel='canonical' href='https://blog.example/a-post/'></head>"
        "<body class='single single-post postid-42'><article id='post-42' class='post-42 post hentry'>"
        "<h1 class='entry-title'>A post</h1>"
        f"<div class='entry__body'><p>{sentences}</p><p>The second paragraph closes it.</p></div></article>"
        "<ol class='comment-list'><li class='comment' id='comment-7'><div class='comment-body'>"
        "<cite class='fn'>Ann</cite><div class='comment-content'><p>A reader's comment.</p></div></div></li></ol>"
        "</body></html>"
    )
    post = wordpress.parse_html(page, "https://blog.example/a-post/").posts[0]
    assert "Sentence 11 of the post" in post["content_text"]
    assert "second paragraph closes it" in post["content_text"]
    assert "reader's comment" not in post["content_text"]
