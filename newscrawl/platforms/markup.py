"""Small markup helpers every platform parser uses: one copy, not one per platform."""

from __future__ import annotations

import functools
import json
import re
from html import escape
from typing import Iterable, Iterator

from cssselect import HTMLTranslator
from lxml import etree, html as lxml_html

from ..items import CommentItem
from ..loaders import DOCUMENT_PARSER, collapse_whitespace


# "NAME said..." / "NAME says:" beside a commenter's name, in the languages blog engines
# ship.  The verb must be a word of its own: "Lisa", "Judit" and "Candice" keep their ends.
SAID_SUFFIX = re.compile(
    r"\s*(?<!\w)(said|says|wrote|sagte|sagt|schrieb|schreibt|meint|hat gesagt|a dit|dit|a écrit|dijo|dice|"
    r"ha detto|disse|zei|zegt|schreef|сказал[аи]?|говорит|написа|napisał[a]?|pisze|sa|skrev|skriver|"
    r"kirjoitti|dedi)\s*(\.\.\.|…|:)?\s*$",
    re.IGNORECASE,
)


def strip_said(text: str) -> str:
    """``"Anna said..."`` -> ``"Anna"``: the localised verb after a commenter's name removed."""
    return SAID_SUFFIX.sub("", text)


def html_document(text: str, url: str | None = None) -> lxml_html.HtmlElement:
    """A page's document, as ``lxml.html.document_fromstring`` parses it (an empty page: an empty
    document)."""
    return lxml_html.document_fromstring(text or "<html></html>", parser=DOCUMENT_PARSER, base_url=url)


def has_class(name: str) -> str:
    """An XPath test: the element has this class (a whole word of ``@class``).  The plain
    ``contains`` first answers most elements at a third of the cost: a word of the normalized
    attribute is a substring of the attribute itself, so it never rules out a match."""
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def title_among(doc, headings: Iterable[str | None], fallback: str | None = None) -> str | None:
    """The post's title among candidate headings (in order of preference): the first one that
    the page's ``<title>`` or ``og:title`` also names, so a site banner set as ``<h1>`` loses to
    the post's own heading; else ``fallback``, else the first one."""
    shown = [" ".join(h.split()) for h in headings if h and h.strip()]
    named = set()
    for title in doc.xpath("//head/title//text() | //meta[@property='og:title']/@content"):
        title = " ".join(title.split()).casefold()
        named |= {title, *_TITLE_SEPARATOR.split(title)}  # "Post | Blog", "Blog » Post"
    return next((h for h in shown if h.casefold() in named), fallback or (shown[0] if shown else None))


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—»«:·~]+\s+")


def inner_html(element) -> str:
    """The markup inside an element (its text escaped back: lxml hands it unescaped)."""
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        parts.append(lxml_html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def drop_keeping_tail(element) -> None:
    """Remove an element from its tree but keep the text that follows it (its tail)."""
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


def walk_comments(comments: Iterable[CommentItem] | None) -> Iterator[CommentItem]:
    """Every comment of a tree (replies nested in ``replies``), parents first."""
    for comment in comments or ():
        yield comment
        yield from walk_comments(comment.get("replies"))


def count_comments(comments: Iterable[CommentItem] | None) -> int:
    return sum(1 for _ in walk_comments(comments))


ATOM = "http://www.w3.org/2005/Atom"


def atom_link(element, rel: str) -> str | None:
    """The ``href`` of an Atom element's first ``link`` with this ``rel`` (no rel means
    ``alternate``, as the Atom spec says)."""
    return link_with_rel(element.iterfind(f"{{{ATOM}}}link"), rel)


def link_with_rel(links: Iterable, rel: str) -> str | None:
    """The ``href`` of the first of these Atom ``link`` elements with this ``rel`` (as :func:`atom_link`)."""
    for link in links:
        if (link.get("rel") or "alternate") == rel and link.get("href"):
            return link.get("href")
    return None


def match_group(pattern: re.Pattern, value: str | None, group: int = 1) -> str | None:
    if not value:
        return None
    match = pattern.search(value)
    return match.group(group) if match else None


@functools.lru_cache(maxsize=256)
def css_xpath(css: str) -> str:
    """A CSS selector as XPath (``descendant-or-self::``: the element itself included)."""
    return HTMLTranslator().css_to_xpath(css)


def comment_owner(element, members: set[int]):
    """The comment element an element belongs to: itself, or its nearest comment ancestor
    (``members`` holds the ``id()`` of every comment element of the page; the caller keeps
    those elements referenced for the whole parse, so their lxml proxies and ids are stable)."""
    if id(element) in members:
        return element
    return next((a for a in element.iterancestors() if id(a) in members), None)


def own_matches(comment, members: set[int], path: str) -> list:
    """Matches of the XPath ``path`` inside a comment element that belong to it, not to
    one of its nested replies (a text or attribute result is judged by its element)."""
    results = []
    for found in comment.xpath(path):
        holder = found.getparent() if isinstance(found, str) else found
        if holder is not None and comment_owner(holder, members) is comment:
            results.append(found)
    return results


def own_css(comment, members: set[int], css: str) -> list:
    """:func:`own_matches` for a CSS selector."""
    return own_matches(comment, members, css_xpath(css))


class UnreadableXML(ValueError):
    """A body that is not well-formed XML, or declares entities (a feed never needs them)."""


# Strict: a feed cut short or broken must not yield half an entry as data.  Entities are
# never expanded (no billion laughs) and never fetched (no external DTD).
_STRICT_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False,
                              load_dtd=False)


def read_xml(body: bytes, url: str) -> etree._Element:
    """The root element of a well-formed XML document, or :class:`UnreadableXML`."""
    try:
        root = etree.fromstring(body, parser=_STRICT_XML)
    except etree.XMLSyntaxError as exc:
        raise UnreadableXML(f"{url}: not well-formed XML ({exc})") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnreadableXML(f"{url}: the document declares XML entities (an entity bomb?): refused")
    return root


class NotAFeed(ValueError):
    """The body is not an RSS or Atom feed (an HTML page, an error page, broken XML)."""


def feed_root(body: bytes | str, url: str) -> etree._Element:
    """The root element of a feed document, read strictly (:func:`read_xml`), or :class:`NotAFeed`."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        return read_xml(body, url)
    except UnreadableXML as exc:
        raise NotAFeed(str(exc)) from exc


# -- JSON --------------------------------------------------------------------------------

# JSON may escape half of a UTF-16 pair alone ("\ud800"); Python decodes it to a lone surrogate,
# which no UTF-8 text (lxml, SQLite) can hold: one such comment made a whole REST page unreadable.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPED_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(text: str | bytes) -> object:
    """``json.loads``, with lone surrogates replaced by U+FFFD (a pair escaped as two halves is
    joined by the decoder and kept)."""
    data = json.loads(text)
    pattern = _ESCAPED_SURROGATE_BYTES if isinstance(text, bytes) else _ESCAPED_SURROGATE
    return _without_lone_surrogates(data) if pattern.search(text) else data


def _without_lone_surrogates(value: object) -> object:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def extract_body(text: str, url: str, title: str | None = None) -> str | None:
    """The main content of a page as HTML (links, images and formatting kept), without the
    post's title heading, which trafilatura keeps as the body's first element."""
    import trafilatura  # imported here: loading it takes a while and only summary feeds need it

    # favor_precision: without it, a short post comes back with the page's header and menu
    extracted = trafilatura.extract(text, url=url, output_format="html", include_comments=False,
                                    favor_precision=True, include_links=True, include_images=True,
                                    include_formatting=True, include_tables=True)
    if not extracted:
        return None
    root = lxml_html.fromstring(extracted)
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        return None
    children = list(body)
    if children and title and children[0].tag in ("h1", "h2", "h3") and not (body.text or "").strip():
        if collapse_whitespace(children[0].text_content()) == collapse_whitespace(title):
            children = children[1:]
    inner = "".join(lxml_html.tostring(child, encoding="unicode") for child in children)
    return ((body.text or "").strip() + inner).strip() or None


# -- schema.org JSON-LD: what a page declares about its article ------------------------------

_ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "WebPage", "ItemPage", "Report", "SocialMediaPosting"}


def json_ld_objects(doc) -> list[dict]:
    """Every object of the page's JSON-LD scripts, ``@graph`` members included (a script that is
    not JSON is skipped)."""
    objects: list[dict] = []
    for script in doc.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return objects


def json_ld_types(obj: dict) -> set[str]:
    kinds = obj.get("@type")
    return set(kinds) if isinstance(kinds, list) else {kinds} if isinstance(kinds, str) else set()


def json_ld_dates(doc) -> list[str]:
    """``datePublished`` of the page's Article/BlogPosting/WebPage objects, articles first."""
    objects = [
        o for o in json_ld_objects(doc)
        if json_ld_types(o) & _ARTICLE_TYPES and isinstance(o.get("datePublished"), str)
    ]
    objects.sort(key=lambda o: 0 if json_ld_types(o) & {"Article", "BlogPosting", "NewsArticle"} else 1)
    return [o["datePublished"] for o in objects]


def json_ld_author(doc) -> list[str]:
    """The ``author`` names of the page's Article/BlogPosting/NewsArticle objects."""
    names = []
    for obj in json_ld_objects(doc):
        if json_ld_types(obj) & {"Article", "BlogPosting", "NewsArticle"}:
            author = obj.get("author")
            for person in author if isinstance(author, list) else [author]:
                if isinstance(person, dict) and isinstance(person.get("name"), str):
                    names.append(person["name"])
    return names
