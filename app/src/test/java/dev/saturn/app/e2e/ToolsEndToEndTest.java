package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.SaturnApplication;
import dev.saturn.db.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The tool registry and agent allowlists over real HTTP, on a real MariaDB, every statement tenant-guarded. */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ToolsEndToEndTest {

  static final String ADMIN = "tools-e2e-operator-token";
  static final String SECRET = "sk-live-do-not-leak-4711";
  static TestDatabase database;

  @LocalServerPort int port;


  @BeforeAll
  static void startDatabase() {
    database = TestDatabase.create();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "tools-e2e-data", ADMIN);
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name);
  }

  String newAgent(Tenant tenant) {
    return TestApp.newAgent(http(), tenant, Map.of("system_prompt", "p"));
  }

  static Map<String, Object> weatherTool(String name) {
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("name", name);
    tool.put("description", "Current weather for a city");
    tool.put("method", "GET");
    tool.put("url", "https://weather.example.test/v1/{city}?units={units}");
    tool.put("headers", Map.of("Accept", "application/json", "X-Api-Key", Map.of("secret", SECRET)));
    tool.put("parameters", Map.of(
        "type", "object",
        "properties", Map.of("city", Map.of("type", "string"), "units", Map.of("enum", List.of("c", "f"))),
        "required", List.of("city")));
    tool.put("requires_approval", true);
    tool.put("approval_timeout", "P3D");
    return tool;
  }

  HttpJson.Response patch(Tenant tenant, String path, Object body) {
    return http().send("PATCH", path, tenant.apiKey(), body, Map.of());
  }

  HttpJson.Response delete(Tenant tenant, String path) {
    return http().send("DELETE", path, tenant.apiKey(), null, Map.of());
  }

  /** The stored ciphertext of the X-Api-Key header. */
  static String sealed(String headersJson) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(headersJson).path("X-Api-Key").path("encrypted").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  List<Record> auditRows(Tenant tenant, String targetId) {
    return database.dsl().fetch(
        "SELECT action, CAST(diff AS CHAR) AS diff FROM audit_logs WHERE company_id = ? AND target_id = ? ORDER BY created_at, action",
        tenant.companyId(), targetId);
  }

  @Test
  void givenTools_whenCreatedReadUpdatedAndDeleted_itShouldValidateNeverEchoSecretsAndAuditEveryChange() {
    Tenant acme = newCompany("tools-acme");

    HttpJson.Response created = http().post("/v1/tools", acme.apiKey(), weatherTool("get_weather"), Map.of("Idempotency-Key", "tool-1"));
    assertThat(created.status()).isEqualTo(201);
    String toolId = created.text("id");
    assertThat(created.text("name")).isEqualTo("get_weather");
    assertThat(created.text("method")).isEqualTo("GET");
    assertThat(created.body().path("timeout_ms").asInt()).isEqualTo(10_000);
    assertThat(created.body().path("requires_approval").asBoolean()).isTrue();
    assertThat(created.text("approval_timeout")).isEqualTo("PT72H");
    assertThat(created.body().path("headers").path("Accept").asText()).isEqualTo("application/json");
    assertThat(created.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).isTrue();
    assertThat(created.raw().body()).doesNotContain(SECRET);

    HttpJson.Response repeat = http().post("/v1/tools", acme.apiKey(), weatherTool("get_weather"), Map.of("Idempotency-Key", "tool-1"));
    assertThat(repeat.status()).isEqualTo(201);
    assertThat(repeat.text("id")).isEqualTo(toolId);

    // Stored sealed: the plaintext is not in the database.
    String storedHeaders = database.dsl().fetchValue(
        "SELECT CAST(headers AS CHAR) FROM tools WHERE company_id = ? AND id = ?", acme.companyId(), toolId).toString();
    assertThat(storedHeaders).doesNotContain(SECRET).contains("\"encrypted\"");

    HttpJson.Response duplicate = http().post("/v1/tools", acme.apiKey(), weatherTool("get_weather"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.text("code")).isEqualTo("CONFLICT");

    HttpJson.Response second = http().post("/v1/tools", acme.apiKey(), Map.of(
        "name", "create_ticket", "description", "Opens a ticket", "method", "POST", "url", "https://tickets.example.test/tickets"));
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.body().path("parameters").path("type").asText()).isEqualTo("object");

    HttpJson.Response got = http().get("/v1/tools/" + toolId, acme.apiKey());
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.raw().body()).doesNotContain(SECRET);
    assertThat(got.body().path("parameters").path("required").get(0).asText()).isEqualTo("city");

    HttpJson.Response page1 = http().get("/v1/tools?limit=1", acme.apiKey());
    assertThat(page1.body().path("items").findValuesAsText("id")).containsExactly(second.text("id"));
    HttpJson.Response page2 = http().get("/v1/tools?limit=1&cursor=" + page1.text("next_cursor"), acme.apiKey());
    assertThat(page2.body().path("items").findValuesAsText("id")).containsExactly(toolId);
    assertThat(page2.body().path("next_cursor").isNull()).isTrue();
    assertThat(page1.raw().body() + page2.raw().body()).doesNotContain(SECRET);
    assertThat(http().get("/v1/tools?limit=500", acme.apiKey()).status()).isEqualTo(400);
    assertThat(http().get("/v1/tools?cursor=bm90LWEtY3Vyc29y", acme.apiKey()).status()).isEqualTo(400);

    // PATCH: absent members stay, the secret is kept without being resent, approval_timeout can be cleared.
    HttpJson.Response patched = patch(acme, "/v1/tools/" + toolId, Map.of("description", "Weather, now", "timeout_ms", 5000));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.text("description")).isEqualTo("Weather, now");
    assertThat(patched.body().path("timeout_ms").asInt()).isEqualTo(5000);
    assertThat(patched.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).isTrue();
    assertThat(patched.text("approval_timeout")).isEqualTo("PT72H");
    assertThat(patched.raw().body()).doesNotContain(SECRET);
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("approval_timeout", null);
    clear.put("headers", Map.of("Accept", "text/plain", "X-Api-Key", Map.of("secret", true)));
    HttpJson.Response cleared = patch(acme, "/v1/tools/" + toolId, clear);
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.body().path("approval_timeout").isNull()).isTrue();
    assertThat(cleared.body().path("headers").path("Accept").asText()).isEqualTo("text/plain");
    assertThat(cleared.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).isTrue();
    String sealedAfter = database.dsl().fetchValue(
        "SELECT CAST(headers AS CHAR) FROM tools WHERE company_id = ? AND id = ?", acme.companyId(), toolId).toString();
    assertThat(sealed(sealedAfter)).startsWith("v1:").isEqualTo(sealed(storedHeaders));
    HttpJson.Response rotated = patch(acme, "/v1/tools/" + toolId, Map.of("headers", Map.of("X-Api-Key", Map.of("secret", SECRET + "-2"))));
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.raw().body()).doesNotContain(SECRET);
    HttpJson.Response rename = patch(acme, "/v1/tools/" + second.text("id"), Map.of("name", "get_weather"));
    assertThat(rename.status()).isEqualTo(409);

    // Invalid definitions: 400 with the field named.
    Map<String, Object> badSchema = weatherTool("bad_schema");
    badSchema.put("parameters", Map.of("type", "strnig"));
    HttpJson.Response schemaError = http().post("/v1/tools", acme.apiKey(), badSchema);
    assertThat(schemaError.status()).isEqualTo(400);
    assertThat(schemaError.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(schemaError.body().path("field_errors").findValuesAsText("field")).containsExactly("parameters.type");
    Map<String, Object> lookahead = weatherTool("bad_pattern");
    lookahead.put("parameters", Map.of("type", "object", "properties", Map.of(
        "city", Map.of("type", "string", "pattern", "^(?=.*\\d).+$"), "units", Map.of("type", "string"))));
    HttpJson.Response patternError = http().post("/v1/tools", acme.apiKey(), lookahead);
    assertThat(patternError.status()).isEqualTo(400);
    assertThat(patternError.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(patternError.body().path("field_errors").findValuesAsText("field")).containsExactly("parameters.properties.city.pattern");
    assertThat(patternError.body().path("field_errors").findValuesAsText("message").get(0)).contains("lookaround");
    Map<String, Object> badPlaceholder = weatherTool("bad_url");
    badPlaceholder.put("url", "https://weather.example.test/{town}");
    HttpJson.Response urlError = http().post("/v1/tools", acme.apiKey(), badPlaceholder);
    assertThat(urlError.status()).isEqualTo(400);
    assertThat(urlError.body().path("field_errors").findValuesAsText("field")).containsExactly("url");
    Map<String, Object> relative = weatherTool("bad_url");
    relative.put("url", "/v1/{city}");
    assertThat(http().post("/v1/tools", acme.apiKey(), relative).body().path("field_errors").findValuesAsText("field")).containsExactly("url");
    HttpJson.Response badName = http().post("/v1/tools", acme.apiKey(), weatherTool("Get Weather!"));
    assertThat(badName.body().path("field_errors").findValuesAsText("field")).containsExactly("name");
    HttpJson.Response badPatch = patch(acme, "/v1/tools/" + toolId, Map.of("parameters", Map.of("type", "object", "properties", Map.of())));
    assertThat(badPatch.status()).isEqualTo(400);
    // Both placeholders of the stored url now name no property.
    assertThat(badPatch.body().path("field_errors").findValuesAsText("field")).containsExactly("url", "url");
    HttpJson.Response unknownField = http().post("/v1/tools", acme.apiKey(), Map.of("name", "x", "nope", 1));
    assertThat(unknownField.status()).isEqualTo(400);

    assertThat(delete(acme, "/v1/tools/" + second.text("id")).status()).isEqualTo(204);
    assertThat(http().get("/v1/tools/" + second.text("id"), acme.apiKey()).status()).isEqualTo(404);

    List<Record> toolAudit = auditRows(acme, toolId);
    assertThat(toolAudit).extracting(r -> r.get("action", String.class))
        .containsExactly("tool.create", "tool.update", "tool.update", "tool.update");
    assertThat(auditRows(acme, second.text("id"))).extracting(r -> r.get("action", String.class))
        .containsExactly("tool.create", "tool.delete");
    assertThat(toolAudit).allSatisfy(r -> assertThat(r.get("diff", String.class)).doesNotContain(SECRET));
    assertThat(toolAudit.get(0).get("diff", String.class)).contains("get_weather").contains("[REDACTED]");
  }

  @Test
  void givenAToolWithASecret_whenItsUrlMovesToAnotherOrigin_itShouldDropTheSecretSayWhichAndAuditIt() {
    Tenant acme = newCompany("tools-origin");
    String toolId = http().post("/v1/tools", acme.apiKey(), weatherTool("get_weather")).text("id");
    String base = "https://weather.example.test/v1/{city}?units={units}";

    // Same origin: another path, the host in other letters, the default port written out.
    for (String url : List.of("https://weather.example.test/v2/{city}?units={units}",
        "https://WEATHER.Example.test/v2/{city}", "https://weather.example.test:443/v1/{city}?units={units}")) {
      HttpJson.Response kept = patch(acme, "/v1/tools/" + toolId, Map.of("url", url));
      assertThat(kept.status()).as(url).isEqualTo(200);
      assertThat(kept.body().path("sealed_headers_dropped")).as(url).isEmpty();
      assertThat(kept.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).as(url).isTrue();
    }
    patch(acme, "/v1/tools/" + toolId, Map.of("url", base));
    String sealedBefore = sealed(storedHeaders(acme, toolId));

    // Another host, port or scheme: the stored secret does not follow, whether kept implicitly or by {"secret": true}.
    for (String url : List.of("https://attacker.example.test/v1/{city}?units={units}",
        "https://weather.example.test:8443/v1/{city}?units={units}", "http://weather.example.test/v1/{city}?units={units}")) {
      Map<String, Object> move = new LinkedHashMap<>();
      move.put("url", url);
      if (url.startsWith("http:")) {
        move.put("headers", Map.of("Accept", "application/json", "X-Api-Key", Map.of("secret", true)));
      }
      HttpJson.Response moved = patch(acme, "/v1/tools/" + toolId, move);
      assertThat(moved.status()).as(url).isEqualTo(200);
      assertThat(moved.body().path("sealed_headers_dropped")).as(url).extracting(JsonNode::asText).containsExactly("X-Api-Key");
      assertThat(moved.body().path("headers").has("X-Api-Key")).as(url).isFalse();
      assertThat(moved.body().path("headers").path("Accept").asText()).as(url).isEqualTo("application/json");
      assertThat(storedHeaders(acme, toolId)).as(url).doesNotContain("X-Api-Key").doesNotContain(sealedBefore);
      assertThat(http().get("/v1/tools/" + toolId, acme.apiKey()).body().has("sealed_headers_dropped")).isFalse();

      // Back home with the secret sent anew: a secret given in the same patch is kept.
      HttpJson.Response back = patch(acme, "/v1/tools/" + toolId, Map.of("url", base,
          "headers", Map.of("Accept", "application/json", "X-Api-Key", Map.of("secret", SECRET))));
      assertThat(back.body().path("sealed_headers_dropped")).as(url).isEmpty();
      assertThat(back.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).as(url).isTrue();
      sealedBefore = sealed(storedHeaders(acme, toolId));
    }
    HttpJson.Response movedWithNewSecret = patch(acme, "/v1/tools/" + toolId, Map.of("url", "https://new.example.test/{city}",
        "headers", Map.of("X-Api-Key", Map.of("secret", SECRET + "-new"))));
    assertThat(movedWithNewSecret.body().path("sealed_headers_dropped")).isEmpty();
    assertThat(movedWithNewSecret.body().path("headers").path("X-Api-Key").path("secret").asBoolean()).isTrue();

    List<String> diffs = auditRows(acme, toolId).stream().map(r -> r.get("diff", String.class)).toList();
    List<String> dropping = diffs.stream().filter(d -> d.contains("sealed_headers_dropped")).toList();
    assertThat(dropping).hasSize(3)
        .allSatisfy(d -> assertThat(d).containsPattern("\"sealed_headers_dropped\":\\s*\\[\"X-Api-Key\"]"));
    assertThat(dropping.get(0)).contains("attacker.example.test");
    assertThat(dropping.get(1)).contains("weather.example.test:8443");
    assertThat(dropping.get(2)).contains("http://weather.example.test");
    assertThat(diffs).allSatisfy(d -> assertThat(d).doesNotContain(SECRET));
  }

  String storedHeaders(Tenant tenant, String toolId) {
    return database.dsl().fetchValue(
        "SELECT CAST(headers AS CHAR) FROM tools WHERE company_id = ? AND id = ?", tenant.companyId(), toolId).toString();
  }

  @Test
  void givenAgent_whenToolsAreAttachedAndDetached_itShouldVersionTheAllowlistIdempotently() {
    Tenant acme = newCompany("allow-acme");
    String agentId = newAgent(acme);
    String toolId = http().post("/v1/tools", acme.apiKey(), weatherTool("get_weather")).text("id");
    String path = "/v1/agents/" + agentId + "/tools/" + toolId;

    HttpJson.Response attached = http().post(path, acme.apiKey(), null);
    assertThat(attached.status()).isEqualTo(200);
    assertThat(attached.body().path("version").asInt()).isEqualTo(2);
    assertThat(attached.body().path("changed").asBoolean()).isTrue();
    assertThat(attached.body().path("tool_ids").get(0).asText()).isEqualTo(toolId);

    HttpJson.Response again = http().post(path, acme.apiKey(), null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().path("version").asInt()).isEqualTo(2);
    assertThat(again.body().path("changed").asBoolean()).isFalse();

    JsonNode agent = http().get("/v1/agents/" + agentId, acme.apiKey()).body();
    assertThat(agent.path("version").asInt()).isEqualTo(2);
    assertThat(agent.path("config").path("tools").get(0).asText()).isEqualTo(toolId);
    assertThat(agent.path("config").path("system_prompt").asText()).isEqualTo("p");

    HttpJson.Response listed = http().get("/v1/agents/" + agentId + "/tools", acme.apiKey());
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body().path("items").findValuesAsText("id")).containsExactly(toolId);
    assertThat(listed.raw().body()).doesNotContain(SECRET);

    HttpJson.Response blocked = delete(acme, "/v1/tools/" + toolId);
    assertThat(blocked.status()).isEqualTo(409);
    assertThat(blocked.text("code")).isEqualTo("CONFLICT");
    assertThat(blocked.text("detail")).contains(agentId);

    HttpJson.Response detached = delete(acme, path);
    assertThat(detached.status()).isEqualTo(200);
    assertThat(detached.body().path("version").asInt()).isEqualTo(3);
    assertThat(detached.body().path("tool_ids").size()).isZero();
    HttpJson.Response detachedAgain = delete(acme, path);
    assertThat(detachedAgain.body().path("version").asInt()).isEqualTo(3);
    assertThat(detachedAgain.body().path("changed").asBoolean()).isFalse();
    assertThat(http().get("/v1/agents/" + agentId, acme.apiKey()).body().path("config").path("tools").size()).isZero();
    assertThat(http().get("/v1/agents/" + agentId + "/tools", acme.apiKey()).body().path("items").size()).isZero();

    // Old versions are untouched: version 2 still lists the tool, so a turn pinned to it keeps its allowlist.
    String v2 = database.dsl().fetchValue(
        "SELECT CAST(config AS CHAR) FROM agent_versions WHERE company_id = ? AND agent_id = ? AND version = 2",
        acme.companyId(), agentId).toString();
    assertThat(v2).contains(toolId);
    // Creating the agent is audited too; the allowlist changes are exactly one row each.
    assertThat(auditRows(acme, agentId)).extracting(r -> r.get("action", String.class))
        .filteredOn(action -> action.startsWith("agent.tool."))
        .containsExactly("agent.tool.attach", "agent.tool.detach");

    assertThat(delete(acme, "/v1/tools/" + toolId).status()).isEqualTo(204);
    assertThat(http().post(path, acme.apiKey(), null).status()).isEqualTo(404);
  }

  @Test
  void givenTwoCompanies_whenOneUsesTheOthersIds_itShouldGetNotFound() {
    Tenant a = newCompany("iso-a");
    Tenant b = newCompany("iso-b");
    String agentA = newAgent(a);
    String agentB = newAgent(b);
    String toolA = http().post("/v1/tools", a.apiKey(), weatherTool("get_weather")).text("id");
    String toolB = http().post("/v1/tools", b.apiKey(), weatherTool("get_weather")).text("id");
    assertThat(toolB).isNotNull().isNotEqualTo(toolA);

    List<HttpJson.Response> foreign = List.of(
        http().get("/v1/tools/" + toolA, b.apiKey()),
        patch(b, "/v1/tools/" + toolA, Map.of("description", "mine now")),
        delete(b, "/v1/tools/" + toolA),
        http().post("/v1/agents/" + agentB + "/tools/" + toolA, b.apiKey(), null),
        http().post("/v1/agents/" + agentA + "/tools/" + toolB, b.apiKey(), null),
        delete(b, "/v1/agents/" + agentB + "/tools/" + toolA),
        delete(b, "/v1/agents/" + agentA + "/tools/" + toolB),
        http().get("/v1/agents/" + agentA + "/tools", b.apiKey()));
    assertThat(foreign).allSatisfy(response -> {
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.text("code")).isEqualTo("NOT_FOUND");
    });
    assertThat(http().get("/v1/tools", b.apiKey()).body().path("items").findValuesAsText("id")).containsExactly(toolB);
    assertThat(http().get("/v1/tools/" + toolA, a.apiKey()).text("description")).isEqualTo("Current weather for a city");
    assertThat(http().get("/v1/agents/" + agentA, a.apiKey()).body().path("version").asInt()).isEqualTo(1);
    assertThat(http().get("/v1/agents/" + agentB, b.apiKey()).body().path("version").asInt()).isEqualTo(1);
  }
}
