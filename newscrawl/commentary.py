"""Quoted source material and the author's own commentary in a post body.

News-commentary blogs quote a story and add a few lines of their own::

    <b>Politico: Pentagon wants Moscow back channels</b>
    <blockquote>... quoted paragraphs ...</blockquote>      (or plain paragraphs)
    <a href="https://www.politico.com/...">Read more</a> ....
    <b>WNU Editor:</b> I speculated in the previous post ...

The split is decided from structure, where the markup allows, never from one blog's wording:

1. quote elements -- ``<blockquote>``, ``<q>``, WordPress ``wp-block-quote`` / ``wp-block-pullquote`` --
   are quoted material, wherever they stand;
2. a source link -- an outbound link whose anchor text is a read-more phrase ("Read more",
   "Weiterlesen", "Lire la suite" ...) -- closes a quoted excerpt: the excerpt starts at an
   "Outlet: headline" line when there is one; without one, it is what stands between the previous
   boundary and the link, unless that region already holds a quote element (then that is the excerpt).
   The link line itself belongs to neither side;
3. a commentary marker -- a line opening with a label such as "WNU Editor:", "EDITOR:", "My take:",
   "Comment:", "Kommentar:" -- begins commentary; it also closes an "Outlet: headline" excerpt
   whose outlet line is set off (bold, a heading or a link);
4. everything else is commentary.

An "Outlet: headline" line directly followed by a quote element is quoted too (it is the quote's
heading). A body with no quote structure at all is commentary as a whole, ``method="none"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .links import outbound_target, own_site_of
from .loaders import collapse_whitespace, html_fragment, html_to_text, text_of_parts

QUOTE_TAGS = frozenset({"blockquote", "q"})
QUOTE_CLASSES = frozenset({"wp-block-quote", "wp-block-pullquote"})
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
# elements that set a whole line off: an outlet line written as one of these is a heading
EMPHASIS_TAGS = frozenset({"b", "strong", "a", "em", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6"})

# Anchor texts of a link to the quoted story, per language; matched at the start of the anchor
# text, lower-cased, with a few trailing words allowed ("Read more at Reuters").
READ_MORE_PHRASES = (
    # en
    "read more", "read the rest", "read the full story", "read the full article", "read full story",
    "read full article", "read the whole thing", "continue reading", "full story", "full article", "source",
    # de
    "weiterlesen", "hier weiterlesen", "mehr lesen", "mehr dazu", "zum artikel", "zum vollständigen artikel",
    "quelle",
    # fr
    "lire la suite", "lire plus", "lire l'article", "lire l’article", "en savoir plus", "la suite",
    # es
    "leer más", "leer mas", "seguir leyendo", "sigue leyendo", "leer el artículo", "fuente",
    # it
    "leggi tutto", "leggi di più", "leggi di piu", "continua a leggere", "leggi l'articolo", "leggi l’articolo",
    "fonte",
    # pt
    "leia mais", "ler mais", "continue lendo", "continuar a ler", "leia a matéria", "saiba mais",
    # nl
    "lees meer", "lees verder", "verder lezen", "bron",
    # ru
    "читать далее", "читать дальше", "читать полностью", "подробнее", "источник",
)
_READ_MORE = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in sorted(READ_MORE_PHRASES, key=len, reverse=True)) + r")(?!\w)(.*)$"
)
_READ_MORE_TAIL = 30  # characters of anchor text allowed after the phrase ("at Reuters", "on politico.com")
_LINE_BESIDE_LINK = 40  # characters of line text allowed beside the link ("....", "(Politico)")
_PUNCT = " \t.…:;!?,-–—»«›‹>→()[]\"'“”„"

# A label ending in one of these words, then a colon, opens the author's commentary.
COMMENTARY_LABELS = (
    "editor", "editors", "editor's note", "editor’s note", "my take", "my comment", "my comments",
    "comment", "comments", "commentary", "kommentar", "redaktion", "anmerkung der redaktion", "meine meinung",
    "commentaire", "comentario", "comentário", "commento", "commentaar", "комментарий",
)
_MARKER = re.compile(
    r"^(?:[^\W_][\w.'’&-]*\s+){0,3}?(?:" + "|".join(re.escape(label) for label in COMMENTARY_LABELS) + r")\s*:",
    re.IGNORECASE,
)
# "Outlet: headline": an outlet name of one to six words, capitalised, then a colon and the headline.
_OUTLET = re.compile(r"^(?P<outlet>[^\W_][\w.'’&-]*(?:\s+[\w.'’&-]+){0,5})\s*:\s+(?P<headline>\S.{4,250})$")
_HEADLINE_WORDS = 3
# Labels that look like "Outlet:" but introduce the author's own notes.
_NOT_OUTLETS = frozenset(
    {"update", "updated", "note", "nb", "n.b", "ps", "p.s", "edit", "hint", "tip", "warning", "disclaimer", "nachtrag",
     "photo", "image", "foto", "bild", "via", "h/t", "hat tip", "tl;dr", "tldr", "q", "a"}
)


@dataclass(frozen=True)
class Commentary:
    """A post body split into what it quotes and what its author adds."""

    quoted_text: str | None
    commentary_text: str | None
    # the structures that decided the split, joined by "+": blockquote, read-more, outlet, marker;
    # "none" when the body has no quote structure and all of it is commentary
    method: str


@dataclass
class _Chunk:
    text: str  # its text on one line
    # what its markup holds, in order: text, elements (without their tail), None for each <br> that
    # separated it from the previous line; its text in a paragraph is read from these
    parts: list
    is_quote: bool = False  # a quote element
    emphasized: bool = False  # the whole line is one emphasis element (bold, heading, link ...)
    label: str = "commentary"  # commentary | quoted | source
    elements: list = field(default_factory=list)  # its inline elements (a line) or its element (a block)


def split_commentary(content_html: str | None, page_url: str = "", body=None) -> Commentary:
    """Separate a post body's quoted material from its author's commentary (see the module doc).
    ``body``: ``content_html`` parsed by :func:`~newscrawl.loaders.html_fragment` when the caller has
    it (read, not changed)."""
    if not content_html or not content_html.strip():
        return Commentary(None, None, "none")
    try:
        root = body if body is not None else html_fragment(content_html)
    except (etree.ParserError, ValueError):
        return Commentary(None, html_to_text(content_html), "none")
    chunks = [chunk for chunk in _chunks(root) if chunk.text or chunk.is_quote]
    methods = _label(chunks, page_url)
    quoted = _text_of(chunks, "quoted")
    if quoted is None:  # nothing to split: the body's text as the post's content_text has it
        return Commentary(None, html_to_text(content_html), "none")
    commentary = _text_of(chunks, "commentary")
    order = ("blockquote", "read-more", "outlet", "marker")
    return Commentary(quoted, commentary, "+".join(m for m in order if m in methods))


# -- reading the body as a sequence of lines and quote elements --------------------------------------


def _tag(element) -> str | None:
    return element.tag.lower() if isinstance(element.tag, str) else None


def _is_quote(element) -> bool:
    if _tag(element) in QUOTE_TAGS:
        return True
    return bool(QUOTE_CLASSES & set((element.get("class") or "").split()))


def _has_structure(element) -> bool:
    """The element holds lines of its own: line breaks, blocks or quote elements."""
    for node in element.iterdescendants():
        tag = _tag(node)
        if tag == "br" or tag in BLOCK_TAGS or (tag and _is_quote(node)):
            return True
    return False


def _set_off(element, line: str) -> bool:
    """The whole line is one bold, heading or link element (possibly inside a plain wrapper)."""
    return collapse_whitespace(element.text_content()) == line and _emphasizes(element, line)


def _emphasizes(element, line: str) -> bool:
    """:func:`_set_off` for an element whose text is known to be ``line``."""
    if _tag(element) in EMPHASIS_TAGS or "bold" in (element.get("style") or ""):
        return True
    children = [child for child in element if _tag(child) not in (None, "br")]
    return (
        len(children) == 1
        and not (element.text or "").strip()
        and not (children[0].tail or "").strip()
        and _set_off(children[0], line)
    )


def _chunks(element):
    """The lines (runs between <br> and block boundaries) and quote elements of ``element``, in order."""
    run: list = []  # the current line's text and inline elements
    run_elements: list = []
    run_text: list[str] = []
    breaks = 0  # the <br>s before the current line

    def flush():
        nonlocal breaks
        if run_elements or any(part.strip() for part in run):
            text = collapse_whitespace(" ".join(run_text)) or ""
            emphasized = len(run_elements) == 1 and _set_off(run_elements[0], text)
            yield _Chunk(text, [None] * breaks + _trimmed(run), emphasized=emphasized, elements=list(run_elements))
            breaks = 0
        run.clear()
        run_elements.clear()
        run_text.clear()

    def add_text(value: str | None):
        if value:
            run.append(value)
            run_text.append(value)

    add_text(element.text)
    for child in element:
        tag = _tag(child)
        if tag is None or tag in SKIPPED_TAGS:
            pass  # comments, processing instructions, scripts: only their tail counts
        elif _is_quote(child):
            yield from flush()
            yield _Chunk(collapse_whitespace(child.text_content()) or "", [child], is_quote=True)
        elif tag == "br":
            yield from flush()
            breaks += 1
        elif (structured := _has_structure(child)) or tag in BLOCK_TAGS:
            yield from flush()
            breaks = 0
            if structured:
                yield from _chunks(child)
            else:
                text = collapse_whitespace(child.text_content()) or ""
                yield _Chunk(text, [child], emphasized=bool(text) and _emphasizes(child, text), elements=[child])
        else:
            run.append(child)
            run_elements.append(child)
            run_text.append(child.text_content())
        add_text(child.tail)
    yield from flush()


def _trimmed(run: list) -> list:
    """A line's parts as its markup has them: neighbouring texts one, the line's ends stripped of
    whitespace (a line's text then runs on into the next part without a break, as it always did)."""
    parts: list = []
    for part in run:
        if part.__class__ is str and parts and parts[-1].__class__ is str:
            parts[-1] += part
        else:
            parts.append(part)
    if parts and parts[0].__class__ is str:
        parts[0] = parts[0].lstrip()
    if parts and parts[-1].__class__ is str:
        parts[-1] = parts[-1].rstrip()
    return [part for part in parts if part != ""]


# -- deciding what is quoted --------------------------------------------------------------------------


def is_read_more(anchor_text: str | None) -> bool:
    """Anchor text of a link to the full story ("Read more ....", "Weiterlesen »", "Lire la suite")."""
    text = (anchor_text or "").strip(_PUNCT).lower()
    match = _READ_MORE.match(text)
    return bool(match) and len(match.group(1).strip(_PUNCT)) <= _READ_MORE_TAIL


def is_commentary_marker(line: str | None) -> bool:
    """The line opens with a commentary label: "WNU Editor:", "EDITOR:", "My take:", "Kommentar:" ..."""
    return bool(_MARKER.match((line or "").strip(_PUNCT.replace(":", ""))))


def is_outlet_line(line: str | None) -> bool:
    """The line reads "Outlet: headline" (Politico: ..., The Guardian: ..., Kyiv Independent: ...)."""
    line = collapse_whitespace(line) or ""
    match = _OUTLET.match(line)
    if not match or is_commentary_marker(line):
        return False
    outlet, headline = match.group("outlet"), match.group("headline")
    if not (outlet[0].isupper() or outlet[0].isdigit()) or outlet.lower().rstrip(".") in _NOT_OUTLETS:
        return False
    # a headline has words: "ISBN: 9783453580565" or "Seiten: 448" is a data field, not a story
    return sum(1 for word in headline.split() if any(ch.isalpha() for ch in word)) >= _HEADLINE_WORDS


def _source_line(chunk: _Chunk, page_url: str) -> bool:
    """A short line whose outbound link is a read-more link to the quoted story."""
    if chunk.is_quote:
        return False
    # the anchor text is read first: few links say "Read more", and whether one leaves the blog takes URL parsing
    own_site = None
    for element in chunk.elements:
        for anchor in element.iter("a"):
            anchor_text = collapse_whitespace(anchor.text_content())
            if not is_read_more(anchor_text):
                continue
            beside = chunk.text.replace(anchor_text or "", "", 1).strip(_PUNCT)
            if len(beside) > _LINE_BESIDE_LINK:
                continue
            if own_site is None:
                own_site = own_site_of(page_url)
            if outbound_target(anchor, page_url, own_site) is not None:
                return True
    return False


def _label(chunks: list[_Chunk], page_url: str) -> set[str]:
    """Label every chunk quoted, commentary or source; returns the structures that were used."""
    methods: set[str] = set()
    for chunk in chunks:
        if chunk.is_quote:
            chunk.label = "quoted"
            methods.add("blockquote")

    outlet_at: int | None = None  # an "Outlet: headline" line waiting for its closing link or marker
    boundary = 0  # where the current excerpt may start without an outlet line
    after_marker = False
    for i, chunk in enumerate(chunks):
        if chunk.is_quote:
            continue
        if _source_line(chunk, page_url):
            chunk.label = "source"
            methods.add("read-more")
            if outlet_at is not None:
                _quote(chunks, outlet_at, i)
                methods.add("outlet")
            elif not after_marker and not any(c.is_quote for c in chunks[boundary:i]):
                _quote(chunks, boundary, i)
            outlet_at, boundary, after_marker = None, i + 1, False
        elif is_commentary_marker(chunk.text):
            if outlet_at is not None and chunks[outlet_at].emphasized:
                _quote(chunks, outlet_at, i)
                methods.update({"outlet", "marker"})
            outlet_at, boundary, after_marker = None, i + 1, True
        elif outlet_at is None and is_outlet_line(chunk.text):
            outlet_at = i

    # an outlet line heading a quote element belongs to the quote
    for i, chunk in enumerate(chunks[:-1]):
        if chunk.label == "commentary" and chunks[i + 1].is_quote and is_outlet_line(chunk.text):
            chunk.label = "quoted"
            methods.add("outlet")
    return methods


def _quote(chunks: list[_Chunk], start: int, stop: int) -> None:
    for chunk in chunks[start:stop]:
        chunk.label = "quoted"


def _text_of(chunks: list[_Chunk], label: str) -> str | None:
    """The text of every chunk with this label; each run of neighbouring chunks a paragraph of its own."""
    groups: list[list] = []
    previous = None
    for chunk in chunks:
        if chunk.label == label:
            if previous != label:
                groups.append([])
            groups[-1].extend(chunk.parts)
        previous = chunk.label
    texts = [text_of_parts(group) for group in groups]
    return "\n\n".join(text for text in texts if text) or None
