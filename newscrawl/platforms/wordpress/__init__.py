"""WordPress (self-hosted and WordPress.com): pure parsers for the REST API, feeds and HTML pages.

Three ways into a WordPress blog, best first (see ``shared/platforms.md``), one module each:

1. **REST** (``rest.py``; ``/wp-json/``, or ``/?rest_route=/`` when pretty permalinks are off):
   the site index (name, home URL, timezone), ``wp/v2/posts`` and ``wp/v2/comments``, 100 per
   page, paged by ``X-WP-Total`` / ``X-WP-TotalPages``.  Anonymous clients get approved reader
   comments only, so pingbacks and trackbacks come from the post pages (typed) or the comment
   feeds (untyped).
2. **Feeds** (``feeds.py``): RSS2 ``/feed/?paged=N``, Atom ``/feed/atom/``, the site's
   ``/comments/feed/`` and each post's comment feed (``wfw:commentRss``), read by
   ``syndication.py``.
3. **HTML** (``pages.py`` for a post page or a listing, ``comments.py`` for the comment tree
   across themes and plugins).  Comments that are not in the HTML (Disqus, lazy loading) are a
   page status, never an empty list that looks like "no comments".

``ids.py`` names blogs, posts and comments the same whichever path read them
(``wordpress:<host><path>``, ``<blog>:<post id>``, ``<blog>:c<comment id>``).

Input: text or bytes plus the URL it came from (and the blog key, for API and feed answers that
do not say which blog they belong to).  Output: items (``items.py``) built with the loaders
(``loaders.py``), never requests: the spider decides what to fetch from what these report.

Dates are decided in ``dates.py``: REST ``date``/``date_gmt`` pairs by ``dates.wordpress_utc``
(``date_gmt`` can be an hour late around a DST change), the markup timestamps of WordPress before
5.3, whose offset is wrong, by ``dates.wall_clock_of`` (``pages.markup_dates_trusted``).  Feed
dates carry their offset (RFC 822 in RSS, ISO in Atom).

This package's names are the public API: ``from newscrawl.platforms import wordpress`` and
``wordpress.parse_html(...)``; private helpers are imported from their module.
"""

from __future__ import annotations

from ..markup import NotAFeed
from .comments import parse_html_comments
from .feeds import FeedPage, comments_feed_url, complete_from_feed, feed_url, parse_feed, post_url_of
from .ids import (COMMENT_TYPES, PLATFORM, SOURCE_API, SOURCE_FEED, SOURCE_HTML, STATUS_COMMENTS_BY_SCRIPT,
                  STATUS_COMMENTS_INCOMPLETE, STATUS_NOT_WORDPRESS, STATUS_OK, blog_key, comment_key, post_key,
                  site_url_from_feed_url, site_url_from_rest_root, unwrap_archive_url)
from .pages import WordPressPage, is_wordpress_html, markup_dates_trusted, parse_html
from .rest import (REST_INVALID_PAGE, NotRestJson, RestError, parse_rest_comments, parse_rest_index,
                   parse_rest_posts, read_rest_page, rest_comments_url, rest_error, rest_index_url, rest_pages,
                   rest_posts_url, rest_root, rest_url)

__all__ = [
    "COMMENT_TYPES",
    "FeedPage",
    "NotAFeed",
    "NotRestJson",
    "PLATFORM",
    "REST_INVALID_PAGE",
    "RestError",
    "SOURCE_API",
    "SOURCE_FEED",
    "SOURCE_HTML",
    "STATUS_COMMENTS_BY_SCRIPT",
    "STATUS_COMMENTS_INCOMPLETE",
    "STATUS_NOT_WORDPRESS",
    "STATUS_OK",
    "WordPressPage",
    "blog_key",
    "comment_key",
    "comments_feed_url",
    "complete_from_feed",
    "feed_url",
    "is_wordpress_html",
    "markup_dates_trusted",
    "parse_feed",
    "parse_html",
    "parse_html_comments",
    "parse_rest_comments",
    "parse_rest_index",
    "parse_rest_posts",
    "read_rest_page",
    "post_key",
    "post_url_of",
    "rest_comments_url",
    "rest_error",
    "rest_index_url",
    "rest_pages",
    "rest_posts_url",
    "rest_root",
    "rest_url",
    "site_url_from_feed_url",
    "site_url_from_rest_root",
    "unwrap_archive_url",
]
