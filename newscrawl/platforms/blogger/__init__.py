"""Blogger / Blogspot: pure parsers for post pages, listing pages and Atom feeds.

Everything here works from Blogger's own structure, not from one template's layout:
ids (``post-body-POSTID``, ``itemprop=postId``, comment ids ``cCOMMENTID``), the class
names Blogger's widgets emit in every template (``post``, ``post-title``, ``post-body``,
``comment-author``/``comment-body``/``comment-footer`` for the classic comment list,
``comment-thread``/``comment``/``comment-replies``/``blog-author`` for the threaded
widget), and machine timestamps (``abbr.published[title]``, ``time[datetime]``,
``?showComment=EPOCH_MS``).  Display strings are kept for the date pipeline.

Input: text or bytes plus the URL it came from.  Output: items (see ``items.py``),
never requests: the spider decides what to fetch with the links these parsers report.

The modules, one job each:

- ``ids``: our keys, a blog's root, canonical permalinks, epochs from ``?showComment=``, feed URLs
- ``feeds``: Atom feed pages (``FeedPage``, ``parse_feed``)
- ``pages``: HTML pages (``BloggerPage``, ``parse_html``, ``classify_page``), posts and links to follow
- ``comments``: comments on a post page (``parse_html_comments``), threaded and classic
- ``query``: ``PageIndex`` and the compiled XPaths every parser above asks its questions with

A page's display timezone is decided in ``dates.page_display_offset``.
"""

from ..markup import NotAFeed
from .comments import parse_html_comments
from .feeds import ATOM, KIND_SCHEME, LABEL_SCHEME, NS, FeedPage, parse_feed
from .ids import (PLATFORM, blog_key, blog_root, canonical_post_url, comment_key, comments_feed_url,
                  epoch_ms_from_permalink, post_comments_feed_url, post_key, posts_feed_url)
from .pages import (STATUS_CONTENT_WARNING, STATUS_DELETED, STATUS_DYNAMIC_VIEWS, STATUS_MOVED, STATUS_NOT_FOUND,
                    STATUS_OK, STATUS_PRIVATE, BloggerPage, classify_page, comment_page_number, continue_url,
                    is_blogger_html, is_private_blog_redirect, parse_html)
from .query import PageIndex

__all__ = [
    "ATOM",
    "KIND_SCHEME",
    "LABEL_SCHEME",
    "NS",
    "PLATFORM",
    "STATUS_CONTENT_WARNING",
    "STATUS_DELETED",
    "STATUS_DYNAMIC_VIEWS",
    "STATUS_MOVED",
    "STATUS_NOT_FOUND",
    "STATUS_OK",
    "STATUS_PRIVATE",
    "BloggerPage",
    "FeedPage",
    "NotAFeed",
    "PageIndex",
    "blog_key",
    "blog_root",
    "canonical_post_url",
    "classify_page",
    "comment_key",
    "comment_page_number",
    "comments_feed_url",
    "continue_url",
    "epoch_ms_from_permalink",
    "is_blogger_html",
    "is_private_blog_redirect",
    "parse_feed",
    "parse_html",
    "parse_html_comments",
    "post_comments_feed_url",
    "post_key",
    "posts_feed_url",
]
