#!/usr/bin/env bash
# Install what the WordPress integration tests need (tests/wordpress_server.py):
# Debian's WordPress, PHP's CLI (with its built-in web server) and MariaDB.
#
# Idempotent: does nothing when everything is already there. Never fails the CI run:
# where apt is unavailable (not Debian, not root, no registry) it says so and exits 0,
# and the WordPress tests then skip with a message pointing here.
#
# Nothing is configured or started system-wide: the tests run a private MariaDB and
# PHP server under a temporary directory on free 127.0.0.1 ports.
set -uo pipefail

# wordpress-theme-*: with --no-install-recommends Debian's wordpress has no theme at all;
# twentytwentyone is a classic theme (ol.comment-list), twentytwentythree a block theme.
PACKAGES=(wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree
          php-cli php-mysql php-mbstring php-xml mariadb-server)
# Commands the test harness needs (tests/wordpress_server.py checks the same).
have_all() {
    command -v php >/dev/null 2>&1 \
        && { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } \
        && command -v mariadb-install-db >/dev/null 2>&1 \
        && [ -f /usr/share/wordpress/wp-load.php ] \
        && [ -d /usr/share/wordpress/wp-content/themes/twentytwentyone ] \
        && [[ "$(php -m 2>/dev/null)" == *$'\nmysqli\n'* ]]
}

start=$(date +%s)
if have_all; then
    echo "install-wordpress: already installed ($(php -r 'echo "PHP ", PHP_VERSION;'), $(PATH="$PATH:/usr/sbin" mariadbd --version 2>/dev/null | awk '{print $3}'))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-wordpress: apt-get not available; WordPress integration tests will be skipped"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-wordpress: not root and no password-less sudo; WordPress integration tests will be skipped"
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# wordpress also pulls in apache2 (Depends: apache2 | httpd); nothing here starts it.
LOG="${TMPDIR:-/tmp}/install-wordpress.log"
if ! timeout 600 $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq; then
    echo "install-wordpress: apt-get update failed; WordPress integration tests will be skipped"
    exit 0
fi
if ! timeout 1200 $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${PACKAGES[@]}" >"$LOG" 2>&1; then
    tail -n 30 "$LOG"
    echo "install-wordpress: apt-get install failed; WordPress integration tests will be skipped"
    exit 0
fi

if have_all; then
    echo "install-wordpress: installed ${PACKAGES[*]} in $(( $(date +%s) - start ))s"
else
    tail -n 30 "$LOG"
    echo "install-wordpress: packages installed but something is missing; WordPress integration tests will be skipped"
fi
exit 0
