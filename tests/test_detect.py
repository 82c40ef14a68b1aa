import pytest

import json

from newscrawl.detect import detect_platform, platform_of_document, platform_of_page
from newscrawl.replica import ReplicaServer, generate_blog

BLOGGER_PAGES = ["2ality.com.2011-06-ecmascript.html", "derpapierplanet.de.juni.html", "weinlachgummis.blogspot.com.rezi.html",
                 "emacspeak.blogspot.com.meta.html", "bumsbutzener-gumpfen.blogspot.com.tach-auch.html",
                 "juliasleseblog.blogspot.com.irland.html", "siliconexposed.blogspot.com.greenpak4.html"]


@pytest.mark.parametrize("name", BLOGGER_PAGES)
def test_real_blogger_pages_are_blogger(real_pages, name):
    html = (real_pages / "blogger" / name).read_text(encoding="utf-8", errors="replace")
    assert platform_of_page(html) == "blogger"


def test_real_wordpress_pages_are_wordpress(real_pages):
    pages = sorted((real_pages / "wordpress").glob("*.html"))
    assert pages
    for page in pages:
        assert platform_of_page(page.read_text(encoding="utf-8", errors="replace")) == "wordpress", page.name


def test_unknown_page():
    assert platform_of_page("<html><head><title>x</title></head><body>hi</body></html>") is None


@pytest.mark.parametrize("template", ["minima", "threaded", "simple", "contempo", "dynamicviews"])
def test_replica_home_page_is_blogger(template):
    blog = generate_blog(posts=3, comments_per_post=1, seed=1)
    with ReplicaServer(blog, template=template) as server:
        assert detect_platform(server.url) == "blogger"


def test_unreachable_blog_is_undetected():
    assert detect_platform("http://127.0.0.1:9/", timeout=2) is None


# The folder a real page is saved in names its platform; "other" sites are read by the feed spider.
EXPECTED_BY_FOLDER = {"blogger": "blogger", "wordpress": "wordpress", "substack": "substack", "other": "feed"}


def _real_documents(real_pages):
    return sorted(p for folder in EXPECTED_BY_FOLDER for p in (real_pages / folder).iterdir() if p.is_file())


def test_every_real_page_feed_and_api_answer_gets_its_platform(real_pages):
    documents = _real_documents(real_pages)
    assert len(documents) >= 35
    wrong = {p.name: platform_of_document(p.read_bytes()) for p in documents
             if platform_of_document(p.read_bytes()) != EXPECTED_BY_FOLDER[p.parent.name]}
    assert not wrong


def _serve(routes: dict[str, tuple[int, str, bytes]]):
    """A minimal site on 127.0.0.1: path -> (status, content type, body)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def test_a_custom_domain_that_hides_its_engine_is_told_by_a_probe(real_pages):
    """A home page with only a feed link: Substack's archive endpoint answers in Substack's shape."""
    archive = (real_pages / "substack" / "api.v1.profile.posts.profile_user_id-27968736.json").read_bytes()
    posts = json.dumps(json.loads(archive)["posts"][:1]).encode()
    home = b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head><body>x</body></html>'
    server = _serve({"/": (200, "text/html", home), "/api/v1/archive?sort=new&limit=1": (200, "application/json", posts)})
    try:
        assert detect_platform(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5) == "substack"
    finally:
        server.shutdown()


def test_a_site_with_only_a_feed_is_a_feed_site():
    home = b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>'
    server = _serve({"/": (200, "text/html", home)})
    try:
        assert detect_platform(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5) == "feed"
    finally:
        server.shutdown()
