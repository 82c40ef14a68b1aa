"""The ``newscrawl`` command: thin click wrappers over the library."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from . import DEFAULT_DB_PATH

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


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@DB_OPTION
@click.option("--platform", type=click.Choice(["auto", "blogger", "wordpress"]), default="auto", show_default=True,
              help="auto: tell it from the blog's home page.")
@click.option("--feeds", type=click.Choice(["auto", "off"]), default="auto", show_default=True,
              help="auto: read the blog's feeds or API first; off: crawl the HTML archive.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable).")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
def crawl(urls: tuple[str, ...], db_path: str | None, platform: str, feeds: str, overrides: tuple[str, ...],
          log_level: str) -> None:
    """Crawl the blogs at URLS (whole archive: every post and comment) into the database.

    \b
    Example:
        newscrawl crawl https://example.blogspot.com/ --db data/newscrawl.db
    """
    from .crawling import CrawlFailed, run_crawls

    settings = _parse_overrides(overrides)
    settings["LOG_LEVEL"] = log_level.upper()
    try:
        summary = run_crawls(list(urls), db_path or DEFAULT_DB_PATH, feeds=feeds, settings=settings, platform=platform)
    except (ValueError, CrawlFailed) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.table())
    if not summary.ok:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page or feed was saved from.")
@click.option("--platform", type=click.Choice(["auto", "blogger", "wordpress"]), default="auto", show_default=True,
              help="auto: tell it from the page or feed itself.")
def extract(file: Path, url: str, platform: str) -> None:
    """Parse one saved page or feed and print what would be stored, as JSON.

    A post page prints {"blog": ..., "post": ..., "comments": [...]}; a feed prints
    {"blog": ..., "posts": [...], "comments": [...]}.  Dates are normalized exactly as
    in a crawl.  Use it when a page extracts wrong.
    """
    from .extraction import extract_file

    click.echo(json.dumps(extract_file(file.read_bytes(), url, platform), ensure_ascii=False, indent=2))


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", default=8001, show_default=True, type=int)
@click.option("--open", "open_browser", is_flag=True, help="Open a browser window.")
def serve(db_path: str | None, host: str, port: int, open_browser: bool) -> None:
    """Browse the database in Datasette, with newscrawl's titles, facets and search."""
    import subprocess

    from .browse import datasette_metadata

    path = Path(db_path or DEFAULT_DB_PATH)
    if not path.exists():
        raise click.ClickException(f"no database at {path}: run `newscrawl crawl URL` or `newscrawl demo` first")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(datasette_metadata(path), handle)
    command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", handle.name,
               "--host", host, "--port", str(port)]
    if open_browser:
        command.append("--open")
    sys.exit(subprocess.call(command))


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

    path = db_path or DEFAULT_DB_PATH
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
