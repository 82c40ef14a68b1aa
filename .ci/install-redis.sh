#!/usr/bin/env bash
# Install what the distributed-crawl tests need (tests/test_distributed.py): Debian's
# redis-server. The tests start their own throwaway server on 127.0.0.1 (no persistence, a
# temporary folder); the package's own service is neither needed nor started here.
#
# Idempotent: does nothing when redis-server is already there. Never fails the CI run: where
# apt is unavailable it says so and exits 0; the tests then fail (NEWSCRAWL_REQUIRE_REAL_PAGES=1
# in CI) with a message pointing here.
set -uo pipefail

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
apt_ensure_command install-redis redis-server "distributed-crawl tests will fail (CI) or skip" redis-server
