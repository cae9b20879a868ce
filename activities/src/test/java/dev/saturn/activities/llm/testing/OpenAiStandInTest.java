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
