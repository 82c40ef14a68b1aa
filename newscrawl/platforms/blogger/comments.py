"""Comments on a Blogger post page: the threaded widget (``comment-thread`` / ``comment-replies``) and
the classic list (``comment-author`` / ``comment-body`` / ``comment-footer``), their authors, and
Blogger's notices for removed comments."""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

from lxml import etree, html as lxml_html

from ...dates import looks_like_date
from ...items import CommentItem
from ...loaders import CommentLoader, collapse_whitespace
from ..markup import has_class as _cls, inner_html, match_group, strip_said
from .ids import canonical_post_url, comment_key, epoch_ms_from_permalink, post_key
from .query import PageIndex, joined_text, members_below, select, select_in

logger = logging.getLogger(__name__)

# Blogger's comment ids: ``c1234567890`` (every template since 2004), ``comment-1234`` (some themes)
_COMMENT_ID = re.compile(r"^(?:c|comment-)(\d+)$")

# Blogger's removal notices, shown instead of a removed comment's text.  Templates
# mark them with span.deleted-comment; newer themes print the bare sentence, so the
# sentence itself is recognised too (only when it is the whole comment).
REMOVED_NOTICE = re.compile(
    r"^\s*(this comment has been removed by|dieser kommentar wurde .{0,40}entfernt|"
    r"ce commentaire a été supprimé par|este comentario ha sido eliminado por|"
    r"questo commento è stato eliminato|este comentário foi removido|"
    r"этот комментарий был удален|автор удалил этот комментарий|deze reactie is verwijderd)"
    r"[^<>]{0,60}$",
    re.IGNORECASE,
)


def parse_html_comments(
    doc: lxml_html.HtmlElement, blog: str, post_id: str, post_url: str, index: PageIndex | None = None
) -> list[CommentItem]:
    """Comments of a post page as a tree (replies nested in ``replies``), found by Blogger's own
    comment ids wherever a template puts them.

    Threaded widget and themes built on it: a comment box (``li.comment#cID``, or any element
    with a ``cID`` / ``comment-ID`` id that holds the comment's text).  A reply's parent is the
    comment box it is nested in, or the one its reply list is named for (``cID-rt`` / ``cID-ra``):
    never a guess from the order.  Classic templates (2004-2009 and the Layouts ``comments-block``):
    a head named by the id (``dt.comment-author#cID``, ``dt.comment-poster``, ``div``) or by an
    ``a[name=cID]`` anchor, with the siblings that follow it up to the next comment (``dd.comment-body``,
    ``dd.comment-footer``, ``p.comment-data``).  A page may carry both (the widget shows one and
    hides the other), so an id already read is skipped."""
    index = index or PageIndex(doc)
    seen: dict[str, CommentItem] = {}
    boxes = [e for e in index.with_id_matching(_COMMENT_ID) if _is_comment_box(e, index)]
    box_ids = {e: match_group(_COMMENT_ID, e.get("id")) for e in boxes}
    top: list[CommentItem] = []
    for box in boxes:
        comment_id = box_ids[box]
        if comment_id in seen:
            continue
        item = _box_comment(box, set(boxes), index, blog, post_id, post_url, comment_id)
        seen[comment_id] = item
        parent_id = _parent_box_id(box, box_ids)
        parent = seen.get(parent_id) if parent_id else None
        if parent is not None:
            item["parent_id"] = parent["id"]
            parent.setdefault("replies", []).append(item)
        else:
            top.append(item)
    for head, comment_id in _classic_heads(doc, index, set(boxes)):
        if comment_id in seen:
            continue
        item = _classic_comment(head, index, blog, post_id, post_url, comment_id)
        seen[comment_id] = item
        top.append(item)
    return top


# -- the threaded widget and themes built on it ----------------------------------------------

# A comment's text and its author's name, by the classes and microdata Blogger's templates give them.
_BODY_CLASSES, _BODY_ITEMPROPS = ("comment-content", "comment-body", "comment-text"), ("text", "commentText")
_AUTHOR_CLASSES = ("comment-author", "comment-poster", "fn", "comment-name")


def _bodies(index: PageIndex) -> set:
    return index.with_any(_BODY_CLASSES, _BODY_ITEMPROPS)


def _authors(index: PageIndex) -> set:
    return index.with_any(_AUTHOR_CLASSES, ("author",))
_REPLY_LIST_ID = re.compile(r"^c(\d+)-r[at]$")


def _is_comment_box(element, index: PageIndex) -> bool:
    """An element that is a whole comment: ``li.comment``, or an element of a comment id that
    holds the comment's text (a classic head, ``dt#cID``, holds only the name)."""
    if element.tag == "li" and "comment" in (element.get("class") or "").split():
        return True
    return element.tag not in ("dt", "dd", "a") and bool(members_below([element], _bodies(index), itself=False))


def _parent_box_id(box, box_ids: dict) -> str | None:
    for ancestor in box.iterancestors():
        if ancestor in box_ids:
            return box_ids[ancestor]
        named = match_group(_REPLY_LIST_ID, ancestor.get("id"))
        if named:
            return named
    return None


def _box_comment(box, boxes: set, index: PageIndex, blog: str, post_id: str, post_url: str,
                 comment_id: str) -> CommentItem:
    # the box's own parts: not its reply lists, nor the boxes of replies nested in it
    own = [child for child in box if isinstance(child.tag, str) and not _is_reply_container(child)
           and child not in boxes and not any(d in boxes for d in child.iterdescendants())]
    header = select_in(own, f".//*[{_cls('comment-header')}]") or own
    author = (select_in(header, "descendant-or-self::cite") or select_in(header, f"descendant-or-self::*[{_cls('user')}]")
              or members_below(header, _authors(index)))
    body = members_below(own, _bodies(index))
    stamp = _stamp(own)
    is_owner = bool(select_in(header, f"descendant-or-self::*[{_cls('blog-author')}]")) or "blog-author" in (
        box.get("class") or "").split()
    return _comment_item(index, blog, post_id, post_url, comment_id, author_el=author[0] if author else None,
                         body_el=body[0] if body else None, stamp_el=stamp, is_owner=is_owner)


def _is_reply_container(element) -> bool:
    classes = (element.get("class") or "").split() if isinstance(element.tag, str) else []
    return "comment-replies" in classes or "comment-thread" in classes or "thread-expanded" in classes


# -- classic templates ---------------------------------------------------------------------

_HEAD_CLASSES = ("comment-author", "comment-poster", "comment-data")
_STAMP_PATHS = (
    ".//a[contains(@href,'showComment=')]",
    ".//time[@datetime] | .//abbr[@title]",
    f".//*[{_cls('comment-timestamp')}]//a | .//a[@title='comment permalink']",
    f".//*[{_cls('comment-timestamp')} or {_cls('datetime')} or {_cls('comment-date')}]",
    # the comment's own permalink, href='#cID'
    ".//a[substring-after(@href, '#c') != ''][translate(substring-after(@href, '#c'), '0123456789', '') = '']",
)


def _classic_heads(doc, index: PageIndex, boxes: set) -> list[tuple]:
    """Each classic comment's head and id, in page order: an element of the id, or the parent of an
    ``a[name=cID]`` anchor (the anchor itself when the comments are its siblings)."""
    heads: dict = {}
    for element in index.with_id_matching(_COMMENT_ID):
        if element not in boxes and not any(a in boxes for a in element.iterancestors()):
            heads.setdefault(element, match_group(_COMMENT_ID, element.get("id")))
    for anchor in index.tagged("a"):
        comment_id = match_group(_COMMENT_ID, anchor.get("name"))
        if comment_id is None or any(a in boxes for a in anchor.iterancestors()):
            continue
        # <dt><a name='cID'></a>NAME said...</dt>: the anchor opens its head; a bare anchor among
        # the comments' elements (<a name='cID'></a><p class='comment-body'>...) is its own head
        parent = anchor.getparent()
        first = next((c for c in parent if isinstance(c.tag, str)), None)
        opens = first is anchor and not (parent.text or "").strip() and parent.get("id") != "comments"
        head = parent if opens and parent.tag in ("dt", "div", "p", "li", "span", "td") else anchor
        heads.setdefault(head, comment_id)
    if len(heads) < 2:
        return list(heads.items())
    order = {e: n for n, e in enumerate(doc.iter())}
    return sorted(heads.items(), key=lambda pair: order[pair[0]])


def _comment_parts(head, index: PageIndex) -> list:
    """A classic comment's elements: its head, then the siblings up to the next comment's head
    (none when the head already holds the comment's text)."""
    parts = [head]
    if head.tag != "a" and members_below([head], _bodies(index), itself=False):
        return parts
    for sibling in head.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        classes = (sibling.get("class") or "").split()
        if (_COMMENT_ID.match(sibling.get("id") or "") or any(c in classes for c in _HEAD_CLASSES if c != "comment-data")
                or sibling.tag == "dt" or any(_COMMENT_ID.match(n) for n in select(sibling, ".//a/@name | ./@name"))):
            break
        parts.append(sibling)
    return parts


def _classic_comment(head, index: PageIndex, blog: str, post_id: str, post_url: str, comment_id: str) -> CommentItem:
    parts = _comment_parts(head, index)
    stamp = _stamp(parts)
    body = members_below(parts, _bodies(index))
    if not body:
        body = [p for p in parts[1:] if p.tag in ("dd", "p", "div") and not _is_meta(p)][:1]
    author = [e for e in members_below(parts, _authors(index)) if e is not stamp]
    author = author or select_in(parts, f"descendant-or-self::*[{_cls('comment-data')}]")
    author_el = author[0] if author else (head if head.tag != "a" else None)
    below = (e for part in parts if isinstance(part.tag, str) for e in part.iterdescendants(etree.Element))
    is_owner = any("blog-author" in (e.get("class") or "").split() for e in (head, *below))
    return _comment_item(index, blog, post_id, post_url, comment_id, author_el, body[0] if body else None, stamp,
                         is_owner, classic=True)


def _is_meta(element) -> bool:
    classes = " ".join((element.get("class") or "").split())
    return any(word in classes for word in ("footer", "timestamp", "comment-data", "comment-author", "poster"))


def _stamp(parts: list):
    """The comment's time: its ``?showComment=`` permalink, a machine value, then a timestamp's text."""
    for path in _STAMP_PATHS:
        found = select_in(parts, path.replace(".//", "descendant-or-self::"))
        if found:
            return found[0]
    return None


def _comment_item(
    index: PageIndex,
    blog: str,
    post_id: str,
    post_url: str,
    comment_id: str,
    author_el,
    body_el,
    stamp_el,
    is_owner: bool,
    classic: bool = False,
) -> CommentItem:
    name, author_url = _comment_author(author_el, classic, stamp_el, _avatar_links(index))
    if name and looks_like_date(name):
        logger.warning("Blogger comment c%s on %s: the author %r reads as a date: not stored as its author",
                       comment_id, post_url, name)
        name, author_url = None, None
    href = stamp_el.get("href") if stamp_el is not None and stamp_el.tag == "a" else None
    permalink = urljoin(post_url, href) if href and "showComment=" in href else None
    machine = epoch_ms_from_permalink(permalink)
    if machine is None and stamp_el is not None:
        machine = stamp_el.get("datetime") if stamp_el.tag == "time" else stamp_el.get("title") if stamp_el.tag == "abbr" else None
    removed = members_below([body_el], index.with_any(("deleted-comment",)), itself=False) if body_el is not None else []
    notice = joined_text(removed) if removed else joined_text([body_el]) if body_el is not None else None
    deleted = bool(removed or (notice and REMOVED_NOTICE.match(notice)))
    inner = inner_html(_unwrap_single_paragraph(body_el)) if body_el is not None and not deleted else None
    return CommentLoader.build(
        id=comment_key(blog, comment_id),
        post_id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=comment_id,
        author=name,
        author_url=author_url,
        is_blog_author=is_owner,
        url=permalink or f"{canonical_post_url(post_url)}#c{comment_id}",
        published_machine=machine,
        published_raw=joined_text([stamp_el]) if stamp_el is not None else None,
        deleted=deleted,
        deleted_reason=notice if deleted else None,
        content_html=inner,
        content_text=inner,
        comment_type="comment",
        source="html",
    )


# What a classic head prints around the name once the time is taken out: "At <time>, NAME said...",
# "By NAME, at <time>", "Posted by NAME".
_AROUND_NAME = re.compile(r"^\W*(?:(?:posted\s+)?by|at|von|par|por|door|di)\b\W*|\W*(?:\bat|\bon|\bum|\bam|\ble)?\W*$",
                          re.IGNORECASE)


def _is_stamp_link(link, stamp_el) -> bool:
    href = link.get("href") or ""
    return (link is stamp_el or (stamp_el is not None and stamp_el in link.iterancestors())
            or "showComment=" in href or href.startswith("#") or link.get("title") == "comment permalink"
            or "comment-reply" in (link.get("class") or ""))


def _avatar_links(index: PageIndex) -> set:
    """The links inside an avatar (``.avatar-image-container a``): a picture, not the name."""
    return index.tagged_inside("a", "avatar-image-container")


def _comment_author(author_el, classic: bool, stamp_el=None, avatar_links: frozenset | set = frozenset()
                    ) -> tuple[str | None, str | None]:
    if author_el is None:
        return None, None
    links = [
        a for a in select(author_el, "descendant-or-self::a[@href]")
        if a not in avatar_links and not _is_stamp_link(a, stamp_el)
    ]
    if links:
        name = collapse_whitespace(strip_said(links[0].text_content()))
        if name:
            return name, links[0].get("href")
    if classic:
        # "NAME said..." is loose text beside the avatar and the time: the element's own text
        # without the time's
        own_text = " ".join(
            t for t in select(author_el, "./text() | ./span[not(@class)]/text()") if t.strip()
        )
        lines = [line.strip() for line in own_text.splitlines() if line.strip()]
        text = strip_said(" ".join(lines[:1]) if len(lines) > 1 and strip_said(lines[0]) != lines[0] else own_text)
        name = collapse_whitespace(_AROUND_NAME.sub("", collapse_whitespace(strip_said(text or "")) or ""))
        if name:
            return name, None
        titles = select(author_el, ".//img/@title")
        return (collapse_whitespace(titles[0]) if titles else None), None
    return collapse_whitespace(strip_said(author_el.text_content())), None


def _unwrap_single_paragraph(element):
    """The classic ``dd.comment-body`` wraps the comment in one ``<p>``: store its inside."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag == "p" and not (element.text or "").strip():
        return children[0]
    return element
