"""One crawler for many blogs (``newscrawl/blogs.py``): ``crawl --all`` runs one Scrapy crawler per
process, whatever the number of blogs, and still keeps each blog's books apart: its own requests,
rows, errors and marks.  Blogs are replica blogs on 127.0.0.1, each its own server."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack
from datetime import datetime

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import FAST_LOCAL, rows
from test_many_blogs import add, closed_port_url

pytestmark = pytest.mark.slow

TEMPLATES = ("minima", "threaded", "contempo", "minima")


def crawl_all(db, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), "--processes", "1",
               "--log-level", "INFO", *FAST_LOCAL, "-s", "RETRY_TIMES=0", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def overlapping(intervals: list[tuple[datetime, datetime]]) -> int:
    """The most intervals open at one moment."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals],
                    key=lambda event: (event[0], event[1]))
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


def test_one_crawler_keeps_each_blogs_books(tmp_path):
    db = tmp_path / "tracked.db"
    blogs = [generate_blog(posts=4 + n, comments_per_post=2 + n, seed=60 + n, big_post_comments=0)
             for n in range(len(TEMPLATES))]
    refused = closed_port_url()
    with ExitStack() as stack:
        servers = [stack.enter_context(ReplicaServer(blog, template=template))
                   for blog, template in zip(blogs, TEMPLATES)]
        for url in [server.url for server in servers] + [refused]:
            add(db, url)
        result = crawl_all(db, "-s", "NEWSCRAWL_CONCURRENT_BLOGS=2")
        asked = {server.url: list(server.requests) for server in servers}

    assert result.returncode == 1, result.stderr[-3000:]  # the refused blog failed, alone
    # one crawler for the five blogs: Scrapy opens its spider once
    assert result.stderr.count("Spider opened") == 1, result.stderr[-3000:]
    # each blog was closed by its own last request, none left for the crawler's end
    assert "still open when the crawler finished" not in result.stderr
    crawls = {row["blog_url"]: row for row in rows(db, "select * from crawls")}
    assert len(crawls) == 5
    for server, blog in zip(servers, blogs):
        crawl = crawls[server.url]
        assert crawl["status"] == "finished" and crawl["errors"] == 0, crawl
        # the requests each blog's own server answered, robots.txt included, and no other blog's
        assert crawl["requests"] == len(asked[server.url]), (crawl["requests"], asked[server.url])
        stored = rows(db, "select count(*) as n from posts where blog_id = ?", [crawl["blog_id"]])[0]["n"]
        assert crawl["posts_new"] == stored == len(blog.posts)
        comments = rows(db, "select count(*) as n from comments where blog_id = ?", [crawl["blog_id"]])[0]["n"]
        assert crawl["comments_new"] == comments == sum(len(post.comments) for post in blog.posts)
    failed = crawls[refused]
    assert failed["errors"] >= 1 and failed["posts_new"] == 0 and failed["requests"] >= 1
    # only the readable blogs moved their marks
    assert {row["url"] for row in rows(db, "select url from crawl_state")} == {server.url for server in servers}
    # at most NEWSCRAWL_CONCURRENT_BLOGS blogs were open at once, and more than one was
    spans = []
    for crawl in crawls.values():
        stats = json.loads(crawl["stats"])
        spans.append((datetime.fromisoformat(stats["start_time"]), datetime.fromisoformat(stats["finish_time"])))
    assert overlapping(spans) == 2


def test_a_blog_stopped_alone_in_a_crawler_of_many(tmp_path):
    """A blog whose site claims another tracked blog's id is stopped, and only that blog: the
    crawler's other blogs go on to the end."""
    db = tmp_path / "tracked.db"
    blog = generate_blog(posts=6, comments_per_post=3, seed=70, big_post_comments=0)
    other = generate_blog(posts=3, comments_per_post=2, seed=71, big_post_comments=0)
    with ReplicaServer(blog) as original, ReplicaServer(blog, template="contempo") as impostor, \
            ReplicaServer(other) as third:
        add(db, original.url)
        first = crawl_all(db)
        assert first.returncode == 0, first.stderr[-3000:]
        add(db, impostor.url)
        add(db, third.url)
        second = crawl_all(db, "-s", "NEWSCRAWL_CONCURRENT_BLOGS=3", "-s", "NEWSCRAWL_BATCH_SIZE=5")
    assert second.returncode == 1, second.stderr[-3000:]
    assert "still open when the crawler finished" not in second.stderr
    last = {row["blog_url"]: row for row in rows(db, "select * from crawls order by id")}
    assert last[impostor.url]["status"] == "failed" and "says it is" in last[impostor.url]["reason"]
    assert last[third.url]["status"] == "finished" and last[third.url]["posts_new"] == len(other.posts)
    assert last[original.url]["status"] == "finished"
    # the impostor wrote nothing under the tracked blog's id
    assert rows(db, "select count(*) as n from posts where url like ?", [impostor.url + "%"])[0]["n"] == 0


def test_a_scheduler_that_cannot_tell_blogs_apart_is_refused(tmp_path):
    """Another SCHEDULER would not say which blog's requests it holds, and blogs would be closed
    (their crawls rows written) while their requests still wait: the run refuses, and says why."""
    db = tmp_path / "tracked.db"
    add(db, closed_port_url())
    result = crawl_all(db, "-s", "SCHEDULER=scrapy.core.scheduler.Scheduler")
    assert result.returncode == 1
    assert "needs newscrawl.blogs.BlogScheduler" in result.stdout
    assert rows(db, "select count(*) as n from crawls")[0]["n"] == 0


def test_each_blog_has_its_own_page_cap(tmp_path):
    """NEWSCRAWL_MAX_PAGES_PER_BLOG counts one blog's pages: a big archive stopped at the cap does not
    use up the budget of the small blog crawled beside it in the same crawler."""
    db = tmp_path / "tracked.db"
    big = generate_blog(posts=30, comments_per_post=2, seed=80, big_post_comments=0)
    small = generate_blog(posts=3, comments_per_post=2, seed=81, big_post_comments=0)
    with ReplicaServer(big, feeds="none") as archive, ReplicaServer(small) as feeds:
        add(db, archive.url)
        add(db, feeds.url)
        result = crawl_all(db, "-s", "NEWSCRAWL_MAX_PAGES_PER_BLOG=8", "-s", "NEWSCRAWL_CONCURRENT_BLOGS=2")
    assert result.returncode == 1, result.stderr[-3000:]
    crawls = {row["blog_url"]: row for row in rows(db, "select * from crawls")}
    capped, clean = crawls[archive.url], crawls[feeds.url]
    assert "page cap" in " ".join(r["reason"] for r in rows(db, "select reason from errors where blog_url = ?",
                                                              [archive.url]))
    assert json.loads(capped["stats"])["newscrawl/pages/over_cap"] > 0
    assert clean["status"] == "finished" and clean["errors"] == 0 and clean["posts_new"] == len(small.posts)
    assert "newscrawl/pages/over_cap" not in json.loads(clean["stats"])
