"""One crawl run per database at a time.

``newscrawl crawl`` holds an exclusive ``flock`` on ``<db>.lock`` for the whole run, so
an hourly cron job or systemd timer that fires while the previous run is still going
exits at once (code 2) instead of crawling the same blogs twice into the same database.
The kernel releases a ``flock`` when its process ends, however it ends (killed,
crashed, out of memory), so a stale lock file never blocks the next run: the file
stays, the lock does not.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockHeld(Exception):
    """Another process holds the crawl lock of this database."""

    def __init__(self, db_path: str | Path, pid: int | None):
        self.db_path = str(db_path)
        self.pid = pid
        holder = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another newscrawl crawl is running on {self.db_path} ({holder})")


def lock_path(db_path: str | Path) -> Path:
    """``data/newscrawl.db`` -> ``data/newscrawl.db.lock``."""
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


class CrawlLock:
    """Exclusive, non-blocking lock on a database's ``.lock`` file.

    ``with CrawlLock(db): ...`` raises :class:`LockHeld` when another process has it.
    The lock file holds the owner's pid, for the message the second run prints.
    """

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "CrawlLock":
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # no O_TRUNC: the pid in the file belongs to whoever holds the lock
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise LockHeld(self.db_path, pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            # closing the last descriptor drops the lock
            os.close(fd)

    def __enter__(self) -> "CrawlLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
