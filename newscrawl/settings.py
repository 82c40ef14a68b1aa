"""Scrapy settings for newscrawl: politeness first, then our pipelines and NEWSCRAWL_* settings.

Every setting can be overridden per run: ``scrapy crawl blogger -a url=URL -s KEY=VALUE``
or ``newscrawl crawl URL -s KEY=VALUE``.
"""

import os

from scrapy.settings import default_settings as _scrapy_defaults

from newscrawl import DEFAULT_DB_PATH, __version__

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"

# -- where results go -------------------------------------------------------------
# The SQLite database every crawl writes to (the NEWSCRAWL_DB environment variable
# overrides the default; `newscrawl crawl --db PATH` overrides both).
NEWSCRAWL_DB = os.environ.get("NEWSCRAWL_DB", DEFAULT_DB_PATH)
# Rows buffered before one transaction writes them.
NEWSCRAWL_BATCH_SIZE = 1000
# Blogs open at the same time in each process of `newscrawl crawl --all` (one crawler crawls them
# all: their requests share the limits below, a server's requests its download slot); jobs at a
# time in each process of `newscrawl worker` (a crawler each).
NEWSCRAWL_CONCURRENT_BLOGS = 16
# Feed pages asked at once when a feed's first page tells the total (Blogger's totalResults);
# the last of them goes on by its next link.
NEWSCRAWL_PARALLEL_FEED_PAGES = 50
# Processes that parse HTML pages beside the reactor (parsing.py; 0: parse in the callbacks).
# Unset: the CPUs, or 0 when `newscrawl crawl` runs several crawl processes.
# NEWSCRAWL_PARSE_PROCESSES = 2
# Requests one crawl (one blog) may make: a hostile total or endless paging stops there, recorded in errors.
NEWSCRAWL_MAX_PAGES_PER_BLOG = 50_000

ITEM_PIPELINES = {
    "newscrawl.pipelines.PreparePipeline": 300,
    "newscrawl.pipelines.StoragePipeline": 900,
}
# Marks, URLs to retry, the crawls row and deletions: what lasts from one crawl to the next.
EXTENSIONS = {
    "newscrawl.bookkeeping.CrawlBookkeeping": 500,
}
# Scrapy's own extensions without the remote control, which is off (REMOTE_CONTROL_ENABLED below) but
# would still be imported: Scrapy loads every listed class to merge the lists, even one set to None,
# and its module loads aiohttp, 0.12 s of every crawl process's start-up.
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}

# -- politeness ---------------------------------------------------------------------
USER_AGENT = f"newscrawl/{__version__} (blog comment tracker; +https://pypi.org/project/newscrawl/)"
ROBOTSTXT_OBEY = True
NEWSCRAWL_ROBOTSTXT_MAX_AGE = 24 * 3600  # RFC 9309 allows caching robots.txt for 24 hours
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# -- robustness -----------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

# Retries wait: Retry-After when the server sends one (429, 503), else an exponential
# backoff (RETRY_BACKOFF_BASE * 2^n seconds, at most RETRY_BACKOFF_MAX).
# A redirect loop fails the request (recorded) instead of vanishing in the duplicate
# filter; a UTF-8 body behind a Latin-1 header is read as UTF-8.
# robots.txt: kept in the database and reused for NEWSCRAWL_ROBOTSTXT_MAX_AGE seconds (robots.py).
# A request to another host is recorded in errors, not dropped; a blog that moved host is followed.
# A <meta http-equiv=refresh> is looked for in the page's head without decoding the whole page.
# Scrapy's HTTP/1.1 handler, closed without its race (download_handlers.py).
DOWNLOAD_HANDLERS = {
    "http": "newscrawl.download_handlers.HTTP11DownloadHandler",
    "https": "newscrawl.download_handlers.HTTP11DownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.blogs.ServerSlotMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawl.middlewares.BlogOffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.robots.StoredRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.middlewares.LoopSafeRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.middlewares.HeadMetaRefreshMiddleware": 580,
    "newscrawl.middlewares.CharsetRepairMiddleware": 950,
}
RETRY_BACKOFF_BASE = 1.0
# The failure itself is logged once, as an error, when the URL is recorded (failures.py).
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
RETRY_BACKOFF_MAX = 60.0
# A Retry-After longer than this gives the URL up for this crawl (recorded in errors,
# fetched again by the next crawl).
NEWSCRAWL_MAX_RETRY_AFTER = 300
# Every request gets an errback that records its failure; failed URLs are fetched again
# by the next crawl (failures.py).
SPIDER_MIDDLEWARES = {
    "newscrawl.failures.FailureTrackingMiddleware": 50,
    # next to the spider: a page's items go on as one batch (batching.py)
    "newscrawl.batching.ItemBatchMiddleware": 950,
}
# Scrapy starts CONCURRENT_ITEMS tasks (default 100) for every response as its callback begins,
# and a callback waiting for the page-parsing pool keeps them waiting: with about 100 pages
# waiting there, 10,000 tasks, some 10 MB (bench figure 1b).  A page's items arrive as one batch
# (above), so its outputs are mostly requests; a page of up to 2 x 32 outputs still hands them all
# to the scheduler at once, in page order, as with 100 (fewer made crawl order change: archive
# pages were fetched before the posts they list).
CONCURRENT_ITEMS = 32

TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control runs Python code sent to a localhost endpoint, one per crawler (a run of
# 1,000 blogs would open 1,000): off, like the telnet console.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
