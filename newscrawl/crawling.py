"""Running crawls from Python (the CLI, the demo, the benchmarks): one Scrapy process per core,
each running one crawler for many blogs (``blogs.py``), all writing to one database.

A run holds the database's crawl lock (``locking.py``) from start to end, has at most
``NEWSCRAWL_CONCURRENT_BLOGS`` blogs open at a time in each process, and afterwards notes on each
tracked blog (``tracked_blogs``) when and how its crawl ended."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sqlite3
import sys
import uuid
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings, SettingsAttribute

from .blogs import BlogToCrawl, SharedBlogs, TrackedBlogsSpider
from .locking import CrawlLock
from .parsing import for_crawl_processes
from .progress import CrawlProgress
from .spiders import spider_classes
from .spiders.base import BlogSpider, normalize_blog_url
from .pipelines import STORAGE_FAILED
from .storage import CRAWLS_OF_RUN, Store, StorageError, close_shared_stores
from .tracking import TrackingError, check_blog_url, crawl_outcome, record_crawls, resolve_platform

logger = logging.getLogger(__name__)

# Allocations between two runs of the cyclic garbage collector during a crawl (Python's default: 700).
GC_THRESHOLD = 50_000

# A crawl process's exit code when the database could not be written.
EXIT_RUN_FAILED = 3


# platform -> spider: every BlogSpider in newscrawl.spiders (as `scrapy list` finds them)
SPIDERS: dict[str, type[BlogSpider]] = {spider.platform: spider for spider in spider_classes()}


class CrawlFailed(Exception):
    """A crawl could not start (bad database path, bad arguments)."""


class CrawlSettings(Settings):
    """Scrapy's settings with a cheaper ``copy()``. Scrapy copies the settings for every crawler,
    one per blog, with ``copy.deepcopy``: 11 ms a blog, the largest single cost of re-crawling an
    unchanged blog. This copy gives every setting, and every container a setting holds, its own
    object one level down (component dicts are settings objects themselves and are copied the same
    way), which is all that a crawler's ``set``/``update`` can change."""

    def copy(self) -> "CrawlSettings":
        return _copy_settings(self)


def _copy_settings(settings: BaseSettings) -> Any:
    new = object.__new__(type(settings))
    new.__dict__.update(settings.__dict__)
    new.attributes = {name: _copy_attribute(attribute) for name, attribute in settings.attributes.items()}
    return new


def _copy_attribute(attribute: SettingsAttribute) -> SettingsAttribute:
    new = object.__new__(SettingsAttribute)
    new.__dict__.update(attribute.__dict__)
    value = attribute.value
    if isinstance(value, BaseSettings):
        new.value = _copy_settings(value)
    elif isinstance(value, (dict, list, set)):
        new.value = value.copy()
    return new


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = CrawlSettings()
    settings.setmodule("newscrawl.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def spider_for_url(url: str, platform: str = "auto") -> type[BlogSpider]:
    """The spider for a blog: the platform named, or the one its address or home page
    shows (the same detection as ``newscrawl add``)."""
    try:
        platform = resolve_platform(url, platform)
    except TrackingError as exc:
        raise CrawlFailed(str(exc)) from exc
    if platform not in SPIDERS:
        raise CrawlFailed(f"no spider for platform {platform!r}: use one of {', '.join(SPIDERS)}")
    return SPIDERS[platform]


def spider_arguments(spider: type[BlogSpider], feeds: str, mode: str | None = None) -> dict[str, str]:
    """The ``-a`` arguments of a spider: ``feeds``/``api`` (auto or off) and ``mode``
    (incremental or full; None: the spider's default)."""
    arguments = {spider.machine_sources_argument: feeds}
    if mode is not None:
        arguments["mode"] = mode
    return arguments


@dataclass
class CrawlSummary:
    rows: list[dict[str, Any]] = field(default_factory=list)
    # tracked blogs that were not crawled: (url, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # what failed the run as a whole (the database could not be written, a crawl process died)
    failures: list[str] = field(default_factory=list)
    # blogs handed to another worker after theirs died (a --redis run): (url, why); their crawls rows tell the end
    requeued: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every blog crawled to the end, readable, with no URL that failed."""
        return (bool(self.rows) and not self.skipped and not self.failures
                and all(crawl_outcome(row) == "finished" for row in self.rows))

    def table(self) -> str:
        headers = ["blog", "status", "duration", "requests", "posts new", "posts upd", "comments new", "comments upd",
                   "errors"]
        lines = [
            [row["blog_url"], crawl_outcome(row), format_duration(row.get("started"), row.get("finished")),
             row["requests"], row["posts_new"], row["posts_updated"], row["comments_new"], row["comments_updated"],
             row["errors"]]
            for row in self.rows
        ]
        widths = [max(len(str(v if v is not None else "")) for v in column) for column in zip(headers, *lines)]
        out = ["  ".join(str(v).ljust(w) for v, w in zip(headers, widths)).rstrip()]
        out += ["  ".join(str(v if v is not None else "").ljust(w) for v, w in zip(line, widths)).rstrip()
                for line in lines]
        out += [f"not crawled: {url}: {why}" for url, why in self.skipped]
        out += [f"re-queued: {url}: {why}" for url, why in self.requeued]
        out += [f"failed: {why}" for why in self.failures]
        return "\n".join(out)


def format_duration(started: str | None, finished: str | None) -> str:
    """``12s``, ``4m05s``, ``2h03m``; empty when the crawl has no end (crashed or running)."""
    if not started or not finished:
        return ""
    try:
        seconds = round((datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds())
    except ValueError:
        return ""
    seconds = max(seconds, 0)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def run_crawls(
    urls: list[str],
    db_path: str,
    feeds: str = "auto",
    settings: dict[str, Any] | None = None,
    platform: str = "auto",
    all_tracked: bool = False,
    mode: str | None = None,
    redis: str | None = None,
    time_limit: float | None = None,
) -> CrawlSummary:
    """Crawl every blog in ``urls`` (and, with ``all_tracked``, every enabled tracked
    blog) into ``db_path``; return the crawls rows of this run.

    Tracked blogs, and blogs the database holds from earlier crawls, are crawled with their
    stored platform, without a detection request; other URLs with ``platform`` (``auto``:
    told from the home page).  URLs not tracked
    are crawled but not added to the tracked list.  ``feeds="off"`` skips the
    machine-readable sources (Blogger feeds, WordPress REST); ``mode`` is the spiders'
    ``incremental`` (only what changed since the last complete crawl) or ``full``.

    ``redis`` (``redis://HOST:PORT/DB``): the blogs are crawled by ``newscrawl worker`` processes
    on any machine, through Redis (``newscrawl.distributed``); this process writes what comes back,
    waiting at most ``time_limit`` seconds.

    Raises ``locking.LockHeld`` when another run holds the database's lock, and
    ``CrawlFailed`` when the run cannot start."""
    urls = [normalize_blog_url(url) for url in urls]
    lock = CrawlLock(db_path) if str(db_path) != ":memory:" else None
    if lock is not None:
        try:
            lock.acquire()
        except OSError as exc:
            raise CrawlFailed(f"cannot create the lock file {lock.path}: {exc}") from exc
    try:
        if redis is not None:
            from .distributed.coordinator import run_coordinated

            summary, spiders = plan_crawls(urls, db_path, platform, all_tracked)
            if not spiders:
                return summary
            return run_coordinated(summary, spiders, db_path, redis, feeds, settings or {}, mode, time_limit)
        return _run_locked(urls, db_path, feeds, settings or {}, platform, all_tracked, mode)
    finally:
        if lock is not None:
            lock.release()


def _crawl_blogs(numbered: list[tuple[int, str, type[BlogSpider]]], total: int, db_path: str, feeds: str,
                 settings: dict[str, Any], mode: str | None,
                 shared: list[tuple[dict[str, Any], SharedBlogs]] | None = None) -> list[str]:
    """Crawl these blogs in this process: one reactor, one crawler for all the blogs whose spiders
    share settings (``blogs.TrackedBlogsSpider``), ``NEWSCRAWL_CONCURRENT_BLOGS`` of them open at a
    time; or, in a forked crawl process, the blogs it takes from ``shared`` (``numbered`` unused).
    Returns why the run failed as a whole (the database could not be written), if it did."""
    crawl_settings = project_settings({**settings, "NEWSCRAWL_DB": db_path})
    process = CrawlerProcess(crawl_settings)
    failures: list[str] = []
    runs: list[tuple[Any, dict[str, Any]]] = []  # (crawler, its spider's arguments)

    def closed(spider, reason: str) -> None:
        if reason == STORAGE_FAILED:
            # a full disk or a broken database fails every blog alike: no other blog is started
            failures.append(spider.crawler.stats.get_value("newscrawl/failed") or "the database write failed")
            for crawler, _ in runs:
                if isinstance(crawler.spider, TrackedBlogsSpider):
                    crawler.spider.open_no_more()
        elif reason not in ("finished", "shutdown") and isinstance(spider, TrackedBlogsSpider) \
                and spider.blogs_not_started:
            failures.append(f"a crawler stopped before it crawled its {len(spider.blogs)} blog(s): {reason}")

    if crawl_settings.get("JOBDIR"):
        # a paused crawl resumes from its queue on disk, whose requests name methods of the crawler's
        # spider: one blog, crawled by its own spider (_run_locked allows no more)
        (_, url, spider), = numbered
        runs.append((process.create_crawler(spider), {"url": url, **spider_arguments(spider, feeds, mode)}))
    else:
        crawls = ([(custom_settings, {"shared": blogs}) for custom_settings, blogs in shared] if shared is not None
                  else [(custom_settings, {"blogs": blogs})
                        for custom_settings, blogs in spiders_by_settings(numbered, feeds, mode)])
        runs.extend((process.create_crawler(TrackedBlogsSpider.with_settings(custom_settings)),
                     {**blogs, "total": total}) for custom_settings, blogs in crawls)
    for crawler, arguments in runs:
        # a strong reference: pydispatcher's weak one to this nested function crashed CPython 3.11 when the
        # function was freed with the frame after the reactor stopped (PyObject_ClearWeakRefs, SIGSEGV)
        crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)
        process.crawl(crawler, **arguments)
    # A crawl allocates millions of short-lived objects (parsed trees, items) and almost no
    # cycles: the cyclic collector's default threshold ran it often enough to cost ~10% of
    # the CPU (bench/README.md).  Raised for the crawl, restored after.  Safe for memory only
    # while no page's objects are in a cycle: a post's items once were (a closure calling
    # itself in prepare.split_comments), and each waited, with its page's tree, for the
    # collector: 445 MB peak instead of 157 MB on 2,000 posts (tests/test_memory.py keeps it so).
    # What exists before the crawl (modules, classes, settings: ~100,000 objects) lives as long
    # as the process: frozen, a full collection does not walk it again (2 % of a 200-blog crawl's CPU).
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        close_shared_stores()  # the blogs' crawls shared this process's connection (storage.shared_store)
    return failures[:1]


def spiders_by_settings(numbered: list[tuple[int, str, type[BlogSpider]]], feeds: str,
                        mode: str | None) -> list[tuple[dict[str, Any], list[BlogToCrawl]]]:
    """The blogs grouped by their spiders' ``custom_settings`` (Substack's fewer requests per host):
    one crawler runs each group, in run order."""
    groups: dict[str, tuple[dict[str, Any], list[BlogToCrawl]]] = {}
    for number, url, spider in numbered:
        custom = dict(spider.custom_settings or {})
        key = repr(sorted(custom.items()))
        groups.setdefault(key, (custom, []))[1].append(
            BlogToCrawl(number, url, spider, spider_arguments(spider, feeds, mode)))
    return list(groups.values())


def _crawl_blogs_alone(*arguments: Any) -> None:
    """A forked crawl process: in a process group of its own, so that a terminal's Ctrl-C reaches it
    once, forwarded by the parent, and not twice (twice is Scrapy's "stop at once")."""
    os.setpgid(0, 0)
    failures = _crawl_blogs(*arguments)
    if failures:
        sys.exit(EXIT_RUN_FAILED)


def server_of(url: str) -> str:
    """The server a blog lives on, for politeness: its host and port."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or parts.scheme}"


def share_by_server(numbered: list[tuple[int, str, type[BlogSpider]]], feeds: str, mode: str | None,
                    context: Any) -> list[tuple[dict[str, Any], SharedBlogs]]:
    """The blogs of each settings group (``spiders_by_settings``) as forked crawl processes share
    them: the blogs of one server together (one process, one download slot: ``blogs.ServerSlotMiddleware``),
    the servers with the most blogs first, then in run order."""
    shared = []
    for custom_settings, blogs in spiders_by_settings(numbered, feeds, mode):
        servers: dict[str, list[BlogToCrawl]] = defaultdict(list)
        for blog in blogs:
            servers[server_of(blog.url)].append(blog)
        groups = sorted(servers.values(), key=lambda group: (-len(group), group[0].number))
        shared.append((custom_settings, SharedBlogs(groups, context)))
    return shared


def run_forked(children: list[multiprocessing.process.BaseProcess]) -> None:
    """Start these forked processes and wait for them all.  Ctrl-C or SIGTERM (systemd, a user's
    kill) reaches this process only: each child gets it once, forwarded, and stops as a single
    process does (each is in a process group of its own, so a terminal's Ctrl-C is not sent twice)."""
    def forward(signum, frame) -> None:
        for child in children:
            if child.pid and child.is_alive():
                os.kill(child.pid, signum)

    previous = {number: signal.signal(number, forward) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in children:
            child.start()
        for child in children:
            child.join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _crawl_in_processes(numbered: list[tuple[int, str, type[BlogSpider]]], processes: int, db_path: str,
                        feeds: str, settings: dict[str, Any], mode: str | None) -> list[str]:
    """The blogs crawled by ``processes`` forked crawl processes (one reactor, one core each), each
    taking the next server's blogs when it has room (``share_by_server``), all writing to the one WAL
    database; this process holds the lock meanwhile.
    Ctrl-C reaches every process of the group: each one stops as a single-process run does.
    Returns what failed the run as a whole: a crawl process that could not write or died."""
    context = multiprocessing.get_context("fork")
    shared = share_by_server(numbered, feeds, mode, context)
    processes = min(processes, sum(len(blogs.groups) for _, blogs in shared))  # a server's blogs go to one
    workers = [context.Process(target=_crawl_blogs_alone, name=f"newscrawl-crawl-{n}",
                               args=([], len(numbered), db_path, feeds, settings, mode, shared))
               for n in range(processes)]

    run_forked(workers)
    # their crawls rows say how far each blog got (a crawl that never finished is marked interrupted)
    return [f"crawl process {worker.name} " + ("could not write the database (see the error above)"
                                               if worker.exitcode == EXIT_RUN_FAILED
                                               else f"ended with exit code {worker.exitcode}")
            for worker in workers if worker.exitcode]


def plan_crawls(urls: list[str], db_path: str, platform: str,
                all_tracked: bool) -> tuple[CrawlSummary, list[tuple[str, type[BlogSpider]]]]:
    """The blogs a run crawls, each with its spider, and a summary noting those it cannot crawl.
    Crawls rows left "running" by a dead process are marked interrupted first (the lock is held)."""
    try:
        store = Store(db_path)
    except (StorageError, OSError) as exc:
        raise CrawlFailed(str(exc)) from exc
    try:
        # holding the lock, a crawl still "running" is one whose process died (kill -9, power loss)
        interrupted = store.close_interrupted_crawls()
        if interrupted:
            logger.warning("%d earlier crawl(s) never finished (the process was killed): marked interrupted",
                           interrupted)
        tracked = {row["url"]: row for row in store.tracked_blogs()}
        # blogs crawled before (tracked or not): their platform is known, no detection request
        known_platforms = {row["url"]: row["platform"] for row in store.db.query(
            "select url, platform from blogs where url is not null and platform is not null")}
        known_platforms.update((url, row["platform"]) for url, row in tracked.items())
    finally:
        store.close()

    targets: dict[str, str] = {}  # url -> platform
    if all_tracked:
        targets.update((row["url"], row["platform"]) for row in tracked.values() if row["enabled"])
    for url in urls:
        if url not in targets:
            known = known_platforms.get(url)
            targets[url] = known if known and platform == "auto" else platform
    summary = CrawlSummary()
    spiders = []
    for url, blog_platform in targets.items():
        if url in tracked:
            try:
                check_blog_url(url)
            except TrackingError as exc:  # a row edited by hand: the other blogs are crawled
                logger.warning("Not crawling %s: %s; stop tracking it with `newscrawl remove`", url, exc)
                summary.skipped.append((url, str(exc)))
                continue
        if url in tracked and blog_platform not in SPIDERS:
            # one tracked blog on a platform this version cannot crawl must not stop the others
            why = f"no spider for platform {blog_platform!r} (newscrawl crawls {', '.join(SPIDERS)})"
            logger.warning("Not crawling %s: %s", url, why)
            summary.skipped.append((url, why))
            continue
        spiders.append((url, spider_for_url(url, blog_platform)))
    return summary, spiders


def _run_locked(urls: list[str], db_path: str, feeds: str, settings: dict[str, Any], platform: str,
                all_tracked: bool, mode: str | None) -> CrawlSummary:
    summary, spiders = plan_crawls(urls, db_path, platform, all_tracked)
    if not spiders:
        return summary

    numbered = [(number, url, spider) for number, (url, spider) in enumerate(spiders, 1)]
    if settings.get("JOBDIR") and len(numbered) > 1:
        raise CrawlFailed(f"JOBDIR keeps the queue of one blog's crawl: name one blog, not {len(numbered)}")
    processes = min(len(numbered), max(1, int(settings.get("NEWSCRAWL_PROCESSES") or 1)))
    # this run's crawls rows carry its id: the summary is this run's, whatever else runs beside it
    run = uuid.uuid4().hex
    settings = for_crawl_processes({**settings, "NEWSCRAWL_RUN_ID": run}, processes)
    with CrawlProgress(db_path, run, len(numbered)) if str(db_path) != ":memory:" else nullcontext():
        if processes == 1:
            summary.failures += _crawl_blogs(numbered, len(numbered), db_path, feeds, settings, mode)
        else:
            summary.failures += _crawl_in_processes(numbered, processes, db_path, feeds, settings, mode)
    try:
        _read_back(summary, db_path, run)
    except (sqlite3.Error, StorageError) as exc:
        summary.failures.append(f"could not record the run in {db_path}: {exc}")
    return summary


def _read_back(summary: CrawlSummary, db_path: str, run: str) -> None:
    """The crawls rows of this run into the summary, and each tracked blog's last crawl."""
    store = Store(db_path)
    try:
        # a crawl of this run left "running" is one whose process died
        store.close_interrupted_crawls(run)
        summary.rows = list(store.db.query(CRAWLS_OF_RUN + " order by c.id", [run]))
        record_crawls(store, summary.rows)
    finally:
        store.close()
