#!/usr/bin/env bash
# Install what the browser test needs (tests/test_browser.py): Debian's chromium, run
# headless to render newscrawl's Datasette pages and take screenshots.
#
# Idempotent: does nothing when chromium is already there. Never fails the CI run:
# where apt is unavailable (not Debian, not root, no registry) it says so and exits 0,
# and the browser test then skips with a message pointing here.
set -uo pipefail

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
apt_ensure_command install-chromium chromium "browser tests will be skipped" chromium
