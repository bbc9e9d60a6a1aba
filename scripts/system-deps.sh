#!/usr/bin/env bash
# Install the Debian packages cnaikg's tests need, each only when it is missing, and say what was done:
#   chromium        headless browser for the explorer and report tests
#   fonts-noto-cjk  Chinese glyphs, so names render as text and not as boxes
# When another apt/dpkg process holds the package manager's lock, wait for it (bounded, with a message).
# Needs root (or sudo) only when something must be installed.
#
# Settings (environment): CNAIKG_APT_WAIT   seconds to wait for the lock (default 300)
#                         CNAIKG_APT_LOCKS  lock files to watch (default: dpkg's and apt's)
#                         CNAIKG_SYSDEPS_ASSUME_MISSING  packages to treat as missing (for tests)
set -euo pipefail
say() { echo "system-deps: $*" >&2; }
WAIT="${CNAIKG_APT_WAIT:-300}"
LOCKS="${CNAIKG_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}"
ASSUME_MISSING=" ${CNAIKG_SYSDEPS_ASSUME_MISSING:-} "

installed() {  # installed PACKAGE: true when dpkg knows it installed (or, for chromium, when the binary is there)
  [[ "$ASSUME_MISSING" == *" $1 "* ]] && return 1
  if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; then return 0; fi
  [ "$1" = chromium ] && { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && return 0
  [ "$1" = fonts-noto-cjk ] && command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && return 0
  return 1
}

need=()
for pkg in chromium fonts-noto-cjk; do
  if installed "$pkg"; then say "$pkg is already installed"; else need+=("$pkg"); fi
done
if [ ${#need[@]} -eq 0 ]; then say "nothing to install"; exit 0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "missing ${need[*]} and not root (no sudo): run as root: apt-get install -y ${need[*]}"; exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "missing ${need[*]} and this machine has no apt-get: install them with its package manager"; exit 1
fi

lock_held() {  # true when another process holds one of the lock files (dpkg and apt use fcntl locks)
  $SUDO python3 - $LOCKS <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
    except OSError:
        sys.exit(0)
    finally:
        os.close(fd)
sys.exit(1)
PY
}

wait_for_lock() {
  local start now told=0
  start=$(date +%s)
  while lock_held; do
    now=$(date +%s)
    if [ $((now - start)) -ge "$WAIT" ]; then
      say "gave up after ${WAIT} s: another apt/dpkg process still holds the package manager's lock; let it finish (or set CNAIKG_APT_WAIT) and run again"
      exit 1
    fi
    if [ $told -eq 0 ]; then say "another apt/dpkg process holds the package manager's lock; waiting for it (up to ${WAIT} s) ..."; told=1; fi
    sleep 2
  done
  [ $told -eq 1 ] && say "the lock is free after $(( $(date +%s) - start )) s"
  return 0
}

export DEBIAN_FRONTEND=noninteractive
wait_for_lock
say "installing ${need[*]} ..."
$SUDO apt-get -o DPkg::Lock::Timeout="$WAIT" update -qq >&2
wait_for_lock
$SUDO apt-get -o DPkg::Lock::Timeout="$WAIT" install -y -qq --no-install-recommends "${need[@]}" >&2
say "installed ${need[*]}"
