package dev.saturn.activities.llm;

import dev.saturn.activities.tracing.HttpClientSpans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.RecordedRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiChatProviderTest {

  private static final String API_KEY = "sk-test-9f8e7d6c5b4a3210-do-not-leak";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final List<PromptMessage> CONVERSATION =
      List.of(
          PromptMessage.system("You are a terse assistant."),
          PromptMessage.user("What is SATURN?"),
          PromptMessage.assistant("An agent platform."),
          PromptMessage.user("Which workflow engine does it use?"));

  private OpenAiStandIn standIn;

  @BeforeEach
  void startStandIn() {
    standIn = OpenAiStandIn.start();
  }

  @AfterEach
  void closeStandIn() {
    standIn.close();
  }

  @Test
  void sendsModelTemperatureAndAllMessagesInOrderAndReturnsReportedUsage() {
    standIn.withUsage(42, 7);

    ProviderReply reply =
        provider(API_KEY, TIMEOUT).complete(new ProviderRequest("llama-3.1-8b", 0.25, CONVERSATION));

    RecordedRequest sent = standIn.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.model()).isEqualTo("llama-3.1-8b");
    assertThat(sent.temperature()).isEqualTo(0.25);
    assertThat(sent.messages()).containsExactlyElementsOf(CONVERSATION);
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    // vLLM and Ollama (uvicorn) drop the body of an h2c upgrade request and answer 400/422.
    assertThat(sent.header("Upgrade")).isNull();
    assertThat(reply)
        .isEqualTo(
            new ProviderReply(
                "stand-in reply #1 to: Which workflow engine does it use?",
                "llama-3.1-8b",
                42,
                7,
                false,
                List.of(),
                "stop"));
  }

  @Test
  void streamsTheAnswerInTheServersPiecesWhichJoinToTheReply() {
    standIn.withUsage(42, 7);
    List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();

    ProviderReply reply = provider(API_KEY, TIMEOUT).stream(new ProviderRequest(null, null, CONVERSATION), pieces::add);

    assertThat(standIn.lastRequest().body().path("stream").asBoolean()).isTrue();
    assertThat(standIn.lastRequest().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(pieces).containsExactlyElementsOf(OpenAiStandIn.pieces(reply.content())).hasSizeGreaterThan(3);
    assertThat(String.join("", pieces)).isEqualTo("stand-in reply #1 to: Which workflow engine does it use?");
    assertThat(reply.inputTokens()).isEqualTo(42);
    assertThat(reply.outputTokens()).isEqualTo(7);
    assertThat(reply.estimated()).isFalse();
  }

  @Test
  void readsToolCallsStreamedInFragmentsWithoutStreamingAnyText() {
    standIn.enqueueToolCalls(
        new OpenAiStandIn.ScriptedCall("call_1", "weather", "{\"city\":\"Oslo\"}"),
        new OpenAiStandIn.ScriptedCall("call_2", "geo", "{\"q\":\"Bergen\"}"));
    List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();

    ProviderReply reply = provider(API_KEY, TIMEOUT).stream(new ProviderRequest(null, null, CONVERSATION,
        List.of(new ToolSpec("weather", "w", "{\"type\":\"object\"}"), new ToolSpec("geo", "g", "{\"type\":\"object\"}"))),
        pieces::add);

    assertThat(pieces).isEmpty();
    assertThat(reply.content()).isEmpty();
    assertThat(reply.toolCalls()).containsExactly(
        new PromptMessage.ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"),
        new PromptMessage.ToolCall("call_2", "geo", "{\"q\":\"Bergen\"}"));
  }

  /** An abandoned call stops reading at its next piece instead of running on beside its retry. */
  @Test
  void givenTheCallerIsInterruptedMidStream_itShouldStopReadingAndFailRetryably() throws Exception {
    standIn.enqueueStreamHold(2);
    List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        provider(API_KEY, TIMEOUT).stream(new ProviderRequest(null, null, CONVERSATION), pieces::add);
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    caller.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (pieces.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(pieces).containsExactly("stand-in", " reply");

    caller.interrupt();
    caller.join(5000);
    standIn.release();

    assertThat(caller.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      assertThat(f.getType()).isEqualTo("LLM_PROVIDER_ERROR");
      assertThat(f.isNonRetryable()).isFalse();
    });
    Thread.sleep(200);
    assertThat(pieces).as("nothing read after the interrupt").hasSize(2);
  }

  @Test
  void fallsBackToTheConfiguredModelAndLeavesTemperatureToTheServer() {
    ProviderReply reply =
        provider(API_KEY, TIMEOUT).complete(new ProviderRequest(null, null, CONVERSATION));

    RecordedRequest sent = standIn.lastRequest();
    assertThat(sent.model()).isEqualTo("configured-model");
    assertThat(sent.body().has("temperature")).isFalse();
    assertThat(reply.model()).isEqualTo("configured-model");
  }

  @Test
  void dropsABlankSystemMessageAndRejectsABlankUserMessage() {
    OpenAiChatProvider provider = provider(API_KEY, TIMEOUT);

    provider.complete(
        new ProviderRequest(
            null, null, List.of(PromptMessage.system("  "), PromptMessage.user("hello"))));
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                provider.complete(
                    new ProviderRequest(null, null, List.of(PromptMessage.user(" ")))));

    assertThat(standIn.lastRequest().messages()).containsExactly(PromptMessage.user("hello"));
    assertThat(failure.getType()).isEqualTo("VALIDATION_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(standIn.requests()).hasSize(1);
  }

  @Test
  void sendsNoAuthorizationHeaderWithoutAKey() {
    provider("", TIMEOUT).complete(new ProviderRequest(null, null, CONVERSATION));

    assertThat(standIn.lastRequest().header("Authorization")).isNull();
  }

  @Test
  void estimatesTokensWhenTheServerReportsNoUsage() {
    standIn.withoutUsage();

    ProviderReply reply =
        provider(API_KEY, TIMEOUT).complete(new ProviderRequest(null, null, CONVERSATION));

    assertThat(reply.estimated()).isTrue();
    assertThat(reply.inputTokens()).isPositive().isEqualTo(TokenEstimator.promptTokens(CONVERSATION));
    assertThat(reply.outputTokens()).isPositive().isEqualTo(TokenEstimator.count(reply.content()));
  }

  @Test
  void aRateLimitIsRetryableAfterTheDelayTheProviderAsksFor() {
    standIn.enqueueError(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}",
        Map.of("Retry-After", "7"));

    ApplicationFailure failure = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(failure.getType()).isEqualTo("LLM_RATE_LIMITED");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
    assertThat(failure.getOriginalMessage()).contains("HTTP 429").contains("retry after 7s");
    // Refused before its first event: a streamed request keeps the header too.
    assertThat(standIn.requests().get(0).body().path("stream").asBoolean()).isTrue();
  }

  @Test
  void aRateLimitWithoutRetryAfterLeavesTheDelayToTheRetryPolicyAndAnHourIsCapped() {
    standIn.enqueueError(429, "{}").enqueueError(429, "{}", Map.of("Retry-After", "3600"));

    ApplicationFailure unsaid = failureOf(provider(API_KEY, TIMEOUT));
    ApplicationFailure anHour = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(unsaid.getType()).isEqualTo("LLM_RATE_LIMITED");
    assertThat(unsaid.getNextRetryDelay()).isNull();
    assertThat(anHour.getNextRetryDelay()).isEqualTo(LlmFailures.MAX_RETRY_AFTER);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503})
  void overloadAndServerErrorsAreRetryable(int status) {
    standIn.enqueueError(status, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}");

    ApplicationFailure failure = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("HTTP " + status);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422})
  void requestAndConfigurationErrorsAreNotRetryable(int status) {
    standIn.enqueueError(status, "{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\"}}");

    ApplicationFailure failure = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("HTTP " + status);
  }

  @Test
  void aRejectedKeyNeverAppearsInTheFailureEvenWhenTheServerEchoesIt() {
    standIn.enqueueError(
        401,
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + API_KEY
            + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

    ApplicationFailure failure = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("HTTP 401").contains("Incorrect API key");
    assertThat(failure.getMessage()).doesNotContain(API_KEY);
    // The cause chain is serialized into Temporal's history as well.
    assertThat(printed(failure)).doesNotContain(API_KEY).doesNotContain("9f8e7d6c5b4a3210");
  }

  @Test
  void aSlowServerIsARetryableTimeout() {
    standIn.enqueueDelay(Duration.ofSeconds(5));
    long started = System.nanoTime();

    ApplicationFailure failure = failureOf(provider(API_KEY, Duration.ofMillis(300)));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    assertThat(failure.getType()).isEqualTo("LLM_TIMEOUT");
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void aRefusedConnectionIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OpenAiChatProvider provider =
        new OpenAiChatProvider(
            new LlmProperties(
                new LlmProperties.OpenAi(
                    "http://127.0.0.1:" + closedPort + "/v1", API_KEY, "m", TIMEOUT)),
            HttpClientSpans.noop());

    ApplicationFailure failure = failureOf(provider);

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("127.0.0.1:" + closedPort);
  }

  @Test
  void aBodyThatIsNotOpenAiJsonIsNotRetryable() {
    standIn.enqueueResponse(200, "<html><body>Welcome to nginx!</body></html>");

    ApplicationFailure failure = failureOf(provider(API_KEY, TIMEOUT));

    assertThat(failure.getType()).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void anEmptyPromptIsRejectedWithoutCallingTheServer() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> provider(API_KEY, TIMEOUT).complete(new ProviderRequest(null, null, List.of())));

    assertThat(failure.getType()).isEqualTo("VALIDATION_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(standIn.requests()).isEmpty();
  }

  private OpenAiChatProvider provider(String apiKey, Duration timeout) {
    return new OpenAiChatProvider(
        new LlmProperties(
            new LlmProperties.OpenAi(standIn.baseUrl(), apiKey, "configured-model", timeout)),
        HttpClientSpans.noop());
  }

  private static ApplicationFailure failureOf(OpenAiChatProvider provider) {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> provider.complete(new ProviderRequest(null, null, CONVERSATION)));
    assertThat(failure).as("expected an ApplicationFailure").isNotNull();
    return failure;
  }

  private static String printed(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
