package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The chat WebSocket ({@code /v1/ws}) over a real socket, with the JDK's WebSocket client: the
 * application with Temporal's Java server and MariaDB, the OpenAI-format stand-in streaming its
 * answers. The token never goes in the URL; frames carry the same events as SSE; approvals are
 * decided over the socket; another company's turns and agents are not found; bad frames get error
 * frames and the socket stays open, a bad token gets one and close 1008.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebSocketEndToEndTest extends StandInServers {

  static final String ADMIN = "e2e-websocket-operator-token";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String ANSWER = "A socket is one more window onto the same durable turn: the deltas you watch join "
      + "to the message that was written once.";
  static final String SECOND = "Several turns share one socket.";


  @BeforeAll
  static void answers() {
    model.withUsage(13, 21);
    tools.answering(request -> ToolServer.Answer.json("{\"paid\":true}"));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    standIns(registry, "e2e-websocket-data", ADMIN);
    // One turn at a time per socket: the next chat right after a turn.completed must still be accepted.
    registry.add("saturn.websocket.max-turns-per-socket", () -> "1");
    registry.add("saturn.websocket.max-frame-bytes", () -> "65536");
    registry.add("saturn.websocket.auth-timeout", () -> "2s");
  }

  @BeforeEach
  void resetModel() {
    model.reset();
    model.withUsage(13, 21);
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/v1/ws");
  }

  WsClient authenticated(Tenant tenant) throws InterruptedException {
    WsClient client = WsClient.connect(ws());
    client.send(Map.of("type", "auth", "token", tenant.apiKey()));
    JsonNode ready = client.awaitType("ready", WAIT);
    assertThat(ready.path("company_id").asText()).isEqualTo(tenant.companyId());
    return client;
  }

  static List<JsonNode> eventsUntilEnd(WsClient client, String turnId) throws InterruptedException {
    client.await(frame -> isEvent(frame, turnId)
        && List.of("turn.completed", "turn.failed").contains(frame.path("event").asText()), WAIT);
    return client.seen().stream().filter(frame -> isEvent(frame, turnId)).toList();
  }

  static boolean isEvent(JsonNode frame, String turnId) {
    return frame.path("type").asText().equals("event") && frame.path("turn_id").asText().equals(turnId);
  }

  @Test
  void givenAuthInTheFirstFrame_whenChattingTwice_itShouldStreamDeltasThatJoinToTheStoredAnswers() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "wsco");
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    model.enqueueReply(ANSWER).streamPace(Duration.ofMillis(30), Duration.ofMillis(20));
    model.enqueueReply(SECOND);

    try (WsClient client = authenticated(tenant)) {
      client.send(Map.of("type", "chat", "ref", "first", "agent_id", agentId, "message", "what is a socket?"));
      JsonNode accepted = client.awaitType("turn.accepted", WAIT);
      assertThat(accepted.path("ref").asText()).isEqualTo("first");
      String turnId = accepted.path("turn_id").asText();
      List<JsonNode> events = eventsUntilEnd(client, turnId);

      List<String> types = events.stream().map(e -> e.path("event").asText()).toList();
      assertThat(types.get(0)).isEqualTo("turn.started");
      assertThat(types).containsSubsequence("turn.started", "message.delta", "message.completed", "turn.completed");
      assertThat(events).extracting(e -> e.path("id").asInt()).isSorted().doesNotHaveDuplicates();
      List<String> deltas = events.stream().filter(e -> e.path("event").asText().equals("message.delta"))
          .map(e -> e.path("data").path("text").asText()).toList();
      assertThat(deltas).as("the answer arrives in several deltas").hasSizeGreaterThan(3);
      assertThat(String.join("", deltas)).isEqualTo(ANSWER);

      // The last event's data is the stored turn, as the REST API shows it.
      JsonNode completed = events.get(events.size() - 1).path("data");
      JsonNode stored = TestApp.awaitTurn(http(), tenant, turnId);
      assertThat(stored.path("message").path("content").asText()).isEqualTo(ANSWER);
      assertThat(completed.path("message").path("content").asText()).isEqualTo(ANSWER);
      assertThat(completed.path("usage").path("output_tokens").asLong()).isEqualTo(21);

      // A second turn on the same socket, in the same session.
      client.send(Map.of("type", "chat", "agent_id", agentId, "session_id", accepted.path("session_id").asText(),
          "message", "and another?", "idempotency_key", "ws-second"));
      JsonNode second = client.awaitType("turn.accepted", WAIT);
      assertThat(second.path("session_id").asText()).isEqualTo(accepted.path("session_id").asText());
      List<JsonNode> secondEvents = eventsUntilEnd(client, second.path("turn_id").asText());
      assertThat(secondEvents.get(secondEvents.size() - 1).path("event").asText()).isEqualTo("turn.completed");
      assertThat(secondEvents.get(secondEvents.size() - 1).path("data").path("message").path("content").asText())
          .isEqualTo(SECOND);
    }
    assertThat(model.requests()).hasSize(2);
  }

  @Test
  void givenTheTokenAsASubprotocol_whenAToolNeedsApproval_itShouldTakeTheDecisionOverTheSocketAndFinish()
      throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "wsapproveco");
    Tenant other = TestApp.newCompany(http(), ADMIN, "wsotherco");
    HttpJson.Response tool = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "pay", "description", "pay", "method", "POST", "url", "http://127.0.0.1:" + tools.port() + "/pay",
        "parameters", Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "integer"))),
        "requires_approval", true));
    assertThat(tool.status()).as(tool.body().toString()).isEqualTo(201);
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    assertThat(http().post("/v1/agents/" + agentId + "/tools/" + tool.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    model.enqueueToolCalls(new ScriptedCall("call_pay_ws", "pay", "{\"amount\":12}")).enqueueReply("Paid twelve.");

    try (WsClient client = WsClient.connect(ws(), "saturn.v1", "bearer." + tenant.apiKey());
        WsClient intruder = WsClient.connect(ws(), "saturn.v1", "bearer." + other.apiKey())) {
      assertThat(client.socket().getSubprotocol()).as("only the protocol is echoed, never the token").isEqualTo("saturn.v1");
      assertThat(client.awaitType("ready", WAIT).path("company_id").asText()).isEqualTo(tenant.companyId());
      assertThat(intruder.awaitType("ready", WAIT).path("company_id").asText()).isEqualTo(other.companyId());

      client.send(Map.of("type", "chat", "agent_id", agentId, "message", "pay twelve"));
      String turnId = client.awaitType("turn.accepted", WAIT).path("turn_id").asText();
      JsonNode requested = client.await(frame -> isEvent(frame, turnId)
          && frame.path("event").asText().equals("approval.requested"), WAIT);
      assertThat(requested.path("data").path("call_id").asText()).isEqualTo("call_pay_ws");

      // Another company sees neither the turn nor the agent.
      intruder.send(Map.of("type", "approval", "ref", 7, "turn_id", turnId, "call_id", "call_pay_ws", "decision", "approve"));
      JsonNode refused = intruder.awaitType("error", WAIT);
      assertThat(refused.path("ref").asInt()).isEqualTo(7);
      assertThat(refused.path("problem").path("code").asText()).isEqualTo("NOT_FOUND");
      assertThat(refused.path("problem").path("status").asInt()).isEqualTo(404);
      assertThat(refused.path("problem").path("request_id").asText()).isNotBlank();
      intruder.send(Map.of("type", "chat", "agent_id", agentId, "message", "hello"));
      assertThat(intruder.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("NOT_FOUND");

      // The socket's one turn is still streaming: a second one is refused, with the REST code for limits.
      client.send(Map.of("type", "chat", "ref", "extra", "agent_id", agentId, "message", "one more"));
      JsonNode busy = client.awaitType("error", WAIT);
      assertThat(busy.path("ref").asText()).isEqualTo("extra");
      assertThat(busy.path("problem").path("code").asText()).isEqualTo("RATE_LIMITED");

      client.send(Map.of("type", "approval", "turn_id", turnId, "call_id", "call_pay_ws", "decision", "approve",
          "reason", "fine"));
      JsonNode decided = client.awaitType("approval.decided", WAIT);
      assertThat(decided.path("decision").asText()).isEqualTo("approve");
      List<String> types = eventsUntilEnd(client, turnId).stream().map(e -> e.path("event").asText()).toList();
      assertThat(types).containsSubsequence("tool.called", "approval.requested", "approval.approved", "tool.result",
          "message.completed", "turn.completed");
      JsonNode stored = TestApp.awaitTurn(http(), tenant, turnId);
      assertThat(stored.path("status").asText()).isEqualTo("completed");
      assertThat(stored.path("message").path("content").asText()).isEqualTo("Paid twelve.");
    }
  }

  @Test
  void givenATokenInTheUrl_whenConnecting_itShouldRefuseTheUpgrade() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "wsurlco");
    assertThatThrownBy(() -> WsClient.connect(URI.create(ws() + "?token=" + tenant.apiKey())))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> {
          var response = ((WebSocketHandshakeException) e).getResponse();
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(String.valueOf(response.body())).contains("VALIDATION_FAILED").doesNotContain(tenant.apiKey());
        });
  }

  @Test
  void givenAPageOfAnotherOrigin_whenConnecting_itShouldRefuseTheUpgradeButLetTheSameOriginIn() throws Exception {
    assertThatThrownBy(() -> WsClient.connectFrom("https://evil.example", ws()))
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    try (WsClient sameOrigin = WsClient.connectFrom("http://127.0.0.1:" + port, ws())) {
      sameOrigin.send(Map.of("type", "ping"));
      assertThat(sameOrigin.awaitType("pong", WAIT).path("type").asText()).isEqualTo("pong");
    }
  }

  @Test
  void givenAChatScopedKey_whenDecidingThenRevoked_itShouldRefuseTheDecisionThenCloseTheSocket() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "wsrevokeco");
    HttpJson.Response created = http().post("/v1/api-keys", tenant.apiKey(), Map.of("name", "ws", "scopes", List.of("chat")));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String chatKey = created.text("api_key");
    String keyId = created.body().path("key").path("id").asText();

    try (WsClient client = WsClient.connect(ws(), "saturn.v1", "bearer." + chatKey)) {
      client.awaitType("ready", WAIT);
      // The same permission as POST /v1/turns/{id}/approvals/{callId}: a chat-only key may not decide.
      client.send(Map.of("type", "approval", "turn_id", "t", "call_id", "c", "decision", "approve"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("AUTH_FORBIDDEN");

      assertThat(http().post("/v1/api-keys/" + keyId + "/revoke", tenant.apiKey(), null).status()).isEqualTo(200);
      client.send(Map.of("type", "chat", "agent_id", "a", "message", "still there?"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("AUTH_INVALID");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1008);
    }
  }

  @Test
  void givenBadFrames_whenSent_itShouldAnswerWithErrorFramesAndKeepTheSocketOpen() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "wsbadco");
    try (WsClient client = authenticated(tenant)) {
      client.send("this is not json");
      JsonNode notJson = client.awaitType("error", WAIT);
      assertThat(notJson.path("problem").path("code").asText()).isEqualTo("VALIDATION_FAILED");
      assertThat(notJson.path("problem").path("request_id").asText()).isNotBlank();

      client.send(Map.of("type", "dance", "ref", "d"));
      JsonNode unknown = client.awaitType("error", WAIT);
      assertThat(unknown.path("ref").asText()).isEqualTo("d");
      assertThat(unknown.path("problem").path("field_errors").get(0).path("field").asText()).isEqualTo("type");

      client.send(Map.of("type", "chat", "agent_id", 5, "message", "hi"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("field_errors").get(0).path("field").asText())
          .isEqualTo("agent_id");

      client.send(Map.of("type", "chat", "agent_id", "no-such-agent", "message", "hi"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("NOT_FOUND");

      client.send(Map.of("type", "chat", "agent_id", "no-such-agent", "message", "hi", "idempotency_key", "has spaces"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("field_errors").get(0).path("field").asText())
          .isEqualTo("idempotency_key");

      client.send(Map.of("type", "approval", "turn_id", "t", "call_id", "c", "decision", "maybe"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("VALIDATION_FAILED");

      // The REST message cap applies (saturn.chat.max-message-chars, 32000).
      client.send(Map.of("type", "chat", "agent_id", "no-such-agent", "message", "x".repeat(32_001)));
      JsonNode tooLong = client.awaitType("error", WAIT);
      assertThat(tooLong.path("problem").path("field_errors").get(0).path("field").asText()).isEqualTo("message");

      client.send(Map.of("type", "ping", "ref", 1));
      assertThat(client.awaitType("pong", WAIT).path("ref").asInt()).isEqualTo(1);

      // A frame over saturn.websocket.max-frame-bytes is not read: the socket closes with 1009.
      client.send(Map.of("type", "ping", "padding", "y".repeat(70_000)));
      assertThat(client.awaitClose(WAIT)).isEqualTo(1009);
    }
  }

  @Test
  void givenABadTokenOrNone_whenAuthenticatingOrChatting_itShouldSendAnErrorFrameAndClose1008() throws Exception {
    try (WsClient client = WsClient.connect(ws())) {
      client.send(Map.of("type", "auth", "token", "sk_not_a_key"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("AUTH_INVALID");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1008);
    }
    try (WsClient client = WsClient.connect(ws())) {
      client.send(Map.of("type", "chat", "agent_id", "a", "message", "hi"));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText()).isEqualTo("AUTH_INVALID");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1008);
    }
    try (WsClient client = WsClient.connect(ws())) {
      long start = System.nanoTime();
      JsonNode silent = client.awaitType("error", WAIT);
      assertThat(silent.path("problem").path("code").asText()).isEqualTo("AUTH_INVALID");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1008);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("saturn.websocket.auth-timeout").isGreaterThan(Duration.ofMillis(1500));
    }
    try (WsClient client = WsClient.connect(ws())) {
      client.send(Map.of("type", "auth", "token", ADMIN));
      assertThat(client.awaitType("error", WAIT).path("problem").path("code").asText())
          .as("the operator token acts for no company").isEqualTo("AUTH_INVALID");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1008);
    }
  }
}
