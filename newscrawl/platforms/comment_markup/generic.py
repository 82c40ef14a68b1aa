"""Comments of engines nobody named: the classic list markup many themes copy, Disqus's copy for
readers without script, and, last, repeated comment blocks found by their shape.

* **List**: ``ol``/``ul`` with class ``comments``, ``commentlist``, ``comment-list`` or
  ``comments-list`` holding ``li.comment`` (replies nested inside their parent).
* **Disqus copy**: ``.d-noscript-comments`` / ``#dsq-content`` (no ids, no dates).
* **Blocks**: inside a container whose id or class says comments (``#comments``, ``.comments``,
  ``.commentlist``, ``.comment-list``), the elements of one tag-and-class signature that each hold
  an author-like element, a date and a text.  The set is taken only when it is consistent (most
  blocks have all three); otherwise nothing is taken and a warning says so.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict

from ...dates import parse_machine_date
from ..markup import has_class
from .fields import Context, Found, System, in_the_post, looks_like_date, nested, text_of

logger = logging.getLogger(__name__)

LIST = "list"
DISQUS = "disqus"
BLOCKS = "blocks"

_LIST_CLASSES = ("comments", "commentlist", "comment-list", "comments-list")
_NATIVE_ID = re.compile(r"^(?:li-|div-|dsq-)?(?:comment|comments|cmt|c)[-_]?(\d+)$")
_PERMALINK_ID = re.compile(r"#(?:comment|cmt|c)[-_]?(\d+)$")


def find_list(doc) -> list[Found]:
    lists = " or ".join(has_class(name) for name in _LIST_CLASSES)
    items = doc.xpath(f"//*[self::ol or self::ul][{lists} or @id='comments' or @id='commentlist']"
                      f"//li[{has_class('comment')} or {has_class('pingback')} or {has_class('trackback')}]")
    if not items:
        items = doc.xpath(f"//*[@id='comments' or {has_class('comments')}]"
                          f"//*[self::div or self::article][{has_class('comment')}][@id]")
        items = [item for item in items if own_native_id(item)]
    return nested([i for i in items if in_the_post(i)], native_id)


def find_disqus_copy(doc) -> list[Found]:
    # the plugins' server-side copy: classed comments, or ul#dsq-comments > li#dsq-comment-N
    items = doc.xpath(f"//*[@id='disqus_thread' or @id='dsq-content' or {has_class('d-noscript-comments')}]"
                      f"//*[{has_class('comment')} or (self::li and starts-with(@id, 'dsq-comment-'))]")
    items = [item for item in items if item.tag != "li" or own_native_id(item) or has_class_word(item, "comment")]
    return nested(items, own_native_id)


def has_class_word(element, word: str) -> bool:
    return word in (element.get("class") or "").split()


def own_native_id(element) -> str | None:
    match = _NATIVE_ID.match(element.get("id") or "")
    return match.group(1) if match else None


def native_id(element) -> str | None:
    """The comment's id: its own element id, an inner element's (``article#comment-N`` in an
    ``li``), ``data-comment-id``, or its permalink's anchor."""
    own = own_native_id(element) or (element.get("data-comment-id") or "").strip() or None
    if own:
        return own
    for inner in element.xpath(".//*[@id]")[:3]:
        native = own_native_id(inner)
        if native:
            return native
    for href in element.xpath(".//a/@href"):
        match = _PERMALINK_ID.search(href)
        if match:
            return match.group(1)
    return None


# -- repeated blocks -----------------------------------------------------------------------------

_CONTAINER = ("//*[" + " or ".join([f"@id='{n}'" for n in ("comments", "comment-list", "commentlist", "comments-list")]
                                   + [has_class(n) for n in _LIST_CLASSES]) + "]")
_AUTHOR_LIKE = re.compile(r"(?:^|[-_\s])(?:vcard|fn|author|name|user|username|nick|commenter|poster)(?:$|[-_\s])")
_DATE_LIKE = re.compile(r"(?:^|[-_\s])(?:date|time|timestamp|meta|posted|published|when)(?:$|[-_\s])")
_BODY_LIKE = re.compile(r"(?:^|[-_\s])(?:content|text|body|message|entry|comment-text)(?:$|[-_\s])")
# classes that differ between blocks of one list: parity, depth, position, per-user
_VARYING = re.compile(r"^(?:odd|even|alt|first|last|depth-\d+|thread-\w+|level-\d+|.*\d.*|by.*|comment-author-.*)$")


def _signature(element) -> tuple:
    classes = sorted(c for c in (element.get("class") or "").split() if not _VARYING.match(c))
    return element.tag, tuple(classes)


def _token(element, pattern: re.Pattern) -> str | None:
    """A CSS selector for an element by the class word that says what it is (``span.poster-name``)."""
    for word in (element.get("class") or "").split():
        if pattern.search(word):
            return f"{element.tag}.{word}"
    return element.tag if element.tag in ("cite", "time", "abbr", "p") else None


def _parts(block, context: Context) -> tuple[str | None, str | None, str | None]:
    """Selectors of a block's author-like element, its date and its text (None where missing)."""
    author = date = body = None
    for element in block.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        classes = element.get("class") or ""
        text = text_of(element) or ""
        if author is None and text and (element.tag == "cite" or _AUTHOR_LIKE.search(classes)
                                        or element.get("itemprop") in ("author", "creator")):
            author = _token(element, _AUTHOR_LIKE) or f"[itemprop={element.get('itemprop')}]"
        if date is None and (parse_machine_date(element.get("datetime") or element.get("content")
                                                or (element.get("title") if element.tag == "abbr" else None))
                             is not None or (_DATE_LIKE.search(classes) and looks_like_date(text, context))):
            date = _token(element, _DATE_LIKE) or element.tag
        if body is None and (_BODY_LIKE.search(classes) or element.tag == "p") and len(text) > 1:
            body = _token(element, _BODY_LIKE)
    return author, date, body


def _common(values: list[str | None]) -> str | None:
    present = [v for v in values if v]
    return max(set(present), key=present.count) if present else None


def blocks(doc, context: Context) -> tuple[list[Found], System | None]:
    """The comment blocks of an engine nobody named, and the selectors their fields have."""
    best: list = []
    best_parts: list[tuple] = []
    rejected: list[tuple[str, int, int]] = []
    for container in doc.xpath(_CONTAINER):
        if not in_the_post(container):
            continue
        groups: dict[tuple, list] = defaultdict(list)
        for element in container.iterdescendants():
            if isinstance(element.tag, str) and element.tag in ("li", "div", "article", "section", "dl", "tr"):
                groups[_signature(element)].append(element)
        for signature, elements in groups.items():
            if not signature[1] and signature[0] in ("div", "section"):
                continue  # an unclassed div is layout, not a signature
            parts = [_parts(e, context) for e in elements]
            complete = sum(all(p) for p in parts)
            if complete == 0:
                continue
            if complete * 4 < len(elements) * 3:  # most blocks must have all three
                rejected.append((f"{signature[0]}.{'.'.join(signature[1])}", len(elements), complete))
                continue
            outermost = [e for e in elements if not any(a in elements for a in e.iterancestors())]
            if len(elements) > len(best) and (len(outermost) >= 2 or complete == len(elements)):
                best, best_parts = elements, parts
    if not best:
        if rejected:
            shape, total, complete = max(rejected, key=lambda r: r[1])
            logger.warning("%s: %d '%s' blocks in the comments area, but only %d show an author, a date and a "
                           "text: no comments taken from them (an engine whose markup we do not know yet)",
                           context.url, total, shape, complete)
        return [], None
    author, date, body = (_common([p[i] for p in best_parts]) for i in range(3))
    body_css = (body,) if body and body != "p" else ()
    system = System(
        BLOCKS, lambda _doc: [],
        author_css=(author,) + _GENERIC_AUTHOR, body_css=body_css + _GENERIC_BODY,
        display_date_css=(date,) + _GENERIC_DATE, chrome_css=_CHROME + (author, date), by_post_author=_list_author,
        header_css=(".comment-meta", ".comment-header", ".meta", "header", "footer"),
        not_author_css=(".reply", ".comment-reply", ".comment-reply-link", ".comment-edit-link", "time",
                        ".says", date),
    )
    return nested(best, native_id), system


_GENERIC_AUTHOR = (".comment-author .fn", ".vcard .fn", ".fn", "[itemprop=author]", ".comment-author",
                   ".comment-author-name", ".author-name", ".author", ".username", ".user", ".name", ".nick",
                   ".commenter", "cite", "strong", "b")
_GENERIC_BODY = (".comment-content", ".comment-text", ".comment_text", "[itemprop=text]", ".comment-entry",
                 ".commenttext", ".comment-body", ".comment-message", ".message", ".content", ".text", ".body")
_GENERIC_DATE = (".comment-date", ".comment-time", ".comment-metadata", ".commentmetadata", ".comment-meta",
                 ".date", ".time", ".timestamp", ".meta")
_CHROME = (".reply", ".comment-reply", ".comment-reply-link", ".comment-edit-link", ".comment-author",
           ".comment-meta", ".comment-metadata", ".commentmetadata", ".comment-date", "cite.fn")


def _list_author(classes: set[str]) -> bool | None:
    return True if "bypostauthor" in classes else None


LIST_SYSTEM = System(
    LIST, find_list,
    author_css=(".comment-author .fn", ".fn", ".comment-author", ".comment-author-name", "cite", "[itemprop=author]",
                ".author", ".username"),
    body_css=_GENERIC_BODY[:7], display_date_css=_GENERIC_DATE[:6],
    chrome_css=_CHROME, by_post_author=_list_author,
    not_author_css=(".reply", ".comment-reply", ".comment-reply-link", ".comment-edit-link"),
)
DISQUS_SYSTEM = System(
    DISQUS, find_disqus_copy,
    author_css=(".comment-author", ".dsq-comment-cite", "cite", ".author"),
    body_css=(".comment-body", ".dsq-comment-message", ".comment-message", ".comment-content"),
    display_date_css=(".comment-date", ".dsq-comment-meta", ".date"),
)
