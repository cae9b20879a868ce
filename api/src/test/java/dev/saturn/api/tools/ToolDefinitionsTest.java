package dev.saturn.api.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ToolDefinitionsTest {

  final JsonMapper json = JsonMapper.builder().build();
  final ToolDefinitions definitions = new ToolDefinitions(new ParameterSchemas(), json, new SsrfGuard("127.0.0.1:8089", host -> {
    throw new AssertionError("tool registration never asks DNS: " + host);
  }));

  JsonNode schema(String text) {
    return json.readTree(text);
  }

  ToolRequests.CreateTool tool(String url, JsonNode parameters) {
    return new ToolRequests.CreateTool("get_weather", "Weather for a city", "GET", url, Map.of(), parameters, null, null, null, null);
  }

  List<FieldError> errors(ToolRequests.CreateTool tool) {
    try {
      definitions.validate(tool, Map.of());
      return List.of();
    } catch (ApiException e) {
      return e.fieldErrors();
    }
  }

  @Test
  void givenValidTool_whenValidated_itShouldFillDefaults() {
    ValidTool valid = definitions.validate(
        tool("https://api.example.test/weather/{city}?units={units}",
            schema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"units\":{\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\"]}")),
        Map.of());
    assertThat(valid.timeoutMs()).isEqualTo(10_000);
    assertThat(valid.requiresApproval()).isFalse();
    assertThat(valid.approvalTimeoutSeconds()).isNull();
  }

  @Test
  void givenMisspeltType_whenValidated_itShouldNameTheSchemaField() {
    List<FieldError> errors = errors(tool("https://x.test/", schema("{\"type\": \"strnig\"}")));
    assertThat(errors).extracting(FieldError::field).containsExactly("parameters.type");
  }

  @Test
  void givenNestedSchemaError_whenValidated_itShouldGiveItsPath() {
    List<FieldError> errors = errors(tool("https://x.test/",
        schema("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":\"three\"}}}")));
    assertThat(errors).extracting(FieldError::field).containsExactly("parameters.properties.n.minimum");
  }

  @Test
  void givenNonObjectSchema_whenValidated_itShouldBeRefused() {
    assertThat(errors(tool("https://x.test/", schema("{\"type\":\"string\"}"))))
        .extracting(FieldError::field).containsExactly("parameters.type");
    assertThat(errors(tool("https://x.test/", schema("[1]"))))
        .extracting(FieldError::field).containsExactly("parameters");
    assertThat(errors(tool("https://x.test/", schema("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}"))))
        .extracting(FieldError::field).containsExactly("parameters.$schema");
  }

  @Test
  void givenAUrlAtANonPublicAddress_whenValidated_itShouldBeRefusedUnlessTheOperatorAllowsIt() {
    JsonNode parameters = schema("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}");

    List<FieldError> metadata = errors(tool("http://169.254.169.254/latest/{q}", parameters));
    List<FieldError> loopback = errors(tool("http://127.0.0.1:8090/lookup?q={q}", parameters));

    assertThat(metadata).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("url");
      assertThat(e.message()).contains("link-local").contains("SATURN_OUTBOUND_ALLOWED_HOSTS");
    });
    assertThat(loopback).extracting(FieldError::field).containsExactly("url");
    assertThat(errors(tool("http://127.0.0.1:8089/lookup?q={q}", parameters))).as("allowlisted").isEmpty();
    assertThat(errors(tool("https://tools.example.test/lookup?q={q}", parameters))).as("a name, checked at every call").isEmpty();
  }

  @Test
  void givenRemoteRef_whenValidated_itShouldNotFetchIt() {
    List<FieldError> errors = errors(tool("https://x.test/",
        schema("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/evil.json\"}}}")));
    assertThat(errors).extracting(FieldError::field).containsExactly("parameters.properties.a.$ref");
    assertThat(errors(tool("https://x.test/", schema(
        "{\"type\":\"object\",\"$defs\":{\"c\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/c\"}}}"))))
        .isEmpty();
  }

  @Test
  void givenPatternsTheLinearEngineCannotRun_whenValidated_itShouldNameEachAndSayWhy() {
    List<FieldError> errors = errors(tool("https://x.test/", schema("{\"type\":\"object\",\"properties\":{"
        + "\"pw\":{\"type\":\"string\",\"pattern\":\"^(?=.*\\\\d).{8,}$\"},"
        + "\"pattern\":{\"type\":\"string\"},"
        + "\"list\":{\"type\":\"array\",\"items\":{\"pattern\":\"(a)\\\\1\"}}},"
        + "\"patternProperties\":{\"((x{100}){100}){100}\":{}}}")));

    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
        "parameters.properties.pw.pattern", "parameters.properties.list.items.pattern",
        "parameters.patternProperties.((x{100}){100}){100}");
    assertThat(errors).extracting(FieldError::message)
        .anySatisfy(m -> assertThat(m).contains("lookaround"))
        .anySatisfy(m -> assertThat(m).contains("too large"));
  }

  @Test
  void givenCommonPatterns_whenValidated_itShouldAcceptThem() {
    assertThat(errors(tool("https://x.test/", schema("{\"type\":\"object\",\"properties\":{"
        + "\"slug\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9-]+$\"},"
        + "\"day\":{\"type\":\"string\",\"pattern\":\"\\\\d{4}-\\\\d{2}-\\\\d{2}\"}},"
        + "\"patternProperties\":{\"^x-\":{\"type\":\"string\"}}}")))).isEmpty();
  }

  @Test
  void givenASchemaWhosePatternMeetsItsOwnLongText_whenValidated_itShouldNotBacktrack() {
    // The API compiles a schema by validating it against itself: its own pattern meets its own text.
    String nearMiss = "a".repeat(60_000) + "b";
    ToolRequests.CreateTool tool = tool("https://x.test/", schema("{\"type\":\"object\",\"properties\":{"
        + "\"description\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}},\"description\":\"" + nearMiss + "\"}"));
    for (int i = 0; i < 3; i++) {
      errors(tool); // warm-up: the JIT, not the algorithm, is slow at first
    }

    long millis = Long.MAX_VALUE;
    List<FieldError> errors = null;
    for (int i = 0; i < 3; i++) { // best of three in this thread's CPU time: a busy machine should not fail a linear algorithm
      long started = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      errors = errors(tool);
      millis = Math.min(millis, (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - started) / 1_000_000);
    }

    assertThat(errors).isEmpty();
    assertThat(millis).isLessThan(100);
  }

  @Test
  void givenBadUrls_whenValidated_itShouldReportUrl() {
    JsonNode city = schema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
    for (String url : List.of(
        "ftp://x.test/", "/relative/{city}", "https://x.test/{town}", "https://{city}.x.test/",
        "https://x.test:{city}/", "https://x.test/{city", "https://user:pw@x.test/", "not a url {city}",
        "https://x.test/a/../{city}", "https://x.test/./{city}", "https://x.test/%2e%2E/{city}")) {
      assertThat(errors(tool(url, city))).as(url).extracting(FieldError::field).containsExactly("url");
    }
    assertThat(errors(tool("https://x.test/a/../{city}", city))).extracting(FieldError::message)
        .containsExactly("must not have '.' or '..' path segments");
    assertThat(errors(tool("https://x.test/v1.2/{city}/..x?q=..", city))).isEmpty();
  }

  @Test
  void givenHeaders_whenValidated_itShouldAcceptStringsAndSecretsOnly() {
    ToolRequests.CreateTool withHeaders = new ToolRequests.CreateTool("t", "d", "POST", "https://x.test/", Map.of(
        "Accept", json.readTree("\"application/json\""),
        "X-Api-Key", json.readTree("{\"secret\":\"s3cr3t\"}"),
        "X-Keep", json.readTree("{\"secret\":true}"),
        "Host", json.readTree("\"evil\""),
        "X-Number", json.readTree("5")), null, null, null, null, null);
    assertThat(errors(withHeaders)).extracting(FieldError::field)
        .containsExactly("headers.Host", "headers.X-Keep", "headers.X-Number");
  }

  @Test
  void givenBadScalars_whenValidated_itShouldListThemAll() {
    ToolRequests.CreateTool bad = new ToolRequests.CreateTool(
        "Get Weather", null, "FETCH", "https://x.test/", null, null, 0, true, "soon", null);
    assertThatThrownBy(() -> definitions.validate(bad, Map.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fieldErrors()).extracting(FieldError::field)
            .containsExactly("approval_timeout", "description", "method", "name", "timeout_ms"));
  }
}
