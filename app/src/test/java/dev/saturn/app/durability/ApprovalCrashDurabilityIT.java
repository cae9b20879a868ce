package dev.saturn.app.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.runtime.LocalPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A turn waits for a human approval; the one SATURN process (api and worker) is killed with
 * SIGKILL while it waits and started again against the same Temporal dev server (which keeps
 * running) and database; then the approval arrives and the turn completes, with the tool executed
 * exactly once (counted on the tool server).
 *
 * <p>Needs the {@code temporal} CLI, like {@link WorkerCrashDurabilityIT}.
 */
class ApprovalCrashDurabilityIT {

  static final String ADMIN = "approval-durability-operator-token";
  static final Path WORK = Path.of("target", "approval-durability-it").toAbsolutePath();

  DurabilityInfra infra;
  OpenAiStandIn model;
  ToolServer tools;
  SaturnProcess saturn;

  @BeforeEach
  void startInfrastructure() throws Exception {
    infra = DurabilityInfra.start(WORK);
    model = OpenAiStandIn.start().withUsage(30, 5);
    tools = ToolServer.start().answering(r -> ToolServer.Answer.json("{\"paid\":true}"));
  }

  @AfterEach
  void stopEverything() throws Exception {
    DurabilityInfra.closeAll(saturn, tools, model, infra);
  }

  Map<String, String> env() {
    // The same data dir across the restart: it holds the generated tool-secret key.
    Map<String, String> env = infra.env("api,worker", ADMIN, WORK.resolve("data"), "20s");
    env.put("SATURN_OPENAI_BASE_URL", model.baseUrl());
    env.put("SATURN_TOOLS_ALLOWED_HOSTS", "127.0.0.1:" + tools.port());
    return env;
  }

  @Test
  void givenTurnAwaitingApproval_whenTheProcessIsKilled9AndRestarted_itShouldRunTheToolOnceAfterApproval() throws Exception {
    int httpPort = LocalPorts.pickFree();
    saturn = infra.saturn("saturn-1", httpPort, env());
    saturn.awaitReady(SaturnProcess.STARTUP);
    HttpJson http = new HttpJson(saturn.baseUrl());

    HttpJson.Response company = http.post("/v1/companies", ADMIN, Map.of("name", "durable", "owner", Map.of("email", "o@durable.test")));
    String companyId = company.body().path("company").path("id").asText();
    String key = company.text("api_key");
    String agentId = http.post("/v1/agents", key, Map.of("name", "a", "config", Map.of("provider", "openai"))).text("id");
    HttpJson.Response tool = http.post("/v1/tools", key, Map.of(
        "name", "pay", "description", "pays", "method", "POST", "url", "http://127.0.0.1:" + tools.port() + "/pay",
        "headers", Map.of("Authorization", Map.of("secret", "Bearer durable-secret-77")),
        "parameters", Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "integer"))),
        "requires_approval", true, "approval_timeout", "P2D"));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    assertThat(http.post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), key, Map.of()).status()).isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_pay", "pay", "{\"amount\":5}")).enqueueReply("Paid 5.");

    HttpJson.Response accepted = http.post("/v1/agents/" + agentId + "/chat", key, Map.of("message", "pay 5"),
        Map.of("Idempotency-Key", "pay-1"));
    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    assertThat(accepted.text("status")).isEqualTo("awaiting_approval");
    String turnId = accepted.text("turn_id");

    saturn.kill9();
    saturn = infra.saturn("saturn-2", httpPort, env());
    saturn.awaitReady(SaturnProcess.STARTUP);

    HttpJson.Response waiting = http.get("/v1/turns/" + turnId, key);
    assertThat(waiting.text("status")).as(waiting.body().toString()).isEqualTo("awaiting_approval");
    assertThat(tools.count()).isZero();
    HttpJson.Response approved = http.post("/v1/turns/" + turnId + "/approvals/call_pay", key, Map.of("decision", "approve"));
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);

    HttpJson.Response turn = DurabilityInfra.awaitTurnEnd(http, key, turnId, Duration.ofSeconds(120));
    assertThat(turn.text("status")).as("turn after the crash: %s", turn.body()).isEqualTo("completed");
    assertThat(turn.body().path("message").path("content").asText()).isEqualTo("Paid 5.");
    assertThat(tools.count()).as("tool executions").isEqualTo(1);
    assertThat(tools.received().get(0).header("Authorization")).isEqualTo("Bearer durable-secret-77");
    assertThat(infra.count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND turn_id = ? AND kind = 'tool_call'", companyId, turnId)).isEqualTo(1);
    assertThat(infra.count("SELECT COUNT(*) FROM messages WHERE company_id = ? AND turn_id = ? AND role = 'tool'", companyId, turnId)).isEqualTo(1);
  }
}
