"""Where a post page's time goes: our pipeline's stages timed one by one, in one process, in ms per page.

    python bench/stages.py                  # 300 post pages of 20 comments (the replica of figure 1)
    python bench/stages.py --posts 1000 --json stages.json
    python bench/stages.py --profile out.prof   # the same run under cProfile
    python bench/stages.py --feeds          # figure 6b's blogs instead: both feeds of 20 blogs, ms per blog

The pages are fetched from the replica first (not timed), then each stage runs over all of them
as a crawl runs it: ``parse_html`` (platforms/blogger), ``prepare`` (prepare.py: the one path from
a parser's items to rows that crawls, ``extract`` and tests share: dates, split comments, links,
commentary, rows) and ``Store.write_rows`` per 1,000 rows (storage.py).  What figure 1 cannot
show: which stage costs what, apart from Scrapy's own work; ``--profile`` splits ``prepare`` further.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from newscrawl.prepare import Rows, context_of, prepare, prepare_all  # noqa: E402
from newscrawl.platforms import blogger  # noqa: E402
from newscrawl.replica import ReplicaServer, generate_blog  # noqa: E402
from newscrawl.storage import Store  # noqa: E402


def fetch_post_pages(posts: int, comments_per_post: int) -> list[tuple[str, bytes]]:
    """The post pages of the figure-1 blog (template minima), as (url, body)."""
    blog = generate_blog(posts=posts, comments_per_post=comments_per_post, seed=1, big_post_comments=0)
    with ReplicaServer(blog, template="minima", feeds="none") as server:
        pages = []
        for post in blog.posts:
            url = server.post_url(post)
            with urllib.request.urlopen(url, timeout=30) as response:
                pages.append((url, response.read()))
    return pages


def fetch_feed_pages(blogs: int) -> list[tuple[str, bytes]]:
    """The posts feed and the comments feed of ``blogs`` blogs as figure 6b generates them (30 posts
    and 150 comments each: one page of each feed), as (url, body)."""
    from newscrawl.replica.server import start_blogs, stop_blogs

    from run import FIRST_CRAWL_BLOG, FIRST_CRAWL_FEED_PATHS  # bench/run.py: figure 6b's definition

    servers = start_blogs(blogs, port=0, seed=1, **FIRST_CRAWL_BLOG)
    try:
        pages = []
        for server in servers:
            for path in FIRST_CRAWL_FEED_PATHS:
                with urllib.request.urlopen(server.url + path, timeout=30) as response:
                    pages.append((server.url + path, response.read()))
        return pages
    finally:
        stop_blogs(servers)


def run_feed_stages(pages: list[tuple[str, bytes]], db: Path) -> dict[str, float]:
    """Seconds spent in each stage over all feed pages, each page's rows written as a crawl writes
    a blog's: ``parse_feed``, ``prepare`` and ``write_rows``."""
    spent = {"parse_feed": 0.0, "prepare": 0.0, "write_rows": 0.0}
    store = Store(db)
    for url, body in pages:
        t0 = time.perf_counter()
        page = blogger.parse_feed(body, url)
        t1 = time.perf_counter()
        rows = prepare_all([*page.posts, *page.comments], context_of(page.blog))
        t2 = time.perf_counter()
        store.write_rows(posts=rows.posts, comments=rows.comments, links=rows.links)
        t3 = time.perf_counter()
        spent["parse_feed"] += t1 - t0
        spent["prepare"] += t2 - t1
        spent["write_rows"] += t3 - t2
    store.close()
    return spent


def run_stages(pages: list[tuple[str, bytes]], db: Path) -> dict[str, float]:
    """Seconds spent in each stage over all pages."""
    spent: dict[str, float] = {}

    def timed(name, fn, *args):
        t0 = time.perf_counter()
        result = fn(*args)
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
        return result

    # one-time costs (tldextract's suffix list, compiled XPaths, date caches) are not per page
    for url, body in pages[:5]:
        warm = blogger.parse_html(body.decode("utf-8"), url)
        prepare(warm.posts[0], context_of(warm.blog))
    rows = Rows()
    for url, body in pages:
        page = timed("parse_html", blogger.parse_html, body.decode("utf-8"), url)
        context = context_of(page.blog)
        for post in page.posts:
            rows.extend(timed("prepare", prepare, post, context))
    store = Store(db)
    for start in range(0, len(rows.posts), 1000):
        batch = rows.posts[start:start + 1000]
        links = {row["id"]: rows.links[row["id"]] for row in batch if row["id"] in rows.links}
        timed("write_rows", lambda b, ls: store.write_rows(posts=b, links=ls), batch, links)
    for start in range(0, len(rows.comments), 1000):
        timed("write_rows", lambda b: store.write_rows(comments=b), rows.comments[start:start + 1000])
    store.close()
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=300)
    ap.add_argument("--comments-per-post", type=int, default=20)
    ap.add_argument("--profile", help="write a cProfile of the timed stages here")
    ap.add_argument("--json", help="write the figures here as JSON")
    ap.add_argument("--feeds", action="store_true",
                    help="figure 6b's blogs: both feed pages of --blogs blogs (30 posts, 150 comments each), ms per blog")
    ap.add_argument("--blogs", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5, help="with --feeds: the best of this many rounds")
    args = ap.parse_args(argv)
    pages = fetch_feed_pages(args.blogs) if args.feeds else fetch_post_pages(args.posts, args.comments_per_post)
    stages = run_feed_stages if args.feeds else run_stages
    with tempfile.TemporaryDirectory() as work:
        if args.feeds:  # the first round warms the caches (compiled XPaths, dates); the best round counts
            stages(pages, Path(work) / "warm.db")
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        rounds = [stages(pages, Path(work) / f"stages-{n}.db") for n in range(args.rounds if args.feeds else 1)]
        spent = min(rounds, key=lambda times: sum(times.values()))
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
    units = args.blogs if args.feeds else len(pages)
    per_page = {name: round(seconds * 1000 / units, 3) for name, seconds in spent.items()}
    per_page["total"] = round(sum(spent.values()) * 1000 / units, 3)
    width = max(map(len, per_page))
    print(f"{args.blogs} blogs' feeds (30 posts, 150 comments each): ms per blog, best of {args.rounds} rounds"
          if args.feeds else f"{len(pages)} post pages, {args.comments_per_post} comments each: ms per page")
    for name, ms in per_page.items():
        print(f"  {name.ljust(width)}  {ms:8.3f}")
    if args.json:
        key = "ms_per_blog" if args.feeds else "ms_per_page"
        Path(args.json).write_text(json.dumps({"pages": len(pages), key: per_page}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
