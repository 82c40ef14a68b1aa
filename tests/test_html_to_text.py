"""html_to_text's shortcuts (plain text; lines of text between <br>; its own layout walk of the parsed
fragment) read what html_text reads from the parsed fragment."""

import random
import re
from pathlib import Path

import html_text
import pytest
from lxml import etree, html as lxml_html

from newscrawl.loaders import (
    DOCUMENT_PARSER, _is_plain_text, _text_of_br_lines, _text_read_by_parser, collapse_whitespace, html_fragment,
    html_to_text, text_of_parts,
)
from newscrawl.platforms.blogger import parse_feed
from newscrawl.platforms.markup import NotAFeed

CASES = ["plain text", "  lead and trail  ", "a\nb\n\nc", "tab\there", "nbsp\xa0here", "line\u2028sep",
         "emoji \U0001F600 ok", "zero\u200bwidth", "soft\xadhyphen", "ctrl\x0cff", "noncharacter\ufffe",
         "private\ue000use", "bidi\u202eover", "next line\x85x", "ideographic\u3000space", "\r\nwindows\r\n",
         "   ", "a &amp; b", "x < y", "bell\x07", "Привет, мир", "مرحبا"]


@pytest.mark.parametrize("fragment", CASES)
def test_plain_text_reads_as_html_text_reads_it(fragment):
    assert html_to_text(fragment) == by_html_text_cleaned(fragment)


def test_lines_with_line_breaks_read_as_the_parser_reads_them():
    # pieces of text, <br> and character references, joined at random (seeded): each fragment the
    # shortcut reads must read the same through the parser, and most of these must take the shortcut
    pieces = ["word", "Wörter", " ", "  ", "\n", "\r\n", "\t", "\xa0", "<br>", "<br />", "<BR/>", "<br/>",
              "&amp;", "&#39;", "&#x2019;", "&quot;", "&lt;", "&gt;", "&nbsp;", "&#160;", "&#8212;", "\U0001F600",
              "&#128512;", "said:", "&#xA0;", "\u2028"]
    generator = random.Random(19)
    shortcut = 0
    for _ in range(3000):
        fragment = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 14)))
        lines = _text_of_br_lines(fragment)
        if lines is not None:
            shortcut += 1
            assert (lines or None) == _text_read_by_parser(fragment), repr(fragment)
    assert shortcut > 2500


@pytest.mark.parametrize("fragment", [
    "AT&T", "a &copy; b", "&#128; c1", "&#0;", "&#xD800;", "<br clear=all>x", "<b>bold</b><br>", "a<br>&amp", "x<p>y",
    "&#9;tab", "bell\x07<br>"])
def test_other_fragments_go_to_the_parser(fragment):
    assert _text_of_br_lines(fragment) is None
    assert html_to_text(fragment) == _text_read_by_parser(fragment)


def test_comment_bodies_of_saved_blogger_feeds_read_as_the_parser_reads_them(real_pages):
    bodies = []
    for path in sorted((real_pages / "blogger").glob("*.xml")) + sorted((real_pages / "blogger").glob("*.atom")):
        try:
            page = parse_feed(path.read_bytes(), "https://example.blogspot.com/feeds/comments/default")
        except NotAFeed:  # a saved export that is not well-formed XML
            continue
        bodies += [item.get("content_html") for item in (*page.comments, *page.posts) if item.get("content_html")]
    taken = [body for body in bodies if _text_of_br_lines(body) is not None]
    assert len(bodies) > 100 and taken
    for body in bodies:
        assert html_to_text(body) == _text_read_by_parser(body) == by_html_text_cleaned(body)


def test_markup_entities_and_control_characters_go_through_the_parser():
    assert not _is_plain_text("a &amp; b") and not _is_plain_text("<p>x</p>") and not _is_plain_text("bell\x07")
    assert _is_plain_text("Reader one, 12 March: agreed.")


# -- the layout walk (loaders.layout_text) against html_text's own -----------------------------------------


def by_html_text_cleaned(fragment: str) -> str | None:
    """What html_to_text read before it had a walk of its own: html_text's extract_text (its cleaner,
    then its walk), each line's whitespace folded, at most one blank line."""
    text = html_text.extract_text(fragment, guess_layout=True, guess_punct_space=False)
    lines = [collapse_whitespace(line) or "" for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() or None


_MARKUP = ["<p>", "</p>", "<div>", "</div>", "<blockquote>", "</blockquote>", "<br>", "<hr>", "<b>", "</b>", "<i>",
           "</i>", '<a href="https://example.org/x?a=1&amp;b=2">', "</a>", "<span class=x>", "</span>", "<ul><li>",
           "</li><li>", "</li></ul>", "<h2>", "</h2>", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<pre>",
           "</pre>", "<img src=x.png>", "<o:p>", "</o:p>", "<font color=red>", "</font>", "<q>", "</q>", "<dl><dt>",
           "</dt><dd>", "</dd></dl>", "<figure>", "<figcaption>", "</figcaption></figure>", "</section>", "<center>",
           "<noscript>on</noscript>", "<title>t</title>", "<form>", "</form>"]
# what html_text's cleaner removes: a fragment holding one is read by html_text itself
_CLEANED = ["<!-- note -->", "<script>var x = 1;</script>", "<style>p {}</style>", "<iframe src=x></iframe>"]
_TEXT = ["word", "Wörter", " ", "  ", "\n", "\r\n", "\t", "\xa0", "&nbsp;", "&amp;", "&#8212;", "\u2028", "a  b",
         " lead", "trail ", "said:", "\U0001F600", "\u200b", "x < y", "AT&T", "&#0;", "Привет", "(", ")", ".", "\x0c"]


def generated_fragment(generator: random.Random, cleaned_share: float) -> str:
    """Up to 30 pieces of markup, text and (now and then) what html_text's cleaner removes."""
    return "".join(generator.choice(_CLEANED if draw < cleaned_share else _MARKUP if draw < 0.45 else _TEXT)
                   for draw in (generator.random() for _ in range(generator.randint(1, 30))))


def test_layout_walk_reads_generated_markup_as_html_text_reads_it():
    # tags of every kind html_text lays out (line, paragraph, inline), unclosed, misnested and
    # stray, text with every kind of whitespace: html_to_text must read each fragment as html_text does
    generator = random.Random(2026)
    walked = 0
    for _ in range(4000):
        fragment = generated_fragment(generator, 0.01)
        expected = read_by_html_text(fragment)
        if expected != "ValueError":  # those: test_control_characters_beside_what_html_text_cleans_...
            assert html_to_text(fragment) == expected, repr(fragment)
        walked += "<" in fragment and not any(piece in fragment for piece in _CLEANED)
    assert walked > 2500


def read_by_html_text(fragment: str) -> str | None:
    try:
        return by_html_text_cleaned(fragment)
    except ValueError:
        # html_text's cleaner (a fragment with a script or an HTML comment) writes text back through
        # lxml, which refuses a control character the parser let through, such as a form feed
        return "ValueError"


@pytest.mark.parametrize("fragment, text", [
    ("a\x0cb<!-- c --> d<script>x</script>", "a b d"), ("x\x01y <script>z</script>w", "xy w"),
    ("<p>one\x0c<!-- note -->two</p><p>three</p>", "one two\n\nthree")])
def test_control_characters_beside_what_html_text_cleans_are_read_not_raised(fragment, text):
    # html_text raises ValueError on these (its cleaner): a comment body like that failed its whole page
    with pytest.raises(ValueError):
        by_html_text_cleaned(fragment)
    assert html_to_text(fragment) == text


def test_layout_walk_reads_the_blocks_of_saved_pages_as_html_text_reads_them():
    # real markup: every paragraph, list item, quote and div (up to 20,000 characters) of the pages
    # saved in tests/data, serialized and read as a fragment
    pages = sorted((Path(__file__).parent / "data" / "real-pages").glob("*/*.html"))
    assert len(pages) > 30
    compared = 0
    for path in pages:
        tree = lxml_html.document_fromstring(path.read_bytes(), parser=DOCUMENT_PARSER)
        for element in tree.iter("p", "div", "blockquote", "li", "td", "article"):
            fragment = etree.tostring(element, encoding="unicode", with_tail=False)
            if len(fragment) <= 20_000:
                compared += 1
                assert html_to_text(fragment) == by_html_text_cleaned(fragment), (path.name, fragment[:200])
    assert compared > 3000


def parts_of(root, generator: random.Random) -> list:
    """A parsed fragment's top-level nodes as :func:`text_of_parts` takes them (texts, elements, None
    for a <br>), some texts cut in two, so that neighbouring texts are read as one. Top-level comments
    are left out, as the commentary split leaves them out of a paragraph's parts."""
    parts = []

    def add_text(text):
        if text:
            cut = generator.randint(0, len(text))
            parts.extend(piece for piece in (text[:cut], text[cut:]) if piece)

    add_text(root.text)
    for child in root:
        if isinstance(child.tag, str):
            parts.append(None if child.tag == "br" else child)
        add_text(child.tail)
    return parts


def markup_of(parts) -> str:
    return "".join("<br>" if part is None else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                   if isinstance(part, str) else lxml_html.tostring(part, encoding="unicode", with_tail=False)
                   for part in parts)


def test_parts_read_as_their_markup_reads_when_parsed_again():
    # text_of_parts walks the elements where they stand: it must read what html_to_text reads from the
    # parts written out and parsed again (commentary.py's paragraphs), comments and scripts included
    generator = random.Random(2027)
    compared = 0
    for _ in range(3000):
        fragment = generated_fragment(generator, 0.03)
        try:
            root = html_fragment(fragment)
        except (etree.ParserError, ValueError):
            continue
        parts = parts_of(root, generator)
        assert text_of_parts(parts) == html_to_text(markup_of(parts)), repr(fragment)
        compared += 1
    assert compared > 2500


def test_parts_of_saved_pages_read_as_their_markup_reads_when_parsed_again():
    generator = random.Random(7)
    pages = sorted((Path(__file__).parent / "data" / "real-pages").glob("*/*.html"))
    compared = 0
    for path in pages:
        tree = lxml_html.document_fromstring(path.read_bytes(), parser=DOCUMENT_PARSER)
        for element in tree.iter("div", "blockquote", "td", "article"):
            parts = parts_of(element, generator)
            if parts and len(markup_of(parts)) <= 20_000:
                compared += 1
                assert text_of_parts(parts) == html_to_text(markup_of(parts)), (path.name, markup_of(parts)[:200])
    assert compared > 2000
