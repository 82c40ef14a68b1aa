"""SPIP's forum messages (the comments of an article), from the markup its templates write.

* ``squelettes-dist`` up to 2.x and many themes: ``li.forum-fil`` threads; each message is
  ``.forum-message`` with the header ``.forum-chapo`` ("DATE, par NAME" or ``.forum-qui``) and
  the text ``.forum-texte``; replies in a ``ul`` inside the parent's ``li``.
* SPIP 3 ``inclure/forum.html`` and its offspring: ``li.comment-li`` / ``li.comment-item`` in
  nested ``ul.comments-ul`` (``ul.comments-items``), each an hReview: ``p.comment-meta`` with the
  permalink, ``time[datetime]`` or ``abbr.dtreviewed``/``abbr.published[title]``, and
  ``span.reviewer`` (", par NAME", sometimes ``.fn`` inside); ``span.item`` names the reviewed
  article (its ``.fn`` is the article's title, never the author); the text is ``.comment-content``.
* Ids: the anchors ``a#forumNNN`` / ``a#commentNNN``, else the Crayons classes
  (``forum-texte-ID``, ``forum-qui-ID``) or the reply link's ``id_forum=ID``.
* Parents: the nesting of the ``li``; a ``rel="in-reply-to"`` link to another message also says it.
"""

from __future__ import annotations

import re

from ..markup import has_class
from .fields import Found, System, in_the_post

NAME = "spip"

_ANCHOR = re.compile(r"^(?:forum|comment)(\d+)$")
_CRAYON = re.compile(r"(?:^|\s)forum-(?:texte|texteavert|qui|titre|hyperlien)-?(\d+)(?:\s|$)")
_REPLY = re.compile(r"[?&](?:amp;)?id_forum=(\d+)")


def find(doc) -> list[Found]:
    threads = doc.xpath(f"//li[{has_class('forum-fil')}]")
    if not threads:
        threads = [li for li in doc.xpath(f"//li[{has_class('comment-li')} or {has_class('comment-item')}]")
                   if _is_spip(li)]
    threads = [li for li in threads if in_the_post(li)]
    members = {id(li) for li in threads}
    found: list[Found] = []
    by_native: dict[str, object] = {}
    for li in threads:
        native = _native_id(li, members)
        if native is None or native in by_native:
            continue
        by_native[native] = li
        parent = next((a for a in li.iterancestors() if id(a) in members), None)
        found.append(Found(li, native, parent))
    for entry in found:
        if entry.parent is None:
            entry.parent = _in_reply_to(entry, by_native)
            entry.linked = entry.parent is not None
    return found


def _is_spip(li) -> bool:
    """A SPIP message: its own ``a#forumNNN`` anchor, Crayons class or ``id_forum`` reply link."""
    return bool(li.xpath("./a[starts-with(@id, 'forum') or starts-with(@name, 'forum')]"
                         " | .//a[contains(@href, 'id_forum=')] | .//*[contains(@class, 'forum-texte')]"))


def _own(li, members: set[int], path: str) -> list:
    return [v for v in li.xpath(path)
            if next((a for a in (v.getparent() if isinstance(v, str) else v).iterancestors()
                     if id(a) in members), None) is li]


def _native_id(li, members: set[int]) -> str | None:
    for value in _own(li, members, ".//a/@id | .//a/@name"):
        match = _ANCHOR.match(value)
        if match:
            return match.group(1)
    for value in _own(li, members, ".//@class"):
        match = _CRAYON.search(value)
        if match:
            return match.group(1)
    for value in _own(li, members, ".//a/@href"):
        match = _REPLY.search(value)
        if match:
            return match.group(1)
    return None


def _in_reply_to(entry: Found, by_native: dict[str, object]):
    for href in entry.element.xpath(".//a[contains(concat(' ', @rel, ' '), ' in-reply-to ')]/@href"):
        match = re.search(r"#(?:forum|comment)(\d+)$", href)
        if match and match.group(1) != entry.native_id and match.group(1) in by_native:
            return by_native[match.group(1)]
    return None


SYSTEM = System(
    NAME, find,
    author_css=(".reviewer .fn", ".comment-author .fn", "[class*='forum-qui']", ".forum-auteur", ".reviewer",
                ".comment-author", ".vcard .fn", ".vcard"),
    body_css=(".forum-texte", ".comment-content", ".comment-texte", ".description"),
    display_date_css=(".date", ".forum-date"),  # "DATE, par NAME" in small: read as a header
    chrome_css=(".repondre", ".comment-reply", ".forum-chapo", ".moderation", ".comment-meta"),
    header_css=(".forum-chapo small", ".forum-chapo", ".comment-meta"),
    not_author_css=(".item", ".forum-titre", ".permalink", ".repondre", ".comment-reply"),
    anchor_id=lambda native: f"forum{native}",
)
