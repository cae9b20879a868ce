package dev.saturn.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what {@code bench/all.sh} made the four benchmarks write into one directory and writes
 * {@code summary.md}: one row per performance target of issue 15 (the value, the target, met or
 * not), then the chat-turn modes side by side. Not a benchmark itself and not a test.
 *
 * <p>Inputs (each optional; a missing one leaves its rows "not run"): {@code chat-turn.csv}
 * ({@link Report}'s per-batch CSV), {@code billing.md} ({@code BillingRunBenchmark}'s report),
 * {@code kb/kb-*.csv} ({@code KbBenchmark}), {@code streaming.csv} ({@code StreamingBenchmark}).
 */
public final class BenchSummary {

  private BenchSummary() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || !args[0].startsWith("--dir=")) {
      System.err.println("usage: BenchSummary --dir=DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0].substring("--dir=".length()));
    String summary = summarize(dir);
    Files.writeString(dir.resolve("summary.md"), summary);
    System.out.println(summary);
  }

  static String summarize(Path dir) throws IOException {
    StringBuilder out = new StringBuilder("# Benchmark summary\n\n");
    List<Row> rows = new ArrayList<>();
    ChatTurns chat = ChatTurns.read(dir.resolve("chat-turn.csv"));
    rows.add(chat.row("chat turn: SQL statements per turn (`direct`)", "direct", 1, "sql_per_turn", "≤ 15", v -> v <= 15, "%.1f"));
    rows.add(chat.row("chat turn: `direct` p50 ms, c=1", "direct", 1, "p50_ms", "≤ 8 ms", v -> v <= 8, "%.2f ms"));
    rows.add(chat.overDirect("chat turn: `workflow/embedded` p50 over `direct`, c=1", "workflow/embedded", "≤ +15 ms", 15));
    rows.add(chat.overDirect("chat turn: `workflow/dev-server` p50 over `direct`, c=1", "workflow/dev-server", "≤ +60 ms", 60));
    rows.add(chat.row("chat turn: `workflow/dev-server` turns/s, c=16", "workflow/dev-server", 16, "turns_per_s", "≥ 30", v -> v >= 30, "%.1f"));
    rows.add(chat.row("chat turn: `http/embedded` turns/s, c=16", "http/embedded", 16, "turns_per_s", "≥ 80", v -> v >= 80, "%.1f"));
    rows.add(billing(dir.resolve("billing.md")));
    rows.addAll(retrieval(dir.resolve("kb")));
    rows.add(indexing(dir.resolve("kb")));

    out.append("| what | measured | target | met |\n|---|---:|---|:---:|\n");
    for (Row row : rows) {
      out.append("| ").append(row.what()).append(" | ").append(row.value()).append(" | ").append(row.target())
          .append(" | ").append(row.met() == null ? "—" : row.met() ? "yes" : "**no**").append(" |\n");
    }
    out.append("\nMedians over the runs of each benchmark; chat-turn cells are medians over its runs of each "
        + "batch's p50 / turns/s. Where a row is not met, see the benchmark's own report in this directory.\n");
    chat.modes(out);
    streaming(dir.resolve("streaming.csv"), out);
    return out.toString();
  }

  /** One line of the summary; {@code met} is null when the benchmark did not run. */
  record Row(String what, String value, String target, Boolean met) {
    static Row notRun(String what, String target) {
      return new Row(what, "not run", target, null);
    }
  }

  /** The chat-turn benchmark's per-batch CSV: run, mode, concurrency, then the metrics. */
  private record ChatTurns(List<Map<String, String>> batches) {

    static ChatTurns read(Path csv) throws IOException {
      return new ChatTurns(Files.exists(csv) ? Csv.read(csv) : List.of());
    }

    OptionalDouble median(String mode, int concurrency, String metric) {
      return Stats.median(batches.stream()
          .filter(b -> mode.equals(b.get("mode")) && String.valueOf(concurrency).equals(b.get("concurrency")))
          .mapToDouble(b -> Double.parseDouble(b.get(metric))));
    }

    Row row(String what, String mode, int concurrency, String metric, String target, DoublePredicate ok, String format) {
      OptionalDouble value = median(mode, concurrency, metric);
      return value.isEmpty()
          ? Row.notRun(what, target)
          : new Row(what, String.format(Locale.ROOT, format, value.getAsDouble()), target, ok.test(value.getAsDouble()));
    }

    Row overDirect(String what, String mode, String target, double limitMs) {
      OptionalDouble direct = median("direct", 1, "p50_ms");
      OptionalDouble workflow = median(mode, 1, "p50_ms");
      if (direct.isEmpty() || workflow.isEmpty()) {
        return Row.notRun(what, target);
      }
      double over = workflow.getAsDouble() - direct.getAsDouble();
      return new Row(what, String.format(Locale.ROOT, "%+.1f ms (%.1f vs %.1f)", over, workflow.getAsDouble(),
          direct.getAsDouble()), target, over <= limitMs);
    }

    /** Every mode of the run: p50 at the lowest concurrency, turns/s at the highest, SQL and CPU per turn. */
    void modes(StringBuilder out) {
      if (batches.isEmpty()) {
        return;
      }
      int low = batches.stream().mapToInt(b -> Integer.parseInt(b.get("concurrency"))).min().orElseThrow();
      int high = batches.stream().mapToInt(b -> Integer.parseInt(b.get("concurrency"))).max().orElseThrow();
      out.append("\n## Chat turn, every mode\n\n| mode | p50 ms, c=").append(low).append(" | p50 +ms over direct | turns/s, c=")
          .append(high).append(" | CPU ms/turn, c=").append(low).append(" | SQL/turn |\n|---|---:|---:|---:|---:|---:|\n");
      double direct = median("direct", low, "p50_ms").orElse(Double.NaN);
      batches.stream().map(b -> b.get("mode")).distinct().forEach(mode -> {
        double p50 = median(mode, low, "p50_ms").orElse(Double.NaN);
        out.append(String.format(Locale.ROOT, "| %s | %.2f | %+.1f | %.1f | %.1f | %.1f |\n", mode, p50, p50 - direct,
            median(mode, high, "turns_per_s").orElse(Double.NaN), median(mode, low, "cpu_ms_per_turn").orElse(Double.NaN),
            median(mode, low, "sql_per_turn").orElse(Double.NaN)));
      });
    }
  }

  private static final Pattern BILLING_FIRST =
      Pattern.compile("(?m)^events=(\\d+) companies=(\\d+).*$[\\s\\S]*?^first run \\(drafts created\\): ([0-9.]+) s");

  private static Row billing(Path report) throws IOException {
    String target = "≤ 10 s at 1,000,000 events";
    if (!Files.exists(report)) {
      return Row.notRun("billing run: usage events → all drafts", target);
    }
    Matcher m = BILLING_FIRST.matcher(Files.readString(report));
    if (!m.find()) {
      return Row.notRun("billing run: usage events → all drafts", target);
    }
    long events = Long.parseLong(m.group(1));
    double seconds = Double.parseDouble(m.group(3));
    String what = String.format(Locale.ROOT, "billing run: %,d usage events, %s companies → all drafts", events, m.group(2));
    // At another size the target does not apply as such: shown, not judged.
    return new Row(what, String.format(Locale.ROOT, "%.1f s", seconds), target,
        events == 1_000_000 ? seconds <= 10 : null);
  }

  /** KbBenchmark's CSV: part, store (may hold commas), size, metric, value. */
  private record KbValue(String part, String store, String size, String metric, double value) {}

  /** Every KbBenchmark CSV in the directory (all.sh gives the benchmark a directory of its own). */
  private static List<KbValue> kb(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    List<KbValue> values = new ArrayList<>();
    for (Path csv : files) {
      List<String> lines = Files.readAllLines(csv);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        if (f.length < 5) {
          continue;
        }
        String store = String.join(",", List.of(f).subList(1, f.length - 3));
        values.add(new KbValue(f[0], store, f[f.length - 3], f[f.length - 2], Double.parseDouble(f[f.length - 1])));
      }
    }
    return values;
  }

  private static List<Row> retrieval(Path dir) throws IOException {
    List<KbValue> values = kb(dir).stream().filter(v -> v.part().equals("retrieval")).toList();
    String what = "retrieval, 100k chunks: Lucene p99 / recall@10 / p50 speed-up over exact";
    String target = "p99 ≤ 10 ms, recall@10 ≥ 0.95, ≥ 20×";
    List<KbValue> at100k = values.stream().filter(v -> v.size().equals("100000")).toList();
    OptionalDouble p99 = metric(at100k, "LuceneVectorStore", "p99_ms");
    OptionalDouble recall = metric(at100k, "LuceneVectorStore", "recall_at_10");
    OptionalDouble p50 = metric(at100k, "LuceneVectorStore", "p50_ms");
    OptionalDouble exact = metric(at100k, "(exact)", "p50_ms");
    if (p99.isEmpty() || recall.isEmpty() || p50.isEmpty() || exact.isEmpty()) {
      return List.of(Row.notRun(what, target));
    }
    double speedUp = exact.getAsDouble() / p50.getAsDouble();
    return List.of(new Row(what,
        String.format(Locale.ROOT, "%.2f ms / %.3f / %.0f× (p50 %.2f vs %.2f ms)", p99.getAsDouble(), recall.getAsDouble(),
            speedUp, p50.getAsDouble(), exact.getAsDouble()),
        target, p99.getAsDouble() <= 10 && recall.getAsDouble() >= 0.95 && speedUp >= 20));
  }

  private static OptionalDouble metric(List<KbValue> values, String storeContains, String metric) {
    return Stats.median(values.stream()
        .filter(v -> v.store().contains(storeContains) && v.metric().equals(metric))
        .mapToDouble(KbValue::value));
  }

  /**
   * Each round runs the workflow and the raw model (at several group sizes) on the same chunks; the
   * ratio is the workflow's over the best raw one of its round, then the median over the rounds.
   */
  private static Row indexing(Path dir) throws IOException {
    String what = "indexing throughput / raw MiniLM throughput";
    String target = "≥ 0.9×";
    Map<String, Map<String, Double>> rounds = new TreeMap<>();
    for (KbValue v : kb(dir)) {
      if (v.part().equals("indexing") && v.metric().equals("chunks_per_s")) {
        rounds.computeIfAbsent(v.size(), k -> new LinkedHashMap<>()).put(v.store(), v.value());
      }
    }
    OptionalDouble ratio = Stats.median(rounds.values().stream()
        .filter(r -> r.containsKey("workflow") && r.size() >= 2)
        .mapToDouble(r -> r.get("workflow") / r.entrySet().stream()
            .filter(e -> !e.getKey().equals("workflow")).mapToDouble(Map.Entry::getValue).max().orElseThrow()));
    return ratio.isEmpty()
        ? Row.notRun(what, target)
        : new Row(what, String.format(Locale.ROOT, "%.2f× (median of %d rounds)", ratio.getAsDouble(), rounds.size()),
            target, ratio.getAsDouble() >= 0.9);
  }

  /** StreamingBenchmark's per-turn CSV: the median time to first delta per mode and level. */
  private static void streaming(Path csv, StringBuilder out) throws IOException {
    if (!Files.exists(csv)) {
      return;
    }
    Map<String, List<Double>> ttfd = new TreeMap<>();
    for (Map<String, String> turn : Csv.read(csv)) {
      ttfd.computeIfAbsent(turn.get("mode") + ", c=" + turn.get("level"), k -> new ArrayList<>())
          .add(Double.parseDouble(turn.get("ttfd_ms")));
    }
    out.append("\n## Streaming, time to first delta (no target in issue 15)\n\n| mode | TTFD p50 ms | turns |\n|---|---:|---:|\n");
    ttfd.forEach((mode, values) -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %d |\n", mode,
        Stats.median(values.stream().mapToDouble(Double::doubleValue)).orElse(Double.NaN), values.size())));
  }

  /** A CSV with a header line and no quoted fields (what the benchmarks write). */
  private static final class Csv {
    static List<Map<String, String>> read(Path file) throws IOException {
      List<String> lines = Files.readAllLines(file);
      String[] header = lines.get(0).split(",");
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",", header.length);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length && i < fields.length; i++) {
          row.put(header[i], fields[i]);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static final class Stats {
    static OptionalDouble median(java.util.stream.DoubleStream values) {
      double[] sorted = values.sorted().toArray();
      if (sorted.length == 0) {
        return OptionalDouble.empty();
      }
      int mid = sorted.length / 2;
      return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }
  }
}
