"""Many tracked blogs in one run: each blog's crawl judged by its own requests and errors, and an
unchanged blog re-crawled with two requests (its two feeds: robots.txt comes from the database).

Blogs are replica Blogger blogs on 127.0.0.1; the failing one is a port nothing listens on."""

from __future__ import annotations

import multiprocessing
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
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


class _TwoBlogsOneServer:
    """Two WordPress blogs on one server, under /a/ and /b/ (hostile_wordpress.py answers each);
    every request's blog and time are kept."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from hostile_wordpress import HostileWordPress, send_answer

        self.hits: list[tuple[str, float]] = []
        # requests being answered at once, and the most there ever were
        self.active = 0
        self.most_active = 0
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                prefix, _, rest = self.path.lstrip("/").partition("/")
                site = outer.sites.get(prefix)
                answer = site.answer("/" + rest) if site else (404, {}, b"")
                with lock:
                    outer.hits.append((prefix, time.monotonic()))
                    outer.active += 1
                    outer.most_active = max(outer.most_active, outer.active)
                time.sleep(0.02)  # a server that takes a moment: overlapping requests would show
                try:
                    send_answer(self, *answer)
                finally:
                    with lock:
                        outer.active -= 1

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.sites = {}
        for prefix in ("a", "b"):
            site = HostileWordPress(posts=4, comments=150, home=f"{base}/{prefix}")
            site.server.server_close()  # its answers only: this server serves them
            site.url = f"{base}/{prefix}/"
            self.sites[prefix] = site
        self.urls = [f"{base}/{prefix}/" for prefix in self.sites]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_blogs_on_one_server_share_its_limit(tmp_path):
    """Politeness is per server: two blogs on one host are crawled by one crawler (in one process or
    in two: they go to the same one), through one download slot, so the server never has more than
    CONCURRENT_REQUESTS_PER_DOMAIN of their requests at once, however many blogs it serves."""
    from newscrawl.crawling import share_by_server
    from newscrawl.spiders.wordpress import WordPressSpider
    from newscrawl.settings import CONCURRENT_REQUESTS_PER_DOMAIN

    for processes in ("1", "2"):
        db = tmp_path / f"turns-{processes}.db"
        with _TwoBlogsOneServer() as shared:
            for url in shared.urls:
                assert CliRunner().invoke(cli, ["add", url, "--platform", "wordpress", "--db", str(db)]).exit_code == 0
            result = subprocess.run(
                [sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), "--processes", processes,
                 "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"],
                capture_output=True, text=True, timeout=120)
            hits, most_active = list(shared.hits), shared.most_active
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        order = [prefix for prefix, _ in sorted(hits, key=lambda hit: hit[1]) if prefix in ("a", "b")]
        assert 2 <= most_active <= CONCURRENT_REQUESTS_PER_DOMAIN, (most_active, order)
        # both blogs were open at once: the slot served them in turn, not one blog after the other
        first_of_b, last_of_a = order.index("b"), len(order) - 1 - order[::-1].index("a")
        assert first_of_b < last_of_a, order
        assert rows(db, "select count(*) as n from comments")[0]["n"] == 300
    blogs = [(1, "http://x.example/a/", WordPressSpider), (2, "http://y.example/", WordPressSpider),
             (3, "http://x.example/b/", WordPressSpider), (4, "http://z.example/", WordPressSpider)]
    (_, shared), = share_by_server(blogs, "auto", None, multiprocessing.get_context("fork"))
    taken = [[blog.number for blog in shared.take()] for _ in range(4)]
    assert taken == [[1, 3], [2], [4], []]  # x.example's two blogs at once, the biggest server first
