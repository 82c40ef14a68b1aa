"""Crawling one tracked list with workers on many machines, through Redis (scrapy-redis).

    newscrawl crawl --all --redis redis://HOST:6379/0      # the coordinator, beside the database
    newscrawl worker --redis redis://HOST:6379/0           # any number, on any machine

Design
------
One bookkeeping path.  What a crawl reads from the database before it starts and what it
leaves are two JSON values of ``bookkeeping.py``: :class:`~newscrawl.bookkeeping.CrawlState`
(marks and validators, URLs to retry, the cached robots.txt of the blog's host) and
:class:`~newscrawl.bookkeeping.CrawlOutcome` (the crawls row's figures and stats, failed and
resolved URLs, the next marks of a complete crawl, the ids a complete full re-read found,
the robots.txt fetched).  A local crawl loads and applies them in its own process; here the
coordinator loads the state, ships it in the job, and applies the outcome that comes back.
Workers have no database: deletion marking after a full re-read is computed on the
coordinator, where the stored rows are, from the ids that come back.

Jobs (``queue.py``; every key starts with a prefix, ``newscrawl`` by default):

    PREFIX:jobs                     list: one JSON job per blog (its run, url, platform, mode, state, attempt)
    PREFIX:processing:WORKER        list: the jobs a worker took (LMOVE from PREFIX:jobs: a reliable queue)
    PREFIX:worker:WORKER            the worker's heartbeat: a key with a TTL the worker refreshes
    PREFIX:workers                  set: the workers that took jobs
    PREFIX:server:HOST:PORT         the lock a worker holds while it crawls a blog of that server
    PREFIX:job:ID:requests          scrapy-redis's request queue of the job (SCHEDULER_QUEUE_KEY)
    PREFIX:job:ID:dupefilter        scrapy-redis's seen fingerprints of the job (SCHEDULER_DUPEFILTER_KEY)
    PREFIX:run:RUN:results          list: batches of prepared rows and outcomes, in the order sent
    PREFIX:run:RUN:identities       hash: blog id -> the tracked addresses that stored it (identity check)
    PREFIX:run:RUN:cancelled        set when the coordinator gives the run up (time limit)

Reliability.  A worker takes a job by LMOVE into its own processing list and refreshes its
heartbeat every third of its TTL.  The coordinator looks every second: the jobs of a worker
whose heartbeat expired go back to the queue with their attempt counted, their scrapy-redis
keys deleted (the blog starts over: a crawl's in-memory state, its failures and next marks, died
with the worker), at most ``NEWSCRAWL_MAX_ATTEMPTS`` (3) times, then the blog is reported failed.
Rows a dead worker sent are kept (upserts are idempotent); its marks do not move, since only a
complete outcome moves marks: a blog is never half-written in the bookkeeping sense.  An outcome
of an attempt that was already handed on is ignored.  A worker stopped by Ctrl-C or SIGTERM
puts its unfinished jobs back itself.

Requests.  Within a job, the worker's crawler uses ``scrapy_redis.scheduler.Scheduler`` and
``scrapy_redis.dupefilter.RFPDupeFilter`` with the job's keys (deleted when the job ends or is
handed out again).  Rows come back as JSON of the prepared ``Rows``, one message per pipeline
batch (``NEWSCRAWL_BATCH_SIZE``); the coordinator writes a job's consecutive batches with one
``Store.write_rows`` and counts new and updated rows toward that blog's crawls row.

Politeness across workers.  Blogs of one server (host:port) are never crawled by two workers at
once: a worker takes a job only with the server's lock (SET NX with the heartbeat's TTL,
refreshed with it); otherwise it puts the job back at the end of the queue.  Within a crawl,
Scrapy's own per-host limits and delays apply as locally.  robots.txt: the stored copy travels
in the job, a fetched one comes back in the outcome and is stored.

Workers run several blogs at once in one reactor (``NEWSCRAWL_CONCURRENT_BLOGS``) and, with
``--processes N``, N such processes.  The coordinator's -s settings travel in the jobs and win
over a worker's own, except the machine's (log level, concurrency).
"""

from .queue import DEFAULT_PREFIX, RedisUnreachable, connect

__all__ = ["DEFAULT_PREFIX", "RedisUnreachable", "connect"]
