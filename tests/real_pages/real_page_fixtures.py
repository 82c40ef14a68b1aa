"""Saved real pages beside what a crawl stores from them: the fixtures in ``expected/``.

Each fixture holds one page's expected ``extract_file`` result in a readable form (see README.md
here): the rows as stored, except that long HTML and text fields are kept as a digest. The same
functions turn a live result into that form (``stored_form``), compare it field by field
(``compare``) and write new fixtures (``regenerate.py``), after the pattern of web-poet's testing
fixtures (``web_poet/testing/fixture.py``: ``assert_field_correct``, ``assert_no_extra_fields``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from newscrawl.extraction import extract_file

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
# The same folder as REAL_PAGES in tests/conftest.py: ../shared/real-pages beside the project.
REAL_PAGES = HERE.parents[1].parent / "shared" / "real-pages"

# Long fields kept as {"sha256", "length"}: the post body in all its forms, and a comment's HTML
# (a comment's text is kept in full: it is what a reader checks against the page).
DIGESTED = {
    "post": ("content_html", "content_text", "quoted_text", "commentary_text"),
    "comment": ("content_html",),
}
PARTIAL = "_partial"  # a row the output cannot give yet: only its listed fields are checked
LOCAL = "expected_published_local"  # the page's wall clock, zone unknown (see README.md)


# -- pages and fixtures ---------------------------------------------------------------------


def index_pages(real_pages: Path) -> dict[str, str | None]:
    """Every page INDEX.md lists, with its ``url:`` (None where it gives none)."""
    index = (real_pages / "INDEX.md").read_text(encoding="utf-8")
    pages = {}
    for name, body in re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", index, re.S | re.M):
        url = re.search(r"^- url: (\S+)", body, re.M)
        pages[name] = url.group(1) if url else None
    return pages


def fixture_path(page: str) -> Path:
    """``wordpress/lemire.me.json.html`` -> ``expected/wordpress/lemire.me.json.html.json``."""
    return EXPECTED / f"{page}.json"


def fixture_files() -> list[Path]:
    return sorted(EXPECTED.rglob("*.json"))


def load_fixture(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_fixture(fixture: dict[str, Any]) -> Path:
    path = fixture_path(fixture["page"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# -- a result in the fixtures' form ---------------------------------------------------------


def digest(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"sha256": hashlib.sha256(value.encode("utf-8")).hexdigest(), "length": len(value)}


def _digested(row: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: digest(v) if k in DIGESTED[kind] and isinstance(v, str) else v for k, v in row.items()}


def stored_form(result: dict[str, Any]) -> dict[str, Any]:
    """``extract_file``'s result as the fixtures keep it: long fields digested, links as their
    count and URLs. Keys the fixtures do not know are kept as they are, so they show up as
    differences."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if key == "post":
            out[key] = _digested(value, "post")
        elif key == "posts":
            out[key] = [_digested(p, "post") for p in value]
        elif key == "comments":
            out[key] = [_digested(c, "comment") for c in value]
        elif key == "links":
            out[key] = {"count": len(value), "urls": [link["url"] for link in value]}
        else:
            out[key] = value
    return out


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def error_start(exc: BaseException) -> str:
    """What a fixture records of an error: its type and message up to the first parenthesis
    (which holds parser details or option lists that may change)."""
    return error_text(exc).split(" (", 1)[0]


def extract(real_pages: Path, fixture: dict[str, Any]) -> dict[str, Any]:
    """The page's ``extract_file`` result in the fixtures' form (raises what extract raises)."""
    body = (real_pages / fixture["page"]).read_bytes()
    return stored_form(extract_file(body, fixture["url"], fixture.get("platform", "auto")))


# -- comparing -------------------------------------------------------------------------------


def _parse(value: Any) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


_QUOTES = str.maketrans("‘’‚‛„“”‟", "''''\"\"\"\"")


def folded(text: str | None) -> str:
    """A name as the answer-key scorer compares it: spaces, case and curly quotes folded."""
    return re.sub(r"\s+", " ", text or "").strip().casefold().translate(_QUOTES)


def as_utc(value: Any) -> str | None:
    """An aware ISO value as ``YYYY-MM-DDTHH:MM:SSZ``; None for a naive or unreadable one."""
    parsed = _parse(value)
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if parsed else None


def local_ok(want: str, got: Any) -> bool:
    """Whether a stored ``published`` can be the page's wall clock ``want`` ('YYYY-MM-DDTHH:MM',
    or 'YYYY-MM-DD' where the page shows no time) in a zone the page does not state. The rule of
    ../shared/tools/score_real_pages.py: a non-zero offset keeps the wall clock as written; at
    offset zero (the project's UTC form) the value lies within 14 hours of it, in whole quarter
    hours; a date alone allows its whole day."""
    parsed = _parse(got)
    if parsed is None:
        return False
    if parsed.utcoffset():
        return parsed.isoformat()[: len(want)] == want
    td = datetime.timedelta
    wall = parsed.replace(tzinfo=None, second=0, microsecond=0)
    local = datetime.datetime.fromisoformat(want)
    if len(want) == 10:
        return local - td(hours=14) <= wall <= local + td(hours=23, minutes=59) + td(hours=14)
    return abs(wall - local) <= td(hours=14) and (wall - local) % td(minutes=15) == td(0)


def comment_problems(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """What differs between an answer key's comment and an extracted one, by the rules of
    ../shared/tools/score_real_pages.py (empty: the comment is right)."""
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


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def field_problem(page: str, path: str, got: Any, want: Any) -> str | None:
    """None when the field is right, else a message naming the page, the field and both values."""
    if got == want:
        return None
    return f"{page}: {path}: expected {_show(want)}, got {_show(got)}"


def assert_field_correct(page: str, path: str, got: Any, want: Any) -> None:
    problem = field_problem(page, path, got, want)
    assert problem is None, problem


def _compare_row(page: str, path: str, want: dict[str, Any], got: Any, problems: list[str]) -> None:
    if not isinstance(got, dict):
        problems.append(f"{page}: {path}: expected a row, got {_show(got)}")
        return
    checked = set()
    for field, value in want.items():
        if field.startswith("_"):
            continue
        if field == LOCAL:
            checked.add("published")
            if not local_ok(value, got.get("published")):
                problems.append(f"{page}: {path}.published: expected the wall clock {value} in some zone "
                                f"(an offset, or UTC within 14h), got {_show(got.get('published'))}")
            continue
        checked.add(field)
        if field not in got:
            problems.append(f"{page}: {path}.{field}: expected {_show(value)}, missing from the output")
            continue
        problem = field_problem(page, f"{path}.{field}", got[field], value)
        if problem:
            problems.append(problem)
    if PARTIAL not in want:
        extra = [f for f in got if f not in checked]
        if extra:
            problems.append(f"{page}: {path}: fields not in the fixture: {', '.join(extra)}")


def compare(page: str, want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Every difference between a fixture's ``expected`` and an output in stored form: each field
    (rows paired by position, as the answer-key scorer pairs comments), the number of posts and
    comments (no extra ones), and fields or keys the fixture does not have."""
    problems: list[str] = []
    for key in got:
        if key not in want:
            problems.append(f"{page}: {key}: in the output, not in the fixture ({_show(got[key])})")
    for key, value in want.items():
        if key not in got:
            problems.append(f"{page}: {key}: expected {_show(value)}, missing from the output")
        elif key in ("blog", "post"):
            _compare_row(page, key, value, got[key], problems)
        elif key in ("posts", "comments"):
            rows = got[key]
            if len(rows) != len(value):
                problems.append(f"{page}: {key}: expected {len(value)}, got {len(rows)}")
            for i, (w, g) in enumerate(zip(value, rows)):
                _compare_row(page, f"{key}[{i}]", w, g, problems)
        elif key == "links":
            for field in () if PARTIAL in value else ("count", "urls"):
                problem = field_problem(page, f"links.{field}", got[key].get(field), value.get(field))
                if problem:
                    problems.append(problem)
        else:  # "error" where the page extracted, or a key this module does not know
            problem = field_problem(page, key, got[key], value)
            if problem:
                problems.append(problem)
    return problems
