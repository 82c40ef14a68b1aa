"""One way from a parser's items to the rows a crawl stores.

A crawl (``pipelines.PreparePipeline``), ``newscrawl extract``, the tests and
``bench/stages.py`` all call :func:`prepare`, so what ``extract`` prints for a page is what
a crawl of that page stores.  The steps, in this order:

1. validate     an item without the ids it must have is refused (:class:`InvalidItem`)
2. dates        machine value or display string -> one UTC date, its raw text and source
                (``dates.normalize_date``, read in the blog's :class:`~newscrawl.dates.DateContext`)
3. comments     a post's nested comments -> flat rows linked to their post and parent; their
                authors checked (one that reads as a date is dropped, a missing one counted,
                both logged)
4. links        a post's outbound links -> rows of the ``links`` table
5. commentary   a post's body -> quoted source material and the author's commentary
6. rows         items -> column dicts (transient fields such as ``*_machine`` dropped)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter
from lxml import etree

from .commentary import split_commentary
from .dates import DateContext, name_reads_as_date, normalize_date
from .items import TRANSIENT_FIELDS, BlogItem, CommentItem, NewscrawlItem, PostItem
from .links import outbound_links
from .loaders import html_fragment

logger = logging.getLogger(__name__)


@dataclass
class Rows:
    """What one item becomes in the database: rows of ``blogs``, ``posts``, ``comments`` and
    the outbound links of each post (``links[post_id]``; absent: the post's links are not
    known from this item, so the stored ones stay)."""

    blogs: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: int = 0  # items left out as invalid (prepare_all)

    def extend(self, other: "Rows") -> None:
        self.blogs.extend(other.blogs)
        self.posts.extend(other.posts)
        self.comments.extend(other.comments)
        self.links.update(other.links)
        self.skipped += other.skipped

    def __len__(self) -> int:
        return len(self.blogs) + len(self.posts) + len(self.comments)


class InvalidItem(ValueError):
    """An item a parser emitted without the ids every row needs."""


def context_of(blog: BlogItem | dict | None) -> DateContext:
    """The date context a blog row describes (its language and timezone)."""
    blog = blog or {}
    return DateContext.from_hints(blog.get("language"), blog.get("timezone"))


def prepare(item: Any, context: DateContext = DateContext(), stats: Any = None) -> Rows:
    """The rows a crawl stores for one parser item (see the module docstring for the steps).

    ``stats`` (a Scrapy stats collector) counts dates by source, unreadable dates, comments
    split from post pages and links."""
    check_required(item)
    normalize_item_dates(item, context, stats)
    rows = Rows()
    if isinstance(item, BlogItem):
        rows.blogs.append(item_to_row(item))
    elif isinstance(item, PostItem):
        comments = split_comments(item) if item.get("comments") is not None else []
        check_comment_authors(comments, item.get("url") or item["id"], stats)
        check_comment_texts(comments, item.get("url") or item["id"], stats)
        if item.get("comments") is not None and stats is not None:
            stats.inc_value("newscrawl/comments/from_post_pages", len(comments))
        body = parsed_body(item.get("content_html"))
        if item.get("content_html"):
            rows.links[item["id"]] = post_links(item, body)
            if stats is not None:
                stats.inc_value("newscrawl/links", len(rows.links[item["id"]]))
        add_commentary(item, body)
        rows.posts.append(item_to_row(item))
        rows.comments.extend(item_to_row(comment) for comment in comments)
    elif isinstance(item, CommentItem):
        if item.get("replies"):
            raise InvalidItem("a standalone comment must not carry replies; parsers emit them flat")
        check_comment_authors([item], item.get("url") or item["id"], stats)
        check_comment_texts([item], item.get("url") or item["id"], stats)
        rows.comments.append(item_to_row(item))
    else:
        raise InvalidItem(f"not a newscrawl item: {type(item).__name__}")
    return rows


def prepare_all(items: Any, context: DateContext = DateContext(), stats: Any = None) -> Rows:
    """:func:`prepare` over several items (a parsed page or feed), rows in item order.

    An invalid item is left out, logged and counted (``newscrawl/items_dropped/<item type>``);
    the others are prepared."""
    rows = Rows()
    tally = StatsTally() if stats is not None else None
    try:
        for item in items:
            try:
                rows.extend(prepare(item, context, tally))
            except InvalidItem as error:
                rows.skipped += 1
                if tally is not None:
                    tally.inc_value(f"newscrawl/items_dropped/{type(item).__name__}")
                logger.warning("Skipped an invalid item: %s", error)
    finally:
        if tally:
            tally.add_to(stats)
    return rows


class StatsTally(dict):
    """Counts made while a batch of items is prepared, added to the crawl's stats once per key
    when it is done: a call to Scrapy's stats collector costs about 2 µs (a deprecation wrapper
    looked up on every call), and a page or feed of 150 comments made 300 of them."""

    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count

    def add_to(self, stats: Any) -> None:
        for key, count in self.items():
            stats.inc_value(key, count)


# -- 1. validate ---------------------------------------------------------------------------


REQUIRED = {PostItem: ("id", "blog_id"), CommentItem: ("id", "post_id"), BlogItem: ("id",)}


def missing_fields(item: Any) -> list[str]:
    required = REQUIRED.get(type(item), ())
    return [name for name in required if not item.get(name)]


def check_required(item: Any) -> None:
    missing = missing_fields(item)
    if missing:
        raise InvalidItem(f"{type(item).__name__} without {', '.join(missing)}: {dict(item)!r:.300}")


# -- 3. comments: authors -----------------------------------------------------------------

_PINGS = ("pingback", "trackback")


def _reader_comments(comments: list[Any]) -> list[Any]:
    """The comments readers wrote: not pingbacks or trackbacks."""
    return [c for c in comments if str(c.get("comment_type") or "comment") not in _PINGS]


def check_comment_authors(comments: list[Any], where: str, stats: Any = None) -> None:
    """A reader comment's author is a name: one that reads as a date (a parser took the meta line
    for the name) is dropped; one missing is kept missing. Both are logged once per post and
    counted (``newscrawl/comments/author_was_a_date``, ``newscrawl/comments/without_author``)."""
    readers = _reader_comments(comments)
    dated = [c for c in readers if name_reads_as_date(c.get("author"))]
    for comment in dated:
        comment["author"] = None
    missing = sum(1 for c in readers if not c.get("author"))
    if dated:
        logger.warning("%s: %d comment author(s) read as a date (%r...): not stored as authors",
                       where, len(dated), dated[0].get("url"))
        if stats is not None:
            stats.inc_value("newscrawl/comments/author_was_a_date", len(dated))
    if missing:
        logger.warning("%s: %d of %d comments without an author", where, missing, len(readers))
        if stats is not None:
            stats.inc_value("newscrawl/comments/without_author", missing)


def check_comment_texts(comments: list[Any], where: str, stats: Any = None) -> None:
    """A reader comment that is not deleted has a text: one without (its template's body not
    recognised, or a page that shows titles only) is kept, logged once per post and counted
    (``newscrawl/comments/without_text``)."""
    readers = _reader_comments(comments)
    missing = sum(1 for c in readers
                  if not c.get("deleted") and not c.get("content_html") and not c.get("content_text"))
    if missing:
        logger.warning("%s: %d of %d comments without a text", where, missing, len(readers))
        if stats is not None:
            stats.inc_value("newscrawl/comments/without_text", missing)


# -- 2. dates ------------------------------------------------------------------------------


_DATE_FIELDS = {PostItem: ("published", "updated"), CommentItem: ("published",)}


def normalize_item_dates(item: Any, context: DateContext, stats: Any = None, reference: Any = None) -> Any:
    """Fill ``<field>``, ``<field>_raw`` and ``<field>_source`` for every date of the item
    (and of the comments it carries); count dates that could not be read.

    A post's comments are read with the post's date as reference: the day of a
    time-only stamp, the year of a date shown without one."""
    for name in _DATE_FIELDS.get(type(item), ()):
        machine = item.get(f"{name}_machine")
        display = item.get(f"{name}_raw")
        if machine is None and display is None:
            continue
        result = normalize_date(machine, display, context, reference=reference)
        item[name] = result.value
        item[f"{name}_raw"] = result.raw
        item[f"{name}_source"] = result.source
        item[f"{name}_zone"] = result.zone
        if stats is not None:
            stats.inc_value(f"newscrawl/dates/{result.source or 'unparsed'}")
        if result.value is None:
            logger.warning("Unreadable %s date %r on %s", name, result.raw, item.get("url") or item.get("id"))
    if isinstance(item, PostItem):
        for comment in item.get("comments") or ():
            normalize_item_dates(comment, context, stats, reference=item.get("published"))
    for reply in item.get("replies") or () if isinstance(item, CommentItem) else ():
        normalize_item_dates(reply, context, stats, reference=reference)
    return item


# -- 3. comments ---------------------------------------------------------------------------


def split_comments(post: PostItem) -> list[CommentItem]:
    """The post's comment tree as flat rows, each linked to the post and its parent.

    Replies get the id of the comment they are nested in, unless the parser already
    knew a parent (feeds carry it explicitly).
    """
    flat: list[CommentItem] = []
    _flatten(post.get("comments"), None, post, flat)
    return flat


def _flatten(comments, parent_id: str | None, post: PostItem, flat: list[CommentItem]) -> None:
    # A function of the module, not a closure that calls itself: such a closure is a reference
    # cycle (function -> cell -> function) holding the post, its comments and, through lxml's
    # strings, the page's tree, until the cyclic collector runs.
    for comment in comments or ():
        comment.setdefault("post_id", post["id"])
        comment.setdefault("blog_id", post.get("blog_id"))
        if parent_id and not comment.get("parent_id"):
            comment["parent_id"] = parent_id
        replies = comment.pop("replies", None)
        flat.append(comment)
        _flatten(replies, comment["id"], post, flat)


# -- 4. links ------------------------------------------------------------------------------


def parsed_body(content_html: str | None) -> Any:
    """A post body parsed once for both its links and its commentary (``html_fragment``); None
    when there is none, or it cannot be parsed (each step then says so its own way)."""
    if not content_html or not content_html.strip():
        return None
    try:
        return html_fragment(content_html)
    except (etree.ParserError, ValueError):
        return None


def post_links(post: PostItem, body: Any = None) -> list[dict[str, Any]]:
    """The outbound links of a post body, as rows of the links table (``body``: its parsed tree)."""
    rows = outbound_links(post.get("content_html"), post.get("url") or "", body=body)
    for row in rows:
        row["post_id"] = post["id"]
        row["blog_id"] = post.get("blog_id")
    return rows


# -- 5. commentary -------------------------------------------------------------------------


def add_commentary(post: PostItem, body: Any = None) -> PostItem:
    """Split the body into what it quotes and what the author adds (``commentary.py``; ``body``:
    its parsed tree)."""
    if post.get("content_html"):
        split = split_commentary(post["content_html"], post.get("url") or "", body)
        post["quoted_text"] = split.quoted_text
        post["commentary_text"] = split.commentary_text
        post["commentary_method"] = split.method
    return post


# -- 6. rows -------------------------------------------------------------------------------


def item_to_row(item: Any) -> dict[str, Any]:
    # an Item is a mapping: read directly, it costs a tenth of going through ItemAdapter per field
    if isinstance(item, NewscrawlItem):
        row = item.as_dict()
    elif isinstance(item, Mapping):
        row = dict(item)
    else:
        row = dict(ItemAdapter(item).items())
    for name in TRANSIENT_FIELDS.intersection(row):
        del row[name]
    return row
