"""schema.org ``Comment`` objects: microdata (``itemtype=".../Comment"``) and JSON-LD
(``"@type": "Comment"``, or the ``comment`` array of an Article).  Engine-independent: any
engine or theme that writes them says in so many words which part is the author
(``author``/``creator`` and its ``name``), the date (``dateCreated``/``datePublished``) and the
text (``text``); replies are ``comment`` items inside a comment (microdata nesting, JSON-LD's
nested ``comment``).
"""

from __future__ import annotations

import json
from html import escape
import logging
import re

from ...items import CommentItem
from ...loaders import CommentLoader, collapse_whitespace
from .fields import SOURCE_HTML, Context, Found, System, comment_key, hashed, in_the_post, nested

logger = logging.getLogger(__name__)

NAME = "schema.org"
_ID = re.compile(r"(?:comment|cmt|c)[-_]?(\d+)$|(\d+)$")


def find(doc) -> list[Found]:
    items = [e for e in doc.xpath("//*[@itemscope][contains(@itemtype, 'schema.org/Comment')"
                                  " or contains(@itemtype, 'schema.org/UserComments')]") if in_the_post(e)]
    return nested(items, _native_id)


def _native_id(element) -> str | None:
    for value in [element.get("id")] + element.xpath("./*[@itemprop='url']/@href | ./*[@itemprop='url']/@content"
                                                     " | ./link[@itemprop='url']/@href"):
        match = _ID.search((value or "").split("?")[0])
        if match and value:
            return match.group(1) or match.group(2)
    return None


SYSTEM = System(
    NAME, find,
    author_css=("[itemprop~='author'] [itemprop~='name']", "[itemprop~='creator'] [itemprop~='name']",
                "[itemprop~='author']", "[itemprop~='creator']"),
    body_css=("[itemprop~='text']", "[itemprop~='commentText']", "[itemprop~='description']"),
    display_date_css=("[itemprop~='dateCreated']", "[itemprop~='datePublished']", "[itemprop~='commentTime']"),
    chrome_css=("[itemprop~='author']", "[itemprop~='creator']", ".reply", ".comment-reply"),
    not_author_css=(".says",),
)


# -- JSON-LD ----------------------------------------------------------------------------------


def json_ld_comments(doc, context: Context) -> list[CommentItem]:
    """The ``Comment`` objects of the page's JSON-LD, as a tree (nested ``comment`` = replies)."""
    roots: list[dict] = []
    for script in doc.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            logger.debug("%s: a JSON-LD block is not JSON; skipped", context.url)
            continue
        _collect(data, roots)
    seen: dict[str, int] = {}
    return [_item(c, context, None, seen) for c in roots]


def _is_comment(node) -> bool:
    kinds = node.get("@type") if isinstance(node, dict) else None
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(k in ("Comment", "UserComments") for k in kinds if isinstance(k, str))


def _collect(node, out: list[dict]) -> None:
    """Top-level comments anywhere in the data (a comment's own ``comment`` are its replies)."""
    if isinstance(node, list):
        for child in node:
            _collect(child, out)
    elif isinstance(node, dict):
        if _is_comment(node):
            out.append(node)
            return
        for value in node.values():
            _collect(value, out)


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return collapse_whitespace(value) if isinstance(value, str) else None


def _item(node: dict, context: Context, parent: CommentItem | None, seen: dict[str, int]) -> CommentItem:
    author = node.get("author") or node.get("creator")
    name = _text(author)
    site = author.get("url") if isinstance(author, dict) and isinstance(author.get("url"), str) else None
    url = node.get("url") if isinstance(node.get("url"), str) else None
    ref = url or (node.get("@id") if isinstance(node.get("@id"), str) else None)
    match = _ID.search((ref or "").split("?")[0]) if ref and "#" in ref else None
    text = node.get("text") if isinstance(node.get("text"), str) else None
    native = (match.group(1) or match.group(2)) if match else hashed(f"{name} {text}", seen)
    loader = CommentLoader()
    loader.add_value("id", comment_key(context.post_id, native))
    loader.add_value("post_id", context.post_id)
    loader.add_value("blog_id", context.blog_id)
    loader.add_value("platform_id", native)
    loader.add_value("parent_id", parent["id"] if parent is not None else None)
    loader.add_value("author", name)
    loader.add_value("author_url", site)
    date = node.get("dateCreated") or node.get("datePublished")
    loader.add_value("published_machine", date.strip() if isinstance(date, str) else None)
    loader.add_value("url", url or context.url)
    body = escape(text, quote=False) if text else None  # JSON-LD text is plain text, not markup
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("deleted", False)
    loader.add_value("comment_type", "comment")
    loader.add_value("source", SOURCE_HTML)
    item = loader.load_item()
    replies = node.get("comment")
    replies = replies if isinstance(replies, list) else [replies] if isinstance(replies, dict) else []
    children = [_item(r, context, item, seen) for r in replies if _is_comment(r)]
    if children:
        item["replies"] = children
    return item
