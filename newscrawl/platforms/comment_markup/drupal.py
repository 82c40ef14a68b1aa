"""Drupal's comments (7 and 8+), from what core and its themes write.

* Every comment is an element with class ``comment`` (``article`` or ``div``), right after its
  anchor ``<a id="comment-CID">`` (7) or carrying ``id="comment-CID"`` (8+); 8+ adds
  ``js-comment``, ``data-comment-user-id`` and ``<mark class="hidden" data-comment-user-id>``;
  RDF metadata (``about="/comment/CID"``, ``typeof="sioc:Post sioct:Comment"`` in 7,
  ``typeof="schema:Comment"`` in 8+).
* Threads: a comment's replies follow it inside ``div.indented``; 8+ also prints "In reply to
  <a href="/comment/PARENT#comment-PARENT">" (``p.parent``, visually hidden).
* Author: ``.comment__author``, ``span[rel=schema:author]``, ``.username``, the RDF name; a theme
  that prints only "NAME | DATE" in its footer is read from that line.  ``p[property=schema:name]``
  is the comment's TITLE, and the name in the "In reply to" line is the parent's author.
* Dates: ``time[datetime]``, ``span[property=schema:dateCreated][content]`` (8+),
  ``[property="dc:date dc:created"][content]`` (7), or the text of ``.comment__time`` /
  ``.submitted`` ("Submitted by NAME on DATE").
* Body: ``div[property=schema:text]``, ``.field--name-comment-body`` (8+), ``.field-name-comment-body`` (7).
"""

from __future__ import annotations

import re

from ..markup import has_class
from .fields import Found, System

NAME = "drupal"

_ANCHOR = re.compile(r"^comment-(\d+)$")
_PERMALINK = re.compile(r"/comment/(\d+)")


def find(doc) -> list[Found]:
    candidates = doc.xpath(
        f"//*[self::article or self::div][{has_class('comment')} or {has_class('js-comment')}]"
        "[contains(@about, '/comment/') or contains(@typeof, 'sioct:Comment') or contains(@typeof, 'schema:Comment')"
        f" or @data-comment-user-id or {has_class('js-comment')} or ./mark[@data-comment-user-id]"
        " or preceding-sibling::*[1][self::a][starts-with(@id, 'comment-')]]"
    )
    found: list[Found] = []
    by_id: dict[str, object] = {}
    members: dict[int, Found] = {}
    for element in candidates:
        native = _native_id(element)
        if native is None or native in by_id:  # a wrapper and its inner element: the outer one
            continue
        by_id[native] = element
        entry = Found(element, native, None)
        members[id(element)] = entry
        found.append(entry)
    for entry in found:
        parent = _parent(entry.element, members)
        entry.parent = parent if parent is not None else _replied_to(entry, by_id)
        entry.linked = parent is None and entry.parent is not None
    return found


def _native_id(element) -> str | None:
    anchor = element.getprevious()
    if anchor is not None and anchor.tag == "a":
        match = _ANCHOR.match(anchor.get("id") or anchor.get("name") or "")
        if match:
            return match.group(1)
    match = _ANCHOR.match(element.get("id") or "")
    if match:
        return match.group(1)
    for value in [element.get("about")] + element.xpath(".//a[contains(@href, '/comment/')]/@href"):
        match = _PERMALINK.search(value or "")
        if match and "/comment/reply/" not in (value or ""):
            return match.group(1)
    return None


def _parent(element, members: dict[int, Found]):
    """Drupal prints a comment's replies after it, inside ``div.indented``: the parent is the
    comment element just before that ``div`` (or the last one inside a theme's wrapper)."""
    for ancestor in element.iterancestors():
        if "indented" not in (ancestor.get("class") or "").split():
            continue
        previous = ancestor.getprevious()
        while previous is not None:
            if isinstance(previous.tag, str) and previous.tag != "a":
                if id(previous) in members:
                    return previous
                inner = [e for e in previous.iter() if id(e) in members and e is not previous]
                if inner:
                    return next(e for e in inner if e.getparent() is not None and _top_inside(e, previous, members))
                if "indented" not in (previous.get("class") or "").split():
                    return None
            previous = previous.getprevious()
        return None
    return None


def _top_inside(element, wrapper, members) -> bool:
    """The element is not inside another comment within the wrapper."""
    for ancestor in element.iterancestors():
        if ancestor is wrapper:
            return True
        if id(ancestor) in members:
            return False
    return True


def _replied_to(entry: Found, by_id: dict[str, object]):
    """Drupal 8+'s "In reply to <a href="/comment/PARENT#comment-PARENT">" line."""
    for href in entry.element.xpath(f".//*[{has_class('parent')} or {has_class('visually-hidden')}]"
                                    "//a[contains(@href, '/comment/')]/@href"):
        match = _PERMALINK.search(href)
        if match and match.group(1) != entry.native_id and match.group(1) in by_id:
            return by_id[match.group(1)]
    return None


def _by_post_author(classes: set[str]) -> bool:
    return bool({"comment-by-node-author", "by-node-author", "by-author"} & classes)


# "In reply to X by NAME" and the comment's title are never the author
_NOT_AUTHOR = ("p.parent", "p.visually-hidden", ".visually-hidden", "[property='schema:name']:not([typeof])",
               ".comment__title", "h3.title", "h5.title", ".permalink", "ul.links")

SYSTEM = System(
    NAME, find,
    author_css=(".comment__author", "[rel~='schema:author']", ".username", "[property~='foaf:name']",
                "[typeof='schema:Person'][property~='schema:name']", ".comment-author", ".author",
                ),
    body_css=("[property='schema:text']", ".field--name-comment-body",
              ".field-name-comment-body", ".comment__content", ".comment__text", ".comment-content", ".content"),
    display_date_css=(".comment__time", ".comment-time", ".date"),  # .submitted: read as a header
    chrome_css=("ul.links", ".links", ".comment-reply", ".expanding-formatter-ellipsis",
                ".expanding-formatter-trigger", "h3", ".comment__title", "mark", ".permalink",
                "[property='schema:name']"),
    header_css=(".submitted", ".comment__submitted", "footer h1", "footer h2", "footer h3", "footer h4", "footer h5", "footer h6", "footer p",
                "header p", ".comment__meta", ".comment-meta", "footer", "header"),
    not_author_css=_NOT_AUTHOR,
    anchor_id=lambda native: f"comment-{native}",
    by_post_author=_by_post_author,
)
