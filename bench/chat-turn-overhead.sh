#!/usr/bin/env bash
# Chat-turn platform overhead benchmark: the same chat turn with an instant in-process model,
# run directly (no Temporal), as a ChatTurnWorkflow, and over HTTP, side by side in one JVM.
# See bench/README.md and docs/benchmarks.md.
#
#   bench/chat-turn-overhead.sh [--no-build] [--offline] [benchmark options...]
#   bench/chat-turn-overhead.sh --help            # the benchmark's own options
#
#   --no-build   skip compiling; reuse app/target/{classes,test-classes} and the cached classpath
#                (resolved again from ~/.m2 when there is none or a pom.xml is newer, i.e. after
#                `./mvnw install -DskipTests`)
#   --offline    pass -o to Maven
#
# Environment: JAVA (default: java on the PATH), BENCH_JAVA_OPTS (default: -Xms1g -Xmx2g
# -XX:-UseDynamicNumberOfCompilerThreads, which keeps the JIT threads' CPU time countable),
# MVNW_OPTS (extra Maven flags). Everything it writes lives under app/target/ (bench-work,
# bench-data, bench/classpath.txt), so running it again starts from the same state.
set -euo pipefail

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/app/target"
CLASSPATH_FILE="$TARGET/bench/classpath.txt"
WORK_DIR="$TARGET/bench-work"   # the JVM's working directory: the test MariaDB unpacks under ./target/
DATA_DIR="$TARGET/bench-data"   # Temporal dev server state
# bench/streaming.sh runs another benchmark class the same way.
MAIN_CLASS="${BENCH_MAIN_CLASS:-dev.saturn.app.bench.ChatTurnOverheadBenchmark}"

build=1
mvn_flags=(-B -q)
bench_args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --offline) mvn_flags+=(-o) ;;
    # The JVM runs in $WORK_DIR: make file arguments relative to where the script was called.
    --out=/* | --csv=/* | --data-dir=/* | --temporal-cli=/*) bench_args+=("$arg") ;;
    --out=* | --csv=* | --data-dir=* | --temporal-cli=*) bench_args+=("${arg%%=*}=$CALLER_DIR/${arg#*=}") ;;
    *) bench_args+=("$arg") ;;
  esac
done
# shellcheck disable=SC2206
mvn_flags+=(${MVNW_OPTS:-})

cd "$ROOT"
mkdir -p "$TARGET/bench" "$WORK_DIR" "$DATA_DIR"

if [[ $build -eq 1 ]]; then
  # One reactor run: compiles app and the modules it needs (main and test code, no tests run),
  # and writes app's test classpath with the sibling modules resolved to their fresh
  # target/classes and target/test-classes directories, so no `install` is needed.
  echo "[bench] building: ./mvnw ${mvn_flags[*]} -pl app -am test-compile dependency:build-classpath" >&2
  ./mvnw "${mvn_flags[@]}" -pl app -am -DskipTests \
    test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
elif [[ ! -s "$CLASSPATH_FILE" || -n "$(find "$ROOT" -name pom.xml -not -path '*/target/*' -newer "$CLASSPATH_FILE")" ]]; then
  # Built elsewhere (e.g. `./mvnw install -DskipTests`), or a pom changed since the classpath was
  # cached: resolve it again, with the sibling modules from ~/.m2.
  echo "[bench] resolving app's test classpath from the local repository" >&2
  ./mvnw "${mvn_flags[@]}" -pl app dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
if [[ ! -f "$TARGET/test-classes/${MAIN_CLASS//.//}.class" ]]; then
  echo "[bench] $TARGET/test-classes has no ${MAIN_CLASS}; run without --no-build" >&2
  exit 2
fi

# Each run's embedded MariaDB unpacks ~500 MB under $WORK_DIR/target/test-mariadb/<pid>; remove
# what earlier runs left behind (only directories of processes that are gone).
clean_stale_databases() {
  local dir pid
  for dir in "$WORK_DIR"/target/test-mariadb/*; do
    [[ -d "$dir" ]] || continue
    pid="$(basename "$dir")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
      rm -rf "$dir"
    fi
  done
}
clean_stale_databases

# The real binary rather than a pyenv shim, so the benchmark can find the server process it measures.
has_cli_arg=0
for arg in "${bench_args[@]+"${bench_args[@]}"}"; do
  [[ "$arg" == --temporal-cli=* ]] && has_cli_arg=1
done
if [[ $has_cli_arg -eq 0 ]] && command -v temporal >/dev/null 2>&1; then
  cli="$(command -v temporal)"
  if [[ "$cli" == */shims/temporal ]] && command -v pyenv >/dev/null 2>&1; then
    cli="$(pyenv which temporal 2>/dev/null || echo "$cli")"
  fi
  bench_args+=("--temporal-cli=$cli")
fi

CP="$TARGET/test-classes:$TARGET/classes:$(cat "$CLASSPATH_FILE")"
JAVA="${JAVA:-java}"
# shellcheck disable=SC2206
java_opts=(${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:-UseDynamicNumberOfCompilerThreads})

status=0
(cd "$WORK_DIR" && exec "$JAVA" "${java_opts[@]}" -cp "$CP" "$MAIN_CLASS" \
  "--data-dir=$DATA_DIR" "${bench_args[@]+"${bench_args[@]}"}") || status=$?
clean_stale_databases
exit $status
