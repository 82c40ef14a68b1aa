#!/usr/bin/env bash
# Install what the browser test needs (tests/test_browser.py): Debian's chromium, run
# headless to render newscrawl's Datasette pages and take screenshots.
#
# Idempotent: does nothing when chromium is already there. Never fails the CI run:
# where apt is unavailable (not Debian, not root, no registry) it says so and exits 0,
# and the browser test then skips with a message pointing here.
set -uo pipefail

PACKAGES=(chromium)
have_all() {
    command -v chromium >/dev/null 2>&1
}

start=$(date +%s)
if have_all; then
    echo "install-chromium: already installed ($(chromium --version 2>/dev/null | head -n 1))"
    exit 0
fi

# shellcheck source=lib-apt.sh
source "$(dirname "$0")/lib-apt.sh"
apt_install_for install-chromium "browser tests will be skipped" "${PACKAGES[@]}" || exit 0

if have_all; then
    echo "install-chromium: installed ${PACKAGES[*]} ($(chromium --version 2>/dev/null | head -n 1)) in $(( $(date +%s) - start ))s"
else
    tail -n 30 "$APT_LOG"
    echo "install-chromium: package installed but no chromium command; browser tests will be skipped"
fi
exit 0
