"""newscrawl benchmarks: six figures, each with its goal, printed as a table and saved as JSON.

    python bench/run.py            # full sizes (under 10 minutes on 2 cores)
    python bench/run.py --quick    # smaller sizes, about a minute
    python bench/run.py --only 1,3 # some figures

See bench/README.md for what each figure measures.  Results: bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

FAST_LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
ELAPSED = re.compile(r"'elapsed_time_seconds':\s*([0-9.]+)")

SIZES = {
    "full": {"throughput": (2000, 20), "requests": (2000, 20), "storage": (5000, 20),
             "memory_small": (1000, 20), "memory_large": (10000, 20), "date_seconds": 2.0,
             "tracked_blogs": (200, 1000)},
    "quick": {"throughput": (300, 20), "requests": (300, 20), "storage": (1000, 20),
              "memory_small": (200, 20), "memory_large": (1000, 20), "date_seconds": 0.5,
              "tracked_blogs": (200,)},
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- the replica in its own process ---------------------------------------------------------------


class Replica:
    """``bench/replica_proc.py`` as a child process: ``.url``, ``.requests()``, ``.reset()``."""

    def __init__(self, posts: int, comments_per_post: int, feeds: str, feed_cap: int = 150):
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "replica_proc.py"), "--posts", str(posts), "--comments-per-post",
             str(comments_per_post), "--feeds", feeds, "--feed-cap", str(feed_cap)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        info = json.loads(self.proc.stdout.readline())
        self.url, self.posts, self.comments = info["url"], info["posts"], info["comments"]

    def _ask(self, command: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline()

    def requests(self) -> list[str]:
        return json.loads(self._ask("requests"))

    def reset(self) -> None:
        self._ask("reset")

    def __enter__(self) -> "Replica":
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


# -- child processes with their own peak RSS ----------------------------------------------------


def _peak_rss_kb(pid: int) -> int:
    """VmHWM: the peak RSS of the process's current program.

    Not ``ru_maxrss`` of the child: Linux carries the parent's peak RSS over fork and exec into it, so a
    crawl started from this (large) benchmark process would report this process's size."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes ``pid`` started (its forked crawl processes), from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as children:
                    kids = [int(k) for k in children.read().split()]
            except (OSError, ValueError):
                continue
            found += kids
            todo += kids
    return found


def run_child(command: list[str], log_path: Path, timeout: float = 900, forks: bool = False) -> dict:
    """Run ``command``; return wall time, exit code, CPU seconds, peak RSS (MB, the child's own VmHWM,
    polled) and stdout. ``forks``: the processes it starts are polled too (``peak_rss_mb_per_process``,
    the largest; ``peak_rss_mb_all_processes``, their sum)."""
    out_path = log_path.with_suffix(".out")
    before = os.times()
    with open(out_path, "w") as out, open(log_path, "w") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        deadline = time.monotonic() + timeout
        peaks: dict[int, int] = {}
        while True:
            for pid in [proc.pid, *(_descendants(proc.pid) if forks else ())]:
                peaks[pid] = max(peaks.get(pid, 0), _peak_rss_kb(pid))
            pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                status = 9
                break
            time.sleep(0.01)
        wall = time.perf_counter() - t0
    after = os.times()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = log_path.read_text(errors="replace")
    match = ELAPSED.search(stderr)
    return {"wall": wall, "rc": proc.returncode, "rss_mb": peaks.get(proc.pid, 0) / 1024,
            "cpu": (after.children_user - before.children_user) + (after.children_system - before.children_system),
            "peak_rss_mb_per_process": round(max(peaks.values(), default=0) / 1024),
            "peak_rss_mb_all_processes": round(sum(peaks.values()) / 1024), "processes": len(peaks),
            "elapsed": float(match.group(1)) if match else None, "stdout": out_path.read_text(),
            "stderr_tail": stderr[-3000:]}


def our_crawl(url: str, db: Path, log_path: Path, *extra: str) -> dict:
    result = run_child([sys.executable, "-m", "newscrawl", "crawl", url, "--db", str(db), "--log-level", "INFO",
                        "--platform", "blogger", *FAST_LOCAL, *extra], log_path)
    if result["rc"] != 0:
        raise RuntimeError(f"crawl failed ({result['rc']}):\n{result['stdout']}\n{result['stderr_tail']}")
    return result


def db_counts(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("posts", "comments")}
    finally:
        conn.close()


# -- 1. throughput ----------------------------------------------------------------------------


def bench_throughput(size, work: Path) -> dict:
    posts, cpp = size
    log(f"1 throughput: replica {posts} posts x {cpp} comments, feeds none")
    with Replica(posts, cpp, feeds="none") as rep:
        ours = our_crawl(rep.url, work / "throughput.db", work / "throughput-ours.log", "--feeds", "off")
        paths = rep.requests()
        stored = db_counts(work / "throughput.db")
    (work / "paths.json").write_text(json.dumps(paths))
    log(f"  ours: {len(paths)} requests in {ours['elapsed']}s (wall {ours['wall']:.1f}s); now the bare spider")
    # a fresh replica (same seed, same blog): both crawls meet a cold server
    with Replica(posts, cpp, feeds="none") as rep:
        bare = run_child([sys.executable, str(HERE / "bare_spider.py"), rep.url, str(work / "paths.json"),
                          *FAST_LOCAL], work / "throughput-bare.log")
        bare_paths = rep.requests()
    if bare["rc"] != 0:
        raise RuntimeError(f"bare spider failed:\n{bare['stderr_tail']}")
    assert sorted(bare_paths) == sorted(paths), "the bare spider did not fetch the same URLs"
    ours_rate = len(paths) / ours["elapsed"]
    bare_rate = len(bare_paths) / bare["elapsed"]
    per_page = page_costs(min(posts, 300), cpp, work, ours_ms=1000 / ours_rate, bare_ms=1000 / bare_rate)
    return {
        "figure": "1 throughput (pages/s, HTML path)",
        "ours": round(ours_rate, 1), "baseline": round(bare_rate, 1), "value": round(ours_rate / bare_rate, 3),
        "goal": ">= 0.8 x bare", "met": ours_rate / bare_rate >= 0.8,
        "details": {"blog": {"posts": posts, "comments": posts * cpp}, "requests": len(paths),
                    "stored": stored, "ours_elapsed_s": ours["elapsed"], "ours_wall_s": round(ours["wall"], 2),
                    "bare_elapsed_s": bare["elapsed"], "bare_wall_s": round(bare["wall"], 2),
                    "ours_rss_mb": round(ours["rss_mb"], 1), "bare_rss_mb": round(bare["rss_mb"], 1),
                    "timing": "Scrapy's elapsed_time_seconds of each crawl (engine start to spider closed)",
                    "ms_per_page": per_page},
    }


def page_costs(posts: int, cpp: int, work: Path, ours_ms: float, bare_ms: float) -> dict:
    """What a page costs each crawl, and our pipeline's stages timed one by one (``bench/stages.py``, in
    its own process): where the time goes that the bare spider does not spend."""
    out = work / "stages.json"
    result = run_child([sys.executable, str(HERE / "stages.py"), "--posts", str(posts), "--comments-per-post",
                        str(cpp), "--json", str(out)], work / "stages.log")
    stages = json.loads(out.read_text())["ms_per_page"] if result["rc"] == 0 else {"error": result["stderr_tail"]}
    return {"ours_crawl": round(ours_ms, 2), "bare_crawl": round(bare_ms, 2),
            "budget_for_goal": round(bare_ms / 0.8 - bare_ms, 2),
            "stages_in_process": stages, "stages_pages": posts,
            "note": "budget_for_goal: what parsing and storing may cost per page for ours >= 0.8 x bare"}


# -- 2. requests ------------------------------------------------------------------------------


def bench_requests(size, work: Path) -> list[dict]:
    posts, cpp = size
    log(f"2 requests: replica {posts} posts x {cpp} comments, feeds full, cap 150")
    db = work / "requests.db"
    with Replica(posts, cpp, feeds="full", feed_cap=150) as rep:
        first = our_crawl(rep.url, db, work / "requests-1.log")
        backfill = rep.requests()
        stored = db_counts(db)
        rep.reset()
        our_crawl(rep.url, db, work / "requests-2.log")
        again = rep.requests()
        minimum = math.ceil(rep.posts / 150) + math.ceil(rep.comments / 150) + 1
    ratio = len(backfill) / minimum
    return [
        {"figure": "2a backfill requests (feeds)", "ours": len(backfill), "baseline": minimum,
         "value": round(ratio, 3), "goal": "<= 1.05 x minimum", "met": len(backfill) <= 1.05 * minimum,
         "details": {"blog": {"posts": rep.posts, "comments": rep.comments}, "stored": stored,
                     "minimum": "ceil(P/150) + ceil(C/150) + robots.txt", "wall_s": round(first["wall"], 2),
                     "paths_sample": backfill[:5] + ["..."] + backfill[-3:]}},
        {"figure": "2b no-change re-crawl requests", "ours": len(again), "baseline": None, "value": len(again),
         "goal": "<= 3", "met": len(again) <= 3, "details": {"paths": again}},
    ]


# -- 3. dates ---------------------------------------------------------------------------------


def bench_dates(seconds: float) -> dict:
    import dateparser
    from newscrawl import dates
    from newscrawl.dates import DateContext, normalize_date

    corpus = json.loads((ROOT / "tests" / "data" / "date_corpus.json").read_text())
    cases = [(c["text"], DateContext((c["language"],), c["timezone"])) for c in corpus]
    log(f"3 dates: {len(cases)} display strings, about {seconds:.0f}s per side")

    def ours_round():
        dates._parse_display_cached.cache_clear()
        return [normalize_date(None, text, ctx) for text, ctx in cases]

    def timed(fn, min_seconds):
        fn()  # warm-up: imports, compiled grammars, dateparser's language data
        rounds, t0 = 0, time.perf_counter()
        while True:
            result = fn()
            rounds += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= min_seconds:
                return rounds * len(cases) / elapsed, result, rounds

    ours_rate, ours_result, ours_rounds = timed(ours_round, seconds)
    theirs_rate, theirs_result, theirs_rounds = timed(lambda: [dateparser.parse(t) for t, _ in cases], seconds)

    same = parsed_ours = parsed_theirs = 0
    for (text, ctx), mine, theirs in zip(cases, ours_result, theirs_result):
        local = None
        if mine.value:
            local = datetime.fromisoformat(mine.value).astimezone(dates.zone_of(ctx.timezone)).replace(tzinfo=None)
            parsed_ours += 1
        if theirs is not None:
            parsed_theirs += 1
            theirs = theirs.replace(tzinfo=None)
        if local is not None and local == theirs:
            same += 1
    expected_ok = sum(1 for c, mine in zip(corpus, ours_result) if mine.value == c.get("expected"))
    return {
        "figure": "3 dates normalized per second", "ours": round(ours_rate), "baseline": round(theirs_rate),
        "value": round(ours_rate / theirs_rate, 1), "goal": ">= 20 x dateparser", "met": ours_rate / theirs_rate >= 20,
        "details": {"strings": len(cases), "ours_rounds": ours_rounds, "dateparser_rounds": theirs_rounds,
                    "ours_parsed": parsed_ours, "dateparser_parsed": parsed_theirs,
                    "same_wall_clock": same, "ours_equal_to_corpus_expected": expected_ok,
                    "cache": "newscrawl's _parse_display_cached cleared every round"},
    }


# -- 4. storage -------------------------------------------------------------------------------


def comment_rows(posts: int, cpp: int) -> list[dict]:
    from newscrawl.dates import format_utc
    from newscrawl.replica import generate_blog

    blog = generate_blog(posts=posts, comments_per_post=cpp, seed=1, big_post_comments=0)
    key = f"blogger:{blog.blog_id}"
    rows = []
    for c in blog.all_comments():
        rows.append({
            "id": f"{key}:c{c.comment_id}", "post_id": f"{key}:{c.post_id}", "blog_id": key,
            "parent_id": f"{key}:c{c.parent_id}" if c.parent_id else None, "platform_id": c.comment_id,
            "author": c.author_name, "author_url": c.author_url, "is_blog_author": int(c.is_blog_author),
            "published": format_utc(c.published), "published_raw": c.published.isoformat(),
            "published_source": "iso", "content_html": c.content_html, "content_text": c.content_text,
            "url": f"https://example.blogspot.com/2024/01/post.html?showComment={c.comment_id}#c{c.comment_id}",
            "deleted": 1 if c.removed else 0, "comment_type": "comment", "source": "feed",
        })
    return rows


def bench_storage(size, work: Path) -> list[dict]:
    """4: our write_rows against insert_all of the same rows into the same schema (a fresh Store database:
    text primary key, indexes, FTS triggers), and 4b: against insert_all into a bare table (the first
    version of this figure, kept for comparison)."""
    import sqlite_utils
    from newscrawl.storage import Store

    rows = comment_rows(*size)
    log(f"4 storage: {len(rows)} comment rows")

    def ours(path: Path) -> float:
        t0 = time.perf_counter()
        store = Store(path)
        for start in range(0, len(rows), 1000):
            store.write_rows(comments=rows[start:start + 1000])
        store.close()
        return time.perf_counter() - t0

    def plain(path: Path) -> float:
        t0 = time.perf_counter()
        db = sqlite_utils.Database(path)
        db["comments"].insert_all(rows)
        db.close()
        return time.perf_counter() - t0

    def plain_into_our_schema(path: Path) -> float:
        return _plain_into_store_schema(path, keep_fts=True)

    def plain_into_our_schema_no_fts(path: Path) -> float:
        """Diagnostic: as above with the comments' full-text triggers dropped: the secondary indexes alone."""
        return _plain_into_store_schema(path, keep_fts=False)

    def _plain_into_store_schema(path: Path, keep_fts: bool) -> float:
        Store(path).close()  # schema, indexes, FTS triggers; WAL mode stays on the file (not timed)
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA synchronous=NORMAL")  # as Store's connection
        if not keep_fts:
            for (name,) in db.execute("select name from sqlite_master where type = 'trigger' and tbl_name = 'comments'"
                                      ).fetchall():
                db.execute(f"drop trigger [{name}]")
        t0 = time.perf_counter()
        db["comments"].insert_all(rows)
        db.close()
        return time.perf_counter() - t0

    sides = (("plain", plain), ("ours", ours), ("plain_into_our_schema", plain_into_our_schema),
             ("plain_into_our_schema_no_fts", plain_into_our_schema_no_fts))
    times = {name: [] for name, _ in sides}
    for attempt in range(3):  # alternate, keep the best of each
        for name, fn in sides:
            path = work / f"storage-{name}-{attempt}.db"
            times[name].append(fn(path))
    rate = {name: len(rows) / min(spent) for name, spent in times.items()}
    details = {"rows": len(rows), **{f"{name}_s": [round(t, 2) for t in spent] for name, spent in times.items()},
               **{f"{name}_rows_per_s": round(r) for name, r in rate.items()},
               "ours_path": "Store(path) + write_rows(comments=batch) per 1,000 rows: one transaction per batch, "
                            "upsert by id with change detection, schema with indexes and FTS triggers",
               "same_schema_path": "Store(path) creates the database (not timed), then "
                                   "sqlite_utils insert_all(rows) into its comments table",
               "bare_path": "sqlite_utils.Database(path)['comments'].insert_all(rows): a table without primary key, "
                            "indexes or FTS",
               "timing": "best of three alternating runs per side"}
    same_ratio = rate["ours"] / rate["plain_into_our_schema"]
    bare_ratio = rate["ours"] / rate["plain"]
    return [
        {"figure": "4 storage rows/s (comments, same schema)", "ours": round(rate["ours"]),
         "baseline": round(rate["plain_into_our_schema"]), "value": round(same_ratio, 3),
         "goal": ">= 0.8 x insert_all", "met": same_ratio >= 0.8, "details": details},
        {"figure": "4b storage rows/s (vs a bare table)", "ours": round(rate["ours"]), "baseline": round(rate["plain"]),
         "value": round(bare_ratio, 3), "goal": ">= 0.8 x insert_all", "met": bare_ratio >= 0.8,
         "details": {"rows": len(rows), "see": "figure 4 for every time"}},
    ]


# -- 5. memory --------------------------------------------------------------------------------


def bench_memory(small, large, work: Path) -> dict:
    peaks = {}
    for label, (posts, cpp) in (("small", small), ("large", large)):
        log(f"5 memory: replica {posts} posts x {cpp} comments, feeds full")
        with Replica(posts, cpp, feeds="full") as rep:
            result = our_crawl(rep.url, work / f"memory-{label}.db", work / f"memory-{label}.log")
            requests = len(rep.requests())
        peaks[label] = {"posts": posts, "comments": posts * cpp, "rss_mb": round(result["rss_mb"], 1),
                        "wall_s": round(result["wall"], 1), "requests": requests,
                        "stored": db_counts(work / f"memory-{label}.db")}
        log(f"  {label}: peak RSS {result['rss_mb']:.0f} MB, {result['wall']:.0f}s")
    big, small_mb = peaks["large"]["rss_mb"], peaks["small"]["rss_mb"]
    ratio = big / small_mb
    return {
        "figure": "5 peak RSS of a crawl (MB, feeds)", "ours": big, "baseline": small_mb, "value": round(ratio, 2),
        "goal": "large < 1.5 x small and < 300 MB", "met": ratio < 1.5 and big < 300,
        "details": {**peaks, "measure": "VmHWM (peak RSS) of the crawl process, polled every 10 ms from /proc; replica in another process"},
    }


# -- 6. many tracked blogs, nothing changed ----------------------------------------------------


class ReplicaBlogs:
    """``python -m newscrawl.replica --blogs K`` in its own process: K small blogs, one port each."""

    def __init__(self, count: int, posts: int = 5, comments_per_post: int = 3):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newscrawl.replica", "--blogs", str(count), "--posts", str(posts),
             "--comments-per-post", str(comments_per_post)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        self.urls = [self.proc.stdout.readline().strip() for _ in range(count)]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def timed_crawl_all(db: Path, log_file: Path) -> dict:
    """``crawl --all`` timed, with the peak RSS of its process and of each crawl process it forks."""
    result = run_child([sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), *FAST_LOCAL],
                       log_file, timeout=1800, forks=True)
    return {"exit": result["rc"], **{key: result[key] for key in ("wall", "cpu", "peak_rss_mb_per_process",
                                                                   "peak_rss_mb_all_processes", "processes")}}


def bench_tracked_blogs(counts: tuple[int, ...], work: Path) -> list[dict]:
    """K tracked replica blogs, each crawled once; then the timed re-crawl with nothing changed."""
    figures = []
    for count in counts:
        log(f"figure 6: {count} tracked blogs, nothing changed")
        blogs = ReplicaBlogs(count)
        try:
            db = track_all(work / f"tracked-{count}.db", blogs.urls)
            first = timed_crawl_all(db, work / f"tracked-{count}-first.log")
            crawls_before = db_scalar(db, "select coalesce(max(id), 0) from crawls")
            again = timed_crawl_all(db, work / f"tracked-{count}-again.log")
            requests = db_scalar(db, "select sum(requests) from crawls where id > ?", [crawls_before]) or 0
            finished = db_scalar(db, "select count(*) from crawls where id > ? and status = 'finished' and errors = 0",
                                 [crawls_before])
        finally:
            blogs.stop()
        per_blog = requests / count
        projected = again["wall"] * 1000 / count
        log(f"  re-crawl: {again['wall']:.1f}s, {per_blog:.2f} requests/blog, {again['cpu'] / count * 1000:.0f} ms CPU/blog,"
            f" peak RSS {again['peak_rss_mb_per_process']} MB per process ({again['peak_rss_mb_all_processes']} MB all);"
            f" first crawl peak {first['peak_rss_mb_per_process']} MB per process")
        figures.append({
            "figure": f"6 {count} unchanged tracked blogs: crawl --all (s)", "ours": round(again["wall"], 1),
            "baseline": None, "value": f"{projected:.0f}s per 1,000; {per_blog:.2f} req/blog",
            "goal": "1,000 blogs <= 30 s, <= 2 requests per blog",
            "met": projected <= 30 and per_blog <= 2 and again["exit"] == 0 and finished == count,
            "details": {"blogs": count, "first_crawl": first, "re_crawl": again, "requests": requests,
                        "requests_per_blog": round(per_blog, 2), "cpu_ms_per_blog": round(again["cpu"] / count * 1000),
                        "finished_clean": finished, "projected_1000_s": round(projected, 1)},
        })
    return figures


def bench_first_crawl(count: int, work: Path) -> dict:
    """The first crawl of ``count`` blogs (30 posts, 150 comments each) with ``crawl --all`` vs one bare
    Scrapy process fetching the same URLs: robots.txt, the posts feed and the comments feed of each
    blog (150 entries fit one feed page; the crawls rows are checked to have made exactly those)."""
    log(f"figure 6b: first crawl of {count} blogs vs bare Scrapy")
    blogs = ReplicaBlogs(count, posts=30, comments_per_post=5)
    try:
        db = track_all(work / f"first-{count}.db", blogs.urls)
        ours = timed_crawl_all(db, work / f"first-{count}.log")
        requests = db_scalar(db, "select sum(requests) from crawls")
        urls = [url + path for url in blogs.urls for path in (
            "robots.txt", "feeds/posts/default?start-index=1&max-results=500",
            "feeds/comments/default?start-index=1&max-results=500")]
        urls_file = work / f"first-{count}-urls.json"
        urls_file.write_text(json.dumps(urls))
        t0 = time.perf_counter()
        bare = subprocess.run([sys.executable, str(HERE / "bare_spider.py"), "-", str(urls_file), *FAST_LOCAL],
                              capture_output=True, text=True, cwd=ROOT, timeout=900)
        bare_wall = time.perf_counter() - t0
    finally:
        blogs.stop()
    bare_info = json.loads(bare.stdout.strip().splitlines()[-1]) if bare.returncode == 0 else {}
    ratio = ours["wall"] / bare_wall
    log(f"  ours {ours['wall']:.1f}s ({requests} requests), bare {bare_wall:.1f}s ({bare_info.get('responses')}): {ratio:.2f}x")
    return {
        "figure": f"6b first crawl of {count} blogs (s, wall)", "ours": round(ours["wall"], 1),
        "baseline": round(bare_wall, 1), "value": round(ratio, 2), "goal": "<= 1.5 x one bare Scrapy process",
        "met": ratio <= 1.5 and ours["exit"] == 0 and requests == len(urls),
        "details": {"ours": ours, "requests": requests, "bare": bare_info, "bare_wall_s": round(bare_wall, 1),
                    "urls": len(urls), "measure": "wall time of each command, process start-up included on both sides"},
    }


def track_all(db: Path, urls: list[str]) -> Path:
    """A new database tracking these Blogger blogs (named: no detection request)."""
    from newscrawl.storage import Store

    store = Store(db)
    for url in urls:
        store.track_blog(url, "blogger")
    store.close()
    return db


def db_scalar(db: Path, sql: str, params=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


# -- output -----------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scrapy
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "scrapy": scrapy.__version__, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def table(figures: list[dict]) -> str:
    head = ("figure", "ours", "baseline", "ratio/value", "goal", "met?")
    lines = [head] + [(f["figure"], str(f["ours"]), "" if f["baseline"] is None else str(f["baseline"]),
                       str(f["value"]), f["goal"], "yes" if f["met"] else "NO") for f in figures]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines]
    out.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller blogs and rows (about a minute)")
    ap.add_argument("--only", default="1,2,3,4,5,6", help="comma-separated figure numbers to run")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (databases, crawl logs)")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="where to write the JSON")
    args = ap.parse_args(argv)
    sizes = SIZES["quick" if args.quick else "full"]
    only = {int(x) for x in args.only.split(",") if x.strip()}

    work = Path(tempfile.mkdtemp(prefix="newscrawl-bench-"))
    t0 = time.perf_counter()
    figures: list[dict] = []
    errors: dict[str, str] = {}
    steps = [
        (1, lambda: [bench_throughput(sizes["throughput"], work)]),
        (2, lambda: bench_requests(sizes["requests"], work)),
        (3, lambda: [bench_dates(sizes["date_seconds"])]),
        (4, lambda: bench_storage(sizes["storage"], work)),
        (5, lambda: [bench_memory(sizes["memory_small"], sizes["memory_large"], work)]),
        (6, lambda: bench_tracked_blogs(sizes["tracked_blogs"], work) + [bench_first_crawl(200, work)]),
    ]
    for number, step in steps:
        if number not in only:
            continue
        try:
            figures.extend(step())
        except Exception as exc:  # one broken figure must not hide the others
            log(f"figure {number} failed: {exc}")
            errors[str(number)] = str(exc)[-2000:]
    total = time.perf_counter() - t0

    result = {"machine": machine(), "quick": args.quick, "total_seconds": round(total, 1), "work_dir": str(work),
              "figures": figures, "errors": errors}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(table(figures))
    print()
    print(json.dumps({f["figure"]: {k: f[k] for k in ("ours", "baseline", "value", "goal", "met")} for f in figures},
                     indent=2))
    print(f"\n{len(figures)} figures in {total:.0f}s; JSON: {out}" + (f"; work dir {work}" if args.keep else ""))
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
