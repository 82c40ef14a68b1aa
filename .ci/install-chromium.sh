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

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: apt-get not available; browser tests will be skipped"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-chromium: not root and no password-less sudo; browser tests will be skipped"
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
LOG="${TMPDIR:-/tmp}/install-chromium.log"
if ! timeout 600 $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq; then
    echo "install-chromium: apt-get update failed; browser tests will be skipped"
    exit 0
fi
if ! timeout 1200 $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${PACKAGES[@]}" >"$LOG" 2>&1; then
    tail -n 30 "$LOG"
    echo "install-chromium: apt-get install failed; browser tests will be skipped"
    exit 0
fi

if have_all; then
    echo "install-chromium: installed ${PACKAGES[*]} ($(chromium --version 2>/dev/null | head -n 1)) in $(( $(date +%s) - start ))s"
else
    tail -n 30 "$LOG"
    echo "install-chromium: package installed but no chromium command; browser tests will be skipped"
fi
exit 0
