"""Many tracked blogs in one run: each blog's crawl judged by its own requests and errors, and an
unchanged blog re-crawled with two requests (its two feeds: robots.txt comes from the database).

Blogs are replica Blogger blogs on 127.0.0.1; the failing one is a port nothing listens on."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import FAST_LOCAL, rows

pytestmark = pytest.mark.slow


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"  # nothing listens there now: connections are refused


def crawl_all(db, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), "--log-level", "WARNING",
               *FAST_LOCAL, "-s", "RETRY_TIMES=1", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def add(db, url: str) -> None:
    result = subprocess.run([sys.executable, "-m", "newscrawl", "add", url, "--platform", "blogger", "--db", str(db)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_a_failing_blog_does_not_hold_back_the_others(tmp_path):
    db = tmp_path / "tracked.db"
    blogs = [generate_blog(posts=5, comments_per_post=3, seed=seed, big_post_comments=0) for seed in (31, 32)]
    refused = closed_port_url()
    with ReplicaServer(blogs[0]) as one, ReplicaServer(blogs[1], template="threaded") as two:
        for url in (one.url, two.url, refused):
            add(db, url)
        first = crawl_all(db)
        assert first.returncode == 1, first.stdout + first.stderr[-3000:]  # one blog could not be read

        crawls = {r["blog_url"]: r for r in rows(db, "select * from crawls")}
        assert crawls[refused]["errors"] >= 1
        for server in (one, two):
            assert crawls[server.url]["status"] == "finished" and crawls[server.url]["errors"] == 0
        # the two readable blogs' marks moved although the third failed beside them
        marks = {r["url"] for r in rows(db, "select url from crawl_state")}
        assert marks == {one.url, two.url}

        requests_before = {name: len(server.requests) for name, server in (("one", one), ("two", two))}
        second = crawl_all(db)
        assert second.returncode == 1
        again = {name: server.requests[requests_before[name]:] for name, server in (("one", one), ("two", two))}
    # an unchanged blog: its posts feed and its comments feed, asked with validators; no robots.txt
    for name, requests in again.items():
        assert len(requests) == 2, (name, requests)
        assert not any(r.startswith("/robots.txt") for r in requests)
    last = {r["blog_url"]: r for r in rows(db, "select * from crawls order by id")}
    assert last[one.url]["responses_not_modified"] == 2 and last[two.url]["responses_not_modified"] == 2
    assert {r["url"] for r in rows(db, "select url from robots_txt")} == {one.url + "robots.txt", two.url + "robots.txt"}


def test_a_blog_crawled_before_is_not_detected_again(tmp_path):
    db = tmp_path / "adhoc.db"
    blog = generate_blog(posts=3, comments_per_post=2, seed=33, big_post_comments=0)
    with ReplicaServer(blog) as server:
        command = [sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(db), "--log-level", "WARNING",
                   *FAST_LOCAL]
        first = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr[-3000:]
        assert "/" in server.requests  # the first time the home page tells the platform
        before = len(server.requests)
        again = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-3000:]
        requests = server.requests[before:]
    assert "/" not in requests and len(requests) == 2, requests
