"""A bare Scrapy spider: fetch exactly a given list of URLs with our crawl's download settings, parse nothing.

    python bench/bare_spider.py BASE_URL PATHS.json [-s NAME=VALUE ...]
    python bench/bare_spider.py - URLS.json [-s NAME=VALUE ...]

``PATHS.json`` is the replica's request log of our crawl (paths, in order); with ``-`` as the
base, ``URLS.json`` lists whole URLs (several hosts: many blogs).  Prints one JSON line:
the responses received and Scrapy's own elapsed time.  Settings are newscrawl's project settings
(user agent, timeouts, retries, concurrency) with the same ``-s`` overrides as our crawl; robots.txt
is not obeyed because ``/robots.txt`` is itself in the list, and redirects are not followed because
their targets are in the list too.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from newscrawl.crawling import project_settings


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {"ITEM_PIPELINES": {}}

    def __init__(self, urls: list[str], **kw):
        super().__init__(**kw)
        self.urls = urls
        self.received = 0

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.received += 1
        return None


def main(argv: list[str]) -> int:
    base, paths_file, rest = ("" if argv[0] == "-" else argv[0].rstrip("/")), argv[1], argv[2:]
    overrides = {}
    for i in range(0, len(rest), 2):
        assert rest[i] == "-s", rest
        name, value = rest[i + 1].split("=", 1)
        overrides[name] = value
    paths = json.load(open(paths_file))
    settings = project_settings({
        **overrides,
        "ROBOTSTXT_OBEY": False, "REDIRECT_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
        "RETRY_ENABLED": False, "LOG_LEVEL": "INFO", "ITEM_PIPELINES": {},
    })
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=[base + p for p in paths])
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "elapsed": stats.get("elapsed_time_seconds"),
    }), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
