"""Failure bookkeeping without a crawl: how failures are described, the errors table,
Retry-After parsing and the CLI's exit codes for bad arguments."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from newscrawl.cli import cli
from newscrawl.failures import MAX_ATTEMPTS, FailureLog, describe_failure
from newscrawl.middlewares import retry_after_seconds
from newscrawl.storage import Store


def _failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        return Failure()


@pytest.mark.parametrize("exc, expected", [
    (HttpError(Response("http://x/", status=503), "Ignoring non-200 response"), (503, "HTTP 503")),
    (IgnoreRequest("Forbidden by robots.txt"), (None, "forbidden by robots.txt")),
    (IgnoreRequest("max redirections reached"), (None, "redirect loop (max redirections reached)")),
    (ResponseFailed([_failure(ConnectionLost("gone"))]), (None, "connection lost (ConnectionLost)")),
])
def test_failures_are_described_for_people(exc, expected):
    assert describe_failure(_failure(exc)) == expected


def test_timeouts_and_dropped_requests():
    status, reason = describe_failure(_failure(TwistedTimeoutError("took longer than 3 seconds")))
    assert status is None and reason.startswith("timeout")
    # a request dropped on purpose (offsite, duplicate) is not a failure
    assert describe_failure(_failure(IgnoreRequest("Filtered offsite request"))) is None


@pytest.mark.parametrize("header, expected", [("120", 120.0), (b" 5 ", 5.0), ("soon", None), (None, None)])
def test_retry_after_in_seconds(header, expected):
    assert retry_after_seconds(header) == expected


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0


def test_a_url_failing_crawl_after_crawl_stops_holding_the_marks_back():
    log = FailureLog()
    log.expect_retries([{"url": "http://x/a", "attempts": MAX_ATTEMPTS - 2}, {"url": "http://x/b",
                                                                             "attempts": MAX_ATTEMPTS - 1}])
    assert log.record("http://x/a", 500, "HTTP 500") is True
    assert log.record("http://x/b", 500, "HTTP 500") is False
    assert log.record("http://x/new", None, "timeout") is True
    log.note_read("http://x/a")
    log.note_read("http://x/unrelated")
    assert log.resolved() == []  # a/b failed again in this crawl


def test_errors_table_counts_attempts_and_keeps_resolved_rows(tmp_path):
    store = Store(tmp_path / "e.db")
    try:
        failure = {"url": "http://x/p.html", "status": 500, "reason": "HTTP 500", "callback": "parse_post_page"}
        store.record_errors("http://x/", 1, [failure])
        store.record_errors("http://x/", 2, [failure])
        [row] = store.unresolved_errors("http://x/")
        assert (row["attempts"], row["crawl_id"], row["callback"]) == (2, 2, "parse_post_page")
        assert row["first_failed"] <= row["last_failed"]
        assert store.resolve_errors(["http://x/p.html"]) == 1
        assert store.unresolved_errors("http://x/") == []
        assert store.count("errors") == 1  # kept as history
        # failing again after being resolved starts a new count
        store.record_errors("http://x/", 3, [failure])
        assert store.unresolved_errors("http://x/")[0]["attempts"] == 1
    finally:
        store.close()


@pytest.mark.parametrize("args", [
    ["crawl", "not a url"],
    ["crawl", "ftp://example.org/"],
    ["crawl", "https://example.blogspot.com/", "--platform", "tumblr"],
    ["crawl", "https://example.blogspot.com/", "--platform", "blogger", "--db", "/proc/no-such-dir/x.db"],
])
def test_bad_arguments_exit_2_with_a_clear_message(args, tmp_path):
    if "--db" not in args:
        args = [*args, "--db", str(tmp_path / "x.db")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Error" in result.output and "Traceback" not in result.output
