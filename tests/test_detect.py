import pytest

from newscrawl.detect import detect_platform, platform_of_page
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
