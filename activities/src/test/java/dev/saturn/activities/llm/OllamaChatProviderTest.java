package dev.saturn.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.testing.OllamaStandIn;
import dev.saturn.activities.llm.testing.RecordedRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaChatProviderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final List<PromptMessage> CONVERSATION = List.of(
      PromptMessage.system("You are terse."),
      PromptMessage.user("What is SATURN?"),
      PromptMessage.assistant("An agent platform."),
      PromptMessage.user("Which workflow engine does it use?"));
  private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Weather of a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

  private OllamaStandIn ollama;

  @BeforeEach
  void start() {
    ollama = OllamaStandIn.start();
  }

  @AfterEach
  void stop() {
    ollama.close();
  }

  @Test
  void givenAConversation_whenStreamed_itShouldPostToApiChatStreamingAndReturnTheTextInPiecesWithOllamasTokenCounts() {
    ollama.withUsage(42, 7);
    List<String> pieces = new CopyOnWriteArrayList<>();

    ProviderReply reply = provider().stream(new ProviderRequest("qwen2.5:7b", 0.25, CONVERSATION), pieces::add);

    RecordedRequest sent = ollama.lastRequest();
    assertThat(sent.path()).isEqualTo("/api/chat");
    assertThat(sent.model()).isEqualTo("qwen2.5:7b");
    assertThat(sent.body().path("stream").asBoolean(false)).isTrue();
    assertThat(sent.body().path("options").path("temperature").asDouble()).isEqualTo(0.25);
    assertThat(sent.body().path("messages")).extracting(m -> m.path("role").asText() + ":" + m.path("content").asText())
        .containsExactly("system:You are terse.", "user:What is SATURN?", "assistant:An agent platform.",
            "user:Which workflow engine does it use?");
    assertThat(sent.header("Authorization")).isNull();
    assertThat(reply).isEqualTo(new ProviderReply(
        "ollama reply #1 to: Which workflow engine does it use?", "qwen2.5:7b", 42, 7, false, List.of(), "stop"));
    // One NDJSON line per word from the stand-in: the sink saw them one by one, joined they are the reply.
    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(String.join("", pieces)).isEqualTo(reply.content());
  }

  @Test
  void givenNoModelOnTheAgent_whenCompleted_itShouldAskForTheConfiguredModel() {
    provider().complete(new ProviderRequest(null, null, CONVERSATION));

    assertThat(ollama.lastRequest().model()).isEqualTo("configured-model");
  }

  @Test
  void givenTools_whenTheModelCallsOne_itShouldOfferTheSchemaAndReturnTheCallWithJsonTextArguments() throws Exception {
    ollama.enqueueToolCalls(new OllamaStandIn.ScriptedCall("get_weather", "{\"city\":\"Oslo\"}"));

    ProviderReply reply = provider().complete(new ProviderRequest(null, null, CONVERSATION, List.of(WEATHER)));

    JsonNode tool = ollama.lastRequest().body().path("tools").get(0);
    assertThat(tool.path("type").asText()).isEqualTo("function");
    assertThat(tool.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(tool.path("function").path("parameters").path("properties").path("city").path("type").asText())
        .isEqualTo("string");
    assertThat(reply.toolCalls()).hasSize(1);
    assertThat(reply.toolCalls().get(0).name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(reply.toolCalls().get(0).arguments())).isEqualTo(JSON.readTree("{\"city\":\"Oslo\"}"));
  }

  @Test
  void givenAToolExchangeInThePrompt_whenCompleted_itShouldSendTheCallAndItsResultInOllamasShape() throws Exception {
    List<PromptMessage> prompt = List.of(
        PromptMessage.user("Weather in Oslo?"),
        PromptMessage.toolCalls("", List.of(new PromptMessage.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))),
        PromptMessage.toolResult("call_1", "get_weather", "{\"temp\":3}"));

    ProviderReply reply = provider().complete(new ProviderRequest(null, null, prompt, List.of(WEATHER)));

    JsonNode messages = ollama.lastRequest().body().path("messages");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    JsonNode call = messages.get(1).path("tool_calls").get(0).path("function");
    assertThat(call.path("name").asText()).isEqualTo("get_weather");
    // Ollama takes arguments as a JSON object, not as text.
    assertThat(call.path("arguments")).isEqualTo(JSON.readTree("{\"city\":\"Oslo\"}"));
    assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(2).path("content").asText()).isEqualTo("{\"temp\":3}");
    assertThat(reply.content()).startsWith("ollama reply #1");
  }

  @Test
  void givenACompanyEndpoint_whenCompleted_itShouldCallItWithItsKeyAndDefaultModelInsteadOfTheServers() {
    try (OllamaStandIn company = OllamaStandIn.start()) {
      ProviderEndpoint endpoint = new ProviderEndpoint(company.baseUrl(), "company-key-123", "company-model");

      provider().complete(new ProviderRequest(null, null, CONVERSATION, List.of(), endpoint));

      assertThat(ollama.requests()).isEmpty();
      assertThat(company.lastRequest().model()).isEqualTo("company-model");
      assertThat(company.lastRequest().header("Authorization")).isEqualTo("Bearer company-key-123");
    }
  }

  @Test
  void givenAnUnknownModel_whenCompleted_itShouldFailForGoodWithTheServersMessage() {
    ollama.enqueueError(404, "model \"nope\" not found, try pulling it first", Map.of());

    ApplicationFailure failure = failureOf(provider());

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("HTTP 404").contains("not found").contains("ollama at");
  }

  @Test
  void givenA429WithRetryAfter_whenCompleted_itShouldBeARetryableRateLimitWaitingThatLong() {
    ollama.enqueueError(429, "too many requests", Map.of("Retry-After", "3"));

    ApplicationFailure failure = failureOf(provider());

    assertThat(failure.getType()).isEqualTo("LLM_RATE_LIMITED");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(ollama.lastRequest().body().path("stream").asBoolean()).isTrue();
  }

  @Test
  void givenAnOverloadedServer_whenCompleted_itShouldBeARetryableProviderError() {
    ollama.enqueueError(503, "server busy", Map.of());

    ApplicationFailure failure = failureOf(provider());

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void givenASlowServer_whenCompleted_itShouldBeARetryableTimeout() {
    ollama.enqueueDelay(Duration.ofSeconds(5));
    OllamaChatProvider provider = new OllamaChatProvider(new LlmProperties(null,
        new LlmProperties.Ollama(ollama.baseUrl(), "m", Duration.ofMillis(300))));

    ApplicationFailure failure = failureOf(provider);

    assertThat(failure.getType()).isEqualTo("LLM_TIMEOUT");
    assertThat(failure.isNonRetryable()).isFalse();
  }

  private OllamaChatProvider provider() {
    return new OllamaChatProvider(new LlmProperties(null,
        new LlmProperties.Ollama(ollama.baseUrl(), "configured-model", TIMEOUT)));
  }

  private static ApplicationFailure failureOf(ChatProvider provider) {
    return catchThrowableOfType(ApplicationFailure.class,
        () -> provider.complete(new ProviderRequest(null, null, CONVERSATION)));
  }
}
