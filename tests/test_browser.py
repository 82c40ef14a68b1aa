"""A real browser on ``newscrawl serve``: Debian's Chromium, headless, renders the Datasette
pages for a post and for the latest comments, finds the expected text, and screenshots both.

Screenshots land in the test's tmp_path and, for people to look at, in ``data/screenshots/``
(git-ignored); those the README shows are written to ``docs/screenshots/`` too, so the README
shows what a user gets, made by this test. Skipped where Chromium is not installed: run
``.ci/install-chromium.sh``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

import lxml.html
import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from processes import end_process_group
from replica_compare import rows, run_crawl, words

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "data" / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
# Without these flags Chromium tries to reach Google hosts (and cannot run as root).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY_NAME = "latest_comments"
FALLBACK_SQL = "select author, content_text from comments order by published desc limit 5"


def _run_bounded(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run ``command`` in its own session; on timeout kill the whole group, then fail."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        end_process_group(proc)
        out, err = proc.communicate()
        pytest.fail(f"timed out after {timeout}s: {' '.join(command)}\n{err.decode(errors='replace')[-3000:]}")
    finally:
        end_process_group(proc)
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, timeout: float = 10) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium unavailable: run .ci/install-chromium.sh")
    return path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    blog = generate_blog(posts=6, comments_per_post=3, seed=3, big_post_comments=0)
    # Datasette names the database after the file: /newscrawl/...
    db = tmp_path_factory.mktemp("browser") / "newscrawl.db"
    with ReplicaServer(blog, template="threaded") as server:
        run_crawl(server.url, db)
    return blog, db


@pytest.fixture(scope="module")
def served(crawled, tmp_path_factory):
    """``newscrawl serve`` on a free port, as a user runs it; its base URL."""
    _, db = crawled
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newscrawl", "serve", "--db", str(db), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"newscrawl serve exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
            try:
                _get_json(f"{base}/newscrawl.json", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                if time.monotonic() > deadline:
                    pytest.fail(f"newscrawl serve did not answer in 60s:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.3)
        yield base
    finally:
        end_process_group(proc)


def browse(chromium: str, url: str, tmp_path: Path, name: str, for_readme: bool = False,
           height: int = 1600) -> str:
    """Render ``url`` headless: the DOM's visible text, and a screenshot ``name``.png in
    tmp_path and data/screenshots/ (and docs/screenshots/, ``for_readme``)."""
    def run(*args: str) -> subprocess.CompletedProcess:
        # A new empty profile each run: no first-run state, no leftover lock.
        profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
        result = _run_bounded([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url], timeout=90)
        assert result.returncode == 0, f"chromium {args} failed ({result.returncode}):\n" \
                                       f"{result.stderr.decode(errors='replace')[-3000:]}"
        return result

    dom = run("--dump-dom").stdout.decode("utf-8", errors="replace")
    assert "<html" in dom.lower(), f"no DOM dumped for {url}: {dom[:500]!r}"
    (tmp_path / f"{name}.html").write_text(dom)
    document = lxml.html.fromstring(dom)
    for junk in document.xpath("//script|//style"):
        junk.drop_tree()
    text = words(document.text_content())

    shot = tmp_path / f"{name}.png"
    run(f"--screenshot={shot}", f"--window-size=1280,{height}")
    assert shot.is_file(), f"no screenshot written for {url}"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG"
    assert len(data) > 10_000, f"{shot} is only {len(data)} bytes: a blank page?"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOTS / shot.name)
    if for_readme:
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOTS / shot.name)
    print(f"\nscreenshot: {SCREENSHOTS / shot.name} ({len(data)} bytes) <- {url}")
    return text


def test_post_page_shows_the_post_and_its_comments(chromium, crawled, served, tmp_path):
    blog, db = crawled
    post = rows(db, "select p.id, p.title, p.content_text, (select count(*) from comments c where c.post_id = p.id) as n"
                    " from posts p where p.title is not null order by n desc, p.published desc limit 1")[0]
    assert post["n"] > 0, "the replica blog should have commented posts"

    text = browse(chromium, f"{served}/newscrawl/posts/{quote(post['id'], safe='')}", tmp_path, "browser-post")

    assert words(post["title"]) in text, f"post title {post['title']!r} not on the page: {text[:1000]}"
    assert words(post["content_text"])[:60] in text, "the post's text is not on the page"
    # Datasette's "Links from other tables": the post's comments, counted.
    assert f"{post['n']} rows from post_id in comments" in text, text[-1500:]


def test_latest_comments_page_shows_the_newest_comment(chromium, crawled, served, tmp_path):
    _, db = crawled
    newest = rows(db, "select author, content_text from comments where deleted = 0 and author is not null"
                      " order by published desc limit 1")[0]

    database = _get_json(f"{served}/newscrawl.json")
    names = {q if isinstance(q, str) else q.get("name")
             for q in (database.get("queries") or []) + (database.get("views") or [])}
    if QUERY_NAME in names:
        url = f"{served}/newscrawl/{QUERY_NAME}"
    else:  # no canned query or view (yet): the same question in SQL
        url = f"{served}/newscrawl?{urlencode({'sql': FALLBACK_SQL})}"
    print(f"\nquery page: {url}")

    text = browse(chromium, url, tmp_path, "browser-latest-comments")

    assert words(newest["author"]) in text, f"newest comment's author {newest['author']!r} not on {url}: {text[:1500]}"



def test_database_page_lists_the_tables_without_the_internal_ones(chromium, served, tmp_path):
    text = browse(chromium, f"{served}/newscrawl", tmp_path, "database", for_readme=True, height=1000)
    for name in ("posts", "comments", "blogs", "Latest comments", "Most discussed posts", "Search all tables"):
        assert name in text, f"{name!r} not on the database page: {text[:1500]}"
    assert "crawl_state" not in text and "robots_txt" not in text


def test_comments_page_folds_the_column_descriptions_and_shows_rows_first(chromium, served, tmp_path):
    text = browse(chromium, f"{served}/newscrawl/comments", tmp_path, "comments", height=1000)
    dom = lxml.html.fromstring((tmp_path / "comments.html").read_text())
    [fold] = dom.xpath("//details[@class='newscrawl-column-descriptions']")
    assert fold.xpath("./summary")[0].text_content() == "What each column means" and fold.get("open") is None
    assert fold.xpath(".//dl[@class='column-descriptions']"), "the descriptions are inside the fold"
    assert "What each column means" in text


def test_chart_page_draws_the_chart_with_the_pages_filter(chromium, crawled, served, tmp_path):
    _, db = crawled
    [blog] = rows(db, "select id from blogs")
    url = f"{served}/newscrawl/comments_per_day?blog_id__exact={quote(blog['id'], safe='')}"
    browse(chromium, url, tmp_path, "chart", for_readme=True, height=1000)
    dom = lxml.html.fromstring((tmp_path / "chart.html").read_text())
    [image] = [img for img in dom.xpath("//img") if "comments-per-day.svg" in img.get("src", "")]
    assert image.get("src").endswith(f"comments-per-day.svg?blog_id__exact={quote(blog['id'], safe='')}")
    with urllib.request.urlopen(image.get("src") if image.get("src").startswith("http")
                                else f"{served}{image.get('src')}", timeout=10) as answer:
        assert answer.status == 200 and b"<polyline" in answer.read()


def test_thread_page_shows_a_discussion_indented_in_reply_order(chromium, crawled, served, tmp_path):
    _, db = crawled
    threads = defaultdict(list)
    for row in rows(db, "select post_id, depth from comment_threads order by post_id, path"):
        threads[row["post_id"]].append(row["depth"])
    # the post whose first reply comes soonest: the screenshot shows a reply indented
    post_id = min((p for p in threads if max(threads[p]) > 0), key=lambda p: [d > 0 for d in threads[p]].index(True))
    [post] = rows(db, "select id, title from posts where id = ?", [post_id])
    thread = rows(db, "select id, author, depth from comment_threads where post_id = ? order by path", [post["id"]])
    text = browse(chromium, f"{served}/-/newscrawl/post/{quote(post['id'], safe=':')}", tmp_path, "thread",
                  for_readme=True, height=2000)
    assert words(post["title"]) in text
    dom = lxml.html.fromstring((tmp_path / "thread.html").read_text())
    shown = [(node.get("id"), int(node.get("data-depth"))) for node in dom.xpath("//*[@data-depth]")]
    assert [depth for _, depth in shown] == [row["depth"] for row in thread], shown
    assert max(depth for _, depth in shown) >= 1, "the replica's threads have replies"
