"""Crawl bookkeeping is a Scrapy extension (``bookkeeping.CrawlBookkeeping``): its state is
loaded before the spider's ``start()`` yields anything, and written when the crawl closes.

The crawl runs in a subprocess under Scrapy 2.19 itself (one reactor per process), so the
order checked is Scrapy's real order, not an assumption about it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from newscrawl.storage import Store

BLOG = "http://127.0.0.1:9/"  # never fetched: the spider makes no request

SCRIPT = textwrap.dedent('''
    import json, sys
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings
    from newscrawl.spiders.base import BlogSpider

    seen = {}

    class ProbeSpider(BlogSpider):
        name = "probe"

        async def start(self):
            # what the spider knows at the moment it would yield its first request
            seen["previous_state"] = dict(self.previous_state)
            seen["retries_expected"] = sorted(self.failures.pending)
            self.next_state = {"posts_since": "2024-02-02T00:00:00Z"}
            return
            yield

    settings = get_project_settings()
    settings.set("NEWSCRAWL_DB", sys.argv[1])
    settings.set("LOG_LEVEL", "WARNING")
    process = CrawlerProcess(settings)
    process.crawl(ProbeSpider, url=sys.argv[2])
    process.start()
    print(json.dumps(seen))
''')


def run_probe(db) -> dict:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(db), BLOG], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_state_is_loaded_before_start_yields_and_saved_at_close(tmp_path):
    db = tmp_path / "book.db"
    store = Store(db)
    store.save_crawl_state(BLOG, {"posts_since": "2024-01-01T00:00:00Z"})
    store.record_errors(BLOG, None, [{"url": BLOG + "2024/01/p.html", "status": 500, "reason": "HTTP 500",
                                      "callback": "parse_post"}])
    store.close()

    seen = run_probe(db)

    assert seen["previous_state"] == {"posts_since": "2024-01-01T00:00:00Z"}
    assert seen["retries_expected"] == [BLOG + "2024/01/p.html"]
    store = Store(db)
    try:
        # a complete crawl moved the mark and wrote its crawls row
        assert store.crawl_state(BLOG) == {"posts_since": "2024-02-02T00:00:00Z"}
        crawls = list(store.db.query("select spider, blog_url, status, finished, requests from crawls"))
        assert len(crawls) == 1
        assert crawls[0]["spider"] == "probe" and crawls[0]["blog_url"] == BLOG
        assert crawls[0]["status"] == "finished" and crawls[0]["finished"] and crawls[0]["requests"] == 0
    finally:
        store.close()
