"""``newscrawl extract`` on Substack documents saved from the local Substack replica, and on files
it cannot read: those are refused with one ``Error:`` line and exit code 2, never a traceback or
an empty result."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
from newscrawl.replica.substack import SubstackServer, generate_publication

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def substack_site():
    """A publication on 127.0.0.1: (server, publication); the third newest post has no comment."""
    publication = generate_publication(posts=4, comments_per_post=4, seed=7, big_post_comments=0)
    with SubstackServer(publication) as server:
        yield server, publication


def save(tmp_path, url: str, name: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
    path = tmp_path / name
    path.write_bytes(body)
    return path


def extract(path, url: str, *options: str):
    return CliRunner().invoke(cli, ["extract", str(path), "--url", url, *options])


def printed(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def served_comments(post) -> list:
    return [c for top in post.comments for c in top.walk() if c.served]


def assert_refused(result, *words: str) -> str:
    """Exit 2, nothing on stdout, one ``Error:`` line on stderr saying ``words``, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


# -- Substack: what the crawl reads, saved -----------------------------------------------------------


@pytest.mark.parametrize("platform", ["substack", "auto"])
def test_substack_post_page(tmp_path, substack_site, platform):
    server, publication = substack_site
    post = publication.posts[0]
    url = server.post_url(post)
    data = printed(extract(save(tmp_path, url, "post.html"), url, "--platform", platform))
    assert data["blog"]["platform"] == "substack"
    assert data["blog"]["title"] == publication.name
    assert data["post"]["title"] == post.title
    assert data["post"]["url"] == url
    assert data["post"]["platform_id"] == str(post.post_id)
    assert data["post"]["published"].startswith(post.post_date.strftime("%Y-%m-%dT%H:%M"))
    assert data["post"]["content_text"]
    assert data["post"]["comment_count"] == len(served_comments(post))


def test_substack_post_page_says_where_its_comments_are(tmp_path, substack_site, caplog):
    server, publication = substack_site
    post = publication.posts[0]
    url = server.post_url(post)
    printed(extract(save(tmp_path, url, "post.html"), url, "--platform", "substack"))
    assert f"/api/v1/post/{post.post_id}/comments?all_comments=true" in caplog.text


def test_substack_post_api_answer(tmp_path, substack_site):
    server, publication = substack_site
    post = publication.posts[1]
    url = f"{server.url}api/v1/posts/{post.slug}"
    data = printed(extract(save(tmp_path, url, "post.json"), url, "--platform", "substack"))
    [row] = data["posts"]
    assert (row["title"], row["platform_id"]) == (post.title, str(post.post_id))
    assert row["paywalled"] == int(post.paywalled)
    assert data["comments"] == []


def test_substack_archive_api_answer(tmp_path, substack_site):
    server, publication = substack_site
    url = f"{server.url}api/v1/archive?sort=new&offset=0&limit=12"
    data = printed(extract(save(tmp_path, url, "archive.json"), url))  # auto: told by its shape
    assert data["blog"]["platform"] == "substack"
    assert [p["title"] for p in data["posts"]] == [p.title for p in publication.posts]


def test_substack_archive_past_its_end_is_empty_not_refused(tmp_path, substack_site):
    server, _ = substack_site
    url = f"{server.url}api/v1/archive?sort=new&offset=500&limit=12"
    data = printed(extract(save(tmp_path, url, "archive.json"), url, "--platform", "substack"))
    assert data["posts"] == [] and data["comments"] == []


def test_substack_comments_api_answer(tmp_path, substack_site):
    server, publication = substack_site
    post = publication.posts[0]
    url = f"{server.url}api/v1/post/{post.post_id}/comments?all_comments=true&sort=oldest_first"
    data = printed(extract(save(tmp_path, url, "comments.json"), url, "--platform", "substack"))
    want = served_comments(post)
    assert len(want) > 1
    assert sorted(c["platform_id"] for c in data["comments"]) == sorted(str(c.comment_id) for c in want)
    assert {c["post_id"] for c in data["comments"]} == {f"substack:{publication.publication_id}:{post.post_id}"}
    replies = {str(c.comment_id): str(c.parent_id) for c in want if c.parent_id}
    got = {c["platform_id"]: c["parent_id"] for c in data["comments"] if c["parent_id"]}
    assert {k: v.rsplit(":c", 1)[-1] for k, v in got.items()} == replies


# -- refused: one line, exit 2 ---------------------------------------------------------------------


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(3).randbytes(4000))
    for platform in ("auto", "blogger", "wordpress", "substack", "feed"):
        assert_refused(extract(path, "https://x.blogspot.com/2024/01/a.html", "--platform", platform), "binary")


def test_compressed_page_is_named(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><head><title>A post</title></head><body>Text</body></html>"))
    assert_refused(extract(path, "https://example.org/a"), "gzip", "gunzip")


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf\n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    for platform in ("auto", "substack"):
        assert_refused(extract(path, "https://example.substack.com/p/a", "--platform", platform), "empty")


def test_page_of_unknown_kind_is_refused(tmp_path):
    path = tmp_path / "shell.html"
    path.write_bytes(b"<!DOCTYPE html><html><head><script src='/app.js'></script></head>"
                     b"<body><div id='root'></div></body></html>")
    for platform in ("auto", "blogger", "wordpress", "substack", "feed"):
        assert_refused(extract(path, "https://example.org/", "--platform", platform), "nothing found")


def test_substack_home_page_is_refused_with_what_to_extract(tmp_path, substack_site):
    server, _ = substack_site
    path = save(tmp_path, server.url, "home.html")
    for platform in ("auto", "substack"):
        line = assert_refused(extract(path, server.url, "--platform", platform), "/p/SLUG", "/api/v1/archive")
        assert "IndexError" not in line


def test_substack_feed_is_refused_under_substack_and_read_as_a_plain_feed(tmp_path, substack_site):
    server, publication = substack_site
    url = server.url + "feed"
    path = save(tmp_path, url, "feed.xml")
    for platform in ("auto", "substack"):
        assert_refused(extract(path, url, "--platform", platform), "Substack feed", "--platform feed")
    data = printed(extract(path, url, "--platform", "feed"))
    assert [p["title"] for p in data["posts"]] == [p.title for p in publication.posts]


def test_substack_json_that_is_no_api_answer_is_refused(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text('{"hello": "world"}')
    assert_refused(extract(path, "https://x.substack.com/api/v1/posts/a", "--platform", "substack"),
                   "not a substack document", "no post")
    assert_refused(extract(path, "https://example.org/x.json", "--platform", "wordpress"), "JSON")


def test_feed_of_another_platform_is_refused_not_a_traceback(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                    '<link>https://example.org/</link></channel></rss>')
    assert_refused(extract(path, "https://x.blogspot.com/feeds/posts/default", "--platform", "blogger"),
                   "not a blogger document", "not an Atom feed")


def test_refusal_as_a_user_sees_it(tmp_path, substack_site):
    """The real command in a process of its own: stdout empty, stderr the one Error: line, exit 2."""
    server, _ = substack_site
    noise = tmp_path / "noise.bin"
    noise.write_bytes(random.Random(5).randbytes(2000))
    home = save(tmp_path, server.url, "home.html")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    for path, url in ((noise, "https://example.org/a"), (home, server.url)):
        result = subprocess.run([sys.executable, "-m", "newscrawl", "extract", str(path), "--url", url], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert [line[:7] for line in result.stderr.splitlines()] == ["Error: "], result.stderr
