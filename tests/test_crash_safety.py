"""kill -9 in the middle of a crawl, then crawl again: the database is intact, nothing
committed before the kill is lost or duplicated, and the second run finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import FAST_LOCAL, assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, stored_posts

pytestmark = pytest.mark.slow


def stored_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from comments").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def big_blog():
    return generate_blog(posts=120, comments_per_post=8, seed=31, big_post_comments=0)


# Ten rounds in a row (the bar), each killed at another point of the crawl:
# after a different number of stored comments, so a different batch is in flight.
@pytest.mark.parametrize("kill_after", [40, 80, 120, 160, 200, 240, 280, 320, 360, 400])
def test_kill_9_mid_crawl_loses_and_corrupts_nothing(tmp_path, big_blog, kill_after):
    blog = big_blog
    db = tmp_path / "killed.db"
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(db), "--platform", "blogger",
             "--log-level", "WARNING", *FAST_LOCAL, "-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSCRAWL_BATCH_SIZE=40"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while stored_count(db) < kill_after and time.monotonic() < deadline and crawl.poll() is None:
                time.sleep(0.05)
            assert crawl.poll() is None, "the crawl ended before it could be killed: make the blog bigger"
            os.kill(crawl.pid, signal.SIGKILL)
        finally:
            crawl.wait(timeout=30)
        assert crawl.returncode == -signal.SIGKILL

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        survived = {r[0] for r in conn.execute("select id from comments")}
        conn.close()
        assert 0 < len(survived) < len(blog.all_comments())
        assert rows(db, "select status from crawls")[0]["status"] == "running"  # the killed run, as it was

        run_crawl(server.url, db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert survived <= set(stored_comments(db))  # nothing stored before the kill was lost
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")  # and no duplicates, nothing missing
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    assert [r["status"] for r in rows(db, "select status from crawls order by id")] == ["interrupted", "finished"]


def test_readers_query_while_a_crawl_writes(tmp_path):
    """WAL mode: a reader (Datasette, sqlite3) never blocks the crawl nor gets an error."""
    import asyncio

    from newscrawl.browse import make_datasette

    blog = generate_blog(posts=80, comments_per_post=8, seed=37, big_post_comments=0)
    db = tmp_path / "newscrawl.db"
    run_crawl_args = [sys.executable, "-m", "newscrawl", "crawl", "--db", str(db), "--platform", "blogger",
                      "--log-level", "WARNING", *FAST_LOCAL, "-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSCRAWL_BATCH_SIZE=30"]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        crawl = subprocess.Popen([*run_crawl_args, server.url], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen_counts, errors = [], []
        try:
            deadline = time.monotonic() + 60
            while crawl.poll() is None and time.monotonic() < deadline:
                if db.exists():
                    try:
                        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                        seen_counts.append(conn.execute("select count(*) from comments").fetchone()[0])
                        conn.execute("select * from comments_fts where comments_fts match 'the' limit 5").fetchall()
                        conn.close()
                    except sqlite3.Error as exc:
                        if "no such table" not in str(exc):  # the schema is being created
                            errors.append(repr(exc))
                time.sleep(0.02)
            _, stderr = crawl.communicate(timeout=60)
        finally:
            if crawl.poll() is None:
                crawl.kill()
        assert crawl.returncode == 0, stderr[-3000:]
    assert not errors, errors[:3]
    assert len(set(seen_counts)) > 2  # the reader watched the crawl progress

    async def datasette_count():
        response = await make_datasette(db).client.get("/newscrawl/comments.json?_size=1")
        return response.status_code
    assert asyncio.run(datasette_count()) == 200
