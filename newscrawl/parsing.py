"""Page parsing on the machine's other cores.

A Blogger post page with 20 comments costs about 15 ms of parsing, and Scrapy about 4 ms to fetch
it: parsed in the callback, on the reactor's thread, one core does both while the other idles
(issue 19, bench figure 1).  Parsers are pure functions (page text in, items out), so they run
as well in another process: :func:`parse_page` sends the page to a process pool and the callback
awaits the result while the reactor goes on fetching, parsing results and storing rows.  The pages
sent are Blogger's and WordPress's HTML pages, Blogger's feed pages and WordPress's REST pages: the
ones a big blog's backfill has by the hundred.

``NEWSCRAWL_PARSE_PROCESSES`` sets the pool's processes (0: every page is parsed in the callback,
as before); the default is one fewer than the number of CPUs.  ``newscrawl crawl`` sets it to 0
when it runs more than one crawl process (``--processes``): those already use the cores.

One pool per crawl process, shared by its crawlers, started once the process has parsed
``NEWSCRAWL_PARSE_POOL_AFTER_PAGES`` pages (default :data:`POOL_AFTER_PAGES`) in the callback: a worker costs about 0.6 s of start-up
(``spawn``, a fresh interpreter importing the parsers, not a fork of a process running a
reactor and threads), which a crawl of a few pages would never earn back.  A parser's exception
comes back as the same exception (the page is recorded unreadable, as before: an exception class
that takes other arguments than its message says how it pickles, like ``RestError``); a pool that
broke (a worker killed) is dropped, logged and counted, and the page parsed in the callback.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, TypeVar

from scrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed
from w3lib.encoding import html_to_unicode

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Pages a process parses in its callbacks before it starts the pool (see the module docstring).
POOL_AFTER_PAGES = 50


def default_parse_processes() -> int:
    """One fewer than the CPUs: the crawl process keeps one busy itself (Scrapy, the pipelines,
    storage).  On two cores a second parsing process made an HTML backfill 13% faster (25.0 s
    against 28.6 s for 2,000 posts) and a feeds backfill no faster, for about 85 MB more."""
    return max(0, (os.cpu_count() or 1) - 1)


def for_crawl_processes(settings: dict[str, Any], processes: int) -> dict[str, Any]:
    """``settings`` for each of ``processes`` crawl processes on one machine: with several, they use
    the cores, and pages are parsed in them rather than in a pool of each (unless
    ``NEWSCRAWL_PARSE_PROCESSES`` is set)."""
    return {"NEWSCRAWL_PARSE_PROCESSES": 0, **settings} if processes > 1 else settings


class _Pool:
    """The process's pool, made on demand."""

    def __init__(self) -> None:
        self.executor: ProcessPoolExecutor | None = None
        self.size = 0
        self.parsed_here = 0
        self.broken = False  # a pool broke once: this process parses in its callbacks from then on

    def executor_for(self, size: int, after_pages: int) -> ProcessPoolExecutor | None:
        if size <= 0 or self.broken:
            return None
        if self.executor is None:
            if self.parsed_here < after_pages:
                self.parsed_here += 1
                return None
            self.executor = ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=_start_worker)
            self.size = size
            logger.info("Parsing pages in %d processes", size)
        return self.executor

    def discard(self, executor: ProcessPoolExecutor) -> None:
        self.broken = True
        if self.executor is executor:
            self.executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def _start_worker() -> None:
    """A parsing process starts: it follows its crawl process out, and imports the parsers now,
    not with its first page."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        # a crawl process that is killed (kill -9, the OOM killer) never shuts its pool down, and
        # the workers would wait for pages for ever: each one leaves when its parent is gone
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True,
                         name="newscrawl-parent-watch").start()
    from .platforms import blogger, wordpress  # noqa: F401


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _pool_usable() -> bool:
    # the pool's futures are awaited on asyncio's loop: a crawl on Scrapy's asyncio reactor; a
    # callback driven without any reactor (a test, a script) parses in place
    return is_reactor_installed() and is_asyncio_reactor_installed()


def parse_response_text(parser: Callable[..., T], body: bytes, encoding: str, url: str, *args: Any) -> T:
    """``parser(text, url, *args)`` with the text of a response of this body and encoding: what
    Scrapy's ``TextResponse.text`` decodes (``html_to_unicode`` with the response's encoding, a
    byte order mark first), here where the page is parsed."""
    return parser(html_to_unicode(f"charset={encoding}", body)[1], url, *args)


async def parse_page(crawler: Any, parser: Callable[..., T], *args: Any) -> T:
    """``parser(*args)``, in the pool when there is one (``parser`` and its arguments must pickle:
    a module-level function of page text and URL), else here."""
    settings = crawler.settings
    size = settings.getint("NEWSCRAWL_PARSE_PROCESSES", default_parse_processes())
    after_pages = settings.getint("NEWSCRAWL_PARSE_POOL_AFTER_PAGES", POOL_AFTER_PAGES)
    executor = _POOL.executor_for(size, after_pages) if _pool_usable() else None
    if executor is None:
        return parser(*args)
    try:
        result = await asyncio.wrap_future(executor.submit(parser, *args))
    except BrokenProcessPool as exc:
        logger.warning("The page-parsing pool broke (%s): parsing in the crawl process", exc)
        crawler.stats.inc_value("newscrawl/parse_pool/broken")
        _POOL.discard(executor)
        return parser(*args)
    crawler.stats.inc_value("newscrawl/parse_pool/pages")
    return result
