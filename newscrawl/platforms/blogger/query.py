"""How the Blogger parsers query a document: :class:`PageIndex` (one walk answers the whole-page
questions), XPath expressions compiled once, and the small readers of text and numbers they share."""

from __future__ import annotations

import functools
import re
from typing import Iterable

from lxml import etree, html as lxml_html

from ...loaders import collapse_whitespace

COUNT = re.compile(r"(\d[\d.,\s]*)")  # a count as pages and feeds print it ("1.234 Kommentare")
_XML_WORDS = re.compile(r"[^ \t\r\n]+")  # the words normalize-space() separates


class PageIndex:
    """The elements of a page by class, id and tag, from one walk over the document.

    ``parse_html`` asks a dozen whole-page questions (the posts, the comments section, the
    comment lists, feed links, meta tags ...).  As ``//*[...]`` XPaths each one walked the whole
    document, about 0.4 ms on a 46 KB post page; one walk answers them all for the cost of two.
    Classes are the whitespace-separated words of ``@class`` as XPath's ``normalize-space`` splits
    them (space, tab, CR, LF), so ``with_class`` finds what ``//*[has_class(name)]`` finds, in
    document order."""

    _INDEXED_TAGS = frozenset({"a", "link", "meta"})

    def __init__(self, doc: lxml_html.HtmlElement):
        # the tags are filtered in C: reading ``element.tag`` makes a new string for every element
        self._by_tag: dict[str, list] = {tag: list(doc.iter(tag)) for tag in self._INDEXED_TAGS}
        self._by_class: dict[str, list] = {}
        self._by_id: dict[str, lxml_html.HtmlElement] = {}
        self._classed: list[tuple[lxml_html.HtmlElement, str]] = []
        self._position: dict[lxml_html.HtmlElement, int] = {}
        itemprops: list = []
        itemtypes: list = []
        self._by_attribute: dict[str, list] = {"itemprop": itemprops, "itemtype": itemtypes}
        self._sets: dict[tuple, set] = {}
        for position, element in enumerate(doc.iter(etree.Element)):
            get = element.get
            if get("itemprop") is not None:
                itemprops.append(element)
                self._position[element] = position
            if get("itemtype") is not None:
                itemtypes.append(element)
                self._position[element] = position
            element_id = get("id")
            if element_id is not None and element_id not in self._by_id:
                self._by_id[element_id] = element
            classes = get("class")
            if classes:
                self._classed.append((element, classes))
                self._position[element] = position
                for name in _XML_WORDS.findall(classes):
                    self._by_class.setdefault(name, []).append(element)

    def with_class(self, name: str) -> list:
        """``//*[has_class(name)]``."""
        return self._by_class.get(name, [])

    def with_attribute(self, name: str) -> list:
        """``//*[@name]`` for the attributes indexed (itemprop, itemtype)."""
        return self._by_attribute[name]

    def position(self, element) -> int:
        """Where an element with a class or an indexed attribute stands in document order."""
        return self._position.get(element, -1)

    def classes_of(self, element) -> list[str]:
        return _XML_WORDS.findall(element.get("class") or "")

    def with_any(self, classes: tuple[str, ...], itemprops: tuple[str, ...] = ()) -> set:
        """The elements of ``//*[has_class(c1) or ... or @itemprop='p1' or ...]``, as a set (made once
        per page): a comment asks it of each of its parts, where an XPath call cost 15 µs each."""
        key = (classes, itemprops)
        found = self._sets.get(key)
        if found is None:
            found = {element for name in classes for element in self.with_class(name)}
            found.update(e for e in self.with_attribute("itemprop") if e.get("itemprop") in itemprops)
            self._sets[key] = found
        return found

    def tagged_inside(self, tag: str, class_name: str) -> set:
        """The ``tag`` elements inside an element of the class, as a set (made once per page):
        ``//*[has_class(class_name)]//tag``."""
        key = (tag, class_name)
        found = self._sets.get(key)
        if found is None:
            found = {e for box in self.with_class(class_name) for e in box.iterdescendants(tag)}
            self._sets[key] = found
        return found

    def with_class_containing(self, text: str) -> list:
        """``//*[contains(@class, text)]``."""
        return [element for element, classes in self._classed if text in classes]

    def first_with_id(self, element_id: str):
        """``(//*[@id=element_id])[1]``, or None."""
        return self._by_id.get(element_id)

    def with_id_matching(self, pattern: re.Pattern) -> list:
        """The elements whose id matches ``pattern``, in document order (the first of each id)."""
        found = [element for element_id, element in self._by_id.items() if pattern.match(element_id)]
        return found

    def tagged(self, tag: str) -> list:
        """``//tag`` for the tags indexed (a, link, meta)."""
        return self._by_tag[tag]

    def preceding_with_class(self, element, name: str):
        """``element/preceding::*[has_class(name)][1]``: the nearest element with the class that
        starts before ``element`` and does not contain it (``element`` must have a class)."""
        before = self._position[element]
        ancestors = set(element.iterancestors())
        found = None
        for candidate in self.with_class(name):
            if self._position[candidate] >= before:
                break
            if candidate not in ancestors:
                found = candidate
        return found


def select(element, path: str) -> list:
    """``element.xpath(path)``, with the expression compiled once instead of on every call (a page
    asks the same dozen questions of each of its comments)."""
    return _compiled_xpath(path)(element)


@functools.lru_cache(maxsize=256)
def _compiled_xpath(path: str) -> etree.XPath:
    return etree.XPath(path)


def select_in(elements: Iterable, path: str) -> list:
    """:func:`select` on each element of a list (text nodes and comments skipped), results joined."""
    found = []
    for element in elements:
        if isinstance(element.tag, str):
            found.extend(select(element, path))
    return found


def members_below(elements: Iterable, members: set, itself: bool = True) -> list:
    """The elements of ``members`` among each element's descendants (and the element itself, with
    ``itself``), in document order: ``select_in(elements, "descendant-or-self::*[TEST]")`` (or
    ``.//*[TEST]``) for a TEST that ``members`` answers (``PageIndex.with_any``).  Text nodes and
    comments among ``elements`` are skipped, as ``select_in`` skips them."""
    found = []
    for element in elements:
        if isinstance(element.tag, str):
            walk = element.iter(etree.Element) if itself else element.iterdescendants(etree.Element)
            found.extend(e for e in walk if e in members)
    return found


def joined_text(elements: Iterable) -> str | None:
    return collapse_whitespace(" ".join(e.text_content() for e in elements if e is not None))


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
