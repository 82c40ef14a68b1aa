"""A real WordPress on 127.0.0.1 for integration tests: Debian's WordPress, PHP's
built-in web server and a private MariaDB, all under one temporary directory.

    from wordpress_server import WordPressServer, wordpress_site   # the fixture

    with WordPressServer(timezone="Europe/Berlin") as wp:          # ~2 s
        post = wp.create_post("Title", "<p>Body</p>", "2024-03-30 12:00:00")
        top = wp.create_comment(post, "Ann", "First!")
        wp.create_comment(post, "Bob", "Reply", parent=top, date_gmt="2024-03-31 02:15:00")
        wp.url                  # 'http://127.0.0.1:PORT/'
        wp.truth()              # WordPress's own posts and approved comments
        wp.disable_rest()       # a must-use plugin answers every REST request 401
        wp.fetch("feed/")       # Response(status, headers, body)

API: WordPressServer(**options) (see the class), .start() / .stop() / context manager,
.url .host .port .docroot .tmp .wordpress_version .startup_seconds .timings,
.run_php(code) -> stdout, .php_json(code) -> value, .create_post(...) -> id,
.create_comment(...) -> id, .truth() -> {"posts", "comments", "timezone", "url", "version"},
.disable_rest(status=401|403|404) / .enable_rest() / .rest_disabled, .fetch(path) -> Response,
.logs() / .php_warnings(); module level: unavailable_reason(), nonexistent_local_times(),
wordpress_site (module-scoped fixture), wordpress_site_fixture(scope, **options).

Nothing outside the temporary directory is written: WordPress is laid out from
/usr/share/wordpress with our own wp-config.php (Debian's reads
/etc/wordpress/config-HOST.php), MariaDB gets its own data directory, socket and port and
reads no system option file (--no-defaults). Install the packages with
.ci/install-wordpress.sh; without them the `wordpress_site` fixture skips and says so.

WordPress runs with outgoing HTTP blocked (WP_HTTP_BLOCK_EXTERNAL), no pings, no cron, no
mail and no avatars, so neither the site nor a crawler of it reaches past 127.0.0.1.
If the Python process dies without stop(), a watchdog process kills the servers and
removes the directory. NEWSCRAWL_WP_KEEP=1 keeps the directory after stop() (debugging).
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

WORDPRESS_SOURCE = Path("/usr/share/wordpress")
INSTALL_HINT = "run .ci/install-wordpress.sh"
DB_NAME = "wordpress"
ADMIN_USER = "admin"
ADMIN_DISPLAY_NAME = "Site Admin"
DEFAULT_PERMALINKS = "/%year%/%monthnum%/%postname%/"
_MYSQL_FORMAT = "%Y-%m-%d %H:%M:%S"

# PHP settings for both the CLI scripts and the web server.
_PHP_INI = [
    "-d", "display_errors=stderr",
    "-d", "log_errors=0",
    "-d", "memory_limit=512M",
    "-d", "sendmail_path=/bin/true",
    "-d", "opcache.enable_cli=1",
    "-d", "opcache.revalidate_freq=0",
    "-d", "date.timezone=UTC",
]
# PHP CLI scripts (run_php) also keep compiled code in a file cache under the server's
# directory: loading WordPress then takes ~0.07 s instead of ~0.26 s per script.


class WordPressServerError(RuntimeError):
    """The server could not start or a PHP script failed."""


def _which(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/bin", "/sbin"):
        candidate = Path(folder, name)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def unavailable_reason(theme: str = "twentytwentyone") -> str | None:
    """Why a WordPress test server cannot run here, or None when it can."""
    missing = [name for name in ("php", "mariadbd", "mariadb-install-db") if not _which(name)]
    if missing:
        return f"{', '.join(missing)} not installed"
    if not (WORDPRESS_SOURCE / "wp-load.php").is_file():
        return f"WordPress not found in {WORDPRESS_SOURCE}"
    if not (WORDPRESS_SOURCE / "wp-content" / "themes" / theme).is_dir():
        return f"WordPress theme {theme} not installed"
    try:
        modules = subprocess.run(
            [_which("php"), "-m"], capture_output=True, text=True, timeout=30
        ).stdout.lower().split()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"php does not run: {exc}"
    for module, package in (("mysqli", "php-mysql"), ("xml", "php-xml"), ("simplexml", "php-xml")):
        if module not in modules:
            return f"PHP's {module} extension ({package}) not installed: run .ci/install-wordpress.sh"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _php_value(value: Any) -> str:
    """A PHP expression for a JSON-able Python value (no quoting pitfalls)."""
    encoded = base64.b64encode(json.dumps(value).encode()).decode()
    return f"json_decode(base64_decode('{encoded}'), true)"


def _utc_iso(mysql_gmt: str | None) -> str | None:
    """'2024-03-31 02:30:00' (a GMT value as WordPress stores it) -> '2024-03-31T02:30:00+00:00'."""
    if not mysql_gmt or mysql_gmt.startswith("0000"):
        return None
    return datetime.strptime(mysql_gmt, _MYSQL_FORMAT).replace(tzinfo=UTC).isoformat()


def nonexistent_local_times(zone: str, year: int) -> list[str]:
    """Wall-clock times ('YYYY-MM-DD HH:30:00') that do not exist in `zone` in `year`
    (the spring-forward gap). A *GMT* value at such a wall-clock time is what makes
    WordPress's REST `date_gmt` come out an hour late (mysql2date reads it in the site zone)."""
    tz = ZoneInfo(zone)
    result = []
    moment = datetime(year, 1, 1, 0, 30)
    while moment.year == year:
        roundtrip = moment.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        if roundtrip.replace(tzinfo=None) != moment:
            result.append(moment.strftime(_MYSQL_FORMAT))
        moment += timedelta(hours=1)
    return result


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class _Proc:
    name: str
    popen: subprocess.Popen
    log: Path


# Run beside each server: if the Python process that started it dies without stop()
# (SIGKILL, a crash), kill the server's process groups and remove its directory.
# (setpriv --pdeathsig alone is not enough: PHP's forked workers do not inherit it.)
_WATCHDOG = r"""
import os, shutil, signal, sys, time
parent, tmp = int(sys.argv[1]), sys.argv[2]
while os.getppid() == parent and os.path.isdir(tmp):
    time.sleep(0.5)
def groups():
    try:
        with open(os.path.join(tmp, "pgids")) as f:
            return [int(line) for line in f if line.strip()]
    except OSError:
        return []
for sig in (signal.SIGTERM, signal.SIGKILL):
    for pgid in groups():
        try:
            os.killpg(pgid, sig)
        except OSError:
            pass
    time.sleep(1)
shutil.rmtree(tmp, ignore_errors=True)
"""

_LIVE: set[WordPressServer] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop()


class WordPressServer:
    """Debian's WordPress served by `php -S` on 127.0.0.1, with a private MariaDB.

    Options: `blogname`, `timezone` (timezone_string; a DST zone by default),
    `comments_per_page` (None: comments not paged; N: paged, N top-level comments per page),
    `permalink_structure` ('' for plain ?p=ID links), `rewrite` (the web server sends
    paths that are not files to index.php, as mod_rewrite with WordPress's .htaccess does;
    default: on with pretty permalinks, off with plain ones, so /wp-json/ is then a 404 and
    only ?rest_route= works), `theme` (twentytwentyone, classic
    `ol.comment-list` markup; twentytwentythree is a block theme), `posts_per_page` (home
    and archive pages), `posts_per_rss`, `options` (any other update_option() pairs),
    `workers` (PHP_CLI_SERVER_WORKERS: requests served in parallel), `startup_timeout`.
    """

    def __init__(
        self,
        *,
        blogname: str = "Newscrawl Test Commentary",
        timezone: str = "Europe/Berlin",
        comments_per_page: int | None = None,
        permalink_structure: str = DEFAULT_PERMALINKS,
        theme: str = "twentytwentyone",
        posts_per_page: int = 10,
        posts_per_rss: int = 10,
        rewrite: bool | None = None,
        options: dict[str, Any] | None = None,
        workers: int = 4,
        startup_timeout: float = 60.0,
        php_timeout: float = 120.0,
    ) -> None:
        self.blogname = blogname
        self.timezone = timezone
        self.comments_per_page = comments_per_page
        self.permalink_structure = permalink_structure
        self.theme = theme
        self.posts_per_page = posts_per_page
        self.posts_per_rss = posts_per_rss
        self.rewrite = bool(permalink_structure) if rewrite is None else rewrite
        self.options = dict(options or {})
        self.workers = workers
        self.startup_timeout = startup_timeout
        self.php_timeout = php_timeout

        self.tmp: Path | None = None
        self.port: int | None = None
        self.db_port: int | None = None
        self.db_socket: Path | None = None
        self.docroot: Path | None = None
        self.startup_seconds: float | None = None
        self.timings: dict[str, float] = {}
        self.wordpress_version: str | None = None
        self._procs: list[_Proc] = []
        self._watchdog: subprocess.Popen | None = None
        self._php = _which("php")
        self._stopped = False

    # -- lifecycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> WordPressServer:
        if self.tmp is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> WordPressServer:
        reason = unavailable_reason(self.theme)
        if reason:
            raise WordPressServerError(f"WordPress test server unavailable: {reason} ({INSTALL_HINT})")
        started = time.monotonic()
        deadline = started + self.startup_timeout
        self._stopped = False
        base = os.environ.get("TMPDIR") or "/tmp"
        if len(base) > 60:  # a unix socket path must stay under ~107 bytes
            base = "/tmp"
        self.tmp = Path(tempfile.mkdtemp(prefix="newscrawl-wp-", dir=base))
        _LIVE.add(self)
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.tmp)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            # mariadb-install-db runs while WordPress is copied and PHP's server starts.
            for step in (self._init_mariadb, self._layout_wordpress, self._start_php_server,
                         self._start_mariadb, self._install, self._wait_http):
                t0 = time.monotonic()
                step(deadline)
                self.timings[step.__name__.strip("_")] = round(time.monotonic() - t0, 3)
        except Exception as exc:
            detail = "\n".join(f"--- {name} ---\n{text}" for name, text in self.logs().items())
            self.stop()
            raise WordPressServerError(f"WordPress test server failed to start: {exc}\n{detail}") from exc
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self) -> None:
        """Stop PHP and MariaDB and remove the temporary directory (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        for proc in reversed(self._procs):
            _terminate(proc.popen)
        self._procs.clear()
        if self._watchdog is not None:
            _terminate(self._watchdog, group=False)
            self._watchdog = None
        if self.tmp is not None and os.environ.get("NEWSCRAWL_WP_KEEP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)
        _LIVE.discard(self)

    def logs(self, lines: int = 40) -> dict[str, str]:
        """The last lines of each log (MariaDB, PHP server, WordPress debug.log)."""
        result = {}
        if self.tmp is None:
            return result
        for path in sorted(self.tmp.glob("*.log")):
            try:
                text = [
                    line for line in path.read_text(errors="replace").splitlines()
                    if "PHP Deprecated:" not in line
                ][-lines:]
            except OSError:
                continue
            result[path.name] = "\n".join(text)
        return result

    def php_warnings(self) -> list[str]:
        """WordPress's debug.log lines other than PHP 8.2 deprecations of WordPress 6.1's own code."""
        if self.tmp is None:
            return []
        path = self.tmp / "wordpress-debug.log"
        if not path.exists():
            return []
        return [
            line
            for line in path.read_text(errors="replace").splitlines()
            if line.startswith("[") and "PHP Deprecated:" not in line
        ]

    # -- start-up steps ---------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> _Proc:
        log = self.tmp / f"{name}.log"
        setpriv = _which("setpriv")
        if setpriv:  # the child gets SIGTERM if this Python process dies without cleaning up
            argv = [setpriv, "--pdeathsig", "TERM", "--", *argv]
        with open(log, "ab") as out:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.tmp,
                env=env,
                start_new_session=True,
            )
        with open(self.tmp / "pgids", "a") as pgids:
            pgids.write(f"{popen.pid}\n")
        proc = _Proc(name, popen, log)
        self._procs.append(proc)
        return proc

    def _mariadb_common(self) -> list[str]:
        common = ["--no-defaults", f"--datadir={self.tmp / 'mysql'}", "--innodb-log-file-size=8M"]
        if os.geteuid() == 0:
            common.append("--user=root")
        return common

    def _init_mariadb(self, deadline: float) -> None:
        self.db_socket = self.tmp / "mysql.sock"
        self.db_port = free_port()
        self._db_init = self._spawn(
            "mariadb-install-db",
            [
                _which("mariadb-install-db"), *self._mariadb_common(),
                "--auth-root-authentication-method=normal", "--skip-test-db",
                "--skip-name-resolve",
            ],
        ).popen

    def _start_mariadb(self, deadline: float) -> None:
        try:
            code = self._db_init.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _terminate(self._db_init)
            raise WordPressServerError("mariadb-install-db did not finish in time") from None
        if code != 0:
            raise WordPressServerError(f"mariadb-install-db failed ({code})")
        for attempt in range(3):
            if attempt:
                self.db_port = free_port()
            proc = self._spawn(
                "mariadb",
                [
                    _which("mariadbd"), *self._mariadb_common(),
                    f"--socket={self.db_socket}", f"--port={self.db_port}",
                    "--bind-address=127.0.0.1", "--skip-networking=0", "--skip-name-resolve",
                    f"--pid-file={self.tmp / 'mysql.pid'}", "--skip-log-bin",
                    "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0",
                    "--innodb-doublewrite=0", "--skip-innodb-adaptive-hash-index",
                    "--performance-schema=0", "--max-connections=100",
                    "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                ],
            )
            # Bounded wait for the socket; a port collision shows as an early exit.
            while time.monotonic() < deadline:
                if self.db_socket.exists() or proc.popen.poll() is not None:
                    break
                time.sleep(0.02)
            if proc.popen.poll() is None and self.db_socket.exists():
                return
            if proc.popen.poll() is None:
                raise WordPressServerError("mariadbd did not become ready in time")
            self._procs.remove(proc)
            if "Address already in use" not in proc.log.read_text(errors="replace"):
                break
        raise WordPressServerError("mariadbd exited during start-up")

    def _layout_wordpress(self, deadline: float) -> None:
        self.docroot = self.tmp / "wordpress"
        # Real files, not symlinks: PHP resolves __FILE__ through symlinks, and
        # wp-load.php looks for wp-config.php beside the *resolved* file (Debian's own
        # wp-config.php reads /etc/wordpress/config-HOST.php). WordPress's code
        # (wp-includes, wp-admin: 56 of 63 MB) is hard-linked when /tmp and /usr share a
        # file system (~0.2 s instead of ~3 s), copied otherwise; wp-content and the
        # top-level files are copied. Never write into wp-includes or wp-admin.
        self.docroot.mkdir()
        core = [WORDPRESS_SOURCE / "wp-includes", WORDPRESS_SOURCE / "wp-admin"]
        rest = [
            entry for entry in WORDPRESS_SOURCE.iterdir()
            if entry not in core and entry.name not in ("wp-config.php", ".htaccess")
        ]
        timeout = max(5.0, deadline - time.monotonic())
        linked = subprocess.run(
            ["cp", "-al", *map(str, core), str(self.docroot)],
            capture_output=True, timeout=timeout,
        )
        if linked.returncode != 0:
            for entry in core:
                shutil.rmtree(self.docroot / entry.name, ignore_errors=True)
            rest += core
        subprocess.run(
            ["cp", "-a", *map(str, rest), str(self.docroot)],
            check=True, capture_output=True, timeout=timeout,
        )
        # wp-content: themes and plugins from the package, our own uploads and mu-plugins.
        for name in ("uploads", "mu-plugins", "upgrade"):
            (self.docroot / "wp-content" / name).mkdir(parents=True, exist_ok=True)
        (self.tmp / "opcache").mkdir()
        self.port = free_port()
        salts = "\n".join(
            f"define('{key}', '{secrets.token_hex(32)}');"
            for key in (
                "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
            )
        )
        (self.docroot / "wp-config.php").write_text(
            f"""<?php
// Written by tests/wordpress_server.py: replaces Debian's /etc/wordpress lookup.
define('DB_NAME', '{DB_NAME}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{self.db_socket}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', 'http://127.0.0.1:{self.port}');
define('WP_SITEURL', 'http://127.0.0.1:{self.port}');
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', '{self.tmp / "wordpress-debug.log"}');
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""
        )
        if not self.rewrite:
            (self.tmp / "no-rewrite").touch()
        (self.tmp / "router.php").write_text(
            f"""<?php
// Router for `php -S`: real files as they are, everything else through index.php,
// as Apache's mod_rewrite rules for WordPress do (pretty permalinks, /wp-json/).
$root = {json.dumps(str(self.docroot))};
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($path !== '/' && strpos($path, '..') === false) {{
    $file = $root . $path;
    if (is_file($file)) {{
        return false;
    }}
    if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {{
        return false;
    }}
    if (is_file(__DIR__ . '/no-rewrite')) {{  // like Apache without WordPress's .htaccess
        http_response_code(404);
        header('Content-Type: text/html; charset=iso-8859-1');
        echo '<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>';
        return true;
    }}
}}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
unset($_SERVER['PATH_INFO']);
chdir($root);
require $root . '/index.php';
"""
        )

    def _start_php_server(self, deadline: float) -> None:
        env = dict(os.environ, PHP_CLI_SERVER_WORKERS=str(max(1, self.workers)))
        for attempt in range(3):
            if attempt:
                self.port = free_port()
                self._rewrite_port()
            proc = self._spawn(
                "php-server",
                [self._php, *_PHP_INI, "-S", self.host, "-t", str(self.docroot), str(self.tmp / "router.php")],
                env=env,
            )
            while time.monotonic() < deadline:
                if proc.popen.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    time.sleep(0.05)
            if proc.popen.poll() is None:
                raise WordPressServerError("php -S did not listen in time")
            self._procs.remove(proc)
        raise WordPressServerError("php -S exited during start-up (port in use?)")

    def _rewrite_port(self) -> None:
        config = self.docroot / "wp-config.php"
        text = config.read_text()
        text = re.sub(r"http://127\.0\.0\.1:\d+", f"http://127.0.0.1:{self.port}", text)
        config.write_text(text)

    def _install(self, deadline: float) -> None:
        settings = {
            "blogname": self.blogname,
            "blogdescription": "Commentary on the news, for newscrawl's tests",
            "timezone_string": self.timezone,
            "gmt_offset": "",
            "permalink_structure": self.permalink_structure,
            "theme": self.theme,
            "options": {
                "thread_comments": 1,
                "thread_comments_depth": 5,
                "page_comments": 1 if self.comments_per_page else 0,
                "comments_per_page": self.comments_per_page or 50,
                "default_comments_page": "oldest",
                "comment_order": "asc",
                "close_comments_for_old_posts": 0,
                "default_comment_status": "open",
                "default_ping_status": "open",
                "comment_moderation": 0,
                "comment_previously_approved": 0,
                "require_name_email": 0,
                "show_avatars": 0,
                "ping_sites": "",
                "default_pingback_flag": 0,
                "blog_public": 1,
                "posts_per_page": self.posts_per_page,
                "posts_per_rss": self.posts_per_rss,
                "rss_use_excerpt": 0,
                "date_format": "F j, Y",
                "time_format": "g:i a",
                **self.options,
            },
        }
        # The database is created here too (retrying while MariaDB finishes starting).
        code = f"""
$s = {_php_value(settings)};
mysqli_report(MYSQLI_REPORT_OFF);
$until = microtime(true) + {max(5.0, deadline - time.monotonic()):.1f};
do {{
    $db = @new mysqli(null, 'root', '', null, 0, {json.dumps(str(self.db_socket))});
    if (!$db->connect_errno) break;
    usleep(100000);
}} while (microtime(true) < $until);
if ($db->connect_errno) {{ fwrite(STDERR, 'MariaDB: ' . $db->connect_error); exit(3); }}
$db->query('CREATE DATABASE IF NOT EXISTS `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
$db->close();

define('WP_INSTALLING', true);
require ABSPATH_FILE;
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$r = wp_install($s['blogname'], '{ADMIN_USER}', 'admin@example.invalid', true, '', wp_generate_password(20));
wp_update_user(['ID' => $r['user_id'], 'display_name' => '{ADMIN_DISPLAY_NAME}', 'nickname' => '{ADMIN_DISPLAY_NAME}']);
// An empty site: no "Hello world!", sample page or privacy-policy draft.
foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1]) as $p) {{
    wp_delete_post($p->ID, true);
}}
foreach (get_comments(['status' => 'all']) as $c) {{ wp_delete_comment($c->comment_ID, true); }}
update_option('blogdescription', $s['blogdescription']);
update_option('timezone_string', $s['timezone_string']);
update_option('gmt_offset', $s['gmt_offset']);
foreach ($s['options'] as $k => $v) {{ update_option($k, $v); }}
switch_theme($s['theme']);
global $wp_rewrite;
$wp_rewrite->set_permalink_structure($s['permalink_structure']);
flush_rewrite_rules(false);
echo json_encode(['installed' => true, 'version' => get_bloginfo('version')]);
"""
        # wp_install() mails the admin: pluggable, so replace it before upgrade.php loads.
        code = code.replace(
            "require ABSPATH_FILE;",
            f"function wp_new_blog_notification() {{}}\nrequire {json.dumps(str(self.docroot / 'wp-load.php'))};",
        )
        out = self._run_php_file("install", "<?php\n" + self._server_vars() + code, deadline - time.monotonic())
        info = json.loads(out.strip().splitlines()[-1])
        self.wordpress_version = info["version"]

    def _wait_http(self, deadline: float) -> None:
        last = None
        while time.monotonic() < deadline:
            try:
                response = self.fetch("", timeout=10)
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.1)
        raise WordPressServerError(f"WordPress did not answer in time: {last}")

    # -- PHP with WordPress loaded ------------------------------------------------------

    def _server_vars(self) -> str:
        return f"""
$_SERVER['HTTP_HOST'] = '{self.host}';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = '{self.port}';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
"""

    def _run_php_file(self, name: str, source: str, timeout: float | None = None) -> str:
        script = self.tmp / f"{name}-{secrets.token_hex(4)}.php"
        script.write_text(source)
        debug_log = self.tmp / "wordpress-debug.log"
        logged_before = debug_log.stat().st_size if debug_log.exists() else 0
        try:
            done = subprocess.run(
                [self._php, *_PHP_INI, "-d", f"opcache.file_cache={self.tmp / 'opcache'}", str(script)],
                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                cwd=self.docroot, timeout=max(1.0, timeout or self.php_timeout),
            )
        except subprocess.TimeoutExpired as exc:
            raise WordPressServerError(f"PHP script {name} timed out after {exc.timeout:.0f}s") from None
        finally:
            script.unlink(missing_ok=True)
        if done.returncode != 0:
            # Errors while WordPress loads go to its debug.log only.
            logged = ""
            if debug_log.exists() and not done.stderr.strip():
                with open(debug_log, "rb") as log:
                    log.seek(logged_before)
                    logged = "\n".join(
                        line for line in log.read().decode(errors="replace").splitlines()
                        if "PHP Deprecated:" not in line
                    )[-4000:]
            raise WordPressServerError(
                f"PHP script {name} failed ({done.returncode}):\n{done.stderr[-4000:]}"
                f"\n{done.stdout[-2000:]}\n{logged}".rstrip()
            )
        return done.stdout

    def run_php(self, code: str, *, timeout: float | None = None) -> str:
        """Run PHP code with WordPress loaded (as the admin user); returns what it echoes.

        `code` is PHP statements (a leading `<?php` is allowed). Errors go to stderr and
        raise WordPressServerError; a thrown exception or `exit(1)` does too."""
        code = code.lstrip()
        if code.startswith("<?php"):
            code = code[5:]
        source = (
            "<?php\n"
            + self._server_vars()
            # No "critical error" HTML page on stdout: a fatal error is an exit code and
            # stderr here (and a line in WordPress's debug.log, as WP_DEBUG_LOG says).
            + "define('WP_DISABLE_FATAL_ERROR_HANDLER', true);\n"
            + f"require {json.dumps(str(self.docroot / 'wp-load.php'))};\n"
            + "ini_set('display_errors', 'stderr');\n"
            + "wp_set_current_user(1);\n"
            + code
            + "\n"
        )
        return self._run_php_file("run", source, timeout)

    def php_json(self, code: str, *, timeout: float | None = None) -> Any:
        """run_php() for code that echoes one json_encode(...) value; returns it decoded."""
        out = self.run_php(code, timeout=timeout)
        return json.loads(out)

    def create_post(
        self,
        title: str,
        content: str,
        date_local: str | None = None,
        *,
        date_gmt: str | None = None,
        author: str | None = None,
        slug: str | None = None,
        status: str = "publish",
        comment_status: str = "open",
    ) -> int:
        """Insert a post with wp_insert_post(); returns its ID.

        `date_local` is the site-zone wall clock 'YYYY-MM-DD HH:MM:SS'; `date_gmt` its
        UTC value. Give one (the other is derived by WordPress) or both (stored as given).
        `author` is a display name: the user is created on first use (default: the admin)."""
        args = {
            "post_title": title,
            "post_content": content,
            "post_status": status,
            "post_type": "post",
            "comment_status": comment_status,
            "ping_status": "open",
        }
        if slug:
            args["post_name"] = slug
        if date_local:
            args["post_date"] = date_local
        if date_gmt:
            args["post_date_gmt"] = date_gmt
            if not date_local:
                args["post_date"] = "__FROM_GMT__"
        code = f"""
$a = {_php_value(args)};
$author = {_php_value(author)};
if (($a['post_date'] ?? '') === '__FROM_GMT__') {{ $a['post_date'] = get_date_from_gmt($a['post_date_gmt']); }}
if ($author !== null) {{ $a['post_author'] = newscrawl_user($author); }} else {{ $a['post_author'] = 1; }}
// As given, not through kses: the admin has unfiltered_html anyway.
kses_remove_filters();
$id = wp_insert_post(wp_slash($a), true);
if (is_wp_error($id)) {{ fwrite(STDERR, $id->get_error_message()); exit(1); }}
echo $id;
"""
        return int(self.run_php(_USER_HELPER + code).strip())

    def create_comment(
        self,
        post_id: int,
        author: str,
        content: str,
        parent: int = 0,
        approved: int | str = 1,
        date_local: str | None = None,
        type: str = "comment",  # noqa: A002 - WordPress's own name
        *,
        date_gmt: str | None = None,
        author_url: str = "",
        author_email: str = "",
        user_id: int = 0,
    ) -> int:
        """Insert a comment with wp_insert_comment(); returns its ID.

        `approved`: 1, 0 (pending), 'spam' or 'trash'. `type`: 'comment', 'pingback',
        'trackback'. Dates as for create_post (default: now)."""
        data = {
            "comment_post_ID": int(post_id),
            "comment_author": author,
            "comment_author_email": author_email,
            "comment_author_url": author_url,
            "comment_author_IP": "127.0.0.1",
            "comment_content": content,
            "comment_parent": int(parent),
            "comment_approved": str(approved),
            "comment_type": type,
            "comment_agent": "newscrawl-tests",
            "user_id": int(user_id),
        }
        code = f"""
$c = {_php_value(data)};
$local = {_php_value(date_local)};
$gmt = {_php_value(date_gmt)};
if ($local !== null && $gmt === null) {{ $gmt = get_gmt_from_date($local); }}
if ($gmt !== null && $local === null) {{ $local = get_date_from_gmt($gmt); }}
if ($local !== null) {{ $c['comment_date'] = $local; $c['comment_date_gmt'] = $gmt; }}
$id = wp_insert_comment(wp_slash($c));
if (!$id) {{ fwrite(STDERR, 'wp_insert_comment failed'); exit(1); }}
echo $id;
"""
        return int(self.run_php(code).strip())

    def truth(self) -> dict[str, Any]:
        """WordPress's own data: published posts and approved comments (pingbacks too,
        with their `type`), read through get_posts()/get_comments(). Dates as stored
        (`date`, `date_gmt`, ... 'YYYY-MM-DD HH:MM:SS') plus UTC ISO strings in the
        project's format (`published`, `updated`: '2024-03-31T02:30:00+00:00')."""
        data = self.php_json(
            """
$posts = [];
foreach (get_posts(['numberposts' => -1, 'post_type' => 'post', 'post_status' => 'publish',
                    'orderby' => 'ID', 'order' => 'ASC', 'suppress_filters' => true]) as $p) {
    $GLOBALS['post'] = $p;
    setup_postdata($p);
    $posts[] = [
        'id' => (int) $p->ID,
        'title' => $p->post_title,
        'title_rendered' => get_the_title($p),
        'slug' => $p->post_name,
        'link' => get_permalink($p),
        'date' => $p->post_date,
        'date_gmt' => $p->post_date_gmt,
        'modified' => $p->post_modified,
        'modified_gmt' => $p->post_modified_gmt,
        'author' => get_the_author_meta('display_name', $p->post_author),
        'content' => $p->post_content,
        'content_rendered' => apply_filters('the_content', $p->post_content),
        'comment_count' => (int) $p->comment_count,
        'comment_status' => $p->comment_status,
    ];
}
wp_reset_postdata();
$comments = [];
foreach (get_comments(['status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC']) as $c) {
    $comments[] = [
        'id' => (int) $c->comment_ID,
        'post' => (int) $c->comment_post_ID,
        'parent' => (int) $c->comment_parent,
        'author' => $c->comment_author,
        'author_url' => $c->comment_author_url,
        'user_id' => (int) $c->user_id,
        'date' => $c->comment_date,
        'date_gmt' => $c->comment_date_gmt,
        'type' => $c->comment_type,
        'content' => $c->comment_content,
        'content_rendered' => apply_filters('comment_text', get_comment_text($c), $c, []),
        'link' => get_comment_link($c),
    ];
}
echo json_encode(['posts' => $posts, 'comments' => $comments,
                  'timezone' => wp_timezone_string(), 'url' => home_url('/'),
                  'version' => get_bloginfo('version')], JSON_UNESCAPED_SLASHES);
"""
        )
        for post in data["posts"]:
            post["published"] = _utc_iso(post["date_gmt"])
            post["updated"] = _utc_iso(post["modified_gmt"])
        for comment in data["comments"]:
            comment["published"] = _utc_iso(comment["date_gmt"])
        return data

    # -- REST on and off ----------------------------------------------------------------

    @property
    def _rest_plugin(self) -> Path:
        return self.docroot / "wp-content" / "mu-plugins" / "newscrawl-disable-rest.php"

    def disable_rest(self, status: int = 401) -> None:
        """Install a must-use plugin that rejects every REST request, as security plugins
        do: 401/403 (rest_authentication_errors) or 404 (no routes at all). The REST
        discovery links (<link rel="https://api.w.org/">, Link header) go too."""
        if status == 404:
            reject = "add_filter('rest_endpoints', function () { return []; }, PHP_INT_MAX);"
        else:
            reject = (
                "add_filter('rest_authentication_errors', function () {\n"
                "    return new WP_Error('rest_disabled', 'The REST API is disabled on this site.',\n"
                f"                        ['status' => {int(status)}]);\n"
                "}, PHP_INT_MAX);"
            )
        self._rest_plugin.write_text(
            "<?php\n/* Plugin Name: newscrawl tests: REST disabled */\n"
            + reject
            + "\nremove_action('wp_head', 'rest_output_link_wp_head', 10);\n"
            "remove_action('template_redirect', 'rest_output_link_header', 11);\n"
            "remove_action('wp_head', 'wp_oembed_add_discovery_links');\n"
        )

    def enable_rest(self) -> None:
        self._rest_plugin.unlink(missing_ok=True)

    @property
    def rest_disabled(self) -> bool:
        return self._rest_plugin.exists()

    # -- HTTP ---------------------------------------------------------------------------

    def fetch(self, path: str = "", *, timeout: float = 30.0) -> Response:
        """GET a path (relative to the site root, or a full URL); any status, no raise."""
        url = path if path.startswith(("http://", "https://")) else self.url + path.lstrip("/")
        request = urllib.request.Request(url, headers={"User-Agent": "newscrawl-tests"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Response(response.status, dict(response.headers.items()), response.read(), url)
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, dict(error.headers.items()), error.read(), url)


_USER_HELPER = """
function newscrawl_user($display_name) {
    $login = sanitize_user(strtolower(preg_replace('/[^A-Za-z0-9]+/', '', remove_accents($display_name))), true);
    if ($login === '') { $login = 'user' . substr(md5($display_name), 0, 8); }
    $user = get_user_by('login', $login);
    if ($user) { return $user->ID; }
    $id = wp_insert_user(['user_login' => $login, 'user_pass' => wp_generate_password(20),
                          'user_email' => $login . '@example.invalid', 'display_name' => $display_name,
                          'nickname' => $display_name, 'role' => 'author']);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    return $id;
}
"""


def _terminate(popen: subprocess.Popen, timeout: float = 10.0, group: bool = True) -> None:
    """SIGTERM the process (and its process group: PHP's workers), SIGKILL after `timeout`."""

    def send(sig: int) -> None:
        try:
            if group:
                os.killpg(popen.pid, sig)  # its own group (start_new_session)
            else:
                popen.send_signal(sig)
        except (ProcessLookupError, PermissionError):
            pass

    if popen.poll() is not None:
        return
    send(signal.SIGTERM)
    try:
        popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    # Whether the leader went or hangs, finish its group (PHP's workers) right away.
    send(signal.SIGKILL)
    try:
        popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass


# -- pytest ---------------------------------------------------------------------------------


def wordpress_site_fixture(scope: str = "module", **options: Any):
    """A pytest fixture that yields a started WordPressServer(**options), one per `scope`,
    or skips when the packages are not installed. Start-up failures with the packages
    present are errors, not skips.

        wordpress_paged = wordpress_site_fixture(comments_per_page=3)
    """

    @pytest.fixture(scope=scope)
    def _wordpress_site():
        reason = unavailable_reason(options.get("theme", "twentytwentyone"))
        if reason:
            pytest.skip(f"WordPress test server unavailable: {reason} ({INSTALL_HINT})")
        with WordPressServer(**options) as server:
            yield server

    return _wordpress_site


#: The default fixture: `from wordpress_server import wordpress_site` in a test module.
wordpress_site = wordpress_site_fixture()
