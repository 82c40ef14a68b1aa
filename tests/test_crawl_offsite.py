"""Requests a crawl needs and does not get are recorded, never dropped in silence; a blog that
moved host is followed as the same blog (issue 17, item 3)."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.replica.faults import Fault
from replica_compare import assert_same_records, expected_comments, expected_posts, rows, run_crawl, \
    stored_comments, stored_posts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blog():
    return generate_blog(posts=6, comments_per_post=3, seed=21, big_post_comments=0)


def test_a_post_redirected_to_another_host_is_recorded_and_fails_the_run(blog, tmp_path):
    db = tmp_path / "offsite.db"
    victim = blog.posts[2]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        port = server.url.split(":")[2].rstrip("/")
        server.set_faults([Fault(f"^{re.escape(server.post_path(victim))}", "redirect",
                                 location=f"http://localhost:{port}/somewhere-else.html", keep_path=False)])
        result = run_crawl(server.url, db, expect_exit=1)
    [error] = rows(db, "select url, reason from errors")
    assert error["url"] == server.post_url(victim)
    assert error["reason"] == f"redirected to another host: http://localhost:{port}/somewhere-else.html"
    assert "1 failed" in result.stdout
    assert rows(db, "select count(*) as n from posts")[0]["n"] == len(blog.posts) - 1


def test_a_gzip_bomb_is_recorded_as_too_large(blog, tmp_path):
    db = tmp_path / "bomb.db"
    victim = blog.posts[1]
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        server.set_faults([Fault(f"^{re.escape(server.post_path(victim))}", "gzip_bomb", size=20 * 1024 * 1024)])
        run_crawl(server.url, db, "-s", f"DOWNLOAD_MAXSIZE={4 * 1024 * 1024}", expect_exit=1)
    [error] = rows(db, "select url, reason from errors")
    assert error["url"] == server.post_url(victim)
    assert error["reason"].startswith("too large: its body") and "DOWNLOAD_MAXSIZE" in error["reason"]


class _OldAddress:
    """The blog's old address (``localhost``, another host name of this machine): every path
    answers 301 to the same path on the blog's new address, as a blogspot blog that moved to
    its custom domain does."""

    def __init__(self, new_base: str):
        class Moved(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(301)
                self.send_header("Location", new_base.rstrip("/") + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
        self.url = f"http://localhost:{self.server.server_address[1]}/"

    def __enter__(self) -> "_OldAddress":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("feeds", ["auto", "off"])
def test_a_blog_that_moved_host_is_crawled_at_its_new_address(blog, tmp_path, feeds):
    db = tmp_path / "moved.db"
    with ReplicaServer(blog, template="threaded") as server, _OldAddress(server.url) as old:
        run_crawl(old.url, db, "--feeds", feeds)
        assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
        assert_same_records(expected_comments(blog), stored_comments(db), "comments")
    assert rows(db, "select count(*) as n from errors")[0]["n"] == 0
    assert rows(db, "select blog_url, status from crawls") == [{"blog_url": old.url, "status": "finished"}]
