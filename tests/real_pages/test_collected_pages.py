"""The real pages collected into the project (``tests/data/real-pages``, sources in its INDEX.md)
against their hand-made answer keys (``keys.json``), by the rules of
../shared/tools/score_real_pages.py: comments paired by position; the author must match (space,
case and curly quotes folded); ``published_utc`` to the second, or ``published_local`` as a wall
clock in a zone the page does not state; reply or not; pingbacks and trackbacks typed as such,
never returned as reader comments; the post's title.

``python tests/data/real-pages/score.py`` prints the same comparison as one figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.extraction import extract_file

from real_page_fixtures import comment_problems, folded

COLLECTED = Path(__file__).resolve().parents[1] / "data" / "real-pages"
KEYS = json.loads((COLLECTED / "keys.json").read_text(encoding="utf-8"))
PINGS = ("pingback", "trackback")


# Pages whose output is wrong today, with what is wrong. Strict: a page that starts to extract right
# fails as XPASS until its entry goes.
KNOWN_WRONG = {
    "movabletype/boingboing.net.dr-laura.html":
        "26 anonymous comments: MT writes '' into its reply script and the template prints 'Anon' as loose text",
    "other/gamasutra.com.native-client.html":
        "each comment split over two sibling tables, its reply shown only by a narrower table: refused with a warning",
}


def _cases():
    for page in sorted(KEYS):
        marks = [pytest.mark.xfail(reason=KNOWN_WRONG[page], raises=AssertionError, strict=True)] \
            if page in KNOWN_WRONG else []
        yield pytest.param(page, id=page, marks=marks)


@pytest.mark.parametrize("page", list(_cases()))
def test_collected_page_matches_its_key(page):
    key = KEYS[page]
    result = extract_file((COLLECTED / page).read_bytes(), key["url"])
    comments = result.get("comments") or []
    readers = [c for c in comments if str(c.get("comment_type") or "").lower() not in PINGS]
    pings = len(comments) - len(readers)
    problems = [f"{len(readers)} reader comments, the page has {len(key['comments'])}"] \
        if len(readers) != len(key["comments"]) else []
    if pings != key.get("pingbacks", 0):
        problems.append(f"{pings} pingbacks/trackbacks, the page has {key.get('pingbacks', 0)}")
    for position, (want, got) in enumerate(zip(key["comments"], readers), 1):
        problems += [f"comment {position} ({want['id']}): {p}" for p in comment_problems(want, got)]
    title = (result.get("post") or {}).get("title")
    if key.get("title") and folded(key["title"])[:40] not in folded(title):
        problems.append(f"title {title!r}, the page's is {key['title']!r}")
    assert not problems, f"{page}: {len(problems)} problem(s):\n" + "\n".join(problems[:30])


def test_known_wrong_names_collected_pages():
    assert sorted(set(KNOWN_WRONG) - set(KEYS)) == []


# Pages whose comments have no text on the page itself.
WITHOUT_TEXTS = {
    "wordpress/zdrojak.cz.jeste-k-testovani.html": "the comment tree shows titles only ('Re: ...'), the bodies are elsewhere",
}


@pytest.mark.parametrize("page", sorted(set(KEYS) - set(WITHOUT_TEXTS)))
def test_every_reader_comment_of_a_collected_page_has_its_text(page):
    """A comment's text is found by its engine's body class, by a class that says text
    ("commentcontent"), or as the comment's own plain paragraphs: never silently missing."""
    result = extract_file((COLLECTED / page).read_bytes(), KEYS[page]["url"])
    readers = [c for c in result.get("comments") or []
               if str(c.get("comment_type") or "").lower() not in PINGS and not c.get("deleted")]
    without = [c["id"] for c in readers if not c.get("content_text")]
    assert not without, f"{page}: {len(without)} of {len(readers)} comments without a text: {without[:5]}"


def test_a_page_whose_comments_have_no_text_says_so(caplog):
    page = next(iter(WITHOUT_TEXTS))
    with caplog.at_level("WARNING", logger="newscrawl.prepare"):
        result = extract_file((COLLECTED / page).read_bytes(), KEYS[page]["url"])
    assert result["comments"] and not any(c.get("content_text") for c in result["comments"])
    assert f"{len(result['comments'])} of {len(result['comments'])} comments without a text" in caplog.text


# A post's date in hAtom's <abbr class="published" title="ISO 8601">, read off each page's markup.
HATOM_POST_DATES = {
    "movabletype/antipope.org.bubble-20.html": ("2012-05-09T11:26:57+00:00", "stated"),  # the byline, not a comment's
    "other/nature.com.fukushima-clean-up.html": ("2011-04-11T18:14:59+00:00", "stated"),
    # WordPress 3.6.1 printed that offset whatever the site's (pages.markup_dates_trusted): a wall clock
    "wordpress/wendyslookbook.com.morning-coffee-run.html": ("2013-09-07T17:03:05+00:00", "unknown"),
}


@pytest.mark.parametrize("page", sorted(HATOM_POST_DATES))
def test_a_post_date_in_hatom_markup_is_read(page):
    post = extract_file((COLLECTED / page).read_bytes(), KEYS[page]["url"])["post"]
    assert (post["published"], post["published_zone"]) == HATOM_POST_DATES[page]
