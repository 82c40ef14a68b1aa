"""The progress of a run of many blogs, read from the crawls rows as they end: one line per blog
in a pipe, one live tqdm line on a terminal."""

import io

from newscrawl.progress import CrawlProgress
from newscrawl.storage import Store


def _crawl(store: Store, url: str, run: str = "this-run", **figures) -> int:
    crawl_id = store.start_crawl("blogger", url, run=run)
    store.finish_crawl(crawl_id, status="finished", **figures)
    return crawl_id


def test_one_line_per_blog_as_its_crawl_ends(tmp_path):
    db = tmp_path / "p.db"
    store = Store(db)
    _crawl(store, "https://old.example/", run="earlier-run", requests=9)  # not counted
    running = store.start_crawl("blogger", "https://running.example/", run="this-run")
    out = io.StringIO()
    with CrawlProgress(str(db), "this-run", 3, stream=out, live=False) as progress:
        _crawl(store, "https://a.example/", requests=2, posts_new=1, comments_new=4)
        progress.poll()
        # a `scrapy crawl` ending meanwhile, beside this run: not counted
        _crawl(store, "https://beside.example/", run=None, requests=5)
        _crawl(store, "https://b.example/", requests=3, errors=1)
    store.finish_crawl(running, status="shutdown")
    store.close()
    lines = out.getvalue().splitlines()
    assert lines == [
        "blog 1/3: https://a.example/: finished, 2 requests, 1 new posts, 4 new comments",
        "blog 2/3: https://b.example/: finished, 1 failed (see errors), 3 requests, 0 new posts, 0 new comments",
    ]


def test_a_live_line_on_a_terminal(tmp_path):
    db = tmp_path / "p.db"
    store = Store(db)
    out = io.StringIO()
    with CrawlProgress(str(db), "this-run", 2, stream=out, live=True):
        _crawl(store, "https://a.example/", requests=2, comments_new=5)
        _crawl(store, "https://b.example/", requests=2)
    store.close()
    text = out.getvalue()
    assert "2/2 blogs" in text and "4 requests, 0 new posts, 5 new comments, 0 failed" in text
    assert "https://a.example/" not in text  # one line for the run, not one per blog
