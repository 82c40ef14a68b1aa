"""``newscrawl crawl --all --redis URL``: the coordinator, on the machine that holds the database.

It loads each blog's crawl state from the database, enqueues one job per blog, writes the rows
and outcomes that come back through the same storage and bookkeeping as a local crawl, hands
the jobs of dead workers to the others, and returns the run's summary.
"""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from ..bookkeeping import CrawlOutcome, CrawlState
from ..spiders.base import BlogSpider
from ..storage import Store, StorageError
from .queue import DEFAULT_MAX_ATTEMPTS, Job, JobQueue, Keys

logger = logging.getLogger(__name__)

# How long the coordinator waits for results before it looks after the workers again (seconds).
WAIT_SECONDS = 0.5
# Result messages read from Redis at once.
READ_AT_ONCE = 200
# Rows written in one transaction: workers send batches of NEWSCRAWL_BATCH_SIZE; consecutive batches
# of one job are written together up to this many.
WRITE_BATCH = 5000
# With no worker taking a job for this long, say so (once): the run waits for workers to come.
NO_WORKER_WARNING_SECONDS = 60.0
# A finished run's results list is kept this long for late messages (a worker whose job was given up).
RESULTS_TTL_SECONDS = 3600


@dataclass
class _JobRecord:
    job: Job
    done: bool = False
    counts: dict[str, int] = field(default_factory=lambda: {"posts/new": 0, "posts/updated": 0,
                                                            "comments/new": 0, "comments/updated": 0})


@dataclass
class Coordination:
    """What happened to the run's jobs besides their crawls rows: handed out again, given up."""

    requeued: list[tuple[str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rows_written: int = 0
    write_seconds: float = 0.0


class Coordinator:
    """Runs one distributed crawl: ``enqueue`` then ``wait``."""

    def __init__(self, client: redis.Redis, db_path: str, run: str, prefix: str,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, time_limit: float | None = None) -> None:
        self.keys = Keys(prefix)
        self.queue = JobQueue(client, self.keys)
        self.client = client
        self.db_path = db_path
        self.run = run
        self.max_attempts = max_attempts
        self.time_limit = time_limit
        self.jobs: dict[str, _JobRecord] = {}
        self.result = Coordination()
        self.store: Store | None = None

    # -- before -----------------------------------------------------------------------

    def enqueue(self, spiders: list[tuple[str, type[BlogSpider]]], feeds: str, mode: str | None,
                settings: dict[str, Any]) -> None:
        """One job per blog with the state the bookkeeping loads for it, and the tracked blogs'
        identities for the workers' identity check; then the jobs, in one transaction."""
        store = self._open()
        jobs = []
        deadline = time.time() + self.time_limit + 60 if self.time_limit is not None else None
        for number, (url, spider) in enumerate(spiders, 1):
            state = CrawlState.load(store, url, with_robots=True)
            jobs.append(Job(id=f"{self.run[:12]}-{number}", run=self.run, url=url, platform=spider.platform,
                            mode=mode, feeds=feeds, state=state.to_dict(), settings=_shippable(settings),
                            deadline=deadline))
        owners: dict[str, list[str]] = {}
        for row in store.db.query("select blog_id, url from tracked_blogs where blog_id is not null order by added"):
            owners.setdefault(row["blog_id"], []).append(row["url"])
        pipe = self.client.pipeline(transaction=True)
        key = self.keys.identities(self.run)
        for start in range(0, len(owners), 1000):
            chunk = dict(list(owners.items())[start:start + 1000])
            pipe.hset(key, mapping={blog_id: json.dumps(urls) for blog_id, urls in chunk.items()})
        pipe.execute()
        self.jobs = {job.id: _JobRecord(job) for job in jobs}
        self.queue.enqueue(jobs)
        logger.info("Run %s: %d job(s) in %s", self.run, len(jobs), self.keys.jobs)

    # -- while the workers crawl ---------------------------------------------------------

    def wait(self) -> Coordination:
        """Until every job has its outcome (or is given up), or the time limit passes."""
        started = time.monotonic()
        last_look = 0.0
        warned = False
        try:
            while not all(record.done for record in self.jobs.values()):
                if self.time_limit is not None and time.monotonic() - started > self.time_limit:
                    self.give_up(f"not finished within the time limit ({self.time_limit:g}s)")
                    break
                self.read_results()
                if time.monotonic() - last_look >= 1.0:
                    last_look = time.monotonic()
                    self.reap_dead_workers()
                    if not warned and time.monotonic() - started > NO_WORKER_WARNING_SECONDS \
                            and self.client.llen(self.keys.jobs) == sum(not r.done for r in self.jobs.values()) \
                            and not self.client.scard(self.keys.workers):
                        logger.warning("No worker has taken a job in %.0fs: start `newscrawl worker --redis URL`",
                                       NO_WORKER_WARNING_SECONDS)
                        warned = True
        except (sqlite3.Error, StorageError) as exc:
            self.result.failures.append(f"cannot write to {self.db_path}: {exc}")
            self.give_up("the coordinator could not write the database", record=False)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM: the workers stop this run's blogs, each one is reported
            logger.warning("Stopped: the blogs not finished are given up (their marks stay)")
            self.result.failures.append("the coordinator was stopped before every blog finished")
            self.give_up("the coordinator was stopped")
        finally:
            self.client.expire(self.keys.results(self.run), RESULTS_TTL_SECONDS)
            self.client.delete(self.keys.identities(self.run))
            if self.store is not None:
                self.store.close()
                self.store = None
        return self.result

    def read_results(self) -> None:
        """Rows and outcomes, in the order the workers sent them: a job's rows always come before its
        outcome, so a crawls row is written after every row of its crawl."""
        key = self.keys.results(self.run)
        first = self.client.blpop([key], timeout=WAIT_SECONDS)
        if first is None:
            return
        messages = [first[1]] + (self.client.lpop(key, READ_AT_ONCE) or [])
        pending: list[dict[str, Any]] = []
        for payload in messages:
            message = json.loads(payload)
            if message["t"] == "rows":
                if pending and (pending[-1]["job"] != message["job"]
                                or sum(_size(m) for m in pending) + _size(message) > WRITE_BATCH):
                    self.write(pending)
                    pending = []
                pending.append(message)
            else:
                if pending:
                    self.write(pending)
                    pending = []
                self.apply_outcome(message)
        if pending:
            self.write(pending)

    def write(self, messages: list[dict[str, Any]]) -> None:
        """Rows of one job's consecutive batches in one transaction (``Store.write_rows``, as
        ``StoragePipeline``); what was new and updated counts toward that job's crawls row."""
        store = self._open()
        blogs: dict[str, dict] = {}
        posts: list[dict] = []
        comments: list[dict] = []
        links: dict[str, list] = {}
        for message in messages:
            for row in message["blogs"]:
                blogs.setdefault(row["id"], {}).update(row)
            posts.extend(message["posts"])
            comments.extend(message["comments"])
            links.update(message["links"])
        t0 = time.perf_counter()
        counts = store.write_rows(blogs.values(), posts, comments, links, touch_seen=messages[0]["touch_seen"])
        self.result.write_seconds += time.perf_counter() - t0
        self.result.rows_written += len(blogs) + len(posts) + len(comments)
        record = self.jobs.get(messages[0]["job"])
        if record is not None:
            for table in ("posts", "comments"):
                record.counts[f"{table}/new"] += counts.new[table]
                record.counts[f"{table}/updated"] += counts.updated[table]

    def apply_outcome(self, message: dict[str, Any]) -> None:
        """A job's outcome, applied as a local crawl's bookkeeping applies it, with the figures of the
        rows this coordinator wrote for it. An outcome of an attempt already handed on (a worker that
        was only slow) is not applied: its rows are written, its marks do not move."""
        record = self.jobs.get(message["job"])
        if record is None or record.done or record.job.attempt != message["attempt"]:
            logger.info("Ignoring a late outcome of job %s (attempt %s)", message["job"], message["attempt"])
            return
        outcome = CrawlOutcome.from_dict(message["outcome"])
        outcome.stats.update({f"newscrawl/{name}": value for name, value in record.counts.items()})
        self._record(outcome)
        record.done = True

    def _record(self, outcome: CrawlOutcome) -> None:
        store = self._open()
        crawl_id = store.start_crawl(outcome.spider, outcome.url, run=self.run)
        outcome.apply(store, crawl_id, times=True)

    # -- workers that die, and runs given up ---------------------------------------------

    def reap_dead_workers(self) -> None:
        """The jobs of a worker whose heartbeat expired: handed out again from the start (their request
        queue and duplicate filter deleted), or, after ``max_attempts``, reported failed."""
        for worker in self.queue.dead_workers():
            for job in self.queue.take_back(worker, self.run):
                record = self.jobs.get(job.id)
                if record is None or record.done or record.job.attempt != job.attempt:
                    continue
                self.queue.forget(job, worker)
                why = f"worker {worker} stopped answering (attempt {job.attempt})"
                if job.attempt < self.max_attempts:
                    job.attempt += 1
                    record.job = job
                    logger.warning("%s: %s: handed out again", job.url, why)
                    self.result.requeued.append((job.url, why))
                    self.queue.enqueue([job])
                else:
                    logger.error("%s: %s: given up after %d attempts", job.url, why, job.attempt)
                    self._record_failed(record, f"{why}; given up after {job.attempt} attempts")

    def give_up(self, why: str, record: bool = True) -> None:
        """Stop the run: jobs not taken are withdrawn, workers stop those they crawl, and each blog
        without an outcome gets a failed crawls row saying why (its marks do not move)."""
        self.client.set(self.keys.cancelled(self.run), "1", ex=RESULTS_TTL_SECONDS)
        self.queue.withdraw(self.run)
        if not record:
            return
        try:
            self.read_results()  # outcomes that arrived meanwhile
        except redis.RedisError:
            pass
        for job_record in self.jobs.values():
            if not job_record.done:
                self._record_failed(job_record, why)

    def _record_failed(self, record: _JobRecord, why: str) -> None:
        job = record.job
        stats = {"newscrawl/failed": why, **{f"newscrawl/{name}": value for name, value in record.counts.items()}}
        self._record(CrawlOutcome(spider=job.platform, url=job.url, mode=job.mode or "", reason="failed",
                                  complete=False, blog_id=None, stats=stats))
        record.done = True

    def _open(self) -> Store:
        if self.store is None:
            self.store = Store(self.db_path)
        return self.store


def _size(message: dict[str, Any]) -> int:
    return len(message["blogs"]) + len(message["posts"]) + len(message["comments"])


def _shippable(settings: dict[str, Any]) -> dict[str, Any]:
    """The coordinator's -s settings that travel in the jobs (JSON values; none of the run's own)."""
    shipped = {}
    for name, value in settings.items():
        if name.startswith("NEWSCRAWL_RUN") or name in {"NEWSCRAWL_PROCESSES", "LOG_LEVEL", "NEWSCRAWL_DB"}:
            continue
        try:
            json.dumps(value)
        except TypeError:
            continue
        shipped[name] = value
    return shipped


def run_coordinated(summary: Any, spiders: list[tuple[str, type[BlogSpider]]], db_path: str, redis_url: str,
                    feeds: str, settings: dict[str, Any], mode: str | None, time_limit: float | None) -> Any:
    """A distributed run of ``spiders`` (``crawling.run_crawls`` holds the database's lock meanwhile):
    the jobs enqueued, what comes back written, then the run's crawls rows read into ``summary``."""
    from contextlib import nullcontext

    from scrapy.utils.log import configure_logging

    from ..crawling import _read_back, project_settings
    from ..progress import CrawlProgress
    from .queue import DEFAULT_PREFIX, connect, new_run_id

    crawl_settings = project_settings(settings)
    configure_logging(crawl_settings)
    client = connect(redis_url)
    run = new_run_id()
    coordinator = Coordinator(client, db_path, run, crawl_settings.get("NEWSCRAWL_REDIS_PREFIX") or DEFAULT_PREFIX,
                              max_attempts=crawl_settings.getint("NEWSCRAWL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
                              time_limit=time_limit)
    def stop(signum, frame) -> None:
        raise KeyboardInterrupt  # SIGTERM (systemd, kill) stops the run as Ctrl-C does

    previous = signal.signal(signal.SIGTERM, stop)
    with CrawlProgress(db_path, run, len(spiders)) if str(db_path) != ":memory:" else nullcontext():
        try:
            coordinator.enqueue(spiders, feeds, mode, settings)
            result = coordinator.wait()
        except redis.RedisError as exc:
            coordinator.result.failures.append(f"lost Redis at {redis_url}: {exc}")
            result = coordinator.result
        finally:
            signal.signal(signal.SIGTERM, previous)
    summary.failures += result.failures
    summary.requeued += result.requeued
    if result.rows_written:
        logger.info("Coordinator wrote %d rows in %.1fs (%.0f rows/s)", result.rows_written, result.write_seconds,
                    result.rows_written / max(result.write_seconds, 1e-9))
    try:
        _read_back(summary, db_path, run)
    except (sqlite3.Error, StorageError) as exc:
        summary.failures.append(f"could not record the run in {db_path}: {exc}")
    return summary
