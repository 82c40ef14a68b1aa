"""Scrapy's HTTP/1.1 download handler, closed without a race.

When a crawl ends, Scrapy's ``HTTP11DownloadHandler.close`` closes the connection pool and, because
that can hang (twisted#7738), fires the pool's own Deferred from a timer after one second.  When the
pool finishes at about that second, both fire the same Deferred: ``AlreadyCalledError``, logged by
Twisted as CRITICAL "while handling timed call".  A worker that runs one crawl after another on a
busy machine met it (tests/test_distributed_platforms.py failed on it twice in CI).  Here the pool's
Deferred and the timer each settle a Deferred of their own, whichever comes first
(:func:`first_of`)."""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler as ScrapyHTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IReactorTime


def first_of(closing: Deferred, timeout: float, clock: IReactorTime) -> Deferred:
    """A Deferred fired (with None) once, by ``closing`` or after ``timeout`` seconds, whichever comes
    first.  ``closing``'s result, a failure included, ends here: it comes too late to matter, and
    must not be left unhandled."""
    done: Deferred = Deferred()

    def settle(_result: Any = None) -> None:
        if not done.called:
            done.callback(None)

    timer = clock.callLater(timeout, settle)

    def closed(_result: Any) -> None:
        if timer.active():
            timer.cancel()
        settle()

    closing.addBoth(closed)
    return done


class HTTP11DownloadHandler(ScrapyHTTP11DownloadHandler):
    """Scrapy's handler (``DOWNLOAD_HANDLERS`` for http and https), with :func:`first_of` in ``close``."""

    async def close(self) -> None:
        from twisted.internet import reactor

        await maybe_deferred_to_future(first_of(self._pool.closeCachedConnections(), self._disconnect_timeout,
                                                reactor))
