"""newscrawl under a real Scrapyd, as the README's Scrapyd section sets it up: newscrawl installed
from the checkout into Scrapyd's Python, the project uploaded with ``scrapyd-deploy``, a crawl
scheduled with ``schedule.json`` and followed with ``listjobs.json`` until it finishes.

Everything stays in ``tmp_path`` and on 127.0.0.1: a copy of the checkout (``scrapyd-deploy``
writes a ``setup.py`` and ``build/`` beside ``scrapy.cfg``, and its target is pointed at this
test's port), a virtual environment that sees this environment's packages (newscrawl's
dependencies, Scrapyd, scrapyd-client) and gets newscrawl itself with ``pip install`` from the
copy, and a Scrapyd with its own configuration and folders on a free port, stopped (its
process group: it and its crawl processes) at the end."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from newscrawl.replica import ReplicaServer, generate_blog
from processes import end_process_group
from replica_compare import rows

pytest.importorskip("scrapyd", reason="Scrapyd is in the test extra: pip install -e '.[test]'")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is in the test extra: pip install -e '.[test]'")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "newscrawl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without PYTHONPATH (Scrapyd's Python must import the installed newscrawl,
    not a checkout on the path) and without a Scrapy project of the caller's."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT"}}
    return {**env, **extra}


def run(args: list, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env or clean_env(), capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def api(port: int, endpoint: str, data: list[tuple[str, str]] | None = None, timeout: float = 10) -> dict:
    url = f"http://127.0.0.1:{port}/{endpoint}"
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=timeout) as response:
        answer = json.loads(response.read())
    assert answer.get("status") == "ok", answer
    return answer


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the checkout: what ``scrapyd-deploy`` and ``pip install .`` read and write."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / PROJECT, copy / PROJECT, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


@pytest.fixture
def scrapyd_python(tmp_path, checkout) -> Path:
    """Scrapyd's Python: a virtual environment with this one's packages, and newscrawl installed
    from the checkout (``pip install .``; offline here: no build isolation, the dependencies are there)."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], tmp_path, timeout=120)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "."],
        checkout, timeout=300)
    where = run([python, "-c", "import newscrawl, scrapyd, scrapyd_client; print(newscrawl.__file__)"],
                tmp_path, timeout=60).stdout.strip()
    assert where.startswith(str(venv)), f"Scrapyd's Python imports newscrawl from {where}, not from its install"
    return python


@pytest.fixture
def scrapyd(tmp_path, scrapyd_python):
    """A running Scrapyd on a free 127.0.0.1 port, its configuration and folders under tmp_path:
    (port, folder).  Stopped with its crawl processes at the end."""
    home = tmp_path / "scrapyd"
    for folder in ("eggs", "logs", "dbs"):
        (home / folder).mkdir(parents=True)
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "jobs_dir =\n"
        "poll_interval = 0.5\n"
        "max_proc = 2\n"
    )
    log = open(home / "scrapyd.out", "w")
    # HOME: no ~/.scrapyd.conf of this machine's user overrides the test's configuration
    env = clean_env(HOME=str(home), SCRAPYD_BIND_ADDRESS="127.0.0.1", SCRAPYD_HTTP_PORT=str(port))
    process = subprocess.Popen([str(scrapyd_python), "-m", "scrapyd"], cwd=home, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"Scrapyd exited:\n{(home / 'scrapyd.out').read_text()[-3000:]}"
            try:
                api(port, "daemonstatus.json", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, f"Scrapyd not up in 60s:\n{(home / 'scrapyd.out').read_text()[-3000:]}"
                time.sleep(0.2)
        yield port, home
    finally:
        end_process_group(process, term_wait=15)
        log.close()


def deploy(checkout: Path, python: Path, port: int) -> dict:
    """``scrapyd-deploy`` from the checkout, its scrapy.cfg's target pointed at the test's Scrapyd."""
    config = configparser.ConfigParser()
    config.read(checkout / "scrapy.cfg")
    assert config["settings"]["default"] == "newscrawl.settings"
    assert config["deploy"]["project"] == PROJECT
    config["deploy"]["url"] = f"http://127.0.0.1:{port}/"
    with open(checkout / "scrapy.cfg", "w") as handle:
        config.write(handle)
    result = run([python, "-m", "scrapyd_client.deploy"], checkout, timeout=180)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_scrapyd_deploys_newscrawl_and_runs_a_crawl(tmp_path, checkout, scrapyd_python, scrapyd):
    port, home = scrapyd
    deployed = deploy(checkout, scrapyd_python, port)
    assert deployed["status"] == "ok" and deployed["project"] == PROJECT, deployed
    spiders = api(port, f"listspiders.json?project={PROJECT}")["spiders"]
    assert {"blogger", "wordpress", "substack", "feed"} <= set(spiders)

    db = tmp_path / "scrapyd-crawl.db"
    blog = generate_blog(posts=3, comments_per_post=2, seed=5, big_post_comments=0)
    with ReplicaServer(blog) as server:
        job = api(port, "schedule.json", [
            ("project", PROJECT), ("spider", "blogger"), ("url", server.url),
            ("setting", f"NEWSCRAWL_DB={db}"), ("setting", "AUTOTHROTTLE_ENABLED=0"), ("setting", "DOWNLOAD_DELAY=0"),
        ])["jobid"]
        deadline = time.monotonic() + 180
        while True:
            jobs = api(port, f"listjobs.json?project={PROJECT}")
            finished = [j for j in jobs["finished"] if j["id"] == job]
            if finished:
                break
            assert time.monotonic() < deadline, f"job {job} not finished in 180s: {jobs}"
            time.sleep(0.5)

    log = (home / "logs" / PROJECT / "blogger" / f"{job}.log").read_text()
    assert "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert rows(db, "select count(*) as n from posts")[0]["n"] == 3, log[-3000:]
    assert rows(db, "select count(*) as n from comments")[0]["n"] > 0
    assert rows(db, "select status from crawls") == [{"status": "finished"}], log[-3000:]
    assert rows(db, "select platform from blogs") == [{"platform": "blogger"}]
