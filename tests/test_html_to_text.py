"""html_to_text's shortcut for plain text reads what html_text reads from the parsed fragment."""

import html_text
import pytest

from newscrawl.loaders import _is_plain_text, collapse_whitespace, html_to_text

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


def test_markup_entities_and_control_characters_go_through_the_parser():
    assert not _is_plain_text("a &amp; b") and not _is_plain_text("<p>x</p>") and not _is_plain_text("bell\x07")
    assert _is_plain_text("Reader one, 12 March: agreed.")
