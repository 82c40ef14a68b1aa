"""Extraction of one saved page or feed, without Scrapy: what ``newscrawl extract`` prints.

It runs the same parser and the same date and split steps as a crawl, so a page that
extracts wrong here extracts wrong in a crawl, and the other way round.
"""

from __future__ import annotations

from typing import Any

from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from .dates import DateContext, parse_machine_date
from .detect import platform_of_document
from .items import BlogItem, PostItem
from .loaders import PostLoader
from .pipelines import add_commentary, item_to_row, normalize_item_dates, post_links, split_comments
from .platforms import blogger, comment_markup, feed as plain_feed, wordpress
from .storage import SCHEMA

_BOOKKEEPING = {"first_seen", "last_changed"}


def _row(item: Any, table: str) -> dict[str, Any]:
    """Every column of ``table`` (None where the page had nothing), in schema order."""
    values = item_to_row(item)
    return {name: values.get(name) for name in SCHEMA[table] if name not in _BOOKKEEPING}


def extract_file(body: bytes, url: str, platform: str = "auto") -> dict[str, Any]:
    """What a crawl would store from one saved page or feed, as rows (column names).

    ``auto`` tells the platform from the document itself; a page or feed of any other site
    is read as a plain-feed blog (``feed``)."""
    is_feed = plain_feed.looks_like_feed(body)
    if platform == "auto":
        platform = platform_of_document(body) or "feed"
    if platform == "blogger":
        return _extract_feed(body, url) if is_feed else _extract_page(body, url)
    if platform == "wordpress":
        return _extract_wordpress_feed(body, url) if is_feed else _extract_wordpress_page(body, url)
    if platform == "feed":
        return _extract_plain_feed(body, url) if is_feed else _extract_other_page(body, url)
    raise ValueError(f"newscrawl extract does not read {platform} documents (blogger, wordpress and feed only)")


def _extract_wordpress_feed(body: bytes, url: str) -> dict[str, Any]:
    # a feed's URL names its blog (https://x/feed/ -> https://x/), as in a crawl
    page = wordpress.parse_feed(body, url, wordpress.blog_key(wordpress.site_url_from_feed_url(url)))
    return _rows(page.blog, page.posts, page.comments)


def _extract_wordpress_page(body: bytes, url: str) -> dict[str, Any]:
    return _page_rows(wordpress.parse_html(body, url))


def _rows(blog, posts, comments) -> dict[str, Any]:
    context = DateContext.from_hints(blog.get("language"), blog.get("timezone"))
    return {
        "blog": _row(blog, "blogs"),
        "posts": [_row(add_commentary(normalize_item_dates(p, context)), "posts") for p in posts],
        "comments": [_row(normalize_item_dates(c, context), "comments") for c in comments],
    }


def _extract_feed(body: bytes, url: str) -> dict[str, Any]:
    page = blogger.parse_feed(body, url)
    return _rows(page.blog, page.posts, page.comments)


def _extract_page(body: bytes, url: str) -> dict[str, Any]:
    return _page_rows(blogger.parse_html(body, url))


def _page_rows(page) -> dict[str, Any]:
    """A post page: the post, its comments (flattened, linked) and links; a listing: its posts."""
    context = DateContext.from_hints(page.blog.get("language"), page.blog.get("timezone"))
    result: dict[str, Any] = {"blog": _row(page.blog, "blogs")}
    if page.is_post_page and page.posts:
        post = add_commentary(normalize_item_dates(page.posts[0], context))
        comments = split_comments(post)
        result["post"] = _row(post, "posts")
        result["comments"] = [_row(c, "comments") for c in comments]
        result["links"] = [_row(link, "links") for link in post_links(post)]
    else:
        result["posts"] = [_row(add_commentary(normalize_item_dates(p, context)), "posts") for p in page.posts]
        result["comments"] = []
    return result


# -- plain feeds and pages of other sites ----------------------------------------------------


def _site_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def _extract_plain_feed(body: bytes, url: str) -> dict[str, Any]:
    """A posts feed; or one post's comment feed, whose channel links the post."""
    doc = plain_feed.read_feed(body, url)
    site = _site_of(doc.home or url)
    blog = plain_feed.blog_key(site)
    if doc.entries and all(plain_feed.comment_native_id(e.link, e.guid) for e in doc.entries):
        post_url = doc.home or url
        post_id = plain_feed.post_key(blog, plain_feed.post_native_id(None, post_url, site))
        comments = plain_feed.parse_comment_feed(body, url, post_id, blog, [post_url]).comments
        return _rows(BlogItem(id=blog, url=site, platform=plain_feed.PLATFORM), [], comments)
    page = plain_feed.parse_feed(body, url, blog, site)
    return _rows(page.blog, page.posts, [])


def _extract_other_page(body: bytes, url: str) -> dict[str, Any]:
    """A post page of any other site: the body (trafilatura) and the comments in its markup."""
    text = comment_markup.decode_page(body)
    doc = lxml_html.document_fromstring(text or "<html></html>", base_url=url)
    canonical = _first(doc.xpath("//link[@rel='canonical']/@href"))
    permalink = urljoin(url, canonical) if canonical else url
    site = _site_of(permalink)
    blog_id = plain_feed.blog_key(site)
    native = plain_feed.post_native_id(None, permalink, site)
    post_id = plain_feed.post_key(blog_id, native)
    title = _first(doc.xpath("//meta[@property='og:title']/@content")) or _first(doc.xpath("//h1//text()"))
    page = plain_feed.read_post_page(text, url, post_id, blog_id, title=title)
    post = _page_post(doc, native, blog_id, permalink, title, page)
    blog = BlogItem(id=blog_id, url=site, platform=plain_feed.PLATFORM, language=page.language,
                    comments_hosted_by=page.comments.hosted_by)
    context = DateContext.from_hints(page.language, None)
    post = add_commentary(normalize_item_dates(post, context))
    comments = split_comments(post)
    return {
        "blog": _row(blog, "blogs"),
        "post": _row(post, "posts"),
        "comments": [_row(c, "comments") for c in comments],
        "links": [_row(link, "links") for link in post_links(post)],
    }


def _page_post(doc, native: str, blog_id: str, url: str, title: str | None, page) -> PostItem:
    loader = PostLoader()
    loader.add_value("id", plain_feed.post_key(blog_id, native))
    loader.add_value("blog_id", blog_id)
    loader.add_value("platform_id", native)
    loader.add_value("url", url)
    loader.add_value("title", title)
    loader.add_value("author", doc.xpath("//meta[@name='author']/@content"))
    published = [v for v in doc.xpath("//meta[@property='article:published_time']/@content"
                                      " | //*[@itemprop='datePublished']/@content"
                                      " | //*[@itemprop='datePublished']/@datetime"
                                      " | //article//time/@datetime") if parse_machine_date(v)]
    loader.add_value("published_machine", published[:1])
    loader.add_value("content_html", page.body_html)
    loader.add_value("content_text", page.body_html)
    loader.add_value("comment_count", page.comments.expected)
    loader.add_value("source", plain_feed.SOURCE_HTML)
    post = loader.load_item()
    post["comments"] = page.comments.comments
    return post


def _first(values) -> str | None:
    return next((v.strip() for v in values if v and v.strip()), None)
