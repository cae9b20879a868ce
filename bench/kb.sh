#!/usr/bin/env bash
# Knowledge-base benchmark: indexing throughput (KbIndexingWorkflow vs the raw MiniLM model) and
# retrieval latency/recall@10 of the Lucene store vs langchain4j's exact InMemoryEmbeddingStore at
# 10k and 100k chunks. See docs/benchmarks.md.
#
#   bench/kb.sh [--no-build] [--offline] [--index-chunks=N] [--sizes=10000,100000] [--queries=N]
#               [--skip-indexing] [--skip-retrieval] [--out=DIR]
#
# Results go to bench/results/kb-<UTC time>.{md,csv} unless --out is given. Environment: JAVA,
# BENCH_JAVA_OPTS (default -Xms1g -Xmx3g), MVNW_OPTS.
set -euo pipefail

CALLER_DIR="$(pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$ROOT/app/target"
CLASSPATH_FILE="$TARGET/bench/classpath.txt"
WORK_DIR="$TARGET/bench-work"
MAIN_CLASS=dev.saturn.app.bench.KbBenchmark

build=1
mvn_flags=(-B -q)
bench_args=("--out=$ROOT/bench/results")
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --offline) mvn_flags+=(-o) ;;
    --out=/*) bench_args+=("$arg") ;;
    --out=*) bench_args+=("--out=$CALLER_DIR/${arg#*=}") ;;
    *) bench_args+=("$arg") ;;
  esac
done
# shellcheck disable=SC2206
mvn_flags+=(${MVNW_OPTS:-})

cd "$ROOT"
mkdir -p "$TARGET/bench" "$WORK_DIR"
if [[ $build -eq 1 ]]; then
  echo "[bench] building: ./mvnw ${mvn_flags[*]} -pl app -am test-compile dependency:build-classpath" >&2
  ./mvnw "${mvn_flags[@]}" -pl app -am -DskipTests \
    test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
if [[ ! -f "$TARGET/test-classes/${MAIN_CLASS//.//}.class" ]]; then
  echo "[bench] $TARGET/test-classes has no ${MAIN_CLASS}; run without --no-build" >&2
  exit 2
fi

CP="$TARGET/test-classes:$TARGET/classes:$(cat "$CLASSPATH_FILE")"
JAVA="${JAVA:-java}"
# shellcheck disable=SC2206
java_opts=(${BENCH_JAVA_OPTS:--Xms1g -Xmx3g})
cd "$WORK_DIR"
# The test database unpacks under ./target/ of the working directory; java.io.tmpdir stays there too.
mkdir -p target/test-tmp
exec "$JAVA" "${java_opts[@]}" -Djava.io.tmpdir="$WORK_DIR/target/test-tmp" -cp "$CP" "$MAIN_CLASS" "${bench_args[@]}"
