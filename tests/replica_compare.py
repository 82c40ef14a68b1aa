"""Compare a crawled database with the replica's own records (the ground truth)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from newscrawl.dates import format_utc

FAST_LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
              "-s", "RETRY_BACKOFF_BASE=0.1"]


def run_crawl(url: str, db: Path, *extra: str, timeout: int = 300, platform: str = "blogger",
              expect_exit: int | None = 0) -> subprocess.CompletedProcess:
    """``newscrawl crawl`` in its own process, as a user runs it (one reactor per process).

    The platform is named, so the request counts are the spider's own (``auto`` adds
    one request: the home page it is detected from).  ``expect_exit``: 0 when every blog
    is read in full, 1 when a blog cannot be read or some URLs failed, None: any."""
    command = [sys.executable, "-m", "newscrawl", "crawl", url, "--db", str(db), "--log-level", "WARNING",
               "--platform", platform, *FAST_LOCAL, *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert expect_exit is None or result.returncode == expect_exit, f"crawl exit code {result.returncode}, expected {expect_exit}:\n{result.stdout}\n{result.stderr[-5000:]}"
    return result


def rows(db: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


# Columns that say when a crawl wrote or saw a row, not what the row holds.
CRAWL_TIMES = frozenset({"first_seen", "last_seen", "last_changed", "deleted_noticed"})


def rows_without_times(db: Path, table: str) -> list[dict]:
    """Every row of ``table`` without its :data:`CRAWL_TIMES`, in one order whatever the order of
    writing: what two crawls of the same blogs must have stored alike."""
    found = [{k: v for k, v in row.items() if k not in CRAWL_TIMES} for row in rows(db, f"select * from {table}")]
    return sorted(found, key=lambda row: json.dumps(row, sort_keys=True, default=str))


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def blog_key(blog) -> str:
    return f"blogger:{blog.blog_id}"


def expected_posts(blog, server) -> dict[str, dict]:
    key = blog_key(blog)
    return {
        f"{key}:{p.post_id}": {
            "title": p.title or None,  # an untitled post has no title, not an empty one
            "author": p.author_name,
            "url": server.post_url(p),
            "published": format_utc(p.published),
            "labels": p.labels,
            "comment_count": len(p.comments),
            "content_text": words(p.content_text),
        }
        for p in blog.posts
    }


def expected_comments(blog, *, threaded: bool = True) -> dict[str, dict]:
    key = blog_key(blog)
    return {
        f"{key}:c{c.comment_id}": {
            "post_id": f"{key}:{c.post_id}",
            "parent_id": f"{key}:c{c.parent_id}" if c.parent_id and threaded else None,
            "author": c.author_name,
            "published": format_utc(c.published),
            "deleted": 1 if c.removed else 0,
            "content_text": None if c.removed else words(c.content_text),
            "is_blog_author": 1 if c.is_blog_author else 0,
        }
        for c in blog.all_comments()
    }


def stored_posts(db: Path) -> dict[str, dict]:
    return {
        r["id"]: {
            "title": r["title"],
            "author": r["author"],
            "url": r["url"],
            "published": r["published"],
            "labels": json.loads(r["labels"]) if r["labels"] else [],
            "comment_count": r["comment_count"],
            "content_text": words(r["content_text"]),
        }
        for r in rows(db, "select * from posts")
    }


def stored_comments(db: Path) -> dict[str, dict]:
    return {
        r["id"]: {
            "post_id": r["post_id"],
            "parent_id": r["parent_id"],
            "author": r["author"],
            "published": r["published"],
            "deleted": r["deleted"],
            "content_text": words(r["content_text"]) if r["content_text"] is not None else None,
            "is_blog_author": r["is_blog_author"],
        }
        for r in rows(db, "select * from comments")
    }


def assert_same_records(expected: dict[str, dict], stored: dict[str, dict], what: str) -> None:
    missing = sorted(set(expected) - set(stored))
    extra = sorted(set(stored) - set(expected))
    assert not missing, f"{len(missing)} {what} not stored, e.g. {missing[:3]}"
    assert not extra, f"{len(extra)} {what} stored that the replica does not serve, e.g. {extra[:3]}"
    wrong = [
        (key, field, expected[key][field], stored[key][field])
        for key in expected
        for field in expected[key]
        if expected[key][field] != stored[key][field]
    ]
    assert not wrong, f"{len(wrong)} {what} values differ, e.g. " + "; ".join(
        f"{k} {f}: expected {e!r}, stored {s!r}" for k, f, e, s in wrong[:5]
    )
