"""The parts of a crawler of many blogs (``newscrawl/blogs.py``) that need no server: which blog a
request belongs to, the duplicate filter kept per blog, one download slot per server."""

from __future__ import annotations

import scrapy
from scrapy.utils.test import get_crawler

from newscrawl.blogs import (BlogCrawler, BlogDupeFilter, BlogToCrawl, ServerSlotMiddleware, TrackedBlogsSpider,
                             blog_closed, blog_of)
from newscrawl.spiders.blogger import BloggerSpider


def crawler_of_many(*urls: str):
    crawler = get_crawler(TrackedBlogsSpider)
    host = TrackedBlogsSpider.from_crawler(
        crawler, blogs=[BlogToCrawl(n, url, BloggerSpider) for n, url in enumerate(urls, 1)])
    crawler.spider = host
    blogs = []
    for url in urls:
        blog = BloggerSpider(url=url)
        blog.crawler = BlogCrawler(crawler)
        blogs.append(blog)
    return crawler, blogs


def test_a_request_belongs_to_the_blog_whose_method_handles_it():
    crawler, (one, two) = crawler_of_many("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")
    assert blog_of(crawler, scrapy.Request(one.start_url, callback=one.parse_home)) is one
    assert blog_of(crawler, scrapy.Request(two.start_url, errback=two.request_failed)) is two
    # a robots.txt serves every blog of its host
    assert blog_of(crawler, scrapy.Request("http://127.0.0.1:8001/robots.txt")) is None
    # each blog counts in its own stats, not the crawler's
    one.crawler.stats.inc_value("newscrawl/errors")
    assert two.crawler.stats.get_value("newscrawl/errors") is None
    assert crawler.stats.get_value("newscrawl/errors") is None


def test_a_crawler_of_one_blog_gives_every_request_to_it():
    crawler = get_crawler(BloggerSpider)
    spider = BloggerSpider.from_crawler(crawler, url="http://127.0.0.1:8001/")
    crawler.spider = spider
    assert blog_of(crawler, scrapy.Request("http://127.0.0.1:8001/robots.txt")) is spider
    assert blog_of(crawler) is spider


def test_two_blogs_may_each_read_one_url_once():
    crawler, (one, two) = crawler_of_many("http://old.example/", "http://new.example/")
    dupefilter = BlogDupeFilter.from_crawler(crawler)
    url = "http://new.example/feeds/posts/default"
    assert not dupefilter.request_seen(scrapy.Request(url, callback=one.parse_home))
    assert not dupefilter.request_seen(scrapy.Request(url, callback=two.parse_home))
    assert dupefilter.request_seen(scrapy.Request(url, callback=one.parse_home))
    # a closed blog's fingerprints are let go
    crawler.signals.send_catch_log(blog_closed, blog=one, reason="finished")
    assert set(dupefilter.seen_by_blog) == {two}


def test_a_server_is_a_host_and_port():
    crawler, (one, _) = crawler_of_many("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")
    middleware = ServerSlotMiddleware.from_crawler(crawler)
    with_port = scrapy.Request("http://127.0.0.1:8001/feeds/posts/default", callback=one.parse_home)
    middleware.process_request(with_port)
    assert with_port.meta["download_slot"] == "127.0.0.1:8001"
    default_port = scrapy.Request("https://example.blogspot.com/", callback=one.parse_home)
    middleware.process_request(default_port)
    assert "download_slot" not in default_port.meta  # Scrapy's own: the host name


def test_a_crawler_of_many_blogs_uses_their_scheduler_and_duplicate_filter():
    crawler = get_crawler(TrackedBlogsSpider)
    assert crawler.settings["SCHEDULER"] == "newscrawl.blogs.BlogScheduler"
    assert crawler.settings["DUPEFILTER_CLASS"] == "newscrawl.blogs.BlogDupeFilter"
