"""``python -m newscrawl.replica.feedsite``: serves a generated feed site on 127.0.0.1, prints its URL
alone on standard output, and serves until Ctrl-C (SIGINT) or SIGTERM."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_line(process: subprocess.Popen, timeout: float) -> str:
    """The first line the process prints on stdout, within ``timeout`` seconds."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout):
            raise AssertionError(f"no URL printed within {timeout}s")
        return process.stdout.readline().strip()
    finally:
        selector.close()


def as_in_a_terminal() -> None:
    # Ctrl-C reaches a command run in a terminal. A test run started in the background by a
    # non-interactive shell (`pytest &` in a script) ignores SIGINT, and a child inherits that (POSIX,
    # and Python keeps an ignored SIGINT ignored): the command would rightly not stop.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def start_feedsite():
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-m", "newscrawl.replica.feedsite", *args], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=as_in_a_terminal)
        started.append(process)
        return process

    yield start
    for process in started:  # whatever the test did: nothing left running
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


@pytest.mark.parametrize("stop, fmt, feed_path, root_tag", [
    pytest.param(signal.SIGINT, "rss", "feed.xml", "rss", id="rss-ctrl-c"),
    pytest.param(signal.SIGTERM, "atom", "feed.atom", "{http://www.w3.org/2005/Atom}feed", id="atom-sigterm"),
])
def test_feedsite_command_serves_until_stopped(start_feedsite, stop, fmt, feed_path, root_tag):
    port = free_port()
    process = start_feedsite("--port", str(port), "--posts", "12", "--format", fmt, "--paging", "next")
    url = first_line(process, timeout=30)
    assert url == f"http://127.0.0.1:{port}/"

    with urllib.request.urlopen(url + feed_path, timeout=10) as response:
        assert response.status == 200
        feed = etree.fromstring(response.read())
    assert feed.tag == root_tag
    entries = feed.findall("channel/item") if fmt == "rss" else feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert 0 < len(entries) <= 12

    process.send_signal(stop)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0, stderr
    assert "12 posts" in stderr and "Ctrl-C stops it" in stderr
    assert "Traceback" not in stderr
    with pytest.raises(OSError):  # the port is closed
        urllib.request.urlopen(url, timeout=2)


def test_feedsite_command_help_lists_its_options():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "newscrawl.replica.feedsite", "--help"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--port", "--posts", "--format", "--paging", "--markup", "--content"):
        assert option in result.stdout
