"""A write that fails stops the crawl with a clear line and exit 1, keeps what was committed, and
records the crawl as failed (issue 17, items 1 and 5): a full disk, a database changed by someone
else, a database written by a newer newscrawl."""

from __future__ import annotations

import re
import resource
import signal
import sqlite3
import subprocess
import sys

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.storage import Store
from replica_compare import FAST_LOCAL, assert_same_records, expected_comments, expected_posts, rows, run_crawl, \
    stored_comments, stored_posts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=40, comments_per_post=25, seed=5, big_post_comments=0)


def _crawl_on_a_small_disk(url: str, db, limit: int, *extra: str) -> subprocess.CompletedProcess:
    """``newscrawl crawl`` whose files cannot grow past ``limit`` bytes: a write beyond it fails with
    EFBIG, which SQLite reports as it reports a full disk (SQLITE_FULL)."""

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing the process

    command = [sys.executable, "-m", "newscrawl", "crawl", url, "--db", str(db), "--platform", "blogger",
               "--feeds", "off", *FAST_LOCAL, "-s", "NEWSCRAWL_BATCH_SIZE=20",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=small_disk)


def test_a_full_disk_stops_the_crawl_keeps_what_was_committed_and_exits_1(blog, tmp_path):
    db = tmp_path / "small.db"
    Store(db).close()
    with ReplicaServer(blog, template="threaded") as server:
        result = _crawl_on_a_small_disk(server.url, db, limit=db.stat().st_size + 64 * 1024)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output[-3000:]
        # (SQLite reports a file that cannot grow as "disk I/O error", a full file system as "database or disk
        # is full"): said in the log, the blog's line and the run's last line, not once per item
        said = [line for line in output.splitlines() if "cannot write to" in line]
        assert said and len(said) <= 4, output[-3000:]
        assert all(re.search("disk I/O error|database or disk is full", line) for line in said)
        assert result.stdout.splitlines()[-1].startswith("failed: cannot write to")
        assert "cannot rollback" not in output and "Traceback" not in output
        stopped_after = [int(n) for n in re.findall(r"(\d+) requests", output)]

        # what was committed is intact and readable; the marks did not move
        assert rows(db, "pragma integrity_check") == [{"integrity_check": "ok"}]
        stored = rows(db, "select count(*) as n from comments")[0]["n"]
        assert 0 < stored < sum(len(p.comments) for p in blog.posts)
        assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 0
        assert rows(db, "select status from crawls")[0]["status"] in ("failed", "running")

        # with room again, the next crawl reads everything: nothing was lost
        run_crawl(server.url, db, "--feeds", "off")
        assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
        assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    crawls = rows(db, "select status, requests from crawls order by id")
    assert crawls[0]["status"] in ("failed", "interrupted") and crawls[-1]["status"] == "finished"
    # the failed crawl stopped early: it did not go on fetching the blog it could not store
    assert stopped_after and stopped_after[0] < crawls[-1]["requests"] / 2, (stopped_after, crawls)


def test_a_full_disk_under_a_paused_crawl_fails_the_run_with_the_reason(blog, tmp_path):
    """A JOBDIR crawl (one blog, its own spider) reports the failed write as the run's failure too."""
    db = tmp_path / "small.db"
    Store(db).close()
    with ReplicaServer(blog, template="threaded") as server:
        result = _crawl_on_a_small_disk(server.url, db, db.stat().st_size + 64 * 1024,
                                        "-s", f"JOBDIR={tmp_path / 'job'}")
    assert result.returncode == 1, (result.stdout + result.stderr)[-3000:]
    assert result.stdout.splitlines()[-1].startswith("failed: cannot write to"), result.stdout[-3000:]


def test_a_write_refused_by_the_database_fails_the_crawl_with_the_reason(blog, tmp_path):
    db = tmp_path / "changed.db"
    store = Store(db)
    # a column another program added and made NOT NULL: no comment row can be written
    store.db["comments"].add_column("moderation", str)
    store.db["comments"].transform(not_null={"moderation"})
    store.close()
    with ReplicaServer(blog, template="threaded") as server:
        result = run_crawl(server.url, db, expect_exit=1)
    assert "failed: cannot write to" in result.stdout and "NOT NULL constraint failed" in result.stdout
    [crawl] = rows(db, "select status, reason from crawls")
    assert crawl["status"] == "failed" and "NOT NULL constraint failed: comments.moderation" in crawl["reason"]
    assert rows(db, "select count(*) as n from crawl_state")[0]["n"] == 0  # nothing to resume from
    assert "Traceback" not in result.stderr


def test_a_database_of_a_newer_newscrawl_is_not_crawled_into(blog, tmp_path):
    db = tmp_path / "newer.db"
    Store(db).close()
    sqlite3.connect(db).execute("PRAGMA user_version = 7").connection.close()
    before = db.read_bytes()
    with ReplicaServer(blog, template="threaded") as server:
        result = run_crawl(server.url, db, expect_exit=2)
    assert "written by a newer newscrawl" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before
