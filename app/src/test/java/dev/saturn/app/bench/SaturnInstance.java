package dev.saturn.app.bench;

import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.temporal.TemporalCli;
import dev.saturn.app.runtime.temporal.TemporalDevServer;
import dev.saturn.app.runtime.temporal.TemporalHealth;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import dev.saturn.app.runtime.temporal.TemporalServer;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One booted SATURN application (roles api and worker, HTTP on a random port) against the shared
 * benchmark database, with the instant model and a SQL statement counter added to its context.
 */
final class SaturnInstance implements AutoCloseable {

  /** The payload codec's key for instances on an external Temporal server (all of them share it). */
  static final String BENCH_CODEC_KEYS =
      "bench:" + java.util.Base64.getEncoder().encodeToString("saturn-benchmark-codec-key-32byt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  final String backend;
  final ConfigurableApplicationContext context;
  final SqlStatementCounter sql;
  final int httpPort;
  final String temporalTarget;
  /** The Temporal server's own process, when it is not inside this JVM (for its CPU time). */
  final Optional<Long> temporalServerPid;
  private final Process ownServer;
  private final List<Runnable> closers = new ArrayList<>();

  private SaturnInstance(
      String backend, ConfigurableApplicationContext context, SqlStatementCounter sql, Process ownServer) {
    this.backend = backend;
    this.context = context;
    this.sql = sql;
    this.ownServer = ownServer;
    this.httpPort = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    this.temporalTarget = context.getBean(TemporalServer.class).target();
    String port = temporalTarget.substring(temporalTarget.lastIndexOf(':') + 1);
    this.temporalServerPid = switch (backend) {
      case "dev-server" -> CpuMeter.findChild(List.of("start-dev", "--port " + port + " "));
      case "dev-server-mem" -> Optional.of(ownServer.pid());
      default -> Optional.empty();
    };
    if (!backend.equals("embedded") && !backend.equals("external") && temporalServerPid.isEmpty()) {
      System.err.println("[bench] warning: cannot find the " + backend + " process; its CPU time reads as 0");
    }
  }

  /**
   * Boots the application the way {@code ChatEndToEndTest} does, but with command-line properties
   * (they outrank application.yml, which default properties would not).
   *
   * @param backend {@code embedded} (Temporal's Java test server in this JVM), {@code dev-server}
   *     ({@code temporal server start-dev} with its SQLite file, started by the app as in
   *     production-like local use) or {@code dev-server-mem} (the same server with in-memory
   *     SQLite, started here and reached in EXTERNAL mode: shows what persistence costs)
   */
  static SaturnInstance boot(
      String backend, String jdbcUrl, String adminToken, Path dataDir, Path temporalCli, String logLevel) {
    return boot(backend, jdbcUrl, adminToken, dataDir, temporalCli, logLevel, Map.of());
  }

  /**
   * As above, with {@code overrides} applied last: other roles, a model server, or {@code
   * saturn.temporal.mode=external} with the target of another instance's server (backend {@code
   * external}).
   */
  static SaturnInstance boot(
      String backend, String jdbcUrl, String adminToken, Path dataDir, Path temporalCli, String logLevel,
      Map<String, String> overrides) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("saturn.db.url", jdbcUrl);
    properties.put("saturn.db.username", "root");
    properties.put("saturn.admin-token", adminToken);
    properties.put("saturn.data-dir", dataDir.toString());
    properties.put("saturn.roles", "api,worker");
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", logLevel);
    // Platform overhead, not the per-key limit of 60 chat turns a minute: the http mode sends thousands.
    properties.put("saturn.rate-limit.enabled", "false");
    int temporalPort = LocalPorts.pickFree();
    Process ownServer = null;
    properties.put("saturn.temporal.port", Integer.toString(temporalPort));
    switch (backend) {
      case "embedded" -> properties.put("saturn.temporal.mode", "embedded");
      case "dev-server" -> {
        properties.put("saturn.temporal.mode", "dev-server");
        properties.put("saturn.temporal.ui-port", Integer.toString(LocalPorts.pickFree()));
        if (temporalCli != null) {
          properties.put("saturn.temporal.cli-path", temporalCli.toString());
        }
      }
      case "dev-server-mem" -> {
        ownServer = startInMemoryDevServer(temporalCli, temporalPort, dataDir);
        properties.put("saturn.temporal.mode", "external");
        properties.put("saturn.temporal.target", "127.0.0.1:" + temporalPort);
      }
      case "external" -> properties.put("saturn.temporal.mode", "external");
      default -> throw new IllegalArgumentException(backend);
    }
    if ("external".equals(properties.get("saturn.temporal.mode"))) {
      // With an external server the payload codec needs a key every process shares; a benchmark's is no secret.
      properties.put("saturn.temporal.codec.keys", BENCH_CODEC_KEYS);
    }
    properties.putAll(overrides);
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));

    SqlStatementCounter sql = new SqlStatementCounter();
    try {
      ConfigurableApplicationContext context = new SpringApplicationBuilder(SaturnApplication.class)
          .initializers(ctx -> {
            GenericApplicationContext generic = (GenericApplicationContext) ctx;
            generic.registerBean("benchInstantChatProvider", ChatProvider.class, InstantChatProvider::new);
            generic.registerBean("benchSqlStatementCounter", ExecuteListenerProvider.class,
                () -> new DefaultExecuteListenerProvider(sql));
          })
          .run(args.toArray(String[]::new));
      return new SaturnInstance(backend, context, sql, ownServer);
    } catch (RuntimeException e) {
      stop(ownServer);
      throw e;
    }
  }

  /** {@code temporal server start-dev} without --db-filename keeps its SQLite database in memory. */
  private static Process startInMemoryDevServer(Path temporalCli, int port, Path dataDir) {
    Path cli = TemporalCli.locate(temporalCli)
        .orElseThrow(() -> new IllegalStateException("dev-server-mem needs the temporal CLI; " + TemporalCli.INSTALL_HINT));
    Process process;
    try {
      Files.createDirectories(dataDir);
      List<String> command = new ArrayList<>(List.of(
          cli.toString(), "server", "start-dev",
          "--ip", "127.0.0.1",
          "--port", Integer.toString(port),
          "--ui-port", Integer.toString(LocalPorts.pickFree()),
          "--log-level", "warn"));
      // The same dynamic config, search attributes and GOGC as the dev server SATURN launches
      // (without the attributes every start that sets them is refused with INVALID_ARGUMENT).
      command.addAll(TemporalDevServer.serverFlags(new TemporalProperties.DevServer(List.of(), null)));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(dataDir.resolve("server.log").toFile());
      TemporalDevServer.applyGoRuntimeDefaults(builder.environment());
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cli, e);
    }
    WorkflowServiceStubs probe = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    try {
      TemporalHealth health = new TemporalHealth(probe, "default");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!health.isReachable(Duration.ofSeconds(2))) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          stop(process);
          throw new IllegalStateException("in-memory Temporal dev server did not come up; see " + dataDir.resolve("server.log"));
        }
        probe.getRawChannel().resetConnectBackoff();
        Thread.sleep(250);
      }
      return process;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process);
      throw new IllegalStateException(e);
    } finally {
      probe.shutdownNow();
    }
  }

  private static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Runs {@code closer} before the application stops (e.g. a worker of the benchmark's own). */
  void onClose(Runnable closer) {
    closers.add(closer);
  }

  @Override
  public void close() {
    try {
      closers.forEach(Runnable::run);
      context.close();
    } finally {
      stop(ownServer);
    }
  }
}
