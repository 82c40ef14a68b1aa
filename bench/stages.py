"""Where a post page's time goes: our pipeline's stages timed one by one, in one process, in ms per page.

    python bench/stages.py                  # 300 post pages of 20 comments (the replica of figure 1)
    python bench/stages.py --posts 1000 --json stages.json
    python bench/stages.py --profile out.prof   # the same run under cProfile

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

from newscrawl.prepare import Rows, context_of, prepare  # noqa: E402
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
    args = ap.parse_args(argv)
    pages = fetch_post_pages(args.posts, args.comments_per_post)
    with tempfile.TemporaryDirectory() as work:
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        spent = run_stages(pages, Path(work) / "stages.db")
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
    per_page = {name: round(seconds * 1000 / len(pages), 3) for name, seconds in spent.items()}
    per_page["total"] = round(sum(spent.values()) * 1000 / len(pages), 3)
    width = max(map(len, per_page))
    print(f"{len(pages)} post pages, {args.comments_per_post} comments each: ms per page")
    for name, ms in per_page.items():
        print(f"  {name.ljust(width)}  {ms:8.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": len(pages), "ms_per_page": per_page}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
