"""Every template family and every display language of the replica, crawled through
the HTML archive (the path that depends on the markup) and compared with the replica's
own records."""

from __future__ import annotations

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import (
    assert_same_records,
    expected_comments,
    expected_posts,
    rows,
    run_crawl,
    stored_comments,
    stored_posts,
)

pytestmark = pytest.mark.slow

# Classic comment lists show replies flat: no thread to read.
FLAT_TEMPLATES = {"minima", "simple"}


@pytest.mark.parametrize("template", ["minima", "threaded", "simple", "contempo"])
def test_html_crawl_of_each_template_family(template, tmp_path):
    blog = generate_blog(posts=16, comments_per_post=5, seed=21, big_post_comments=230)
    db = tmp_path / f"{template}.db"
    with ReplicaServer(blog, template=template, feeds="none") as server:
        run_crawl(server.url, db)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    expected = expected_comments(blog, threaded=template not in FLAT_TEMPLATES)
    assert_same_records(expected, stored_comments(db), "comments")


@pytest.mark.parametrize(
    "language, template",
    [("en", "contempo"), ("de", "threaded"), ("fr", "minima"), ("es", "threaded"),
     ("it", "simple"), ("pt", "contempo"), ("ru", "threaded"), ("nl", "minima")],
)
def test_html_crawl_in_each_language(language, template, tmp_path):
    blog = generate_blog(posts=10, comments_per_post=4, seed=5, language=language,
                         timezone="Europe/Berlin", big_post_comments=0)
    db = tmp_path / f"{language}.db"
    with ReplicaServer(blog, template=template, feeds="none") as server:
        run_crawl(server.url, db)
    assert_same_records(expected_posts(blog, server), stored_posts(db), "posts")
    assert_same_records(expected_comments(blog, threaded=template not in FLAT_TEMPLATES),
                        stored_comments(db), "comments")
    [stored_blog] = rows(db, "select * from blogs")
    assert stored_blog["language"] == language
