"""``newscrawl worker``: takes jobs (one blog each) from Redis, crawls them with the newscrawl
spiders and sends rows and outcomes back; it has no database.

Per job, the crawler runs the same spiders, middlewares and ``PreparePipeline`` as a local
crawl; four components differ, all wired by settings:

* ``scrapy_redis.scheduler.Scheduler`` and ``scrapy_redis.dupefilter.RFPDupeFilter`` keep the
  job's requests and seen fingerprints in Redis, under keys named after the job;
* :class:`RedisRowsPipeline` (a ``StoragePipeline``) sends each batch of prepared rows to the
  run's results list instead of writing them;
* :class:`JobRobotsTxtMiddleware` reads robots.txt from the copy the job carries and returns
  what it fetched in the outcome;
* :class:`WorkerBookkeeping` (a ``CrawlBookkeeping``) starts from the job's crawl state and
  hands its outcome to the worker, which sends it.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from scrapy.crawler import Crawler, CrawlerProcess

from ..bookkeeping import CrawlBookkeeping, CrawlBooks, CrawlOutcome, CrawlState
from ..crawling import SPIDERS, project_settings, run_forked
from ..parsing import for_crawl_processes
from ..dates import utc_now
from ..pipelines import StoragePipeline
from ..prepare import Rows
from ..robots import StoredRobotsTxtMiddleware
from ..spiders.base import BlogSpider
from .queue import DEFAULT_HEARTBEAT_TTL, Job, JobQueue, Keys, connect, default_worker_id

logger = logging.getLogger(__name__)

# How often an idle worker asks for a job (seconds).
POLL_SECONDS = 0.25
# Jobs of busy servers a worker puts back per poll before it waits for the next one.
MAX_PUT_BACK = 20

# Settings a job may not override on a worker: they belong to the machine, not the crawl.
MACHINE_SETTINGS = frozenset({"LOG_LEVEL", "LOG_FILE", "NEWSCRAWL_DB", "NEWSCRAWL_PROCESSES",
                              "NEWSCRAWL_CONCURRENT_BLOGS", "TWISTED_REACTOR", "REDIS_URL"})


@dataclass
class JobContext:
    """One job as its crawler's components see it (the ``NEWSCRAWL_JOB`` setting of that crawler)."""

    job: Job
    payload: str
    worker: "Worker"
    state: CrawlState
    robots_fetched: list[dict[str, Any]] = field(default_factory=list)
    delivered: bool = False
    cancelled: bool = False
    crawler: Crawler | None = None

    # -- the robots.txt cache, as robots.py's Store calls it -----------------------------

    def robots_txt(self, url: str) -> dict[str, Any] | None:
        return self.state.robots.get(url)

    def save_robots_txt(self, url: str, status: int, body: str) -> None:
        row = {"url": url, "status": status, "body": body, "fetched": utc_now()}
        self.state.robots[url] = row
        self.robots_fetched.append(row)

    # -- identities, as pipelines.py's Store calls it ------------------------------------

    def tracked_elsewhere(self, blog_id: str, url: str) -> str | None:
        return self.worker.queue.tracked_elsewhere(self.job.run, blog_id, url)

    def push_rows(self, blogs: list[dict], rows: Rows, touch_seen: bool) -> None:
        message = {"t": "rows", "job": self.job.id, "attempt": self.job.attempt, "touch_seen": touch_seen,
                   "blogs": blogs, "posts": rows.posts, "comments": rows.comments, "links": rows.links}
        self.worker.queue.push_result(self.job.run, json.dumps(message, separators=(",", ":"), default=str))

    def close(self) -> None:
        """Nothing: the store's close, which ``StoragePipeline`` calls as the crawl ends (the worker
        owns the Redis connection)."""


def job_of(crawler) -> JobContext:
    context = crawler.settings.get("NEWSCRAWL_JOB")
    if not isinstance(context, JobContext):
        raise RuntimeError("a worker component runs only in a crawler started by `newscrawl worker`")
    return context


class RedisRowsPipeline(StoragePipeline):
    """``StoragePipeline``'s batches, its blog-row merging and its identity check, with the batch sent
    to the run's results list (one message per batch, never per row) instead of written; the
    coordinator writes it with ``Store.write_rows`` and counts what was new."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.job = job_of(crawler)
        self.db_path = f"Redis at {self.job.worker.redis_url}"  # what a failure message names

    def open_store(self) -> "JobContext":
        # the identity check asks the store; here the job answers from the run's published identities
        return self.job

    write_errors = (redis.RedisError,)

    def write_batch(self, blogs: list[dict], rows: Rows, blog: Any) -> None:
        # the coordinator writes it and counts what was new
        self.job.push_rows(blogs, rows, self.touches_seen(blog))


class JobRobotsTxtMiddleware(StoredRobotsTxtMiddleware):
    """robots.txt from the copy the job carries (fresh for ``NEWSCRAWL_ROBOTSTXT_MAX_AGE``, as
    locally); a fetched one goes back in the outcome, and the coordinator stores it."""

    def _with_store(self, action) -> Any:
        return action(job_of(self.crawler))


class WorkerBookkeeping(CrawlBookkeeping):
    """The crawl starts from the state in its job; its outcome goes to the worker, not a database."""

    def load_state(self, spider: BlogSpider, books: CrawlBooks) -> CrawlState:
        self.job = job_of(self.crawler)
        books.started = utc_now()
        logger.info("Job %s (attempt %d): %s", self.job.job.id, self.job.job.attempt, spider.start_url)
        return self.job.state

    def save_outcome(self, spider: BlogSpider, outcome: CrawlOutcome, books: CrawlBooks) -> None:
        outcome.started = books.started
        outcome.robots = list(self.job.robots_fetched)
        self.job.worker.deliver(self.job, outcome)


def worker_settings(redis_url: str, overrides: dict[str, Any]) -> Any:
    """The project's settings with the worker's components in place of the database's."""
    settings = project_settings({**overrides, "NEWSCRAWL_DB": "", "REDIS_URL": redis_url})

    def replace(name: str, old: str, new: str, order: int) -> None:
        components = dict(settings.getdict(name))
        components[old] = None
        components[new] = order
        settings.set(name, components, priority="cmdline")

    replace("ITEM_PIPELINES", "newscrawl.pipelines.StoragePipeline", "newscrawl.distributed.worker.RedisRowsPipeline",
            900)
    replace("EXTENSIONS", "newscrawl.bookkeeping.CrawlBookkeeping", "newscrawl.distributed.worker.WorkerBookkeeping",
            500)
    replace("DOWNLOADER_MIDDLEWARES", "newscrawl.robots.StoredRobotsTxtMiddleware",
            "newscrawl.distributed.worker.JobRobotsTxtMiddleware", 100)
    settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    # the job's keys are deleted when it ends (and by the coordinator when it is handed out again)
    settings.set("SCHEDULER_PERSIST", False, priority="cmdline")
    return settings


class _WorkerProcess(CrawlerProcess):
    """Scrapy's process; Ctrl-C or SIGTERM stops the worker taking jobs before the crawls stop."""

    worker: "Worker"

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.worker.stopping = True
        super()._signal_shutdown(signum, frame)


class Worker:
    """One worker: one reactor, up to ``NEWSCRAWL_CONCURRENT_BLOGS`` jobs at a time."""

    def __init__(self, redis_url: str, prefix: str, overrides: dict[str, Any], exit_when_idle: bool = False,
                 idle_timeout: float = 10.0, worker_id: str | None = None) -> None:
        self.redis_url = redis_url
        self.keys = Keys(prefix)
        self.queue = JobQueue(connect(redis_url), self.keys)
        self.id = worker_id or default_worker_id()
        self.overrides = overrides
        self.exit_when_idle = exit_when_idle
        self.idle_timeout = idle_timeout
        self.settings = worker_settings(redis_url, overrides)
        self.concurrent = max(1, self.settings.getint("NEWSCRAWL_CONCURRENT_BLOGS", 8))
        self.ttl = self.settings.getfloat("NEWSCRAWL_HEARTBEAT_TTL", DEFAULT_HEARTBEAT_TTL)
        self.running: dict[str, JobContext] = {}
        self.stopping = False
        self.idle_since = time.monotonic()
        self.done = 0

    def run(self) -> int:
        self.spiders = SPIDERS
        process = _WorkerProcess(self.settings)
        process.worker = self
        self.process = process
        # the reactor Scrapy's settings ask for, installed before this module touches one (importing
        # twisted.internet.reactor first would install the default one, which Scrapy then refuses)
        from scrapy.utils.reactor import install_reactor

        install_reactor(self.settings["TWISTED_REACTOR"], self.settings["ASYNCIO_EVENT_LOOP"])
        from twisted.internet import reactor, task

        self.queue.register(self.id, self.ttl)
        logger.warning("newscrawl worker %s: taking jobs from %s (prefix %s), %d blogs at a time", self.id,
                       self.redis_url, self.keys.prefix, self.concurrent)
        poll = task.LoopingCall(self.poll)
        beat = task.LoopingCall(self.beat)
        reactor.callWhenRunning(poll.start, POLL_SECONDS)
        reactor.callWhenRunning(beat.start, max(0.2, self.ttl / 3), False)
        process.start(stop_after_crawl=False)
        # stopped: whatever still runs was put back by its crawl's close; the heartbeat goes now, so
        # that nobody waits for it to expire
        try:
            self.queue.client.delete(self.keys.heartbeat(self.id))
            if not self.queue.client.llen(self.keys.processing(self.id)):
                self.queue.client.srem(self.keys.workers, self.id)
        except redis.RedisError:
            pass
        logger.warning("newscrawl worker %s: stopped after %d job(s)", self.id, self.done)
        return 0

    # -- the loop ------------------------------------------------------------------------

    def poll(self) -> None:
        if self.stopping:
            return
        try:
            self._take_jobs()
        except redis.RedisError as exc:  # Redis restarting: the next poll tries again
            logger.error("Redis at %s: %s; retrying", self.redis_url, exc)
            return
        if self.running:
            self.idle_since = time.monotonic()
        elif self.exit_when_idle and time.monotonic() - self.idle_since >= self.idle_timeout:
            logger.warning("newscrawl worker %s: no job for %.0fs: exiting (--exit-when-idle)", self.id,
                           self.idle_timeout)
            self.stopping = True
            from twisted.internet import reactor

            reactor.stop()

    def _take_jobs(self) -> None:
        put_back = 0
        while len(self.running) < self.concurrent and put_back < MAX_PUT_BACK and not self.stopping:
            taken = self.queue.take(self.id)
            if taken is None:
                return
            job, payload = taken
            if self.queue.expired(job):
                logger.warning("Job %s (%s): its run is over (given up or past its deadline): dropped", job.id, job.url)
                self.queue.drop(self.id, payload)
                continue
            if not self.queue.lock_server(self.id, job, self.ttl):
                # another worker crawls a blog of this server: this one waits its turn in the queue
                self.queue.put_back(self.id, payload)
                put_back += 1
                continue
            self.idle_since = time.monotonic()
            self.start(job, payload)

    def start(self, job: Job, payload: str) -> None:
        spider = self.spiders.get(job.platform)
        context = JobContext(job=job, payload=payload, worker=self, state=CrawlState.from_dict(job.state))
        self.running[job.id] = context
        if spider is None:
            self._not_started(context, f"no spider for platform {job.platform!r} on this worker")
            return
        settings = self.settings.copy()
        # the job's own settings (the coordinator's -s) win over the worker's, its machine settings excepted
        for name, value in job.settings.items():
            if name not in MACHINE_SETTINGS:
                settings.set(name, value, priority=50)
        settings.set("SCHEDULER_QUEUE_KEY", self.keys.requests(job.id), priority=50)
        settings.set("SCHEDULER_DUPEFILTER_KEY", self.keys.dupefilter(job.id), priority=50)
        settings.set("NEWSCRAWL_JOB", context, priority=50)
        settings.set("NEWSCRAWL_RUN_ID", job.run, priority=50)
        arguments = {spider.machine_sources_argument: job.feeds}
        if job.mode is not None:
            arguments["mode"] = job.mode
        try:
            crawler = Crawler(spider, settings)
            context.crawler = crawler
            deferred = self.process.crawl(crawler, url=job.url, **arguments)
        except Exception as exc:  # noqa: BLE001 - a crawler that cannot be built fails this job only
            self._not_started(context, f"the crawl could not start: {type(exc).__name__}: {exc}")
            return
        deferred.addErrback(lambda failure: self._not_started(
            context, f"the crawl could not start: {failure.type.__name__}: {failure.value}"))
        deferred.addBoth(lambda _: self._ended(context))

    def _not_started(self, context: JobContext, why: str) -> None:
        """A crawl that never opened (its spider refused the arguments): a failed outcome all the same."""
        if context.delivered:
            return
        logger.error("Job %s (%s): %s", context.job.id, context.job.url, why)
        outcome = CrawlOutcome(spider=context.job.platform, url=context.job.url, mode=context.job.mode or "",
                               reason="failed", complete=False, blog_id=None, stats={"newscrawl/failed": why},
                               started=utc_now(), finished=utc_now())
        self.deliver(context, outcome)
        self._ended(context)

    def _ended(self, context: JobContext) -> None:
        self.running.pop(context.job.id, None)
        # the freed slot takes the next job now, not at the next poll
        from twisted.internet import reactor

        if not self.stopping:
            reactor.callLater(0, self.poll)

    def deliver(self, context: JobContext, outcome: CrawlOutcome) -> None:
        """A crawl closed: its outcome to the coordinator, or, stopped by a shutdown, the job back in the
        queue to start over elsewhere (an outcome of half a crawl would move nothing, but neither
        would it finish the blog)."""
        if context.delivered:
            return
        context.delivered = True
        job = context.job
        try:
            self.queue.forget(job, self.id)
            if context.cancelled:
                self.queue.drop(self.id, context.payload)
            elif outcome.reason == "shutdown":
                logger.warning("Job %s (%s) stopped unfinished: back in the queue", job.id, job.url)
                self.queue.put_back(self.id, context.payload)
            else:
                message = {"t": "outcome", "job": job.id, "attempt": job.attempt, "worker": self.id,
                           "outcome": outcome.to_dict()}
                self.queue.finish(self.id, job, context.payload, json.dumps(message, default=str))
                self.done += 1
        except redis.RedisError as exc:
            # the job stays on this worker's list: once the heartbeat lapses, the coordinator hands it on
            logger.error("Could not send the outcome of %s to Redis: %s", job.url, exc)

    def beat(self) -> None:
        try:
            self.queue.beat(self.id, self.ttl, [context.job for context in self.running.values()])
            cancelled = self.queue.cancelled({context.job.run for context in self.running.values()})
        except redis.RedisError as exc:
            logger.error("Redis at %s: %s (heartbeat)", self.redis_url, exc)
            return
        for context in list(self.running.values()):
            if context.job.run in cancelled and not context.cancelled and context.crawler is not None:
                logger.warning("Job %s (%s): its run was given up by the coordinator: stopping it",
                               context.job.id, context.job.url)
                context.cancelled = True
                context.crawler.stop()


def run_workers(redis_url: str, prefix: str, overrides: dict[str, Any], processes: int = 1,
                exit_when_idle: bool = False, idle_timeout: float = 10.0) -> int:
    """Run one worker in this process, or ``processes`` forked ones (one reactor, one core each);
    returns the exit code."""
    if processes <= 1:
        return Worker(redis_url, prefix, overrides, exit_when_idle, idle_timeout).run()
    overrides = for_crawl_processes(overrides, processes)
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_worker_alone, name=f"newscrawl-worker-{n}",
                                args=(redis_url, prefix, overrides, exit_when_idle, idle_timeout))
                for n in range(processes)]
    run_forked(children)  # each worker gets Ctrl-C / SIGTERM once and stops as a single worker does
    return max((child.exitcode or 0) for child in children) and 1


def _worker_alone(*arguments: Any) -> None:
    os.setpgid(0, 0)  # Ctrl-C reaches it once, forwarded by the parent
    sys.exit(Worker(*arguments).run())
