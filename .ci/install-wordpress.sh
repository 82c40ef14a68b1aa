#!/usr/bin/env bash
# Install what the WordPress integration tests need (tests/wordpress_server.py):
# Debian's WordPress, PHP's CLI (with its built-in web server) and MariaDB, and the PHP
# extensions the tests use (PHP_EXTENSIONS below).
#
# Idempotent: does nothing when everything is already there. Where apt is unavailable
# (not Debian, not root, no registry) and PHP, MariaDB or WordPress is missing, it says
# so and exits 0: the WordPress tests then skip with a message pointing here.
# It fails (exit 1), naming the extension and its package, in the one case those tests
# would run and fail instead: PHP, MariaDB and WordPress are there but a PHP extension
# they need is not (without SimpleXML, WordPress answers /wp-sitemap.xml with 501).
#
# Nothing is configured or started system-wide: the tests run a private MariaDB and
# PHP server under a temporary directory on free 127.0.0.1 ports.
set -uo pipefail

# wordpress-theme-*: with --no-install-recommends Debian's wordpress has no theme at all;
# twentytwentyone is a classic theme (ol.comment-list), twentytwentythree a block theme.
PACKAGES=(wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree
          php-cli php-mysql php-mbstring php-xml mariadb-server)
# PHP extensions the WordPress tests need (as `php -m` names them) and the Debian package of each:
#   mysqli     WordPress's database connection (every test)
#   xml        WordPress's XML parser (feeds, XML-RPC pingbacks)
#   SimpleXML  the sitemaps (test_robots_and_sitemap: 501 without it)
PHP_EXTENSIONS=(mysqli:php-mysql xml:php-xml SimpleXML:php-xml)

# Commands and files the test harness needs (tests/wordpress_server.py checks the same):
# without them the WordPress tests skip.
have_programs() {
    command -v php >/dev/null 2>&1 \
        && { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } \
        && command -v mariadb-install-db >/dev/null 2>&1 \
        && [ -f /usr/share/wordpress/wp-load.php ] \
        && [ -d /usr/share/wordpress/wp-content/themes/twentytwentyone ]
}

# The PHP extensions of PHP_EXTENSIONS that `php -m` does not list, one "name (package)" a line.
missing_extensions() {
    local modules pair
    modules=$(php -m 2>/dev/null | tr '[:upper:]' '[:lower:]')
    for pair in "${PHP_EXTENSIONS[@]}"; do
        if ! grep -qxF "$(tr '[:upper:]' '[:lower:]' <<<"${pair%%:*}")" <<<"$modules"; then
            echo "${pair%%:*} (${pair#*:})"
        fi
    done
}

have_all() {
    have_programs && [ -z "$(missing_extensions)" ]
}

# After an install (or none possible): exit 0 when everything is there or the tests will
# skip; exit 1 when they would run and fail for want of a PHP extension.
verdict() {
    local how=$1
    if have_all; then
        echo "install-wordpress: $how ($(php -r 'echo "PHP ", PHP_VERSION;'), extensions: ${PHP_EXTENSIONS[*]%%:*})"
        exit 0
    fi
    if have_programs; then
        local missing packages
        missing=$(missing_extensions | paste -sd, - | sed 's/,/, /g')
        packages=$(missing_extensions | sed 's/.*(\(.*\))/\1/' | sort -u | paste -sd' ' -)
        echo "install-wordpress: ERROR: PHP lacks extension(s) the WordPress tests need: $missing." >&2
        echo "install-wordpress: install them (apt-get install $packages) or enable them in PHP's ini; \`php -m\` lists:" >&2
        php -m 2>/dev/null | grep -v -e '^\[' -e '^$' | awk '!seen[$0]++' | paste -sd' ' - | fold -s -w 100 \
            | sed 's/^/    /' >&2
        exit 1
    fi
    echo "install-wordpress: PHP, MariaDB or WordPress still missing; WordPress integration tests will be skipped"
    exit 0
}

start=$(date +%s)
if have_all; then
    echo "install-wordpress: already installed ($(php -r 'echo "PHP ", PHP_VERSION;'), $(PATH="$PATH:/usr/sbin" mariadbd --version 2>/dev/null | awk '{print $3}'), extensions: ${PHP_EXTENSIONS[*]%%:*})"
    exit 0
fi
instead="WordPress integration tests will be skipped"
if have_programs; then
    echo "install-wordpress: PHP lacks $(missing_extensions | paste -sd, - | sed 's/,/, /g'); installing"
    instead="the PHP extensions cannot be installed"
fi

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
# wordpress also pulls in apache2 (Depends: apache2 | httpd); nothing here starts it.
if ! apt_install_for install-wordpress "$instead" "${PACKAGES[@]}"; then
    verdict "nothing installed"
fi
have_all || tail -n 30 "$APT_LOG"
verdict "installed ${PACKAGES[*]} in $(( $(date +%s) - start ))s"
