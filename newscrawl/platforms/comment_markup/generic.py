"""Comments of engines nobody named: the classic list markup many themes copy, Disqus's copy for
readers without script, and, last, repeated comment blocks found by their shape.

* **List**: ``ol``/``ul`` with class ``comments``, ``commentlist``, ``comment-list`` or
  ``comments-list`` holding ``li.comment`` (replies nested inside their parent).
* **Disqus copy**: ``.d-noscript-comments`` / ``#dsq-content`` (no ids, no dates).
* **Blocks**: inside the outermost elements whose id or class holds the word "comment" (any case),
  the elements of one tag and class (or tag alone, or id less its number) that each hold a name
  (an author-like class, a profile link, or the element just before the date), a date (a machine
  value or text the date code reads) and a text.  Ids from the attribute that differs per block
  (``comment_id``, ``data-comment-id``, ``id``) or a named anchor; replies nested in a block, in a
  "children"/"replies" container right after it, or pointed at by an "in reply to" link.  The set
  is taken only when it is consistent (most blocks have all three); otherwise nothing is taken and
  a warning says so.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict

from lxml import etree

from ...dates import parse_machine_date
from ...loaders import collapse_whitespace
from ..markup import css_xpath, has_class, own_matches
from .fields import (Context, Found, System, clean_name, in_the_post, is_own_link, looks_like_date,
                     nested, says_body, text_of)

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
#
# Engines nobody named, read by structure alone: in an area whose id or class says "comment" (any
# case, the outermost such element), the elements of one tag-and-class signature that each hold a
# name, a date and a text.  Nothing here names one site's classes: a name is an element whose class
# says author/user/name/poster..., a profile link, or the element printed just before the date; a
# date is a machine value or a text the date code reads; a text is the body-like element (or the
# one holding most of the block's prose).  A set is taken only when most of its blocks have all
# three; its fields' selectors are then learned from the blocks themselves.

# an area that says comments: its id or class holds the word in any case (never the page itself)
_CONTAINER = ("//*[not(self::html or self::body or self::head or self::form or self::script or self::style"
              " or self::input or self::textarea or self::a or self::span or self::img or self::meta or self::link)]"
              "[contains(translate(@id, 'COMENT', 'coment'), 'comment')"
              " or contains(translate(@class, 'COMENT', 'coment'), 'comment')]")
_BLOCK_TAGS = ("li", "div", "article", "section", "dl", "tr", "table")
# tags whose elements are grouped by tag alone too (an unclassed div or section is layout)
_TAG_ALONE = ("li", "dl", "article", "tr", "table")
_AUTHOR_LIKE = re.compile(r"vcard|^fn$|author|name|user|nick|commenter|commentor|poster|member|^by$", re.I)
_DATE_LIKE = re.compile(r"date|time|stamp|posted|published|when", re.I)
# classes that differ between blocks of one list: parity, depth, position, per-user
_VARYING = re.compile(r"^(?:odd|even|alt|first|last|depth-\d+|thread-\w+|level-\d+|.*\d.*|by.*|comment-author-.*)$")
# a link to a commenter's profile page
_PROFILE = re.compile(r"profile|/users?/|/members?/|/people/|/author/|/social/|/u/[^/]", re.I)
# the words of a container of a comment's replies placed right after it
_CHILDREN = re.compile(r"child|repl(?:y|ies)|respons|answers|sub-?comments|nested", re.I)
# never read for a field: forms, scripts, what is hidden
_SKIP = {"form", "textarea", "input", "select", "button", "script", "style", "noscript", "iframe", "head", "option"}
_INLINE = {"a", "abbr", "b", "blockquote", "br", "code", "em", "font", "i", "p", "pre", "q", "s", "small", "span",
           "strike", "strong", "sub", "sup", "u", "wbr", "ul", "ol", "li", "cite"}
_IDENT = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")
_MACHINE = (".//time[@datetime] | .//abbr[@title] | .//*[@itemprop='dateCreated' or @itemprop='datePublished'"
            " or @itemprop='commentTime'][@content or @datetime]")
# a word of a date: a number, "18,", "10/28/10", "3:40", "1st"
_NUMERIC = re.compile(r"\W*\d[\d:./-]*(?:st|nd|rd|th|h|\.)?\W*", re.I)
_SAMPLE = 5
_MOST = 0.75  # the share of blocks that must show a name, a date and a text


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in _classes(element) or element.get("hidden") is not None


def _walk(block):
    """The block's elements in page order, without forms, scripts and what is hidden."""
    todo = [child for child in reversed(block) if isinstance(child.tag, str)]
    while todo:
        element = todo.pop()
        if element.tag in _SKIP or _hidden(element):
            continue
        yield element
        todo.extend(child for child in reversed(element) if isinstance(child.tag, str))


def _contains(outer, inner) -> bool:
    return inner is not None and (outer is inner or any(a is outer for a in inner.iterancestors()))


class _Reader:
    """What the blocks of one page show, read once per block (blocks of several candidate sets
    overlap) and once per date text (the date code is slow on what is no date)."""

    def __init__(self, context: Context):
        self.context = context
        self.dates: dict[str, bool] = {}
        self.headers: dict[str, bool] = {}
        self.parts: dict[int, tuple] = {}

    def is_date(self, text: str) -> bool:
        if text not in self.dates:
            # no number of its own ("18,", "2010", "3:40"): no date, and the date code is not asked
            # nor is a line of many words ("Page: 1 2 3 Next › Last »"): the date code is slowest on those
            words = text.split()
            numbers = sum(1 for w in words if _NUMERIC.fullmatch(w))
            self.dates[text] = len(text) <= 80 and 0 < numbers <= 4 \
                and sum(1 for w in words if re.search(r"[^\W\d_]", w) and not re.search(r"\d", w)) <= 4 \
                and looks_like_date(text, self.context)
        return self.dates[text]

    def holds_date(self, text: str) -> bool:
        """A line with a date after other words ("wrote on October 28, 2010 @ 3:29 PM", "by Ann
        August 18, 2010 3:40 PM"): a tail that reads as a date, starting at a word with a digit or
        the word before it."""
        if text not in self.headers:
            words = text.split(" ")
            starts = []
            for i, word in enumerate(words[1:], 1):
                if _NUMERIC.fullmatch(word):
                    starts += [i - 1, i] if i - 1 not in starts else [i]
            self.headers[text] = any(self.is_date(" ".join(words[s:])) for s in [s for s in starts if s > 0][:4])
        return self.headers[text]

    def read(self, block, hints: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> tuple:
        """(name element, the author-like element it was found in, date element, date kind, body element)."""
        key = id(block)
        if key not in self.parts:
            self.parts[key] = self._read(block, hints)
        return self.parts[key]

    def _read(self, block, hints) -> tuple:
        elements = list(_walk(block))
        date, kind = self._date(block, elements, hints)
        name, via = self._name(elements, date, kind)
        body = self._body(elements, name, date)
        return name, via, date, kind, body

    def _date(self, block, elements: list, hints):
        skip = {id(e) for e in elements}
        for found in block.xpath(_MACHINE):
            value = found.get("datetime") or found.get("content") or found.get("title")
            if id(found) in skip and parse_machine_date(value) is not None:
                return found, "machine"
        for kind, selectors in zip(("display", "header"), hints):  # where the other blocks of the set show it
            for css in selectors:
                for found in _select(block, css)[:1]:
                    text = text_of(found) or ""
                    if id(found) in skip and re.search(r"\d", text) \
                            and (self.is_date(text) if kind == "display" else self.holds_date(text)):
                        return found, kind
        # the first text that is a date, or the first line holding one after other words (unless
        # an element inside that line is the date alone)
        header = None
        for element in elements:
            if header is not None and not _contains(header, element):
                break
            text = text_of(element) or ""
            if not re.search(r"\d", text) or len(text) > 80:
                continue
            if element.tag in ("p", "blockquote") and not any(_DATE_LIKE.search(w) for w in _classes(element)):
                continue  # a paragraph is the comment's text, unless its class says it is the date
            if self.is_date(text):
                if any(_AUTHOR_LIKE.search(w) for w in _classes(element)):
                    continue  # a date where the name belongs: the name's place, not the date's
                return element, "display"
            if header is None and self.holds_date(text):
                header = element
        return (header, "header") if header is not None else (None, None)

    def _name(self, elements: list, date, kind):
        first = None
        for element in elements:
            if element.tag in ("img", "time", "abbr"):
                continue
            words = _classes(element)
            if not (element.tag == "cite" or element.get("itemprop") in ("author", "creator")
                    or any(_AUTHOR_LIKE.search(w) for w in words)):
                continue
            link = next((a for a in element.xpath("descendant-or-self::a[@href]")
                         if not is_own_link(a.get("href")) and self._short(text_of(a))), None)
            if link is not None:
                return link, element
            # (a date in the author's element is still its name: the comment reader drops it and says so)
            if first is None and self._short(text_of(element), dated=True) \
                    and not (kind == "display" and _contains(element, date)):
                first = element
        if first is not None:
            return first, first
        for element in elements:
            if element.tag == "a" and _PROFILE.search(element.get("href") or "") and self._short(text_of(element)):
                return element, None
        if date is not None and kind in ("display", "machine"):
            # the name printed just before the date, in the same line ("<a>Ann</a> <span>DATE</span>")
            line = date.getparent()
            for before in line if line is not None else ():
                if before is date:
                    break
                if isinstance(before.tag, str) and before.tag in ("a", "span", "strong", "b", "cite", "em") \
                        and self._short(text_of(before)):
                    return before, None
        if date is not None and kind == "header":
            return date, None  # "by Ann, August 18, 2010": the header line is read for both
        return None, None

    def _short(self, text: str | None, dated: bool = False) -> bool:
        text = clean_name(text)
        return bool(text) and len(text) <= 60 and len(text.split()) <= 5 and (dated or not self.is_date(text))

    def _body(self, elements: list, name, date):
        def usable(element) -> bool:
            return not _contains(element, date) and not _contains(element, name) \
                and not any(a is element for a in (name.iterancestors() if name is not None else ())) \
                and not (date is not None and _contains(date, element)) \
                and not (name is not None and _contains(name, element))

        for element in elements:
            if says_body(element) and usable(element) and len(text_of(element) or "") > 1:
                return element
        best, best_length = None, 1
        for element in elements:
            if element.tag in _INLINE and element.tag not in ("p", "blockquote"):
                continue
            if _contains(element, date) or (date is not None and _contains(date, element)):
                continue
            length = self._prose(element, name, date)
            if length > best_length:
                best, best_length = element, length
        return best

    def _prose(self, element, name, date) -> int:
        """The length of the text an element holds itself or in its paragraphs, the name and date left out."""
        length = len((element.text or "").strip())
        for child in element:
            if isinstance(child.tag, str) and child.tag in _INLINE and child is not name and child is not date \
                    and not _contains(child, name) and child.tag not in _SKIP and not _hidden(child):
                length += len(collapse_whitespace(child.text_content()) or "")
            length += len((child.tail or "").strip())
        return length


@functools.lru_cache(maxsize=512)
def _xpath_of(css: str):
    return etree.XPath(css_xpath(css))


def _select(block, css: str) -> list:
    return [e for e in _xpath_of(css)(block) if e is not block]


def _selectors(element, block, via=None, css: str | None = None) -> list[str]:
    """CSS selectors that find ``element`` first in ``block``: by its own class words, the id
    they share less the number, from a classed ancestor (the ``via`` element first), or by its
    path from the block (``css``: the selector of the set's blocks)."""
    candidates = []
    words = _classes(element)
    pattern = _AUTHOR_LIKE if via is element else None
    for word in sorted(words, key=lambda w: not (pattern and pattern.search(w))):
        if _IDENT.match(word) and not _VARYING.match(word):
            candidates.append(f"{element.tag}.{word}")
    ident = element.get("id") or ""
    prefix = re.sub(r"\d+$", "", ident)
    if prefix and prefix != ident and _IDENT.match(prefix):
        candidates.append(f"{element.tag}[id^='{prefix}']")
    ancestors = []
    for ancestor in element.iterancestors():
        if ancestor is block:
            break
        ancestors.append(ancestor)
    if via is not None and via is not element and via in ancestors:
        ancestors.remove(via)
        ancestors.insert(0, via)
    for ancestor in ancestors:
        for word in _classes(ancestor):
            if _IDENT.match(word) and not _VARYING.match(word):
                candidates.append(f"{ancestor.tag}.{word} {element.tag}")
    if element.tag in ("cite", "time", "abbr", "dt", "dd"):
        candidates.append(element.tag)
    if css and len(ancestors) < 6:
        path = [a.tag for a in element.iterancestors()][:len(ancestors)]
        candidates.append(" > ".join([css] + path[::-1] + [element.tag]))
    return [css for css in candidates if _select(block, css)[:1] == [element]][:2]


def _by_use(lists: list[list[str]]) -> tuple[str, ...]:
    """Selectors by how many blocks they serve, most first."""
    counts: dict[str, int] = defaultdict(int)
    for selectors in lists:
        for css in selectors[:1]:
            counts[css] += 1
    return tuple(sorted(counts, key=lambda css: -counts[css]))


def _containers(doc) -> list:
    found = [c for c in doc.xpath(_CONTAINER)]
    members = {id(c) for c in found}
    return [c for c in found if not any(id(a) in members for a in c.iterancestors()) and in_the_post(c)]


def _groups(container) -> dict[tuple, list]:
    groups: dict[tuple, list] = defaultdict(list)
    for element in container.iter(*_BLOCK_TAGS):
        if element is container or _hidden(element):
            continue
        for word in _classes(element):
            if not _VARYING.match(word):
                groups[(element.tag, word)].append(element)
        if element.tag in _TAG_ALONE:
            groups[(element.tag, "")].append(element)
        ident = element.get("id") or ""
        prefix = re.sub(r"\d+$", "", ident)
        if prefix and prefix != ident:
            groups[(element.tag, "#" + prefix)].append(element)
    return groups


def _complete(parts: tuple) -> bool:
    name, _via, date, _kind, body = parts
    return name is not None and date is not None and body is not None


def _sample(elements: list) -> list:
    if len(elements) <= _SAMPLE:
        return elements
    step = (len(elements) - 1) / (_SAMPLE - 1)
    return [elements[round(i * step)] for i in range(_SAMPLE)]


def _shape(signature: tuple) -> str:
    tag, word = signature
    return f"{tag}[id^='{word[1:]}']" if word.startswith("#") else f"{tag}.{word}" if word else tag


def blocks(doc, context: Context) -> tuple[list[Found], System | None]:
    """The comment blocks of an engine nobody named, and the selectors their fields have."""
    reader = _Reader(context)
    best = None  # (score, signature, elements, parts)
    rejected: list[tuple[str, int, int]] = []
    for container in _containers(doc):
        for signature, elements in _groups(container).items():
            if best is not None and len(elements) < best[0][0]:
                continue  # cannot beat the set already taken
            shape = _shape(signature)
            sample = _sample(elements)
            parts = [reader.read(e) for e in sample]
            if not any(_complete(p) for p in parts):
                continue
            if sum(map(_complete, parts)) < _MOST * len(sample):
                rejected.append((_shape(signature), len(elements), sum(map(_complete, parts))))
                continue
            hints = tuple(_by_use([_selectors(p[2], e, css=shape) for p, e in zip(parts, sample) if p[3] == kind])
                          for kind in ("display", "header"))
            parts = [reader.read(e, hints) for e in elements]
            complete = sum(map(_complete, parts))
            members = {id(x) for x in elements}
            outermost = [e for e in elements if not any(id(a) in members for a in e.iterancestors())]
            if complete < _MOST * len(elements):
                rejected.append((_shape(signature), len(elements), complete))
                continue
            ids = _native_ids(elements)
            if len(outermost) < 2 and not all(ids(e) for e in elements):
                continue  # a lone block is a comment only with the id the engine gives it
            score = (complete, sum(1 for e in elements if ids(e)), -len(elements), "comment" in signature[1].lower())
            if best is None or score > best[0]:
                best = (score, signature, elements, parts)
    if best is None:
        if rejected:
            shape, total, complete = max(rejected, key=lambda r: r[1])
            logger.warning("%s: %d '%s' blocks in the comments area, but only %d show an author, a date and a "
                           "text: no comments taken from them (an engine whose markup we do not know yet)",
                           context.url, total, shape, complete)
        return [], None
    _score, signature, elements, parts = best
    # a block that shows neither who nor when is no comment (a form, a list of links)
    kept = [(e, p) for e, p in zip(elements, parts) if p[0] is not None or p[2] is not None]
    elements, parts = [e for e, _ in kept], [p for _, p in kept]
    return _found(elements, parts), _system(elements, parts, _shape(signature), reader)


def _loose(line, reader: _Reader) -> bool:
    """A date the line prints as a text of its own ("by <a>Ann</a> August 18, 2010 3:40 PM"): the
    comment reader finds it as loose text, faster than by splitting the line."""
    if line.tag in ("p", "blockquote"):
        return False
    pieces = [line.text] + [child.tail for child in line]
    return any(reader.is_date(collapse_whitespace(piece) or "") for piece in pieces if piece and re.search(r"\d", piece))


def _system(elements: list, parts: list[tuple], shape: str, reader: _Reader) -> System:
    names, dates, headers, bodies = [], [], [], []
    for element, (name, via, date, kind, body) in zip(elements, parts):
        if name is not None and name is not date:
            names.append(_selectors(name, element, via, shape))
        if kind == "display":
            dates.append(_selectors(date, element, css=shape))
        elif kind == "header" and not _loose(date, reader):
            headers.append(_selectors(date, element, css=shape))
        if body is not None:
            bodies.append(_selectors(body, element, css=shape))
    author, date, header, body = _by_use(names), _by_use(dates), _by_use(headers), _by_use(bodies)
    return System(
        BLOCKS, lambda _doc: [],
        author_css=author + _GENERIC_AUTHOR, body_css=body + _GENERIC_BODY,
        display_date_css=date + _GENERIC_DATE, chrome_css=_CHROME + author + date, by_post_author=_list_author,
        header_css=header + (".comment-meta", ".comment-header", ".meta", "header", "footer"),
        not_author_css=(".reply", ".comment-reply", ".comment-reply-link", ".comment-edit-link", "time",
                        ".says") + date,
    )


_IN_REPLY = re.compile(r"in-?reply|reply-?to|replying|parent", re.I)


def _replied_to(element, members: set[int], anchors: dict):
    """The block an "in reply to" link of this block points at (``<span class="in-reply-to">``
    ``<a href="#comment-3">``), if it is one of the set's blocks before this one."""
    for link in own_matches(element, members, ".//a[starts-with(@href, '#')]"):
        holders = [link] + [a for a in link.iterancestors() if a is not element][:3]
        if any(_IN_REPLY.search(w) for holder in holders for w in _classes(holder)):
            target = anchors.get(link.get("href")[1:])
            if target is not None and target is not element:
                return target
    return None


def _native_ids(elements: list):
    """The comment's id: an attribute all blocks have with a different number each
    (``comment_id``, ``data-comment-id``, ``messageid``, ``id``), else a named anchor inside."""
    values: dict[str, list[str]] = defaultdict(list)
    for element in elements:
        for name, value in element.attrib.items():
            if (name == "id" or "id" in name.lower()) and re.search(r"\d", value):
                values[name].append(value.strip())
    chosen = [name for name, found in values.items()
              if len(found) >= _MOST * len(elements) and len(set(found)) == len(found)]
    chosen.sort(key=lambda name: (name != "id", "comment" not in name.lower(), name))

    def anchor(element) -> str | None:
        names = [n for n in element.xpath(".//a/@name")[:1] if re.search(r"\d", n)]
        return names[0] if names else None

    anchors = [anchor(e) for e in elements]
    use_anchors = sum(1 for a in anchors if a) >= _MOST * len(elements) and \
        len(set(a for a in anchors if a)) == sum(1 for a in anchors if a)

    def ids(element) -> str | None:
        for name in chosen:
            value = (element.get(name) or "").strip()
            if value:
                return value
        if use_anchors:
            found = anchor(element)
            if found:
                match = re.search(r"(\d+)$", found)
                return match.group(1) if found.isdigit() or not match else found
        return None

    return ids


def _found(elements: list, parts: list[tuple]) -> list[Found]:
    """Replies: blocks nested in another block, in a "children"/"replies" container placed
    right after a block, or (in a list shown flat) blocks whose "in reply to" link points at
    another block's anchor."""
    ids = _native_ids(elements)
    found = nested(elements, lambda e: ids(e) or native_id(e))
    members = {id(e) for e in elements}
    anchors = {}
    for element in elements:
        for name in [element.get("id")] + element.xpath("./a/@name | ./*[1]/a/@name"):
            if name:
                anchors.setdefault(name, element)
    for entry in found:
        if entry.parent is not None:
            continue
        target = _replied_to(entry.element, members, anchors)
        if target is not None:
            entry.parent, entry.linked = target, True
            continue
        for ancestor in entry.element.iterancestors():
            words = _classes(ancestor) + [ancestor.get("id") or ""]
            if any(_CHILDREN.search(w) for w in words if w):
                before = ancestor.getprevious()
                while before is not None and not isinstance(before.tag, str):
                    before = before.getprevious()
                if before is not None and id(before) in members:
                    entry.parent = before
                    break
            if ancestor.tag in ("body", "html"):
                break
    return found


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
                ".author", ".username", ".user", ".commenter", ".name", ".nick"),
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
