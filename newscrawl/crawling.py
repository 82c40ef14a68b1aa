"""Running crawls from Python (the CLI, the demo, the benchmarks): one Scrapy process,
one crawler per blog, all writing to one database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from .detect import PLATFORMS, detect_platform
from .spiders.base import BlogSpider, normalize_blog_url
from .spiders.blogger import BloggerSpider
from .spiders.wordpress import WordPressSpider
from .storage import Store, StorageError

SPIDERS: dict[str, type[BlogSpider]] = {"blogger": BloggerSpider, "wordpress": WordPressSpider}


class CrawlFailed(Exception):
    """A crawl could not start (bad database path, bad arguments)."""


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def spider_for_url(url: str, platform: str = "auto") -> type[BlogSpider]:
    """The spider for a blog: the platform named, or the one its home page shows."""
    if platform == "auto":
        detected = detect_platform(url)
        if detected is None:
            raise CrawlFailed(
                f"{url}: cannot tell which platform this blog runs on; name it with --platform ({', '.join(PLATFORMS)})"
            )
        platform = detected
    if platform not in SPIDERS:
        raise CrawlFailed(f"unknown platform {platform!r}: use one of {', '.join(SPIDERS)}")
    return SPIDERS[platform]


def spider_arguments(spider: type[BlogSpider], feeds: str) -> dict[str, str]:
    if spider is WordPressSpider:
        return {"api": feeds}
    return {"feeds": feeds}


@dataclass
class CrawlSummary:
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(row["status"] == "finished" for row in self.rows)

    def table(self) -> str:
        headers = ["blog", "status", "requests", "posts new", "posts upd", "comments new", "comments upd", "errors"]
        lines = [
            [row["blog_url"], row["status"], row["requests"], row["posts_new"], row["posts_updated"],
             row["comments_new"], row["comments_updated"], row["errors"]]
            for row in self.rows
        ]
        widths = [max(len(str(v)) for v in column) for column in zip(headers, *lines)]
        out = ["  ".join(str(v).ljust(w) for v, w in zip(headers, widths))]
        out += ["  ".join(str(v if v is not None else "").ljust(w) for v, w in zip(line, widths)) for line in lines]
        return "\n".join(out)


def run_crawls(
    urls: list[str],
    db_path: str,
    feeds: str = "auto",
    settings: dict[str, Any] | None = None,
    platform: str = "auto",
) -> CrawlSummary:
    """Crawl every blog in ``urls`` into ``db_path``; return the crawls rows of this run.

    ``feeds="off"`` skips the machine-readable sources (Blogger feeds, WordPress REST)."""
    urls = [normalize_blog_url(url) for url in urls]
    try:
        store = Store(db_path)
    except (StorageError, OSError) as exc:
        raise CrawlFailed(str(exc)) from exc
    last_id = store.db.execute("select coalesce(max(id), 0) from crawls").fetchone()[0]
    store.close()
    spiders = [(url, spider_for_url(url, platform)) for url in urls]

    process = CrawlerProcess(project_settings({**(settings or {}), "NEWSCRAWL_DB": db_path}))
    for url, spider in spiders:
        process.crawl(spider, url=url, **spider_arguments(spider, feeds))
    process.start()

    store = Store(db_path)
    try:
        rows = list(store.db.query("select * from crawls where id > ? order by id", [last_id]))
    finally:
        store.close()
    return CrawlSummary(rows)
