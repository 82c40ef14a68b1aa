"""The real pages collected into the project (``tests/data/real-pages``, sources in its INDEX.md)
against their hand-made answer keys (``keys.json``), by the rules of
../shared/tools/score_real_pages.py: comments paired by position; the author must match (space,
case and curly quotes folded); ``published_utc`` to the second, or ``published_local`` as a wall
clock in a zone the page does not state; reply or not; pingbacks and trackbacks typed as such,
never returned as reader comments; the post's title.

``python tests/data/real-pages/score.py`` prints the same comparison as one figure."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from newscrawl.extraction import extract_file

from real_page_fixtures import local_ok

COLLECTED = Path(__file__).resolve().parents[1] / "data" / "real-pages"
KEYS = json.loads((COLLECTED / "keys.json").read_text(encoding="utf-8"))
PINGS = ("pingback", "trackback")
_QUOTES = str.maketrans("‘’‚‛„“”‟", "''''\"\"\"\"")


def folded(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().casefold().translate(_QUOTES)


def as_utc(value: str | None) -> str | None:
    try:
        moment = datetime.datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def comment_problems(want: dict, got: dict) -> list[str]:
    problems = []
    if folded(want["author"]) != folded(got.get("author")):
        problems.append(f"author {got.get('author')!r}, the page shows {want['author']!r}")
    if want.get("published_utc") and as_utc(got.get("published")) != want["published_utc"]:
        problems.append(f"published {got.get('published')!r}, the page's instant is {want['published_utc']}")
    elif not want.get("published_utc") and want.get("published_local") \
            and not local_ok(want["published_local"], got.get("published")):
        problems.append(f"published {got.get('published')!r}, the page's wall clock is {want['published_local']}")
    if (want.get("parent") is None) != (got.get("parent_id") in (None, "")):
        problems.append(f"parent_id {got.get('parent_id')!r}, the page's parent is {want.get('parent')!r}")
    return problems


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
