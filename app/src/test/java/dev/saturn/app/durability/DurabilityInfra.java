package dev.saturn.app.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.temporal.RequiredTemporalCli;
import dev.saturn.app.runtime.temporal.TemporalDevServer;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import dev.saturn.db.testing.TestDatabase;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every durability IT starts before SATURN: a Temporal CLI dev server (skipped without the
 * CLI, unless SATURN_REQUIRE_TEMPORAL_CLI is set) and a database; plus the environment, process
 * start and polling the ITs share.
 */
public final class DurabilityInfra implements AutoCloseable {

  public static final Path JAR = Path.of("target", "saturn.jar").toAbsolutePath();
  /**
   * The payload codec keys every SATURN process of these ITs shares (an external Temporal needs
   * them set): {@code it-1}, a fixed test key.
   */
  public static final String CODEC_KEYS = "it-1:" + Base64.getEncoder().encodeToString(
      "saturn-durability-it-codec-key-1".getBytes(StandardCharsets.US_ASCII));

  public final Path work;
  public final TemporalDevServer temporal;
  public final TestDatabase database;

  private DurabilityInfra(Path work, TemporalDevServer temporal, TestDatabase database) {
    this.work = work;
    this.temporal = temporal;
    this.database = database;
  }

  public static DurabilityInfra start(Path work) throws Exception {
    Path cli = RequiredTemporalCli.locateOrSkip();
    assertThat(JAR).as("packaged jar (this is a failsafe test: run after package)").exists();
    Files.createDirectories(work);
    TemporalDevServer temporal = TemporalDevServer.start(
        cli, Files.createTempDirectory(work, "temporal-"), InetAddress.getLoopbackAddress(), LocalPorts.pickFree(), LocalPorts.pickFree(), "default",
        Duration.ofSeconds(60), TemporalProperties.DevServer.DEFAULTS);
    try {
      return new DurabilityInfra(work, temporal, TestDatabase.create());
    } catch (Exception | Error e) {
      temporal.close();
      throw e;
    }
  }

  /** The environment every SATURN process of these ITs gets; callers add what is specific to them. */
  public Map<String, String> env(String roles, String adminToken, Path dataDir, String chatResultWait) {
    Map<String, String> env = new HashMap<>();
    env.put("SATURN_ROLES", roles);
    env.put("SATURN_DB_URL", database.jdbcUrl());
    env.put("SATURN_DB_USERNAME", "root");
    env.put("SATURN_TEMPORAL_MODE", "external");
    env.put("SATURN_TEMPORAL_TARGET", temporal.target());
    env.put("SATURN_ADMIN_TOKEN", adminToken);
    env.put("SATURN_DATA_DIR", dataDir.toString());
    env.put("SATURN_CHAT_RESULT_WAIT", chatResultWait);
    env.put("SATURN_CODEC_KEYS", CODEC_KEYS);
    return env;
  }

  /** One ready SATURN process (api and worker) that asks {@code model} and may call {@code tools} on loopback. */
  public SaturnProcess saturnWith(OpenAiStandIn model, ToolServer tools, String adminToken, Path dataDir)
      throws InterruptedException {
    Map<String, String> env = env("api,worker", adminToken, dataDir, "20s");
    env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
    env.put("SATURN_TOOLS_ALLOWED_HOSTS", "127.0.0.1:" + tools.port());
    return saturn("saturn", LocalPorts.pickFree(), env).awaitReady(SaturnProcess.STARTUP);
  }

  /** Starts the packaged jar as a process logging to {@code work/name.log}. */
  public SaturnProcess saturn(String name, int httpPort, Map<String, String> env) {
    return SaturnProcess.start(name, JAR, work, httpPort, env);
  }

  public long count(String sql, Object... args) {
    return ((Number) database.dsl().fetchValue(sql, args)).longValue();
  }

  /** Polls the turn until it is completed or failed, or the timeout passes (then returns the last answer). */
  public static HttpJson.Response awaitTurnEnd(HttpJson http, String key, String turnId, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    HttpJson.Response turn;
    do {
      turn = http.get("/v1/turns/" + turnId, key);
      if (List.of("completed", "failed").contains(turn.text("status"))) {
        return turn;
      }
      Thread.sleep(500);
    } while (Instant.now().isBefore(deadline));
    return turn;
  }

  /** Closes in the given order, skipping nulls (fields of a test whose setup stopped early). */
  public static void closeAll(AutoCloseable... closeables) throws Exception {
    for (AutoCloseable closeable : closeables) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Override
  public void close() throws Exception {
    closeAll(database, temporal);
  }
}
