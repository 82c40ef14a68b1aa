#!/usr/bin/env bash
# Install what the distributed-crawl tests need (tests/test_distributed.py): Debian's
# redis-server. The tests start their own throwaway server on 127.0.0.1 (no persistence, a
# temporary folder); the package's own service is neither needed nor started here.
#
# Idempotent: does nothing when redis-server is already there. Never fails the CI run: where
# apt is unavailable it says so and exits 0; the tests then fail (NEWSCRAWL_REQUIRE_REAL_PAGES=1
# in CI) with a message pointing here.
set -uo pipefail

PACKAGES=(redis-server)
have_all() {
    command -v redis-server >/dev/null 2>&1
}

start=$(date +%s)
if have_all; then
    echo "install-redis: already installed ($(redis-server --version 2>/dev/null | head -n 1))"
    exit 0
fi

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
apt_install_for install-redis "distributed-crawl tests will fail (CI) or skip" "${PACKAGES[@]}" || exit 0

if have_all; then
    echo "install-redis: installed ${PACKAGES[*]} ($(redis-server --version 2>/dev/null | head -n 1)) in $(( $(date +%s) - start ))s"
else
    tail -n 30 "$APT_LOG"
    echo "install-redis: package installed but no redis-server command; distributed-crawl tests will fail (CI) or skip"
fi
exit 0
