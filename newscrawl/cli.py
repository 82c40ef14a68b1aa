"""The ``newscrawl`` command: thin click wrappers over the library."""

from __future__ import annotations

import ipaddress
import json
import os
import sys
from pathlib import Path

import click

from . import DEFAULT_DB_PATH
from .detect import PLATFORMS

DB_OPTION = click.option(
    "--db",
    "db_path",
    default=None,
    envvar="NEWSCRAWL_DB",
    show_envvar=True,
    help=f"SQLite database to write/read [default: {DEFAULT_DB_PATH}]",
)


@click.group()
@click.version_option(package_name="newscrawl")
def cli() -> None:
    """Track news-commentary blogs: every post and every reader comment, in one
    SQLite database you can query with SQL and browse in Datasette."""


PLATFORM_CHOICE = click.Choice(["auto", *PLATFORMS])


class CrawlLocked(click.ClickException):
    """Another crawl holds the database: exit code 2, so schedulers can tell "skipped" from "failed"."""

    exit_code = 2


class BadArgument(click.ClickException):
    """A URL that is not a web address, a database that cannot be opened, a platform that
    cannot be told: exit code 2, like click's own usage errors (nothing was crawled)."""

    exit_code = 2


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--all", "all_tracked", is_flag=True,
              help="Crawl every enabled tracked blog (see `newscrawl add` and `newscrawl list`) with its stored "
                   "platform: no detection request.")
@DB_OPTION
@click.option("--platform", type=PLATFORM_CHOICE, default="auto", show_default=True,
              help="Platform of the URLS given: auto tells it from the blog's home page (tracked blogs use their "
                   "stored platform).")
@click.option("--feeds", type=click.Choice(["auto", "off"]), default="auto", show_default=True,
              help="auto: read the blog's feeds or API first; off: crawl the HTML archive.")
@click.option("--full", is_flag=True,
              help="Re-read every post and comment instead of only what changed since the last complete crawl; "
                   "rows gone from the blog are then marked deleted.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable).")
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Crawl processes sharing the blogs (each one core, all writing to the one database) "
                   "[default: the number of CPUs]")
@click.option("--log-level", default=None,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Scrapy's log level [default: WARNING; INFO with --verbose]")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's log at INFO: start-up, stats, each blog as it starts.")
@click.option("--redis", "redis_url", default=None, metavar="redis://HOST:PORT/DB",
              help="Crawl through Redis with `newscrawl worker` processes on any machine: this process enqueues the "
                   "blogs and writes what the workers send back (see README, More than one machine).")
@click.option("--time-limit", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="With --redis: give up blogs not finished after this long (reported failed; their marks stay) "
                   "[default: 86400]")
def crawl(urls: tuple[str, ...], all_tracked: bool, db_path: str | None, platform: str, feeds: str, full: bool,
          processes: int | None, overrides: tuple[str, ...], log_level: str | None, verbose: bool,
          redis_url: str | None, time_limit: float | None) -> None:
    """Crawl the blogs at URLS (whole archive: every post and comment) into the database.

    With --all, crawl every tracked blog too: what a cron job or systemd timer runs.
    URLS that are not tracked are crawled but not added to the tracked list.

    One run at a time per database: a second `newscrawl crawl` on the same database
    exits at once with code 2 ("another newscrawl crawl is running"), as does a bad
    argument (not a web address, a database that cannot be opened).  Exit code 1: a
    crawl did not finish, a blog could not be read (private, deleted ...), or some URLs
    failed (they are listed in the errors table and fetched again by the next crawl).

    A blog crawled before is read incrementally: only what changed since its last
    complete crawl.  --full re-reads everything (and notices deleted rows).

    With --redis, the crawls run in `newscrawl worker` processes (this machine or others)
    and this process writes what they send back; --time-limit bounds the wait.

    \b
    Examples:
        newscrawl crawl https://example.blogspot.com/ --db data/newscrawl.db
        newscrawl crawl --all --db data/newscrawl.db
        newscrawl crawl --all --db data/newscrawl.db --redis redis://10.0.0.5:6379/0
    """
    from .crawling import CrawlFailed, run_crawls
    from .locking import LockHeld

    if not urls and not all_tracked:
        raise click.UsageError("name the blogs to crawl (URLS), or crawl every tracked blog with --all")
    if time_limit is not None and redis_url is None:
        raise click.UsageError("--time-limit bounds a --redis crawl: add --redis URL")
    homes = _web_addresses(urls)
    settings = _parse_overrides(overrides)
    check_setting_values(settings)
    path = database_path(db_path, create=True)
    if redis_url is not None:
        _check_redis(redis_url, settings.get("NEWSCRAWL_REDIS_PREFIX"))
        time_limit = time_limit or DEFAULT_TIME_LIMIT
    # progress is the live line (a terminal) or one line per blog (cron, a pipe): Scrapy's own
    # ~125 lines per blog only when asked for
    if log_level or verbose or "LOG_LEVEL" not in settings:
        settings["LOG_LEVEL"] = (log_level or ("INFO" if verbose else "WARNING")).upper()
    settings.setdefault("NEWSCRAWL_PROCESSES", processes or os.cpu_count() or 1)
    try:
        summary = run_crawls(homes, str(path), feeds=feeds, settings=settings, platform=platform,
                             all_tracked=all_tracked, mode="full" if full else "incremental",
                             redis=redis_url, time_limit=time_limit)
    except LockHeld as exc:
        raise CrawlLocked(str(exc)) from exc
    except (ValueError, CrawlFailed) as exc:
        raise BadArgument(str(exc)) from exc
    if not summary.rows and not summary.skipped and not summary.failures:
        click.echo(f"no tracked blogs in {path}: add some with `newscrawl add URL` or `newscrawl import-opml FILE`")
        return
    click.echo(summary.table())
    if not summary.ok:
        sys.exit(1)


# How long a --redis crawl waits for its blogs at most, unless --time-limit says otherwise.
DEFAULT_TIME_LIMIT = 24 * 3600.0


def _check_redis(url: str, prefix: str | None = None) -> None:
    """Redis answers at ``url`` and the key prefix is usable: BadArgument (exit 2) otherwise."""
    from .distributed.queue import RedisUnreachable, check_prefix, connect

    try:
        if prefix is not None:
            check_prefix(prefix)
        connect(url).close()
    except (RedisUnreachable, ValueError) as exc:
        raise BadArgument(str(exc)) from exc


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="redis://HOST:PORT/DB",
              help="The Redis the coordinator (`newscrawl crawl --all --redis URL`) enqueues jobs in.")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes on this machine (each one core, NEWSCRAWL_CONCURRENT_BLOGS blogs at a time).")
@click.option("--exit-when-idle", is_flag=True, help="Exit once there has been no job for --idle-timeout seconds.")
@click.option("--idle-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS")
@click.option("--prefix", default=None, help="Redis key prefix, as the coordinator's NEWSCRAWL_REDIS_PREFIX "
                                              "[default: newscrawl]")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting on this worker, e.g. -s NEWSCRAWL_CONCURRENT_BLOGS=16 (repeatable).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
def worker(redis_url: str, processes: int, exit_when_idle: bool, idle_timeout: float, prefix: str | None,
           overrides: tuple[str, ...], log_level: str) -> None:
    """Crawl blogs for a coordinator on another machine (or this one), through Redis.

    Takes jobs (one blog each) that `newscrawl crawl --all --redis URL` enqueued, crawls them
    with the newscrawl spiders and sends rows and outcomes back; it needs no database.  Runs
    until stopped (Ctrl-C or SIGTERM put its unfinished blogs back in the queue), or with
    --exit-when-idle until there is nothing left to do.  A worker killed outright loses
    nothing: once its heartbeat expires the coordinator hands its blogs to the others.

    \b
    Examples:
        newscrawl worker --redis redis://10.0.0.5:6379/0
        newscrawl worker --redis redis://10.0.0.5:6379/0 --processes 4 --exit-when-idle
    """
    from .distributed.worker import run_workers

    settings = _parse_overrides(overrides)
    check_setting_values(settings)
    prefix = prefix or settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl"
    _check_redis(redis_url, prefix)
    settings["LOG_LEVEL"] = log_level.upper()
    sys.exit(run_workers(redis_url, prefix, settings, processes=processes, exit_when_idle=exit_when_idle,
                         idle_timeout=idle_timeout))


def _web_addresses(urls: tuple[str, ...]) -> list[str]:
    """Each URL's home page; BadArgument, before anything is opened or created, when one is not
    a web address."""
    from .tracking import TrackingError, check_blog_url

    try:
        return [check_blog_url(url) for url in urls]
    except TrackingError as exc:
        raise BadArgument(str(exc)) from exc


# -- the tracked list ---------------------------------------------------------------------


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@DB_OPTION
@click.option("--platform", type=PLATFORM_CHOICE, default="auto", show_default=True,
              help="auto: told from the address (a *.blogspot.com host ...) or from the blog's home page "
                   "(one request).")
@click.option("--title", default=None, help="A title to show until the first crawl reads the blog's own.")
def add(urls: tuple[str, ...], db_path: str | None, platform: str, title: str | None) -> None:
    """Track the blogs at URLS: `newscrawl crawl --all` crawls them from then on.

    Adding a blog already tracked changes nothing.

    \b
    Examples:
        newscrawl add https://example.blogspot.com/
        newscrawl add https://example.org/ --platform wordpress
    """
    from .tracking import TrackingError, add_blog, check_blog_url

    path = database_path(db_path, create=True)
    addresses = []
    for url in urls:
        try:
            addresses.append(check_blog_url(url))
        except TrackingError as exc:
            click.echo(f"Error: {exc}", err=True)
    if not addresses:
        sys.exit(2)  # nothing to track: no database opened, none created
    failed = len(urls) - len(addresses)
    store = _open_store(path)
    try:
        for url in addresses:
            try:
                result = add_blog(store, url, platform, title)
            except TrackingError as exc:
                click.echo(f"Error: {exc}", err=True)
                failed += 1
                continue
            if result.added:
                click.echo(f"tracking {result.url} ({result.platform})")
            else:
                click.echo(f"already tracked: {result.url} ({result.platform}); nothing changed")
    finally:
        store.close()
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@DB_OPTION
def remove(urls: tuple[str, ...], db_path: str | None) -> None:
    """Stop tracking the blogs at URLS.  Their posts and comments stay in the database."""
    from .tracking import remove_blog

    store = _open_store(database_path(db_path, missing=TRACK_FIRST))
    missing = 0
    try:
        for url in urls:
            removed = remove_blog(store, url)
            if removed:
                click.echo(f"no longer tracking {removed}")
            else:
                click.echo(f"Error: {url} is not tracked (see `newscrawl list`)", err=True)
                missing += 1
    finally:
        store.close()
    if missing:
        sys.exit(1)


@cli.command(name="list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the tracked_blogs rows.")
def list_blogs(db_path: str | None, as_json: bool) -> None:
    """Show the tracked blogs: platform, title, when each was last crawled and how it ended."""
    store = _open_store(database_path(db_path, missing=TRACK_FIRST))
    try:
        blogs = store.tracked_blogs()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(blogs, ensure_ascii=False, indent=2))
        return
    if not blogs:
        click.echo("no tracked blogs: add some with `newscrawl add URL` or `newscrawl import-opml FILE`")
        return
    headers = ["url", "platform", "title", "last crawled", "last status"]
    lines = [[b["url"], b["platform"], b["title"], b["last_crawled"],
              " ".join(filter(None, [b["last_status"], None if b["enabled"] else "(disabled)"]))]
             for b in blogs]
    click.echo(_table(headers, lines))


@cli.command(name="import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@DB_OPTION
@click.option("--platform", type=PLATFORM_CHOICE, default="auto", show_default=True,
              help="Platform of every blog in the file.  auto: told from each feed address (Blogger "
                   "/feeds/posts/default, WordPress /feed/) or else from the blog's home page (one request each).")
def import_opml(file: str, db_path: str | None, platform: str) -> None:
    """Track every blog of an OPML subscription list (what feed readers export).

    Each outline's home page is its htmlUrl (or a link outline's url), or is derived from
    its xmlUrl; a feed that names no home page is tracked by its own address as a plain
    feed blog.  Nested category outlines are read too.  Blogs already tracked are left as they
    are.  An outline whose address is not a web address (javascript:, data: ...) is
    refused with a warning.  Exit code 1 when some outlines could not be added (each is
    listed); 2 when the file is not OPML or has no outline to add.

    \b
    Example:
        newscrawl import-opml subscriptions.opml --db data/newscrawl.db
    """
    from .tracking import OpmlError, import_opml as import_outlines, read_opml

    path = database_path(db_path, create=True)
    source = "-" if file == "-" else file
    try:
        outlines, refused = read_opml(click.open_file(file, "rb").read(), source)
    except OpmlError as exc:
        raise BadArgument(str(exc)) from exc
    for address, why in refused:
        click.echo(f"Warning: refused outline {address}: {why}", err=True)
    if not outlines:
        raise BadArgument(f"{source}: no outline to import: the address of every outline was refused")
    store = _open_store(path)
    try:
        report = import_outlines(store, outlines, platform=platform, refused=refused)
    finally:
        store.close()
    for result in report.added:
        click.echo(f"tracking {result.url} ({result.platform})")
    for what, why in report.failed:
        click.echo(f"not added: {what}: {why}", err=True)
    click.echo(f"{file}: {report.summary()}")
    if report.failed or report.refused:
        sys.exit(1)


@cli.command(name="export-opml")
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@DB_OPTION
def export_opml(file: str, db_path: str | None) -> None:
    """Write the tracked blogs as OPML 2.0 (to FILE, or standard output with -), with
    each blog's home page (htmlUrl) and main feed (xmlUrl), or a link outline (url) for a
    blog whose feed is not known yet: a feed reader imports it."""
    from .tracking import export_opml as export

    path = database_path(db_path, missing=TRACK_FIRST)
    if file != "-":
        _check_folder(Path(file), f"cannot write {file}")
    store = _open_store(path)
    try:
        data = export(store)
    finally:
        store.close()
    try:
        with click.open_file(file, "wb", atomic=file != "-") as handle:
            handle.write(data)
    except OSError as exc:
        raise BadArgument(f"cannot write {file}: {exc.strerror or exc}") from exc
    if file != "-":
        click.echo(f"wrote {file}", err=True)


# -- the database path --------------------------------------------------------------------

TRACK_FIRST = "track blogs with `newscrawl add URL` first"
CRAWL_FIRST = "run `newscrawl crawl URL` or `newscrawl demo` first"
SQLITE_HEADER = b"SQLite format 3\x00"


def database_path(db_path: str | None, create: bool = False, missing: str = TRACK_FIRST) -> Path:
    """The --db path of every command, checked before anything is opened or created (the
    crawl's .lock file included): BadArgument when it cannot be a newscrawl database.

    ``create``: the database may be new (crawl, add, import-opml, demo).  Otherwise it must
    exist (``missing``: what to do first)."""
    if db_path is not None and not db_path.strip():
        raise BadArgument(f"--db is empty: give the database's path, or leave --db out for {DEFAULT_DB_PATH}")
    path = Path(db_path or DEFAULT_DB_PATH)
    if path.is_dir():
        raise BadArgument(f"cannot open database {path}: it is a folder; give --db a file in it, "
                          f"e.g. {path / 'newscrawl.db'}")
    if path.exists():
        _check_existing_database(path)
    elif not create:
        # exit code 1, as ever: a database not there yet is no misuse
        raise click.ClickException(f"no database at {path}: {missing}")
    else:
        _check_new_database_folder(path)
    return path


def _check_existing_database(path: Path) -> None:
    if not path.is_file():
        raise BadArgument(f"cannot open database {path}: not an SQLite database (not a regular file)")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BadArgument(f"cannot open database {path}: {exc.strerror or exc}") from exc
    # an empty file is an SQLite database with nothing in it yet
    if header and header != SQLITE_HEADER:
        raise BadArgument(f"cannot open database {path}: not an SQLite database; give --db the path of a "
                          f"newscrawl database, or of a new file")
    # even reading commands write: the schema and views are brought up to date on opening
    if not os.access(path, os.W_OK):
        raise BadArgument(f"cannot open database {path}: the file is read-only, and newscrawl writes to its "
                          f"database whatever the command; make it writable, or use a copy")
    # SQLite writes its -wal and -shm files beside the database, a crawl its .lock file
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise BadArgument(f"cannot open database {path}: its folder {path.parent} is read-only, and SQLite "
                          f"writes its journal files there")


def _check_new_database_folder(path: Path) -> None:
    """A new database's own folder may be missing: it is created with the database (the default
    data/, the systemd unit's ~/newscrawl/).  A path missing more than that is a mistyped one."""
    folder = path.parent
    if not folder.exists() and folder.parent.is_dir():
        _check_folder(folder, f"cannot create database {path}")
    else:
        _check_folder(path, f"cannot create database {path}")


def _check_folder(path: Path, what: str) -> None:
    """The folder a new file goes into: it exists and can be written."""
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise BadArgument(f"{what}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise BadArgument(f"{what}: the folder {folder} does not exist (create it first, or check the path)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadArgument(f"{what}: the folder {folder} is read-only")


def _open_store(path: Path):
    """The database at a path ``database_path`` checked."""
    from .storage import Store, StorageError

    try:
        return Store(path)
    except StorageError as exc:
        raise BadArgument(str(exc)) from exc


def _table(headers: list[str], lines: list[list]) -> str:
    cells = [[str(v) if v is not None else "" for v in line] for line in lines]
    widths = [max(len(v) for v in column) for column in zip(headers, *cells)]
    out = ["  ".join(v.ljust(w) for v, w in zip(headers, widths)).rstrip()]
    out += ["  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(out)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page or feed was saved from.")
@click.option("--platform", type=PLATFORM_CHOICE, default="auto", show_default=True,
              help="auto: tell it from the page or feed itself.")
def extract(file: Path, url: str, platform: str) -> None:
    """Parse one saved page or feed and print what would be stored, as JSON.

    A post page prints {"blog": ..., "post": ..., "comments": [...]}; a feed prints
    {"blog": ..., "posts": [...], "comments": [...]}.  Dates are normalized exactly as
    in a crawl.  Use it when a page extracts wrong.

    It reads Blogger, WordPress and plain-site pages and feeds, and Substack post pages
    (/p/SLUG), newsletter emails and API answers (/api/v1/archive, /api/v1/posts/SLUG,
    /api/v1/post/ID/comments).  A file it cannot read (empty, binary, a page where
    nothing is found) is refused with one line saying why: exit code 2.

    \b
    Example:
        curl -o post.json https://example.substack.com/api/v1/posts/a-post
        newscrawl extract post.json --url https://example.substack.com/api/v1/posts/a-post
    """
    from .extraction import PARSER_ERRORS, extract_file, refusal

    try:
        body = file.read_bytes()
    except OSError as exc:
        raise BadArgument(f"cannot read {file}: {exc.strerror or exc}") from exc
    try:
        result = extract_file(body, url, platform)
    except PARSER_ERRORS as exc:  # ExtractError among them
        raise BadArgument(str(refusal(exc, url, platform, body))) from exc
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on: another than this machine's own (0.0.0.0 ...) shows the database "
                   "to the network, with no login.")
@click.option("-p", "--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open a browser window.")
def serve(db_path: str | None, host: str, port: int, open_browser: bool) -> None:
    """Browse the database in Datasette, with newscrawl's titles, facets and search,
    canned queries (latest comments, most discussed posts, top commenters, a
    commenter's history, cited outlets ...), a comments-per-day chart and an Atom feed
    of each blog's new comments.

    The database's views are brought up to date first (an older database gets the
    current ones).

    \b
    Example:
        newscrawl serve --db data/newscrawl.db --port 8002
    """
    import asyncio
    import webbrowser

    import uvicorn

    from .browse import make_datasette

    path = database_path(db_path, missing=CRAWL_FIRST)
    _open_store(path).close()  # creates or replaces the views
    if not _is_loopback(host):
        click.echo(f"Warning: serving on {host}: the database is open to the network, to anyone who reaches "
                   f"port {port} (there is no login); --host 127.0.0.1 keeps it on this machine", err=True)
    datasette = make_datasette(path)
    asyncio.run(datasette.invoke_startup())
    if open_browser:
        webbrowser.open(f"http://{host}:{port}/")
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)


def _is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: only this machine can connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a network address


@cli.command()
@DB_OPTION
@click.option("--posts", default=40, show_default=True, help="Posts in the demo blog.")
@click.option("--comments-per-post", default=6, show_default=True)
@click.option("--template", type=click.Choice(["minima", "threaded"]), default="threaded", show_default=True)
def demo(db_path: str | None, posts: int, comments_per_post: int, template: str) -> None:
    """Crawl a generated Blogger blog served on 127.0.0.1 into the database, then
    show how to browse it.  No internet needed."""
    from .crawling import run_crawls
    from .replica import ReplicaServer, generate_blog

    path = str(database_path(db_path, create=True))
    blog = generate_blog(posts=posts, comments_per_post=comments_per_post, seed=1)
    with ReplicaServer(blog, template=template) as server:
        click.echo(f"Replica Blogger blog serving at {server.url}")
        summary = run_crawls([server.url], path, settings=LOCAL_REPLICA_SETTINGS | {"LOG_LEVEL": "WARNING"},
                             platform="blogger")
    click.echo(summary.table())
    click.echo("")
    click.echo(_describe_database(path))
    click.echo(f"\nStored in {path}. Browse it with:\n\n    newscrawl serve --db {path}\n")
    if not summary.ok:
        sys.exit(1)


def _describe_database(path: str) -> str:
    """Row counts and the latest comments: a first look at what a crawl stored."""
    from .storage import Store

    store = Store(path)
    try:
        counts = {t: store.count(t) for t in ("blogs", "posts", "comments", "crawls")}
        latest = list(store.db.query(
            "select c.published, c.author, p.title, substr(coalesce(c.content_text, '[removed]'), 1, 60) as text"
            " from comments c join posts p on p.id = c.post_id order by c.published desc limit 5"
        ))
    finally:
        store.close()
    lines = ["In the database: " + ", ".join(f"{n} {t}" for t, n in counts.items()), "Latest comments:"]
    for row in latest:
        text = " ".join((row["text"] or "").split())
        lines.append(f"  {row['published']}  {row['author']} on \"{row['title']}\": {text}")
    return "\n".join(lines)


# The replica is on loopback: no need to be polite to it.
LOCAL_REPLICA_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}


# Settings newscrawl reads that neither Scrapy nor newscrawl.settings sets: the command line does.
COMMAND_LINE_SETTINGS = {"NEWSCRAWL_PROCESSES": 1}

# How a setting is read, told by the type of its default: (Settings method, what it takes).  Numbers
# are read as floats: Scrapy reads some settings whose default is an int so (DOWNLOAD_TIMEOUT).
_SETTING_READERS = {
    bool: ("getbool", "true or false (1 or 0)"),
    int: ("getfloat", "a number"),
    float: ("getfloat", "a number"),
    dict: ("getdict", "a JSON object"),
}


def check_setting_values(settings: dict[str, str]) -> None:
    """Refuse a -s value of the wrong type for a setting Scrapy or newscrawl knows: Scrapy
    would read it only once the crawl runs, fail with a CRITICAL log line, and exit 0."""
    from scrapy.settings import Settings

    defaults = Settings(COMMAND_LINE_SETTINGS)
    defaults.setmodule("newscrawl.settings")
    given = Settings(settings)
    for name, value in settings.items():
        method, takes = _SETTING_READERS.get(type(defaults.get(name)), (None, None))
        if method is None:
            continue  # a text, a list, a setting of a plugin: Scrapy takes any text
        try:
            getattr(given, method)(name)
        except (ValueError, TypeError):
            raise click.BadParameter(f"{name} takes {takes}, not {value!r}", param_hint="-s") from None


def _parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE", param_hint="-s")
        settings[name.strip()] = value
    return settings


if __name__ == "__main__":
    cli()
