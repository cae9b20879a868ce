package dev.saturn.app.bench;

import java.util.Arrays;

/**
 * One measured batch: {@code turns} turns of one mode at one concurrency level.
 *
 * @param latenciesNanos per-turn latency, submit to result, of the turns that succeeded
 * @param wallNanos from the first turn's start to the last turn's end
 * @param sqlStatements jOOQ statements the serving application ran during the batch
 * @param cpu CPU time the processes spent during the batch
 * @param loadAverage the machine's 1-minute load average right after the batch (other tenants included)
 */
record BatchResult(
    int run, String mode, int concurrency, int turns, int errors, long[] latenciesNanos, long wallNanos, long sqlStatements,
    Cpu cpu, double loadAverage) {

  /**
   * CPU nanoseconds of this JVM without its JIT compiler threads, the database server, the
   * external Temporal server (0 when it runs in this JVM), and the JIT compiler threads.
   */
  record Cpu(long jvmNanos, long databaseNanos, long temporalServerNanos, long jitNanos) {
    long totalNanos() {
      return jvmNanos + databaseNanos + temporalServerNanos;
    }
  }

  static final double NANOS_PER_MILLI = 1_000_000.0;

  BatchResult {
    latenciesNanos = latenciesNanos.clone();
    Arrays.sort(latenciesNanos);
  }

  /** Nearest-rank percentile in milliseconds, e.g. {@code percentileMillis(0.99)}. */
  double percentileMillis(double p) {
    if (latenciesNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * latenciesNanos.length);
    return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))] / NANOS_PER_MILLI;
  }

  double p50() {
    return percentileMillis(0.50);
  }

  double p99() {
    return percentileMillis(0.99);
  }

  double meanMillis() {
    return latenciesNanos.length == 0 ? Double.NaN : Arrays.stream(latenciesNanos).average().orElseThrow() / NANOS_PER_MILLI;
  }

  double maxMillis() {
    return latenciesNanos.length == 0 ? Double.NaN : latenciesNanos[latenciesNanos.length - 1] / NANOS_PER_MILLI;
  }

  /** Completed turns per second of wall-clock time. */
  double throughput() {
    return (turns - errors) / (wallNanos / 1e9);
  }

  double cpuMillisPerTurn() {
    return cpu.totalNanos() / NANOS_PER_MILLI / turns;
  }

  double jvmCpuMillisPerTurn() {
    return cpu.jvmNanos() / NANOS_PER_MILLI / turns;
  }

  double databaseCpuMillisPerTurn() {
    return cpu.databaseNanos() / NANOS_PER_MILLI / turns;
  }

  double temporalServerCpuMillisPerTurn() {
    return cpu.temporalServerNanos() / NANOS_PER_MILLI / turns;
  }

  double jitCpuMillisPerTurn() {
    return cpu.jitNanos() / NANOS_PER_MILLI / turns;
  }

  double sqlPerTurn() {
    return (double) sqlStatements / turns;
  }
}
