package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible endpoints over real HTTP, with the OpenAI-format stand-in as the agents'
 * model: what each request becomes (a turn, its session, prior messages, instructions), what comes
 * back (OpenAI's shapes with the stored answer and usage), idempotency, approvals, cancellation,
 * streams, errors in OpenAI's body, and what another company can reach. The official Python client
 * runs against the packaged jar in {@code OpenAiClientIT}.
 */
class OpenAiApiTest extends BootedApp {

  static final ObjectMapper JSON = new ObjectMapper();

  TestApp.Tenant tenant;
  String agentId;

  @BeforeEach
  void company() {
    model().reset();
    tenant = TestApp.newCompany(http(), ADMIN, "openai-" + System.nanoTime());
    agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai", "system_prompt", "Be brief."));
  }

  @AfterEach
  void releaseTheModel() {
    model().reset();
  }

  HttpJson.Response chat(Object body) {
    return http().post("/v1/chat/completions", tenant.apiKey(), body);
  }

  HttpJson.Response turn(String turnId) {
    return http().get("/v1/turns/" + turnId, tenant.apiKey());
  }

  static Map<String, Object> message(String role, String content) {
    return Map.of("role", role, "content", content);
  }

  long count(String sql, Object... args) {
    return ((Number) sql().fetchValue(sql, args)).longValue();
  }

  @Test
  void givenEnabledAndDisabledAgents_whenModelsAreListed_itShouldListTheEnabledOnesOfTheCompanyByIdAndResolveNames() {
    String off = TestApp.newAgent(http(), tenant, Map.of());
    http().send("PATCH", "/v1/agents/" + off, tenant.apiKey(), Map.of("name", "sleepy"), Map.of());
    assertThat(http().post("/v1/agents/" + off + "/disable", tenant.apiKey(), Map.of()).status()).isIn(200, 204);
    TestApp.Tenant other = TestApp.newCompany(http(), ADMIN, "openai-other-" + System.nanoTime());
    String foreign = TestApp.newAgent(http(), other, Map.of());

    HttpJson.Response models = http().get("/v1/models", tenant.apiKey());

    assertThat(models.status()).isEqualTo(200);
    assertThat(models.text("object")).isEqualTo("list");
    assertThat(models.body().path("data").findValuesAsText("id")).containsExactly(agentId).doesNotContain(off, foreign);
    JsonNode model = models.body().path("data").path(0);
    assertThat(model.path("object").asText()).isEqualTo("model");
    assertThat(model.path("owned_by").asText()).isEqualTo(tenant.companyId());
    assertThat(model.path("created").isIntegralNumber()).isTrue();
    assertThat(http().get("/v1/models/sleepy", tenant.apiKey()).text("id")).isEqualTo(off);
    HttpJson.Response missing = http().get("/v1/models/" + foreign, tenant.apiKey());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.isOpenAiError()).as(missing.body().toString()).isTrue();
    assertThat(missing.body().path("error").path("param").asText()).isEqualTo("model");
  }

  @Test
  void givenTwoAgentsWithOneName_whenTheNameIsTheModel_itShouldRefuseItAsAmbiguous() {
    String first = TestApp.newAgent(http(), tenant, Map.of());
    String second = TestApp.newAgent(http(), tenant, Map.of());
    http().send("PATCH", "/v1/agents/" + first, tenant.apiKey(), Map.of("name", "twin"), Map.of());
    http().send("PATCH", "/v1/agents/" + second, tenant.apiKey(), Map.of("name", "twin"), Map.of());

    HttpJson.Response ambiguous = chat(Map.of("model", "twin", "messages", List.of(message("user", "hi"))));

    assertThat(ambiguous.status()).isEqualTo(400);
    assertThat(ambiguous.isOpenAiError()).isTrue();
    assertThat(ambiguous.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(ambiguous.body().path("error").path("code").asText()).isEqualTo("validation_failed");
    assertThat(ambiguous.body().path("error").path("param").asText()).isEqualTo("model");
  }

  @Test
  void givenAConversation_whenCompleted_itShouldSeedANewSessionOnceAndAnswerWithTheStoredAnswerAndExactUsage() {
    Map<String, Object> body = Map.of("model", agentId, "temperature", 0.3, "max_tokens", 50, "seed", 7, "messages", List.of(
        message("system", "Answer in French."),
        message("user", "I am Ada."),
        message("assistant", "Hello Ada."),
        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Who am I?")))));

    HttpJson.Response first = http().post("/v1/chat/completions", tenant.apiKey(), body, Map.of("Idempotency-Key", "seed-1"));
    HttpJson.Response repeated = http().post("/v1/chat/completions", tenant.apiKey(), body, Map.of("Idempotency-Key", "seed-1"));

    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    assertThat(first.text("object")).isEqualTo("chat.completion");
    String turnId = first.body().path("saturn").path("turn_id").asText();
    String sessionId = first.body().path("saturn").path("session_id").asText();
    assertThat(first.text("id")).isEqualTo("chatcmpl-" + turnId);
    assertThat(first.text("model")).isEqualTo(agentId);
    JsonNode choice = first.body().path("choices").path(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    HttpJson.Response stored = turn(turnId);
    assertThat(choice.path("message").path("content").asText()).isEqualTo(stored.body().path("message").path("content").asText())
        .contains("Who am I?");
    long input = stored.body().path("usage").path("input_tokens").asLong();
    long output = stored.body().path("usage").path("output_tokens").asLong();
    assertThat(input).isPositive();
    assertThat(first.body().path("usage").path("prompt_tokens").asLong()).isEqualTo(input);
    assertThat(first.body().path("usage").path("completion_tokens").asLong()).isEqualTo(output);
    assertThat(first.body().path("usage").path("total_tokens").asLong()).isEqualTo(input + output);
    // The model saw the agent's prompt with the system message appended, then the earlier messages.
    assertThat(model().lastRequest().messages()).containsExactly(
        new PromptMessage("system", "Be brief.\n\nAnswer in French."),
        new PromptMessage("user", "I am Ada."),
        new PromptMessage("assistant", "Hello Ada."),
        new PromptMessage("user", "Who am I?"));
    // The repeat is the same turn, and nothing was stored twice.
    assertThat(repeated.status()).isEqualTo(200);
    assertThat(repeated.body().path("saturn").path("turn_id").asText()).isEqualTo(turnId);
    assertThat(repeated.body().path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(choice.path("message").path("content").asText());
    assertThat(model().requests()).hasSize(1);
    HttpJson.Response messages = http().get("/v1/sessions/" + sessionId + "/messages", tenant.apiKey());
    assertThat(messages.body().path("items").findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
    assertThat(messages.body().path("items").findValuesAsText("content").subList(0, 3))
        .containsExactly("I am Ada.", "Hello Ada.", "Who am I?");
    assertThat(count("SELECT COUNT(*) FROM turns WHERE company_id = ?", tenant.companyId())).isEqualTo(1);
    assertThat(sql().fetchValue("SELECT instructions FROM turns WHERE company_id = ? AND id = ?", tenant.companyId(), turnId)).isEqualTo("Answer in French.");

    // The same key with another conversation is a conflict, in OpenAI's shape.
    HttpJson.Response conflict = http().post("/v1/chat/completions", tenant.apiKey(),
        Map.of("model", agentId, "messages", List.of(message("user", "something else"))), Map.of("Idempotency-Key", "seed-1"));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.isOpenAiError()).isTrue();
    assertThat(conflict.body().path("error").path("code").asText()).isEqualTo("idempotency_conflict");
  }

  @Test
  void givenANamedSession_whenCompleted_itShouldIgnoreTheEarlierMessagesForTheSessionsOwnHistory() {
    HttpJson.Response first = chat(Map.of("model", agentId, "messages", List.of(message("user", "first question"))));
    String sessionId = first.body().path("saturn").path("session_id").asText();

    HttpJson.Response second = chat(Map.of("model", agentId, "user", sessionId, "messages", List.of(
        message("user", "a made-up earlier question"), message("assistant", "a made-up answer"),
        message("user", "second question"))));
    HttpJson.Response third = chat(Map.of("model", agentId, "metadata", Map.of("session_id", sessionId),
        "messages", List.of(message("user", "third question"))));

    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().path("saturn").path("session_id").asText()).isEqualTo(sessionId);
    assertThat(third.body().path("saturn").path("session_id").asText()).isEqualTo(sessionId);
    List<String> prompt = model().lastRequest().messages().stream().map(PromptMessage::content).toList();
    assertThat(prompt).contains("first question", "second question", "third question")
        .doesNotContain("a made-up earlier question", "a made-up answer");
    HttpJson.Response messages = http().get("/v1/sessions/" + sessionId + "/messages", tenant.apiKey());
    assertThat(messages.body().path("items")).hasSize(6);

    HttpJson.Response clash = chat(Map.of("model", agentId, "user", sessionId, "metadata", Map.of("session_id", "other"),
        "messages", List.of(message("user", "x"))));
    assertThat(clash.status()).isEqualTo(400);
    assertThat(clash.body().path("error").path("param").asText()).isEqualTo("user");
  }

  @Test
  void givenWhatAnAgentCannotHonour_whenSent_itShouldBeRefusedWith400NamingTheParameterAndStartNoTurn() {
    Map<String, Object> refused = new LinkedHashMap<>();
    refused.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "f"))));
    refused.put("functions", List.of(Map.of("name", "f")));
    refused.put("tool_choice", "required");
    refused.put("n", 2);
    refused.put("response_format", Map.of("type", "json_object"));
    refused.put("stop", List.of("\n"));
    refused.put("logprobs", true);
    refused.put("audio", Map.of("voice", "alloy"));
    refused.put("stream_options", Map.of("include_usage", true));
    refused.put("no_such_parameter", 1);
    for (Map.Entry<String, Object> parameter : refused.entrySet()) {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("model", agentId, "messages", List.of(message("user", "hi"))));
      body.put(parameter.getKey(), parameter.getValue());

      HttpJson.Response response = chat(body);

      assertThat(response.status()).as(parameter.getKey() + ": " + response.body()).isEqualTo(400);
      assertThat(response.isOpenAiError()).as(parameter.getKey()).isTrue();
      assertThat(response.body().path("error").path("param").asText()).isEqualTo(parameter.getKey());
    }
    HttpJson.Response toolResult = chat(Map.of("model", agentId, "messages", List.of(
        message("user", "hi"), Map.of("role", "tool", "tool_call_id", "c1", "content", "42"))));
    assertThat(toolResult.body().path("error").path("param").asText()).isEqualTo("messages[1].role");
    HttpJson.Response image = chat(Map.of("model", agentId, "messages", List.of(Map.of("role", "user",
        "content", List.of(Map.of("type", "image_url", "image_url", Map.of("url", "https://x.test/a.png")))))));
    assertThat(image.body().path("error").path("param").asText()).isEqualTo("messages[0].content[0]");
    HttpJson.Response endsWithAnswer = chat(Map.of("model", agentId, "messages", List.of(
        message("user", "hi"), message("assistant", "prefilled"))));
    assertThat(endsWithAnswer.body().path("error").path("param").asText()).isEqualTo("messages[1]");
    assertThat(count("SELECT COUNT(*) FROM turns WHERE company_id = ?", tenant.companyId())).isZero();
    assertThat(model().requests()).isEmpty();
  }

  @Test
  void givenBadCredentialsOrAMissingPermission_whenCalled_itShouldAnswerInOpenAisErrorShape() {
    HttpJson.Response anonymous = http().post("/v1/chat/completions", null,
        Map.of("model", agentId, "messages", List.of(message("user", "hi"))));
    HttpJson.Response wrongKey = http().post("/v1/chat/completions", "sk-not-a-key",
        Map.of("model", agentId, "messages", List.of(message("user", "hi"))));
    HttpJson.Response key = http().post("/v1/api-keys", tenant.apiKey(), Map.of("name", "billing only", "scopes", List.of("billing:read")));
    HttpJson.Response forbidden = http().get("/v1/models", key.text("api_key"));
    HttpJson.Response native404 = http().get("/v1/turns/" + java.util.UUID.randomUUID(), tenant.apiKey());

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.isOpenAiError()).as(anonymous.body().toString()).isTrue();
    assertThat(anonymous.body().path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(wrongKey.isOpenAiError()).as(wrongKey.body().toString()).isTrue();
    assertThat(key.status()).as(key.body().toString()).isEqualTo(201);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body().path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(forbidden.body().path("error").path("code").asText()).isEqualTo("auth_forbidden");
    // The rest of the API keeps RFC 7807.
    assertThat(native404.header("Content-Type")).startsWith("application/problem+json");
    assertThat(native404.text("code")).isEqualTo("NOT_FOUND");
  }

  @Test
  void givenAToolThatNeedsApproval_whenTheTurnWaits_itShouldAnswer202AwaitingApprovalAndShowTheCallInTheResponse() {
    String callId = guardedToolCall();

    HttpJson.Response waiting = chat(Map.of("model", agentId, "messages", List.of(message("user", "do it"))));

    assertThat(waiting.status()).as(waiting.body().toString()).isEqualTo(202);
    JsonNode choice = waiting.body().path("choices").path(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("awaiting_approval");
    String turnId = waiting.body().path("saturn").path("turn_id").asText();
    assertThat(choice.path("message").path("content").asText()).contains(turnId).contains("guarded").contains(callId);
    assertThat(waiting.body().path("saturn").path("status").asText()).isEqualTo("awaiting_approval");
    assertThat(waiting.body().path("saturn").path("pending_approvals").path(0).path("call_id").asText()).isEqualTo(callId);
    assertThat(waiting.body().path("usage").isMissingNode()).isTrue();

    HttpJson.Response response = http().get("/v1/responses/resp_" + turnId, tenant.apiKey());
    assertThat(response.text("status")).isEqualTo("in_progress");
    JsonNode call = response.body().path("output").path(0);
    assertThat(call.path("type").asText()).isEqualTo("function_call");
    assertThat(call.path("call_id").asText()).isEqualTo(callId);
    assertThat(call.path("name").asText()).isEqualTo("guarded");
    assertThat(call.path("saturn").path("awaiting_approval").asBoolean()).isTrue();

    model().enqueueReply("done after approval");
    assertThat(http().post("/v1/turns/" + turnId + "/approvals/" + callId, tenant.apiKey(), Map.of("decision", "approve"))
        .status()).isEqualTo(200);
    HttpJson.Response done = awaitStatus("resp_" + turnId, "completed");
    assertThat(done.body().path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("done after approval");
  }

  @Test
  void givenABackgroundResponseWaitingForApproval_whenCancelled_itShouldEndCancelledAndCancelTheApproval() {
    String callId = guardedToolCall();

    HttpJson.Response created = http().post("/v1/responses", tenant.apiKey(),
        Map.of("model", agentId, "input", "do it", "background", true));
    String id = created.text("id");
    HttpJson.Response waiting = awaitOutput(id);
    HttpJson.Response cancelled = http().post("/v1/responses/" + id + "/cancel", tenant.apiKey(), null);
    HttpJson.Response again = http().post("/v1/responses/" + id + "/cancel", tenant.apiKey(), null);

    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    assertThat(created.text("status")).isEqualTo("in_progress");
    assertThat(created.body().path("background").asBoolean()).isTrue();
    assertThat(waiting.body().path("output").path(0).path("call_id").asText()).isEqualTo(callId);
    assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    assertThat(cancelled.body().path("error").path("code").asText()).isEqualTo("turn_cancelled");
    assertThat(again.text("status")).isEqualTo("cancelled");
    String turnId = id.substring("resp_".length());
    assertThat(turn(turnId).body().path("error").path("code").asText()).isEqualTo("TURN_CANCELLED");
    assertThat(sql().fetchValue(
        "SELECT status FROM tool_approvals WHERE company_id = ? AND turn_id = ?", tenant.companyId(), turnId)).isEqualTo("cancelled");
    // A decision on the cancelled call is refused: nothing waits for it any more.
    assertThat(http().post("/v1/turns/" + turnId + "/approvals/" + callId, tenant.apiKey(), Map.of("decision", "approve"))
        .status()).isEqualTo(409);
  }

  @Test
  void givenResponses_whenChainedByPreviousResponseId_itShouldContinueTheSessionWithTheTurnsInstructions() {
    HttpJson.Response first = http().post("/v1/responses", tenant.apiKey(),
        Map.of("model", agentId, "input", "first", "instructions", "Answer in Latin."));
    HttpJson.Response second = http().post("/v1/responses", tenant.apiKey(), Map.of("model", agentId,
        "previous_response_id", first.text("id"), "input", List.of(Map.of("role", "user",
            "content", List.of(Map.of("type", "input_text", "text", "second")))), "metadata", Map.of("k", "v")));

    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    assertThat(first.text("status")).isEqualTo("completed");
    assertThat(first.text("instructions")).isEqualTo("Answer in Latin.");
    String firstTurn = first.text("id").substring("resp_".length());
    assertThat(first.body().path("output").path(0).path("content").path(0).path("text").asText())
        .isEqualTo(turn(firstTurn).body().path("message").path("content").asText());
    assertThat(first.body().path("usage").path("total_tokens").asLong())
        .isEqualTo(turn(firstTurn).body().path("usage").path("input_tokens").asLong()
            + turn(firstTurn).body().path("usage").path("output_tokens").asLong());
    assertThat(second.text("status")).isEqualTo("completed");
    assertThat(second.body().path("saturn").path("session_id").asText())
        .isEqualTo(first.body().path("saturn").path("session_id").asText());
    List<PromptMessage> prompt = model().lastRequest().messages();
    assertThat(prompt.get(0)).isEqualTo(new PromptMessage("system", "Be brief."));
    assertThat(prompt).extracting(PromptMessage::content).contains("first", "second");
    assertThat(http().get("/v1/responses/" + first.text("id"), tenant.apiKey()).text("status")).isEqualTo("completed");

    String otherAgent = TestApp.newAgent(http(), tenant, Map.of());
    HttpJson.Response crossAgent = http().post("/v1/responses", tenant.apiKey(),
        Map.of("model", otherAgent, "previous_response_id", first.text("id"), "input", "x"));
    assertThat(crossAgent.status()).isEqualTo(400);
    assertThat(crossAgent.body().path("error").path("param").asText()).isEqualTo("previous_response_id");
    HttpJson.Response noStore = http().post("/v1/responses", tenant.apiKey(), Map.of("model", agentId, "input", "x", "store", false));
    assertThat(noStore.body().path("error").path("param").asText()).isEqualTo("store");
  }

  @Test
  void givenAnotherCompanysIdsInTheBody_whenUsed_itShouldAnswerLikeIdsThatDoNotExist() {
    HttpJson.Response mine = chat(Map.of("model", agentId, "messages", List.of(message("user", "mine"))));
    String turnId = mine.body().path("saturn").path("turn_id").asText();
    String sessionId = mine.body().path("saturn").path("session_id").asText();
    TestApp.Tenant other = TestApp.newCompany(http(), ADMIN, "openai-intruder-" + System.nanoTime());
    String otherAgent = TestApp.newAgent(http(), other, Map.of());

    HttpJson.Response foreignModel = http().post("/v1/chat/completions", other.apiKey(),
        Map.of("model", agentId, "messages", List.of(message("user", "x"))));
    HttpJson.Response foreignSession = http().post("/v1/chat/completions", other.apiKey(),
        Map.of("model", otherAgent, "user", sessionId, "messages", List.of(message("user", "x"))));
    HttpJson.Response foreignPrevious = http().post("/v1/responses", other.apiKey(),
        Map.of("model", otherAgent, "previous_response_id", "resp_" + turnId, "input", "x"));
    HttpJson.Response foreignCancel = http().post("/v1/responses/resp_" + turnId + "/cancel", other.apiKey(), null);

    for (HttpJson.Response response : List.of(foreignModel, foreignSession, foreignPrevious, foreignCancel)) {
      assertThat(response.status()).as(response.body().toString()).isEqualTo(404);
      assertThat(response.isOpenAiError()).isTrue();
      assertThat(response.raw().body()).doesNotContain(tenant.companyId());
    }
    assertThat(count("SELECT COUNT(*) FROM turns WHERE company_id = ?", other.companyId())).isZero();
  }

  @Test
  void givenStreamedCompletion_whenRead_itShouldJoinToTheStoredAnswerEndWithUsageAndDone() {
    HttpJson.Response stream = chat(Map.of("model", agentId, "stream", true, "stream_options", Map.of("include_usage", true),
        "messages", List.of(message("user", "stream this"))));

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
    List<String> data = data(stream.raw().body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(OpenAiApiTest::json).toList();
    assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (JsonNode chunk : chunks) {
      text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
      if (chunk.path("choices").path(0).hasNonNull("finish_reason")) {
        finish = chunk.path("choices").path(0).path("finish_reason").asText();
      }
    }
    JsonNode last = chunks.get(chunks.size() - 1);
    String turnId = chunks.get(0).path("id").asText().substring("chatcmpl-".length());
    HttpJson.Response stored = turn(turnId);
    assertThat(finish).isEqualTo("stop");
    assertThat(text.toString()).isEqualTo(stored.body().path("message").path("content").asText()).contains("stream this");
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("prompt_tokens").asLong()).isEqualTo(stored.body().path("usage").path("input_tokens").asLong());
    assertThat(last.path("usage").path("completion_tokens").asLong()).isEqualTo(stored.body().path("usage").path("output_tokens").asLong());
  }

  @Test
  void givenStreamedResponse_whenRead_itShouldEmitTheResponsesEventsEndingCompleted() {
    HttpJson.Response stream = http().post("/v1/responses", tenant.apiKey(),
        Map.of("model", agentId, "stream", true, "input", "stream a response"));

    assertThat(stream.status()).isEqualTo(200);
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    JsonNode completed = null;
    for (String data : data(stream.raw().body())) {
      JsonNode event = json(data);
      types.add(event.path("type").asText());
      if (event.path("type").asText().equals("response.output_text.delta")) {
        text.append(event.path("delta").asText());
      }
      if (event.path("type").asText().equals("response.completed")) {
        completed = event.path("response");
      }
    }
    assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta").endsWith("response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(completed).isNotNull();
    assertThat(text.toString()).isEqualTo(completed.path("output").path(0).path("content").path(0).path("text").asText())
        .contains("stream a response");
    assertThat(stream.raw().body()).contains("event: response.completed");
  }

  @Test
  void givenAStreamedCompletion_whenTheTurnStartsWaitingForAnApproval_itShouldFinishAwaitingApprovalAndEnd() {
    String callId = guardedToolCall();

    HttpJson.Response stream = chat(Map.of("model", agentId, "stream", true, "messages", List.of(message("user", "do it"))));

    List<String> data = data(stream.raw().body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode last = json(data.get(data.size() - 2));
    assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("awaiting_approval");
    assertThat(last.path("saturn").path("pending_approvals").path(0).path("call_id").asText()).isEqualTo(callId);
    String turnId = last.path("saturn").path("turn_id").asText();
    assertThat(turn(turnId).text("status")).isEqualTo("awaiting_approval");
  }

  @Test
  void givenAStreamedResponse_whenTheTurnStartsWaitingForAnApproval_itShouldAddTheFunctionCallAndEnd() {
    String callId = guardedToolCall();

    HttpJson.Response stream = http().post("/v1/responses", tenant.apiKey(),
        Map.of("model", agentId, "stream", true, "input", "do it"));

    List<JsonNode> events = data(stream.raw().body()).stream().map(OpenAiApiTest::json).toList();
    JsonNode last = events.get(events.size() - 1);
    assertThat(events.get(0).path("type").asText()).isEqualTo("response.created");
    assertThat(last.path("type").asText()).isEqualTo("response.output_item.added");
    assertThat(last.path("item").path("type").asText()).isEqualTo("function_call");
    assertThat(last.path("item").path("call_id").asText()).isEqualTo(callId);
    assertThat(last.path("item").path("saturn").path("awaiting_approval").asBoolean()).isTrue();
  }

  /** The stand-in asks for the guarded tool at the next model call; returns the call's id. */
  private String guardedToolCall() {
    HttpJson.Response guarded = http().post("/v1/tools", tenant.apiKey(), Map.of(
        "name", "guarded", "description", "needs a person", "method", "POST", "url", "https://tools.example.test/guarded",
        "requires_approval", true));
    assertThat(guarded.status()).as(guarded.body().toString()).isEqualTo(201);
    assertThat(http().post("/v1/agents/" + agentId + "/tools/" + guarded.text("id"), tenant.apiKey(), Map.of()).status())
        .isEqualTo(200);
    String callId = "call_openai_" + System.nanoTime();
    model().enqueueToolCalls(new OpenAiStandIn.ScriptedCall(callId, "guarded", "{}"));
    return callId;
  }

  private HttpJson.Response awaitOutput(String responseId) {
    return awaitUntil(responseId, r -> r.body().path("output").size() > 0);
  }

  private HttpJson.Response awaitStatus(String responseId, String status) {
    return awaitUntil(responseId, r -> status.equals(r.text("status")));
  }

  private HttpJson.Response awaitUntil(String responseId, java.util.function.Predicate<HttpJson.Response> done) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    HttpJson.Response response;
    do {
      response = http().get("/v1/responses/" + responseId, tenant.apiKey());
      if (done.test(response)) {
        return response;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("response " + responseId + " never got there: " + response.body());
  }

  /** The data lines of a Server-Sent Events body, in order. */
  static List<String> data(String body) {
    List<String> data = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring("data: ".length()));
      }
    }
    return data;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(text, e);
    }
  }
}
