"""The scheduling recipes in deploy/ and the Scrapyd target: they parse, and the
commands they run do run (`newscrawl` resolved to this Python's `-m newscrawl`)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
from newscrawl.replica import ReplicaServer, generate_blog
from replica_compare import rows

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NEWSCRAWL = f"{shlex.quote(sys.executable)} -m newscrawl"


def read_unit(name: str) -> configparser.ConfigParser:
    # systemd units are INI files; % is systemd's specifier sign, not interpolation
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # keys are case-sensitive
    unit.read_string((DEPLOY / name).read_text())
    return unit


# -- cron -------------------------------------------------------------------------------------


def crontab() -> tuple[dict[str, str], list[tuple[list[str], str]]]:
    """The environment lines and (schedule, command) jobs of deploy/cron.example."""
    env, jobs = {}, []
    for line in (DEPLOY / "cron.example").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", line):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
            continue
        fields = line.split(None, 5)
        jobs.append((fields[:5], fields[5]))
    return env, jobs


def test_cron_line_runs_every_tracked_blog_hourly():
    env, jobs = crontab()
    assert len(jobs) == 1
    schedule, command = jobs[0]
    minute, *rest = schedule
    assert 0 <= int(minute) <= 59 and rest == ["*", "*", "*", "*"]  # once an hour
    assert command.startswith("newscrawl crawl --all --db /path/newscrawl.db")
    assert ">>" in command and "2>&1" in command  # appends the log and the summary to a file
    assert "%" not in command  # cron turns % into a newline
    assert "flock" not in command  # newscrawl locks the database itself
    assert "PATH" in env


def test_cron_command_runs(tmp_path):
    env, [(_, command)] = crontab()
    db, log = tmp_path / "newscrawl.db", tmp_path / "crawl.log"
    command = command.replace("/path/newscrawl.db", shlex.quote(str(db)))
    command = re.sub(r"/path/\S+\.log", shlex.quote(str(log)), command)
    command = re.sub(r"^newscrawl(?=\s)", NEWSCRAWL, command)
    assert "/path/" not in command
    # cron's environment: little more than the crontab's own lines, in the home folder
    environment = {"HOME": str(tmp_path), "LANG": "C.UTF-8", **env}
    result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr + log.read_text()
    assert "no tracked blogs" in log.read_text()
    assert db.exists()


# -- systemd ----------------------------------------------------------------------------------


def test_systemd_units():
    service, timer = read_unit("newscrawl.service"), read_unit("newscrawl.timer")
    assert service["Service"]["Type"] == "oneshot"
    exec_start = service["Service"]["ExecStart"]
    assert exec_start.endswith("newscrawl crawl --all --db %h/newscrawl/newscrawl.db")
    assert exec_start.startswith("%h/") or exec_start.startswith("/")  # systemd wants an absolute path
    assert timer["Timer"]["OnCalendar"] == "hourly"
    assert timer["Timer"]["Persistent"] == "true"
    assert "Unit" not in timer["Timer"]  # it starts the service of the same name
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    # verify checks that ExecStart's program exists: point it at a stand-in, keep the rest as shipped
    program = tmp_path / "newscrawl"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "newscrawl.service").write_text(
        (DEPLOY / "newscrawl.service").read_text().replace("%h/.local/bin/newscrawl", str(program)))
    shutil.copy(DEPLOY / "newscrawl.timer", tmp_path / "newscrawl.timer")
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", "--generators=no",
                             str(tmp_path / "newscrawl.service"), str(tmp_path / "newscrawl.timer")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "newscrawl." not in result.stderr, result.stderr  # no warning about our units (unknown keys ...)


def test_systemd_exec_start_runs(tmp_path):
    exec_start = read_unit("newscrawl.service")["Service"]["ExecStart"]
    argv = shlex.split(exec_start.replace("%h", str(tmp_path)))  # systemd splits, no shell
    assert Path(argv[0]).name == "newscrawl"
    argv = [sys.executable, "-m", "newscrawl", *argv[1:]]
    result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no tracked blogs" in result.stdout
    assert (tmp_path / "newscrawl" / "newscrawl.db").exists()


# -- Scrapyd ----------------------------------------------------------------------------------


def test_scrapy_cfg_has_a_scrapyd_target():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg["settings"]["default"] == "newscrawl.settings"
    assert cfg["deploy"]["url"] == "http://localhost:6800/"
    assert cfg["deploy"]["project"] == "newscrawl"


def test_scrapy_list_shows_the_spiders():
    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert {"blogger", "wordpress"} <= set(result.stdout.split())


@pytest.mark.slow
def test_scrapy_crawl_takes_scrapyd_arguments(tmp_path):
    """What Scrapyd runs for `schedule.json -d spider=blogger -d url=...`: the spider
    arguments plus Scrapyd's own `_job`."""
    db = tmp_path / "scrapyd.db"
    blog = generate_blog(posts=3, comments_per_post=2, seed=5, big_post_comments=0)
    with ReplicaServer(blog) as server:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "blogger", "-a", f"url={server.url}", "-a", "_job=0123abcd",
             "-s", f"NEWSCRAWL_DB={db}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
             "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "NEWSCRAWL_DB": str(db)},
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 3
    assert rows(db, "select status from crawls") == [{"status": "finished"}]


# -- an interrupted run -------------------------------------------------------------------------


@pytest.mark.slow
def crawl_all_then_sigterm(db, log, servers, processes: int, under_way) -> tuple[subprocess.CompletedProcess, str]:
    """``crawl --all`` over tracked replica blogs, HTML archives only and slowly, sent SIGTERM once
    ``under_way(servers)`` says the crawls are well under way (pages fetched, not just opening)."""
    for server in servers:
        assert CliRunner().invoke(cli, ["add", server.url, "--platform", "blogger", "--db", str(db)]).exit_code == 0
    with open(log, "w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newscrawl", "crawl", "--all", "--db", str(db), "--processes", str(processes),
             "-s", "NEWSCRAWL_CONCURRENT_BLOGS=1", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.1"],
            stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            deadline = time.monotonic() + 30
            while not under_way(servers) and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=20)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, ""), log.read_text()


def test_interrupted_crawl_all_does_not_start_the_waiting_blogs(tmp_path):
    """systemd stops a unit with SIGTERM, a user with Ctrl-C: the running crawl ends
    cleanly (its crawls row says so) and the blogs still waiting are not started."""
    db, log = tmp_path / "newscrawl.db", tmp_path / "crawl.log"
    # HTML archives only, slowly: the first crawl is still running when the signal comes
    blogs = [generate_blog(posts=60, comments_per_post=3, seed=seed, big_post_comments=0) for seed in (31, 32, 33)]
    servers = [ReplicaServer(blog, feeds="none").start() for blog in blogs]
    try:
        result, err = crawl_all_then_sigterm(db, log, servers, 1, lambda s: sum(len(x.requests) for x in s) >= 5)
    finally:
        for server in servers:
            server.stop()
    assert result.returncode == 1, result.stdout + err[-3000:]
    assert "blog 1/3: " in err and "blog 2/3" not in err
    assert [r["status"] for r in rows(db, "select status from crawls")] == ["shutdown"], err[-3000:]
    statuses = [r["last_status"] for r in rows(db, "select last_status from tracked_blogs")]
    assert sorted(statuses, key=str) == sorted(["shutdown", None, None], key=str)
    assert sum(1 for s in servers if s.requests) == 1


def test_sigterm_reaches_every_crawl_process(tmp_path):
    """With two crawl processes, the signal sent to the command (systemd's main PID, a user's kill)
    reaches both: their running crawls end cleanly, the waiting blogs are not started."""
    db, log = tmp_path / "newscrawl.db", tmp_path / "crawl.log"
    blogs = [generate_blog(posts=60, comments_per_post=3, seed=seed, big_post_comments=0) for seed in (41, 42, 43, 44)]
    servers = [ReplicaServer(blog, feeds="none").start() for blog in blogs]
    try:
        result, err = crawl_all_then_sigterm(db, log, servers, 2, lambda s: sum(len(x.requests) >= 3 for x in s) >= 2)
    finally:
        for server in servers:
            server.stop()
    assert result.returncode == 1, result.stdout + err[-3000:]
    assert [r["status"] for r in rows(db, "select status from crawls")] == ["shutdown", "shutdown"], err[-3000:]
    assert sum(1 for s in servers if s.requests) == 2  # the two waiting blogs were not started



@pytest.mark.slow
def test_a_scrapy_crawl_beside_a_newscrawl_run_is_left_running_and_not_summarised(tmp_path):
    """An ad-hoc `scrapy crawl` takes no lock: a `newscrawl crawl` starting meanwhile must not mark
    it interrupted (its process is alive), nor count it in its own summary."""
    db = tmp_path / "beside.db"
    slow = generate_blog(posts=40, comments_per_post=2, seed=41, big_post_comments=0)
    quick = generate_blog(posts=3, comments_per_post=2, seed=42, big_post_comments=0)
    with ReplicaServer(slow, feeds="none") as slow_server, ReplicaServer(quick) as quick_server:
        adhoc = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "blogger", "-a", f"url={slow_server.url}",
             "-s", f"NEWSCRAWL_DB={db}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0.2",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _crawl_started(db):
                time.sleep(0.1)
            result = CliRunner().invoke(cli, ["crawl", quick_server.url, "--platform", "blogger", "--db", str(db),
                                              "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"])
            still = rows(db, "select status from crawls where blog_url = ?", [slow_server.url])
            assert adhoc.poll() is None, "the ad-hoc crawl ended too soon to show anything"
        finally:
            _, err = adhoc.communicate(timeout=120)
    assert result.exit_code == 0, result.output
    assert still == [{"status": "running"}]
    assert slow_server.url not in result.output and quick_server.url in result.output
    assert adhoc.returncode == 0, err[-3000:]
    assert rows(db, "select blog_url, status from crawls order by id") == [
        {"blog_url": slow_server.url, "status": "finished"}, {"blog_url": quick_server.url, "status": "finished"}]


def _crawl_started(db) -> bool:
    try:
        return db.exists() and bool(rows(db, "select id from crawls"))
    except sqlite3.OperationalError:  # the schema is being created
        return False
