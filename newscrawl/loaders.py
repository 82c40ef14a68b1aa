"""Item loaders: every field's cleaning declared once.

Parsers feed raw selector output (text nodes, attribute values, HTML fragments) in
several candidate orders (one per template family); ``TakeFirst`` keeps the first
non-empty candidate, so the most specific selector wins.
"""

from __future__ import annotations

import re
from typing import Any

import html_text
from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from .items import BlogItem, CommentItem, PostItem

_WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(value: str | None) -> str | None:
    """Trim and fold runs of whitespace (incl. non-breaking spaces) into one space."""
    if value is None:
        return None
    text = _WHITESPACE.sub(" ", str(value).replace("\xa0", " ")).strip()
    return text or None


def html_to_text(fragment: str | None) -> str | None:
    """Readable plain text of an HTML fragment: block elements and <br> become line breaks."""
    if not fragment:
        return None
    text = html_text.extract_text(fragment, guess_layout=True, guess_punct_space=False)
    lines = [collapse_whitespace(line) or "" for line in text.splitlines()]
    # keep paragraph breaks, drop runs of empty lines
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return cleaned or None


def strip_fragment(value: str | None) -> str | None:
    """An HTML fragment with surrounding whitespace removed; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def to_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


class _BaseLoader(ItemLoader):
    default_input_processor = MapCompose(collapse_whitespace)
    default_output_processor = TakeFirst()


class BlogLoader(_BaseLoader):
    default_item_class = BlogItem


class PostLoader(_BaseLoader):
    default_item_class = PostItem
    content_html_in = MapCompose(strip_fragment)
    content_text_in = MapCompose(html_to_text)
    published_machine_in = Identity()
    updated_machine_in = Identity()
    labels_in = MapCompose(collapse_whitespace)
    labels_out = Identity()  # every label, in page order
    comment_count_in = MapCompose(to_int)
    comments_in = Identity()
    comments_out = Identity()


class CommentLoader(_BaseLoader):
    default_item_class = CommentItem
    content_html_in = MapCompose(strip_fragment)
    content_text_in = MapCompose(html_to_text)
    published_machine_in = Identity()
    is_blog_author_in = MapCompose(to_bool)
    deleted_in = MapCompose(to_bool)
    replies_in = Identity()
    replies_out = Identity()
