package dev.saturn.app.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line options of {@link ChatTurnOverheadBenchmark}; {@code --help} prints them. */
record BenchOptions(
    List<Integer> levels,
    int turns,
    int warmup,
    int runs,
    Set<String> kinds,
    Set<String> backends,
    Path temporalCli,
    Path dataDir,
    String logLevel,
    Path out,
    Path csv) {

  static final String USAGE = """
      ChatTurnOverheadBenchmark: platform overhead of a chat turn with an instant in-process model.

      Options (all optional):
        --levels=1,4,16          concurrency levels (turns in flight at once)
        --turns=200              measured turns per mode, concurrency level and run
        --warmup=300             warm-up turns per mode before the first run (at the highest level)
        --runs=3                 measured runs in this JVM; the report shows the median of the runs
        --modes=direct,workflow,plain,http
                                 direct   = the three activity implementations called in sequence, no Temporal
                                 workflow = ChatTurnWorkflow started and awaited as TurnStarter does (TurnRuns)
                                 plain    = Temporal's plain pattern, the design before local-store-steps: one
                                            regular activity per step, started without eager start, result awaited
                                 http     = POST /v1/agents/{id}/chat over a real socket
        --temporal=auto          comma-separated Temporal backends for the workflow and plain modes:
                                 embedded       = Temporal's Java test server in this JVM (saturn.temporal.mode=embedded)
                                 dev-server     = `temporal server start-dev` with its SQLite file, started by the
                                                  app (saturn.temporal.mode=dev-server)
                                 dev-server-mem = the same server with in-memory SQLite, started by the benchmark and
                                                  reached with saturn.temporal.mode=external
                                 auto           = embedded, plus dev-server when the temporal CLI is found
                                 The http mode runs against the first backend only.
        --temporal-cli=PATH      the temporal binary for dev-server (default: first on the PATH)
        --data-dir=PATH          where the dev server keeps its SQLite file (default target/bench-data)
        --log-level=WARN         root log level of the application during the run
        --out=FILE               also write the markdown report to FILE
        --csv=FILE               also write every measured batch as CSV to FILE
      """;

  static BenchOptions parse(String[] args) {
    List<Integer> levels = List.of(1, 4, 16);
    int turns = 200;
    int warmup = 300;
    int runs = 3;
    Set<String> kinds = new LinkedHashSet<>(List.of("direct", "workflow", "plain", "http"));
    Set<String> backends = new LinkedHashSet<>(List.of("auto"));
    Path cli = null;
    Path dataDir = Path.of("target", "bench-data");
    String logLevel = "WARN";
    Path out = null;
    Path csv = null;
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new Usage(null);
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new Usage("not an option: " + arg);
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1).strip();
      switch (name) {
        case "levels" -> levels = Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
        case "turns" -> turns = Integer.parseInt(value);
        case "warmup" -> warmup = Integer.parseInt(value);
        case "runs" -> runs = Integer.parseInt(value);
        case "modes" -> kinds = csvSet(value);
        case "temporal" -> backends = csvSet(value);
        case "temporal-cli" -> cli = Path.of(value);
        case "data-dir" -> dataDir = Path.of(value);
        case "log-level" -> logLevel = value.toUpperCase(Locale.ROOT);
        case "out" -> out = Path.of(value);
        case "csv" -> csv = Path.of(value);
        default -> throw new Usage("unknown option --" + name);
      }
    }
    if (levels.isEmpty() || levels.stream().anyMatch(l -> l < 1)) {
      throw new Usage("--levels must be positive integers");
    }
    if (turns < 1 || warmup < 0 || runs < 1) {
      throw new Usage("--turns and --runs must be >= 1, --warmup >= 0");
    }
    for (String kind : kinds) {
      if (!List.of("direct", "workflow", "plain", "http").contains(kind)) {
        throw new Usage("unknown mode " + kind);
      }
    }
    for (String backend : backends) {
      if (!List.of("auto", "embedded", "dev-server", "dev-server-mem").contains(backend)) {
        throw new Usage("unknown Temporal backend " + backend);
      }
    }
    return new BenchOptions(
        List.copyOf(levels), turns, warmup, runs, kinds, backends, cli, dataDir.toAbsolutePath().normalize(),
        logLevel, out, csv);
  }

  int maxLevel() {
    return levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("levels=" + levels);
    parts.add("turns=" + turns);
    parts.add("warmup=" + warmup);
    parts.add("runs=" + runs);
    parts.add("modes=" + kinds);
    parts.add("temporal=" + backends);
    parts.add("log-level=" + logLevel);
    return String.join(" ", parts);
  }

  private static Set<String> csvSet(String value) {
    Set<String> set = new LinkedHashSet<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        set.add(item.strip().toLowerCase(Locale.ROOT));
      }
    }
    return set;
  }

  /** Bad arguments (or --help): main prints the message and the usage. */
  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message);
    }
  }
}
