"""Misusing the command line (issue 17, item 9): each mistake gives one clear error line, no traceback, exit
code 2, and leaves nothing behind (no database, no .lock file, no folder).

Commands run as a user runs them, in their own process (``python -m newscrawl``) from an empty working folder,
so a stray default database (``data/newscrawl.db``) would show up.  Nothing here reaches the internet: the
addresses are refused before any request, or are on 127.0.0.1."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
from newscrawl.replica import ReplicaServer, generate_blog
from newscrawl.storage import Store
from replica_compare import FAST_LOCAL, rows

NOWHERE = "http://127.0.0.1:9/"  # the discard port: nothing answers there


def newscrawl(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NEWSCRAWL_DB"}
    return subprocess.run([sys.executable, "-m", "newscrawl", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def assert_refused(result: subprocess.CompletedProcess, message: str, folder: Path, before: set[str]) -> None:
    """Exit code 2, one ``Error:`` line saying ``message``, no traceback, nothing created in ``folder``."""
    shown = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 2, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], shown
    assert files_under(folder) == before, shown


def make_database(path: Path, *tracked: str) -> Path:
    store = Store(path)
    try:
        for url in tracked:
            store.track_blog(url, "blogger")
    finally:
        store.close()
    return path


# -- 1. an address that is not a web address ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "mailto:editor@example.org", "http://127.0.0.1:99999/"])
def test_crawl_refuses_an_address_that_is_not_a_web_address(tmp_path, url):
    result = newscrawl(tmp_path, "crawl", url, "--db", str(tmp_path / "blogs.db"))
    assert_refused(result, "not a web address", tmp_path, set())


def test_add_refuses_an_address_that_is_not_a_web_address(tmp_path):
    result = newscrawl(tmp_path, "add", "javascript:alert(1)", "--db", str(tmp_path / "blogs.db"))
    assert_refused(result, "not a web address", tmp_path, set())


def test_host_and_port_without_a_scheme_are_still_web_addresses(tmp_path):
    from newscrawl.tracking import check_blog_url

    assert check_blog_url("localhost:8080/blog") == "https://localhost:8080/blog/"
    assert check_blog_url("example.org") == "https://example.org/"


# -- 2. a database newscrawl cannot write to ------------------------------------------------------------------------


@pytest.fixture
def read_only_database(tmp_path):
    """A newscrawl database the current user cannot write to: mode 444, or, for root (who writes to any file
    whatever its mode), the immutable attribute (``chattr +i``), which binds root too."""
    path = make_database(tmp_path / "archive.db", "https://good.blogspot.com/")
    as_root = os.geteuid() == 0
    if as_root:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"running as root, who writes to read-only files, and chattr +i fails here: {made.stderr}")
    else:
        path.chmod(0o444)
    try:
        assert not os.access(path, os.W_OK)
        yield path
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


@pytest.mark.parametrize("command", [["crawl", NOWHERE, "--platform", "blogger"],
                                     ["add", NOWHERE, "--platform", "blogger"], ["list"]])
def test_a_read_only_database_is_refused(tmp_path, read_only_database, command):
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, *command, "--db", str(read_only_database))
    assert_refused(result, "read-only", tmp_path, before)


@pytest.mark.parametrize("command", [["crawl", NOWHERE, "--platform", "blogger"],
                                     ["add", NOWHERE, "--platform", "blogger"], ["list"]])
def test_a_folder_where_the_database_would_be_is_refused(tmp_path, command):
    (tmp_path / "blogs.db").mkdir()
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, *command, "--db", str(tmp_path / "blogs.db"))
    assert_refused(result, "is a folder", tmp_path, before)


# -- 3. export to a folder that does not exist ----------------------------------------------------------------------


def test_export_opml_to_a_missing_folder(tmp_path):
    db = make_database(tmp_path / "blogs.db", "https://good.blogspot.com/")
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, "export-opml", str(tmp_path / "missing" / "folder" / "out.opml"), "--db", str(db))
    assert_refused(result, "does not exist", tmp_path, before)


# -- 4. a port out of range -----------------------------------------------------------------------------------------


def test_serve_refuses_a_port_out_of_range(tmp_path):
    db = make_database(tmp_path / "blogs.db")
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, "serve", "--port", "99999", "--db", str(db), timeout=60)
    assert_refused(result, "99999", tmp_path, before)


# -- 5. a Scrapy setting with a value of the wrong type -------------------------------------------------------------


@pytest.mark.parametrize("override, message", [
    ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY takes a number"),
    ("CONCURRENT_REQUESTS=many", "CONCURRENT_REQUESTS takes a number"),
    ("AUTOTHROTTLE_ENABLED=perhaps", "AUTOTHROTTLE_ENABLED takes true or false"),
    ("NEWSCRAWL_BATCH_SIZE=big", "NEWSCRAWL_BATCH_SIZE takes a number"),
    ("NEWSCRAWL_PROCESSES=all", "NEWSCRAWL_PROCESSES takes a number"),
])
def test_crawl_refuses_a_setting_value_of_the_wrong_type(tmp_path, override, message):
    result = newscrawl(tmp_path, "crawl", NOWHERE, "--platform", "blogger", "--db", str(tmp_path / "blogs.db"),
                       "-s", "RETRY_TIMES=0", "-s", override)
    assert_refused(result, message, tmp_path, set())


def test_setting_values_of_the_right_type_pass():
    from newscrawl.cli import check_setting_values

    check_setting_values({"DOWNLOAD_DELAY": "0.5", "DOWNLOAD_TIMEOUT": "7.5", "AUTOTHROTTLE_ENABLED": "0",
                          "ROBOTSTXT_OBEY": "true", "CONCURRENT_REQUESTS": "8", "LOG_LEVEL": "INFO",
                          "SOME_SETTING_OF_A_PLUGIN": "anything"})


# -- 6. a hand-edited tracked row that is not a web address ---------------------------------------------------------


@pytest.mark.slow
def test_a_tracked_row_that_is_not_a_web_address_does_not_stop_the_others(tmp_path):
    db = tmp_path / "tracked.db"
    blog = generate_blog(posts=3, comments_per_post=2, seed=41, big_post_comments=0)
    with ReplicaServer(blog) as server:
        make_database(db, server.url)
        conn = sqlite3.connect(db)
        conn.execute("insert into tracked_blogs (url, platform, enabled, added) values (?, ?, 1, ?)",
                     ["not a url", "blogger", "2020-01-01T00:00:00+00:00"])
        conn.commit()
        conn.close()
        # one process: the run in which the bad row used to end every crawl
        result = newscrawl(tmp_path, "crawl", "--all", "--db", str(db), "--processes", "1", "--log-level",
                           "WARNING", *FAST_LOCAL, timeout=180)
    shown = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 1, shown  # one tracked blog was not crawled
    assert "Traceback" not in result.stderr, shown
    warnings = [line for line in result.stderr.splitlines() if "not a url" in line]
    assert len(warnings) == 1 and "not a web address" in warnings[0], shown
    assert "not crawled: not a url: " in result.stdout, shown
    crawls = rows(db, "select blog_url, status from crawls")
    assert crawls == [{"blog_url": server.url, "status": "finished"}], shown
    assert rows(db, "select count(*) as n from posts") == [{"n": 3}]


# -- 7. OPML outlines that are not web addresses --------------------------------------------------------------------


def opml(*outlines: str) -> bytes:
    body = "".join(f'<outline type="rss" text="t{n}" {attributes}/>' for n, attributes in enumerate(outlines))
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>'.encode()


HOSTILE_OUTLINES = ['htmlUrl="javascript:alert(1)"', 'htmlUrl="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"',
                    'xmlUrl="javascript:alert(1)" htmlUrl="https://other.blogspot.com/"']


def test_import_opml_refuses_outlines_that_are_not_web_addresses(tmp_path):
    file = tmp_path / "subscriptions.opml"
    file.write_bytes(opml(*HOSTILE_OUTLINES, 'htmlUrl="https://good.blogspot.com/"'))
    db = tmp_path / "blogs.db"
    result = newscrawl(tmp_path, "import-opml", str(file), "--db", str(db), "--platform", "blogger")
    shown = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 1, shown  # some outlines were not added
    assert "Traceback" not in result.stderr, shown
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: refused outline")]
    assert len(warnings) == 3 and all("not a web address" in line for line in warnings), shown
    assert [r["url"] for r in rows(db, "select url from tracked_blogs")] == ["https://good.blogspot.com/"]


def test_import_opml_with_no_usable_outline_is_refused(tmp_path):
    file = tmp_path / "subscriptions.opml"
    file.write_bytes(opml(*HOSTILE_OUTLINES))
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, "import-opml", str(file), "--db", str(tmp_path / "blogs.db"), "--platform", "blogger")
    assert_refused(result, "no outline", tmp_path, before)


# -- 8. an empty --db -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["crawl", NOWHERE, "--platform", "blogger"], ["crawl", "--all"],
                                     ["add", NOWHERE, "--platform", "blogger"], ["remove", NOWHERE], ["list"],
                                     ["import-opml", "subscriptions.opml"], ["export-opml", "-"], ["serve"], ["demo"]])
def test_an_empty_db_option_is_refused(tmp_path, command):
    (tmp_path / "subscriptions.opml").write_bytes(opml('htmlUrl="https://good.blogspot.com/"'))
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, *command, "--db", "")
    assert_refused(result, "--db is empty", tmp_path, before)


# -- 9. a file that is not an SQLite database -----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["crawl", NOWHERE, "--platform", "blogger"],
                                     ["add", NOWHERE, "--platform", "blogger"], ["list"], ["serve"]])
def test_a_file_that_is_not_a_database_is_refused_before_the_lock(tmp_path, command):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n" * 20)
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, *command, "--db", str(notes), timeout=60)
    assert_refused(result, "not an SQLite database", tmp_path, before)
    assert notes.read_bytes() == b"root:x:0:0:root:/root:/bin/bash\n" * 20


# -- 10. a mistyped folder ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["crawl", NOWHERE, "--platform", "blogger"],
                                     ["add", NOWHERE, "--platform", "blogger"],
                                     ["import-opml", "subscriptions.opml", "--platform", "blogger"]])
def test_a_database_in_a_missing_folder_is_refused(tmp_path, command):
    (tmp_path / "subscriptions.opml").write_bytes(opml('htmlUrl="https://good.blogspot.com/"'))
    before = files_under(tmp_path)
    result = newscrawl(tmp_path, *command, "--db", str(tmp_path / "nonexistent" / "deeper" / "db.sqlite"))
    assert_refused(result, "does not exist", tmp_path, before)


@pytest.mark.parametrize("db_option, created", [
    ([], "data/newscrawl.db"),  # the default database
    (["--db", "newscrawl/newscrawl.db"], "newscrawl/newscrawl.db"),  # as deploy/newscrawl.service gives it
])
def test_the_database_folder_alone_is_still_created(tmp_path, db_option, created):
    result = newscrawl(tmp_path, "add", "https://good.blogspot.com/", "--platform", "blogger", *db_option)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / created).is_file()


# -- 11. serving beyond this machine --------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch):
    """uvicorn.run replaced: the arguments it was called with, and no server."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "myhost.example"])
def test_serve_warns_when_the_data_goes_to_the_network(tmp_path, served, host):
    db = make_database(tmp_path / "blogs.db")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", host], env={"NEWSCRAWL_DB": None})
    assert result.exit_code == 0, result.output
    assert [call["host"] for call in served] == [host]
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("Warning:") and "network" in warnings[0], result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_serve_on_loopback_says_nothing(tmp_path, served, host):
    db = make_database(tmp_path / "blogs.db")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", host], env={"NEWSCRAWL_DB": None})
    assert result.exit_code == 0, result.output
    assert [call["host"] for call in served] == [host]
    assert result.stderr == ""
