"""One `newscrawl crawl` per database: the second exits with code 2, and a killed run
leaves no lock behind.

The cross-process tests start a real second process that holds the lock (a few lines
of Python importing newscrawl.locking), and every wait on it is bounded.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
from newscrawl.locking import CrawlLock, LockHeld, lock_path

HOLDER = textwrap.dedent("""
    import sys, time
    from newscrawl.locking import CrawlLock
    CrawlLock(sys.argv[1]).acquire()
    print("locked", flush=True)
    time.sleep(120)
""")


class Holder:
    """A process holding the crawl lock of ``db`` until it is killed."""

    def __init__(self, db):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)

    def wait_locked(self, timeout: float = 20) -> None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "the lock holder did not start in time"
        line = self.proc.stdout.readline().strip()
        assert line == "locked", (line, self.proc.stderr.read() if self.proc.poll() is not None else "")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=20)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def holder(tmp_path):
    started: list[Holder] = []

    def start(db) -> Holder:
        h = Holder(db)
        started.append(h)
        h.wait_locked()
        return h

    yield start
    for h in started:
        if h.proc.poll() is None:
            h.kill()


def crawl_all(db, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db)],
                          capture_output=True, text=True, timeout=timeout)


def test_lock_file_beside_the_database(tmp_path):
    assert lock_path(tmp_path / "data" / "newscrawl.db") == tmp_path / "data" / "newscrawl.db.lock"


def test_second_lock_on_the_same_database_is_refused(tmp_path):
    db = tmp_path / "x.db"
    with CrawlLock(db) as first:
        assert first.held
        assert lock_path(db).read_text().strip() == str(os.getpid())
        with pytest.raises(LockHeld) as caught:
            CrawlLock(db).acquire()
        assert caught.value.pid == os.getpid()
        assert str(caught.value) == f"another newscrawl crawl is running on {db} (pid {os.getpid()})"
        # another database is another lock
        with CrawlLock(tmp_path / "y.db"):
            pass
    assert not first.held
    with CrawlLock(db):  # released
        pass


def test_lock_is_released_when_the_block_fails(tmp_path):
    db = tmp_path / "x.db"
    with pytest.raises(RuntimeError):
        with CrawlLock(db):
            raise RuntimeError("crawl crashed")
    CrawlLock(db).acquire().release()


def test_a_second_crawl_exits_with_code_2_while_another_holds_the_database(tmp_path, holder):
    db = tmp_path / "newscrawl.db"
    h = holder(db)
    result = crawl_all(db)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"another newscrawl crawl is running on {db} (pid {h.proc.pid})" in result.stderr
    assert not db.exists()  # it did not even open the database

    # killed, not cleaned up: the kernel drops the lock with the process
    h.kill()
    assert lock_path(db).exists()
    result = crawl_all(db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no tracked blogs" in result.stdout


def test_the_lock_covers_crawls_of_named_urls_too(tmp_path, holder):
    db = tmp_path / "newscrawl.db"
    holder(db)
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--platform", "blogger", "--db", str(db)])
    assert result.exit_code == 2
    assert "another newscrawl crawl is running on" in result.output


def test_crawl_releases_the_lock_when_it_ends(tmp_path):
    db = tmp_path / "newscrawl.db"
    result = CliRunner().invoke(cli, ["crawl", "--all", "--db", str(db)])
    assert result.exit_code == 0, result.output
    CrawlLock(db).acquire().release()
    # also after a crawl that could not start
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not sqlite" * 200)
    result = CliRunner().invoke(cli, ["crawl", "--all", "--db", str(garbage)])
    assert result.exit_code == 2 and "cannot open database" in result.output  # a bad argument
    CrawlLock(garbage).acquire().release()
