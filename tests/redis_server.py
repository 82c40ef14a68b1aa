"""A throwaway redis-server on 127.0.0.1 for the distributed-crawl tests and benchmark.

Debian's ``redis-server`` (``.ci/install-redis.sh``), started with a config given on its
command line: a free port (Redis has no ``--port 0``), no persistence (``--save ''``,
``--appendonly no``), its files in a temporary folder, and stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

REQUIRE = "NEWSCRAWL_REQUIRE_REAL_PAGES"  # set in CI (.ci/run): there a missing server fails, never skips


def redis_server_or_skip() -> str:
    """The redis-server command; skip the calling test where it is missing, fail it in CI."""
    found = shutil.which("redis-server")
    if found is None:
        message = "redis-server not found: install it with `apt-get install redis-server` (.ci/install-redis.sh)"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{message}; {REQUIRE}=1 makes this an error", pytrace=False)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``with RedisServer() as server: server.url`` -> ``redis://127.0.0.1:PORT/0``."""

    def __init__(self, command: str = "redis-server", start_timeout: float = 10.0) -> None:
        self.command = command
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.folder: str | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> "RedisServer":
        self.folder = tempfile.mkdtemp(prefix="newscrawl-redis-")
        for _ in range(3):  # a port taken between the probe and redis binding it: another one
            self.port = free_port()
            self.proc = subprocess.Popen(
                [self.command, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", self.folder, "--daemonize", "no", "--loglevel", "warning", "--protected-mode", "yes"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if self._wait_ready():
                return self
            self._stop_process()
        raise RuntimeError(f"redis-server did not start on 127.0.0.1 (last port {self.port})")

    def _wait_ready(self) -> bool:
        import redis

        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1).ping()
                return True
            except redis.RedisError:
                time.sleep(0.05)
        return False

    def _stop_process(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __exit__(self, *exc) -> None:
        self._stop_process()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def client_for(url: str):
    import redis

    return redis.Redis.from_url(url, decode_responses=True)
