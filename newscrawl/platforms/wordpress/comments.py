"""WordPress comments in a post page's HTML: the comment tree, across themes and plugins.

The core comment list (``li.comment#comment-ID`` / ``#li-comment-ID``, replies nested in
``ol.children``), block themes (``.wp-block-comment-*``) and plugin markup (Epoch's
``article.epoch-single-comment``).  Every comment element is found by the id WordPress gives it,
``comment-ID``, whatever the theme wraps around it; a reply is a comment element inside another
one.  Pingbacks and trackbacks are kept with their type.

Also the small readers of shown text that ``pages.py`` shares: a name as shown
(``author_name``), an element's text (``text_of``), CSS selection (``css_select``).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

from ...dates import is_time_only, looks_like_date, machine_value_has_time, parse_machine_date, wall_clock_of
from ...items import CommentItem
from ...loaders import CommentLoader, collapse_whitespace
from ..markup import css_xpath, drop_keeping_tail, has_class, inner_html, own_css, own_matches, strip_said
from .ids import SOURCE_HTML, absolute_url, comment_key, post_key

_COMMENT_ELEMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")
# A theme's own prefix ("tr-comment-N") is taken only with the classes core's comment_class() writes.
_PREFIXED_COMMENT_ID = re.compile(r"^[a-z]+-comment-(\d+)$")
_DEPTH_CLASS = re.compile(r"(?:^|\s)depth-(\d+)(?:\s|$)")


def parse_html_comments(
    doc, blog: str, post_id: str, post_url: str, trusted_dates: bool = True
) -> list[CommentItem]:
    """The comments of a post page as a tree (replies nested in ``replies``).

    Every comment element carries its WordPress id (``id="comment-123"``, ``li-comment-123``,
    ``div-comment-123``; Epoch: ``div#comment-123[data-comment-id]``).  The outermost element
    of each id is the comment; a comment inside another is a reply to it.  Pingbacks and
    trackbacks are kept with their type."""
    nodes = _comment_nodes(doc)
    if not nodes:
        return []
    node_set = {id(node) for node, _ in nodes}
    items: dict[int, CommentItem] = {}
    roots: list[CommentItem] = []
    depths: dict[int, Any] = {}  # the last comment element seen at each depth
    for node, comment_id in nodes:
        depth = _depth_of(node)
        parent_node = _parent_node(node, node_set)
        if parent_node is None and depth and depth > 1:
            # replies printed flat, their thread only in core's depth-N class: the last comment one level up
            parent_node = depths.get(depth - 1)
        if depth:
            depths[depth] = node
        item = _comment_item(node, comment_id, node_set, blog, post_id, post_url, trusted_dates)
        items[id(node)] = item
        if parent_node is not None and id(parent_node) in items:
            parent = items[id(parent_node)]
            item["parent_id"] = parent["id"]
            parent.setdefault("replies", []).append(item)
        else:
            roots.append(item)
    return roots


def _depth_of(node) -> int | None:
    match = _DEPTH_CLASS.search(node.get("class") or "")
    return int(match.group(1)) if match else None


def _parent_node(node, node_set: set[int]):
    """The comment a comment element replies to: the comment element it is nested in, or, where a
    theme closes the parent's ``</li>`` before its ``<ul class="children">`` (WordPress.com's h4),
    the comment element just before the replies list."""
    for ancestor in node.iterancestors():
        if id(ancestor) in node_set:
            return ancestor
        if "children" in (ancestor.get("class") or "").split():
            previous = ancestor.getprevious()
            while previous is not None and not isinstance(previous.tag, str):
                previous = previous.getprevious()
            if previous is not None and id(previous) in node_set:
                return previous
    return None


def _comment_nodes(doc) -> list[tuple[Any, str]]:
    """(element, comment id) for every comment on the page, outermost element per id, page order."""
    seen: dict[str, Any] = {}
    ordered: list[tuple[Any, str]] = []
    candidates = doc.xpath("//*[starts-with(@id,'comment-') or contains(@id,'-comment-')]")
    for element in candidates:
        match = _COMMENT_ELEMENT_ID.match(element.get("id") or "") or _comment_class_row(element)
        if not match or element.tag in ("a", "span", "input", "p", "textarea", "form", "script"):
            continue
        if _in_widget(element):
            continue  # a "recent comments" widget links to comments, it does not hold them
        if not len(element) and not (element.text or "").strip():
            continue  # an empty anchor target, not the comment
        comment_id = match.group(1)
        if comment_id in seen:
            continue
        seen[comment_id] = element
        ordered.append((element, comment_id))
    return ordered


def _comment_class_row(element) -> re.Match | None:
    classes = element.get("class") or ""
    if "comment" not in classes.split() or not _DEPTH_CLASS.search(classes):
        return None
    return _PREFIXED_COMMENT_ID.match(element.get("id") or "")


# What holds a post's discussion (core's #comments / .comments-area / .commentlist, block themes'
# .wp-block-comments): a theme may put it inside an <aside>, which then is no sidebar.
_COMMENTS_AREA = (
    f"ancestor::*[@id='comments' or {has_class('comments-area')} or {has_class('commentlist')}"
    f" or {has_class('comment-list')} or {has_class('wp-block-comments')}]"
)


def _in_widget(element) -> bool:
    if element.xpath(f"ancestor::*[{has_class('widget')} or @id='respond' or self::form]"):
        # a sidebar widget, even one that borrows the comment list's markup; or a plugin's
        # "latest comments" tab inside the comment form, which never holds the post's comments
        return True
    return bool(element.xpath("ancestor::aside")) and not element.xpath(_COMMENTS_AREA)


_COMMENT_AUTHOR_CSS = (
    ".comment-author .fn", ".fn", ".wp-block-comment-author-name", ".epoch-author-link", ".epoch-comment-author",
    ".comment-author-name", ".comment-author-link", ".authorname", ".comment-author", ".comment_author", ".vcard",
    "span.author", ".author", "cite",
)
_COMMENT_CONTENT_CSS = (
    ".comment-text", ".comment-content", ".wp-block-comment-content", ".epoch-comment-content", ".contenttext",
    ".comment-entry", ".comment_text", ".commenttext",
)
_COMMENT_DATE_CSS = (
    ".comment-date", ".comment-time", ".wp-block-comment-date", ".epoch-comment-link", ".comment-metadata",
    ".commentmetadata", ".comment-meta",
)
# Inside a comment's body: the reply link, like buttons and report links are not the comment.
_COMMENT_CHROME = (
    ".reply", ".comment-reply", ".comment-reply-link", ".comment-likes", ".comment-like-feedback",
    ".pmcc-comments-report-link", ".comment-edit-link", ".sharedaddy", "script", "style",
    # a theme that wraps the meta in .comment-content: author and date are not the comment's text
    ".comment-author", ".comment-meta", ".comment-metadata", ".commentmetadata",
)


def _comment_item(
    node, comment_id: str, node_set, blog: str, post_id: str, post_url: str, trusted: bool
) -> CommentItem:
    # the comment element's classes, and its first child's (Epoch puts them on the inner article)
    first_child = next((child for child in node if isinstance(child.tag, str)), None)
    classes = set((node.get("class") or "").split())
    if first_child is not None:
        classes |= set((first_child.get("class") or "").split())
    kind = next((k for k in ("pingback", "trackback") if k in classes), "comment")
    own_text = collapse_whitespace(" ".join(own_matches(node, node_set, ".//text()"))) or ""
    typed = _TYPED_BY_TEXT.match(own_text)
    if kind == "comment" and typed:
        kind = typed.group(1).lower()

    loader = CommentLoader()
    loader.add_value("id", comment_key(blog, comment_id))
    loader.add_value("post_id", post_key(blog, post_id))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", comment_id)
    name, author_url = _comment_author(node, node_set, kind)
    loader.add_value("author", name)
    loader.add_value("author_url", absolute_url(post_url, author_url))
    loader.add_value("is_blog_author", "bypostauthor" in classes)
    machine, display, permalink = _comment_date(node, node_set, comment_id, trusted)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display)
    loader.add_value("url", absolute_url(post_url, permalink) or f"{post_url.split('#')[0]}#comment-{comment_id}")
    body = _comment_body(node, node_set, kind, comment_id)
    loader.add_value("content_html", body)
    loader.add_value("content_text", body)
    loader.add_value("deleted", False)
    loader.add_value("comment_type", kind)
    loader.add_value("source", SOURCE_HTML)
    return loader.load_item()


# Core's "Pingback: SOURCE" and the themes' comment_type() "Pingback by SOURCE" / "Pingback von SOURCE"
_TYPED_BY_TEXT = re.compile(r"^(pingback|trackback)(?:\s*:|\s+\w+\s)", re.IGNORECASE)


def _comment_author(node, node_set, kind: str) -> tuple[str | None, str | None]:
    if kind != "comment":
        # core prints a pingback as "Pingback: <a class="url" href=SOURCE>SOURCE TITLE</a>"
        links = [a for a in own_matches(node, node_set, ".//a[@href]") if not _is_comment_link(a)]
        if links:
            return text_of(links[0]), links[0].get("href")
    for css in _COMMENT_AUTHOR_CSS:
        for element in own_css(node, node_set, css):
            if element.xpath(f"ancestor-or-self::*[{has_class('comment-author-avatar')} or {has_class('avatar')}]"):
                continue
            name = author_name(element)
            if name:
                links = [a for a in element.xpath("descendant-or-self::a[@href]")
                         if text_of(a) and not _is_permalink(a)]
                return name, links[0].get("href") if links else None
    return None, None


def _is_comment_link(anchor) -> bool:
    """A link to the comment itself, its reply form or its edit page."""
    href = (anchor.get("href") or "").strip()
    classes = anchor.get("class") or ""
    return "#comment-" in href or "replytocom=" in href or "comment-reply" in classes or "comment-edit" in classes


def _is_permalink(anchor) -> bool:
    """A comment link, or a date link (``<a href="#"><time>...``): never the commenter's."""
    href = (anchor.get("href") or "").strip()
    return (_is_comment_link(anchor) or href.startswith("#") or bool(anchor.xpath(".//time"))
            or looks_like_date(text_of(anchor)))


_NOT_NAME = {
    "says", "screen-reader-text", "epoch-divide", "p3_comment_author", "comment-author-label", "post-author-badge",
}
# Inside an author block that also holds the date and the reply link: the element that is only the name.
_NAME_CSS = (".fn", "[class*=author-name]", "[class*=author_name]", "[class*=authorname]", "cite", "a.url",
             "strong", "b")


def author_name(element) -> str | None:
    """A name as shown, without "says:", badges ("Autor"), dates, separators and trailing commas."""
    for css in _NAME_CSS:
        for inner in css_select(element, css):
            if inner is not element and not inner.xpath(".//time"):
                name = _shown_name(inner)
                if name:
                    return name
    return _shown_name(element)


# "by NAME", and core's classic theme's "Comment by NAME" / "Kommentar von NAME" / "Comentario de
# NAME" (comment_type()). "de" and "od" only after the word for comment: "De Vries" is a name.
_COMMENT_BY = re.compile(
    r"^(?:(?:comment|kommentar|commentaire|comentario|commento|reactie|komentarz|komentář)\s+"
    r"(?:by|von|par|di|por|de|door|av|od)|by|von|par|di|por|door|av)\s+", re.IGNORECASE)
# the separator core's classic theme prints between the name and the date (&#8212;)
_BEFORE_DASH = re.compile(r"\s+[—–]\s+")


def _shown_name(element) -> str | None:
    links = [a for a in element.xpath("descendant-or-self::a[@href]") if text_of(a) and not _is_permalink(a)]
    if links:
        text = text_of(links[0]) or ""
        text = re.sub(r"^(view all posts by|posts by|alle beiträge von)\s+", "", text, flags=re.IGNORECASE)
    else:
        parts = []
        for piece in element.xpath("./text() | ./*"):
            if isinstance(piece, str):
                if looks_like_date(piece):
                    # the date printed after the name: core's classic theme "Comment by NAME — DATE @"
                    parts.append(_BEFORE_DASH.split(piece, 1)[0] if _BEFORE_DASH.search(piece) else "")
                    break
                parts.append(piece)
                continue
            skipped = piece.tag in ("br", "img", "time", "a", "script", "noscript")
            if skipped or _NOT_NAME & set((piece.get("class") or "").split()) or looks_like_date(text_of(piece)):
                if piece.tag == "br" and any(p.strip() for p in parts):
                    break  # a badge on its own line ("Martina Berg<br><span>Autor</span>")
                continue
            if "avatar" in (piece.get("class") or ""):
                continue
            parts.append(piece.text_content())
        text = collapse_whitespace(" ".join(parts)) or ""
    text = strip_said(text)
    text = _COMMENT_BY.sub("", text)
    # "Ben on" / "Anna |" / "Name," lose their separators; "omg -_-" keeps its face
    text = re.sub(r"(?:\s+(?:on|am|le|el|il|em|op)|\s+[-–]+|[\s,:·|]+)+$", "", text, flags=re.IGNORECASE)
    name = collapse_whitespace(text.strip(" ,:·|")) or None
    return None if looks_like_date(name) else name


def _comment_date(node, node_set, comment_id: str, trusted: bool) -> tuple[str | None, str | None, str | None]:
    """(machine value, shown text, permalink) of a comment."""
    machine = None
    display = None
    for time in own_matches(node, node_set, ".//time"):
        value = time.get("datetime")
        if value and parse_machine_date(value) is not None:
            if not machine_value_has_time(value) and looks_like_date(text_of(time)):
                display = text_of(time)  # datetime="2020-07-29" shown as "29.07.2020 // 12:56": the text is exacter
                break
            machine = value.strip()
            display = text_of(time) or display
            break
        display = display or text_of(time)
    own_anchor = re.compile(rf"#comment-{comment_id}$")
    permalinks = [a for a in own_matches(node, node_set, ".//a[@href]") if own_anchor.search(a.get("href") or "")]
    permalink = permalinks[0].get("href") if permalinks else None
    if display is None:
        for link in permalinks:
            text = text_of(link)
            if text and re.search(r"\d", text):
                display = _with_shown_day(link, text)
                break
    if display is None:
        for css in _COMMENT_DATE_CSS:
            for element in own_css(node, node_set, css):
                text = _text_beside_name(element)
                if text and re.search(r"\d", text):
                    display = text
                    break
            if display:
                break
    if display is None:
        display = _loose_date_text(node, node_set)
    if not trusted and machine:
        # before WordPress 5.3 the markup offset is wrong, its wall-clock time is right
        display, machine = wall_clock_of(machine), None
    return machine, display, permalink


def _text_beside_name(element) -> str | None:
    """A meta line's text without the commenter's name (``<cite class="fn">NAME</cite>Sat Apr 23 at 3:40 pm``)."""
    return collapse_whitespace(" ".join(element.xpath(
        f".//text()[not(ancestor::cite or ancestor::*[{has_class('fn')}] or ancestor::*[{has_class('comment-author')}])]")))


def _with_shown_day(link, text: str) -> str:
    """A permalink that shows the time only, after the day in the same line (core's classic theme:
    ``<cite>Comment by NAME — 17.07, 2011 @ <a href="#comment-N">13:04</a></cite>``): the whole
    date as shown."""
    if looks_like_date(text) and not is_time_only(text):
        return text
    line = text_of(link.getparent()) or ""
    shown = _BEFORE_DASH.split(line)[-1]
    return shown if shown != line and shown.endswith(text) and looks_like_date(shown) else text


def _loose_date_text(node, node_set) -> str | None:
    """A date printed as loose text beside the author name (``<span class="author">X</span><br/> März 7, 2018``)."""
    for author in own_css(node, node_set, "span.author, .authorname, .fn, .comment-author strong, .comment-author b"):
        for piece in [author] + list(author.itersiblings()):
            if piece is not author and piece.tag in ("p", "div", "blockquote", "ul", "ol"):
                break
            tail = collapse_whitespace(piece.tail)
            if tail and re.search(r"\d", tail):
                return tail
    return None


def _comment_body(node, node_set, kind: str, comment_id: str) -> str | None:
    for css in _COMMENT_CONTENT_CSS:
        found = own_css(node, node_set, css)  # .comment-text first: scilogs wraps it and the meta in .comment-content
        if found:
            return _clean_inner_html(found[0])
    if kind != "comment":
        # core's pingback markup is "Pingback: <a>SOURCE TITLE</a>": no excerpt to store (the
        # source is author/author_url; the comment feeds carry the excerpt)
        return None
    paragraphs = [
        p for p in own_matches(node, node_set, ".//p")
        if not p.xpath(
            f"ancestor::*[{has_class('comment-meta')} or {has_class('comment-author')} or {has_class('reply')}"
            f" or {has_class('comment-metadata')} or {has_class('commentmetadata')} or self::footer or self::header]"
        )
        and not p.xpath(f"ancestor-or-self::*[{has_class('comment-likes')}]")
        and not p.xpath(f"./cite[.//a[@href='#comment-{comment_id}']]")  # the classic theme's byline
    ]
    if paragraphs:
        return "".join(_clean_outer_html(p) for p in paragraphs).strip() or None
    return None


def _clean_copy(element):
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode"))
    for css in _COMMENT_CHROME:
        for junk in css_select(copy, css):
            if junk is not copy:
                drop_keeping_tail(junk)
    return copy


def _clean_inner_html(element) -> str | None:
    return inner_html(_clean_copy(element)) or None


def _clean_outer_html(element) -> str:
    return lxml_html.tostring(_clean_copy(element), encoding="unicode", with_tail=False)


# -- small helpers, shared with pages.py -------------------------------------------------------


def css_select(element, css: str) -> list:
    """Elements under ``element`` (itself included) matching a CSS selector."""
    return element.xpath(css_xpath(css))


def text_of(element) -> str | None:
    if element is None:
        return None
    return collapse_whitespace(element.text_content())
