package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings every test that boots the whole application shares: a test database by URL,
 * Temporal's Java server on a free port, embedded state under target/, a known operator token.
 * Tests add what is theirs (a model stand-in, a clock, a grace period) after calling this.
 */
public final class TestApp {

  private TestApp() {}

  public static void embeddedDefaults(
      DynamicPropertyRegistry registry, Supplier<Object> jdbcUrl, String dataDirName, String adminToken) {
    registry.add("saturn.db.url", jdbcUrl);
    registry.add("saturn.db.username", () -> "root");
    registry.add("saturn.temporal.mode", () -> "embedded");
    registry.add("saturn.temporal.port", TestApp::freePort);
    registry.add("saturn.data-dir", () -> Path.of("target", dataDirName).toAbsolutePath().toString());
    registry.add("saturn.admin-token", () -> adminToken);
    registry.add("management.server.port", () -> "0");
    // Every test logs in from 127.0.0.1: the per-address login limit is LoginThrottle's unit test's to prove.
    registry.add("saturn.auth.login.attempts-per-ip-per-minute", () -> "0");
    // Quota checks see each test's usage at once.
    registry.add("saturn.billing.quota-cache-ttl", () -> "0s");
  }

  /** A company made through the API: its id, its owner's id and the owner's first API key. */
  public record Tenant(String companyId, String ownerId, String apiKey) {}

  public static Tenant newCompany(HttpJson http, String adminToken, String name) {
    HttpJson.Response created = http.post(
        "/v1/companies", adminToken, Map.of("name", name, "owner", Map.of("email", "owner@" + name + ".test")));
    assertThat(created.status()).as("create company %s: %s", name, created.body()).isEqualTo(201);
    return new Tenant(
        created.body().path("company").path("id").asText(),
        created.body().path("owner").path("id").asText(),
        created.text("api_key"));
  }

  /** An agent at version 1; returns its id. */
  public static String newAgent(HttpJson http, Tenant tenant, Map<String, Object> config) {
    HttpJson.Response agent = http.post("/v1/agents", tenant.apiKey(), Map.of("name", "support", "config", config));
    assertThat(agent.status()).as("create agent: %s", agent.body()).isEqualTo(201);
    assertThat(agent.body().path("version").asInt()).isEqualTo(1);
    return agent.text("id");
  }

  /** The turn once it has completed or failed, or as it is after 30 s. */
  public static JsonNode awaitTurn(HttpJson http, Tenant tenant, String turnId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode turn = http.get("/v1/turns/" + turnId, tenant.apiKey()).body();
      String status = turn.path("status").asText();
      if (status.equals("completed") || status.equals("failed") || System.nanoTime() > deadline) {
        return turn;
      }
      sleep(100);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
