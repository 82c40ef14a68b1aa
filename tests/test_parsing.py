"""Pages parsed in the page-parsing processes (parsing.py) give what parsing in the callback gives."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl import parsing
from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import (assert_same_records, expected_comments, expected_posts, rows, rows_without_times,
                             run_crawl, stored_comments, stored_posts)

POOL_FROM_THE_FIRST_PAGE = ("-s", "NEWSCRAWL_PARSE_PROCESSES=2", "-s", "NEWSCRAWL_PARSE_POOL_AFTER_PAGES=0")


def _pool_stats(db) -> dict:
    return json.loads(rows(db, "select stats from crawls")[0]["stats"])


def _assert_same_rows(pooled, inline, tables: tuple[str, ...]) -> None:
    for table in tables:
        assert rows_without_times(pooled, table) == rows_without_times(inline, table), table


@pytest.mark.slow
def test_a_crawl_parsing_in_processes_stores_what_parsing_in_the_callbacks_stores(tmp_path):
    blog = generate_blog(posts=25, comments_per_post=6, seed=11, big_post_comments=0)
    inline, pooled = tmp_path / "inline.db", tmp_path / "pooled.db"
    with ReplicaServer(blog, template="threaded", feeds="none") as server:
        run_crawl(server.url, inline, "--feeds", "off", "-s", "NEWSCRAWL_PARSE_PROCESSES=0")
        run_crawl(server.url, pooled, "--feeds", "off", *POOL_FROM_THE_FIRST_PAGE)
    assert_same_records(expected_posts(blog, server), stored_posts(pooled), "posts")
    assert_same_records(expected_comments(blog), stored_comments(pooled), "comments")
    _assert_same_rows(pooled, inline, ("blogs", "posts", "comments", "links"))
    stats = _pool_stats(pooled)
    html_pages = stats["downloader/response_count"] - 1  # robots.txt is not parsed
    assert stats.get("newscrawl/parse_pool/pages") == html_pages > len(blog.posts)
    assert "newscrawl/parse_pool/pages" not in _pool_stats(inline)


@pytest.mark.slow
def test_blogger_feed_pages_parsed_in_processes_store_what_parsing_in_the_callbacks_stores(tmp_path):
    """The feeds path through the pool, with small feed pages read through a window of two: every
    record of the replica, and the same rows as a crawl parsing in its callbacks."""
    blog = generate_blog(posts=25, comments_per_post=6, seed=12, big_post_comments=0)
    inline, pooled = tmp_path / "inline.db", tmp_path / "pooled.db"
    window = ("-s", "NEWSCRAWL_PARALLEL_FEED_PAGES=2")
    with ReplicaServer(blog, template="minima", feeds="full", feed_cap=20) as server:
        run_crawl(server.url, inline, *window, "-s", "NEWSCRAWL_PARSE_PROCESSES=0")
        run_crawl(server.url, pooled, *window, *POOL_FROM_THE_FIRST_PAGE)
    assert_same_records(expected_posts(blog, server), stored_posts(pooled), "posts")
    assert_same_records(expected_comments(blog), stored_comments(pooled), "comments")
    _assert_same_rows(pooled, inline, ("blogs", "posts", "comments", "links"))
    stats = _pool_stats(pooled)
    assert stats.get("newscrawl/parse_pool/pages") == stats["newscrawl/feeds/pages"] > 2
    assert "newscrawl/parse_pool/pages" not in _pool_stats(inline)


@pytest.mark.slow
def test_wordpress_rest_pages_parsed_in_processes_store_what_parsing_in_the_callbacks_stores(tmp_path):
    from hostile_wordpress import HostileWordPress

    inline, pooled = tmp_path / "inline.db", tmp_path / "pooled.db"
    with HostileWordPress(posts=4, comments=450) as site:
        run_crawl(site.url, inline, "-s", "NEWSCRAWL_PARSE_PROCESSES=0", platform="wordpress")
        run_crawl(site.url, pooled, *POOL_FROM_THE_FIRST_PAGE, platform="wordpress")
    assert rows(pooled, "select count(*) as n from comments")[0]["n"] == 450
    _assert_same_rows(pooled, inline, ("blogs", "posts", "comments"))
    stats = _pool_stats(pooled)
    rest_pages = stats["newscrawl/rest/posts_pages"] + stats["newscrawl/rest/comments_pages"]
    assert stats.get("newscrawl/parse_pool/pages") == rest_pages == 1 + 5


def test_a_rest_error_comes_back_from_a_parsing_process_as_it_was_raised(fresh_pool):
    from newscrawl.platforms.wordpress import RestError

    crawler = _crawler(1)
    with pytest.raises(RestError) as raised:
        asyncio.run(parsing.parse_page(crawler, _raise_rest_error, "page", "http://127.0.0.1/p"))
    assert (raised.value.code, raised.value.message, raised.value.status) == (
        "rest_forbidden", "Sorry, you are not allowed to do that.", 401)
    # raised in the other process and brought back, not raised again here after the pool broke on it
    assert not fresh_pool.broken and crawler.stats.get_value("newscrawl/parse_pool/broken") is None


def _raise_rest_error(text: str, url: str) -> None:
    from newscrawl.platforms.wordpress import RestError

    raise RestError("rest_forbidden", "Sorry, you are not allowed to do that.", 401)


def _echo(text: str, url: str) -> tuple[str, str, int]:
    return text.upper(), url, os.getpid()


def _refuse(text: str, url: str) -> None:
    raise ValueError(f"unreadable {url}")


def _crawler(processes: int):
    crawler = get_crawler(Spider, {"NEWSCRAWL_PARSE_PROCESSES": processes, "NEWSCRAWL_PARSE_POOL_AFTER_PAGES": 0})
    crawler.stats.open_spider()
    return crawler


@pytest.fixture
def fresh_pool(monkeypatch):
    # the pool wants Scrapy's asyncio reactor; asyncio.run gives these tests the same event loop
    monkeypatch.setattr(parsing, "_pool_usable", lambda: True)
    monkeypatch.setattr(parsing, "_POOL", parsing._Pool())
    yield parsing._POOL
    parsing._POOL.shutdown()


def test_a_page_goes_to_another_process_and_its_result_comes_back(fresh_pool):
    crawler = _crawler(1)
    text, url, pid = asyncio.run(parsing.parse_page(crawler, _echo, "page", "http://127.0.0.1/p"))
    assert (text, url) == ("PAGE", "http://127.0.0.1/p") and pid != os.getpid()
    assert crawler.stats.get_value("newscrawl/parse_pool/pages") == 1


def test_a_parsers_exception_comes_back_as_it_is(fresh_pool):
    with pytest.raises(ValueError, match="unreadable http://127.0.0.1/p"):
        asyncio.run(parsing.parse_page(_crawler(1), _refuse, "page", "http://127.0.0.1/p"))


def test_a_broken_pool_is_dropped_and_the_page_parsed_here(fresh_pool, monkeypatch):
    crawler = _crawler(1)
    calls = []
    monkeypatch.setattr(parsing.logger, "warning", lambda *args: calls.append(args))
    with pytest.raises(SystemExit):  # os._exit in the worker breaks the pool; here, the fallback runs _die too
        asyncio.run(parsing.parse_page(crawler, _die_here_only_as_exit, "page", "http://127.0.0.1/p"))
    assert crawler.stats.get_value("newscrawl/parse_pool/broken") == 1
    assert fresh_pool.broken and fresh_pool.executor is None and calls


def _die_here_only_as_exit(text: str, url: str) -> None:
    # in the pool's worker: the process dies (a segfault, the OOM killer); in this process: an exception
    if parsing.multiprocessing.parent_process() is not None:
        os._exit(1)
    raise SystemExit("parsed here")


def test_without_processes_pages_are_parsed_in_the_callback(fresh_pool):
    text, _, pid = asyncio.run(parsing.parse_page(_crawler(0), _echo, "page", "http://127.0.0.1/p"))
    assert text == "PAGE" and pid == os.getpid() and fresh_pool.executor is None


@pytest.mark.slow
def test_parsing_processes_leave_with_a_crawl_that_is_killed(tmp_path):
    """kill -9 of a crawl never shuts its pool down: its parsing processes must not wait for ever."""
    import signal
    import subprocess
    import sys
    import time

    blog = generate_blog(posts=200, comments_per_post=10, seed=3, big_post_comments=0)
    with ReplicaServer(blog, template="minima", feeds="none") as server:
        crawl = subprocess.Popen([sys.executable, "-m", "newscrawl", "crawl", server.url, "--db", str(tmp_path / "k.db"),
                                  "--platform", "blogger", "--feeds", "off", "-s", "NEWSCRAWL_PARSE_PROCESSES=2",
                                  "-s", "NEWSCRAWL_PARSE_POOL_AFTER_PAGES=0", "-s", "DOWNLOAD_DELAY=0",
                                  "-s", "AUTOTHROTTLE_ENABLED=0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and crawl.poll() is None:
            workers = _children(crawl.pid)
            time.sleep(0.1)
        assert len(workers) == 2, "the crawl started no parsing processes"
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=10)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(p) for p in children.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _text_and_url(text: str, url: str) -> tuple[str, str]:
    return text, url


_SAVED_PAGES = sorted((Path(__file__).parent / "data" / "real-pages").rglob("*.htm*"))
_PAGE = "<html><head>{meta}<title>caf\u00e9 \U0001F600</title></head><body><p>\u00e9t\u00e9 \u2014 \u00fcber</p></body></html>"
_MADE_PAGES = {
    "utf-8 header": (_PAGE.format(meta="").encode("utf-8"), "text/html; charset=utf-8"),
    "utf-8 meta only": (_PAGE.format(meta="<meta charset='utf-8'>").encode("utf-8"), "text/html"),
    "nothing declared": (_PAGE.format(meta="").encode("utf-8"), "text/html"),
    "byte order mark against the header": (b"\xef\xbb\xbf" + _PAGE.format(meta="").encode("utf-8"),
                                           "text/html; charset=iso-8859-1"),
    "utf-16": (_PAGE.format(meta="").encode("utf-16"), "text/html; charset=utf-16"),
    "windows-1252 named latin-1": ("<p>caf\u00e9 \u20ac</p>".encode("cp1252"), "text/html; charset=latin-1"),
    "bytes invalid in the charset": (b"<p>caf\xe9 \xff\xfe</p>", "text/html; charset=utf-8"),
}


@pytest.mark.parametrize("name", [*_MADE_PAGES, *(p.name for p in _SAVED_PAGES)])
def test_a_page_sent_as_bytes_is_decoded_as_scrapy_decodes_it(name):
    """``BlogSpider.parsed_page`` sends a page's bytes and encoding to the parsing process: the text
    the parser gets there is ``response.text``."""
    if name in _MADE_PAGES:
        body, content_type = _MADE_PAGES[name]
    else:
        body, content_type = next(p for p in _SAVED_PAGES if p.name == name).read_bytes(), "text/html"
    url = "http://127.0.0.1:8000/post.html"
    sent = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    decoded = parsing.parse_response_text(_text_and_url, sent.body, sent.encoding, sent.url)
    assert decoded == (HtmlResponse(url, body=body, headers={"Content-Type": content_type}).text, url)
