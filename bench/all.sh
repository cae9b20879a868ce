#!/usr/bin/env bash
# All four benchmarks with short defaults, one after the other, then one summary table of the
# performance targets (bench/results/all-<UTC time>/summary.md). See bench/README.md.
#
#   bench/all.sh [--no-build] [--offline] [--out=DIR] [--only=chat,streaming,billing,kb]
#                [--chat="..."] [--streaming="..."] [--billing="..."] [--kb="..."]
#
#   --only=...       run these benchmarks only (the summary marks the others "not run")
#   --chat="..."     replaces the chat-turn benchmark's short options (likewise the others), e.g.
#                    --billing="--events=100000 --companies=10"
#
# Run it on a quiet machine: the numbers are only as good as the machine is idle.
set -euo pipefail

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/app/target"
CLASSPATH_FILE="$TARGET/bench/classpath.txt"

build=1
offline=()  # -o for Maven
out=""
only="chat,streaming,billing,kb"
# Short defaults: about 15 minutes on 2 vCPUs. The dev-server modes need the temporal CLI.
dev_server=""
if command -v temporal >/dev/null 2>&1; then dev_server=",dev-server"; fi
chat_opts="--levels=1,16 --turns=100 --warmup=100 --runs=3 --temporal=embedded$dev_server"
# split (api and worker apart, on an in-memory dev server) needs the CLI too.
split=""
if [[ -n "$dev_server" ]]; then split=",split"; fi
streaming_opts="--levels=1 --turns=10 --warmup=3 --runs=1 --modes=direct,embedded$dev_server$split"
billing_opts="--events=1000000 --companies=100"
kb_opts="--index-chunks=150 --rounds=5 --sizes=100000 --queries=200"
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --offline) offline=(-o) ;;
    --out=/*) out="${arg#*=}" ;;
    --out=*) out="$CALLER_DIR/${arg#*=}" ;;
    --only=*) only="${arg#*=}" ;;
    --chat=*) chat_opts="${arg#*=}" ;;
    --streaming=*) streaming_opts="${arg#*=}" ;;
    --billing=*) billing_opts="${arg#*=}" ;;
    --kb=*) kb_opts="${arg#*=}" ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/all.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
out="${out:-$ROOT/bench/results/all-$(date -u +%Y-%m-%dT%H%MZ)}"
mkdir -p "$out"

runs() { [[ ",$only," == *",$1,"* ]]; }
log() { echo "[all] $(date -u +%H:%M:%S) $*  (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/all.log" >&2; }

{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "host: $(nproc) CPUs, $(java -version 2>&1 | head -n 1)"
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

if [[ $build -eq 1 ]]; then
  # What every bench script builds (app's main and test classes, its test classpath); then they
  # all run with --no-build.
  log "building"
  mkdir -p "$TARGET/bench"
  (cd "$ROOT" && ./mvnw -B -q "${offline[@]+"${offline[@]}"}" -pl app -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test)
fi
status=0
# shellcheck disable=SC2086 # the option strings are word lists on purpose
{
  if runs chat; then
    log "chat-turn-overhead $chat_opts"
    "$ROOT/bench/chat-turn-overhead.sh" --no-build $chat_opts \
      --out="$out/chat-turn.md" --csv="$out/chat-turn.csv" > "$out/chat-turn.log" 2>&1 || { status=1; log "chat-turn-overhead failed (see chat-turn.log)"; }
  fi
  if runs streaming; then
    log "streaming $streaming_opts"
    "$ROOT/bench/streaming.sh" --no-build $streaming_opts \
      --out="$out/streaming.md" --csv="$out/streaming.csv" > "$out/streaming.log" 2>&1 || { status=1; log "streaming failed (see streaming.log)"; }
  fi
  if runs billing; then
    log "billing-run $billing_opts"
    "$ROOT/bench/billing-run.sh" --no-build $billing_opts \
      --out="$out/billing.md" > "$out/billing.log" 2>&1 || { status=1; log "billing-run failed (see billing.log)"; }
  fi
  if runs kb; then
    log "kb $kb_opts"
    "$ROOT/bench/kb.sh" --no-build $kb_opts --out="$out/kb" > "$out/kb.log" 2>&1 || { status=1; log "kb failed (see kb.log)"; }
  fi
}
log "done; summary"
echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

CP="$TARGET/test-classes:$TARGET/classes:$(cat "$CLASSPATH_FILE")"
"${JAVA:-java}" -cp "$CP" dev.saturn.app.bench.BenchSummary --dir="$out"
echo "[all] wrote $out/summary.md" >&2
exit $status
