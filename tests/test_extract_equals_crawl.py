"""What ``newscrawl extract`` prints for a page is what a crawl of that page stores.

Both go through the platform's parser and ``prepare.prepare``; these tests hold them
together on real crawls: the Blogger replica's post pages, and real saved pages served
from 127.0.0.1 (their own host's absolute links pointed at the local server, as a web
archive's replay does, so the crawl stays on loopback)."""

from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.extraction import extract_file
from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import rows, run_crawl

pytestmark = pytest.mark.slow

# columns a crawl keeps for itself (when it saw a row, when it changed), not read from the page
BOOKKEEPING = {"first_seen", "last_seen", "last_changed", "deleted_noticed"}


def stored(db: Path, table: str, ids: list[str]) -> dict[str, dict]:
    found = rows(db, f"select * from {table} where id in ({','.join('?' * len(ids))})", ids)
    return {row["id"]: row for row in found}


def assert_stored_as_extracted(db: Path, extracted: dict, where: str) -> None:
    """Every column extract printed for the post and its comments equals the stored value."""
    post = extracted["post"]
    posts = stored(db, "posts", [post["id"]])
    assert post["id"] in posts, f"{where}: post {post['id']} not stored"
    comments = stored(db, "comments", [c["id"] for c in extracted["comments"]]) if extracted["comments"] else {}
    for table, row, db_rows in [("posts", post, posts)] + [("comments", c, comments) for c in extracted["comments"]]:
        assert row["id"] in db_rows, f"{where}: {table} {row['id']} extracted but not stored"
        got = db_rows[row["id"]]
        for column, value in row.items():
            if column in BOOKKEEPING or column not in got:
                continue
            assert got[column] == _as_stored(value), f"{where}: {table} {row['id']} {column}"
    stored_ids = {r["id"] for r in rows(db, "select id from comments where post_id = ?", [post["id"]])}
    assert stored_ids == {c["id"] for c in extracted["comments"]}, f"{where}: other comments stored"


def _as_stored(value):
    """SQLite keeps booleans as 0/1 and lists (labels) as JSON text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.mark.parametrize("template", ["minima", "threaded"])
def test_replica_post_pages_extract_as_a_crawl_stores_them(template, tmp_path):
    blog = generate_blog(posts=6, comments_per_post=4, seed=11, big_post_comments=0)
    db = tmp_path / "crawl.db"
    with ReplicaServer(blog, template=template, feeds="none") as server:
        run_crawl(server.url, db, "--feeds", "off")
        pages = [(server.post_url(post), fetch(server.post_url(post))) for post in blog.posts]
    for url, body in pages:
        assert_stored_as_extracted(db, extract_file(body, url), f"{template} {url}")


# -- real saved pages, served from 127.0.0.1 ------------------------------------------------------

# (page, its URL, platform): WordPress post pages (core markup, a custom theme), German
REAL = [
    ("wordpress/netzpolitik.org.abmahnungen.html", None, "wordpress"),
    ("wordpress/franziska-elea.de.vuitton.html", None, "wordpress"),
]


class _Replay(http.server.BaseHTTPRequestHandler):
    page: bytes = b""

    def do_GET(self):  # noqa: N802 - http.server's name
        # the saved page answers every address but robots.txt: home, archive and post alike
        body = None if self.path.startswith("/robots.txt") else self.page
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


def index_url(real_pages: Path, page: str) -> str:
    index = (real_pages / "INDEX.md").read_text(encoding="utf-8")
    section = index.split(f"## {page}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"^- url: (\S+)", section, re.M).group(1)


@pytest.mark.parametrize("page,url,platform", REAL, ids=[p for p, _, _ in REAL])
def test_real_page_extracts_as_a_crawl_stores_it(real_pages, page, url, platform, tmp_path):
    url = url or index_url(real_pages, page)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Replay", (_Replay,), {}))
    local = f"http://127.0.0.1:{server.server_port}"
    body = (real_pages / page).read_bytes()
    host = urlsplit(url).hostname.removeprefix("www.")
    for scheme in ("https://", "http://"):
        for name in (f"www.{host}", host):  # longest first: www.x.org before x.org
            body = body.replace(f"{scheme}{name}".encode(), local.encode())
    path = urlsplit(url).path
    server.RequestHandlerClass.page = body
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # feeds/API off: the saved page is all the server has
        run_crawl(local + "/", tmp_path / "crawl.db", "--feeds", "off", platform=platform, expect_exit=None)
    finally:
        server.shutdown()
    extracted = extract_file(body, local + path, platform)
    assert_stored_as_extracted(tmp_path / "crawl.db", extracted, page)
