#!/usr/bin/env bash
# Billing run benchmark: bulk-load N usage events across M companies into MariaDB, boot SATURN, and
# time BillingRunWorkflow until every draft exists (then once more, recomputing unchanged drafts).
# See docs/benchmarks.md.
#
#   bench/billing-run.sh [--no-build] [--offline] [--events=1000000] [--companies=100]
#                        [--temporal=embedded|dev-server] [--out=FILE]
#
# Everything it writes lives under app/target/ (bench-work, bench-data, bench/classpath.txt).
set -euo pipefail

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/app/target"
CLASSPATH_FILE="$TARGET/bench/classpath.txt"
WORK_DIR="$TARGET/bench-work"
DATA_DIR="$TARGET/bench-data"
MAIN_CLASS=dev.saturn.app.bench.BillingRunBenchmark

build=1
mvn_flags=(-B -q)
bench_args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --offline) mvn_flags+=(-o) ;;
    --out=/*) bench_args+=("$arg") ;;
    --out=*) bench_args+=("--out=$CALLER_DIR/${arg#*=}") ;;
    *) bench_args+=("$arg") ;;
  esac
done

cd "$ROOT"
mkdir -p "$TARGET/bench" "$WORK_DIR" "$DATA_DIR"
if [[ $build -eq 1 ]]; then
  ./mvnw "${mvn_flags[@]}" -pl app -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
if command -v temporal >/dev/null 2>&1; then
  bench_args+=("--temporal-cli=$(command -v temporal)")
fi

CP="$TARGET/test-classes:$TARGET/classes:$(cat "$CLASSPATH_FILE")"
status=0
(cd "$WORK_DIR" && exec "${JAVA:-java}" ${BENCH_JAVA_OPTS:--Xms1g -Xmx2g} -cp "$CP" "$MAIN_CLASS" \
  "--data-dir=$DATA_DIR" "${bench_args[@]+"${bench_args[@]}"}") || status=$?
# The embedded MariaDB of the run unpacks ~500 MB under bench-work/target/test-mariadb/<pid>.
for dir in "$WORK_DIR"/target/test-mariadb/*; do
  pid="$(basename "$dir")"
  [[ -d "$dir" && "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$dir"
done
exit $status
