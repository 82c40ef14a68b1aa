"""Reader comments in the server-rendered markup of post pages of sites that are neither
Blogger nor WordPress, and where comments live when they are not in the page.

Each engine family is read from its own markup, in its own module:

* ``drupal``: Drupal 7 and 8+ (``a#comment-N`` anchors, ``div.indented`` replies, RDF/schema
  properties);
* ``spip``: SPIP forums (``li.forum-fil`` / ``li.comment-li``, ``a#forumN`` anchors);
* ``movabletype``: Movable Type and TypePad ("Posted by: NAME | DATE" footers, ``#comment-N``/``#cN``);
* ``generic``: Disqus's noscript copy, the classic ``li.comment`` list many themes copy, and last,
  repeated comment blocks recognised by their shape;
* ``schema_org``: schema.org ``Comment`` microdata and JSON-LD, read whenever a page has them and
  no engine's own markup was found.

``fields`` holds what all families share: how a found comment element becomes a ``CommentItem``.
Ids: ``comment_key(post id, native id)``: the engine's own comment id, or, where the markup has
none (Disqus's noscript copy), ``h`` and a hash of author and text.  Dates: machine values
(``time[datetime]``, ``abbr[title]``, RDF ``content``) as ``published_machine``; the shown text as
``published_raw`` for the date pipeline, which reads it in the blog's language and timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from w3lib.encoding import html_to_unicode

from ...dates import DateContext
from ...items import CommentItem
from ..markup import count_comments, has_class, html_document
from . import drupal, generic, movabletype, schema_org, spip
from .fields import Context, build_tree, comment_key, text_of

SYSTEM_DRUPAL = drupal.NAME
SYSTEM_SPIP = spip.NAME
SYSTEM_MOVABLE_TYPE = movabletype.NAME
SYSTEM_SCHEMA_ORG = schema_org.NAME
SYSTEM_JSON_LD = "json-ld"
SYSTEM_LIST = generic.LIST
SYSTEM_DISQUS = generic.DISQUS
SYSTEM_BLOCKS = generic.BLOCKS


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


def decode_page(body: bytes | str, content_type: str | None = None) -> str:
    """A page's text: the charset of the Content-Type header, the page's own ``meta``
    declaration, else UTF-8 (not Latin-1, which lxml would guess for bytes)."""
    if isinstance(body, str):
        return body
    return html_to_unicode(content_type, body)[1]


def parse_document(body: bytes | str, url: str):
    text = decode_page(body)
    return html_document(text, url)


def parse_comments(body: bytes | str, url: str, post_id: str, blog_id: str) -> PageComments:
    """The comments of a post page, from the first comment system whose markup it holds."""
    doc = parse_document(body, url)
    return comments_of_document(doc, decode_page(body), url, post_id, blog_id)


# Engines in the order they are tried: an engine's own markup first, then the engine-independent
# schema.org objects, then the markup many themes share, then blocks recognised by shape.
_ENGINES = (drupal.SYSTEM, spip.SYSTEM, movabletype.SYSTEM, generic.DISQUS_SYSTEM, schema_org.SYSTEM)


def comments_of_document(doc, text: str, url: str, post_id: str, blog_id: str) -> PageComments:
    page = PageComments(hosted_by=comments_hosted_by(text), expected=_expected_count(doc))
    context = Context(url=url.split("#")[0], post_id=post_id, blog_id=blog_id,
                      dates=DateContext.from_hints(page_language(doc), None))
    for system in _ENGINES:
        found = system.find(doc)
        if found:
            page.system, page.comments = system.name, build_tree(found, system, context)
            return page
    from_json_ld = schema_org.json_ld_comments(doc, context)
    if from_json_ld:
        page.system, page.comments = SYSTEM_JSON_LD, from_json_ld
        return page
    found = generic.LIST_SYSTEM.find(doc)
    if found:
        page.system, page.comments = SYSTEM_LIST, build_tree(found, generic.LIST_SYSTEM, context)
        return page
    found, shape = generic.blocks(doc, context)
    if found:
        page.system, page.comments = SYSTEM_BLOCKS, build_tree(found, shape, context)
    return page


def page_language(doc) -> str | None:
    """The page's language as it declares it (``<html lang>``, Content-Language, ``og:locale``)."""
    for path in ("/html/@lang", "/html/@xml:lang", "//meta[@http-equiv='Content-Language']/@content",
                 "//meta[@property='og:locale']/@content"):
        values = [v for v in doc.xpath(path) if v.strip()]
        if values:
            return values[0].strip()
    return None


# -- where comments live ------------------------------------------------------------------

# Comment systems that load the comments from their own servers by script.  Matched on the
# embed's own ids and script addresses, never on the word in a post's text.  Each with a word
# every match of it holds: a page without the word is not searched (six regular expressions over
# every page were a tenth of an HTML crawl's time; ``in`` is a plain substring scan).
_HOSTS = (
    ("disqus", ("disqus", "d-noscript-comments"),
     re.compile(r"""id=["']disqus_thread["']|disqus\.com/embed\.js|\bdisqus_shortname\b"""
                r"""|class=["'][^"']*\bd-noscript-comments\b""")),
    ("facebook", ("fb-comments",), re.compile(r"""class=["'][^"']*\bfb-comments\b""")),
    ("commento", ("commento",), re.compile(r"""id=["']commento["']|cdn\.commento\.io/js/commento\.js""")),
    ("hyvor", ("hyvor",), re.compile(r"""talk\.hyvor\.com/embed|<hyvor-talk-comments""")),
    ("giscus", ("giscus.app",), re.compile(r"""giscus\.app/client\.js""")),
    ("utterances", ("utteranc.es",), re.compile(r"""utteranc\.es/client\.js""")),
)


def comments_hosted_by(text: str) -> str | None:
    """The off-site comment service a page embeds (``disqus`` ...), or None."""
    for name, words, pattern in _HOSTS:
        if any(word in text for word in words) and pattern.search(text):
            return name
    return None


_COUNT = re.compile(r"^\D{0,20}?(\d[\d.,]*)\s+\w")


def _expected_count(doc) -> int | None:
    """The number of comments the page announces, if it shows one."""
    headings = doc.xpath(
        f"//*[{has_class('comment-count')} or {has_class('comments-count')} or {has_class('comments-title')}"
        " or @id='comments-title' or ((self::h2 or self::h3 or self::h4)"
        f" and (ancestor::*[@id='comments'] or ancestor::*[{has_class('comments')}]))]"
    )
    for heading in headings:
        match = _COUNT.match(text_of(heading) or "")
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits:
                return int(digits)
    return None


__all__ = [
    "PageComments",
    "SYSTEM_BLOCKS",
    "SYSTEM_DISQUS",
    "SYSTEM_DRUPAL",
    "SYSTEM_JSON_LD",
    "SYSTEM_LIST",
    "SYSTEM_MOVABLE_TYPE",
    "SYSTEM_SCHEMA_ORG",
    "SYSTEM_SPIP",
    "comment_key",
    "comments_hosted_by",
    "comments_of_document",
    "decode_page",
    "parse_comments",
    "parse_document",
]
