package dev.saturn.activities.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.LlmProperties;
import dev.saturn.activities.llm.OpenAiChatProvider;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.ToolSpec;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.activities.llm.testing.OpenAiStandIn.ScriptedCall;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.activities.tools.http.HttpToolClient;
import dev.saturn.common.outbound.SsrfGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GenAI spans of a model call and a tool call, with the real OpenAI-speaking provider and HTTP
 * tool client against local stand-ins, recorded by the OpenTelemetry SDK in memory.
 */
class GenAiSpansTest {

  static final String QUESTION = "What is the weather in Trondheim today?";
  static final String SECRET = "sk-livekey0123456789abcdef";

  InMemorySpanExporter exported;
  OpenTelemetrySdk otel;
  OpenAiStandIn model;
  ToolServer tools;

  @BeforeEach
  void setUp() {
    exported = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    model = OpenAiStandIn.start().withUsage(40, 8);
    tools = ToolServer.start().answering(request -> ToolServer.Answer.json("{\"sky\":\"clear over Trondheim\"}"));
  }

  @AfterEach
  void tearDown() {
    tools.close();
    model.close();
    otel.close();
  }

  OpenAiChatProvider provider() {
    return new OpenAiChatProvider(
        new LlmProperties(new LlmProperties.OpenAi(model.baseUrl(), "", "default-model", Duration.ofSeconds(10))),
        new HttpClientSpans(otel));
  }

  static ProviderRequest request(String model, String question) {
    return new ProviderRequest(model, 0.2,
        List.of(PromptMessage.system("You answer weather questions."), PromptMessage.user(question)),
        List.of(new ToolSpec("weather", "current weather", "{\"type\":\"object\"}")));
  }

  SpanData span(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not among " + exported.getFinishedSpanItems()));
  }

  @Test
  void givenAModelThatAsksForATool_whenCalled_itShouldRecordAChatSpanAfterTheGenAiConventionsWithItsHttpRequestUnderIt() {
    model.enqueueToolCalls(new ScriptedCall("call_7", "weather", "{\"city\":\"Trondheim\"}"));
    ProviderRequest request = request("gpt-test", QUESTION);
    OpenAiChatProvider provider = provider();

    ProviderReply reply = new GenAiSpans(otel, false).chat("openai", request, () -> provider.complete(request));

    assertThat(reply.toolCalls()).hasSize(1);
    SpanData chat = span("chat gpt-test");
    assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(chat.getAttributes().asMap()).containsAllEntriesOf(Map.of(
        AttributeKey.stringKey("gen_ai.operation.name"), "chat",
        AttributeKey.stringKey("gen_ai.provider.name"), "openai",
        AttributeKey.stringKey("gen_ai.request.model"), "gpt-test",
        AttributeKey.longKey("gen_ai.usage.input_tokens"), 40L,
        AttributeKey.longKey("gen_ai.usage.output_tokens"), 8L,
        AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("tool_calls")));
    assertThat(chat.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.temperature"))).isEqualTo(0.2);

    SpanData http = span("POST");
    assertThat(http.getParentSpanId()).isEqualTo(chat.getSpanId());
    assertThat(http.getTraceId()).isEqualTo(chat.getTraceId());
    assertThat(http.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(http.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(http.getAttributes().get(AttributeKey.stringKey("url.full"))).endsWith("/v1/chat/completions");
    assertThat(model.lastRequest().header("traceparent"))
        .as("the model server is told the request's span")
        .isEqualTo("00-" + http.getTraceId() + "-" + http.getSpanId() + "-01");

    assertThat(exported.getFinishedSpanItems()).allSatisfy(span ->
        assertThat(span.getAttributes().asMap().values()).noneSatisfy(value ->
            assertThat(String.valueOf(value)).containsAnyOf("Trondheim", "weather questions")));
  }

  @Test
  void givenNoModelInTheRequest_whenCalled_itShouldNameTheSpanAfterTheModelThatAnswered() {
    model.enqueueReply("It is sunny.");
    ProviderRequest request = request(null, QUESTION);
    OpenAiChatProvider provider = provider();

    new GenAiSpans(otel, false).chat("openai", request, () -> provider.complete(request));

    SpanData chat = exported.getFinishedSpanItems().stream()
        .filter(s -> "chat".equals(s.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))))
        .findFirst().orElseThrow();
    String answeredBy = chat.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"));
    assertThat(answeredBy).isNotBlank();
    assertThat(chat.getName()).isEqualTo("chat " + answeredBy);
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isNull();
    assertThat(chat.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
  }

  @Test
  void givenAModelServerError_whenCalled_itShouldMarkBothSpansFailedWithTheirErrorTypes() {
    model.enqueueError(500, "{\"error\":{\"message\":\"boom about " + QUESTION + "\"}}");
    ProviderRequest request = request("gpt-test", QUESTION);
    OpenAiChatProvider provider = provider();
    GenAiSpans spans = new GenAiSpans(otel, false);

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> spans.chat("openai", request, () -> provider.complete(request)));

    SpanData chat = span("chat gpt-test");
    assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo(failure.getType())
        .isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(chat.getEvents()).as("no exception event: its message may quote the prompt").isEmpty();
    SpanData http = span("POST");
    assertThat(http.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("500");
    assertThat(http.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void givenContentCaptureOn_whenCalled_itShouldRecordTheMessagesRedacted() throws Exception {
    model.enqueueReply("Sunny. Your key " + SECRET + " should not be shared.");
    ProviderRequest request = request("gpt-test", QUESTION + " My key is " + SECRET);
    OpenAiChatProvider provider = provider();

    new GenAiSpans(otel, true).chat("openai", request, () -> provider.complete(request));

    SpanData chat = span("chat gpt-test");
    ObjectMapper json = new ObjectMapper();
    var input = json.readTree(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")));
    assertThat(input.get(0).path("role").asText()).isEqualTo("user");
    assertThat(input.get(0).path("parts").get(0).path("content").asText())
        .startsWith(QUESTION).contains("[REDACTED]").doesNotContain(SECRET);
    var system = json.readTree(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")));
    assertThat(system.get(0).path("content").asText()).isEqualTo("You answer weather questions.");
    var output = json.readTree(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
    assertThat(output.get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(output.get(0).path("parts").get(0).path("content").asText()).startsWith("Sunny.").doesNotContain(SECRET);
  }

  @Test
  void givenAToolCall_whenItRuns_itShouldRecordAnExecuteToolSpanWithItsHttpRequestUnderItAndNoArguments() {
    HttpToolClient client = new HttpToolClient(new SsrfGuard("127.0.0.1:" + tools.port()), 3, new HttpClientSpans(otel));
    String template = "http://127.0.0.1:" + tools.port() + "/weather/{city}";
    var arguments = new ObjectMapper().createObjectNode().put("city", "Trondheim").put("units", "metric");

    try (GenAiSpans.ToolSpan span = new GenAiSpans(otel, false).executeTool("weather", "call_7")) {
      HttpToolClient.Response response =
          client.call(new HttpToolClient.Call("GET", template, Map.of(), arguments, 5000, null, 4096));
      span.result(new ToolCallResult(ToolCallResult.Status.OK, response.status(), response.body(), null, false, 1));
      span.content(arguments.toString(), response.body());
    }

    SpanData tool = span("execute_tool weather");
    assertThat(tool.getAttributes().asMap()).containsAllEntriesOf(Map.of(
        AttributeKey.stringKey("gen_ai.operation.name"), "execute_tool",
        AttributeKey.stringKey("gen_ai.tool.name"), "weather",
        AttributeKey.stringKey("gen_ai.tool.call.id"), "call_7"));
    assertThat(tool.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    SpanData http = span("GET /weather/{city}");
    assertThat(http.getParentSpanId()).isEqualTo(tool.getSpanId());
    assertThat(http.getAttributes().get(AttributeKey.stringKey("url.template"))).isEqualTo("/weather/{city}");
    assertThat(http.getAttributes().get(AttributeKey.stringKey("url.full"))).as("the path carries arguments").isNull();
    assertThat(http.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(tools.received().get(0).uri()).contains("Trondheim");
    assertThat(tools.received().get(0).header("traceparent"))
        .isEqualTo("00-" + http.getTraceId() + "-" + http.getSpanId() + "-01");
    assertThat(exported.getFinishedSpanItems()).allSatisfy(span ->
        assertThat(span.getAttributes().asMap().values()).noneSatisfy(value ->
            assertThat(String.valueOf(value)).containsAnyOf("Trondheim", "metric")));
  }

  @Test
  void givenAToolCallThatThrows_whenTheSpanCloses_itShouldBeMarkedFailed() {
    GenAiSpans spans = new GenAiSpans(otel, false);

    try (GenAiSpans.ToolSpan ignored = spans.executeTool("weather", "call_8")) {
      // nothing recorded: the executor threw before answering
    }

    SpanData tool = span("execute_tool weather");
    assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("_OTHER");
  }
}
