package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.chat.ChatStoreActivitiesImpl;
import dev.saturn.activities.chat.LlmActivitiesImpl;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolActivitiesImpl;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A decision while no worker polls: the application runs the api role only, so the turn's workflow
 * has no worker. The decision must answer within {@code saturn.approvals.decision-wait} (1 s here)
 * with 503 and Retry-After instead of hanging; once a worker runs (started by this test over the
 * application's own client and activity beans), the same decision retried is taken, and repeating
 * it answers 200 with the recorded decision, also after the turn has ended.
 */
@Import(GuardEverySql.class)
// The role as a startup property: the Temporal starter builds workers from it before dynamic properties exist.
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "saturn.roles=api")
class ApprovalWithoutWorkerEndToEndTest extends StandInServers {

  static final String ADMIN = "e2e-approval-no-worker-token";

  @Autowired WorkflowClient temporal;
  @Autowired ChatStoreActivitiesImpl chatStore;
  @Autowired LlmActivitiesImpl llm;
  @Autowired ToolActivitiesImpl toolActivities;

  @BeforeAll
  static void answers() {
    model.withUsage(5, 1);
    tools.answering(request -> ToolServer.Answer.json("{\"paid\":true}"));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    standIns(registry, "e2e-approval-no-worker-data", ADMIN);
    registry.add("saturn.chat.result-wait", () -> "500ms");
    registry.add("saturn.approvals.decision-wait", () -> "1s");
  }

  @Test
  void givenNoWorkerPolling_whenDeciding_itShouldAnswer503WithinTheBoundAndTheRetryShouldBeTakenOnceAWorkerRuns() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "noworkerco");
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "pay", "description", "pay tool", "method", "POST",
        "url", "http://127.0.0.1:" + tools.port() + "/pay",
        "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
        "requires_approval", true));
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai", "max_tool_calls", 5));
    assertThat(http().post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_pay_1", "pay", "{\"city\":\"Oslo\"}")).enqueueReply("Paid.");

    HttpJson.Response accepted = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "pay it"));
    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    String turnId = accepted.text("turn_id");
    String decide = "/v1/turns/" + turnId + "/approvals/call_pay_1";

    long started = System.nanoTime();
    HttpJson.Response unavailable = http().post(decide, tenant.apiKey(), Map.of("decision", "approve"));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(unavailable.status()).as(unavailable.body().toString()).isEqualTo(503);
    assertThat(unavailable.text("code")).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(unavailable.header("Content-Type")).startsWith("application/problem+json");
    assertThat(unavailable.header("Retry-After")).isEqualTo("1");
    assertThat(unavailable.text("request_id")).isNotBlank();
    assertThat(tookMs).as("answered within the 1 s bound (plus slack)").isBetween(900L, 5_000L);
    assertThat(count("SELECT COUNT(*) FROM audit_logs WHERE company_id = ? AND action LIKE 'tool_call.%'", tenant.companyId()))
        .isZero();

    WorkerFactory factory = WorkerFactory.newInstance(temporal);
    try {
      Worker worker = factory.newWorker(TaskQueues.CHAT);
      worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
      worker.registerActivitiesImplementations(chatStore, llm, toolActivities);
      factory.start();
      awaitPending(tenant, "call_pay_1");

      HttpJson.Response approved = http().post(decide, tenant.apiKey(), Map.of("decision", "approve"));
      HttpJson.Response repeated = http().post(decide, tenant.apiKey(), Map.of("decision", "approve"));
      HttpJson.Response contrary = http().post(decide, tenant.apiKey(), Map.of("decision", "deny"));

      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
      assertThat(repeated.status()).as(repeated.body().toString()).isEqualTo(200);
      assertThat(repeated.text("decision")).isEqualTo("approve");
      assertThat(contrary.status()).as(contrary.body().toString()).isEqualTo(409);
      assertThat(awaitTurn(tenant, turnId)).isEqualTo("completed");
      assertThat(tools.count()).isEqualTo(1);
      // After the turn ended the workflow is gone; the closed approval row still answers a repeat.
      HttpJson.Response afterEnd = http().post(decide, tenant.apiKey(), Map.of("decision", "approve"));
      assertThat(afterEnd.status()).as(afterEnd.body().toString()).isEqualTo(200);
      assertThat(afterEnd.text("decision")).isEqualTo("approve");
      assertThat(http().post(decide, tenant.apiKey(), Map.of("decision", "deny")).status()).isEqualTo(409);
      assertThat(http().get("/v1/approvals", tenant.apiKey()).body().path("items")).isEmpty();
    } finally {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  void awaitPending(Tenant tenant, String callId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<String> pending = http().get("/v1/approvals", tenant.apiKey()).body().path("items").findValuesAsText("call_id");
      if (pending.contains(callId)) {
        return;
      }
      assertThat(System.nanoTime()).as("call %s pending in time", callId).isLessThan(deadline);
      ToolLoopEndToEndTest.sleep(100);
    }
  }

  String awaitTurn(Tenant tenant, String turnId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String status = http().get("/v1/turns/" + turnId, tenant.apiKey()).body().path("status").asText();
      if (status.equals("completed") || status.equals("failed") || System.nanoTime() > deadline) {
        return status;
      }
      ToolLoopEndToEndTest.sleep(100);
    }
  }

  long count(String sql, String companyId) {
    return database.dsl().fetchValue(sql, companyId) instanceof Number n ? n.longValue() : -1;
  }
}
