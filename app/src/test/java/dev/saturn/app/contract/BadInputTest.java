package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.workflows.common.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on every /v1 endpoint the application maps: a registry problem (problem+json with
 * {@code code} and {@code request_id}, the code's status; OpenAI's error body on the
 * OpenAI-compatible endpoints), never a 500, and nothing created.
 */
class BadInputTest extends BootedApp {

  /** The configured default of saturn.api.max-body-bytes. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  static final ObjectMapper JSON = new ObjectMapper();

  Fixture tenant;

  @BeforeEach
  void company() {
    tenant = newFixture("bad-" + System.nanoTime());
  }

  @Test
  void givenBadBodies_whenSentToEveryWriteEndpoint_itShouldAnswerARegistryProblemAndCreateNothing() throws Exception {
    String huge = "{\"name\": \"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("malformed JSON", "{\"name\": ");
    bodies.put("an array", "[1, 2]");
    bodies.put("a number", "42");
    bodies.put("a string", "\"text\"");
    bodies.put("an unknown field", "{\"no_such_field_zz\": 1}");
    bodies.put("wrong member types", "{\"name\": 5, \"message\": [], \"config\": \"x\", \"owner\": 1}");

    Map<String, Integer> before = snapshot();
    List<String> failures = new ArrayList<>();
    for (Endpoints.Endpoint endpoint : endpoints().writes()) {
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.containsKey(v) ? IdProviders.BY_VARIABLE.get(v).apply(tenant) : null);
      String token = endpoint.isOperatorOnly() ? ADMIN : tenant.apiKey();
      if (endpoint.readsBody()) {
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
          HttpJson.Response response = http().send(endpoint.method(), path, token, bad.getValue(), Map.of());
          check(endpoint + " with " + bad.getKey(), response, ErrorCode.VALIDATION_FAILED, failures);
          if (bad.getKey().equals("an unknown field") && response.status() == 400
              && !response.errorFields().contains("no_such_field_zz")) {
            failures.add(endpoint + " with an unknown field did not name it: " + response.body());
          }
        }
        check(endpoint + " with a chunked body over the limit", chunked(endpoint.method(), path, token, huge),
            ErrorCode.PAYLOAD_TOO_LARGE, failures);
      }
      check(endpoint + " with a body over the limit", http().send(endpoint.method(), path, token, huge, Map.of()),
          ErrorCode.PAYLOAD_TOO_LARGE, failures);
    }
    assertThat(failures).isEmpty();
    assertThat(snapshot()).as("list sizes after the bad requests").isEqualTo(before);

    // Missing fields: whatever is required must be reported as a registry problem; an endpoint
    // whose fields are all optional may accept it (so this runs after the count).
    for (Endpoints.Endpoint endpoint : endpoints().writes()) {
      if (endpoint.readsBody()) {
        String path = endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(tenant));
        String token = endpoint.isOperatorOnly() ? ADMIN : tenant.apiKey();
        check(endpoint + " with no fields", http().send(endpoint.method(), path, token, "{}", Map.of()), null, failures);
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * JSON scalars are strict on every endpoint: a number or a boolean where the body's record has a
   * string is refused (naming the field), never turned into "12345" or "true".
   */
  @Test
  void givenANumberOrBooleanWhereAStringIsExpected_whenSentToEveryWriteEndpoint_itShouldAnswerValidationFailedNamingIt() {
    Map<String, Integer> before = snapshot();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Endpoints.Endpoint endpoint : endpoints().writes()) {
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(tenant));
      String token = endpoint.isOperatorOnly() ? ADMIN : tenant.apiKey();
      for (String field : endpoint.stringBodyFields()) {
        for (String scalar : List.of("12345", "true", "1.5")) {
          checked++;
          HttpJson.Response response = http().send(endpoint.method(), path, token, "{\"" + field + "\": " + scalar + "}", Map.of());
          check(endpoint + " with " + field + "=" + scalar, response, ErrorCode.VALIDATION_FAILED, failures);
          if (response.status() == 400 && !response.errorFields().contains(field)) {
            failures.add(endpoint + " with " + field + "=" + scalar + " did not name the field: " + response.body());
          }
        }
      }
    }
    assertThat(checked).as("string fields checked").isGreaterThan(20);
    assertThat(failures).isEmpty();
    assertThat(snapshot()).as("list sizes after the bad requests").isEqualTo(before);
  }

  @Test
  void givenUnknownQueryParameters_whenSentToEveryEndpoint_itShouldAnswerValidationFailedNamingThem() {
    List<String> failures = new ArrayList<>();
    for (Endpoints.Endpoint endpoint : endpoints().all()) {
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.containsKey(v) ? IdProviders.BY_VARIABLE.get(v).apply(tenant) : null);
      String token = endpoint.isOperatorOnly() ? ADMIN : tenant.apiKey();
      String body = endpoint.readsBody() ? "{}" : null;
      HttpJson.Response response = http().send(endpoint.method(), path + "?limt=5&zz_unknown=", token, body, Map.of());
      check(endpoint + " with unknown query parameters", response, ErrorCode.VALIDATION_FAILED, failures);
      List<String> named = response.errorFields();
      if (!named.containsAll(List.of("limt", "zz_unknown"))) {
        failures.add(endpoint + " did not name both unknown parameters: " + response.body());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void givenBadPaginationParameters_whenSentToEveryList_itShouldAnswerValidationFailed() {
    List<String> failures = new ArrayList<>();
    int lists = 0;
    for (Endpoints.Endpoint endpoint : endpoints().gets()) {
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.containsKey(v) ? IdProviders.BY_VARIABLE.get(v).apply(tenant) : null);
      List<String> queries = new ArrayList<>();
      if (endpoint.queryParameters().contains("limit")) {
        queries.addAll(List.of("limit=201", "limit=0", "limit=-1", "limit=abc", "limit=99999999999"));
      }
      if (endpoint.queryParameters().contains("cursor")) {
        lists++;
        queries.addAll(List.of("cursor=bm90LWEtY3Vyc29y", "cursor=%25%25%25", "cursor=" + "A".repeat(4000)));
      }
      for (String query : queries) {
        HttpJson.Response response = http().get(path + "?" + query, endpoint.isOperatorOnly() ? ADMIN : tenant.apiKey());
        check(endpoint + "?" + query, response, ErrorCode.VALIDATION_FAILED, failures);
        String parameter = query.substring(0, query.indexOf('='));
        if (response.status() == 400 && !response.errorFields().contains(parameter)) {
          failures.add(endpoint + "?" + query + " did not name " + parameter + ": " + response.body());
        }
      }
    }
    assertThat(lists).as("paginated lists found").isPositive();
    assertThat(failures).isEmpty();
  }

  /**
   * {@code expected} null: any success, or any registry problem; never a 5xx. Otherwise exactly
   * that code with its status. A registry problem is RFC 7807 with the request id, or on the
   * OpenAI-compatible endpoints OpenAI's error body with the request id in {@code X-Request-Id}.
   */
  private static void check(String what, HttpJson.Response response, ErrorCode expected, List<String> failures) {
    if (response.status() >= 500) {
      failures.add(what + " answered " + response.status() + " " + response.body());
      return;
    }
    if (expected == null && response.status() < 400) {
      return;
    }
    String code = response.errorCode();
    boolean registered = code != null && Arrays.stream(ErrorCode.values()).anyMatch(c -> c.name().equals(code)
        && c.httpStatus() == response.status());
    String type = response.header("Content-Type");
    boolean problem = type != null && type.startsWith("application/problem+json")
        && response.text("request_id") != null && !response.text("request_id").isBlank();
    boolean openAi = response.isOpenAiError() && response.header("X-Request-Id") != null;
    if (!registered || !(problem || openAi)) {
      failures.add(what + " answered " + response.status() + " " + type + " " + response.body() + ": not a registry problem");
    } else if (expected != null && !expected.name().equals(code)) {
      failures.add(what + " answered " + code + ", expected " + expected);
    }
  }

  /** The size of every list the tenant can read (GET endpoints whose answer has items), by endpoint. */
  private Map<String, Integer> snapshot() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (Endpoints.Endpoint endpoint : endpoints().gets()) {
      if (!IdProviders.BY_VARIABLE.keySet().containsAll(endpoint.variables())) {
        continue;
      }
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(tenant))
          + (endpoint.queryParameters().contains("limit") ? "?limit=200" : "");
      JsonNode body = http().get(path, tenant.apiKey()).body();
      if (body.has("items")) {
        sizes.put(endpoint.toString(), body.path("items").size());
      }
    }
    return sizes;
  }

  /** Java's client sends a body of unknown length chunked: the cap must hold while reading too. */
  private HttpJson.Response chunked(String method, String path, String token, String body) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    return new HttpJson.Response(response.statusCode(), json, response);
  }
}
