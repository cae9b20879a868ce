package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.llm.testing.RecordedRequest;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.db.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tool loop over real HTTP: the application with Temporal's Java server and a real MariaDB, an
 * OpenAI-format stand-in scripted to ask for tools, and a local HTTP tool server that the
 * operator allowlist (SATURN_OUTBOUND_ALLOWED_HOSTS) opens. Secrets are planted in a tool's secret
 * header, in the tool's response and in the model's arguments; none may be stored or logged.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ToolLoopEndToEndTest {

  static final String ADMIN = "e2e-tools-operator-token";
  static final String HEADER_SECRET = "planted-header-secret-8841";
  static final String RESPONSE_SECRET = "planted-response-token-5512";
  static final String ARGUMENT_SECRET = "planted-arg-password-3399";
  static final List<String> PLANTED = List.of(HEADER_SECRET, RESPONSE_SECRET, ARGUMENT_SECRET);

  static TestDatabase database;
  static OpenAiStandIn model;
  static ToolServer tools;
  /** A second allowlisted host (another port, so another origin) that a tool's URL is moved to. */
  static ToolServer elsewhere;
  /** 200 KB of letters in one JSON string: quadratic redaction took minutes over such a body. */
  static final String LETTERS = "a".repeat(200_000);

  @LocalServerPort int port;

  @BeforeAll
  static void startServers() {
    database = TestDatabase.create();
    model = OpenAiStandIn.start().withUsage(11, 2);
    tools = ToolServer.start().answering(request -> request.uri().startsWith("/geo")
        ? ToolServer.Answer.json("{\"lat\":59.91,\"lon\":10.75}")
        : request.uri().startsWith("/bulk")
            ? ToolServer.Answer.json("{\"data\":\"" + LETTERS + "\"}")
            : ToolServer.Answer.json("{\"sky\":\"clear\",\"session\":{\"token\":\"" + RESPONSE_SECRET + "\"}}"));
    elsewhere = ToolServer.start().answering(request -> ToolServer.Answer.json("{\"sky\":\"grey\"}"));
  }

  @AfterAll
  static void stopServers() {
    tools.close();
    elsewhere.close();
    model.close();
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-tools-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + tools.port() + ",127.0.0.1:" + elsewhere.port());
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  String newTool(Tenant tenant, String name, String method, String path, boolean requiresApproval) {
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", name, "description", name + " tool", "method", method,
        "url", "http://127.0.0.1:" + tools.port() + path,
        "headers", Map.of("Authorization", Map.of("secret", "Bearer " + HEADER_SECRET)),
        "parameters", Map.of("type", "object", "properties", Map.of(
            "city", Map.of("type", "string"), "password", Map.of("type", "string")), "required", List.of("city")),
        "requires_approval", requiresApproval,
        "approval_timeout", "P3D"));
    assertThat(tool.status()).as("create tool: %s", tool.body()).isEqualTo(201);
    return tool.text("id");
  }

  String agentWith(Tenant tenant, String... toolIds) {
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai", "max_tool_calls", 5));
    for (String toolId : toolIds) {
      HttpJson.Response attach = http().post("/v1/agents/" + agentId + "/tools/" + toolId, tenant.apiKey(), Map.of());
      assertThat(attach.status()).as("attach: %s", attach.body()).isEqualTo(200);
    }
    return agentId;
  }

  @Test
  void givenModelAsksForTwoTools_whenChatting_itShouldRunBothFeedResultsBackAndAnswer(CapturedOutput output) {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "toolco");
    String geo = newTool(tenant, "geo", "POST", "/geo", false);
    String weather = newTool(tenant, "weather", "GET", "/weather/{city}", false);
    String agentId = agentWith(tenant, geo, weather);
    int toolCallsBefore = tools.count();
    model.enqueueToolCalls(
            new ScriptedCall("call_geo_1", "geo", "{\"city\":\"Oslo\",\"password\":\"" + ARGUMENT_SECRET + "\"}"),
            new ScriptedCall("call_wx_1", "weather", "{\"city\":\"Oslo\"}"))
        .enqueueReply("Clear sky in Oslo.");

    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Weather in Oslo?"));

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().path("message").path("content").asText()).isEqualTo("Clear sky in Oslo.");
    assertThat(reply.body().path("usage").path("input_tokens").asLong()).isEqualTo(22);
    assertThat(tools.count() - toolCallsBefore).isEqualTo(2);
    List<ToolServer.Received> received = tools.received();
    ToolServer.Received geoCall = received.stream().filter(r -> r.uri().startsWith("/geo")).reduce((a, b) -> b).orElseThrow();
    assertThat(geoCall.header("Authorization")).isEqualTo("Bearer " + HEADER_SECRET);
    assertThat(geoCall.header("Idempotency-Key")).startsWith("saturn-");
    assertThat(received.stream().anyMatch(r -> r.uri().equals("/weather/Oslo"))).isTrue();
    RecordedRequest second = model.lastRequest();
    assertThat(second.toolNames()).containsExactlyInAnyOrder("geo", "weather");
    assertThat(second.toolResults()).containsKeys("call_geo_1", "call_wx_1");
    assertThat(second.toolResults().get("call_wx_1")).contains("clear").doesNotContain(RESPONSE_SECRET);

    String sessionId = reply.text("session_id");
    JsonNode messages = http().get("/v1/sessions/" + sessionId + "/messages", tenant.apiKey()).body().path("items");
    assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "tool", "tool", "assistant");
    assertThat(count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND kind = 'tool_call'", tenant.companyId())).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND kind = 'llm'", tenant.companyId())).isEqualTo(2);

    // The turn's events, as Server-Sent Events, end with the final message; a reconnect resumes.
    String turnId = reply.text("turn_id");
    List<String[]> events = sse("/v1/turns/" + turnId + "/events", tenant.apiKey(), null);
    List<String> types = events.stream().map(e -> e[1]).toList();
    assertThat(types).startsWith("turn.started", "step.started", "step.finished")
        .contains("tool.called", "tool.executed", "tool.result", "message.delta", "message.completed")
        .endsWith("turn.completed");
    // The model's first step asked for tools only: all text streamed belongs to the answer.
    assertThat(types.indexOf("message.delta")).isGreaterThan(types.lastIndexOf("tool.result"));
    String middle = events.get(3)[0];
    List<String[]> resumed = sse("/v1/turns/" + turnId + "/events", tenant.apiKey(), middle);
    assertThat(resumed).hasSize(events.size() - 4);
    assertThat(resumed.get(0)[0]).isEqualTo(events.get(4)[0]);

    assertNoPlantedSecret(output, events.toString());

    // A credential that reaches a log statement by mistake is masked by the log customizer.
    org.slf4j.LoggerFactory.getLogger(ToolLoopEndToEndTest.class)
        .info("calling with Authorization: Bearer planted-log-token-6627 and password=planted-log-pw-6627");
    assertThat(output.getAll()).contains("calling with Authorization: [REDACTED]")
        .doesNotContain("planted-log-token-6627").doesNotContain("planted-log-pw-6627");
  }

  @Test
  void givenToolRequiringApproval_whenChatting_itShouldWaitForADecisionThenRunTheToolOnce(CapturedOutput output) throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "approvco");
    String pay = newTool(tenant, "pay", "POST", "/pay", true);
    String agentId = agentWith(tenant, pay);
    int before = tools.count();
    model.enqueueToolCalls(new ScriptedCall("call_pay_1", "pay", "{\"city\":\"Oslo\",\"password\":\"" + ARGUMENT_SECRET + "\"}"))
        .enqueueReply("Paid.");

    HttpJson.Response accepted = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "pay it"));

    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    assertThat(accepted.text("status")).isEqualTo("awaiting_approval");
    JsonNode pending = accepted.body().path("pending_approvals").path(0);
    assertThat(pending.path("call_id").asText()).isEqualTo("call_pay_1");
    assertThat(pending.path("tool").asText()).isEqualTo("pay");
    assertThat(pending.path("arguments").path("city").asText()).isEqualTo("Oslo");
    assertThat(pending.path("arguments").path("password").asText()).isEqualTo("[REDACTED]");
    String turnId = accepted.text("turn_id");
    JsonNode listed = http().get("/v1/approvals", tenant.apiKey()).body().path("items");
    assertThat(listed.findValuesAsText("call_id")).containsExactly("call_pay_1");
    assertThat(tools.count()).isEqualTo(before);

    // A key without the approvals permission cannot decide; an unknown call is a conflict.
    String chatOnly = http().post("/v1/api-keys", tenant.apiKey(), Map.of("name", "chat", "scopes", List.of("chat")))
        .body().path("api_key").asText();
    HttpJson.Response forbidden = http().post("/v1/turns/" + turnId + "/approvals/call_pay_1", chatOnly, Map.of("decision", "approve"));
    assertThat(forbidden.status()).isEqualTo(403);
    HttpJson.Response unknown = http().post("/v1/turns/" + turnId + "/approvals/call_nope", tenant.apiKey(), Map.of("decision", "approve"));
    assertThat(unknown.status()).isEqualTo(409);
    assertThat(unknown.text("code")).isEqualTo("CONFLICT");

    HttpJson.Response approved = http().post("/v1/turns/" + turnId + "/approvals/call_pay_1", tenant.apiKey(),
        Map.of("decision", "approve", "reason", "looks right"));
    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    assertThat(approved.text("decision")).isEqualTo("approve");
    JsonNode done = awaitTurn(tenant, turnId);
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("message").path("content").asText()).isEqualTo("Paid.");
    assertThat(tools.count() - before).isEqualTo(1);
    HttpJson.Response again = http().post("/v1/turns/" + turnId + "/approvals/call_pay_1", tenant.apiKey(), Map.of("decision", "deny"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(http().get("/v1/approvals", tenant.apiKey()).body().path("items")).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM audit_logs WHERE company_id = ? AND action = 'tool_call.approve'", tenant.companyId())).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM audit_logs WHERE company_id = ? AND action = 'tool.execute'", tenant.companyId())).isEqualTo(1);

    // Denied: the tool never runs and the model is told why.
    model.enqueueToolCalls(new ScriptedCall("call_pay_2", "pay", "{\"city\":\"Bergen\"}")).enqueueReply("Not paid.");
    HttpJson.Response second = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "pay again", "session_id", accepted.text("session_id")));
    assertThat(second.status()).isEqualTo(202);
    http().post("/v1/turns/" + second.text("turn_id") + "/approvals/call_pay_2", tenant.apiKey(), Map.of("decision", "deny", "reason", "no"));
    assertThat(awaitTurn(tenant, second.text("turn_id")).path("status").asText()).isEqualTo("completed");
    assertThat(model.lastRequest().toolResults().get("call_pay_2")).contains("TOOL_APPROVAL_DENIED");
    assertThat(tools.count() - before).isEqualTo(1);

    assertNoPlantedSecret(output, sse("/v1/turns/" + turnId + "/events", tenant.apiKey(), null).toString());
  }

  @Test
  void givenAToolMovedToAnotherOrigin_whenTheModelCallsIt_itShouldSendNoSecretHeaderToTheNewHost(CapturedOutput output) {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "movedco");
    String weather = newTool(tenant, "weather", "GET", "/weather/{city}", false);
    HttpJson.Response moved = http().send("PATCH", "/v1/tools/" + weather, tenant.apiKey(),
        Map.of("url", "http://127.0.0.1:" + elsewhere.port() + "/weather/{city}"), Map.of());
    assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
    assertThat(moved.body().path("sealed_headers_dropped").toString()).isEqualTo("[\"Authorization\"]");
    String agentId = agentWith(tenant, weather);
    int before = tools.count();
    model.enqueueToolCalls(new ScriptedCall("call_moved_1", "weather", "{\"city\":\"Oslo\"}")).enqueueReply("Grey.");

    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Weather?"));

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    ToolServer.Received received = elsewhere.received().get(elsewhere.received().size() - 1);
    assertThat(received.uri()).isEqualTo("/weather/Oslo");
    assertThat(received.header("Authorization")).isNull();
    assertThat(received.headers().toString()).doesNotContain(HEADER_SECRET);
    assertThat(tools.count()).isEqualTo(before);
    assertNoPlantedSecret(output, "");
  }

  @Test
  void givenAToolAnsweringWith200KBOfLetters_whenChatting_itShouldCompletePromptly() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "bulkco");
    String bulk = newTool(tenant, "bulk", "GET", "/bulk/{city}", false);
    String agentId = agentWith(tenant, bulk);
    model.enqueueToolCalls(new ScriptedCall("call_bulk_1", "bulk", "{\"city\":\"Oslo\"}")).enqueueReply("Read it.");

    long started = System.nanoTime();
    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Read it"));
    long seconds = (System.nanoTime() - started) / 1_000_000_000;

    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().path("message").path("content").asText()).isEqualTo("Read it.");
    assertThat(seconds).as("the turn took %d s", seconds).isLessThan(10);
    assertThat(model.lastRequest().toolResults().get("call_bulk_1")).contains(LETTERS);
  }

  JsonNode awaitTurn(Tenant tenant, String turnId) {
    return TestApp.awaitTurn(http(), tenant, turnId);
  }

  /** The stream read to its end: {id, event, data} per event. */
  List<String[]> sse(String path, String token, String lastEventId) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      List<String[]> events = new ArrayList<>();
      for (String block : response.body().split("\n\n")) {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5));
          }
        }
        if (id != null) {
          events.add(new String[] {id, event, data.toString()});
        }
      }
      return events;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Logs, audit rows, events, approvals, turns and stored messages: none may hold a planted secret. */
  void assertNoPlantedSecret(CapturedOutput output, String streamed) {
    List<String> tables = List.of(
        "SELECT CAST(diff AS CHAR) FROM audit_logs",
        "SELECT data FROM turn_events",
        "SELECT arguments FROM tool_approvals",
        "SELECT CONCAT_WS('|', error_message, workflow_id) FROM turns",
        "SELECT CONCAT_WS('|', content, CAST(tool_calls AS CHAR)) FROM messages");
    for (String query : tables) {
      // Whole tables, every tenant: plain jOOQ without the tenant guard, which would refuse that.
      String stored = org.jooq.impl.DSL.using(database.dataSource(), org.jooq.SQLDialect.MARIADB).fetch(query).toString();
      for (String secret : PLANTED) {
        assertThat(stored).as(query).doesNotContain(secret);
      }
    }
    for (String secret : PLANTED) {
      assertThat(output.getAll()).as("logs").doesNotContain(secret);
      assertThat(streamed).as("events").doesNotContain(secret);
    }
  }

  long count(String sql, String companyId) {
    return database.dsl().fetchValue(sql, companyId) instanceof Number n ? n.longValue() : -1;
  }

  static void sleep(long millis) {
    TestApp.sleep(millis);
  }
}
