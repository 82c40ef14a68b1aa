"""Item loaders: every field's cleaning declared once.

Parsers feed raw selector output (text nodes, attribute values, HTML fragments) in
several candidate orders (one per template family); ``TakeFirst`` keeps the first
non-empty candidate, so the most specific selector wins.
"""

from __future__ import annotations

import functools
import re
from html import escape
from typing import Any, Callable, Iterable

import html_text
from itemloaders import unbound_method
from itemloaders.processors import Identity, MapCompose, TakeFirst
from itemloaders.utils import arg_to_iter, get_func_args
from lxml import etree, html as lxml_html
from scrapy.loader import ItemLoader

from .items import BlogItem, CommentItem, PostItem

_WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(value: str | None) -> str | None:
    """Trim and fold runs of whitespace (incl. non-breaking spaces) into one space."""
    if value is None:
        return None
    if type(value) is str and _is_folded(value):
        return value or None  # most values (ids, names, urls) have nothing to fold: no regex for them
    text = _WHITESPACE.sub(" ", str(value).replace("\xa0", " ")).strip()
    return text or None


def _is_folded(text: str) -> bool:
    # printable leaves the plain space as the only whitespace (\xa0 and the other Unicode spaces,
    # tabs and line breaks are not printable): then only runs and ends of spaces could change
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


# What html_text's cleaner takes out before reading text (scripts, styles, comments, <link>, <meta>,
# processing instructions, embedded objects, frames).  A fragment without any of these reads the same
# uncleaned, and most comments and posts have none: cleaning (a deep copy of the tree and a walk
# over it) was a third of html_to_text's time.
_CLEANED_NODES = (
    "script", "style", "link", "meta", "applet", "param", "object", "embed", "iframe", "layer",
    "frame", "frameset", "noframes", etree.Comment, etree.ProcessingInstruction,
)


def _holds_cleaned_nodes(element: etree._Element) -> bool:
    """The element is or holds a node html_text's cleaner removes: its own walk reads it then."""
    return next(element.iter(*_CLEANED_NODES), None) is not None


def html_to_text(fragment: str | None) -> str | None:
    """Readable plain text of an HTML fragment: block elements and <br> become line breaks."""
    if not fragment:
        return None
    if _is_plain_text(fragment):
        # no markup and no entity: the one paragraph html_text would read, without parsing it
        return collapse_whitespace(fragment)
    lines = _text_of_br_lines(fragment)
    if lines is not None:
        return lines or None
    return _text_read_by_parser(fragment)


def _text_read_by_parser(fragment: str) -> str | None:
    tree = _parse_fragment(fragment)
    if not _holds_cleaned_nodes(tree):
        try:
            return layout_text(tree) or None
        except RecursionError:  # nesting deeper than Python's stack: html_text's walk has none
            text = html_text.etree_to_text(tree, guess_layout=True, guess_punct_space=False)
    else:
        try:
            text = html_text.extract_text(fragment, guess_layout=True, guess_punct_space=False)
        except ValueError:
            # html_text's cleaner writes text back through lxml, which refuses the control characters
            # the HTML parser let through (a form feed): read the fragment without them, the ones that
            # are whitespace as a space (they would be folded into one anyway)
            text = html_text.extract_text(_XML_REFUSED.sub(_without_refused, fragment), guess_layout=True,
                                          guess_punct_space=False)
    lines = [collapse_whitespace(line) or "" for line in text.splitlines()]
    # keep paragraph breaks, drop runs of empty lines
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return cleaned or None


# Characters lxml refuses in an element's text (not XML characters)
_XML_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _without_refused(match: re.Match) -> str:
    return " " if match.group().isspace() else ""


# html_text's layout: these tags start and end a line, or a paragraph (a blank line)
_LINE_TAGS = html_text.html_text.NEWLINE_TAGS
_PARAGRAPH_TAGS = html_text.html_text.DOUBLE_NEWLINE_TAGS
# what the layout walk last wrote
_AFTER_LINE_BREAK, _AFTER_PARAGRAPH_BREAK, _AFTER_TEXT = 1, 2, 3


def layout_text(root: etree._Element) -> str:
    """``html_text.etree_to_text(root, guess_layout=True, guess_punct_space=False)`` for a tree
    without the nodes html_text's cleaner removes (scripts, styles, comments ...), and what
    :func:`html_to_text` then makes of it (each line's whitespace folded, at most one blank line)
    in the same pass: that text's lines are already folded, and it never holds two blank lines.
    html_text walks lxml's events with a closure per chunk: this walk takes less than half the time
    (a differential test compares the two on generated and real fragments)."""
    chunks: list[str] = []
    _layout_walk(root, chunks, _AFTER_PARAGRAPH_BREAK)
    return "".join(chunks).strip()


def _layout_walk(element: etree._Element, chunks: list[str], last: int) -> int:
    """Append ``element``'s text (not its tail) to ``chunks``; returns what was written last."""
    tag = element.tag
    last = _layout_break(tag, chunks, last)
    if element.text:
        last = _layout_token(element.text, chunks, last)
    for child in element:
        last = _layout_walk(child, chunks, last)
        if child.tail:
            last = _layout_token(child.tail, chunks, last)
    return _layout_break(tag, chunks, last)


def _layout_break(tag: Any, chunks: list[str], last: int) -> int:
    # as html_text: never more than one blank line; a paragraph break after a line break adds one "\n"
    if last == _AFTER_PARAGRAPH_BREAK:
        return last
    if tag in _PARAGRAPH_TAGS:
        chunks.append("\n" if last == _AFTER_LINE_BREAK else "\n\n")
        return _AFTER_PARAGRAPH_BREAK
    if tag in _LINE_TAGS:
        if last != _AFTER_LINE_BREAK:
            chunks.append("\n")
        return _AFTER_LINE_BREAK
    return last


def _layout_token(text: str, chunks: list[str], last: int) -> int:
    # html_text's _normalize_whitespace (\s runs to one space, ends stripped) is collapse_whitespace
    text = collapse_whitespace(text)
    if not text:
        return last
    if last == _AFTER_TEXT:
        chunks.append(" ")
    chunks.append(text)
    return _AFTER_TEXT


class _NeedsParser(Exception):
    """Parts :func:`text_of_parts` cannot walk as the parser would read their markup."""


def text_of_parts(parts: Iterable[str | etree._Element | None]) -> str | None:
    """:func:`html_to_text` of the markup ``parts`` make when joined -- text escaped, an element as
    ``lxml.html.tostring`` writes it without its tail, ``None`` a ``<br>`` -- read from the parts
    themselves: the elements are walked where they stand, not written out and parsed again.
    Neighbouring text parts are one text node, as the parser would make them.  Parts the walk could
    read otherwise than the parser (nodes html_text's cleaner removes, control characters, nesting
    deeper than Python's stack) are written out and read by :func:`html_to_text` after all."""
    parts = list(parts)
    chunks: list[str] = []
    last = _AFTER_PARAGRAPH_BREAK
    pending: list[str] = []
    try:
        for part in parts:
            if part.__class__ is str:
                pending.append(part)
                continue
            if pending:
                last = _layout_text_part("".join(pending), chunks, last)
                pending.clear()
            if part is None:
                last = _layout_break("br", chunks, last)
            elif _holds_cleaned_nodes(part):
                raise _NeedsParser
            else:
                last = _layout_walk(part, chunks, last)
        if pending:
            _layout_text_part("".join(pending), chunks, last)
    except (_NeedsParser, RecursionError):
        return html_to_text("".join(_markup_of_part(part) for part in parts))
    return "".join(chunks).strip() or None


def _layout_text_part(text: str, chunks: list[str], last: int) -> int:
    if _CONTROL.search(text):
        raise _NeedsParser  # the parser drops or replaces some of these
    return _layout_token(text, chunks, last)


def _markup_of_part(part: str | etree._Element | None) -> str:
    if part is None:
        return "<br>"
    if part.__class__ is str:
        return escape(part, quote=False)
    return lxml_html.tostring(part, encoding="unicode", with_tail=False)


def _is_plain_text(fragment: str) -> bool:
    return "<" not in fragment and "&" not in fragment and _is_plain_line(fragment)


# Characters text may hold and still be read without the parser: printable ones and the whitespace
# the HTML parser folds like any other; a control character is left to the parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# the unprintable whitespace _CONTROL lets through (the rest unprintable is unassigned, format,
# private-use ...: left to the parser)
_FOLDED_SPACES = str.maketrans("", "", "\t\n\x0c\r\xa0\u2028\u2029")


def _is_plain_line(text: str) -> bool:
    """Text the parser would read as it stands (its ``<`` and ``&``, if any, came from character
    references): no control character, nothing unprintable but folded whitespace."""
    return _CONTROL.search(text) is None and (text.isprintable() or text.translate(_FOLDED_SPACES).isprintable())


# Lines of text: <br> without attributes between them, and character references of printable
# characters (most comments of a Blogger feed, whose bodies are escaped text with line breaks).
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "nbsp": "\xa0"}


def _referenced(match: re.Match) -> str:
    name, decimal, hexadecimal = match.groups()
    if name:
        return _NAMED[name]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    # the parser's reading of control characters, surrogates and the C1 range (which HTML maps to
    # Windows-1252) is its own: such a fragment goes to the parser
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise ValueError(code)


def _text_of_br_lines(fragment: str) -> str | None:
    """What :func:`html_to_text` reads from a fragment of text lines separated by ``<br>`` (html_text
    makes one line break of each run of them), without parsing it; None for any other fragment."""
    lines = []
    for segment in _LINE_BREAK.split(fragment):
        if "<" in segment:
            return None
        if "&" in segment:
            if "&" in _REFERENCE.sub("", segment):  # an & that is not one of those references
                return None
            try:
                segment = _REFERENCE.sub(_referenced, segment)
            except ValueError:
                return None
        if not _is_plain_line(segment):
            return None
        line = collapse_whitespace(segment)
        if line:
            lines.append(line)
    return "\n".join(lines)


class PlainHtmlParser(lxml_html.HTMLParser):
    """lxml.html's parser with a lookup made in C: every element an ``HtmlElement`` (comments,
    processing instructions and entities lxml.html's own), not the form, input and label classes
    lxml.html picks in Python for each element it hands out, which cost a page walk 2 ms. No parser
    here uses those classes' methods."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))


# html_text.parse_html's parser and input, without making a parser for every fragment.
_FRAGMENT_PARSER = PlainHtmlParser(recover=True, encoding="utf-8")

# lxml.html's own parser (its default options), with the lookup in C.
DOCUMENT_PARSER = PlainHtmlParser()


def html_fragment(fragment: str) -> lxml_html.HtmlElement:
    """An HTML fragment in one ``<div>``, as ``lxml.html.fragment_fromstring(..., create_parent="div")``
    parses it.  Raises ``etree.ParserError`` (or ``ValueError``) as that does.  The ``<div>`` is made
    by our parser: lxml.html makes it with its own, and the fragment's elements, moved into its
    document, would take its Python class lookup again."""
    elements = lxml_html.fragments_fromstring(fragment, parser=DOCUMENT_PARSER, no_leading_text=False)
    root = DOCUMENT_PARSER.makeelement("div")
    if elements and isinstance(elements[0], str):
        root.text = elements.pop(0)
    root.extend(elements)
    return root


def _parse_fragment(fragment: str):
    body = fragment.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    root = etree.fromstring(body, parser=_FRAGMENT_PARSER)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=_FRAGMENT_PARSER)
    return root


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

    @classmethod
    def build(cls, **values: Any) -> Any:
        """The item that ``add_value(field, value)`` for each keyword, in order, then ``load_item()``
        would give, with the same processors resolved once per loader class.

        A parser that fills one item per comment calls this instead of making a loader: each
        ``add_value`` looks its processors up again and inspects their signatures, which cost a
        crawl more than reading the page."""
        processors = _field_processors(cls)
        if processors is None:  # a processor that wants the loader context: the loader itself
            return _load_with_loader(cls, values)
        singles = _single_string_processors(cls)
        loaded: dict[str, Any] = {}
        for name, value in values.items():
            if value is None:
                continue  # as add_value: nothing to add
            if value.__class__ is not str and isinstance(value, str):
                # an XPath result (lxml's "smart string") holds its element, and so the page's whole
                # tree, as long as the item lives: stored items keep the text only
                value = str(value)
            single = singles.get(name) if value.__class__ is str else None
            if single is not None:
                # most values are one string through one function into TakeFirst: what the
                # general path below gives, without its lists
                result = single(value)
                if result.__class__ is str:
                    if result:
                        loaded[name] = result
                    continue
            processed = processors[name][0]([value] if value.__class__ is str else arg_to_iter(value))
            if processed:
                value = processors[name][1](list(arg_to_iter(processed)))
                if value is not None:
                    loaded[name] = value
        item = cls.default_item_class()
        for name, value in loaded.items():
            item[name] = value
        return item


@functools.cache
def _single_string_processors(loader_class: type[ItemLoader]) -> dict[str, Callable[[str], Any]]:
    """The fields whose input processor is ``MapCompose`` of one function and whose output is
    ``TakeFirst``: for one string value, the field is that function's result unless empty."""
    prototype = loader_class()
    found = {}
    for name in getattr(loader_class.default_item_class, "fields", ()):
        into, out = unbound_method(prototype.get_input_processor(name)), prototype.get_output_processor(name)
        if (isinstance(into, MapCompose) and len(into.functions) == 1 and not into.default_loader_context
                and not _takes_context(into.functions[0]) and type(unbound_method(out)) is TakeFirst):
            found[name] = into.functions[0]
    return found


def _load_with_loader(loader_class: type[ItemLoader], values: dict[str, Any]) -> Any:
    loader = loader_class()
    for name, value in values.items():
        loader.add_value(name, value)
    return loader.load_item()


@functools.cache
def _field_processors(loader_class: type[ItemLoader]) -> dict[str, tuple[Callable, Callable]] | None:
    """Each field's input and output processors as the loader resolves them (``<field>_in``, field
    metadata, the defaults), as one-argument callables; None when one needs the loader context."""
    prototype = loader_class()
    found = {}
    for name in getattr(loader_class.default_item_class, "fields", ()):
        pair = (_plain_call(prototype.get_input_processor(name)), _plain_call(prototype.get_output_processor(name)))
        if None in pair:
            return None
        found[name] = pair
    return found


def _plain_call(processor: Callable) -> Callable | None:
    processor = unbound_method(processor)
    if isinstance(processor, MapCompose):
        if processor.default_loader_context or any(_takes_context(f) for f in processor.functions):
            return None
        # MapCompose wraps every function for a loader context on every call: do its work directly
        return functools.partial(_map_compose, tuple(processor.functions))
    return None if _takes_context(processor) else processor


def _takes_context(function: Callable) -> bool:
    return "loader_context" in get_func_args(function)


def _map_compose(functions: tuple[Callable, ...], values: Any) -> list[Any]:
    """What ``MapCompose(*functions)`` returns: each function over every value, results flattened,
    ``None`` dropped."""
    values = arg_to_iter(values)
    for function in functions:
        next_values: list[Any] = []
        for value in values:
            result = function(value)
            if result.__class__ is str:  # the usual result: what arg_to_iter would wrap in a list
                next_values.append(result)
            elif result is not None:
                next_values += arg_to_iter(result)
        values = next_values
    return values


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
