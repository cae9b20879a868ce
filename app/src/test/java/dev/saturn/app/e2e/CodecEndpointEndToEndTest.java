package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.app.e2e.TestApp.Tenant;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The payload codec in the running application (embedded Temporal, key generated into the data
 * dir) and its endpoint for the Temporal UI and CLI: a turn's history holds no message in plain
 * text, the endpoint turns it back with the operator token only, and the browser's CORS preflight
 * from the UI's origin is answered for the codec paths and nothing else.
 */
class CodecEndpointEndToEndTest extends BootedSaturn {

  @Autowired WorkflowClient temporal;

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String unb64(JsonNode node) {
    return new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8);
  }

  static Map<String, Object> payloads(Map<?, ?>... payloads) {
    return Map.of("payloads", List.of(payloads));
  }

  @Test
  void givenAChatTurn_whenItsHistoryIsRead_itShouldHoldNoMessageButTheEndpointShouldDecodeIt() throws Exception {
    Tenant tenant = newCompany("codec-" + System.nanoTime());
    String agent = TestApp.newAgent(http(), tenant, Map.of());
    String message = "my IBAN is DE02 1203 0000 0000 2020 51, codec-e2e";
    HttpJson.Response reply = http().post("/v1/agents/" + agent + "/chat", tenant.apiKey(), Map.of("message", message));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    String workflowId = (String) DATABASE.dsl().fetchValue(
        "SELECT workflow_id FROM turns WHERE company_id = ? AND id = ?", tenant.companyId(), reply.text("turn_id"));

    WorkflowExecutionHistory history = temporal.fetchHistory(workflowId);
    JsonNode json = new ObjectMapper().readTree(history.toJson(false));
    List<JsonNode> data = json.findValues("data");
    StringBuilder decodedData = new StringBuilder();
    data.forEach(d -> decodedData.append(unb64(d)).append('\n'));
    assertThat(history.toJson(false)).doesNotContain("DE02 1203").contains("YmluYXJ5L2VuY3J5cHRlZA=="); // binary/encrypted
    assertThat(decodedData).doesNotContain("DE02 1203", "codec-e2e");

    JsonNode input = json.path("events").path(0).path("workflowExecutionStartedEventAttributes").path("input");
    HttpJson.Response decoded = http().post("/v1/codec/decode", ADMIN, Map.of("payloads", input.path("payloads")),
        Map.of("X-Namespace", "default"));
    assertThat(decoded.status()).as(decoded.body().toString()).isEqualTo(200);
    assertThat(unb64(decoded.body().path("payloads").path(0).path("metadata").path("encoding"))).isEqualTo("json/plain");
    assertThat(unb64(decoded.body().path("payloads").path(0).path("data"))).contains(message);
  }

  @Test
  void givenAPlainPayload_whenEncodedThenDecoded_itShouldComeBackAsItWas() {
    Map<String, Object> plain = Map.of("metadata", Map.of("encoding", b64("json/plain")), "data", b64("\"hello from the UI\""));

    HttpJson.Response encoded = http().post("/v1/codec/encode", ADMIN, payloads(plain));
    assertThat(encoded.status()).as(encoded.body().toString()).isEqualTo(200);
    JsonNode sealed = encoded.body().path("payloads").path(0);
    assertThat(unb64(sealed.path("metadata").path("encoding"))).isEqualTo("binary/encrypted");
    assertThat(unb64(sealed.path("metadata").path("encryption-key-id"))).startsWith("local-");
    assertThat(unb64(sealed.path("data"))).doesNotContain("hello");

    HttpJson.Response decoded = http().post("/v1/codec/decode", ADMIN, Map.of("payloads", List.of(sealed)));
    assertThat(decoded.status()).isEqualTo(200);
    assertThat(decoded.body().path("payloads").path(0).path("data").asText()).isEqualTo(b64("\"hello from the UI\""));
    assertThat(unb64(decoded.body().path("payloads").path(0).path("metadata").path("encoding"))).isEqualTo("json/plain");
  }

  @Test
  void givenCallersOtherThanTheOperator_whenTheyCallTheCodec_theyShouldBeRefused() {
    Tenant tenant = newCompany("codec-auth-" + System.nanoTime());
    Map<String, Object> body = payloads(Map.of("data", b64("x")));

    HttpJson.Response anonymous = http().post("/v1/codec/decode", null, body, Map.of("Origin", UI_ORIGIN));
    assertThat(anonymous.status()).isEqualTo(401);
    assertProblem(anonymous, "AUTH_INVALID");
    HttpJson.Response owner = http().post("/v1/codec/decode", tenant.apiKey(), body);
    assertThat(owner.status()).isEqualTo(403);
    assertProblem(owner, "AUTH_FORBIDDEN");
    HttpJson.Response encode = http().post("/v1/codec/encode", tenant.apiKey(), body);
    assertThat(encode.status()).isEqualTo(403);
    assertProblem(encode, "AUTH_FORBIDDEN");
    assertThat(encode.body().path("payloads").isMissingNode()).as("nothing encoded for them").isTrue();
  }

  private static void assertProblem(HttpJson.Response response, String code) {
    assertThat(response.header("Content-Type")).as(response.body().toString()).startsWith("application/problem+json");
    assertThat(response.text("code")).isEqualTo(code);
    assertThat(response.text("request_id")).isNotBlank();
    assertThat(response.body().path("status").asInt()).isEqualTo(response.status());
  }

  @Test
  void givenPayloadsTheCodecCannotRead_whenDecoded_itShouldAnswer400SayingWhy() {
    HttpJson.Response notBase64 = http().post("/v1/codec/decode", ADMIN, payloads(Map.of("data", "%%%")));
    assertThat(notBase64.status()).isEqualTo(400);
    assertThat(notBase64.body().path("field_errors").path(0).path("field").asText()).isEqualTo("payloads[0].data");

    Map<String, Object> foreignKey = Map.of("metadata",
        Map.of("encoding", b64("binary/encrypted"), "encryption-key-id", b64("retired-2019")), "data", b64("0123456789abcdef"));
    HttpJson.Response unknownKey = http().post("/v1/codec/decode", ADMIN, payloads(foreignKey));
    assertThat(unknownKey.status()).isEqualTo(400);
    assertThat(unknownKey.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(unknownKey.text("detail")).contains("codec key 'retired-2019'");

    assertThat(http().post("/v1/codec/decode", ADMIN, Map.of()).status()).isEqualTo(400);
  }

  @Test
  void givenTheUiOrigin_whenTheBrowserSendsAPreflight_theCodecPathsShouldAllowItAndNothingElse() {
    Map<String, String> preflight = Map.of("Origin", UI_ORIGIN, "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization,content-type,x-namespace");

    HttpJson.Response codec = http().send("OPTIONS", "/v1/codec/decode", null, null, preflight);
    assertThat(codec.status()).isEqualTo(200);
    assertThat(codec.header("Access-Control-Allow-Origin")).isEqualTo(UI_ORIGIN);
    assertThat(codec.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(codec.header("Access-Control-Allow-Headers").toLowerCase())
        .contains("authorization", "content-type", "x-namespace");
    assertThat(codec.header("Access-Control-Allow-Methods")).contains("POST");

    HttpJson.Response otherOrigin = http().send("OPTIONS", "/v1/codec/decode", null, null,
        Map.of("Origin", "https://evil.test", "Access-Control-Request-Method", "POST"));
    assertThat(otherOrigin.status()).isEqualTo(403);
    assertThat(otherOrigin.header("Access-Control-Allow-Origin")).isNull();
    assertProblem(otherOrigin, "AUTH_FORBIDDEN");
    assertThat(otherOrigin.text("detail")).contains("https://evil.test");
    HttpJson.Response otherOriginCall = http().post("/v1/codec/decode", ADMIN, payloads(Map.of("data", b64("\"x\""))),
        Map.of("Origin", "https://evil.test"));
    assertThat(otherOriginCall.status()).as("the operator's token from a page of another origin").isEqualTo(403);
    assertProblem(otherOriginCall, "AUTH_FORBIDDEN");

    HttpJson.Response api = http().send("OPTIONS", "/v1/agents", null, null, preflight);
    assertThat(api.status()).as("an anonymous preflight anywhere else").isEqualTo(401);
    assertThat(api.header("Access-Control-Allow-Origin")).isNull();

    HttpJson.Response actual = http().post("/v1/codec/encode", ADMIN,
        payloads(Map.of("data", b64("\"x\""))), Map.of("Origin", UI_ORIGIN));
    assertThat(actual.status()).isEqualTo(200);
    assertThat(actual.header("Access-Control-Allow-Origin")).isEqualTo(UI_ORIGIN);
  }
}
