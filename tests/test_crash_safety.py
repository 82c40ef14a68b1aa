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


def test_kill_9_mid_crawl_loses_and_corrupts_nothing(tmp_path):
    blog = generate_blog(posts=120, comments_per_post=8, seed=31, big_post_comments=0)
    db = tmp_path / "killed.db"
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(db), "--platform", "blogger",
             "--log-level", "WARNING", *FAST_LOCAL, "-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSCRAWL_BATCH_SIZE=40"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while stored_count(db) < 80 and time.monotonic() < deadline and crawl.poll() is None:
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
