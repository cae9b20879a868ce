package dev.saturn.app.e2e;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.db.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A booted-app test's outside parts: a real MariaDB, the OpenAI-format model stand-in and an HTTP
 * tool server, started before the class and stopped after it. A subclass sets the model's usage and
 * the tool's answers, and registers {@link #standIns} in its own {@code @DynamicPropertySource}.
 */
public abstract class StandInServers {

  protected static TestDatabase database;
  protected static OpenAiStandIn model;
  protected static ToolServer tools;

  @LocalServerPort protected int port;

  @BeforeAll
  static void startStandIns() {
    database = TestDatabase.create();
    model = OpenAiStandIn.start();
    tools = ToolServer.start();
  }

  @AfterAll
  static void stopStandIns() {
    tools.close();
    model.close();
    database.close();
  }

  /** The embedded defaults on the test database, provider {@code openai} at the stand-in, the tool server allowed. */
  protected static void standIns(DynamicPropertyRegistry registry, String dataDir, String adminToken) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), dataDir, adminToken);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + tools.port());
  }

  protected HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }
}
