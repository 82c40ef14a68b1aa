"""What every comment engine shares once its comment elements are found: how a comment element
becomes a ``CommentItem`` (author, dates, body, permalink) and how found comments make a tree.

The rules are the same for every family: the author is the name as shown (never the date text,
the comment's title or the reply link; a name that reads as a date is dropped with a warning);
a machine date goes to ``published_machine`` as written and the shown text to ``published_raw``
(the date pipeline reads it); the parent comes only from what the page shows (nesting,
``div.indented``, in-reply-to links).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin

from lxml import html as lxml_html

from ...dates import DateContext, parse_display_date, parse_machine_date
from ...items import CommentItem
from ...loaders import CommentLoader, collapse_whitespace
from ..markup import drop_keeping_tail, has_class, inner_html, own_css, own_matches, strip_said

logger = logging.getLogger(__name__)

SOURCE_HTML = "html"


@dataclass
class Found:
    element: object
    native_id: str
    parent: object | None  # the element of the comment this one replies to
    comment_type: str | None = None  # pingback / trackback when the engine marks them
    # the parent is named by a link ("in reply to #comment-N") in a list shown flat: the reply keeps
    # its place in the page's order (parent_id set, not nested under its parent)
    linked: bool = False


@dataclass(frozen=True)
class System:
    """One engine family's markup: how to find its comments and where its fields are."""

    name: str
    find: Callable[[object], list[Found]]
    author_css: tuple[str, ...]
    body_css: tuple[str, ...]
    display_date_css: tuple[str, ...] = ()
    chrome_css: tuple[str, ...] = ()
    # elements whose text is "NAME | DATE" / "Posted by: NAME | DATE" (read when author_css finds no name)
    header_css: tuple[str, ...] = ()
    # never the author: the comment's title, the "in reply to X" line, the reviewed item ...
    not_author_css: tuple[str, ...] = ()
    anchor_id: Callable[[str], str] | None = None  # native id -> the page anchor of the comment
    # the name an engine writes into its own script calls (Movable Type's reply link), read
    # when author_css finds no name
    scripted_author: Callable[[object], str | None] | None = None
    # True / False when the engine marks the post author's comments; None when it cannot tell
    by_post_author: Callable[[set[str]], bool | None] = lambda classes: None


@dataclass(frozen=True)
class Context:
    url: str
    post_id: str
    blog_id: str
    dates: DateContext = field(default_factory=DateContext)


def comment_key(post_id: str, native_id: str) -> str:
    """Our comments.id: the post's id and the comment's own id on the site."""
    return f"{post_id}:c{native_id}"


# -- the tree ---------------------------------------------------------------------------------


def build_tree(found: list[Found], system: System, context: Context) -> list[CommentItem]:
    members = {id(f.element) for f in found}
    items: dict[int, CommentItem] = {}
    roots: list[CommentItem] = []
    for entry in found:
        item = comment_item(entry, system, context, members)
        items[id(entry.element)] = item
        parent = items.get(id(entry.parent)) if entry.parent is not None else None
        if parent is not None:
            item["parent_id"] = parent["id"]
            if entry.linked:
                roots.append(item)
            else:
                parent.setdefault("replies", []).append(item)
        else:
            roots.append(item)
    return roots


def nested(items: list, native_of: Callable[[object], str | None]) -> list[Found]:
    """Comment elements whose replies are nested inside them (a reply's parent: its nearest
    comment ancestor)."""
    members = {id(item) for item in items}
    found: list[Found] = []
    seen_hashes: dict[str, int] = {}
    for item in items:
        parent = next((a for a in item.iterancestors() if id(a) in members), None)
        native = native_of(item) or content_hash(item, members, seen_hashes)
        found.append(Found(item, native, parent))
    return found


def content_hash(element, members: set[int], seen: dict[str, int]) -> str:
    """An id for a comment the markup gives none: author and text, numbered when repeated."""
    text = " ".join(own_matches(element, members, ".//text()"))
    return hashed(text, seen)


def hashed(text: str, seen: dict[str, int]) -> str:
    digest = "h" + hashlib.sha1((collapse_whitespace(text) or "").encode("utf-8")).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


# Places a comments block can be that are not the post's comments: "recent comments" widgets.
# (Not every ``aside``: SPIP themes put the whole forum in one.)
OUTSIDE_THE_POST = (
    f"ancestor-or-self::*[{has_class('widget')} or {has_class('sidebar')} or @id='sidebar'"
    f" or {has_class('widget_recent_comments')} or @id='recentcomments' or {has_class('recentcomments')}"
    f" or {has_class('recent-comments')}]"
)


def in_the_post(element) -> bool:
    return not element.xpath(OUTSIDE_THE_POST)


# -- one comment ------------------------------------------------------------------------------


def comment_item(entry: Found, system: System, context: Context, members: set[int]) -> CommentItem:
    element = entry.element
    classes = set((element.get("class") or "").split())
    loader = CommentLoader()
    loader.add_value("id", comment_key(context.post_id, entry.native_id))
    loader.add_value("post_id", context.post_id)
    loader.add_value("blog_id", context.blog_id)
    loader.add_value("platform_id", entry.native_id)
    header = header_of(element, system, members, context)
    name, author_url = author_of(element, system, members, context)
    if name is None and system.scripted_author is not None:
        name = system.scripted_author(element)
        author_url = _site_of_named(element, name, context.url) if name else None
    if name is None:
        name, author_url = header[0], header[2]
    loader.add_value("author", name)
    loader.add_value("author_url", author_url)
    loader.add_value("is_blog_author", system.by_post_author(classes))
    machine, display = dates_of(element, system, members)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display or header[1] or _permalink_date(element, entry.native_id, members)
                     or _loose_date(element, system, members, context))
    loader.add_value("url", permalink(element, entry.native_id, system, members, context.url))
    body = body_of(element, system, members)
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("deleted", False)
    kind = entry.comment_type or next((k for k in ("pingback", "trackback") if k in classes), "comment")
    loader.add_value("comment_type", kind)
    loader.add_value("source", SOURCE_HTML)
    item = loader.load_item()
    if item.get("is_blog_author") is None:
        item.pop("is_blog_author", None)  # unknown, not "no": the engine does not mark it
    return item


def text_of(element) -> str | None:
    return collapse_whitespace(element.text_content()) if element is not None else None


_NOT_A_NAME = ("avatar", "user-picture", "comment__picture", "screen-reader-text", "says", "visually-hidden",
               "element-invisible", "sr-only", "hidden")
# Links that are the comment's own (permalink, reply, edit), not the commenter's site.
_OWN_LINK = re.compile(r"^(?:#|javascript:)|/comment/|replytocom=|id_forum=|#comment|#c\d|#forum\d|/reply/")


def is_own_link(href: str | None) -> bool:
    return bool(_OWN_LINK.search(href or ""))


def author_of(element, system: System, members: set[int], context: Context) -> tuple[str | None, str | None]:
    """(name, the commenter's site) from the engine's author elements."""
    excluded = _excluded(element, system, members)
    for css in system.author_css:
        for found in own_css(element, members, css):
            if _is_excluded(found, excluded):
                continue
            name = name_of(found, excluded)
            if name and acceptable_name(name, context, found):
                return name, _site_of(found, context.url)
    return None, None


def header_of(element, system: System, members: set[int], context: Context):
    """(name, date text, site) of a comment header "NAME | DATE", "Submitted by NAME on DATE",
    "DATE, par NAME" (the first of the engine's header elements that has a name or a date)."""
    excluded = _excluded(element, system, members)
    for css in system.header_css:
        for found in own_css(element, members, css):
            if _is_excluded(found, excluded):
                continue
            name, date_text = split_header(_text_without(found, excluded), context)
            if name or date_text:
                return name, date_text, _site_of(found, context.url) if name else None
    return None, None, None


def _excluded(element, system: System, members: set[int]) -> list:
    return [e for css in system.not_author_css for e in own_css(element, members, css)]


def _is_excluded(found, excluded: list) -> bool:
    if any(found.xpath(f"ancestor-or-self::*[{has_class(name)}]") for name in _NOT_A_NAME):
        return True
    ancestors = set(map(id, found.iterancestors())) | {id(found)}
    return any(id(e) in ancestors for e in excluded)


def _site_of(found, url: str) -> str | None:
    links = [a.get("href") for a in found.xpath("descendant-or-self::a[@href]") if not is_own_link(a.get("href"))]
    return urljoin(url, links[0]) if links else None


def name_of(element, excluded: list = ()) -> str | None:
    """The name an author element shows: its text without pictures, dates and hidden labels."""
    skip = {id(e) for e in excluded}
    parts = []
    for piece in element.xpath("./text() | ./*[not(self::img or self::time or self::abbr or self::script)]"):
        if isinstance(piece, str):
            parts.append(piece)
        elif id(piece) not in skip and not any(n in (piece.get("class") or "").split() for n in _NOT_A_NAME):
            parts.append(piece.text_content())
    return clean_name(" ".join(parts))


# "Posted by:", "Submitted by", "von", ", par" ... before a name, in the languages engines ship.
_BY_WORDS = r"(?:by|von|par|de|door|di|da|por|av|af)\b"
# "de", "di" and "da" only after a verb ("scritto da NAME", "publicado de"): alone they begin names
# ("da Silva", "De Vries", "di Stefano")
_BY = re.compile(
    r"^(?:(?:posted|written|submitted|comment(?:ed)?|geschrieben|verfasst|eingereicht|kommentar|écrit|"
    r"publié|posté|envoyé|scritto|inviato|escrito|publicado|geplaatst)\s+" + _BY_WORDS +
    r"|(?:by|von|par|door|por|av|af)\b)\s*:?\s*|^(?:posted|geschrieben|écrit|publié)\s*:\s*",
    re.IGNORECASE,
)
_EDGES = " ,:;·|–—-\u00a0"


def clean_name(text: str | None) -> str | None:
    text = collapse_whitespace(text or "") or ""
    text = _strip_edges(text)
    text = _BY.sub("", text)
    text = _strip_edges(strip_said(text))
    return collapse_whitespace(text) or None


# A separator's hyphen stands apart ("Anna -"); one joined to the name is the name's ("Vilx-").
_LOOSE_HYPHENS = re.compile(r"^(?:-+(?:\s+|$))+|(?:(?:^|\s+)-+)+$")


def _strip_edges(text: str) -> str:
    before = None
    while before != text:
        before = text
        text = _LOOSE_HYPHENS.sub("", text.strip(_EDGES.replace("-", "")))
    return text


_TIME = re.compile(r"(?<![\d.])\d{1,2}\s*[:h]\s*\d{2}\b")
_DATEISH = re.compile(r"\d{4}|\d{1,2}[./-]\d{1,2}|" + _TIME.pattern)


def looks_like_date(text: str, context: Context) -> bool:
    """Shown date text, in the page's language ("18. Oktober 2023 - 13:11"), not a name."""
    if not _DATEISH.search(text) and len(re.findall(r"\d+", text)) < 2:
        return False
    return parse_display_date(text, context.dates) is not None


def acceptable_name(name: str, context: Context, where=None) -> bool:
    if len(name) > 120:
        return False
    if looks_like_date(name, context):
        logger.warning("%s: the comment author %r reads as a date; left out (the markup put the date "
                       "where the name belongs)", context.url, name)
        return False
    return True


_SEPARATORS = re.compile(r"\s*(?:\||·|•|—|–|\s-\s)\s*")


def split_header(text: str | None, context: Context) -> tuple[str | None, str | None]:
    """("NAME", "DATE") from a comment header "NAME | DATE" / "Posted by: NAME | DATE" /
    "DATE, par NAME"."""
    text = collapse_whitespace(text or "")
    if not text:
        return None, None
    pieces = [p for p in _SEPARATORS.split(text) if p and p.strip(_EDGES)]
    if len(pieces) < 2:
        # "12 mars 2015, par Jean": a comma only where a "by" word follows it
        pieces = [p for p in re.split(r",\s*(?=" + _BY_WORDS + r")", text, flags=re.IGNORECASE) if p.strip(_EDGES)]
    if len(pieces) < 2:
        return _split_at_date(text, context)
    name = date_text = None
    for piece in pieces:
        if date_text is None and looks_like_date(piece, context):
            date_text = piece.strip(_EDGES)
        elif name is None:
            name = clean_name(piece)
    # a date written with " - " between day and time ("21. April 2020 - 16:40")
    if date_text is not None:
        rest = text.split(date_text, 1)[1] if date_text in text else ""
        tail = _SEPARATORS.split(rest.strip(_EDGES), 1)[0] if rest.strip(_EDGES) else ""
        if tail and _TIME.fullmatch(tail.strip()):
            date_text = f"{date_text} - {tail.strip()}"
            if name == clean_name(tail):
                name = None
    if name and (looks_like_date(name, context) or not acceptable_name(name, context)):
        name = None
    return name, date_text


# the word between a name and its date: "John on 12 March", "Anna am 3. Mai", "Paul le 2 mai"
_CONNECTIVE = re.compile(r"\s+(?:on|at|am|um|le|el|il|op|den|o|em|w|,)\s*$", re.IGNORECASE)


def _split_at_date(text: str, context: Context) -> tuple[str | None, str | None]:
    """"Submitted by NAME on DATE": the name before the longest tail that reads as a date."""
    words = text.split(" ")
    if len(words) > 16:
        return None, None
    for start in range(1, len(words)):
        tail = " ".join(words[start:])
        if looks_like_date(tail, context):
            name = clean_name(_CONNECTIVE.sub("", " ".join(words[:start])))
            if name and acceptable_name(name, context):
                return name, tail
            return None, tail
    return None, None


def _text_without(element, excluded: list) -> str | None:
    skip = {id(e) for e in excluded}
    parts: list[str] = []

    def walk(node):
        if id(node) in skip or any(n in (node.get("class") or "").split() for n in _NOT_A_NAME):
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in ("script", "style"):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return collapse_whitespace(" ".join(parts))


_MACHINE_DATES = (
    ".//time/@datetime",
    ".//abbr/@title",
    ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']/@content",
    ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']/@datetime",
    ".//*[@property][contains(@property, 'date') or contains(@property, 'created')]/@content",
)
_TIME_ONLY = re.compile(r"^\W*(?:um|at|à|a las|alle|om|kl\.?)?\s*\d{1,2}\s*[:h.]\s*\d{2}(?::\d{2})?"
                        r"\s*(?:[ap]\.?\s?m\.?|uhr|h)?\W*$", re.IGNORECASE)


def dates_of(element, system: System, members: set[int]) -> tuple[str | None, str | None]:
    """(machine value as written, shown text) of a comment's date."""
    machine = display = None
    for path in _MACHINE_DATES:
        for value in own_matches(element, members, path):
            holder = value.getparent()
            if parse_machine_date(value) is not None:
                machine = value.strip()
                display = text_of(holder) if holder.tag in ("time", "abbr") else None
                break
        if machine:
            break
    if not display:
        for css in ("time", "abbr.published", "abbr.dtreviewed", ".dtpublished") + system.display_date_css:
            holders = [found for found in own_css(element, members, css) if re.search(r"\d", text_of(found) or "")]
            if holders:
                display = with_time(holders[0])
                break
    return machine, display or None


def with_time(holder) -> str | None:
    """A date's shown text, with the time an engine prints in the next element ("12.03.2015"
    ``<span class="time">14:22</span>``), or the date printed before a time alone."""
    text = text_of(holder) or ""
    if _TIME.search(text) and not _TIME_ONLY.match(text):
        return text
    if _TIME_ONLY.match(text):
        before = holder.getprevious()
        if before is not None and re.search(r"\d", text_of(before) or ""):
            return f"{text_of(before)} {text.strip()}"
        return text
    after = holder.getnext()
    if after is not None and _TIME_ONLY.match(text_of(after) or "") and not (holder.tail or "").strip():
        return f"{text} {text_of(after).strip()}"
    if _TIME_ONLY.match(holder.tail or ""):
        return f"{text} {holder.tail.strip()}"
    return text


def _site_of_named(element, name: str, url: str) -> str | None:
    """The link whose text is the commenter's name: their site or profile."""
    for anchor in element.xpath(".//a[@href]"):
        if text_of(anchor) == name and not is_own_link(anchor.get("href")):
            return urljoin(url, anchor.get("href"))
    return None


def _loose_date(element, system: System, members: set[int], context: Context) -> str | None:
    """A date printed as loose text in the comment's meta line ("#1 • 8:05 AM Wednesday, Aug 18, 2010 •"),
    never from the body: the first piece between separators that reads as a date."""
    bodies = [found for css in system.body_css for found in own_css(element, members, css)]
    for text in own_matches(element, members, ".//text()[normalize-space()]"):
        holder = text.getparent()
        if any(holder is body or body in holder.iterancestors() for body in bodies) or \
                holder.tag in ("script", "style", "p", "blockquote"):
            continue
        for piece in _SEPARATORS.split(collapse_whitespace(text) or ""):
            if looks_like_date(piece.strip(_EDGES), context):
                return piece.strip(_EDGES)
    return None


def _permalink_date(element, native_id: str, members: set[int]) -> str | None:
    """The date shown as the text of the comment's own permalink ("| <a href="#c123">June 1, 2005 10:00 AM</a>")."""
    for anchor in own_css(element, members, "a[href]"):
        href = anchor.get("href") or ""
        if href.endswith(native_id) and "#" in href and _DATEISH.search(text_of(anchor) or ""):
            return text_of(anchor)
    return None


def permalink(element, native_id: str, system: System, members: set[int], url: str) -> str:
    anchors = own_css(element, members, "a[href]")
    anchors.sort(key=lambda a: "bookmark" not in (a.get("rel") or "").split())  # the engine's permalink first
    for anchor in anchors:
        href = anchor.get("href") or ""
        if f"/comment/{native_id}" in href or re.search(rf"#(?:comment-?|forum|c){re.escape(native_id)}$", href):
            return urljoin(url, href)
    anchor_id = system.anchor_id(native_id) if system.anchor_id else None
    if anchor_id is None and element.get("id"):
        anchor_id = element.get("id")
    return f"{url}#{anchor_id}" if anchor_id else url


# A class or id that names a comment's text ("comment-body", "commentcontent", "comment_text_wrap",
# "message") and not its other parts ("comment-author", "commentheader", "date-text").
_BODY_WORD = re.compile(r"body|text|content|message|entry", re.I)
_NOT_BODY_WORD = re.compile(r"author|name|user|date|time|meta|header|footer|avatar|title", re.I)


def _class_and_id(element) -> list[str]:
    return (element.get("class") or "").split() + [element.get("id") or ""]


def says_body(element) -> bool:
    """The element's class words or id name a comment's text."""
    return any(_BODY_WORD.search(w) and not _NOT_BODY_WORD.search(w) for w in _class_and_id(element))


def body_of(element, system: System, members: set[int]) -> str | None:
    for css in system.body_css:
        found = own_css(element, members, css)
        if found:
            return clean_inner_html(found[0], system.chrome_css) or None
    # a template that renamed the engine's body class (Boing Boing's MT "commentcontent"): the
    # comment's first element whose class says text, as the shape reader finds bodies (generic.py)
    for found in own_matches(element, members, ".//*[@class or @id]"):
        if says_body(found) and len(text_of(found) or "") > 1:
            return clean_inner_html(found, system.chrome_css) or None
    # last, prose without a name (Nature's div.wrap): the first element of the comment that holds
    # plain paragraphs, unless its class says it is the byline ("comment-meta", "vcard author")
    for found in own_matches(element, members, ".//*[p]"):
        byline = any(_NOT_BODY_WORD.search(w) for w in _class_and_id(found))
        classed_paragraphs = any(child.get("class") for child in found if child.tag == "p")
        if not byline and not classed_paragraphs and len(text_of(found) or "") > 1:
            return clean_inner_html(found, system.chrome_css) or None
    return None


def clean_inner_html(element, chrome_css: tuple[str, ...]) -> str | None:
    """The body's markup without reply links, buttons and nested replies."""
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode"))
    nested_ = [e for e in copy.iter() if e is not copy and _is_comment_like(e)]
    for junk in nested_ + [j for css in chrome_css for j in copy.cssselect(css) if j is not copy]:
        drop_keeping_tail(junk)
    return inner_html(copy) or None


def _is_comment_like(element) -> bool:
    classes = set((element.get("class") or "").split())
    return element.tag == "li" and bool({"comment", "forum-fil", "comment-li"} & classes)
