"""A tracked list crawled by workers through Redis (``newscrawl crawl --all --redis`` and
``newscrawl worker``): the database equals a local ``crawl --all`` of the same blogs, a worker
killed mid-crawl loses nothing, and bad input gets a clear error.

Every process is real: redis-server on 127.0.0.1 (tests/redis_server.py), 20 replica Blogger
blogs served by this process, and the coordinator and workers as users run them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscrawl.bookkeeping import CrawlOutcome, CrawlState
from newscrawl.cli import cli
from newscrawl.distributed.queue import Job, Keys
from newscrawl.replica.server import start_blogs, stop_blogs
from newscrawl.storage import Store
from redis_server import RedisServer, client_for, free_port, redis_server_or_skip
from replica_compare import (assert_same_records, expected_comments, expected_posts, rows, rows_without_times,
                             stored_comments, stored_posts)

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
BLOGS = 20
# The replica is on loopback; a small delay still spreads each crawl over a second or so, so that a
# worker can be killed in the middle of its crawls.
QUICK = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
         "-s", "RETRY_BACKOFF_BASE=0.1"]


@pytest.fixture(scope="module")
def redis_url():
    command = redis_server_or_skip()
    with RedisServer(command) as server:
        yield server.url


@pytest.fixture(scope="module")
def blogs():
    servers = start_blogs(BLOGS, seed=200, posts=6, comments_per_post=3)
    try:
        yield servers
    finally:
        stop_blogs(servers)


def newscrawl(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", *arguments]


def tracked_db(path: Path, servers) -> Path:
    store = Store(path)
    try:
        for server in servers:
            store.track_blog(server.url, "blogger")
    finally:
        store.close()
    return path


def start_worker(url: str, log: Path, *extra: str) -> subprocess.Popen:
    # the log goes to a file: a pipe nobody reads while the test waits would fill and stall the worker
    with log.open("w") as handle:
        return subprocess.Popen(newscrawl("worker", "--redis", url, "--exit-when-idle", "--idle-timeout", "4",
                                          "--log-level", "INFO", *extra),
                                stdout=handle, stderr=subprocess.STDOUT, text=True, env=ENV, cwd=ROOT)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def finish(proc: subprocess.Popen, timeout: float = 120, log: Path | None = None) -> tuple[int, str, str]:
    """The exit code and output of a process (its log file's, for a worker), killed past ``timeout``."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        raise AssertionError(f"{proc.args} did not end within {timeout}s:\n{out}\n{(err or '')[-4000:]}")
    if log is not None:
        err = log.read_text(errors="replace")
    return proc.returncode, out or "", err or ""


def table(db: Path, name: str) -> dict[str, dict]:
    return {r["id"]: r for r in rows_without_times(db, name)}


@pytest.fixture(scope="module")
def local_db(tmp_path_factory, blogs) -> Path:
    """The oracle: a local ``crawl --all`` of the same blogs."""
    db = tracked_db(tmp_path_factory.mktemp("local") / "local.db", blogs)
    result = subprocess.run(newscrawl("crawl", "--all", "--db", str(db), "--log-level", "WARNING", *QUICK),
                            capture_output=True, text=True, timeout=180, env=ENV, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return db


def run_distributed(db: Path, url: str, workers: int, worker_extra: tuple[str, ...] = (),
                    crawl_extra: tuple[str, ...] = (), during=None) -> tuple[subprocess.CompletedProcess, list]:
    """Workers first (so that every one of them takes jobs from the start), then the coordinator."""
    client = client_for(url)
    logs = [db.with_name(f"{db.stem}-worker-{n}-{time.monotonic_ns()}.log") for n in range(workers)]
    procs = [start_worker(url, log, *worker_extra) for log in logs]
    wait_for(lambda: client.scard(Keys().workers) >= workers, 30, f"{workers} workers registered")
    coordinator = subprocess.Popen(newscrawl("crawl", "--all", "--db", str(db), "--redis", url, "--time-limit", "150",
                                             "--log-level", "WARNING", *QUICK, *crawl_extra),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    if during is not None:
        during(procs, client)
    code, out, err = finish(coordinator, timeout=180)
    ended = [finish(proc, timeout=60, log=log) for proc, log in zip(procs, logs)]
    return subprocess.CompletedProcess(coordinator.args, code, out, err), ended


@pytest.mark.slow
def test_workers_write_what_a_local_crawl_writes(tmp_path, redis_url, blogs, local_db):
    db = tracked_db(tmp_path / "distributed.db", blogs)
    result, ended = run_distributed(db, redis_url, workers=2,
                                    worker_extra=("-s", "NEWSCRAWL_CONCURRENT_BLOGS=4"))
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert all(code == 0 for code, _, _ in ended), [err[-2000:] for _, _, err in ended]
    assert result.stdout.count("finished") == BLOGS, result.stdout

    # the same rows, column by column (times of writing aside)
    for name in ("blogs", "posts", "comments"):
        assert table(db, name) == table(local_db, name), name
    assert rows(db, "select * from links order by post_id, position") == \
        rows(local_db, "select * from links order by post_id, position")
    # the same marks, for every blog
    marks = {r["url"]: json.loads(r["state"]) for r in rows(db, "select * from crawl_state")}
    assert marks == {r["url"]: json.loads(r["state"]) for r in rows(local_db, "select * from crawl_state")}
    assert len(marks) == BLOGS
    # one finished crawls row per blog, with a local crawl's figures, crawled by both workers
    crawls = rows(db, "select * from crawls order by blog_url")
    local = rows(local_db, "select * from crawls order by blog_url")
    figures = ["blog_url", "blog_id", "spider", "status", "requests", "posts_new", "posts_updated", "comments_new",
               "comments_updated", "errors", "items_skipped"]
    assert [{k: r[k] for k in figures} for r in crawls] == [{k: r[k] for k in figures} for r in local]
    assert all(r["status"] == "finished" and r["finished"] >= r["started"] for r in crawls)
    assert len({r["pid"] for r in crawls}) == 2, "both workers crawled"
    assert all(json.loads(r["stats"]).get("scheduler/enqueued/redis") for r in crawls), "scrapy-redis scheduled"
    # robots.txt fetched by the workers came back and is stored; the tracked list is updated
    assert len(rows(db, "select url from robots_txt")) == BLOGS
    assert {r["last_status"] for r in rows(db, "select * from tracked_blogs")} == {"finished"}
    # nothing of the run is left in Redis: jobs, processing lists, request queues, locks
    client = client_for(redis_url)
    assert not [key for key in client.keys("newscrawl:*") if ":results" not in key]

    # a second run is incremental, as locally: two requests per blog (robots.txt travelled in the job)
    again, ended = run_distributed(db, redis_url, workers=1)
    assert again.returncode == 0, again.stdout + again.stderr[-4000:] + ended[0][2][-6000:]
    last = rows(db, "select * from crawls where id > ?", [len(crawls)])
    assert len(last) == BLOGS and all(r["requests"] == 2 and r["responses_not_modified"] == 2 for r in last), last[:2]


@pytest.mark.slow
def test_a_killed_worker_loses_nothing(tmp_path, redis_url, blogs, local_db):
    db = tracked_db(tmp_path / "killed.db", blogs)
    killed: list[int] = []

    def kill_one_mid_crawl(procs, client) -> None:
        victim = procs[0]
        processing = Keys().processing(f"{socket.gethostname()}:{victim.pid}")
        # it took jobs and sent rows: it is in the middle of its crawls
        wait_for(lambda: client.llen(processing) > 0 and client.exists(f"newscrawl:job:{_job_of(client, processing)}"
                                                                       ":dupefilter"), 60, "the first worker's crawls")
        os.kill(victim.pid, signal.SIGKILL)
        killed.append(victim.pid)

    # politeness delays make each crawl last a second or more: the kill lands mid-crawl
    result, ended = run_distributed(db, redis_url, workers=2,
                                    worker_extra=("-s", "NEWSCRAWL_HEARTBEAT_TTL=2",
                                                  "-s", "NEWSCRAWL_CONCURRENT_BLOGS=4"),
                                    crawl_extra=("-s", "DOWNLOAD_DELAY=0.4"), during=kill_one_mid_crawl)
    assert killed and ended[0][0] == -signal.SIGKILL
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "re-queued: " in result.stdout and f":{killed[0]} stopped answering" in result.stdout, result.stdout
    # every blog ended finished, once, by the surviving worker or before the kill ... and only a
    # complete outcome wrote a crawls row: none came from the killed worker's unfinished crawls
    crawls = rows(db, "select * from crawls")
    assert sorted(r["blog_url"] for r in crawls) == sorted(server.url for server in blogs)
    assert all(r["status"] == "finished" and r["errors"] == 0 for r in crawls)
    # every record the replica serves is stored, as a local crawl stores it
    for server in blogs:
        assert_same_records(expected_posts(server.blog, server), {
            k: v for k, v in stored_posts(db).items() if k.startswith(f"blogger:{server.blog.blog_id}:")}, "posts")
        assert_same_records(expected_comments(server.blog), {
            k: v for k, v in stored_comments(db).items() if k.startswith(f"blogger:{server.blog.blog_id}:")},
            "comments")
    for name in ("posts", "comments"):
        assert set(table(db, name)) == set(table(local_db, name))
    # and every blog's marks moved, as after a local crawl
    assert {r["url"]: json.loads(r["state"]) for r in rows(db, "select * from crawl_state")} == \
        {r["url"]: json.loads(r["state"]) for r in rows(local_db, "select * from crawl_state")}


def _job_of(client, processing: str) -> str:
    payloads = client.lrange(processing, 0, 0)
    return Job.loads(payloads[0]).id if payloads else "none"


def test_a_run_past_its_time_limit_reports_every_blog_and_withdraws_its_jobs(tmp_path, redis_url, blogs):
    """No worker comes: after --time-limit the blogs are reported failed (exit 1), their marks do not
    move, and no job is left for a worker that starts later."""
    db = tracked_db(tmp_path / "nobody.db", blogs[:3])
    prefix = "limit-test"
    result = subprocess.run(newscrawl("crawl", "--all", "--db", str(db), "--redis", redis_url, "--time-limit", "2",
                                      "-s", f"NEWSCRAWL_REDIS_PREFIX={prefix}"),
                            capture_output=True, text=True, timeout=60, env=ENV, cwd=ROOT)
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert result.stdout.count("failed: not finished within the time limit (2s)") == 3, result.stdout
    assert not rows(db, "select * from crawl_state")
    assert {r["status"] for r in rows(db, "select status from crawls")} == {"failed"}
    client = client_for(redis_url)
    assert client.llen(Keys(prefix).jobs) == 0
    assert client.exists(f"{prefix}:run:" + rows(db, "select run from crawls")[0]["run"] + ":cancelled")


def test_unreachable_redis_is_one_error_line(tmp_path):
    db = tmp_path / "x.db"
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    for arguments in (["crawl", "--all", "--db", str(db), "--redis", url], ["worker", "--redis", url]):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: cannot reach Redis at {url}"), result.output
    result = CliRunner().invoke(cli, ["worker", "--redis", "http://not-redis/"])
    assert result.exit_code == 2 and "Error: cannot reach Redis at http://not-redis/" in result.output
    result = CliRunner().invoke(cli, ["crawl", "--all", "--db", str(db), "--time-limit", "5"])
    assert result.exit_code == 2 and "--time-limit bounds a --redis crawl" in result.output


def test_crawl_state_and_outcome_travel_as_json(tmp_path):
    """What the coordinator ships and receives survives JSON unchanged, and an outcome applied to a
    database writes the crawls row, errors and marks as the local bookkeeping does."""
    store = Store(tmp_path / "s.db")
    try:
        url = "http://127.0.0.1:9/"
        store.save_crawl_state(url, {"posts_since": "2024-01-01T00:00:00Z"})
        store.save_robots_txt("http://127.0.0.1:9/robots.txt", 200, "User-agent: *\nDisallow: /search\n")
        state = CrawlState.load(store, url, with_robots=True)
        assert CrawlState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
        assert state.robots["http://127.0.0.1:9/robots.txt"]["body"].endswith("/search\n")

        outcome = CrawlOutcome(spider="blogger", url=url, mode="incremental", reason="finished", complete=True,
                               blog_id=None, stats={"downloader/request_count": 3, "newscrawl/posts/new": 2},
                               failed=[{"url": url + "x", "status": 500, "reason": "HTTP 500", "callback": None}],
                               next_state={"posts_since": "2024-02-01T00:00:00Z"},
                               robots=[{"url": url + "robots.txt", "status": 404, "body": ""}],
                               started="2024-02-01T00:00:00+00:00", finished="2024-02-01T00:00:05+00:00",
                               host="elsewhere", pid=4242)
        travelled = CrawlOutcome.from_dict(json.loads(json.dumps(outcome.to_dict())))
        assert travelled == outcome
        crawl_id = store.start_crawl("blogger", url, run="r1")
        travelled.apply(store, crawl_id, times=True)
        row = rows(tmp_path / "s.db", "select * from crawls")[0]
        assert (row["status"], row["requests"], row["posts_new"], row["errors"], row["host"], row["pid"],
                row["started"]) == ("finished", 3, 2, 1, "elsewhere", 4242, "2024-02-01T00:00:00+00:00")
        assert store.crawl_state(url) == {"posts_since": "2024-02-01T00:00:00Z"}
        assert [r["url"] for r in store.unresolved_errors(url)] == [url + "x"]
        assert store.robots_txt(url + "robots.txt")["status"] == 404
    finally:
        store.close()


def test_an_outcome_lands_whole_or_not_at_all(tmp_path):
    """The crawls row is the outcome's last write: when it cannot be written, the marks, errors and
    robots.txt written before it are rolled back with it (the next run reads the blog again, as
    for a crawl left running), not kept half."""
    import pytest
    from sqlite_utils.db import NotFoundError

    store = Store(tmp_path / "s.db")
    try:
        url = "http://127.0.0.1:9/"
        store.save_crawl_state(url, {"posts_since": "2024-01-01T00:00:00Z"})
        outcome = CrawlOutcome(spider="blogger", url=url, mode="incremental", reason="finished", complete=True,
                               blog_id=None, stats={"downloader/request_count": 3},
                               failed=[{"url": url + "x", "status": 500, "reason": "HTTP 500", "callback": None}],
                               next_state={"posts_since": "2024-02-01T00:00:00Z"},
                               robots=[{"url": url + "robots.txt", "status": 404, "body": ""}])
        with pytest.raises(NotFoundError):
            outcome.apply(store, crawl_id=12345)  # no such crawls row
        assert store.crawl_state(url) == {"posts_since": "2024-01-01T00:00:00Z"}
        assert store.unresolved_errors(url) == [] and store.robots_txt(url + "robots.txt") is None
        assert not store.db.conn.in_transaction
        crawl_id = store.start_crawl("blogger", url)  # the connection goes on writing
        outcome.apply(store, crawl_id)
        assert store.crawl_state(url) == {"posts_since": "2024-02-01T00:00:00Z"}
    finally:
        store.close()
