package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.saturn.api.identity.Requires;
import dev.saturn.app.e2e.HttpJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is the committed {@code docs/openapi.json}, describes every /v1
 * endpoint the application maps, and names properties as the API writes them.
 */
class OpenApiDocumentTest extends BootedApp {

  static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
  static final String REGENERATE = "./mvnw -B -q -pl app -am test -Dtest=OpenApiDocumentTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dsaturn.openapi.write=true";

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Test
  void givenTheApp_whenTheDocumentIsFetched_itShouldEqualTheCommittedCopy() throws IOException {
    HttpJson.Response served = http().get("/v3/api-docs", null);
    assertThat(served.status()).as("GET /v3/api-docs without credentials").isEqualTo(200);
    String document = canonical(served.body());

    if (Boolean.getBoolean("saturn.openapi.write")) {
      Files.writeString(COMMITTED, document, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
    assertThat(document)
        .withFailMessage(() -> "docs/openapi.json is out of date with the code. Differences:\n"
            + diff(committed, document) + "\nRegenerate it with:\n  " + REGENERATE)
        .isEqualTo(committed);
  }

  @Test
  void givenEveryV1Mapping_whenLookedUpInTheDocument_itShouldBeDescribed() {
    JsonNode paths = http().get("/v3/api-docs", null).body().path("paths");
    List<String> missing = new ArrayList<>();
    for (Endpoints.Endpoint endpoint : endpoints().all()) {
      JsonNode operation = paths.path(endpoint.pattern()).path(endpoint.method().toLowerCase(Locale.ROOT));
      if (operation.isMissingNode()) {
        missing.add(endpoint + " is not in the OpenAPI document");
      } else if (operation.path("summary").asText("").isBlank()) {
        missing.add(endpoint + " has no summary");
      } else if (!operation.path("responses").path("default").path("content").has("application/problem+json")
          && !declaresOpenAiErrors(endpoint, operation)) {
        missing.add(endpoint + " does not declare its problem+json errors");
      } else if (!endpoint.isOperatorOnly() && operation.has("security")
          // a public handler that checks a credential of its own (a channel's signed messages) declares none
          && !(endpoint.handler().hasMethodAnnotation(Requires.Public.class) && operation.path("security").isEmpty())) {
        missing.add(endpoint + " overrides the bearer requirement");
      }
    }
    assertThat(missing).isEmpty();
  }

  /** The OpenAI-compatible endpoints (and only they) declare OpenAI's error body instead. */
  private static boolean declaresOpenAiErrors(Endpoints.Endpoint endpoint, JsonNode operation) {
    return endpoint.handler().getBeanType().getPackageName().equals("dev.saturn.api.openai")
        && operation.path("responses").path("default").path("content").path("application/json").path("schema")
            .path("$ref").asText().equals("#/components/schemas/OpenAiError");
  }

  @Test
  void givenTheDocument_whenReadForSecurityAndErrors_itShouldDeclareBearerAuthAndTheProblemBody() {
    JsonNode document = http().get("/v3/api-docs", null).body();
    assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText()).isEqualTo("bearer");
    assertThat(document.path("security").findValuesAsText("bearer")).isNotNull();
    assertThat(document.path("security").toString()).contains("bearer");
    JsonNode problem = document.path("components").path("schemas").path("Problem").path("properties");
    assertThat(problem.has("code")).isTrue();
    assertThat(problem.has("request_id")).isTrue();
    assertThat(problem.has("field_errors")).isTrue();
    // Health and readiness take no credentials.
    assertThat(document.path("paths").path("/health").path("get").path("security").isArray()).isTrue();
    assertThat(document.path("paths").path("/health").path("get").path("security")).isEmpty();
    assertThat(status("/swagger-ui.html")).as("Swagger UI without credentials").isIn(200, 302);
    assertThat(status("/swagger-ui/index.html")).as("Swagger UI page").isEqualTo(200);
  }

  /** The document is generated with Jackson 2 names; what the API writes comes from Jackson 3. */
  @Test
  void givenRealResponses_whenComparedWithTheirSchemas_itShouldUseTheSameNames() {
    Fixture tenant = newFixture("oas-" + System.nanoTime());
    JsonNode document = http().get("/v3/api-docs", null).body();
    List<String> wrong = new ArrayList<>();
    document.path("components").path("schemas").fields().forEachRemaining(schema -> schema.getValue().path("properties")
        .fieldNames().forEachRemaining(name -> {
          if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            wrong.add(schema.getKey() + "." + name + " is not snake_case");
          }
        }));
    int compared = 0;
    for (Endpoints.Endpoint endpoint : endpoints().gets()) {
      if (!IdProviders.BY_VARIABLE.keySet().containsAll(endpoint.variables())) {
        continue;
      }
      HttpJson.Response response = http().get(endpoint.path(v -> IdProviders.BY_VARIABLE.get(v).apply(tenant)), tenant.apiKey());
      JsonNode schema = document.path("paths").path(endpoint.pattern()).path("get").path("responses").path("200")
          .path("content").path("*/*").path("schema");
      if (schema.isMissingNode()) {
        schema = document.path("paths").path(endpoint.pattern()).path("get").path("responses").path("200")
            .path("content").path("application/json").path("schema");
      }
      if (response.status() != 200 || schema.isMissingNode()) {
        continue;
      }
      compared++;
      compare(endpoint.toString(), response.body(), schema, document, wrong);
    }
    assertThat(compared).isPositive();
    assertThat(wrong).isEmpty();
  }

  private static void compare(String where, JsonNode value, JsonNode schema, JsonNode document, List<String> wrong) {
    if (schema.has("$ref")) {
      String name = schema.path("$ref").asText().replace("#/components/schemas/", "");
      schema = document.path("components").path("schemas").path(name);
    }
    if (value.isObject() && schema.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode property = schema.path("properties").path(field.getKey());
        if (property.isMissingNode()) {
          wrong.add(where + ": the response has " + field.getKey() + " which the schema does not declare");
        } else {
          compare(where + "." + field.getKey(), field.getValue(), property, document, wrong);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (JsonNode item : value) {
        compare(where + "[]", item, schema.path("items"), document, wrong);
      }
    }
  }

  private int status(String path) {
    try {
      HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sorted keys and fixed indentation, so the committed file diffs line by line. */
  static String canonical(JsonNode document) throws IOException {
    Object tree = JSON.treeToValue(document, Object.class);
    return JSON.writeValueAsString(sorted(tree)) + "\n";
  }

  @SuppressWarnings("unchecked")
  private static Object sorted(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put((String) k, sorted(v)));
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(OpenApiDocumentTest::sorted).toList();
    }
    return node;
  }

  /** The first differing lines, enough to see what changed without a diff tool. */
  static String diff(String expected, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    StringBuilder out = new StringBuilder();
    int shown = 0;
    int i = 0;
    int j = 0;
    while ((i < a.length || j < b.length) && shown < 40) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        i++;
        j++;
        continue;
      }
      // Resynchronise on the next line the two have in common.
      int nextI = -1;
      int nextJ = -1;
      search:
      for (int di = 0; di < 50; di++) {
        for (int dj = 0; dj < 50; dj++) {
          if (i + di < a.length && j + dj < b.length && a[i + di].equals(b[j + dj])) {
            nextI = i + di;
            nextJ = j + dj;
            break search;
          }
        }
      }
      int endI = nextI < 0 ? a.length : nextI;
      int endJ = nextJ < 0 ? b.length : nextJ;
      out.append("@@ committed line ").append(i + 1).append(", served line ").append(j + 1).append('\n');
      for (; i < endI; i++) {
        out.append("- ").append(a[i]).append('\n');
      }
      for (; j < endJ; j++) {
        out.append("+ ").append(b[j]).append('\n');
      }
      shown++;
    }
    return out.toString();
  }
}
