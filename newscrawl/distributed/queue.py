"""The Redis side of a distributed crawl: key names, jobs, and the few operations coordinator and
workers perform on them (see the package docstring for the protocol).

Every operation that moves a job between lists, or finishes one, is a single transaction
(MULTI/EXEC): a process killed between two commands never leaves a job in two places or in none.
"""

from __future__ import annotations

import json
import socket
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import redis

DEFAULT_PREFIX = "newscrawl"
# A worker's heartbeat lives this long unless refreshed (every third of it): a worker silent for
# longer is dead, and the coordinator hands its jobs to the others.
DEFAULT_HEARTBEAT_TTL = 30.0
# Times a blog is handed out before the coordinator reports it failed instead of handing it out again.
DEFAULT_MAX_ATTEMPTS = 3

# Deletes a server lock only when this worker still holds it (another may have taken it after its TTL).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
# Extends a server lock only when this worker still holds it.
_REFRESH = ("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) "
            "else return 0 end")


class RedisUnreachable(Exception):
    """Redis cannot be reached at the URL given (or the URL is no Redis URL)."""


def connect(url: str) -> redis.Redis:
    """A client for ``redis://HOST:PORT/DB``, checked with a PING; :class:`RedisUnreachable` with the
    reason otherwise."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, decode_responses=True)
        client.ping()
    except (ValueError, redis.RedisError) as exc:
        raise RedisUnreachable(f"cannot reach Redis at {url}: {exc}") from exc
    return client


def check_prefix(prefix: str) -> str:
    """Key prefixes are formatted into scrapy-redis's ``%(spider)s`` keys: no ``%``, no spaces."""
    if not prefix or any(c in prefix for c in "% \t\r\n{}"):
        raise ValueError(f"bad Redis key prefix {prefix!r}: use letters, digits, ':' , '-' or '_'")
    return prefix


def server_of(url: str) -> str:
    """The server a blog lives on, for politeness: its host and port (as ``crawling.server_of``)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or parts.scheme}"


def default_worker_id() -> str:
    """``host:pid``: unique among live workers, and tells an operator which process it is."""
    import os

    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Job:
    """One blog to crawl in one run: what the worker's spider needs (platform, mode, the state the
    bookkeeping loaded on the coordinator) and which attempt this is."""

    id: str
    run: str
    url: str
    platform: str
    mode: str | None
    feeds: str
    state: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1
    # epoch seconds after which the coordinator no longer waits (its time limit): a job of a coordinator
    # that was killed is dropped by the worker that takes it instead of crawled for nobody
    deadline: float | None = None

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def loads(cls, payload: str) -> "Job":
        return cls(**json.loads(payload))

    @property
    def server(self) -> str:
        return server_of(self.url)


class Keys:
    """Every key of one prefix, in one place."""

    def __init__(self, prefix: str = DEFAULT_PREFIX) -> None:
        self.prefix = check_prefix(prefix)
        self.jobs = f"{prefix}:jobs"  # jobs waiting for a worker
        self.workers = f"{prefix}:workers"  # the ids of workers that took jobs

    def processing(self, worker: str) -> str:
        return f"{self.prefix}:processing:{worker}"  # the jobs a worker holds

    def heartbeat(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}"

    def server_lock(self, server: str) -> str:
        return f"{self.prefix}:server:{server}"

    def requests(self, job_id: str) -> str:
        return f"{self.prefix}:job:{job_id}:requests"  # scrapy-redis SCHEDULER_QUEUE_KEY

    def dupefilter(self, job_id: str) -> str:
        return f"{self.prefix}:job:{job_id}:dupefilter"  # scrapy-redis SCHEDULER_DUPEFILTER_KEY

    def results(self, run: str) -> str:
        return f"{self.prefix}:run:{run}:results"  # rows and outcomes, in the order workers sent them

    def identities(self, run: str) -> str:
        return f"{self.prefix}:run:{run}:identities"  # blog id -> the tracked addresses that stored it (JSON)

    def cancelled(self, run: str) -> str:
        return f"{self.prefix}:run:{run}:cancelled"  # set when the coordinator gave the run up


class JobQueue:
    """The operations on jobs: taking one, putting it back, finishing it, handing a dead worker's on."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.keys = keys

    # -- the coordinator ---------------------------------------------------------------

    def enqueue(self, jobs: list[Job]) -> None:
        pipe = self.client.pipeline(transaction=True)
        for job in jobs:
            pipe.rpush(self.keys.jobs, job.dumps())
        pipe.execute()

    def withdraw(self, run: str) -> int:
        """Jobs of ``run`` no worker took yet: removed (the run was given up)."""
        withdrawn = 0
        for payload in self.client.lrange(self.keys.jobs, 0, -1):
            if Job.loads(payload).run == run:
                withdrawn += self.client.lrem(self.keys.jobs, 1, payload)
        return withdrawn

    def dead_workers(self) -> list[str]:
        """Workers whose heartbeat expired."""
        workers = sorted(self.client.smembers(self.keys.workers))
        if not workers:
            return []
        pipe = self.client.pipeline(transaction=False)
        for worker in workers:
            pipe.exists(self.keys.heartbeat(worker))
        return [worker for worker, alive in zip(workers, pipe.execute()) if not alive]

    def take_back(self, worker: str, run: str) -> list[Job]:
        """The jobs of ``run`` a dead worker held, removed from its list; the worker forgotten once it
        holds nothing (jobs of other runs stay for their own coordinators)."""
        lost = []
        for payload in self.client.lrange(self.keys.processing(worker), 0, -1):
            job = Job.loads(payload)
            if job.run == run and self.client.lrem(self.keys.processing(worker), 1, payload):
                lost.append(job)
        if not self.client.llen(self.keys.processing(worker)):
            self.client.srem(self.keys.workers, worker)
        return lost

    def forget(self, job: Job, worker: str | None = None) -> None:
        """A job's request queue and duplicate filter (scrapy-redis keys), and the server lock a worker
        held for it: deleted before the job is handed out again (it starts over) or given up."""
        self.client.delete(self.keys.requests(job.id), self.keys.dupefilter(job.id))
        if worker is not None:
            self.client.eval(_RELEASE, 1, self.keys.server_lock(job.server), f"{worker}|{job.id}")

    # -- a worker ----------------------------------------------------------------------

    def register(self, worker: str, ttl: float) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.sadd(self.keys.workers, worker)
        pipe.set(self.keys.heartbeat(worker), "alive", px=int(ttl * 1000))
        pipe.execute()

    def beat(self, worker: str, ttl: float, jobs: list[Job]) -> None:
        """The heartbeat, and the server locks of the jobs this worker crawls, extended by ``ttl``."""
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.keys.heartbeat(worker), "alive", px=int(ttl * 1000))
        pipe.sadd(self.keys.workers, worker)
        for job in jobs:
            pipe.eval(_REFRESH, 1, self.keys.server_lock(job.server), f"{worker}|{job.id}", int(ttl * 1000))
        pipe.execute()

    def take(self, worker: str) -> tuple[Job, str] | None:
        """The next job, moved into this worker's processing list at once (LMOVE): a worker killed from
        here on leaves it there, where the coordinator finds it."""
        payload = self.client.lmove(self.keys.jobs, self.keys.processing(worker), "LEFT", "RIGHT")
        return (Job.loads(payload), payload) if payload is not None else None

    def lock_server(self, worker: str, job: Job, ttl: float) -> bool:
        """One blog of a server at a time, whichever worker crawls it (per-server politeness)."""
        return bool(self.client.set(self.keys.server_lock(job.server), f"{worker}|{job.id}", nx=True,
                                    px=int(ttl * 1000)))

    def put_back(self, worker: str, payload: str) -> None:
        """A job this worker took but will not crawl (its server is busy, or the worker stops): back at
        the end of the queue, as it was."""
        pipe = self.client.pipeline(transaction=True)
        pipe.lrem(self.keys.processing(worker), 1, payload)
        pipe.rpush(self.keys.jobs, payload)
        pipe.execute()

    def drop(self, worker: str, payload: str) -> None:
        """A job of a run its coordinator gave up: nobody wants its outcome."""
        self.client.lrem(self.keys.processing(worker), 1, payload)

    def finish(self, worker: str, job: Job, payload: str, outcome: str) -> None:
        """The job's outcome into its run's results, after the rows it sent, and the job off this
        worker's list, in one transaction: the coordinator never sees one without the other."""
        pipe = self.client.pipeline(transaction=True)
        pipe.rpush(self.keys.results(job.run), outcome)
        pipe.lrem(self.keys.processing(worker), 1, payload)
        pipe.execute()

    def push_result(self, run: str, message: str) -> None:
        self.client.rpush(self.keys.results(run), message)

    def expired(self, job: Job) -> bool:
        """The job's run is over: given up by its coordinator, or past its deadline."""
        import time

        return (job.deadline is not None and time.time() > job.deadline) or bool(self.cancelled({job.run}))

    def cancelled(self, runs: set[str]) -> set[str]:
        if not runs:
            return set()
        ordered = sorted(runs)
        pipe = self.client.pipeline(transaction=False)
        for run in ordered:
            pipe.exists(self.keys.cancelled(run))
        return {run for run, flag in zip(ordered, pipe.execute()) if flag}

    def tracked_elsewhere(self, run: str, blog_id: str, url: str) -> str | None:
        """As ``Store.tracked_elsewhere``, from the identities the coordinator published for the run."""
        owners = self.client.hget(self.keys.identities(run), blog_id)
        return next((owner for owner in json.loads(owners) if owner != url), None) if owners else None


def new_run_id() -> str:
    return uuid.uuid4().hex
