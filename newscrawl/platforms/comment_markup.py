"""Reader comments in the server-rendered markup of post pages of sites that are neither
Blogger nor WordPress, and where comments live when they are not in the page.

Each comment system is read from its own markup (see ``shared/real-pages/other``):

* **Drupal** 7 and 8+: core renders every comment as an element with class ``comment``
  (``article`` or ``div``) right after its anchor ``<a id="comment-CID">``; RDF metadata
  (``about="/comment/CID"``, ``typeof="sioc:Post sioct:Comment"``) or ``js-comment`` in
  8+; a reply follows its parent inside ``div.indented``.  Author ``.username`` (7),
  ``.comment__author`` (8+ themes) or the RDF name; date ``time[datetime]`` or the RDF
  ``content`` (``dc:date``, ``schema:dateCreated``); body the comment body field.
  ``comment-by-node-author`` / ``by-node-author`` mark the post's author.
* **SPIP**: ``li.forum-fil`` threads; each message is ``.forum-message`` with its header
  ``.forum-chapo`` and text ``.forum-texte``; replies in a ``ul`` inside the parent's
  ``li``.  The message id is the anchor ``#forumID``, else the Crayons classes
  (``forum-texte-ID``, ``forum-qui-ID``) or the ``id_forum=ID`` reply link.
* **Generic lists**: ``ol``/``ul`` with class ``comments``, ``commentlist``,
  ``comment-list`` or ``comments-list`` holding ``li.comment`` (the classic
  WordPress-style markup many custom CMS themes copy), replies nested inside their parent.
* **Disqus**: comments are loaded by script from disqus.com (``#disqus_thread``,
  ``disqus.com/embed.js``): ``PageComments.hosted_by`` says so.  Some sites print the
  Disqus comments into the page for readers without script (``.d-noscript-comments``):
  those are read too, without dates (the copy has none).

Ids: ``comment_key(post id, native id)``: the system's own comment id, or, where the markup
has none (Disqus's noscript copy), ``h`` and a hash of author and text.  Dates: machine
values (``time[datetime]``, ``abbr[title]``, RDF ``content``) as ``published_machine``; the
shown text as ``published_raw`` for the date pipeline, which reads it in the blog's
language and timezone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin

from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from ..dates import parse_machine_date
from ..items import CommentItem
from ..loaders import CommentLoader, collapse_whitespace
from .markup import count_comments, has_class, inner_html, own_css, own_matches, strip_said

SYSTEM_DRUPAL = "drupal"
SYSTEM_SPIP = "spip"
SYSTEM_LIST = "list"
SYSTEM_DISQUS = "disqus"

SOURCE_HTML = "html"


@dataclass
class PageComments:
    """The comments of one post page and what the page says about them."""

    comments: list[CommentItem] = field(default_factory=list)  # a tree: replies in ``replies``
    system: str | None = None  # which markup they were read from
    hosted_by: str | None = None  # disqus ...: the comments live there, not (only) in this page
    expected: int | None = None  # the count the page shows ("10 Kommentare"), when it shows one

    @property
    def found(self) -> int:
        return count_comments(self.comments)


def comment_key(post_id: str, native_id: str) -> str:
    """Our comments.id: the post's id and the comment's own id on the site."""
    return f"{post_id}:c{native_id}"


def decode_page(body: bytes | str, content_type: str | None = None) -> str:
    """A page's text: the charset of the Content-Type header, the page's own ``meta``
    declaration, else UTF-8 (not Latin-1, which lxml would guess for bytes)."""
    if isinstance(body, str):
        return body
    return html_to_unicode(content_type, body)[1]


def parse_document(body: bytes | str, url: str):
    text = decode_page(body)
    return lxml_html.document_fromstring(text or "<html></html>", base_url=url)


def parse_comments(body: bytes | str, url: str, post_id: str, blog_id: str) -> PageComments:
    """The comments of a post page, from the first comment system whose markup it holds."""
    doc = parse_document(body, url)
    return comments_of_document(doc, decode_page(body), url, post_id, blog_id)


def comments_of_document(doc, text: str, url: str, post_id: str, blog_id: str) -> PageComments:
    page = PageComments(hosted_by=comments_hosted_by(text), expected=_expected_count(doc))
    context = _Context(url=url.split("#")[0], post_id=post_id, blog_id=blog_id)
    for system in _SYSTEMS:
        found = system.find(doc)
        if found:
            page.system = system.name
            page.comments = _build_tree(found, system, context)
            break
    return page


# -- where comments live ------------------------------------------------------------------

# Comment systems that load the comments from their own servers by script.  Matched on the
# embed's own ids and script addresses, never on the word in a post's text.
_HOSTS = (
    ("disqus", re.compile(r"""id=["']disqus_thread["']|disqus\.com/embed\.js|\bdisqus_shortname\b"""
                          r"""|class=["'][^"']*\bd-noscript-comments\b""")),
    ("facebook", re.compile(r"""class=["'][^"']*\bfb-comments\b""")),
    ("commento", re.compile(r"""id=["']commento["']|cdn\.commento\.io/js/commento\.js""")),
    ("hyvor", re.compile(r"""talk\.hyvor\.com/embed|<hyvor-talk-comments""")),
    ("giscus", re.compile(r"""giscus\.app/client\.js""")),
    ("utterances", re.compile(r"""utteranc\.es/client\.js""")),
)


def comments_hosted_by(text: str) -> str | None:
    """The off-site comment service a page embeds (``disqus`` ...), or None."""
    for name, pattern in _HOSTS:
        if pattern.search(text):
            return name
    return None


# -- the systems -----------------------------------------------------------------------------


@dataclass
class _Found:
    element: object
    native_id: str
    parent: object | None  # the element of the comment this one replies to


@dataclass(frozen=True)
class _System:
    name: str
    find: Callable[[object], list[_Found]]
    author_css: tuple[str, ...]
    body_css: tuple[str, ...]
    display_date_css: tuple[str, ...]
    chrome_css: tuple[str, ...] = ()
    # True / False when the system marks the post author's comments; None when it cannot tell
    by_post_author: Callable[[set[str]], bool | None] = lambda classes: None


@dataclass(frozen=True)
class _Context:
    url: str
    post_id: str
    blog_id: str


_DIGITS = re.compile(r"(\d+)")
_DRUPAL_ANCHOR = re.compile(r"^comment-(\d+)$")
_DRUPAL_PERMALINK = re.compile(r"/comment/(\d+)")


def _find_drupal(doc) -> list[_Found]:
    candidates = doc.xpath(
        f"//*[self::article or self::div][{has_class('comment')}]"
        "[contains(@about, '/comment/') or contains(@typeof, 'sioct:Comment') or @data-comment-user-id"
        f" or {has_class('js-comment')} or preceding-sibling::*[1][self::a][starts-with(@id, 'comment-')]]"
    )
    found: list[_Found] = []
    by_element: dict[int, object] = {}
    for element in candidates:
        native = _drupal_id(element)
        if native is None:
            continue
        by_element[id(element)] = element
        found.append(_Found(element, native, _drupal_parent(element)))
    # a parent that is not a comment element (markup cut short) makes a top-level comment
    for item in found:
        if item.parent is not None and id(item.parent) not in by_element:
            item.parent = None
    return found


def _drupal_id(element) -> str | None:
    anchor = element.getprevious()
    if anchor is not None and anchor.tag == "a":
        match = _DRUPAL_ANCHOR.match(anchor.get("id") or "")
        if match:
            return match.group(1)
    match = _DRUPAL_ANCHOR.match(element.get("id") or "")
    if match:
        return match.group(1)
    for value in [element.get("about")] + element.xpath(".//a[contains(@href, '/comment/')]/@href"):
        match = _DRUPAL_PERMALINK.search(value or "")
        if match:
            return match.group(1)
    return None


def _drupal_parent(element):
    """Drupal prints a comment's replies after it, inside ``div.indented``."""
    for ancestor in element.iterancestors():
        if "indented" in (ancestor.get("class") or "").split():
            previous = ancestor.getprevious()
            while previous is not None and (not isinstance(previous.tag, str) or previous.tag == "a"):
                previous = previous.getprevious()
            return previous
    return None


_SPIP_ANCHOR = re.compile(r"^forum(\d+)$")
_SPIP_CRAYON = re.compile(r"(?:^|\s)forum-(?:texte|qui|titre|hyperlien)-(\d+)(?:\s|$)")
_SPIP_REPLY = re.compile(r"[?&]id_forum=(\d+)")


def _find_spip(doc) -> list[_Found]:
    messages = doc.xpath(f"//*[{has_class('forum-message')}]")
    found: list[_Found] = []
    for message in messages:
        native = _spip_id(message)
        if native is None:
            continue
        found.append(_Found(message, native, _spip_parent(message)))
    return found


def _spip_id(message) -> str | None:
    for value in message.xpath(".//a/@id | .//a/@name"):
        match = _SPIP_ANCHOR.match(value)
        if match:
            return match.group(1)
    for value in message.xpath(".//@class"):
        match = _SPIP_CRAYON.search(value)
        if match:
            return match.group(1)
    for value in message.xpath(".//a/@href"):
        match = _SPIP_REPLY.search(value)
        if match:
            return match.group(1)
    return None


def _spip_parent(message):
    """A reply's ``li`` sits in a ``ul`` inside the ``li`` of the message it answers."""
    items = message.xpath("ancestor::li")
    if len(items) < 2:
        return None
    parent_item = items[-2]
    own = [m for m in parent_item.xpath(f".//*[{has_class('forum-message')}]")
           if m.xpath("ancestor::li")[-1] is parent_item]
    return own[0] if own else None


_LIST_CLASSES = ("comments", "commentlist", "comment-list", "comments-list")
_NATIVE_ID = re.compile(r"^(?:li-|div-|dsq-)?(?:comment|comments|cmt|c)[-_]?(\d+)$")
_PERMALINK_ID = re.compile(r"#(?:comment|cmt|c)[-_]?(\d+)$")


def _find_list(doc) -> list[_Found]:
    lists = " or ".join(has_class(name) for name in _LIST_CLASSES)
    items = doc.xpath(f"//*[self::ol or self::ul][{lists} or @id='comments' or @id='commentlist']"
                      f"//li[{has_class('comment')} or {has_class('pingback')} or {has_class('trackback')}]")
    if not items:
        items = doc.xpath(f"//*[@id='comments' or {has_class('comments')}]"
                          f"//*[self::div or self::article][{has_class('comment')}][@id]")
        items = [item for item in items if _own_native_id(item)]
    return _nested(items, _native_id)


def _find_disqus_copy(doc) -> list[_Found]:
    items = doc.xpath(f"//*[@id='disqus_thread' or @id='dsq-content' or {has_class('d-noscript-comments')}]"
                      f"//*[{has_class('comment')}]")
    return _nested(items, _own_native_id)


def _nested(items: list, native_of: Callable[[object], str | None]) -> list[_Found]:
    """Comment elements whose replies are nested inside them (the outermost element of each)."""
    members = {id(item) for item in items}
    found: list[_Found] = []
    seen_hashes: dict[str, int] = {}
    for item in items:
        parent = next((a for a in item.iterancestors() if id(a) in members), None)
        native = native_of(item) or _content_hash(item, members, seen_hashes)
        found.append(_Found(item, native, parent))
    return found


def _own_native_id(element) -> str | None:
    match = _NATIVE_ID.match(element.get("id") or "")
    return match.group(1) if match else None


def _native_id(element) -> str | None:
    """The comment's id: its own element id, an inner element's (``article#comment-N`` in an
    ``li``), ``data-comment-id``, or its permalink's anchor."""
    own = _own_native_id(element) or (element.get("data-comment-id") or "").strip() or None
    if own:
        return own
    for inner in element.xpath(".//*[@id]")[:3]:
        native = _own_native_id(inner)
        if native:
            return native
    for href in element.xpath(".//a/@href"):
        match = _PERMALINK_ID.search(href)
        if match:
            return match.group(1)
    return None


def _content_hash(element, members: set[int], seen: dict[str, int]) -> str:
    """An id for a comment the markup gives none: author and text, numbered when repeated."""
    text = " ".join(own_matches(element, members, ".//text()"))
    digest = "h" + hashlib.sha1((collapse_whitespace(text) or "").encode("utf-8")).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def _drupal_author(classes: set[str]) -> bool:
    return bool({"comment-by-node-author", "by-node-author"} & classes)


def _list_author(classes: set[str]) -> bool | None:
    return True if "bypostauthor" in classes else None


_SYSTEMS = (
    _System(
        SYSTEM_DRUPAL, _find_drupal,
        author_css=(".username", ".comment__author", "[property~='foaf:name']", "[property~='schema:name']",
                    ".comment-author", ".author"),
        body_css=(".field-name-comment-body", ".field--name-comment-body", ".comment__content", ".comment-content",
                  ".content"),
        display_date_css=(".comment__time", ".comment-time", ".submitted", ".date"),
        chrome_css=("ul.links", ".links", ".comment-reply", ".expanding-formatter-ellipsis",
                    ".expanding-formatter-trigger", "h3", ".comment__title", "mark", ".permalink"),
        by_post_author=_drupal_author,
    ),
    _System(
        SYSTEM_SPIP, _find_spip,
        author_css=(".fn", "[class*='forum-qui']", ".comment-author", ".vcard"),
        body_css=(".forum-texte",),
        display_date_css=(".date", "small"),
        chrome_css=(".repondre", ".comment-reply", ".forum-chapo", ".moderation"),
    ),
    _System(
        SYSTEM_DISQUS, _find_disqus_copy,
        author_css=(".comment-author", ".dsq-comment-cite", "cite", ".author"),
        body_css=(".comment-body", ".dsq-comment-message", ".comment-message", ".comment-content"),
        display_date_css=(".comment-date", ".dsq-comment-meta", ".date"),
    ),
    _System(
        SYSTEM_LIST, _find_list,
        author_css=(".comment-author .fn", ".fn", ".comment-author", ".comment-author-name", "cite",
                    "[itemprop=author]", ".author", ".username"),
        body_css=(".comment-content", ".comment-text", ".comment_text", "[itemprop=text]", ".comment-entry",
                  ".commenttext", ".comment-body"),
        display_date_css=(".comment-date", ".comment-time", ".comment-metadata", ".commentmetadata",
                          ".comment-meta", ".date"),
        chrome_css=(".reply", ".comment-reply", ".comment-reply-link", ".comment-edit-link", ".comment-author",
                    ".comment-meta", ".comment-metadata", ".commentmetadata", ".comment-date", "cite.fn"),
        by_post_author=_list_author,
    ),
)


# -- items ------------------------------------------------------------------------------------


def _build_tree(found: list[_Found], system: _System, context: _Context) -> list[CommentItem]:
    members = {id(f.element) for f in found}
    items: dict[int, CommentItem] = {}
    roots: list[CommentItem] = []
    for entry in found:
        item = _comment_item(entry, system, context, members)
        items[id(entry.element)] = item
        parent = items.get(id(entry.parent)) if entry.parent is not None else None
        if parent is not None:
            item["parent_id"] = parent["id"]
            parent.setdefault("replies", []).append(item)
        else:
            roots.append(item)
    return roots


def _comment_item(entry: _Found, system: _System, context: _Context, members: set[int]) -> CommentItem:
    element = entry.element
    classes = set((element.get("class") or "").split())
    loader = CommentLoader()
    loader.add_value("id", comment_key(context.post_id, entry.native_id))
    loader.add_value("post_id", context.post_id)
    loader.add_value("blog_id", context.blog_id)
    loader.add_value("platform_id", entry.native_id)
    name, author_url = _author(element, system, members, context.url)
    loader.add_value("author", name)
    loader.add_value("author_url", author_url)
    loader.add_value("is_blog_author", system.by_post_author(classes))
    machine, display = _dates(element, system, members)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display)
    loader.add_value("url", _permalink(element, entry.native_id, system, members, context.url))
    body = _body(element, system, members)
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("deleted", False)
    loader.add_value("comment_type", next((k for k in ("pingback", "trackback") if k in classes), "comment"))
    loader.add_value("source", SOURCE_HTML)
    item = loader.load_item()
    if item.get("is_blog_author") is None:
        item.pop("is_blog_author", None)  # unknown, not "no": the system does not mark it
    return item


def _text_of(element) -> str | None:
    return collapse_whitespace(element.text_content()) if element is not None else None


_NOT_A_NAME = ("avatar", "user-picture", "comment__picture", "screen-reader-text", "says")


def _author(element, system: _System, members: set[int], url: str) -> tuple[str | None, str | None]:
    for css in system.author_css:
        for found in own_css(element, members, css):
            if any(found.xpath(f"ancestor-or-self::*[{has_class(name)}]") for name in _NOT_A_NAME):
                continue
            name = _name_of(found)
            if name:
                links = [a.get("href") for a in found.xpath("descendant-or-self::a[@href]")
                         if not _is_own_link(a.get("href"))]
                return name, urljoin(url, links[0]) if links else None
    return None, None


def _name_of(element) -> str | None:
    parts = [piece if isinstance(piece, str) else piece.text_content()
             for piece in element.xpath("./text() | ./*[not(self::img or self::time or self::abbr)]")
             if isinstance(piece, str) or not any(n in (piece.get("class") or "") for n in _NOT_A_NAME)]
    text = strip_said(collapse_whitespace(" ".join(parts)) or "")
    return collapse_whitespace(text.strip(" ,:·|–-")) or None


def _is_own_link(href: str | None) -> bool:
    """A comment's permalink or reply link, not the commenter's site."""
    href = href or ""
    return (href.startswith(("#", "javascript:")) or "/comment/" in href or "replytocom=" in href
            or "id_forum=" in href or "#comment" in href)


_MACHINE_DATES = (
    ".//time/@datetime",
    ".//abbr/@title",
    ".//*[@property][contains(@property, 'date') or contains(@property, 'created')]/@content",
    ".//*[@itemprop='dateCreated' or @itemprop='datePublished'][@content or @datetime]/@content",
    ".//*[@itemprop='dateCreated' or @itemprop='datePublished']/@datetime",
)


def _dates(element, system: _System, members: set[int]) -> tuple[str | None, str | None]:
    """(machine value, shown text) of a comment's date."""
    machine = display = None
    for path in _MACHINE_DATES:
        for value in own_matches(element, members, path):
            holder = value.getparent()
            if parse_machine_date(value) is not None:
                machine = value.strip()
                display = _text_of(holder) if holder.tag in ("time", "abbr") else None
                break
        if machine:
            break
    if display is None:
        for css in ("time", "abbr") + system.display_date_css:
            texts = [_text_of(found) for found in own_css(element, members, css)]
            display = next((t for t in texts if t and re.search(r"\d", t)), None)
            if display:
                break
    return machine, display


def _permalink(element, native_id: str, system: _System, members: set[int], url: str) -> str:
    for anchor in own_css(element, members, "a[href]"):
        href = anchor.get("href") or ""
        if f"/comment/{native_id}" in href or re.search(rf"#(?:comment-?|forum|c){native_id}$", href):
            return urljoin(url, href)
    anchor_id = {SYSTEM_DRUPAL: f"comment-{native_id}", SYSTEM_SPIP: f"forum{native_id}"}.get(system.name)
    if anchor_id is None and element.get("id"):
        anchor_id = element.get("id")
    return f"{url}#{anchor_id}" if anchor_id else url


def _body(element, system: _System, members: set[int]) -> str | None:
    for css in system.body_css:
        found = own_css(element, members, css)
        if found:
            return _clean_inner_html(found[0], system.chrome_css, members) or None
    return None


def _clean_inner_html(element, chrome_css: tuple[str, ...], members: set[int]) -> str | None:
    """The body's markup without reply links, buttons and nested replies."""
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode"))
    nested = [e for e in copy.iter() if e is not copy and _is_comment_like(e)]
    for junk in nested + [j for css in chrome_css for j in copy.cssselect(css) if j is not copy]:
        _drop_keeping_tail(junk)
    return inner_html(copy) or None


def _is_comment_like(element) -> bool:
    classes = set((element.get("class") or "").split())
    return element.tag == "li" and bool({"comment", "forum-fil"} & classes)


def _drop_keeping_tail(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


_COUNT = re.compile(r"^\D{0,20}?(\d[\d.,]*)\s+\w")


def _expected_count(doc) -> int | None:
    """The number of comments the page announces, if it shows one."""
    headings = doc.xpath(
        f"//*[{has_class('comment-count')} or {has_class('comments-count')} or {has_class('comments-title')}"
        " or @id='comments-title' or ((self::h2 or self::h3 or self::h4)"
        f" and (ancestor::*[@id='comments'] or ancestor::*[{has_class('comments')}]))]"
    )
    for heading in headings:
        match = _COUNT.match(_text_of(heading) or "")
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits:
                return int(digits)
    return None


__all__ = [
    "PageComments",
    "SYSTEM_DISQUS",
    "SYSTEM_DRUPAL",
    "SYSTEM_LIST",
    "SYSTEM_SPIP",
    "comment_key",
    "comments_hosted_by",
    "comments_of_document",
    "decode_page",
    "parse_comments",
    "parse_document",
]
