#!/usr/bin/env bash
# Streaming benchmark: time to first delta and the lag of every delta, through SATURN (Temporal
# embedded, dev server, and api/worker as two applications) and directly from the OpenAI-format
# stand-in, which streams the same pieces at the same pace to both. See bench/README.md and
# docs/benchmarks.md.
#
#   bench/streaming.sh [--no-build] [--offline] [benchmark options...]
#   bench/streaming.sh --help            # the benchmark's own options
#
# Built and run exactly like chat-turn-overhead.sh (same flags, same app/target/ directories).
set -euo pipefail
export BENCH_MAIN_CLASS=dev.saturn.app.bench.StreamingBenchmark
exec "$(dirname "${BASH_SOURCE[0]}")/chat-turn-overhead.sh" "$@"
