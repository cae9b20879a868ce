package dev.saturn.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.SaturnProcess;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.app.runtime.temporal.RequiredTemporalCli;
import dev.saturn.app.runtime.temporal.codec.CodecConfig;
import dev.saturn.app.runtime.temporal.codec.CodecKeys;
import dev.saturn.app.runtime.temporal.codec.EncryptionCodec;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories that {@code DevServerReplayTest} (module workflows) replays, from the real
 * thing: the packaged jar (api and worker) against {@code temporal server start-dev}, a test
 * company, a scripted OpenAI stand-in and a local tool server. Every workflow type and every shape
 * of a chat turn that matters is driven through the public API (or, for the two periodic
 * workflows, by triggering their Schedules), each history is exported with {@code temporal
 * workflow show --output json}, scrubbed and written to
 * {@code workflows/src/test/resources/histories/dev-server/}.
 *
 * <p>Not part of the build (it waits a minute for an approval to time out); run it when a workflow
 * gets a new shape (docs/operations.md, "Replaying a workflow history"):
 * {@code ./mvnw -pl app -am verify -Dsaturn.recordHistories=true -Dit.test=DevServerHistoryRecorderIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class DevServerHistoryRecorderIT {

  static final Path OUT = Path.of("..", "workflows", "src", "test", "resources", "histories", "dev-server")
      .toAbsolutePath().normalize();
  static final Path WORK = Path.of("target", "history-recorder-it").toAbsolutePath();
  static final String ADMIN = "history-recorder-operator-token";
  static final String TOOL_SECRET = "recorder-tool-secret-5150";
  /** Where a worker process runs: the only machine-specific value in a history. */
  static final Pattern IDENTITY = Pattern.compile("\"identity\":\\s*\"([^\"]*)\"");

  DurabilityInfra infra;
  OpenAiStandIn model;
  ToolServer tools;
  SaturnProcess saturn;
  WorkflowServiceStubs stubs;
  HttpJson http;
  Tenant tenant;

  @AfterEach
  void stopEverything() throws Exception {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    DurabilityInfra.closeAll(saturn, tools, model, infra);
  }

  @Test
  void recordEveryWorkflowTypeFromTheDevServer() throws Exception {
    Path cli = RequiredTemporalCli.locateOrSkip();
    infra = DurabilityInfra.start(WORK);
    model = OpenAiStandIn.start().withUsage(30, 5);
    tools = ToolServer.start().answering(r -> ToolServer.Answer.json("{\"status\":\"done\"}"));
    saturn = infra.saturnWith(model, tools, ADMIN, WORK.resolve("data"));
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(infra.temporal.target()).build());
    // The IT's codec keys: the results this client waits for are encrypted like everything else.
    WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setDataConverter(CodecConfig.codecDataConverter(
            new EncryptionCodec(CodecKeys.parse(DurabilityInfra.CODEC_KEYS, "it"))))
        .build());
    http = new HttpJson(saturn.baseUrl());
    tenant = TestApp.newCompany(http, ADMIN, "history-recorder");
    Map<String, String> recorded = new LinkedHashMap<>();

    String agent = TestApp.newAgent(http, tenant, Map.of("provider", "openai", "max_tool_calls", 3));
    attach(agent, tool("lookup_order", "GET", "/orders/{order_id}", false, null));
    attach(agent, tool("refund", "POST", "/refunds", true, "PT1H"));
    attach(agent, tool("escalate", "POST", "/escalations", true, "PT1M"));

    // A webhook for the plain turn's turn.completed: its fan-out and delivery are recorded too.
    HttpJson.Response webhook = http.post("/v1/webhooks", tenant.apiKey(), Map.of(
        "url", "http://127.0.0.1:" + tools.port() + "/hooks", "events", List.of("turn.completed")));
    assertThat(webhook.status()).as(webhook.body().toString()).isEqualTo(201);

    recorded.put("chat-turn-plain", workflowOf(completed(chat(agent, "Hello, what can you do?", "plain-1"))));
    String eventId = firstDeliveredEvent(webhook.text("id"));
    recorded.put("webhook-fanout", WorkflowIds.webhookEvent(eventId));
    recorded.put("webhook-delivery", WorkflowIds.webhookDelivery(webhook.text("id"), eventId));

    model.enqueueToolCalls(new ScriptedCall("call_lookup", "lookup_order", "{\"order_id\":\"42\"}"))
        .enqueueReply("Order 42 is on its way.");
    recorded.put("chat-turn-tool-call", workflowOf(completed(chat(agent, "Where is order 42?", "tool-1"))));

    model.enqueueToolCalls(new ScriptedCall("call_refund_ok", "refund", "{\"order_id\":\"42\"}"))
        .enqueueReply("Order 42 is refunded.");
    recorded.put("chat-turn-approval-approved", workflowOf(decided(chat(agent, "Refund order 42", "approve-1"),
        "call_refund_ok", "approve", "fine")));

    model.enqueueToolCalls(new ScriptedCall("call_refund_no", "refund", "{\"order_id\":\"43\"}"))
        .enqueueReply("The refund of order 43 was denied.");
    recorded.put("chat-turn-approval-denied", workflowOf(decided(chat(agent, "Refund order 43", "deny-1"),
        "call_refund_no", "deny", "outside the refund window")));

    // ApprovalTimeouts.MIN is a minute: the timer really runs for one.
    model.enqueueToolCalls(new ScriptedCall("call_escalate", "escalate", "{\"order_id\":\"44\"}"))
        .enqueueReply("Nobody approved the escalation in time.");
    HttpJson.Response waiting = chat(agent, "Escalate order 44", "timeout-1");
    assertThat(waiting.text("status")).as(waiting.body().toString()).isEqualTo("awaiting_approval");
    recorded.put("chat-turn-approval-timed-out", workflowOf(ended(waiting.text("turn_id"), Duration.ofMinutes(3))));

    String kbAgent = TestApp.newAgent(http, tenant, Map.of("provider", "openai", "kb", Map.of("top_k", 2)));
    HttpJson.Response document = http.upload("/v1/agents/" + kbAgent + "/kb/documents", tenant.apiKey(), "returns.txt",
        "text/plain", ("Returns. Items can be returned within 30 days of delivery. Refunds reach the card in five days. "
            + "Shipping. Orders leave the warehouse within two working days.").getBytes(StandardCharsets.UTF_8),
        Map.of(), Map.of());
    assertThat(document.status()).as(document.body().toString()).isEqualTo(202);
    String documentId = document.text("id");
    awaitDocument(kbAgent, documentId, "ready");
    recorded.put("kb-index", WorkflowIds.kbIndex(documentId, 1));
    recorded.put("chat-turn-kb-retrieval", workflowOf(completed(chat(kbAgent, "How long do I have to return an item?", "kb-1"))));
    assertThat(http.send("DELETE", "/v1/agents/" + kbAgent + "/kb/documents/" + documentId, tenant.apiKey(), null, Map.of())
        .status()).isEqualTo(202);
    recorded.put("kb-delete", WorkflowIds.kbDelete(documentId));

    String period = YearMonth.now(ZoneOffset.UTC).toString();
    HttpJson.Response generated = http.post("/v1/invoices/generate", ADMIN, Map.of("period", period));
    assertThat(generated.status()).as(generated.body().toString()).isIn(200, 202);
    recorded.put("billing-run", WorkflowIds.billingRun(period));
    recorded.put("invoice-draft", WorkflowIds.invoiceDraft(tenant.companyId(), period));

    ScheduleClient schedules = ScheduleClient.newInstance(stubs);
    recorded.put("monthly-billing", triggered(client, schedules, WorkflowIds.MONTHLY_BILLING, "MonthlyBillingWorkflow"));
    recorded.put("turn-reconciler", triggered(client, schedules, WorkflowIds.TURN_RECONCILER, "TurnReconcilerWorkflow"));
    recorded.put("webhook-relay", triggered(client, schedules, WorkflowIds.WEBHOOK_RELAY, "WebhookRelayWorkflow"));

    Files.createDirectories(OUT);
    for (Map.Entry<String, String> entry : recorded.entrySet()) {
      client.newUntypedWorkflowStub(entry.getValue()).getResult(120, TimeUnit.SECONDS, Object.class);
      // Decoded through SATURN's codec endpoint, as an operator exports one: the recordings replay without keys.
      Path file = HistoryExport.export(cli, infra.temporal.target(), entry.getValue(), WORK.resolve(entry.getKey() + ".json"),
          "--codec-endpoint", saturn.baseUrl() + "/v1/codec", "--codec-auth", "Bearer " + ADMIN);
      Files.writeString(OUT.resolve(entry.getKey() + ".json"), scrubbed(Files.readString(file)));
    }
  }

  /**
   * The test company's conversation stays; the recording machine's name goes (worker identities
   * {@code pid@host}, also part of sticky task queue names); no secret may be in it.
   */
  String scrubbed(String history) throws UnknownHostException {
    String scrubbed = history;
    Matcher identity = IDENTITY.matcher(history);
    while (identity.find()) {
      if (!identity.group(1).isEmpty()) {
        scrubbed = scrubbed.replace("\"" + identity.group(1), "\"saturn-history-recorder");
      }
    }
    StringBuilder decoded = new StringBuilder(scrubbed);
    Matcher data = Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]*)\"").matcher(scrubbed);
    while (data.find()) {
      decoded.append('\n').append(new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8));
    }
    assertThat(decoded.toString())
        .doesNotContain(ADMIN, TOOL_SECRET, tenant.apiKey())
        .doesNotContain("@" + InetAddress.getLocalHost().getHostName());
    return scrubbed;
  }

  String tool(String name, String method, String path, boolean approval, String approvalTimeout) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of(
        "name", name, "description", name.replace('_', ' ') + " for a customer's order", "method", method,
        "url", "http://127.0.0.1:" + tools.port() + path,
        "headers", Map.of("Authorization", Map.of("secret", "Bearer " + TOOL_SECRET)),
        "parameters", Map.of("type", "object", "properties", Map.of("order_id", Map.of("type", "string")),
            "required", List.of("order_id")),
        "requires_approval", approval));
    if (approvalTimeout != null) {
      body.put("approval_timeout", approvalTimeout);
    }
    HttpJson.Response tool = http.post("/v1/tools", tenant.apiKey(), body);
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    return tool.text("id");
  }

  void attach(String agentId, String toolId) {
    HttpJson.Response attach = http.post("/v1/agents/" + agentId + "/tools/" + toolId, tenant.apiKey(), Map.of());
    assertThat(attach.status()).as("attach: %s", attach.body()).isEqualTo(200);
  }

  HttpJson.Response chat(String agentId, String message, String key) {
    HttpJson.Response reply = http.post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", message),
        Map.of("Idempotency-Key", key));
    assertThat(reply.status()).as("chat %s: %s", key, reply.body()).isIn(200, 202);
    return reply;
  }

  String completed(HttpJson.Response reply) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.text("turn_id");
  }

  String decided(HttpJson.Response accepted, String callId, String decision, String reason) throws InterruptedException {
    assertThat(accepted.text("status")).as(accepted.body().toString()).isEqualTo("awaiting_approval");
    String turnId = accepted.text("turn_id");
    HttpJson.Response decided = http.post("/v1/turns/" + turnId + "/approvals/" + callId, tenant.apiKey(),
        Map.of("decision", decision, "reason", reason));
    assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);
    return ended(turnId, Duration.ofSeconds(60));
  }

  String ended(String turnId, Duration timeout) throws InterruptedException {
    HttpJson.Response turn = DurabilityInfra.awaitTurnEnd(http, tenant.apiKey(), turnId, timeout);
    assertThat(turn.text("status")).as(turn.body().toString()).isEqualTo("completed");
    return turnId;
  }

  String workflowOf(String turnId) {
    return (String) infra.database.dsl().fetchValue(
        "SELECT workflow_id FROM turns WHERE company_id = ? AND id = ?", tenant.companyId(), turnId);
  }

  void awaitDocument(String agentId, String documentId, String status) throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      HttpJson.Response doc = http.get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey());
      if (status.equals(doc.text("status"))) {
        return;
      }
      assertThat(doc.text("status")).as(doc.body().toString()).isNotEqualTo("failed");
      Thread.sleep(250);
    }
    throw new TimeoutException("document " + documentId + " never became " + status);
  }

  /** Triggers the Schedule the worker installed and returns the id of the run it started. */
  /** The event of the webhook's first delivery, once it was delivered. */
  String firstDeliveredEvent(String webhookId) throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      HttpJson.Response deliveries = http.get("/v1/webhooks/" + webhookId + "/deliveries", tenant.apiKey());
      assertThat(deliveries.status()).as(deliveries.body().toString()).isEqualTo(200);
      for (var delivery : deliveries.body().path("items")) {
        if (delivery.path("status").asText().equals("delivered")) {
          return delivery.path("event_id").asText();
        }
      }
      Thread.sleep(200);
    }
    throw new TimeoutException("no delivery of webhook " + webhookId + " delivered");
  }

  static String triggered(WorkflowClient client, ScheduleClient schedules, String scheduleId, String workflowType)
      throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    String query = "WorkflowType = '" + workflowType + "'";
    while (Instant.now().isBefore(deadline)) {
      try {
        schedules.getHandle(scheduleId).trigger();
        break;
      } catch (RuntimeException notInstalledYet) {
        Thread.sleep(500);
      }
    }
    while (Instant.now().isBefore(deadline)) {
      Optional<WorkflowExecution> run = client.listExecutions(query).map(WorkflowExecutionMetadata::getExecution).findFirst();
      if (run.isPresent()) {
        return run.get().getWorkflowId();
      }
      Thread.sleep(500);
    }
    throw new TimeoutException("no " + workflowType + " started by schedule " + scheduleId);
  }
}
