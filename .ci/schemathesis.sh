#!/usr/bin/env bash
# Fuzzes the running API with Schemathesis (an outside tool, from PyPI) against its own OpenAPI
# document: every operation, with a company API key, the `not_a_server_error` check. A server error
# on any request fails the run.
#
#   bash .ci/schemathesis.sh              # uses app/target/saturn.jar (build it first: ./mvnw -pl app -am package -DskipTests)
#   SCHEMATHESIS_MAX_EXAMPLES=100 SCHEMATHESIS_SEED=random bash .ci/schemathesis.sh
#
# It starts the jar on free ports with the embedded defaults (its data under target/schemathesis),
# creates a company with an agent, a tool, a chat turn and a user, runs Schemathesis and stops the jar.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-20}"
SEED="${SCHEMATHESIS_SEED:-20261206}"
JAR="${SATURN_JAR:-app/target/saturn.jar}"
WORK="$PWD/app/target/schemathesis"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/saturn/schemathesis-venv"

say() { echo "schemathesis.sh: $*" >&2; }

find_schemathesis() {
  if command -v schemathesis >/dev/null 2>&1 && schemathesis --version 2>/dev/null | grep -q "$VERSION"; then
    command -v schemathesis
  elif [ -x "$VENV/bin/schemathesis" ]; then
    echo "$VENV/bin/schemathesis"
  else
    return 1
  fi
}

# CPython 3.11.7 (this machine's python3) keeps the AST constructor's recursion depth in
# process-wide state: when a garbage collection inside one thread's ast.parse hands the GIL to
# another thread that parses too, the first fails with "SystemError: AST constructor recursion depth
# mismatch". Schemathesis' two worker threads hit that inside Hypothesis (which parses lambdas'
# source) in some CI runs, twice in a row on 2026-12-07; never so far under 3.13.0. So a newer
# CPython (3.12.2 or later, assumed to have the fix) is preferred when the machine has one (on the
# PATH or in pyenv), in a venv of its own.
IS_FIXED_PYTHON='import sys; sys.exit(sys.version_info < (3, 12, 2))'
fixed_python() {
  local candidates=(python3.13 python3.12)
  if command -v pyenv >/dev/null 2>&1; then
    local root version
    root="$(pyenv root)"
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]\.[0-9]+$' | sort -rV); do
      candidates+=("$root/versions/$version/bin/python3")
    done
  fi
  local python
  for python in "${candidates[@]}"; do
    if "$python" -c "import venv; $IS_FIXED_PYTHON" >/dev/null 2>&1; then
      echo "$python"
      return 0
    fi
  done
  return 1
}

venv_ready() {
  [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION" \
    && "$VENV/bin/python" -c "$IS_FIXED_PYTHON" >/dev/null 2>&1
}

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1
# Idempotent: a venv (or an installed schemathesis) of this version is used as it is.
if venv_ready; then
  ST="$VENV/bin/schemathesis"
elif PYTHON="$(fixed_python)"; then
  say "installing schemathesis==$VERSION into $VENV with $("$PYTHON" --version 2>&1)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet "schemathesis==$VERSION" \
    || { say "could not install schemathesis"; exit 1; }
  ST="$VENV/bin/schemathesis"
elif ! ST="$(find_schemathesis)"; then
  say "installing schemathesis==$VERSION (no CPython >= 3.12.2 here: the AST race above can recur)"
  if ! python3 -m pip install --quiet "schemathesis==$VERSION" >/dev/null 2>&1; then
    # A distribution-managed python3 (PEP 668) refuses global installs: use a private venv.
    python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet "schemathesis==$VERSION"
  fi
  hash -r
  ST="$(find_schemathesis)" || { say "could not install schemathesis"; exit 1; }
fi
say "$("$ST" --version) at $ST"

[ -f "$JAR" ] || { say "$JAR is missing; build it: ./mvnw -pl app -am package -DskipTests"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP_PORT="$(free_port)"; MGMT_PORT="$(free_port)"; TEMPORAL_PORT="$(free_port)"; DB_PORT="$(free_port)"
ADMIN="adm_schemathesis_$(date +%s%N)"
BASE="http://127.0.0.1:$HTTP_PORT"
rm -rf "$WORK"; mkdir -p "$WORK"
LOG="$WORK/saturn.log"

SERVER_PORT="$HTTP_PORT" MANAGEMENT_SERVER_PORT="$MGMT_PORT" \
SATURN_TEMPORAL_MODE=embedded SATURN_TEMPORAL_PORT="$TEMPORAL_PORT" SATURN_DB_EMBEDDED_PORT="$DB_PORT" \
SATURN_DATA_DIR="$WORK/data" SATURN_ADMIN_TOKEN="$ADMIN" \
SATURN_RATE_LIMIT_ENABLED=false \
SATURN_CHAT_RESULT_WAIT=5s \
  java -Xmx1g -jar "$JAR" >"$LOG" 2>&1 &
PID=$!
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "$BASE/ready" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { say "SATURN exited; its log:"; tail -50 "$LOG" >&2; exit 1; }
  sleep 1
done
curl -sf "$BASE/ready" >/dev/null || { say "SATURN did not become ready; its log:"; tail -50 "$LOG" >&2; exit 1; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST "$BASE$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
KEY="$(post /v1/companies "$ADMIN" '{"name":"Fuzz","owner":{"email":"owner@fuzz.test","password":"fuzzing password"}}' | json "['api_key']")"
AGENT="$(post /v1/agents "$KEY" '{"name":"fuzzed","config":{"system_prompt":"Answer briefly."}}' | json "['id']")"
post "/v1/agents/$AGENT/chat" "$KEY" '{"message":"hello"}' >/dev/null
post /v1/tools "$KEY" '{"name":"lookup","description":"looks up","method":"GET","url":"https://tools.example.test/q?q={q}","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}' >/dev/null
post /v1/users "$KEY" '{"email":"dev@fuzz.test","role":"developer"}' >/dev/null

# One Schemathesis run; run again once if it failed only on an error inside the tool itself
# ("Runtime Error" while generating cases, e.g. CPython 3.11.7's "AST constructor recursion depth
# mismatch" when Hypothesis parses a lambda's source) and no check failed on SATURN's answers.
# A failed check, or the same tool error twice, fails the run.
fuzz() {
  local out="$WORK/schemathesis-run.txt" rc
  for attempt in 1 2; do
    rc=0
    "$ST" run "$@" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] && return 0
    if [ "$attempt" -eq 1 ] && tool_error_only "$out"; then
      say "Schemathesis stopped on an error of its own, with no failed check; running it once more"
      continue
    fi
    return "$rc"
  done
}
# Errors of the tool, and every generated case passed.
tool_error_only() {
  grep -q 'Runtime Error' "$1" && grep -Eq '^ *[0-9]+ generated, [0-9]+ passed *$' "$1"
}

say "fuzzing $BASE/v3/api-docs (max $MAX_EXAMPLES examples per operation, seed $SEED)"
SEED_ARGS=()
[ "$SEED" = "random" ] || SEED_ARGS=(--seed "$SEED")
status=0
# Registering or refreshing an MCP server connects to the URL in the request: fuzzed URLs would send
# traffic to arbitrary addresses, so those two operations are left to the contract and e2e tests.
fuzz "$BASE/v3/api-docs" \
  -H "Authorization: Bearer $KEY" \
  --exclude-name "POST /v1/mcp-servers" \
  --exclude-name "POST /v1/mcp-servers/{serverId}/refresh" \
  --checks not_a_server_error \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  "${SEED_ARGS[@]}" \
  --no-color || status=$?
# The operator's endpoints, with the operator token (a company key is refused there, 403).
say "fuzzing the operator endpoints with the operator token"
fuzz "$BASE/v3/api-docs" \
  -H "Authorization: Bearer $ADMIN" \
  --include-path-regex '^/v1/(companies|invoices/generate)$' \
  --checks not_a_server_error \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  "${SEED_ARGS[@]}" \
  --no-color || status=$?
if [ "$status" -ne 0 ]; then
  say "Schemathesis found failures (exit $status); SATURN's errors:"
  grep '"level":"ERROR"' "$LOG" | tail -20 >&2 || true
fi
exit "$status"
