package dev.saturn.app.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.runtime.LocalPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durability against a real Temporal server (the CLI's dev server, SQLite-backed): the worker
 * process is killed with SIGKILL while the turn's LLM call is in flight, a new worker process
 * starts, and the turn completes exactly once. API and workers are separate processes started
 * from the packaged jar, with roles api and worker.
 *
 * <p>Needs the {@code temporal} CLI ({@code .ci/install-temporal.sh}). Without it the test is
 * skipped, unless SATURN_REQUIRE_TEMPORAL_CLI is set (CI sets it), in which case it fails.
 */
class WorkerCrashDurabilityIT {

  static final String ADMIN = "durability-operator-token";
  static final Path WORK = Path.of("target", "durability-it").toAbsolutePath();

  DurabilityInfra infra;
  OpenAiStandIn model;
  SaturnProcess api;
  SaturnProcess worker;

  @BeforeEach
  void startInfrastructure() throws Exception {
    infra = DurabilityInfra.start(WORK);
    model = OpenAiStandIn.start().withUsage(40, 8);
  }

  @AfterEach
  void stopEverything() throws Exception {
    DurabilityInfra.closeAll(worker, api, model, infra);
  }

  Map<String, String> env(String roles) {
    Map<String, String> env = infra.env(roles, ADMIN, WORK.resolve("data-" + roles.replace(',', '-')), "2s");
    env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
    return env;
  }

  @Test
  void givenLlmCallInFlight_whenWorkerIsKilled9AndReplaced_itShouldCompleteTheTurnOnce() throws Exception {
    api = infra.saturn("api", LocalPorts.pickFree(), env("api"));
    worker = infra.saturn("worker-1", LocalPorts.pickFree(), env("worker"));
    api.awaitReady(SaturnProcess.STARTUP);
    worker.awaitReady(SaturnProcess.STARTUP);
    HttpJson http = new HttpJson(api.baseUrl());

    HttpJson.Response company = http.post("/v1/companies", ADMIN, Map.of("name", "durable", "owner", Map.of("email", "o@durable.test")));
    String companyId = company.body().path("company").path("id").asText();
    String key = company.text("api_key");
    String agentId = http.post("/v1/agents", key, Map.of("name", "a", "config", Map.of("provider", "openai", "model", "m"))).text("id");

    model.holdRequests();
    HttpJson.Response accepted = http.post("/v1/agents/" + agentId + "/chat", key, Map.of("message", "survive this"),
        Map.of("Idempotency-Key", "durable-1"));
    assertThat(accepted.status()).isEqualTo(202);
    String turnId = accepted.text("turn_id");
    String sessionId = accepted.text("session_id");
    assertThat(model.awaitRequests(1, Duration.ofSeconds(60))).as("the LLM call reached the model").isTrue();

    worker.kill9();
    model.release();
    worker = infra.saturn("worker-2", LocalPorts.pickFree(), env("worker"));
    worker.awaitReady(SaturnProcess.STARTUP);

    HttpJson.Response turn = DurabilityInfra.awaitTurnEnd(http, key, turnId, Duration.ofSeconds(120));
    assertThat(turn.text("status")).as("turn after the crash: %s", turn.body()).isEqualTo("completed");
    assertThat(model.requests()).as("one lost call, one answered").hasSizeGreaterThanOrEqualTo(2);
    assertThat(turn.body().path("message").path("content").asText()).startsWith("stand-in reply #");
    assertThat(turn.body().path("usage").path("input_tokens").asLong()).isEqualTo(40);

    assertThat(infra.count("SELECT COUNT(*) FROM messages WHERE company_id = ? AND turn_id = ? AND role = 'assistant'", companyId, turnId)).isEqualTo(1);
    assertThat(infra.count("SELECT COUNT(*) FROM messages WHERE company_id = ? AND session_id = ?", companyId, sessionId)).isEqualTo(2);
    assertThat(infra.count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND turn_id = ?", companyId, turnId)).isEqualTo(1);

    // The client's retry after the crash attaches to the same finished turn.
    HttpJson.Response retry = http.post("/v1/agents/" + agentId + "/chat", key, Map.of("message", "survive this"),
        Map.of("Idempotency-Key", "durable-1"));
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.text("turn_id")).isEqualTo(turnId);
    assertThat(infra.count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND turn_id = ?", companyId, turnId)).isEqualTo(1);
  }
}
