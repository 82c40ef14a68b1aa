"""A distributed crawl (``newscrawl crawl --all --redis`` and ``newscrawl worker``) of every platform
writes what a local ``crawl --all`` writes: plain feed sites, Substack, WordPress (REST) and Blogger
(feeds, summary feeds with post pages, and ``--feeds off``: the HTML archive).

Through Redis, scrapy-redis pickles each request with its callback, errback, ``cb_kwargs`` and
``meta`` (items such as ``feed_post``/``post``, tuples of references, comment-page lists): a
request it cannot serialize would fail the crawl on a worker, not locally.  tests/test_distributed.py
proves the Blogger feed path; this file the other spiders and paths, with its Redis server, worker
and coordinator runs and table comparison.
"""

from __future__ import annotations

import json
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest

from hostile_wordpress import HostileWordPress
from newscrawl.replica import generate_blog
from newscrawl.replica.feedsite import FeedSiteServer
from newscrawl.replica.server import ReplicaServer
from newscrawl.replica.substack import SubstackServer, generate_publication
from newscrawl.storage import Store
from replica_compare import rows
from test_distributed import ENV, QUICK, ROOT, newscrawl, redis_url, run_distributed, table  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow

# A zone without summer time, as tests/test_crawl_feed.py uses: a blog row's timezone is an offset
# learned from the first page or feed that shows one, and in a zone with summer time that offset
# depends on which page came first, which differs between a local crawl (Scrapy's memory queue)
# and scrapy-redis's (a sorted set: requests of one priority ordered by their pickled bytes), so the
# blogs rows could differ (-07:00 against -08:00 for America/Los_Angeles, generate_blog's default).
ZONE = "Asia/Kolkata"

# Figures of a crawls row that tell what the crawl did (not when, nor by which process).
FIGURES = ["blog_url", "blog_id", "spider", "status", "requests", "posts_new", "posts_updated", "comments_new",
           "comments_updated", "errors", "items_skipped"]


def feed_sites(stack: ExitStack) -> list[FeedSiteServer]:
    """Two plain feed sites: RSS with comment feeds (``refs`` tuples in cb_kwargs), and Atom
    summaries with Drupal comments on the post pages (a ``PostItem`` in cb_kwargs)."""
    blog = generate_blog(posts=12, comments_per_post=3, seed=41, big_post_comments=14, timezone=ZONE)
    variants = [dict(format="rss", content="full", paging="paged", comment_feeds=True),
                dict(format="atom", content="summary", paging="next", comment_feeds=False, markup="drupal")]
    return [stack.enter_context(FeedSiteServer(blog, **variant)) for variant in variants]


def substack(stack: ExitStack) -> tuple[str, str]:
    publication = generate_publication(posts=10, comments_per_post=4, seed=43, big_post_comments=30)
    return stack.enter_context(SubstackServer(publication, archive_cap=6)).url, "substack"


def blogger(stack: ExitStack, seed: int, **options) -> ReplicaServer:
    server = ReplicaServer(generate_blog(posts=8, comments_per_post=3, seed=seed, big_post_comments=0,
                                         timezone=ZONE), **options)
    server.start()
    stack.callback(server.stop)
    return server


def asked(server, part: str) -> int:
    """How many requests for addresses holding ``part`` the server answered (both crawls together)."""
    return sum(part in path for path in list(server.requests))


def tracked(path: Path, blogs: list[tuple[str, str]]) -> Path:
    """A database tracking each blog with its platform named (no detection request)."""
    store = Store(path)
    try:
        for url, platform in blogs:
            store.track_blog(url, platform)
    finally:
        store.close()
    return path


def crawl_locally(db: Path, *extra: str) -> None:
    result = subprocess.run(newscrawl("crawl", "--all", "--db", str(db), "--log-level", "WARNING", *QUICK, *extra),
                            capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]


def assert_same_as_local(tmp_path: Path, url: str, blogs: list[tuple[str, str]], *extra: str) -> list[dict]:
    """Crawl ``blogs`` locally and through Redis (two workers) with the same options; the two
    databases hold the same rows.  Returns the distributed run's crawls rows."""
    local = tracked(tmp_path / "local.db", blogs)
    crawl_locally(local, *extra)
    db = tracked(tmp_path / "distributed.db", blogs)
    result, ended = run_distributed(db, url, workers=2, worker_extra=("-s", "NEWSCRAWL_CONCURRENT_BLOGS=4"),
                                    crawl_extra=extra)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:] + "".join(e[-3000:] for _, _, e in ended)
    assert all(code == 0 for code, _, _ in ended), [err[-3000:] for _, _, err in ended]
    tracebacks = [err[err.index("Traceback") - 300:][:4000] for _, _, err in ended if "Traceback" in err]
    assert not tracebacks, "a worker logged a traceback:\n" + "\n----\n".join(tracebacks)

    for name in ("blogs", "posts", "comments"):
        assert table(db, name) == table(local, name), name
    assert rows(db, "select * from links order by post_id, position") == \
        rows(local, "select * from links order by post_id, position")
    assert {r["url"]: json.loads(r["state"]) for r in rows(db, "select * from crawl_state")} == \
        {r["url"]: json.loads(r["state"]) for r in rows(local, "select * from crawl_state")}
    crawls = rows(db, "select * from crawls order by blog_url")
    assert [{k: r[k] for k in FIGURES} for r in crawls] == \
        [{k: r[k] for k in FIGURES} for r in rows(local, "select * from crawls order by blog_url")]
    assert sorted(r["blog_url"] for r in crawls) == sorted(u for u, _ in blogs)
    assert all(r["status"] == "finished" and r["errors"] == 0 for r in crawls), crawls
    # every request of every crawl went through Redis (pickled with its callback, cb_kwargs and meta), as
    # many as a local crawl schedules in memory
    local_crawls = {r["blog_url"]: json.loads(r["stats"]) for r in rows(local, "select * from crawls")}
    assert {r["blog_url"]: json.loads(r["stats"]).get("scheduler/enqueued/redis") for r in crawls} == \
        {blog: stats.get("scheduler/enqueued/memory") for blog, stats in local_crawls.items()}
    # every platform stored something: a blog that silently crawled nothing would compare equal too
    assert all(r["posts_new"] > 0 and r["comments_new"] > 0 for r in crawls), [{k: r[k] for k in FIGURES}
                                                                             for r in crawls]
    return crawls


def test_every_platform_through_redis_writes_what_a_local_crawl_writes(tmp_path, redis_url):  # noqa: F811
    with ExitStack() as stack:
        feeds = feed_sites(stack)
        threaded = blogger(stack, 44, template="threaded")
        # summary feeds: each post page is asked with its feed entry in cb_kwargs (feed_post)
        summary = blogger(stack, 45, template="minima", feeds="summary")
        blogs = [*((server.url, "feed") for server in feeds), substack(stack),
                 (stack.enter_context(HostileWordPress(posts=5, comments=130)).url, "wordpress"),
                 (threaded.url, "blogger"), (summary.url, "blogger")]
        crawls = assert_same_as_local(tmp_path, redis_url, blogs)
        # the paths meant were taken: comment feeds, post pages for bodies (twice each: local, distributed)
        assert asked(feeds[0], "/comments/") >= 2 and asked(feeds[1], "/comments/") == 0
        assert asked(feeds[1], ".html") >= 2 * len(feeds[1].blog.posts)
        assert asked(summary, ".html") == 2 * len(summary.blog.posts) and asked(threaded, ".html") == 0
    assert {r["spider"] for r in crawls} == {"feed", "substack", "wordpress", "blogger"}


def test_feeds_off_through_redis_writes_what_a_local_crawl_writes(tmp_path, redis_url):  # noqa: F811
    """The HTML archive of Blogger blogs (classic comment pages, the threaded widget's comment
    feed with the pages in meta), and Substack, which reads its API either way.  (A plain feed
    site has nothing but its feed; WordPress with its API off reads feeds and HTML, which
    hostile_wordpress.py does not serve.)"""
    with ExitStack() as stack:
        classic = blogger(stack, 46, template="minima", comments_per_page=2)
        threaded = blogger(stack, 47, template="contempo", comments_per_page=2)
        blogs = [(classic.url, "blogger"), (threaded.url, "blogger"), substack(stack)]
        assert_same_as_local(tmp_path, redis_url, blogs, "--feeds", "off")
        # the HTML paths meant were taken: comment pages; the widget's "load more" comment feeds
        assert asked(classic, "commentPage=") >= 2 and asked(classic, "/feeds/posts/") == 0
        assert asked(threaded, "/comments/default") >= 2 and asked(threaded, "/feeds/posts/") == 0
