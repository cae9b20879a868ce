package dev.saturn.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.GuardEverySql;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.StandInServers;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.e2e.TestApp.Tenant;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application's {@code /actuator/prometheus} on its management port, read before and after
 * real work (a turn with a tool call, an approval, a knowledge-base document, a billing run): each
 * SATURN meter grows by exactly what happened, and the Temporal SDK's own meters are there.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsEndToEndTest extends StandInServers {

  static final String ADMIN = "e2e-metrics-operator-token";
  /** The SDK reports through its Micrometer scope every 10 s. */
  static final Duration TEMPORAL_REPORTING = Duration.ofSeconds(30);

  @Value("${local.management.port}") int managementPort;
  @Autowired WorkflowClient temporal;

  @BeforeAll
  static void answers() {
    model.withUsage(11, 2);
    tools.answering(request -> ToolServer.Answer.json("{\"sky\":\"clear\"}"));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    standIns(registry, "e2e-metrics-data", ADMIN);
    // The state gauges count at every scrape here, so a change shows at once.
    registry.add("saturn.metrics.state-cache", () -> "0s");
  }

  PrometheusScrape scrape() {
    return PrometheusScrape.of(managementPort);
  }

  @Test
  void givenATurnWithAToolCall_whenScraped_theTurnToolAndTokenMetersShouldHaveGrownByExactlyThatTurn() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "meteredco");
    String agentId = agentWith(tenant, newTool(tenant, "weather", "GET", "/weather/{city}", false));
    model.enqueueToolCalls(new ScriptedCall("call_wx_1", "weather", "{\"city\":\"Oslo\"}")).enqueueReply("Clear sky.");
    PrometheusScrape before = scrape();

    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Weather?"));

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    long inputTokens = reply.body().path("usage").path("input_tokens").asLong();
    long outputTokens = reply.body().path("usage").path("output_tokens").asLong();
    assertThat(inputTokens).as("two model calls of 11 prompt tokens").isEqualTo(22);
    assertThat(outputTokens).isEqualTo(4);
    eventually(Duration.ofSeconds(10), after -> {
      assertThat(delta(before, after, "saturn_turns_total", "outcome", "completed", "error_code", "none")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_turns_total", "outcome", "failed")).isZero();
      assertThat(delta(before, after, "saturn_turn_duration_seconds_count", "outcome", "completed")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_llm_tokens_total", "provider", "openai", "direction", "input"))
          .isEqualTo(inputTokens);
      assertThat(delta(before, after, "saturn_llm_tokens_total", "provider", "openai", "direction", "output"))
          .isEqualTo(outputTokens);
      assertThat(delta(before, after, "saturn_llm_call_duration_seconds_count", "provider", "openai", "outcome", "success"))
          .isEqualTo(2);
      assertThat(delta(before, after, "saturn_tool_calls_total", "tool_kind", "http", "outcome", "ok")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_usage_events_total", "kind", "llm")).isEqualTo(2);
      assertThat(delta(before, after, "saturn_usage_events_total", "kind", "tool_call")).isEqualTo(1);
    });
    PrometheusScrape after = scrape();
    assertThat(after.matching("saturn_llm_call_duration_seconds_bucket", "provider", "openai"))
        .as("latency buckets for histogram_quantile").isNotEmpty();
    assertThat(after.names()).noneMatch(name -> name.startsWith("saturn_") && after.matching(name).stream()
        .anyMatch(sample -> sample.labels().containsKey("company_id") || sample.labels().containsKey("agent_id")));
  }

  @Test
  void givenAToolCallWaitingForApproval_whenScraped_itShouldBePendingUntilDecidedAndThenTimed() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "approvalmeterco");
    String agentId = agentWith(tenant, newTool(tenant, "pay", "POST", "/pay", true));
    model.enqueueToolCalls(new ScriptedCall("call_pay_1", "pay", "{\"city\":\"Oslo\"}")).enqueueReply("Paid.");
    PrometheusScrape before = scrape();

    HttpJson.Response accepted = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "pay"));
    assertThat(accepted.text("status")).as(accepted.body().toString()).isEqualTo("awaiting_approval");

    assertThat(delta(before, scrape(), "saturn_approvals_pending")).isEqualTo(1);
    HttpJson.Response approved = http().post("/v1/turns/" + accepted.text("turn_id") + "/approvals/call_pay_1",
        tenant.apiKey(), Map.of("decision", "approve"));
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    assertThat(awaitTurn(tenant, accepted.text("turn_id")).path("status").asText()).isEqualTo("completed");
    eventually(Duration.ofSeconds(10), after -> {
      assertThat(delta(before, after, "saturn_approvals_pending")).isZero();
      assertThat(delta(before, after, "saturn_approval_wait_seconds_count", "outcome", "approved")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_tool_calls_total", "tool_kind", "http", "outcome", "ok")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_turns_total", "outcome", "completed")).isEqualTo(1);
    });
  }

  @Test
  void givenADocument_whenIndexed_theDocumentGaugeAndChunkCounterShouldShowIt() throws InterruptedException {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "kbmeterco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    PrometheusScrape before = scrape();

    JsonNode ready = uploadAndIndex(tenant, agentId);

    int chunks = ready.path("progress").path("chunks_done").asInt();
    assertThat(chunks).isPositive();
    PrometheusScrape after = scrape();
    assertThat(delta(before, after, "saturn_kb_documents_current", "status", "ready")).isEqualTo(1);
    assertThat(delta(before, after, "saturn_kb_documents_current", "status", "uploaded")).isZero();
    assertThat(delta(before, after, "saturn_kb_chunks_embedded_total")).isEqualTo(chunks);
    assertThat(delta(before, after, "saturn_kb_documents_total", "outcome", "ready")).isEqualTo(1);
  }

  @Test
  void givenABillingRun_whenScraped_theRunAndItsDraftsShouldBeCounted() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "billmeterco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    assertThat(http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hi")).status())
        .isEqualTo(200);
    PrometheusScrape before = scrape();

    HttpJson.Response run = http().post("/v1/invoices/generate", ADMIN,
        Map.of("period", YearMonth.now(ZoneOffset.UTC).toString()));

    assertThat(run.status()).as(run.body().toString()).isIn(200, 202);
    eventually(Duration.ofSeconds(30), after -> {
      assertThat(delta(before, after, "saturn_billing_runs_total")).isEqualTo(1);
      assertThat(delta(before, after, "saturn_billing_invoice_drafts_total", "outcome", "changed"))
          .as("at least this company's draft").isGreaterThanOrEqualTo(1);
    });
  }

  @Test
  void givenWorkersPolling_whenScraped_theTemporalSdkMetersShouldBeThere() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "sdkmeterco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    assertThat(http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hi")).status())
        .isEqualTo(200);

    eventually(TEMPORAL_REPORTING, scrape -> {
      // Turns start eagerly (the first workflow task comes back with the start), so the turn's
      // later workflow tasks, polled from the worker's sticky queue, are what this counts.
      assertThat(scrape.sum("temporal_workflow_task_schedule_to_start_latency_seconds_count", "worker_type", "WorkflowWorker"))
          .isPositive();
      assertThat(scrape.sum("temporal_workflow_task_execution_latency_seconds_count", "task_queue", "saturn-chat"))
          .isPositive();
      assertThat(scrape.sum("temporal_activity_schedule_to_start_latency_seconds_count", "task_queue", "saturn-chat"))
          .isPositive();
      assertThat(scrape.sum("temporal_activity_execution_latency_seconds_count", "task_queue", "saturn-chat"))
          .isPositive();
      assertThat(scrape.has("temporal_sticky_cache_size")).isTrue();
      assertThat(scrape.has("temporal_request_total")).isTrue();
    });
  }

  @Test
  void givenTheGrafanaDashboard_everyMetricItQueriesShouldBeInTheScrape() throws InterruptedException {
    // Every meter the dashboard draws, recorded at least once.
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "dashboardco");
    String agentId = agentWith(tenant, newTool(tenant, "weather", "GET", "/weather/{city}", false),
        newTool(tenant, "pay", "POST", "/pay", true));
    model.enqueueToolCalls(new ScriptedCall("call_dash_1", "weather", "{\"city\":\"Oslo\"}")).enqueueReply("Clear.");
    assertThat(http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Weather?")).status())
        .isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_dash_2", "pay", "{\"city\":\"Oslo\"}")).enqueueReply("Not paid.");
    HttpJson.Response waiting = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "pay"));
    http().post("/v1/turns/" + waiting.text("turn_id") + "/approvals/call_dash_2", tenant.apiKey(), Map.of("decision", "deny"));
    awaitTurn(tenant, waiting.text("turn_id"));
    uploadAndIndex(tenant, agentId);
    http().post("/v1/invoices/generate", ADMIN, Map.of("period", YearMonth.now(ZoneOffset.UTC).toString()));
    failALongPoll();
    Set<String> queried = GrafanaDashboard.load().metricNames();

    eventually(TEMPORAL_REPORTING, scrape -> assertThat(scrape.names()).containsAll(queried));
  }

  /**
   * The dashboard's poll-failure panel counts failed long polls, which a healthy run no longer
   * makes (waiting callers are woken by the turn's events, not by result polls that time out): a
   * result poll for a workflow that does not exist is one.
   */
  private void failALongPoll() {
    try {
      temporal.newUntypedWorkflowStub("metrics-e2e-no-such-workflow").getResult(1, TimeUnit.SECONDS, String.class);
    } catch (WorkflowNotFoundException | TimeoutException expected) {
      // what the panel is there to show
    }
  }

  private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  /** Scrapes until the assertions hold or the time is up (then the last failure is thrown). */
  private void eventually(Duration within, Consumer<PrometheusScrape> assertions) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      PrometheusScrape scrape = scrape();
      try {
        assertions.accept(scrape);
        return;
      } catch (AssertionError failed) {
        if (System.nanoTime() > deadline) {
          throw failed;
        }
      }
      TestApp.sleep(250);
    }
  }

  private String newTool(Tenant tenant, String name, String method, String path, boolean requiresApproval) {
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", name, "description", name + " tool", "method", method,
        "url", "http://127.0.0.1:" + tools.port() + path,
        "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))),
        "requires_approval", requiresApproval));
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    return tool.text("id");
  }

  private String agentWith(Tenant tenant, String... toolIds) {
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai", "max_tool_calls", 5));
    for (String toolId : toolIds) {
      assertThat(http().post("/v1/agents/" + agentId + "/tools/" + toolId, tenant.apiKey(), Map.of()).status())
          .isEqualTo(200);
    }
    return agentId;
  }

  private JsonNode uploadAndIndex(Tenant tenant, String agentId) throws InterruptedException {
    HttpJson.Response uploaded = http().upload("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey(), "notes.txt",
        "text/plain", "The quarterly report is due on Friday. Ask the finance team.".getBytes(StandardCharsets.UTF_8),
        Map.of(), Map.of());
    assertThat(uploaded.status()).as(uploaded.body().toString()).isEqualTo(202);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode document = http().get("/v1/agents/" + agentId + "/kb/documents/" + uploaded.text("id"), tenant.apiKey()).body();
      if ("ready".equals(document.path("status").asText())) {
        return document;
      }
      assertThat(document.path("status").asText()).as(document.toString()).isNotEqualTo("failed");
      Thread.sleep(200);
    }
    throw new AssertionError("document not indexed in time");
  }

  private JsonNode awaitTurn(Tenant tenant, String turnId) {
    return TestApp.awaitTurn(http(), tenant, turnId);
  }
}
