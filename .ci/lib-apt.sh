# Shared by the .ci/install-*.sh scripts (sourced, not run): install Debian packages for
# one group of tests, or say why those tests will skip. Never fails the CI run.
#
#   apt_install_for NAME "WHAT-HAPPENS-INSTEAD" PACKAGE...
#
# Returns 0 when apt installed the packages (its log is in $APT_LOG), 1 when it could
# not (no apt, not root and no password-less sudo, update or install failed).
apt_install_for() {
    local name=$1 instead=$2
    shift 2
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$name: apt-get not available; $instead"
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            echo "$name: not root and no password-less sudo; $instead"
            return 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    APT_LOG="${TMPDIR:-/tmp}/$name.log"
    if ! timeout 600 $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq; then
        echo "$name: apt-get update failed; $instead"
        return 1
    fi
    if ! timeout 1200 $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "$@" >"$APT_LOG" 2>&1; then
        tail -n 30 "$APT_LOG"
        echo "$name: apt-get install failed; $instead"
        return 1
    fi
    return 0
}

# The install script of one group of tests whose tool is one command:
#
#   apt_ensure_command NAME COMMAND "WHAT-HAPPENS-INSTEAD" PACKAGE...
#
# Does nothing when COMMAND is there; else installs PACKAGE... and checks COMMAND came with them.
# Always returns 0: the tests say what is missing.
apt_ensure_command() {
    local name=$1 command=$2 instead=$3
    shift 3
    local start
    start=$(date +%s)
    if command -v "$command" >/dev/null 2>&1; then
        echo "$name: already installed ($("$command" --version 2>/dev/null | head -n 1))"
        return 0
    fi
    apt_install_for "$name" "$instead" "$@" || return 0
    if command -v "$command" >/dev/null 2>&1; then
        echo "$name: installed $* ($("$command" --version 2>/dev/null | head -n 1)) in $(( $(date +%s) - start ))s"
    else
        tail -n 30 "$APT_LOG"
        echo "$name: package installed but no $command command; $instead"
    fi
    return 0
}
