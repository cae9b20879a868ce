package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.app.SaturnApplication;
import dev.saturn.db.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.temporal.client.WorkflowClient;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application in one JVM, as a user runs it: HTTP on a real port, Temporal's Java server
 * on a real gRPC port, a real MariaDB, and an OpenAI-format stand-in server as the model. Every
 * SQL statement the application runs passes through the tenant guard.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ChatEndToEndTest {

  static final String ADMIN = "e2e-operator-token";
  static TestDatabase database;
  static OpenAiStandIn model;

  @LocalServerPort int port;
  @Autowired ObjectProvider<SpanExporter> spanExporters;
  @Autowired Sampler sampler;
  @Autowired OpenTelemetry openTelemetry;
  @Autowired WorkflowClient workflowClient;


  @BeforeAll
  static void startServers() {
    database = TestDatabase.create();
    model = OpenAiStandIn.start().withUsage(17, 3);
  }

  @AfterAll
  static void stopServers() {
    model.close();
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
    registry.add("saturn.llm.openai.api-key", () -> "sk-e2e-not-a-real-key");
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name);
  }

  String newAgent(Tenant tenant, Map<String, Object> config) {
    return TestApp.newAgent(http(), tenant, config);
  }

  long count(String table, String companyId, String column, String value) {
    DSLContext db = database.dsl();
    return db.fetchValue(
        "SELECT COUNT(*) FROM " + table + " WHERE company_id = ? AND " + column + " = ?", companyId, value)
        instanceof Number n ? n.longValue() : -1;
  }

  @Test
  void givenAgentOnAnOpenAiServer_whenChattingTwiceInOneSession_itShouldCarryHistoryAndStoreExactUsage() {
    Tenant acme = newCompany("acme");
    String agentId = newAgent(acme, Map.of("provider", "openai", "model", "stand-in-model", "system_prompt", "You are terse."));
    int requestsBefore = model.requests().size();

    HttpJson.Response first = http().post("/v1/agents/" + agentId + "/chat", acme.apiKey(), Map.of("message", "hello"));
    assertThat(first.status()).isEqualTo(200);
    String sessionId = first.text("session_id");
    assertThat(first.body().path("agent_version").asInt()).isEqualTo(1);
    assertThat(first.body().path("status").asText()).isEqualTo("completed");
    assertThat(first.body().path("message").path("content").asText()).contains("hello");
    assertThat(first.body().path("usage").path("input_tokens").asLong()).isEqualTo(17);
    assertThat(first.body().path("usage").path("output_tokens").asLong()).isEqualTo(3);
    assertThat(first.body().path("usage").path("estimated").asBoolean()).isFalse();
    assertThat(first.body().path("model").asText()).isEqualTo("stand-in-model");

    Map<String, Object> second = Map.of("message", "and then?", "session_id", sessionId);
    HttpJson.Response answer = http().post("/v1/agents/" + agentId + "/chat", acme.apiKey(), second, Map.of("Idempotency-Key", "turn-2"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("session_id")).isEqualTo(sessionId);
    List<PromptMessage> prompt = model.lastRequest().messages();
    assertThat(prompt).containsExactly(
        new PromptMessage("system", "You are terse."),
        new PromptMessage("user", "hello"),
        new PromptMessage("assistant", first.body().path("message").path("content").asText()),
        new PromptMessage("user", "and then?"));

    HttpJson.Response messages = http().get("/v1/sessions/" + sessionId + "/messages", acme.apiKey());
    assertThat(messages.status()).isEqualTo(200);
    assertThat(messages.body().path("items").findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
    assertThat(count("usage_events", acme.companyId(), "session_id", sessionId)).isEqualTo(2);
    long inputTokens = database.dsl().fetchValue(
        "SELECT SUM(input_tokens) FROM usage_events WHERE company_id = ? AND session_id = ?", acme.companyId(), sessionId)
        instanceof Number n ? n.longValue() : -1;
    assertThat(inputTokens).isEqualTo(34);
    int modelCalls = model.requests().size() - requestsBefore;
    assertThat(modelCalls).isEqualTo(2);

    // The same request again with its Idempotency-Key: the same turn, nothing new stored or asked.
    HttpJson.Response repeat = http().post("/v1/agents/" + agentId + "/chat", acme.apiKey(), second, Map.of("Idempotency-Key", "turn-2"));
    assertThat(repeat.status()).isEqualTo(200);
    assertThat(repeat.text("turn_id")).isEqualTo(answer.text("turn_id"));
    assertThat(repeat.body().path("message").path("id").asText()).isEqualTo(answer.body().path("message").path("id").asText());
    assertThat(count("messages", acme.companyId(), "session_id", sessionId)).isEqualTo(4);
    assertThat(count("usage_events", acme.companyId(), "session_id", sessionId)).isEqualTo(2);
    assertThat(model.requests().size() - requestsBefore).isEqualTo(2);

    // The same key with a different body is refused.
    HttpJson.Response conflict = http().post("/v1/agents/" + agentId + "/chat", acme.apiKey(),
        Map.of("message", "something else", "session_id", sessionId), Map.of("Idempotency-Key", "turn-2"));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.text("code")).isEqualTo("IDEMPOTENCY_CONFLICT");

    HttpJson.Response turn = http().get("/v1/turns/" + answer.text("turn_id"), acme.apiKey());
    assertThat(turn.status()).isEqualTo(200);
    assertThat(turn.text("status")).isEqualTo("completed");
    assertThat(turn.body().path("usage").path("output_tokens").asLong()).isEqualTo(3);

    // Another tenant sees none of it: exactly what a missing id gets.
    Tenant other = newCompany("globex");
    for (String path : List.of("/v1/agents/" + agentId, "/v1/sessions/" + sessionId + "/messages", "/v1/turns/" + answer.text("turn_id"))) {
      HttpJson.Response foreign = http().get(path, other.apiKey());
      assertThat(foreign.status()).as(path).isEqualTo(404);
      assertThat(foreign.text("code")).as(path).isEqualTo("NOT_FOUND");
    }
    HttpJson.Response foreignChat = http().post("/v1/agents/" + agentId + "/chat", other.apiKey(), Map.of("message", "hi"));
    assertThat(foreignChat.status()).isEqualTo(404);
    HttpJson.Response foreignSession = http().post("/v1/agents/" + newAgent(other, Map.of()) + "/chat", other.apiKey(),
        Map.of("message", "hi", "session_id", sessionId));
    assertThat(foreignSession.status()).isEqualTo(404);
    assertThat(http().get("/v1/agents", other.apiKey()).body().path("items").findValuesAsText("id")).doesNotContain(agentId);
  }

  @Test
  void givenProviderRejectsTheKey_whenChatting_itShouldAnswerLlmProviderErrorAndRecordTheFailedTurn() {
    Tenant tenant = newCompany("initech");
    String agentId = newAgent(tenant, Map.of("provider", "openai"));
    model.enqueueError(401, "{\"error\":{\"message\":\"bad key\"}}");

    HttpJson.Response failed = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hi"));

    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.text("code")).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failed.text("request_id")).isNotBlank();
    assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
    // A server-side failure names its code, not the operator's model endpoint.
    assertThat(failed.text("detail")).doesNotContain("127.0.0.1").doesNotContain("bad key");
    String turnId = failed.text("detail").replaceAll("^Turn ([0-9a-f-]{36}) failed.*$", "$1");
    HttpJson.Response turn = http().get("/v1/turns/" + turnId, tenant.apiKey());
    assertThat(turn.text("status")).isEqualTo("failed");
    assertThat(turn.body().path("error").path("code").asText()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(turn.body().path("error").path("message").asText()).doesNotContain("127.0.0.1");
  }

  @Test
  void givenOfflineDefault_whenChatting_itShouldAnswerAndSayItIsOffline(CapturedOutput output) throws Exception {
    Tenant tenant = newCompany("umbrella");
    String agentId = newAgent(tenant, Map.of());

    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "ping"),
        Map.of("X-Request-Id", "req-offline-1"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text("model")).isEqualTo("saturn-offline");
    assertThat(reply.body().path("message").path("content").asText().toLowerCase()).contains("offline");
    assertThat(reply.body().path("usage").path("estimated").asBoolean()).isTrue();

    // Structured logs: lines written inside the workflow and its activities carry the request's ids.
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> turnLines = new ArrayList<>();
    for (String line : output.getOut().split("\n")) {
      if (line.startsWith("{") && line.contains("req-offline-1") && line.contains("\"workflow_id\"")) {
        turnLines.add(json.readTree(line));
      }
    }
    assertThat(turnLines).isNotEmpty().allSatisfy(line -> {
      assertThat(line.path("company_id").asText()).isEqualTo(tenant.companyId());
      assertThat(line.path("agent_id").asText()).isEqualTo(agentId);
      assertThat(line.path("turn_id").asText()).isEqualTo(reply.text("turn_id"));
      assertThat(line.path("workflow_id").asText()).startsWith("chat-turn:" + tenant.companyId());
    });
    // Not exported (no endpoint here): Temporal's tracing interceptors are not installed, so the
    // request's trace does not reach the workflow's and activities' lines; the ids above tie them.
    String requestTrace = output.getOut().lines()
        .filter(line -> line.startsWith("{") && line.contains("req-offline-1") && !line.contains("\"workflow_id\""))
        .map(line -> readTree(json, line).path("trace_id").asText())
        .filter(id -> !id.isEmpty())
        .findFirst().orElse("none");
    assertThat(turnLines).extracting(line -> line.path("trace_id").asText()).doesNotContain(requestTrace);
    assertThat(output.getAll()).doesNotContain(tenant.apiKey()).doesNotContain("sk-e2e-not-a-real-key");
  }

  @Test
  void givenNoOtlpEndpoint_whenTheApplicationRuns_itShouldRecordAndExportNoSpans() {
    assertThat(spanExporters.stream()).as("no exporter without OTEL_EXPORTER_OTLP_ENDPOINT").isEmpty();
    assertThat(workflowClient.getOptions().getInterceptors())
        .as("no Temporal tracing interceptor building spans nobody records").noneMatch(OpenTracingClientInterceptor.class::isInstance);
    assertThat(sampler.getDescription()).isEqualTo(Sampler.alwaysOff().getDescription());
    Span probe = openTelemetry.getTracer("test").spanBuilder("probe").startSpan();
    assertThat(probe.isRecording()).isFalse();
    assertThat(probe.getSpanContext().isValid()).as("ids for the logs all the same").isTrue();
    probe.end();
  }

  @Test
  void givenOwnerPasswordAtCompanyCreation_whenOwnerLogsIn_itShouldGetATokenThatWorksAsBearer() {
    HttpJson.Response created = http().post("/v1/companies", ADMIN,
        Map.of("name", "wayne", "owner", Map.of("email", "bruce@wayne.test", "password", "correct horse battery")));
    assertThat(created.status()).isEqualTo(201);
    String companyId = created.body().path("company").path("id").asText();

    HttpJson.Response login = http().post("/v1/auth/login", null,
        Map.of("company_id", companyId, "email", "bruce@wayne.test", "password", "correct horse battery"));
    assertThat(login.status()).isEqualTo(200);
    assertThat(http().get("/v1/agents", login.text("access_token")).status()).isEqualTo(200);

    HttpJson.Response weak = http().post("/v1/companies", ADMIN,
        Map.of("name", "weak", "owner", Map.of("email", "a@weak.test", "password", "short")));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.body().path("field_errors").findValuesAsText("field")).containsExactly("owner.password");
  }

  @Test
  void givenIdempotencyKey_whenAgentCreationIsRepeated_itShouldCreateOneAgent() {
    Tenant tenant = newCompany("cyberdyne");
    Map<String, Object> body = Map.of("name", "once", "config", Map.of("system_prompt", "p"));

    HttpJson.Response first = http().post("/v1/agents", tenant.apiKey(), body, Map.of("Idempotency-Key", "agent-1"));
    HttpJson.Response repeat = http().post("/v1/agents", tenant.apiKey(), body, Map.of("Idempotency-Key", "agent-1"));
    HttpJson.Response changed = http().post("/v1/agents", tenant.apiKey(),
        Map.of("name", "other", "config", Map.of()), Map.of("Idempotency-Key", "agent-1"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(repeat.text("id")).isEqualTo(first.text("id"));
    assertThat(changed.status()).isEqualTo(409);
    assertThat(changed.text("code")).isEqualTo("IDEMPOTENCY_CONFLICT");
    assertThat(http().get("/v1/agents", tenant.apiKey()).body().path("items").findValuesAsText("id")).containsExactly(first.text("id"));
  }

  @Test
  void givenBadRequests_whenSent_itShouldAnswerProblemsFromTheRegistry() {
    Tenant tenant = newCompany("hooli");
    HttpJson.Response noAuth = http().get("/v1/agents", null);
    assertThat(noAuth.status()).isEqualTo(401);
    assertThat(noAuth.text("code")).isEqualTo("AUTH_INVALID");
    HttpJson.Response badKey = http().get("/v1/agents", "sat_AAAAAAAAAAAA_" + "B".repeat(32));
    assertThat(badKey.text("code")).isEqualTo("AUTH_INVALID");
    HttpJson.Response wrongAdmin = http().post("/v1/companies", tenant.apiKey(), Map.of("name", "x", "owner", Map.of("email", "a@b.test")));
    assertThat(wrongAdmin.status()).isEqualTo(403);
    assertThat(wrongAdmin.text("code")).isEqualTo("AUTH_FORBIDDEN");
    HttpJson.Response malformed = http().post("/v1/agents", tenant.apiKey(), "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.text("code")).isEqualTo("VALIDATION_FAILED");
    HttpJson.Response badConfig = http().post("/v1/agents", tenant.apiKey(), Map.of("name", "x", "config", Map.of("provider", "nope", "temperature", 7)));
    assertThat(badConfig.status()).isEqualTo(400);
    assertThat(badConfig.body().path("field_errors").findValuesAsText("field")).contains("config.provider", "config.temperature");
    HttpJson.Response badCursor = http().get("/v1/agents?cursor=bm90LWEtY3Vyc29y", tenant.apiKey());
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.body().path("field_errors").findValuesAsText("field")).containsExactly("cursor");
    String agentId = newAgent(tenant, Map.of());
    HttpJson.Response badKeyHeader = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "x"),
        Map.of("Idempotency-Key", "has spaces"));
    assertThat(badKeyHeader.status()).isEqualTo(400);
    assertThat(badKeyHeader.body().path("field_errors").findValuesAsText("field")).containsExactly("Idempotency-Key");
    HttpJson.Response unknownRoute = http().get("/v1/nowhere", tenant.apiKey());
    assertThat(unknownRoute.status()).isEqualTo(404);
    assertThat(unknownRoute.text("code")).isEqualTo("NOT_FOUND");
    HttpJson.Response wrongMethod = http().send("DELETE", "/v1/agents", tenant.apiKey(), null, Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    HttpJson.Response echoed = http().send("GET", "/health", null, null, Map.of("X-Request-Id", "trace-123"));
    assertThat(echoed.status()).isEqualTo(200);
    assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-123");
    assertThat(echoed.text("request_id")).isEqualTo("trace-123");
    HttpJson.Response ready = http().get("/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("checks").path("database").asText()).isEqualTo("ok");
    assertThat(ready.body().path("checks").path("temporal").asText()).isEqualTo("ok");
  }


  private static JsonNode readTree(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
