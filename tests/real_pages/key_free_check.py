"""A check of every real page we have that needs no answer key: what each page says about itself.

For every saved post page (../shared/real-pages and tests/data/real-pages) it runs the extraction a
crawl runs (``parse_document`` + ``prepare_all``) and checks:

* **count**: where the page announces a count ("23 Kommentare", Blogger's "5 comments:"), the
  comments extracted match it, or the page itself says why not (comments loaded by script, on
  further comment pages, hosted elsewhere), which ``extract`` logs as a warning;
* **author**: every reader comment has one, and none reads as a date;
* **date**: every reader comment has one where the page shows one (a shown date that could not
  be read is a failure; a comment showing none is counted);
* **widget**: no comment's permalink points to another page (a "recent comments" widget).

Run it to print the figures and the failures::

    python tests/real_pages/key_free_check.py

``test_key_free_check.py`` keeps the failures to the explained ones listed there.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from newscrawl.dates import name_reads_as_date  # noqa: E402
from newscrawl.extraction import comment_count_of, parse_document  # noqa: E402
from newscrawl.platforms.wordpress.ids import COMMENT_PAGE_PATH  # noqa: E402
from newscrawl.prepare import context_of, prepare_all  # noqa: E402

from real_page_fixtures import REAL_PAGES, fixture_files, load_fixture  # noqa: E402

COLLECTED = HERE.parent / "data" / "real-pages"
PINGS = ("pingback", "trackback")

@dataclass
class PageCheck:
    page: str
    announced: int | None = None
    extracted: int = 0
    elsewhere: str | None = None  # the page's own reason for a different count
    comments: int = 0
    problems: list[str] = field(default_factory=list)
    undated: int = 0  # reader comments showing no date at all

    @property
    def count_state(self) -> str:
        if self.announced is None:
            return "none"
        if self.announced == self.extracted:
            return "match"
        return "explained" if self.elsewhere else "unexplained"


def real_pages() -> Iterator[tuple[str, Path, str, str]]:
    """(name, file, url, platform) of every saved page we have: the shared set (its fixtures give
    the url and platform) and the collected set (its keys give the url)."""
    if REAL_PAGES.is_dir():
        for path in fixture_files():
            fixture = load_fixture(path)
            if "error" in fixture["expected"]:
                continue  # a malformed feed kept to show the error it gets
            yield f"shared/{fixture['page']}", REAL_PAGES / fixture["page"], fixture["url"], fixture["platform"]
    keys = json.loads((COLLECTED / "keys.json").read_text(encoding="utf-8"))
    for name, key in sorted(keys.items()):
        yield f"collected/{name}", COLLECTED / name, key["url"], "auto"


# The address of a post's own comments: WordPress's comment pages (/comment-page-2/), Drupal's
# comment permalinks (/comment/123): the same post, whatever the page number.
_DRUPAL_COMMENT = re.compile(r"^/comment/\d+$")


def _path(url: str | None) -> str:
    return COMMENT_PAGE_PATH.sub("", urlsplit(url or "").path).rstrip("/")


def _another_page(comment_url: str, post_paths: set[str]) -> bool:
    path = _path(comment_url)
    return path not in post_paths and not _DRUPAL_COMMENT.match(path)


def check_page(name: str, body: bytes, url: str, platform: str = "auto") -> PageCheck | None:
    """The page's figures and problems; None for a feed or listing page (no single post)."""
    document = parse_document(body, url, platform)
    if not document.post_page:
        return None
    rows = prepare_all([document.blog, *document.items], context_of(document.blog))
    check = PageCheck(name)
    count = comment_count_of(document, rows)
    if count is not None:
        check.announced, check.extracted, check.elsewhere = count.announced, count.extracted, count.elsewhere
        if check.count_state == "unexplained":
            check.problems.append(f"announces {count.announced} comments, {count.extracted} extracted, no reason given")
    post_paths = {_path(url), _path(rows.posts[0].get("url"))}
    for comment in rows.comments:
        if str(comment.get("comment_type") or "comment") in PINGS:
            continue
        check.comments += 1
        where = comment.get("platform_id") or comment.get("id")
        author = comment.get("author")
        if not author:
            check.problems.append(f"comment {where}: no author")
        elif name_reads_as_date(author):
            check.problems.append(f"comment {where}: the author {author!r} reads as a date")
        if comment.get("published") is None:
            if comment.get("published_raw"):
                check.problems.append(f"comment {where}: the shown date {comment['published_raw']!r} was not read")
            else:
                check.undated += 1
        if comment.get("url") and _another_page(comment["url"], post_paths):
            check.problems.append(f"comment {where}: its permalink {comment['url']} is another page (a widget?)")
    return check


def run() -> list[PageCheck]:
    checks = []
    for name, path, url, platform in real_pages():
        try:
            check = check_page(name, path.read_bytes(), url, platform)
        except Exception as exc:  # noqa: BLE001 - a page the parsers refuse is a figure too
            check = PageCheck(name, problems=[f"extraction failed: {type(exc).__name__}: {exc}"])
        if check is not None:
            checks.append(check)
    return checks


def summary(checks: list[PageCheck]) -> str:
    states = [c.count_state for c in checks]
    failing = [c for c in checks if c.problems]
    lines = [
        f"post pages checked: {len(checks)}; announcing a count: {len(checks) - states.count('none')}"
        f" (matches {states.count('match')}, differs with the page's reason {states.count('explained')},"
        f" differs without one {states.count('unexplained')})",
        f"reader comments: {sum(c.comments for c in checks)}; showing no date: {sum(c.undated for c in checks)};"
        f" problems: {sum(len(c.problems) for c in checks)} on {len(failing)} page(s)",
    ]
    for check in checks:
        if check.count_state == "explained":
            lines.append(f"  count {check.page}: {check.announced} announced, {check.extracted} extracted: {check.elsewhere}")
    for check in checks:
        if check.undated:
            lines.append(f"  no date shown {check.page}: {check.undated} of {check.comments} reader comments")
    for check in failing:
        lines.append(f"  FAIL {check.page}: {len(check.problems)} problem(s): " + "; ".join(check.problems[:3]))
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(run()))
