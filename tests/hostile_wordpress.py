"""A small WordPress REST API on 127.0.0.1 that can lie: a site index, ``wp/v2/posts`` and
``wp/v2/comments`` 100 per page with ``X-WP-Total``/``X-WP-TotalPages``, and the hostile answers
issue 17 found (a lone surrogate in one comment, a total of millions of pages, a page served
again for every page number, a site index claiming another blog's address)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PER_PAGE = 100


class HostileWordPress:
    """``posts`` posts and ``comments`` comments (each on post 1 + n % posts); ``claimed_pages``
    overrides X-WP-TotalPages; ``repeat_pages``: every page number past the real ones serves the
    last real page again; ``home``: the address the site index claims; ``bad_comment``: the
    comment number whose author and text hold a lone surrogate."""

    def __init__(self, posts: int = 3, comments: int = 300, claimed_pages: int | None = None,
                 repeat_pages: bool = False, home: str | None = None, bad_comment: int | None = None):
        self.posts, self.comments = posts, comments
        self.claimed_pages, self.repeat_pages = claimed_pages, repeat_pages
        self.home, self.bad_comment = home, bad_comment
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> "HostileWordPress":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self, part: str) -> list[str]:
        with self._lock:
            return [path for path in self.requests if part in path]

    # -- the answers -------------------------------------------------------------------

    def post(self, number: int) -> dict:
        return {"id": number, "link": f"{self.url}?p={number}", "title": {"rendered": f"Post {number}"},
                "date": f"2024-01-{number:02d}T10:00:00", "date_gmt": f"2024-01-{number:02d}T10:00:00",
                "modified": f"2024-01-{number:02d}T10:00:00", "modified_gmt": f"2024-01-{number:02d}T10:00:00",
                "content": {"rendered": f"<p>Story {number} and a comment on it.</p>"}}

    def comment(self, number: int) -> dict:
        author, text = f"Reader {number}", f"<p>Comment {number}.</p>"
        if number == self.bad_comment:
            author, text = "Bad \ud800 name", "<p>Half a pair: \ud800 and on.</p>"
        minute = number % 60
        return {"id": number, "post": 1 + number % self.posts, "parent": 0, "author_name": author,
                "date": f"2024-02-01T10:{minute:02d}:00", "date_gmt": f"2024-02-01T10:{minute:02d}:00",
                "content": {"rendered": text}, "link": f"{self.url}?p={1 + number % self.posts}#comment-{number}",
                "type": "comment"}

    def collection(self, kind: str, page: int) -> tuple[list[dict], int, int]:
        total = self.posts if kind == "posts" else self.comments
        pages = max(1, -(-total // PER_PAGE))
        if self.repeat_pages and page > pages:
            page = pages
        numbers = range(1 + (page - 1) * PER_PAGE, min(total, page * PER_PAGE) + 1)
        make = self.post if kind == "posts" else self.comment
        return [make(n) for n in numbers], total, self.claimed_pages or pages

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/wp-json/":
            index = {"name": "Hostile blog", "description": "", "home": self.home or self.url.rstrip("/"),
                     "namespaces": ["wp/v2"], "timezone_string": "UTC", "gmt_offset": 0}
            return 200, {}, json.dumps(index).encode()
        for kind in ("posts", "comments"):
            if parts.path == f"/wp-json/wp/v2/{kind}":
                entries, total, pages = self.collection(kind, int(query.get("page", ["1"])[0]))
                if not entries:
                    body = {"code": "rest_invalid_page_number", "message": "The page number is too large."}
                    return 400, {}, json.dumps(body).encode()
                # json.dumps escapes a lone surrogate as \\ud800, as PHP's json_encode may
                return 200, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}, json.dumps(entries).encode()
        return 404, {}, b"not found"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with site._lock:
                    site.requests.append(self.path)
                send_answer(self, *site.answer(self.path))

            def log_message(self, *args) -> None:
                pass

        return Handler


def send_answer(handler: BaseHTTPRequestHandler, status: int, headers: dict, body: bytes) -> None:
    """Write one of :meth:`HostileWordPress.answer`'s answers as the handler's response."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=UTF-8")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
