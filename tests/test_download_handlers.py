"""first_of: the connection pool's close and its timeout settle the handler's close once, in either order."""

from __future__ import annotations

from twisted.internet.defer import Deferred
from twisted.internet.task import Clock
from twisted.python.failure import Failure

from newscrawl.download_handlers import first_of


def _fired(deferred: Deferred) -> list:
    results: list = []
    deferred.addBoth(results.append)
    return results


def test_the_pool_closing_first_ends_it_and_the_timer_later_does_nothing():
    clock, closing = Clock(), Deferred()
    done = _fired(first_of(closing, 1, clock))
    clock.advance(0.999)
    closing.callback(None)
    assert done == [None] and not clock.getDelayedCalls()
    clock.advance(5)  # Scrapy's own timer fired the pool's Deferred a second time here
    assert done == [None]


def test_the_timer_first_ends_it_and_the_pool_closing_later_does_nothing():
    clock, closing = Clock(), Deferred()
    done = _fired(first_of(closing, 1, clock))
    clock.advance(1)
    assert done == [None]
    closing.errback(Failure(ConnectionError("closed late")))  # a late failure is not left unhandled
    assert done == [None]
    assert _fired(closing) == [None]


def test_a_pool_already_closed_ends_it_at_once():
    clock, closing = Clock(), Deferred()
    closing.callback(None)
    assert _fired(first_of(closing, 1, clock)) == [None] and not clock.getDelayedCalls()
