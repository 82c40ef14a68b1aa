"""What a run of many blogs shows while it runs, read from the ``crawls`` rows the crawls write.

On a terminal: one live line (tqdm) with the blogs done out of all, requests, new posts and
comments, errors and the time elapsed.  In cron or a pipe: one line per blog as its crawl
ends (``blog 3/200: URL: finished, 2 requests, 0 new posts, 0 new comments``).

The crawls run in this process's reactor or in forked crawl processes; either way each one
writes its ``crawls`` row when it ends, so a thread that reads that table every half second
sees them all, whichever process crawled them.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from typing import IO, Any

from .storage import CRAWLS_OF_RUN
from .tracking import crawl_outcome

POLL_SECONDS = 0.5


class CrawlProgress:
    def __init__(self, db_path: str, run: str, total: int, stream: IO[str] | None = None,
                 live: bool | None = None) -> None:
        self.db_path = db_path
        self.run = run
        self.total = total
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.seen: set[int] = set()
        self.totals = {"requests": 0, "posts": 0, "comments": 0, "errors": 0}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar: Any = None

    def __enter__(self) -> "CrawlProgress":
        if self.live:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, unit="blog", file=self.stream, dynamic_ncols=True,
                             desc="newscrawl", bar_format="{desc}: {n_fmt}/{total_fmt} blogs {bar} "
                                                          "[{elapsed}<{remaining}] {postfix}")
        self._thread = threading.Thread(target=self._run, name="newscrawl-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.poll()  # the last crawls to end
        if self._bar is not None:
            self._bar.close()

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.poll()

    def poll(self) -> None:
        for row in self._finished():
            self.seen.add(row["id"])
            self.totals["requests"] += row["requests"] or 0
            self.totals["posts"] += row["posts_new"] or 0
            self.totals["comments"] += row["comments_new"] or 0
            self.totals["errors"] += row["errors"] or 0
            if self._bar is not None:
                self._bar.set_postfix_str(
                    f"{self.totals['requests']} requests, {self.totals['posts']} new posts, "
                    f"{self.totals['comments']} new comments, {self.totals['errors']} failed", refresh=False)
                self._bar.update(1)
            else:
                print(f"blog {len(self.seen)}/{self.total}: {row['blog_url']}: {crawl_outcome(row)}, "
                      f"{row['requests'] or 0} requests, {row['posts_new'] or 0} new posts, "
                      f"{row['comments_new'] or 0} new comments", file=self.stream, flush=True)

    def _finished(self) -> list[dict[str, Any]]:
        try:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error:
            return []
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute(CRAWLS_OF_RUN + " and c.finished is not null order by c.finished, c.id",
                                [self.run]).fetchall()
        except sqlite3.Error:  # busy or being migrated: the next poll reads them
            return []
        finally:
            conn.close()
        return [dict(row) for row in rows if row["id"] not in self.seen]
