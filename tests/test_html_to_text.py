"""html_to_text's shortcuts (plain text; lines of text between <br>) read what html_text reads from the parsed
fragment."""

import random

import html_text
import pytest

from newscrawl.loaders import _is_plain_text, _text_of_br_lines, _text_read_by_parser, collapse_whitespace, html_to_text
from newscrawl.platforms.blogger import parse_feed
from newscrawl.platforms.markup import NotAFeed

CASES = ["plain text", "  lead and trail  ", "a\nb\n\nc", "tab\there", "nbsp\xa0here", "line\u2028sep",
         "emoji \U0001F600 ok", "zero\u200bwidth", "soft\xadhyphen", "ctrl\x0cff", "noncharacter\ufffe",
         "private\ue000use", "bidi\u202eover", "next line\x85x", "ideographic\u3000space", "\r\nwindows\r\n",
         "   ", "a &amp; b", "x < y", "bell\x07", "Привет, мир", "مرحبا"]


def by_html_text(fragment: str) -> str | None:
    text = html_text.etree_to_text(html_text.parse_html(fragment), guess_layout=True, guess_punct_space=False)
    return "\n".join(collapse_whitespace(line) or "" for line in text.splitlines()).strip() or None


@pytest.mark.parametrize("fragment", CASES)
def test_plain_text_reads_as_html_text_reads_it(fragment):
    assert html_to_text(fragment) == by_html_text(fragment)


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
        assert html_to_text(body) == _text_read_by_parser(body)


def test_markup_entities_and_control_characters_go_through_the_parser():
    assert not _is_plain_text("a &amp; b") and not _is_plain_text("<p>x</p>") and not _is_plain_text("bell\x07")
    assert _is_plain_text("Reader one, 12 March: agreed.")
