"""HeadMetaRefreshMiddleware decides as Scrapy's MetaRefreshMiddleware does, without decoding pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.middlewares import HeadMetaRefreshMiddleware

SAVED_PAGES = sorted(p for p in (Path(__file__).parent / "data" / "real-pages").rglob("*.htm*"))

URL = "http://127.0.0.1:8000/2024/05/post.html"


def _page(head_extra: str = "", body_before: str = "", body: str = "<p>text</p>") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head_extra}<title>t</title></head>"
            f"<body>{body_before}{body}</body></html>")


REFRESH = "<meta http-equiv='refresh' content='0; url=/moved.html'>"
PAGES = {
    "no refresh": (_page(), "utf-8"),
    "refresh in the head": (_page(REFRESH), "utf-8"),
    "absolute refresh": (_page("<meta http-equiv='Refresh' content='3;URL=http://127.0.0.1:8001/'>"), "utf-8"),
    "refresh in noscript": (_page(f"<noscript>{REFRESH}</noscript>"), "utf-8"),
    # Scrapy reads 4,096 characters: with four-byte characters before it, a refresh at character
    # 4,000 is 16,000 bytes in, and one at character 4,200 is out of both readings
    "refresh after emoji, within 4,096 characters": (_page(body_before="\U0001F600" * 3900, body=REFRESH), "utf-8"),
    "refresh after emoji, beyond 4,096 characters": (_page(body_before="\U0001F600" * 4200, body=REFRESH), "utf-8"),
    "refresh in a UTF-16 page": (_page(REFRESH), "utf-16"),
    "refresh in a Latin-1 page": (_page(REFRESH, body_before="caf\xe9 " * 50), "latin-1"),
}


def _response(body: bytes, encoding: str | None, url: str = URL) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={encoding}" if encoding else "text/html"}
    return HtmlResponse(url, body=body, headers=headers, request=Request(url))


def _made(middleware_class):
    crawler = get_crawler(Spider)
    crawler.spider = Spider("blog")  # the redirect's log line names it
    return middleware_class.from_crawler(crawler)


def _decisions(response_for):
    """What Scrapy's middleware and ours make of the same response: the response itself, or the
    URL they redirect to."""
    found = []
    for middleware in (_made(MetaRefreshMiddleware), _made(HeadMetaRefreshMiddleware)):
        response = response_for()
        result = middleware.process_response(response.request, response)
        found.append("kept" if result is response else result.url)
    return found


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_redirects_exactly_where_scrapys_meta_refresh_does(name):
    text, encoding = PAGES[name]
    scrapys, ours = _decisions(lambda: _response(text.encode(encoding), encoding))
    assert ours == scrapys
    expected_redirect = name in {"refresh in the head", "absolute refresh", "refresh after emoji, within 4,096 characters",
                                 "refresh in a UTF-16 page", "refresh in a Latin-1 page"}
    assert (ours != "kept") == expected_redirect, ours


@pytest.mark.parametrize("page", SAVED_PAGES, ids=lambda p: p.name)
def test_saved_real_pages_get_the_same_decision(page):
    body = page.read_bytes()
    scrapys, ours = _decisions(lambda: _response(body, None, url="http://127.0.0.1:8000/" + page.name))
    assert ours == scrapys


class _CountingResponse(HtmlResponse):
    decoded = 0

    @property
    def text(self) -> str:
        type(self).decoded += 1
        return super().text


def test_a_page_without_a_refresh_is_not_decoded_whole():
    body = _page(body_before="\U0001F600" * 20000).encode("utf-8")
    response = _CountingResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                                 request=Request(URL))
    middleware = _made(HeadMetaRefreshMiddleware)
    assert middleware.process_response(response.request, response) is response
    assert _CountingResponse.decoded == 0
