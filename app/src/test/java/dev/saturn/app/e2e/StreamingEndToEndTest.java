package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /v1/agents/{id}/chat} with {@code Accept: text/event-stream} over a real socket: the
 * application with Temporal's Java server and MariaDB, the OpenAI-format stand-in streaming its
 * answer piece by piece at a model's pace. The stream is a view of the durable turn: its deltas
 * join to the stored answer, its last event is the JSON answer, and it resumes from the journal.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamingEndToEndTest extends StandInServers {

  static final String ADMIN = "e2e-streaming-operator-token";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String ANSWER = "Streaming is a view onto the turn, never a second path around it: the durable record "
      + "is the completed message, written once, while readers watch it being written.";


  @BeforeAll
  static void answers() {
    model.withUsage(21, 34);
    tools.answering(request -> ToolServer.Answer.json("{\"paid\":true}"));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    standIns(registry, "e2e-streaming-data", ADMIN);
  }

  @BeforeEach
  void resetModel() {
    model.reset();
    model.withUsage(21, 34);
  }

  SseClient streamChat(Tenant tenant, String agentId, String message, String idempotencyKey) {
    return SseClient.post("http://127.0.0.1:" + port + "/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        "{\"message\":\"" + message + "\"}", idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
  }

  @Test
  void givenAStreamingModel_whenChattingWithAcceptEventStream_itShouldStreamDeltasThatJoinToTheAnswerAndEndWithIt()
      throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "streamco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    model.enqueueReply(ANSWER).streamPace(Duration.ofMillis(50), Duration.ofMillis(30));

    List<SseClient.Event> events;
    String location;
    try (SseClient stream = streamChat(tenant, agentId, "how does streaming work?", "stream-key-1")) {
      assertThat(stream.isEventStream()).as("status %s", stream.status()).isTrue();
      location = stream.headers().firstValue("Location").orElseThrow();
      events = stream.awaitEnd(WAIT);
    }

    List<String> types = events.stream().map(SseClient.Event::type).toList();
    assertThat(types.get(0)).isEqualTo("turn.started");
    assertThat(types).containsSubsequence("turn.started", "step.started", "message.delta", "step.finished",
        "message.completed", "turn.completed");
    assertThat(types.get(types.size() - 1)).isEqualTo("turn.completed");
    assertThat(events).extracting(SseClient.Event::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(0).seq()).isEqualTo(1);
    List<SseClient.Event> deltas = events.stream().filter(e -> e.type().equals("message.delta")).toList();
    assertThat(deltas).as("the answer arrives in several deltas").hasSizeGreaterThan(3);
    assertThat(String.join("", deltas.stream().map(SseClient.Event::text).toList())).isEqualTo(ANSWER);

    // The first delta left before the model had finished: a view as it is written, not a replay at the end.
    List<OpenAiStandIn.Emission> emitted = model.emissions();
    assertThat(deltas.get(0).receivedNanos()).isLessThan(emitted.get(emitted.size() - 1).nanos());
    // A generous guard only (numbers: docs/benchmarks.md): each delta within a second of its last piece.
    for (SseClient.Event delta : deltas) {
      long lag = delta.receivedNanos() - emissionCompleting(emitted, deltas, delta);
      assertThat(TimeUnit.NANOSECONDS.toMillis(lag)).as("delta %s lag", delta.id()).isLessThan(1000);
    }

    // The last event is the answer the non-streaming call gives; the same key answers with it.
    JsonNode completed = events.get(events.size() - 1).data();
    String turnId = completed.path("turn_id").asText();
    assertThat(location).isEqualTo("/v1/turns/" + turnId);
    HttpJson.Response json = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "how does streaming work?"), Map.of("Idempotency-Key", "stream-key-1"));
    assertThat(json.status()).isEqualTo(200);
    assertThat(completed).isEqualTo(json.body());
    assertThat(completed.path("message").path("content").asText()).isEqualTo(ANSWER);
    assertThat(completed.path("usage").path("output_tokens").asLong()).isEqualTo(34);
    assertThat(events.get(0).data().path("turn_id").asText()).isEqualTo(turnId);
    assertThat(model.requests()).as("one model call").hasSize(1);

    // A repeat of the streamed request attaches to the same turn's stream, from its first event.
    try (SseClient again = streamChat(tenant, agentId, "how does streaming work?", "stream-key-1")) {
      List<SseClient.Event> replayed = again.awaitEnd(WAIT);
      assertThat(replayed).extracting(SseClient.Event::id).containsExactlyElementsOf(events.stream().map(SseClient.Event::id).toList());
      assertThat(replayed.get(replayed.size() - 1).data()).isEqualTo(completed);
    }
    assertThat(model.requests()).as("still one model call").hasSize(1);

    // Resuming after an event gives exactly the rest.
    SseClient.Event middle = events.get(events.size() / 2);
    try (SseClient resumed = SseClient.get("http://127.0.0.1:" + port + "/v1/turns/" + turnId + "/events",
        tenant.apiKey(), middle.id())) {
      List<SseClient.Event> rest = resumed.awaitEnd(WAIT);
      assertThat(rest).extracting(SseClient.Event::id)
          .containsExactlyElementsOf(events.subList(events.size() / 2 + 1, events.size()).stream().map(SseClient.Event::id).toList());
      assertThat(rest.get(rest.size() - 1).data()).isEqualTo(completed);
    }
    assertThat(count("SELECT COUNT(*) FROM messages WHERE company_id = ? AND turn_id = ? AND role = 'assistant'",
        tenant.companyId(), turnId)).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND turn_id = ?", tenant.companyId(), turnId))
        .isEqualTo(1);
  }

  /** With nothing configured the offline provider answers, and it streams too. */
  @Test
  void givenTheOfflineProvider_whenStreamingAChat_itShouldStreamItsAnswerInPieces() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "offlinestreamco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "offline"));

    try (SseClient stream = streamChat(tenant, agentId, "hello offline", null)) {
      List<SseClient.Event> events = stream.awaitEnd(WAIT);
      List<SseClient.Event> deltas = events.stream().filter(e -> e.type().equals("message.delta")).toList();
      String answer = events.get(events.size() - 1).data().path("message").path("content").asText();
      assertThat(answer).contains("offline provider");
      assertThat(deltas).hasSizeGreaterThan(3);
      assertThat(String.join("", deltas.stream().map(SseClient.Event::text).toList())).isEqualTo(answer);
    }
  }

  @Test
  void givenAFailingModel_whenStreamingAChat_itShouldEndWithTheProblemTheJsonCallAnswers() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "failstreamco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    model.enqueueError(400, "{\"error\":{\"message\":\"no such model\",\"type\":\"invalid_request_error\"}}");

    try (SseClient stream = streamChat(tenant, agentId, "fail please", null)) {
      List<SseClient.Event> events = stream.awaitEnd(WAIT);
      SseClient.Event last = events.get(events.size() - 1);
      assertThat(last.type()).isEqualTo("turn.failed");
      assertThat(last.data().path("code").asText()).isEqualTo("LLM_PROVIDER_ERROR");
      assertThat(last.data().path("status").asInt()).isEqualTo(502);
      assertThat(last.data().path("type").asText()).isEqualTo("urn:saturn:error:llm_provider_error");
      assertThat(last.data().path("detail").asText()).startsWith("Turn ").endsWith("failed: LLM provider error");
      assertThat(last.data().path("request_id").asText()).isEqualTo(stream.headers().firstValue("X-Request-Id").orElseThrow());
      assertThat(last.data().path("instance").asText()).isEqualTo("/v1/agents/" + agentId + "/chat");
    }
  }

  /** A stream lives through a tool call and a person's approval, and shows both. */
  @Test
  void givenAToolNeedingApproval_whenStreamingAChat_itShouldShowTheCallAndTheRequestThenTheAnswerAfterTheDecision()
      throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "approvestreamco");
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "pay", "description", "pay", "method", "POST", "url", "http://127.0.0.1:" + tools.port() + "/pay",
        "parameters", Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "integer"))),
        "requires_approval", true));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    assertThat(http().post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status()).isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_pay_s", "pay", "{\"amount\":12}")).enqueueReply("Paid twelve.");

    try (SseClient stream = streamChat(tenant, agentId, "pay twelve", null)) {
      stream.await(e -> e.type().equals("tool.called"), WAIT);
      SseClient.Event requested = stream.await(e -> e.type().equals("approval.requested"), WAIT);
      assertThat(requested.data().path("call_id").asText()).isEqualTo("call_pay_s");
      String turnId = stream.events().get(0).data().path("turn_id").asText();

      HttpJson.Response decided = http().post("/v1/turns/" + turnId + "/approvals/call_pay_s", tenant.apiKey(),
          Map.of("decision", "approve"));
      assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);

      List<String> types = stream.awaitEnd(WAIT).stream().map(SseClient.Event::type).toList();
      assertThat(types).containsSubsequence("tool.called", "approval.requested", "approval.approved", "tool.result",
          "message.delta", "message.completed", "turn.completed").contains("tool.executed");
    }
  }

  /** The emission time of the stand-in's piece that completes {@code delta}'s text (deltas are whole pieces). */
  static long emissionCompleting(List<OpenAiStandIn.Emission> emitted, List<SseClient.Event> deltas, SseClient.Event delta) {
    int chars = 0;
    for (SseClient.Event d : deltas) {
      chars += d.text().length();
      if (d == delta) {
        break;
      }
    }
    int sum = 0;
    for (OpenAiStandIn.Emission emission : emitted) {
      sum += emission.text().length();
      if (sum >= chars) {
        return emission.nanos();
      }
    }
    throw new AssertionError("no emission completes " + chars + " characters");
  }

  long count(String sql, Object... args) {
    return ((Number) database.dsl().fetchValue(sql, args)).longValue();
  }
}
