"""Blogger ids and URLs: our keys for blogs, posts and comments, a blog's root, a post's canonical
permalink, the epoch in a comment's ``?showComment=`` permalink, and the Atom feed URLs Blogger pages."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

PLATFORM = "blogger"

_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d+)")


def blog_key(blog_id: str | None, url: str) -> str:
    """Our blogs.id: Blogger's numeric blog id, or the host when no id is known."""
    return f"{PLATFORM}:{blog_id}" if blog_id else f"{PLATFORM}:{urlsplit(url).hostname}"


def post_key(blog: str, post_id: str) -> str:
    return f"{blog}:{post_id}"


def comment_key(blog: str, comment_id: str) -> str:
    return f"{blog}:c{comment_id}"


def blog_root(url: str) -> str:
    """``https://x.blogspot.com/2022/02/a.html?m=1`` -> ``https://x.blogspot.com/``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme or "https", parts.netloc, "/", "", ""))


def canonical_post_url(url: str) -> str:
    """A post permalink without query (``?m=1``, ``?showComment=``) or fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def epoch_ms_from_permalink(url: str | None) -> int | None:
    match = _SHOW_COMMENT.search(url or "")
    return int(match.group(1)) if match else None


# -- feed URLs --------------------------------------------------------------------------


def posts_feed_url(root: str, start_index: int = 1, max_results: int = 500, updated_min: str | None = None) -> str:
    return urljoin(root, "feeds/posts/default?" + _feed_query(start_index, max_results, updated_min))


def comments_feed_url(root: str, start_index: int = 1, max_results: int = 500, updated_min: str | None = None) -> str:
    return urljoin(root, "feeds/comments/default?" + _feed_query(start_index, max_results, updated_min))


def _feed_query(start_index: int, max_results: int, updated_min: str | None) -> str:
    # updated-min is ignored by Blogger unless orderby=updated
    since = f"orderby=updated&updated-min={quote(updated_min)}&" if updated_min else ""
    return f"{since}start-index={start_index}&max-results={max_results}"


def post_comments_feed_url(root: str, post_id: str, start_index: int = 1, max_results: int = 500) -> str:
    return urljoin(
        root, f"feeds/{post_id}/comments/default?start-index={start_index}&max-results={max_results}"
    )
