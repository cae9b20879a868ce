#!/usr/bin/env bash
# Makes the official `openai` Python client and pytest available for OpenAiClientIT, which runs
# app/src/test/python/openai_compat_test.py against the packaged jar.
#
# Idempotent: a python3 that already imports openai (this version) and pytest is used as it is;
# otherwise they are installed from PyPI, into python3 or (a distribution-managed python3 refuses
# global installs, PEP 668) into a private venv. Prints the interpreter's path as the only line on
# stdout; everything else goes to stderr. Callers pass it on:
#
#   export SATURN_PYTHON="$(bash .ci/install-openai-client.sh)"
#
# OPENAI_CLIENT_VERSION and PYTEST_VERSION override the pinned versions.
set -euo pipefail

OPENAI_VERSION="${OPENAI_CLIENT_VERSION:-3.51.0}"
PYTEST_VERSION="${PYTEST_VERSION:-9.2.0}"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/saturn/openai-client-venv"

say() { echo "install-openai-client: $*" >&2; }
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

ready() {
  "$1" - <<PY >/dev/null 2>&1
import openai, pytest
assert openai.__version__ == "$OPENAI_VERSION", openai.__version__
PY
}

report() {
  say "openai $OPENAI_VERSION and pytest with $("$1" --version 2>&1) at $1"
  echo "$1"
}

command -v python3 >/dev/null 2>&1 || { say "python3 is needed and missing"; exit 1; }
for candidate in "$(command -v python3)" "$VENV/bin/python"; do
  if [ -x "$candidate" ] && ready "$candidate"; then
    report "$candidate"
    exit 0
  fi
done

PIP_LOG="$(mktemp)"
trap 'rm -f "$PIP_LOG"' EXIT
install_into() { "$1" -m pip install --quiet "openai==$OPENAI_VERSION" "pytest==$PYTEST_VERSION" >>"$PIP_LOG" 2>&1; }

say "installing openai==$OPENAI_VERSION and pytest==$PYTEST_VERSION from PyPI"
PYTHON="$(command -v python3)"
if ! install_into "$PYTHON" || ! ready "$PYTHON"; then
  say "pip could not install into $PYTHON; using a venv in $VENV"
  python3 -m venv "$VENV" >>"$PIP_LOG" 2>&1 && install_into "$VENV/bin/python" || true
  PYTHON="$VENV/bin/python"
fi
if [ -x "$PYTHON" ] && ready "$PYTHON"; then
  report "$PYTHON"
  exit 0
fi
sed 's/^/  pip: /' "$PIP_LOG" >&2
say "could not install the openai client; OpenAiClientIT cannot run"
exit 1
