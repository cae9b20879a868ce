package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.HttpJson;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-company ceilings on what holds the server for long: chat requests waiting for their answer
 * and open event streams. Beyond the plan's ceiling a company gets 429 RATE_LIMITED with
 * Retry-After at once, and a freed slot is usable again.
 */
class CompanyCeilingsTest extends BootedApp {

  @AfterEach
  void releaseTheModel() {
    model().release();
  }

  @Test
  void givenAPlanOfOneWaitingChat_whenASecondChatArrivesWhileTheFirstWaits_itShouldBeRefusedUntilTheFirstEnds()
      throws Exception {
    Fixture tenant = newFixture("ceiling-chat-" + System.nanoTime());
    putOnPlan(tenant, "{\"concurrent_chat_requests\": 1}");
    HttpJson.Response agent = http().post("/v1/agents", tenant.apiKey(),
        Map.of("name", "slow", "config", Map.of("provider", "openai")));
    String chatPath = "/v1/agents/" + agent.text("id") + "/chat";
    int before = model().requests().size();
    model().holdRequests();

    CompletableFuture<HttpJson.Response> first =
        CompletableFuture.supplyAsync(() -> http().post(chatPath, tenant.apiKey(), Map.of("message", "first")));
    assertThat(model().awaitRequests(before + 1, Duration.ofSeconds(30))).as("the first turn reached the model").isTrue();

    HttpJson.Response second = http().post(chatPath, tenant.apiKey(), Map.of("message", "second"));
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.text("code")).isEqualTo("RATE_LIMITED");
    assertThat(second.header("Retry-After")).isEqualTo("1");
    assertThat(second.text("detail")).contains("chat requests");

    model().release();
    assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(http().post(chatPath, tenant.apiKey(), Map.of("message", "third")).status()).isEqualTo(200);
  }

  @Test
  void givenAPlanOfTwoStreams_whenAThirdIsOpened_itShouldBeRefusedUntilOneEnds() throws Exception {
    Fixture tenant = newFixture("ceiling-streams-" + System.nanoTime());
    putOnPlan(tenant, "{\"concurrent_event_streams\": 2}");
    // The turn waiting for an approval keeps its stream open.
    String events = baseUrl() + "/v1/turns/" + tenant.approvalTurnId() + "/events";
    HttpClient client = HttpClient.newHttpClient();
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<InputStream> stream = client.send(streamRequest(events, tenant.apiKey()), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      open.add(stream);
    }
    HttpResponse<String> third = client.send(streamRequest(events, tenant.apiKey()), HttpResponse.BodyHandlers.ofString());
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.body()).contains("RATE_LIMITED").contains("event streams");
    // A streamed chat is an open stream too: refused before a turn is recorded.
    long turnsBefore = countTurns(tenant);
    HttpResponse<String> streamedChat = client.send(HttpRequest.newBuilder(
            URI.create(baseUrl() + "/v1/agents/" + tenant.agentId() + "/chat"))
        .header("Authorization", "Bearer " + tenant.apiKey())
        .header("Accept", "text/event-stream")
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"stream me\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(streamedChat.statusCode()).isEqualTo(429);
    assertThat(streamedChat.body()).contains("event streams");
    assertThat(countTurns(tenant)).isEqualTo(turnsBefore);

    // Deciding the approval lets the turn finish; its streams end, and so do their slots.
    HttpJson.Response decided = http().post("/v1/turns/" + tenant.approvalTurnId() + "/approvals/" + tenant.callId(),
        tenant.apiKey(), Map.of("decision", "approve"));
    assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);
    for (HttpResponse<InputStream> stream : open) {
      String received = new String(readToEnd(stream.body()), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(received).contains("event:turn.completed");
    }
    HttpResponse<String> again = client.send(streamRequest(events, tenant.apiKey()), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as("a stream slot is free again: %s", again.body()).isEqualTo(200);
  }

  private static long countTurns(Fixture tenant) {
    return ((Number) sql().fetchValue("SELECT COUNT(*) FROM turns WHERE company_id = ?", tenant.companyId())).longValue();
  }

  private static byte[] readToEnd(InputStream body) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try (body) {
        return body.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(60, TimeUnit.SECONDS);
  }

  private static HttpRequest streamRequest(String url, String key) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + key)
        .header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
  }
}
