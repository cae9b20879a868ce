package dev.saturn.app.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown report (medians across runs, ratios to direct) and the raw CSV. */
final class Report {

  private Report() {}

  static String markdown(List<BatchResult> results, List<String> modes, List<Integer> levels, Map<String, String> environment) {
    StringBuilder out = new StringBuilder();
    out.append("## Chat turn platform overhead: results\n\n");
    environment.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
    int runs = (int) results.stream().mapToInt(BatchResult::run).distinct().count();
    out.append("\nMedian of ").append(runs).append(" run(s) per cell; latency per turn in ms; ")
        .append("`× direct` = this mode's median divided by direct's median; ")
        .append("`+ms` = median p50 minus direct's median p50; ")
        .append("CPU ms/turn = CPU time of this JVM (without its JIT compiler threads) + MariaDB + an external Temporal server ")
        .append("per turn, their split in parentheses (each part is its own median, so the parts need not add up exactly); ")
        .append("JIT = the JIT compiler threads' CPU per turn, a warm-up cost kept apart; ")
        .append("SQL/turn = jOOQ statements per turn.\n\n");
    out.append("| conc | mode | p50 ms | p99 ms | mean ms | turns/s | p50 × direct | p50 +ms | turns/s × direct "
        + "| CPU ms/turn (jvm+db+server) | CPU × direct | JIT ms/turn | SQL/turn |\n");
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int level : levels) {
      double directP50 = median(results, "direct", level, BatchResult::p50);
      double directTps = median(results, "direct", level, BatchResult::throughput);
      double directCpu = median(results, "direct", level, BatchResult::cpuMillisPerTurn);
      for (String mode : modes) {
        double p50 = median(results, mode, level, BatchResult::p50);
        double tps = median(results, mode, level, BatchResult::throughput);
        double cpu = median(results, mode, level, BatchResult::cpuMillisPerTurn);
        out.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.1f | %s | %s | %s | %.2f (%.2f+%.2f+%.2f) | %s | %.2f | %.1f |%n",
            level, mode, p50,
            median(results, mode, level, BatchResult::p99),
            median(results, mode, level, BatchResult::meanMillis),
            tps,
            ratio(p50, directP50),
            Double.isNaN(directP50) ? "–" : String.format(Locale.ROOT, "%+.2f", p50 - directP50),
            ratio(tps, directTps),
            cpu,
            median(results, mode, level, BatchResult::jvmCpuMillisPerTurn),
            median(results, mode, level, BatchResult::databaseCpuMillisPerTurn),
            median(results, mode, level, BatchResult::temporalServerCpuMillisPerTurn),
            ratio(cpu, directCpu),
            median(results, mode, level, BatchResult::jitCpuMillisPerTurn),
            median(results, mode, level, BatchResult::sqlPerTurn)));
      }
    }
    out.append("\nEvery run (p50 / p99 ms, turns/s, CPU ms/turn, load average after the batch):\n\n");
    out.append("| conc | mode |");
    for (int r = 1; r <= runs; r++) {
      out.append(" run ").append(r).append(" |");
    }
    out.append("\n|---:|---|").append("---|".repeat(runs)).append('\n');
    for (int level : levels) {
      for (String mode : modes) {
        out.append("| ").append(level).append(" | ").append(mode).append(" |");
        for (int r = 1; r <= runs; r++) {
          int run = r;
          results.stream()
              .filter(b -> b.run() == run && b.mode().equals(mode) && b.concurrency() == level)
              .findFirst()
              .ifPresentOrElse(
                  b -> out.append(String.format(Locale.ROOT, " %.2f / %.2f, %.0f/s, %.2f cpu, load %.1f |",
                      b.p50(), b.p99(), b.throughput(), b.cpuMillisPerTurn(), b.loadAverage())),
                  () -> out.append(" – |"));
        }
        out.append('\n');
      }
    }
    int errors = results.stream().mapToInt(BatchResult::errors).sum();
    out.append("\nFailed turns: ").append(errors).append('\n');
    return out.toString();
  }

  static String csv(List<BatchResult> results) {
    StringBuilder out = new StringBuilder("run,mode,concurrency,turns,errors,p50_ms,p99_ms,mean_ms,max_ms,turns_per_s,"
        + "cpu_ms_per_turn,jvm_cpu_ms_per_turn,db_cpu_ms_per_turn,server_cpu_ms_per_turn,jit_cpu_ms_per_turn,sql_per_turn,load_average\n");
    for (BatchResult b : results) {
      out.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.2f,%.3f,%.3f,%.3f,%.3f,%.3f,%.2f,%.2f%n",
          b.run(), b.mode(), b.concurrency(), b.turns(), b.errors(), b.p50(), b.p99(), b.meanMillis(), b.maxMillis(),
          b.throughput(), b.cpuMillisPerTurn(), b.jvmCpuMillisPerTurn(), b.databaseCpuMillisPerTurn(),
          b.temporalServerCpuMillisPerTurn(), b.jitCpuMillisPerTurn(), b.sqlPerTurn(), b.loadAverage()));
    }
    return out.toString();
  }

  private static double median(List<BatchResult> results, String mode, int level, ToDoubleFunction<BatchResult> metric) {
    double[] values = results.stream()
        .filter(b -> b.mode().equals(mode) && b.concurrency() == level)
        .mapToDouble(metric)
        .sorted()
        .toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static String ratio(double value, double baseline) {
    if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", value / baseline);
  }
}
