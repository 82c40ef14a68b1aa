import sqlite3

import pytest

from newscrawl.storage import SCHEMA, Store, StorageError


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def test_schema_tables_indexes_fts_and_wal(store):
    assert set(SCHEMA) <= set(store.db.table_names())
    assert store.db.table("posts").detect_fts() == "posts_fts"
    assert store.db.table("comments").detect_fts() == "comments_fts"
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fks = {(fk.column, fk.other_table) for fk in store.db.table("comments").foreign_keys}
    assert fks == {("post_id", "posts"), ("blog_id", "blogs"), ("parent_id", "comments")}
    indexed = {tuple(i.columns) for i in store.db.table("comments").indexes}
    assert ("post_id", "published") in indexed


def test_upsert_counts_new_updated_and_skips_unchanged(store):
    counts = store.write_rows(
        blogs=[{"id": "b"}],
        posts=[{"id": "p", "blog_id": "b", "title": "T", "labels": ["x"]}],
        comments=[{"id": "c", "post_id": "p", "content_text": "hello", "deleted": False}],
    )
    assert counts.new == {"blogs": 1, "posts": 1, "comments": 1}
    first_seen = store.db.table("posts").get("p")["first_seen"]

    again = store.write_rows(posts=[{"id": "p", "blog_id": "b", "title": "T", "labels": ["x"]}])
    assert again.new["posts"] == 0 and again.updated["posts"] == 0

    changed = store.write_rows(posts=[{"id": "p", "title": "T2", "content_html": None}])
    assert changed.updated["posts"] == 1
    row = store.db.table("posts").get("p")
    assert row["title"] == "T2"
    assert row["labels"] == '["x"]'  # not written by the update, not lost
    assert row["first_seen"] == first_seen
    assert store.count("posts") == 1


def test_failed_batch_leaves_nothing_half_written(store):
    store.write_rows(posts=[{"id": "keep", "title": "stays"}])
    with pytest.raises(StorageError):
        store.write_rows(posts=[{"id": "new", "title": "x"}, {"title": "no id"}])
    assert [r["id"] for r in store.db.query("select id from posts")] == ["keep"]


def test_migrates_an_old_database(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table posts (id text primary key, title text)")
    conn.execute("insert into posts values ('p1', 'old post')")
    conn.commit()
    conn.close()
    store = Store(path)
    assert "comment_count" in store.db.table("posts").columns_dict
    assert store.db.table("posts").get("p1")["title"] == "old post"
    store.close()


def test_unusable_path_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises((StorageError, OSError)):
        Store(blocker / "x.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open database"):
        Store(garbage)


def test_links_replaced_only_when_their_post_changes(store):
    link = {"position": 0, "url": "https://www.politico.com/a", "host": "www.politico.com", "domain": "politico.com"}
    store.write_rows(posts=[{"id": "p", "content_html": "v1"}], links={"p": [link]})
    assert [r["domain"] for r in store.db.query("select * from links")] == ["politico.com"]
    moved = {**link, "url": "https://www.bbc.co.uk/x", "host": "www.bbc.co.uk", "domain": "bbc.co.uk"}
    # same content: links untouched
    store.write_rows(posts=[{"id": "p", "content_html": "v1"}], links={"p": [moved]})
    assert [r["domain"] for r in store.db.query("select * from links")] == ["politico.com"]
    # edited content: links replaced, not duplicated
    store.write_rows(posts=[{"id": "p", "content_html": "v2"}], links={"p": [moved, {**link, "position": 1}]})
    assert [r["domain"] for r in store.db.query("select * from links order by position")] == ["bbc.co.uk", "politico.com"]


def test_an_edited_post_keeps_its_earlier_version(store):
    store.write_rows(posts=[{"id": "p", "title": "First title", "content_html": "<p>v1</p>", "updated": "2022-01-01T00:00:00+00:00"}])
    store.write_rows(posts=[{"id": "p", "title": "First title", "content_html": "<p>v1</p>"}])
    assert store.count("post_versions") == 0  # re-reading the same text is not an edit
    store.write_rows(posts=[{"id": "p", "title": "Second title", "content_html": "<p>v2</p>", "updated": "2022-01-02T00:00:00+00:00"}])
    [version] = store.db.query("select * from post_versions")
    assert (version["post_id"], version["title"], version["content_html"]) == ("p", "First title", "<p>v1</p>")
    assert version["updated"] == "2022-01-01T00:00:00+00:00"
    assert store.db.table("posts").get("p")["title"] == "Second title"


def test_rows_gone_on_a_full_reread_are_marked_not_removed(store):
    store.write_rows(posts=[{"id": "p", "blog_id": "b"}],
                     comments=[{"id": "c1", "post_id": "p", "blog_id": "b"}, {"id": "c2", "post_id": "p", "blog_id": "b"}])
    assert store.mark_missing_deleted("comments", "b", {"c1"}) == 1
    gone = store.db.table("comments").get("c2")
    assert gone["deleted"] == 1 and gone["deleted_noticed"]
    assert store.db.table("comments").get("c1")["deleted"] in (None, 0)
    assert store.count("comments") == 2
    # noticed once: a later full re-read keeps the first time noticed
    noticed = gone["deleted_noticed"]
    assert store.mark_missing_deleted("comments", "b", {"c1"}) == 0
    assert store.db.table("comments").get("c2")["deleted_noticed"] == noticed


def test_unchanged_rows_only_get_last_seen(store):
    store.write_rows(posts=[{"id": "p", "title": "T"}])
    row = store.db.table("posts").get("p")
    counts = store.write_rows(posts=[{"id": "p", "title": "T"}])
    assert counts.updated["posts"] == 0
    again = store.db.table("posts").get("p")
    assert again["last_changed"] == row["last_changed"] and again["last_seen"] >= row["last_seen"]


def test_a_batch_of_rows_with_different_columns_blanks_nothing(store):
    """A changed row written beside rows that have more columns keeps its stored values
    for the columns it lacks (a single multi-row upsert would set them to NULL)."""
    store.write_rows(blogs=[{"id": "b"}], posts=[{"id": "p", "blog_id": "b"}],
                     comments=[{"id": "c1", "post_id": "p", "author": "A", "author_url": "https://a.example/",
                                "content_text": "one"}])
    before = store.db.table("comments").get("c1")
    store.write_rows(comments=[
        {"id": "c1", "post_id": "p", "content_text": "one, edited"},  # no author, no author_url
        {"id": "c2", "post_id": "p", "author": "B", "author_url": "https://b.example/", "content_text": "two"},
    ])
    after = store.db.table("comments").get("c1")
    assert after["content_text"] == "one, edited"
    assert (after["author"], after["author_url"], after["first_seen"]) == ("A", "https://a.example/",
                                                                           before["first_seen"])
    assert store.db.table("comments").get("c2")["author_url"] == "https://b.example/"


def test_an_edited_comment_keeps_its_earlier_text(store):
    store.write_rows(comments=[{"id": "c", "author": "Ann", "content_html": "<p>first</p>", "content_text": "first",
                                "published": "2024-01-01T00:00:00+00:00", "deleted": False}])
    store.write_rows(comments=[{"id": "c", "author": "Ann", "content_html": "<p>first</p>", "content_text": "first",
                                "deleted": False}])
    assert store.count("comment_versions") == 0  # read again unchanged: not an edit
    store.write_rows(comments=[{"id": "c", "author": "Ann", "content_html": "<p>second</p>", "content_text": "second",
                                "deleted": False}])
    [version] = store.db.query("select * from comment_versions")
    assert (version["comment_id"], version["content_text"], version["change"]) == ("c", "first", "edited")
    assert version["published"] == "2024-01-01T00:00:00+00:00" and version["replaced"]
    assert store.db.table("comments").get("c")["content_text"] == "second"


def test_a_removed_comment_keeps_its_last_text_in_the_history(store):
    store.write_rows(comments=[{"id": "c", "author": "Ann", "content_html": "<p>said it</p>", "content_text": "said it",
                                "deleted": False}])
    store.write_rows(comments=[{"id": "c", "author": "Ann", "deleted": True, "deleted_reason": "removed by author"}])
    row = store.db.table("comments").get("c")
    assert row["deleted"] == 1 and row["content_text"] is None and row["deleted_noticed"]
    [version] = store.db.query("select * from comment_versions")
    assert (version["content_text"], version["content_html"], version["change"]) == ("said it", "<p>said it</p>",
                                                                                     "removed")
    # seen removed again: nothing more to keep
    store.write_rows(comments=[{"id": "c", "author": "Ann", "deleted": True, "deleted_reason": "removed by author"}])
    assert store.count("comment_versions") == 1


def test_rows_marked_gone_are_undeleted_when_they_come_back(store):
    store.write_rows(posts=[{"id": "p", "blog_id": "b", "title": "T"}, {"id": "q", "blog_id": "b", "title": "U"}],
                     comments=[{"id": "c", "post_id": "p", "blog_id": "b", "content_text": "x", "deleted": False}])
    assert store.mark_missing_deleted("posts", "b", {"q"}) == 1
    assert store.mark_missing_deleted("comments", "b", set()) == 1
    # the post (reverted to draft for a day) and its comment are on the blog again
    counts = store.write_rows(posts=[{"id": "p", "blog_id": "b", "title": "T"}],
                              comments=[{"id": "c", "post_id": "p", "blog_id": "b", "content_text": "x",
                                         "deleted": False}])
    assert counts.updated == {"blogs": 0, "posts": 1, "comments": 1}
    for table, row_id in (("posts", "p"), ("comments", "c")):
        row = store.db.table(table).get(row_id)
        assert row["deleted"] == 0 and row["deleted_noticed"] is None, (table, row)
    assert store.db.table("posts").get("p")["title"] == "T" and store.count("comment_versions") == 0


def test_a_database_of_a_newer_newscrawl_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("create table from_the_future (x not null)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer newscrawl .*format 99.*upgrade newscrawl"):
        Store(path)
    assert path.read_bytes() == before


def test_an_older_database_gets_the_current_format_number(tmp_path):
    from newscrawl.storage import FORMAT_VERSION

    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("create table blogs (id text primary key, title text)").connection.close()
    Store(path).close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION


def test_a_failed_commit_reports_its_own_error_not_a_rollback_error(tmp_path):
    path = tmp_path / "full.db"
    store = Store(path)
    page_count = store.db.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own cap on the file's pages: writes beyond it fail as a full disk does (SQLITE_FULL)
    store.db.execute(f"PRAGMA max_page_count = {page_count + 2}")
    rows = [{"id": f"c{n}", "content_text": "x" * 2000} for n in range(200)]
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        store.write_rows(comments=rows)
    assert not store.db.conn.in_transaction
    assert store.count("comments") == 0
    store.close()


def test_only_crawls_whose_process_is_gone_are_marked_interrupted(tmp_path):
    import os
    import subprocess
    import sys

    store = Store(tmp_path / "c.db")
    alive = store.start_crawl("blogger", "https://alive.example/")  # this process: still running
    gone = store.start_crawl("blogger", "https://gone.example/")
    finished_process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                                      capture_output=True, text=True, check=True)
    store.db.execute("update crawls set pid = ? where id = ?", [int(finished_process.stdout), gone])
    elsewhere = store.start_crawl("blogger", "https://elsewhere.example/")
    store.db.execute("update crawls set host = 'another-machine', pid = 1 where id = ?", [elsewhere])
    older = store.start_crawl("blogger", "https://older.example/")
    store.db.execute("update crawls set host = null, pid = null where id = ?", [older])  # before pids were kept
    assert store.close_interrupted_crawls() == 2
    status = dict(store.db.execute("select id, status from crawls").fetchall())
    assert status == {alive: "running", gone: "interrupted", elsewhere: "running", older: "interrupted"}
    # once a run has ended, its own crawls still running are dead whatever their pid
    ended = store.start_crawl("blogger", "https://ended.example/", run="run-1")
    assert store.close_interrupted_crawls(run="run-1") == 1
    assert store.db.execute("select status, pid from crawls where id = ?", [ended]).fetchone() == ("interrupted",
                                                                                                   os.getpid())
    store.close()


def test_a_crawl_processs_components_share_one_connection_until_the_process_closes_it(tmp_path):
    """storage.shared_store: the robots.txt cache, the bookkeeping and the pipeline of every blog a
    crawl process crawls use one connection; their close() keeps it; close_shared_stores() ends it."""
    import os

    from newscrawl.storage import close_shared_stores, shared_store

    path = tmp_path / "shared.db"
    first = shared_store(path)
    first.close()  # a blog's crawl ends: the connection stays for the next one
    assert shared_store(path) is first
    first.write_rows(blogs=[{"id": "b1", "url": "http://127.0.0.1/"}])
    assert sqlite3.connect(path).execute("select count(*) from blogs").fetchone()[0] == 1

    # a database file deleted and made anew is a new database: never written through the old connection
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    Store(path).close()
    second = shared_store(path)
    assert second is not first and second.db.table("blogs").count == 0

    close_shared_stores()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        second.db.execute("select 1")
    assert shared_store(path) is not second
    close_shared_stores()


def test_a_forked_process_never_inherits_a_shared_connection(tmp_path):
    """A connection must not cross a fork (SQLite's rule): the shared ones are closed before it."""
    import multiprocessing

    from newscrawl.storage import close_shared_stores, shared_store

    path = tmp_path / "fork.db"
    before = shared_store(path)
    child = multiprocessing.get_context("fork").Process(target=shared_store, args=(path,))
    child.start()
    child.join()
    assert child.exitcode == 0
    with pytest.raises(sqlite3.ProgrammingError):
        before.db.execute("select 1")
    close_shared_stores()


def test_values_of_other_types_are_stored_as_insert_all_stores_them(store, tmp_path):
    # a parser that hands over a datetime, a Decimal or a bool: stored as sqlite-utils' insert_all
    # writes them (ISO text, a float, 0/1), new rows and changed rows alike
    from datetime import datetime, timezone
    from decimal import Decimal

    import sqlite_utils

    moment = datetime(2026, 12, 4, 15, 30, tzinfo=timezone.utc)
    post = {"id": "p", "title": "T", "updated": moment, "comment_count": Decimal("3"), "paywalled": True}
    store.write_rows(posts=[post])
    plain = sqlite_utils.Database(tmp_path / "plain.db")
    plain["posts"].insert_all([{key: value for key, value in post.items() if key != "paywalled"}])
    expected = plain.execute("select updated, comment_count from posts").fetchone()
    assert store.db.execute("select updated, comment_count, paywalled from posts").fetchone() == (*expected, 1)

    store.write_rows(posts=[{**post, "title": "T2", "updated": moment.replace(hour=16)}])
    assert store.db.execute("select updated from posts").fetchone()[0] == moment.replace(hour=16).isoformat()


def test_a_write_waits_for_another_writers_lock_then_lands(tmp_path, monkeypatch):
    """crawl --all's crawl processes share one database: a write waits while another connection holds
    the write lock (asking again every millisecond, storage._Transaction), lands once it is free,
    and fails with "database is locked" only after BUSY_TIMEOUT."""
    import threading

    from newscrawl import storage

    store = Store(tmp_path / "w.db")
    other = sqlite3.connect(tmp_path / "w.db", isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        release.start()
        with store.transaction():
            store.save_crawl_state("http://127.0.0.1:9/", {"posts_since": "2024-01-01T00:00:00Z"})
        release.join()
        assert store.crawl_state("http://127.0.0.1:9/") == {"posts_since": "2024-01-01T00:00:00Z"}

        monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.2)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            store.save_crawl_state("http://127.0.0.1:9/", {"posts_since": "2025-01-01T00:00:00Z"})
        other.execute("COMMIT")
        assert not store.db.conn.in_transaction
        assert store.crawl_state("http://127.0.0.1:9/") == {"posts_since": "2024-01-01T00:00:00Z"}
    finally:
        other.close()
        store.close()
