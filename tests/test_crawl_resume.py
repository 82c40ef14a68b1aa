"""A long backfill paused and resumed with Scrapy's job directory: nothing fetched twice,
nothing lost, no duplicate rows."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import FAST_LOCAL, assert_same_records, expected_comments, expected_posts, rows, run_crawl, stored_comments, stored_posts

pytestmark = pytest.mark.slow


def test_paused_backfill_resumes_from_its_job_directory(tmp_path):
    blog = generate_blog(posts=30, comments_per_post=3, seed=23, big_post_comments=0)
    db, jobdir = tmp_path / "resume.db", tmp_path / "job"
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        # the "pause": the crawl stops itself after 12 pages, its queue kept in JOBDIR
        paused = subprocess.run(
            [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(db), "--platform", "blogger",
             "--log-level", "WARNING", *FAST_LOCAL, "-s", "CONCURRENT_REQUESTS=1", "-s", f"JOBDIR={jobdir}",
             "-s", "CLOSESPIDER_PAGECOUNT=12"],
            capture_output=True, text=True, timeout=120,
        )
        assert paused.returncode == 1, paused.stderr[-3000:]  # not finished: said so
        assert rows(db, "select status from crawls")[0]["status"] == "closespider_pagecount"
        half = len(server.requests)
        stored_before = rows(db, "select count(*) as n from posts")[0]["n"]
        assert 0 < stored_before < len(blog.posts)

        run_crawl(server.url, db, "-s", f"JOBDIR={jobdir}")
        pages = [r for r in server.requests if r != "/robots.txt"]
    fetched_twice = [url for url, n in Counter(pages).items() if n > 1]
    assert not fetched_twice, fetched_twice
    assert len(server.requests) > half
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    assert [r["status"] for r in rows(db, "select status from crawls order by id")] == ["closespider_pagecount", "finished"]
