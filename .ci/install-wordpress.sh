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

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
# wordpress also pulls in apache2 (Depends: apache2 | httpd); nothing here starts it.
apt_install_for install-wordpress "WordPress integration tests will be skipped" "${PACKAGES[@]}" || exit 0

if have_all; then
    echo "install-wordpress: installed ${PACKAGES[*]} in $(( $(date +%s) - start ))s"
else
    tail -n 30 "$APT_LOG"
    echo "install-wordpress: packages installed but something is missing; WordPress integration tests will be skipped"
fi
exit 0
