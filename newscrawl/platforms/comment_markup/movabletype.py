"""Movable Type's and TypePad's comments, from their default templates.

* MT 3 / early TypePad: ``<a id="c123"></a>`` then ``div.comments-body`` with the text and
  ``span.comments-post`` "Posted by: NAME | DATE" (the date links ``#c123``).
* MT 4+ ("Comment Detail"): ``div.comment#comment-123`` with ``div.comment-header`` (byline:
  ``.vcard .fn`` / ``.vcard.author``, ``abbr.published[title]``; a reply says "replied to
  <a href="#comment-122">comment from NAME</a>"), and ``div.comment-content``.
* TypePad: ``div.comment#comment-6a00…`` (hex ids) inside ``div.comments-content``, with
  ``div.comment-content`` and ``p.comment-footer`` / ``span.comment-footer-inner``
  "Posted by: NAME | DATE" (microformats ``.vcard .fn`` / ``.dtpublished`` in newer themes).
* Pingbacks and trackbacks: ``div.trackback`` / ``div.trackbacks-*`` (never reader comments).
"""

from __future__ import annotations

import re

from ...loaders import collapse_whitespace
from ..markup import has_class
from .fields import Found, System, content_hash, in_the_post

NAME = "movabletype"

_ID = re.compile(r"^(?:comment-|c|trackback-|tb-?|ping-)([0-9a-f]{3,40})$")
# what only MT/TypePad comments hold (the generic list markup has none of these)
_MT_PARTS = " or ".join(has_class(c) for c in (
    "comment-footer", "comment-footer-inner", "comments-post", "comments-body", "comment-header", "byline",
    "comment-byline", "comment-content", "asset-meta"))


def find(doc) -> list[Found]:
    blocks = doc.xpath(
        f"//div[{has_class('comment')} or {has_class('trackback')} or {has_class('comments-body')}]"
        f"[.//*[{_MT_PARTS}] or {has_class('comments-body')}]"
    )
    # any comment element holding MT's own reply link, whatever the template's classes
    scripted = doc.xpath(f"//div[starts-with(@id, 'comment-')][.//a[contains(@onclick, '{_REPLY_SCRIPT}(')]]")
    if scripted:  # in page order among the others (a walk of the page, only where there are any)
        blocks = _in_page_order(doc, blocks, scripted)
    blocks = [b for b in blocks if in_the_post(b) and (_native_id(b) or _mt3_pair(b))]
    if not blocks or not _is_mt(doc, blocks):
        return []
    members = {id(b) for b in blocks}
    found: list[Found] = []
    by_native: dict[str, object] = {}
    seen_hashes: dict[str, int] = {}
    for block in blocks:
        native = _native_id(block) or content_hash(block, members, seen_hashes)
        if native in by_native:
            continue
        by_native[native] = block
        parent = next((a for a in block.iterancestors() if id(a) in members), None)
        kind = "trackback" if "trackback" in (block.get("class") or "").split() else None
        found.append(Found(block, native, parent, kind))
    for entry in found:
        if entry.parent is None:
            entry.parent = _replied_to(entry, by_native)
            entry.linked = entry.parent is not None
    return found


# MT 4+'s comment templates: <a onclick="mtReplyCommentOnClick(862962, 'Juno the Loon')">Reply</a>
_REPLY_SCRIPT = "mtReplyCommentOnClick"
_REPLY_CALL = re.compile(_REPLY_SCRIPT + r"""\(\s*(\d+)\s*,\s*(['"])(.*?)(?<!\\)\2\s*\)""", re.S)


def _in_page_order(doc, *groups) -> list:
    members = {id(e) for group in groups for e in group}
    return [e for e in doc.iter() if id(e) in members]


def _reply_call(block) -> re.Match | None:
    for onclick in block.xpath(f".//a[contains(@onclick, '{_REPLY_SCRIPT}(')]/@onclick"):
        match = _REPLY_CALL.search(onclick)
        if match and block.get("id") == f"comment-{match.group(1)}":
            return match
    return None


def scripted_author(block) -> str | None:
    """The commenter's name as MT writes it into its reply link (JavaScript-escaped)."""
    match = _reply_call(block)
    if not match:
        return None
    return collapse_whitespace(re.sub(r"\\(.)", r"\1", match.group(3))) or None


def _mt3_pair(block) -> bool:
    """MT 3's comment body with its byline (``div.comments-body`` > ``span.comments-post``), which a
    template may print without the ``#cNNN`` anchor: the comment is identified by its content."""
    return bool(block.xpath(f"self::*[{has_class('comments-body')}][.//*[{has_class('comments-post')}]]"))


def _is_mt(doc, blocks) -> bool:
    generator = " ".join(doc.xpath("//meta[@name='generator']/@content")).lower()
    if "movable type" in generator or "typepad" in generator or "movabletype" in generator:
        return True
    if any(_reply_call(b) for b in blocks):
        return True  # MT's own reply script
    # without the generator: the engine's own footer/byline in most comment blocks
    footers = sum(1 for b in blocks if b.xpath(
        f".//*[{has_class('comment-footer')} or {has_class('comments-post')} or {has_class('comment-footer-inner')}"
        f" or {has_class('comment-header')} or {has_class('asset-meta')}]"))
    return footers * 2 > len(blocks)


def _native_id(block) -> str | None:
    match = _ID.match(block.get("id") or "")
    if match:
        return match.group(1)
    previous = block.getprevious()
    if previous is not None and previous.tag == "a":
        match = _ID.match(previous.get("id") or previous.get("name") or "")
        if match:
            return match.group(1)
    for anchor in block.xpath("./a[@id or @name][1]"):
        match = _ID.match(anchor.get("id") or anchor.get("name") or "")
        if match:
            return match.group(1)
    return None


def _replied_to(entry: Found, by_native: dict[str, object]):
    """MT's "replied to <a href="#comment-122">comment from NAME</a>" in the comment's byline."""
    for href in entry.element.xpath(
            f".//*[{has_class('byline')} or {has_class('comment-header')} or {has_class('asset-meta')}"
            f" or {has_class('comment-footer')}]//a[contains(@href, '#')]/@href"
            " | .//a[contains(concat(' ', @rel, ' '), ' in-reply-to ')]/@href"
            # MT's "replied to <a href="#comment-122">comment from NAME</a>" wherever the template puts it
            " | .//a[starts-with(normalize-space(.), 'comment from ')]/@href"):
        match = _ID.match(href.rsplit("#", 1)[1])
        if match and match.group(1) != entry.native_id and match.group(1) in by_native:
            return by_native[match.group(1)]
    return None


def _by_post_author(classes: set[str]) -> bool | None:
    """TypePad's ``comment-by-owner``, MT's ``entry-author-comment`` / ``by-author``; unmarked: unknown."""
    return True if {"comment-by-owner", "entry-author-comment", "by-author"} & classes else None


SYSTEM = System(
    NAME, find,
    author_css=(".vcard .fn", ".vcard.author", ".comment-author", ".commenter-name", ".author"),
    body_css=(".comment-content", ".comments-body", ".comment-body", ".comment-text", ".trackback-content",
              ".comments-content"),
    display_date_css=(".comment-date", ".date"),
    chrome_css=(".comments-post", ".comment-footer", ".comment-footer-inner", ".reply", ".comment-reply"),
    header_css=(".comment-footer-inner", ".comment-footer", ".comments-post", ".byline", ".comment-byline",
                ".comment-header", ".asset-meta"),
    not_author_css=(".comment-reply", ".reply"),
    by_post_author=_by_post_author,
    scripted_author=scripted_author,
)
