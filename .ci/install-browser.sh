#!/usr/bin/env bash
# Makes a real browser available for the console's browser tests (ConsoleBrowserIT): Debian's
# Chromium, and the Python `playwright` package (which drives it), pytest, and axe-core as shipped
# inside the `axe-playwright-python` package (the accessibility engine injected into each page), in
# a venv. Playwright's own browser download is never used (`playwright install` is not run): the
# tests point Playwright at /usr/bin/chromium.
#
# Idempotent: Chromium is installed only when /usr/bin/chromium is missing; a venv that already has
# the pinned versions is used as it is. Prints the venv's python as the only line on stdout;
# everything else goes to stderr. Callers pass it on:
#
#   export SATURN_BROWSER_PYTHON="$(bash .ci/install-browser.sh)"
#
# PLAYWRIGHT_VERSION, PYTEST_VERSION and AXE_PLAYWRIGHT_VERSION override the pinned versions.
set -euo pipefail

PLAYWRIGHT="${PLAYWRIGHT_VERSION:-1.65.2}"
PYTEST="${PYTEST_VERSION:-9.2.0}"
AXE="${AXE_PLAYWRIGHT_VERSION:-0.1.8}"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/saturn/playwright-venv"

say() { echo "install-browser: $*" >&2; }
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1 DEBIAN_FRONTEND=noninteractive

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  say "installing Debian's chromium"
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq chromium >&2
fi
say "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium --version failed')"

ready() {
  "$1" - "$PLAYWRIGHT" "$PYTEST" "$AXE" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
from importlib.resources import files
assert version("playwright") == sys.argv[1]
assert version("pytest") == sys.argv[2]
assert version("axe-playwright-python") == sys.argv[3]
assert files("axe_playwright_python").joinpath("axe.min.js").is_file()
PY
}

if [ -x "$VENV/bin/python" ] && ready "$VENV/bin/python"; then
  say "playwright $PLAYWRIGHT, pytest $PYTEST, axe-playwright-python $AXE in $VENV"
  echo "$VENV/bin/python"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { say "python3 is needed and missing"; exit 1; }
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
say "installing playwright==$PLAYWRIGHT pytest==$PYTEST axe-playwright-python==$AXE into $VENV"
if python3 -m venv "$VENV" >>"$LOG" 2>&1 \
    && "$VENV/bin/python" -m pip install --quiet "playwright==$PLAYWRIGHT" "pytest==$PYTEST" \
        "axe-playwright-python==$AXE" >>"$LOG" 2>&1 \
    && ready "$VENV/bin/python"; then
  echo "$VENV/bin/python"
  exit 0
fi
sed 's/^/  pip: /' "$LOG" >&2
say "could not install playwright; ConsoleBrowserIT cannot run"
exit 1
