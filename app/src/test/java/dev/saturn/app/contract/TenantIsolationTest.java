package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.e2e.HttpJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * For every /v1 endpoint the application maps (read from its handler mappings, so a new endpoint is
 * covered the day it is added): company B calling with company A's ids gets exactly what an id that
 * does not exist gets, and nothing B can read shows any of A's ids. Operator-only endpoints
 * (companies, plans) belong to no company and refuse every company credential, so they are not
 * part of this.
 */
class TenantIsolationTest extends BootedApp {

  /** Bodies that pass validation, so a write reaches the id lookup; anything not listed sends {@code {}}. */
  static final Map<String, String> VALID_BODIES = Map.of(
      "POST /v1/agents/{agentId}/chat", "{\"message\": \"hi\"}",
      "PATCH /v1/agents/{agentId}", "{\"name\": \"renamed\"}",
      "PATCH /v1/tools/{toolId}", "{\"description\": \"changed\"}",
      "PATCH /v1/users/{userId}", "{\"role\": \"viewer\"}",
      "PATCH /v1/mcp-servers/{serverId}", "{\"name\": \"renamed\"}",
      "PATCH /v1/webhooks/{webhookId}", "{\"description\": \"changed\"}",
      "POST /v1/turns/{turnId}/approvals/{callId}", "{\"decision\": \"approve\"}");

  Fixture a;
  Fixture b;

  @BeforeEach
  void twoCompanies() {
    a = newFixture("iso-a-" + System.nanoTime());
    b = newFixture("iso-b-" + System.nanoTime());
  }

  @Test
  void givenEveryEndpoint_whenScanned_itShouldHaveAnIdProviderForEachPathVariable() {
    assertThat(endpoints().all()).as("discovered /v1 endpoints").isNotEmpty();
    assertThat(endpoints().unknownVariables()).as("path variables without an id provider").isEmpty();
  }

  @Test
  void givenAnotherCompanysIds_whenCallingEveryEndpointWithAnId_itShouldAnswerLikeAMissingId() {
    List<String> failures = new ArrayList<>();
    for (Endpoints.Endpoint endpoint : endpoints().withVariables()) {
      if (endpoint.isOperatorOnly()) {
        continue; // the operator acts for no company; company credentials are refused there (PathVariantsTest)
      }
      if (endpoint.variables().stream().anyMatch(v -> !IdProviders.BY_VARIABLE.containsKey(v))) {
        endpoint.variables().stream().filter(v -> !IdProviders.BY_VARIABLE.containsKey(v))
            .forEach(v -> failures.add(endpoint.missingProvider(v)));
        continue;
      }
      if (IdProviders.OWN_NAMES.containsAll(endpoint.variables())) {
        // B naming "ollama" reaches B's own settings: nothing of A's may show in what B gets.
        String path = endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(a));
        String body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE")
            ? null : VALID_BODIES.getOrDefault(endpoint.toString(), "{}");
        leaks(endpoint + " as company B with A's names", http().send(endpoint.method(), path, b.apiKey(), body, Map.of())
            .raw().body(), Set.of(), failures);
        continue;
      }
      Map<String, String> foreignValues = new HashMap<>();
      Map<String, String> missingValues = new HashMap<>();
      for (String variable : endpoint.variables()) {
        String value = IdProviders.BY_VARIABLE.get(variable).apply(a);
        foreignValues.put(variable, value);
        missingValues.put(variable, IdProviders.missingLike(value));
      }
      String body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE")
          ? null : VALID_BODIES.getOrDefault(endpoint.toString(), "{}");
      HttpJson.Response foreign = http().send(endpoint.method(), endpoint.path(foreignValues::get), b.apiKey(), body, Map.of());
      HttpJson.Response missing = http().send(endpoint.method(), endpoint.path(missingValues::get), b.apiKey(), body, Map.of());

      String shapeOfForeign = normalised(foreign.body(), foreignValues);
      String shapeOfMissing = normalised(missing.body(), missingValues);
      if (foreign.status() != missing.status() || !shapeOfForeign.equals(shapeOfMissing)) {
        failures.add(endpoint + " with company A's ids answered " + foreign.status() + " " + shapeOfForeign
            + " but a missing id answers " + missing.status() + " " + shapeOfMissing);
      } else if (endpoint.method().equals("GET") && (foreign.status() != 404 || !"NOT_FOUND".equals(foreign.errorCode()))) {
        failures.add(endpoint + " with company A's ids answered " + foreign.status() + " " + foreign.body()
            + ", expected 404 NOT_FOUND");
      } else if (foreign.status() < 400) {
        failures.add(endpoint + " with company A's ids succeeded: " + foreign.status() + " " + foreign.body());
      }
      leaks(endpoint + " as company B with A's ids", foreign.raw().body(), Set.copyOf(foreignValues.values()), failures);
    }
    // A's own ids still work for A (so the 404s above were about the tenant, not bad fixtures),
    // and B's writes above changed nothing of A's.
    for (Endpoints.Endpoint endpoint : endpoints().withVariables()) {
      if (endpoint.isOperatorOnly()) {
        continue; // the operator acts for no company; company credentials are refused there (PathVariantsTest)
      }
      if (endpoint.method().equals("GET") && IdProviders.BY_VARIABLE.keySet().containsAll(endpoint.variables())) {
        HttpJson.Response own = http().get(endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(a)), a.apiKey());
        if (own.status() != 200) {
          failures.add(endpoint + " with company A's own ids answered " + own.status() + " " + own.body());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void givenTwoCompanies_whenTheSecondReadsAnyEndpoint_itShouldSeeNoneOfTheFirstsRows() {
    List<String> failures = new ArrayList<>();
    int lists = 0;
    for (Endpoints.Endpoint endpoint : endpoints().gets()) {
      if (endpoint.isOperatorOnly()) {
        continue; // the operator acts for no company; company credentials are refused there (PathVariantsTest)
      }
      if (!IdProviders.BY_VARIABLE.keySet().containsAll(endpoint.variables())) {
        endpoint.variables().stream().filter(v -> !IdProviders.BY_VARIABLE.containsKey(v))
            .forEach(v -> failures.add(endpoint.missingProvider(v)));
        continue;
      }
      String path = endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(b));
      if (endpoint.queryParameters().contains("limit")) {
        path += "?limit=200";
      }
      HttpJson.Response own = http().get(path, b.apiKey());
      if (own.status() != 200) {
        failures.add(endpoint + " as company B on its own ids answered " + own.status() + " " + own.body());
        continue;
      }
      if (own.body().has("items")) {
        lists++;
        if (own.body().path("items").isEmpty()) {
          failures.add(endpoint + " listed nothing for company B, which has rows: the check would prove nothing");
        }
      }
      leaks(endpoint + " as company B", own.raw().body(), Set.of(), failures);
    }
    assertThat(lists).as("list endpoints found").isPositive();
    assertThat(failures).isEmpty();
  }

  /**
   * {@code echoed}: ids the request itself sent, which a problem may repeat in its detail and
   * instance (also inside a prefixed id such as {@code resp_<turn id>}).
   */
  private void leaks(String what, String body, Set<String> echoed, List<String> failures) {
    for (String secret : a.secretsAndIds()) {
      if (echoed.stream().noneMatch(sent -> sent.contains(secret)) && body.contains(secret)) {
        failures.add(what + " showed company A's " + secret);
      }
    }
  }

  /** The body with the ids that were sent replaced by their variable names, keys sorted. */
  private static String normalised(JsonNode body, Map<String, String> sent) {
    if (body == null || !body.isObject()) {
      return String.valueOf(body);
    }
    Set<String> parts = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("request_id")) {
        parts.add("request_id=<any>");
        continue;
      }
      String value = field.getValue().toString();
      for (Map.Entry<String, String> id : sent.entrySet()) {
        // Whole tokens only: a version "1" must not rewrite the "1" of "/v1/".
        value = value.replaceAll(
            "(?<![A-Za-z0-9-])" + Pattern.quote(id.getValue()) + "(?![A-Za-z0-9-])",
            Matcher.quoteReplacement("{" + id.getKey() + "}"));
      }
      parts.add(field.getKey() + "=" + value);
    }
    return parts.toString();
  }
}
