"""Datasette opens a crawled database with newscrawl's metadata (Datasette's own test client)."""

from __future__ import annotations

import asyncio

import pytest
from datasette.app import Datasette

from newscrawl.browse import datasette_metadata
from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import rows, run_crawl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    blog = generate_blog(posts=12, comments_per_post=4, seed=3, big_post_comments=0)
    db = tmp_path_factory.mktemp("browse") / "newscrawl.db"
    with ReplicaServer(blog, template="threaded") as server:
        run_crawl(server.url, db)
    return blog, db


def get_json(db, path):
    async def fetch():
        ds = Datasette([str(db)], metadata=datasette_metadata(db))
        response = await ds.client.get(path)
        return response.status_code, response.json()

    return asyncio.run(fetch())


def test_every_table_opens_with_its_rows(crawled):
    blog, db = crawled
    for table in ("blogs", "posts", "comments", "crawls"):
        status, data = get_json(db, f"/newscrawl/{table}.json?_shape=objects&_size=max")
        assert status == 200, data
        count = rows(db, f"select count(*) as n from {table}")[0]["n"]
        assert len(data["rows"]) == count > 0
    status, data = get_json(db, "/newscrawl/posts.json?_shape=objects&_size=max")
    assert {r["title"] for r in data["rows"]} == {p.title or None for p in blog.posts}


def test_full_text_search_over_comments(crawled):
    blog, db = crawled
    comment = next(c for c in blog.all_comments() if not c.removed and len(c.content_text.split()) > 3)
    word = max(comment.content_text.split(), key=len).strip(".,!?;:\"'()")
    status, data = get_json(db, f"/newscrawl/comments.json?_search={word}&_shape=objects&_size=max")
    assert status == 200, data
    found = {r["platform_id"] for r in data["rows"]}
    assert comment.comment_id in found
    assert all(word.lower() in (r["content_text"] or "").lower() or word.lower() in (r["author"] or "").lower()
               for r in data["rows"])


def test_metadata_describes_tables_and_columns(crawled):
    _, db = crawled
    status, data = get_json(db, "/-/metadata.json")
    assert status == 200
    tables = data["databases"]["newscrawl"]["tables"]
    assert tables["comments"]["columns"]["parent_id"].startswith("The comment this one replies to")
    assert tables["posts"]["sort_desc"] == "published"
