"""Figure 7: a tracked list crawled through Redis by 1, 2 and 4 worker processes, and the
coordinator's write rate.

    PYTHONPATH=. python bench/workers.py [--quick] [--delay SECONDS]

7a  The same first crawl of 200 replica blogs (30 posts, 150 comments each, as figure 6b; each
    blog on its own port, served by ``python -m newscrawl.replica --blogs 200`` in its own
    process) by ``newscrawl crawl --all --redis`` with 1, 2 and 4 ``newscrawl worker``
    processes on this machine, politeness on (``DOWNLOAD_DELAY=1`` per blog, ``--delay S`` to
    change it; AutoThrottle off so that the delay is the one asked for).  With 0.25 s the crawl
    is bound by this machine's two cores instead (about 190 ms of CPU per blog, as figure 6b),
    and workers cannot add breadth the CPU does not have (README.md, More than one machine).
    Pages/s = the crawls rows' requests over the coordinator's wall time (process start-up
    included), and the ratio to 1 worker.
    Goal: 2 workers >= 1.7 x one worker's pages/s (breadth, not CPU, is what workers add).
7b  The coordinator's write rate: 100,000 comment rows of prepared results (1,000 per message, as
    workers send them, with their posts and blogs rows stored beforehand) pushed into a run's
    results list; the coordinator's loop (read, decode, ``Store.write_rows``) timed until the list
    is empty.  Goal: >= 5,000 comment rows/s.

``figure_workers(quick)`` returns the figures as a dict (bench/run.py puts them in its table).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/redis_server.py: the throwaway redis-server

sys.path.insert(0, str(HERE))
from run import CHILD_ENV, ReplicaBlogs, log, track_all  # noqa: E402  the benchmarks' shared helpers

# DOWNLOAD_DELAY per blog (each blog is its own server here); bench/workers.py --delay S changes it
DEFAULT_DELAY = 1.0
SPEEDUP_GOAL = 1.7
WRITE_GOAL = 5000


def polite(delay: float) -> list[str]:
    return ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", f"DOWNLOAD_DELAY={delay}", "-s", "RETRY_BACKOFF_BASE=0.1"]


def crawl_with_workers(db: Path, redis_url: str, workers: int, work: Path, delay: float) -> dict:
    """The coordinator and ``workers`` worker processes (each one reactor, 8 blogs at a time)."""
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    logs = [(work / f"worker-{workers}-{n}.log").open("w") for n in range(workers)]
    procs = [subprocess.Popen([sys.executable, "-m", "newscrawl", "worker", "--redis", redis_url, "--exit-when-idle",
                               "--idle-timeout", "3"], stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, env=CHILD_ENV)
             for handle in logs]
    deadline = time.monotonic() + 60
    while client.scard("newscrawl:workers") < workers and time.monotonic() < deadline:
        time.sleep(0.05)
    t0 = time.perf_counter()
    coordinator = subprocess.run([sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), "--redis",
                                  redis_url, "--time-limit", "1200", "--log-level", "INFO", *polite(delay)],
                                 capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV, timeout=1500)
    wall = time.perf_counter() - t0
    for proc in procs:
        proc.wait(timeout=120)
    for handle in logs:
        handle.close()
    conn = sqlite3.connect(db)
    requests, finished, comments, conn_blogs = conn.execute(
        "select sum(requests), sum(status = 'finished' and errors = 0), sum(comments_new), count(*) from crawls"
    ).fetchone()
    conn.close()
    return {"workers": workers, "blogs": conn_blogs, "wall_s": round(wall, 1), "requests": requests,
            "pages_per_s": round(requests / wall, 1),
            "finished_clean": finished, "comments": comments, "exit": coordinator.returncode,
            "stderr_tail": coordinator.stderr[-400:] if coordinator.returncode else ""}


def coordinator_write_rate(source_db: Path, redis_url: str, rows_total: int, work: Path) -> dict:
    """``rows_total`` comment rows (copies of the crawled ones under new ids) sent as workers send them,
    then stored by the coordinator's own loop."""
    import redis

    from newscrawl.distributed.coordinator import Coordinator
    from newscrawl.storage import Store

    times = {"first_seen", "last_seen", "last_changed"}
    conn = sqlite3.connect(source_db)
    conn.row_factory = sqlite3.Row
    # the prepared rows of the crawl: what the pipeline stores, without the columns storage adds
    comments = [{k: v for k, v in dict(r).items() if k not in times and v is not None}
                for r in conn.execute("select * from comments")]
    posts = [{k: v for k, v in dict(r).items() if k not in times and v is not None}
             for r in conn.execute("select * from posts")]
    blogs = [{k: v for k, v in dict(r).items() if k not in times and v is not None}
             for r in conn.execute("select * from blogs")]
    conn.close()
    db = work / "write-rate.db"
    store = Store(db)
    store.write_rows(blogs, posts, [], {})
    store.close()

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    coordinator = Coordinator(client, str(db), "benchrun", "newscrawl")
    batch = 1000
    messages = 0
    pipe = client.pipeline(transaction=False)
    for start in range(0, rows_total, batch):
        chunk = []
        for n in range(start, min(start + batch, rows_total)):
            row = dict(comments[n % len(comments)])
            row["id"] = f"{row['id']}-copy{n // len(comments)}"
            row["parent_id"] = None
            chunk.append(row)
        job = f"bench-{messages % 200}"
        pipe.rpush("newscrawl:run:benchrun:results", json.dumps(
            {"t": "rows", "job": job, "attempt": 1, "touch_seen": True, "blogs": [], "posts": [], "comments": chunk,
             "links": {}}, separators=(",", ":")))
        messages += 1
    pipe.execute()
    coordinator.jobs = {}
    t0 = time.perf_counter()
    while client.llen("newscrawl:run:benchrun:results"):
        coordinator.read_results()
    seconds = time.perf_counter() - t0
    coordinator.store.close()
    stored = sqlite3.connect(db).execute("select count(*) from comments").fetchone()[0]
    return {"rows": rows_total, "messages": messages, "seconds": round(seconds, 2),
            "rows_per_s": round(rows_total / seconds), "stored": stored,
            "write_rows_share": round(coordinator.result.write_seconds / seconds, 2)}


def figure_workers(quick: bool = False, delay: float = DEFAULT_DELAY) -> dict:
    """Figures 7a and 7b (see the module docstring)."""
    from redis_server import RedisServer

    blogs_count = 200
    write_rows = 20_000 if quick else 100_000
    counts = (1, 2) if quick else (1, 2, 4)
    work = Path(tempfile.mkdtemp(prefix="newscrawl-bench-workers-"))
    runs = []
    with RedisServer() as server:
        log(f"figure 7a: first crawl of {blogs_count} blogs through Redis with {counts} workers")
        replica = ReplicaBlogs(blogs_count, posts=30, comments_per_post=5, seed=500)
        try:
            for workers in counts:
                db = track_all(work / f"workers-{workers}.db", replica.urls)
                run = crawl_with_workers(db, server.url, workers, work, delay)
                log(f"  {workers} worker(s): {run['wall_s']}s, {run['requests']} requests, "
                    f"{run['pages_per_s']} pages/s, {run['finished_clean']} blogs finished clean")
                runs.append(run)
        finally:
            replica.stop()
        log(f"figure 7b: the coordinator storing {write_rows:,} comment rows from the queue")
        write = coordinator_write_rate(work / "workers-1.db", server.url, write_rows, work)
        log(f"  {write['rows_per_s']:,} rows/s ({write['seconds']}s)")
    one = runs[0]["pages_per_s"]
    for run in runs:
        run["ratio_to_1"] = round(run["pages_per_s"] / one, 2)
    two = next(run for run in runs if run["workers"] == 2)
    return {
        "figure": "7 workers through Redis",
        "download_delay": delay,
        "runs": runs,
        "write": write,
        "goal": f"2 workers >= {SPEEDUP_GOAL} x 1 worker pages/s; coordinator >= {WRITE_GOAL:,} comment rows/s",
        "met": (two["ratio_to_1"] >= SPEEDUP_GOAL and write["rows_per_s"] >= WRITE_GOAL
                and all(run["exit"] == 0 and run["finished_clean"] == blogs_count for run in runs)),
        "work": str(work),
    }


def main() -> int:
    delay = float(sys.argv[sys.argv.index("--delay") + 1]) if "--delay" in sys.argv else DEFAULT_DELAY
    figures = figure_workers(quick="--quick" in sys.argv, delay=delay)
    print(f"DOWNLOAD_DELAY={delay}")
    print(f"{'workers':>7}  {'wall s':>7}  {'requests':>8}  {'pages/s':>8}  {'x 1 worker':>10}  {'finished':>8}")
    for run in figures["runs"]:
        print(f"{run['workers']:>7}  {run['wall_s']:>7}  {run['requests']:>8}  {run['pages_per_s']:>8}  "
              f"{run['ratio_to_1']:>10}  {run['finished_clean']:>8}")
    write = figures["write"]
    print(f"coordinator: {write['rows']:,} comment rows stored from the queue in {write['seconds']}s = "
          f"{write['rows_per_s']:,} rows/s (write_rows {write['write_rows_share']:.0%} of it)")
    print(f"goal: {figures['goal']}: {'met' if figures['met'] else 'NOT met'}")
    print(json.dumps(figures, indent=2), file=sys.stderr)
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
