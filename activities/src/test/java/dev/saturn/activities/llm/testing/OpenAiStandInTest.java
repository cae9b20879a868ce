package dev.saturn.activities.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.llm.PromptMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in speaks plain HTTP, so these use the JDK client rather than langchain4j. */
class OpenAiStandInTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
          + "{\"role\":\"user\",\"content\":\"hello there\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  private OpenAiStandIn standIn;

  @BeforeEach
  void start() {
    standIn = OpenAiStandIn.start();
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void answersInOpenAiJsonAndRecordsTheRequest() throws Exception {
    assertThat(standIn.baseUrl()).startsWith("http://127.0.0.1:").endsWith("/v1");

    HttpResponse<String> response = post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("m");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("stand-in reply #1 to: hello there");
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage").path("total_tokens").asInt())
        .isEqualTo(
            body.path("usage").path("prompt_tokens").asInt()
                + body.path("usage").path("completion_tokens").asInt());

    RecordedRequest recorded = standIn.lastRequest();
    assertThat(recorded.messages())
        .containsExactly(PromptMessage.system("s"), PromptMessage.user("hello there"));
    assertThat(recorded.header("content-type")).isEqualTo("application/json");
  }

  @Test
  void followsTheScriptThenFallsBackToDefaultReplies() throws Exception {
    standIn.withUsage(11, 22).enqueueError(503, "{\"error\":{\"message\":\"busy\"}}").enqueueReply("scripted");

    assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(503);
    JsonNode second = JSON.readTree(post("/chat/completions", CHAT).body());
    JsonNode third = JSON.readTree(post("/v1/chat/completions", CHAT).body());

    assertThat(second.path("choices").get(0).path("message").path("content").asText()).isEqualTo("scripted");
    assertThat(second.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
    assertThat(second.path("usage").path("completion_tokens").asInt()).isEqualTo(22);
    assertThat(third.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("stand-in reply #3 to: hello there");
    assertThat(standIn.requests()).extracting(RecordedRequest::number).containsExactly(1, 2, 3);
  }

  @Test
  void withoutUsageOmitsTheField() throws Exception {
    standIn.withoutUsage();

    assertThat(JSON.readTree(post("/v1/chat/completions", CHAT).body()).has("usage")).isFalse();
  }

  @Test
  void holdsRequestsUntilReleased() throws Exception {
    standIn.holdRequests();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(postAsync("/v1/chat/completions", CHAT));
    }

    assertThat(standIn.awaitRequests(3, Duration.ofSeconds(10))).isTrue();
    Thread.sleep(200);
    assertThat(calls).noneMatch(CompletableFuture::isDone);
    assertThat(standIn.heldRequests()).isEqualTo(3);

    standIn.release();

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(standIn.heldRequests()).isZero();
    assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
  }

  @Test
  void closingFailsHeldRequestsAndFreesThePort() throws Exception {
    standIn.holdRequests();
    CompletableFuture<HttpResponse<String>> held = postAsync("/v1/chat/completions", CHAT);
    assertThat(standIn.awaitRequests(1, Duration.ofSeconds(10))).isTrue();

    standIn.close();

    assertThat(held)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOf(java.io.IOException.class);
  }

  static final String STREAMED =
      "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

  /** The wire format OpenAI streams in: chunk objects as SSE data lines, a usage chunk, [DONE]. */
  @Test
  void givenStreamTrue_whenAsked_itShouldStreamChunksThenUsageThenDone() throws Exception {
    standIn.withUsage(5, 6);

    HttpResponse<String> response = post("/v1/chat/completions", STREAMED);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
    List<String> data = dataLines(response.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = new ArrayList<>();
    for (String line : data.subList(0, data.size() - 1)) {
      chunks.add(JSON.readTree(line));
    }
    assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asText(""))));
    assertThat(text.toString()).isEqualTo("stand-in reply #1 to: hello there");
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
    assertThat(chunks.get(chunks.size() - 2).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(standIn.emissions()).extracting(OpenAiStandIn.Emission::text)
        .containsExactly("stand-in", " reply", " #1", " to:", " hello", " there");
  }

  @Test
  void givenScriptedToolCalls_whenStreamed_itShouldSendThemInIndexedFragments() throws Exception {
    standIn.enqueueToolCalls(new OpenAiStandIn.ScriptedCall("call_1", "weather", "{\"city\":\"Oslo\"}"));

    List<String> data = dataLines(post("/v1/chat/completions", STREAMED.replace(",\"stream_options\":{\"include_usage\":true}", "")).body());

    StringBuilder arguments = new StringBuilder();
    String name = null;
    for (String line : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(line);
      assertThat(chunk.has("usage")).as("no usage without include_usage").isFalse();
      for (JsonNode call : chunk.path("choices").get(0).path("delta").path("tool_calls")) {
        assertThat(call.path("index").asInt()).isZero();
        if (call.has("id")) {
          name = call.path("function").path("name").asText();
        }
        arguments.append(call.path("function").path("arguments").asText());
      }
    }
    assertThat(name).isEqualTo("weather");
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(data.get(data.size() - 2)).contains("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void givenAStreamHold_whenStreaming_itShouldStopMidAnswerUntilReleasedWhileOtherRequestsPass() throws Exception {
    standIn.enqueueStreamHold(2);
    HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(STREAMED)).build();
    HttpResponse<java.util.stream.Stream<String>> held = http.send(request, HttpResponse.BodyHandlers.ofLines());
    java.util.Iterator<String> lines = held.body().iterator();
    List<String> seen = new ArrayList<>();
    while (seen.stream().filter(l -> l.contains("\"content\"")).count() < 3) {
      seen.add(lines.next());
    }
    await(() -> standIn.heldRequests() == 1);
    assertThat(standIn.emissions()).extracting(OpenAiStandIn.Emission::text).containsExactly("stand-in", " reply");

    assertThat(post("/v1/chat/completions", STREAMED).statusCode()).as("a second request is not held").isEqualTo(200);
    standIn.release();

    StringBuilder rest = new StringBuilder();
    lines.forEachRemaining(rest::append);
    assertThat(rest.toString()).contains(" #1").endsWith("data: [DONE]");
  }

  @Test
  void givenAPace_whenStreaming_itShouldSpaceThePiecesOut() throws Exception {
    standIn.streamPace(Duration.ofMillis(100), Duration.ofMillis(40));

    post("/v1/chat/completions", STREAMED);

    List<OpenAiStandIn.Emission> pieces = standIn.emissions();
    assertThat(pieces).hasSize(6);
    for (int i = 1; i < pieces.size(); i++) {
      assertThat(pieces.get(i).nanos() - pieces.get(i - 1).nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(35));
    }
  }

  private static List<String> dataLines(String body) {
    List<String> data = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return data;
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void awaitRequestsGivesUpAfterTheTimeout() throws Exception {
    assertThat(standIn.awaitRequests(1, Duration.ofMillis(50))).isFalse();
  }

  @Test
  void rejectsUnknownPathsAndBodiesWithoutMessages() throws Exception {
    assertThat(post("/v1/embeddings", "{}").statusCode()).isEqualTo(404);
    assertThat(post("/v1/chat/completions", "not json").statusCode()).isEqualTo(400);
    assertThat(standIn.lastRequest().body()).isNull();
    assertThat(standIn.lastRequest().rawBody()).isEqualTo("not json");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return postAsync(path, body).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standIn.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}
