"""Ending the servers the tests start (Scrapyd, `newscrawl serve`, Chromium) with all they started."""

from __future__ import annotations

import os
import signal
import subprocess


def end_process_group(proc: subprocess.Popen, term_wait: float = 10) -> None:
    """SIGTERM to ``proc``'s process group (it leads its own session), SIGKILL after ``term_wait``
    seconds, and a last SIGKILL to the group: a session may outlive its leader (datasette under
    `newscrawl serve`, the crawls Scrapyd started)."""
    for sig, wait in ((signal.SIGTERM, term_wait), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
