#!/usr/bin/env bash
# Makes the official MCP Python SDK (`pip install mcp`) available: the MCP tool tests start a real
# MCP server written with it (app/src/test/resources/mcp/tool_server.py) over Streamable HTTP.
#
# Idempotent: a python3 that already imports mcp at the pinned version, or our venv, is used as it
# is. Prints that interpreter's absolute path as the only line on stdout; everything else goes to
# stderr. Callers hand it to the tests:
#
#   export SATURN_MCP_PYTHON="$(bash .ci/install-mcp.sh)"
#
# MCP_SDK_VERSION overrides the pinned version.
set -euo pipefail

PINNED_VERSION="${MCP_SDK_VERSION:-2.3.0}"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/saturn/mcp-venv"

say() { echo "install-mcp: $*" >&2; }

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

has_sdk() {
  "$1" - "$PINNED_VERSION" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
assert version("mcp") == sys.argv[1]
from mcp.server.mcpserver import MCPServer  # noqa: F401 (2.x name of FastMCP)
PY
}

report() {
  say "mcp $PINNED_VERSION importable by $1"
  echo "$1"
}

if [ -x "$VENV/bin/python" ] && has_sdk "$VENV/bin/python"; then
  report "$VENV/bin/python"
  exit 0
fi
if command -v python3 >/dev/null 2>&1 && has_sdk "$(command -v python3)"; then
  report "$(command -v python3)"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  say "python3 is needed to install the MCP Python SDK and is missing"
  exit 1
fi

# A venv of our own: the SDK's dependencies (starlette, uvicorn, pydantic) stay out of the system python.
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
say "installing mcp==$PINNED_VERSION into $VENV"
if python3 -m venv "$VENV" >>"$LOG" 2>&1 \
    && "$VENV/bin/python" -m pip install --quiet "mcp==$PINNED_VERSION" >>"$LOG" 2>&1 \
    && has_sdk "$VENV/bin/python"; then
  report "$VENV/bin/python"
  exit 0
fi
sed 's/^/  pip: /' "$LOG" >&2
say "could not install the MCP Python SDK (pip package mcp==$PINNED_VERSION); the MCP tool tests cannot run"
exit 1
