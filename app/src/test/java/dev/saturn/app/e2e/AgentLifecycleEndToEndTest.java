package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.llm.testing.OpenAiStandIn;
import dev.saturn.api.identity.ApiKeys;
import dev.saturn.app.SaturnApplication;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Agents as an admin manages them, over real HTTP against the whole application: versions on every
 * PATCH, disable/enable, turns pinned to a version, and the audit log of all of it.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentLifecycleEndToEndTest {

  static final String ADMIN = "e2e-operator-token";
  static TestDatabase database;
  static OpenAiStandIn model;

  @LocalServerPort int port;
  @Autowired AgentRepository agents;
  @Autowired ApiKeyRepository keys;


  @BeforeAll
  static void startServers() {
    database = TestDatabase.create();
    model = OpenAiStandIn.start();
  }

  @AfterAll
  static void stopServers() {
    model.close();
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-agents-data", ADMIN);
    registry.add("saturn.llm.openai.base-url", () -> model.baseUrl());
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name);
  }

  String newAgent(Tenant tenant, Map<String, Object> config) {
    return TestApp.newAgent(http(), tenant, config);
  }

  HttpJson.Response patch(Tenant tenant, String agentId, Object body) {
    return http().send("PATCH", "/v1/agents/" + agentId, tenant.apiKey(), body, Map.of());
  }

  static Map<String, Object> config(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  List<JsonNode> audit(Tenant tenant, String query) {
    HttpJson.Response list = http().get("/v1/audit-logs" + query, tenant.apiKey());
    assertThat(list.status()).as(list.body().toString()).isEqualTo(200);
    List<JsonNode> rows = new ArrayList<>();
    list.body().path("items").forEach(rows::add);
    return rows;
  }

  @Test
  void givenAgent_whenPatched_itShouldCreateVersionsKeepOldOnesAndPinTheTurnToTheNewVersion() {
    Tenant acme = newCompany("acme");
    String agentId = newAgent(acme, config("system_prompt", "v1 prompt", "temperature", 0.2));

    HttpJson.Response v2 = patch(acme, agentId, Map.of("config", config("temperature", 0.9, "system_prompt", null)));
    assertThat(v2.status()).as(v2.body().toString()).isEqualTo(200);
    assertThat(v2.body().path("version").asInt()).isEqualTo(2);
    assertThat(v2.body().path("config").path("temperature").asDouble()).isEqualTo(0.9);
    // Removed by the merge patch, then the default filled in again, as on create.
    assertThat(v2.body().path("config").path("system_prompt").asText()).isEmpty();
    assertThat(v2.body().path("config").path("history_window").asInt()).isEqualTo(20);

    HttpJson.Response turn = http().post("/v1/agents/" + agentId + "/chat", acme.apiKey(), Map.of("message", "hello"));
    assertThat(turn.status()).isEqualTo(200);
    assertThat(turn.body().path("agent_version").asInt()).isEqualTo(2);

    HttpJson.Response v1 = http().get("/v1/agents/" + agentId + "/versions/1", acme.apiKey());
    assertThat(v1.status()).isEqualTo(200);
    assertThat(v1.body().path("config").path("system_prompt").asText()).isEqualTo("v1 prompt");
    assertThat(v1.body().path("config").path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(v1.body().path("created_by").asText()).startsWith("key:");

    HttpJson.Response v3 = patch(acme, agentId, Map.of("name", "renamed"));
    assertThat(v3.body().path("version").asInt()).isEqualTo(3);
    assertThat(v3.text("name")).isEqualTo("renamed");
    assertThat(v3.body().path("config")).isEqualTo(v2.body().path("config"));
    assertThat(http().get("/v1/turns/" + turn.text("turn_id"), acme.apiKey()).body().path("agent_version").asInt()).isEqualTo(2);

    HttpJson.Response page1 = http().get("/v1/agents/" + agentId + "/versions?limit=2", acme.apiKey());
    assertThat(page1.body().path("items").findValuesAsText("version")).containsExactly("3", "2");
    HttpJson.Response page2 = http().get("/v1/agents/" + agentId + "/versions?limit=2&cursor=" + page1.text("next_cursor"), acme.apiKey());
    assertThat(page2.body().path("items").findValuesAsText("version")).containsExactly("1");
    assertThat(page2.body().path("next_cursor").isNull()).isTrue();
    assertThat(http().get("/v1/agents/" + agentId + "/versions?cursor=bm9wZQ", acme.apiKey()).status()).isEqualTo(400);
    assertThat(http().get("/v1/agents/" + agentId + "/versions?limit=201", acme.apiKey()).status()).isEqualTo(400);
    assertThat(http().get("/v1/agents/" + agentId + "/versions/4", acme.apiKey()).text("code")).isEqualTo("NOT_FOUND");

    // Invalid patches are refused like invalid creations, and create no version.
    HttpJson.Response invalid = patch(acme, agentId, Map.of("config", config("provider", "nope", "temperature", 7, "history_window", 0)));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(invalid.body().path("field_errors").findValuesAsText("field"))
        .containsExactly("config.history_window", "config.provider", "config.temperature");
    HttpJson.Response unknown = patch(acme, agentId, Map.of("config", config("tempreature", 1)));
    assertThat(unknown.body().path("field_errors").findValuesAsText("field")).containsExactly("config.tempreature");
    HttpJson.Response wrongType = patch(acme, agentId, Map.of("config", config("temperature", "hot")));
    assertThat(wrongType.body().path("field_errors").findValuesAsText("field")).containsExactly("config.temperature");
    assertThat(patch(acme, agentId, Map.of()).status()).isEqualTo(400);
    assertThat(patch(acme, agentId, Map.of("name", " ")).status()).isEqualTo(400);
    assertThat(patch(acme, agentId, Map.of("config", 5)).status()).isEqualTo(400);
    assertThat(patch(acme, agentId, "{\"config\": ").status()).isEqualTo(400);
    assertThat(http().get("/v1/agents/" + agentId, acme.apiKey()).body().path("version").asInt()).isEqualTo(3);

    // Another company: exactly what a missing agent gets, and nothing changes.
    Tenant other = newCompany("globex");
    for (HttpJson.Response foreign : List.of(
        patch(other, agentId, Map.of("name", "mine now")),
        http().get("/v1/agents/" + agentId + "/versions", other.apiKey()),
        http().get("/v1/agents/" + agentId + "/versions/1", other.apiKey()),
        http().post("/v1/agents/" + agentId + "/disable", other.apiKey(), null),
        http().post("/v1/agents/" + agentId + "/enable", other.apiKey(), null))) {
      assertThat(foreign.status()).isEqualTo(404);
      assertThat(foreign.text("code")).isEqualTo("NOT_FOUND");
    }
    assertThat(http().get("/v1/agents/" + agentId, acme.apiKey()).text("name")).isEqualTo("renamed");
  }

  @Test
  void givenConcurrentPatches_whenAllAccepted_itShouldGiveEachItsOwnVersionAndLoseNoChange() throws Exception {
    Tenant tenant = newCompany("initech");
    String agentId = newAgent(tenant, config());
    int writers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Integer> versions = new ArrayList<>();
    try {
      List<Future<HttpJson.Response>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        // Half the writers change the model, half the temperature: the last version must carry both.
        Map<String, Object> change = i % 2 == 0 ? config("model", "m" + i) : config("temperature", i / 10.0);
        results.add(pool.submit(() -> {
          start.await();
          return patch(tenant, agentId, Map.of("config", change));
        }));
      }
      start.countDown();
      for (Future<HttpJson.Response> result : results) {
        HttpJson.Response response = result.get(90, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        versions.add(response.body().path("version").asInt());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(versions).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9);
    JsonNode current = http().get("/v1/agents/" + agentId, tenant.apiKey()).body();
    assertThat(current.path("version").asInt()).isEqualTo(9);
    assertThat(current.path("config").has("model")).isTrue();
    assertThat(current.path("config").has("temperature")).isTrue();
    assertThat(audit(tenant, "?action=agent.update&target_id=" + agentId + "&limit=200")).hasSize(writers);
  }

  @Test
  void givenDisabledAgent_whenChatting_itShouldAnswerAgentDisabledUntilEnabledAgain() {
    Tenant tenant = newCompany("umbrella");
    String agentId = newAgent(tenant, config());

    HttpJson.Response disabled = http().post("/v1/agents/" + agentId + "/disable", tenant.apiKey(), null);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.text("status")).isEqualTo("disabled");
    HttpJson.Response again = http().post("/v1/agents/" + agentId + "/disable", tenant.apiKey(), null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("status")).isEqualTo("disabled");

    HttpJson.Response refused = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hi"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text("code")).isEqualTo("AGENT_DISABLED");

    HttpJson.Response enabled = http().post("/v1/agents/" + agentId + "/enable", tenant.apiKey(), null);
    assertThat(enabled.text("status")).isEqualTo("enabled");
    assertThat(enabled.body().path("version").asInt()).isEqualTo(1);
    HttpJson.Response answered = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "hi"));
    assertThat(answered.status()).isEqualTo(200);

    // The repeated disable changed nothing, so it wrote no audit row.
    assertThat(audit(tenant, "?target_id=" + agentId)).extracting(row -> row.path("action").asText())
        .containsExactly("agent.enable", "agent.disable", "agent.create");
    JsonNode disableRow = audit(tenant, "?action=agent.disable&target_id=" + agentId).get(0);
    assertThat(disableRow.path("diff").path("before").path("status").asText()).isEqualTo("enabled");
    assertThat(disableRow.path("diff").path("after").path("status").asText()).isEqualTo("disabled");
    assertThat(disableRow.path("diff").path("after").has("version")).isFalse();
  }

  @Test
  void givenAgentChanges_whenAuditLogIsRead_itShouldShowWhoDidWhatWithRedactedDiffsToItsOwnCompanyOnly() {
    Tenant tenant = newCompany("cyberdyne");
    String agentId = newAgent(tenant, config("temperature", 0.2));
    // Another feature (tool attach) may store members the API does not know; a secret among them must never reach the audit log.
    String secret = "sk-live-" + Ids.newId();
    agents.newVersion(CompanyId.of(tenant.companyId()), agentId,
        "{\"system_prompt\": \"\", \"provider\": \"offline\", \"history_window\": 20, \"temperature\": 0.2,"
            + " \"webhook\": {\"api_key\": \"" + secret + "\"}}", "test");
    HttpJson.Response patched = http().send("PATCH", "/v1/agents/" + agentId, tenant.apiKey(),
        Map.of("config", config("temperature", 0.7)), Map.of("X-Request-Id", "req-patch-1"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.body().path("version").asInt()).isEqualTo(3);

    List<JsonNode> rows = audit(tenant, "?target_type=agent&target_id=" + agentId);
    assertThat(rows).extracting(row -> row.path("action").asText()).containsExactly("agent.update", "agent.create");
    JsonNode update = rows.get(0);
    assertThat(update.path("actor_type").asText()).isEqualTo("key");
    assertThat(update.path("actor_id").asText()).isNotBlank();
    assertThat(update.path("target_type").asText()).isEqualTo("agent");
    assertThat(update.path("target_id").asText()).isEqualTo(agentId);
    assertThat(update.path("request_id").asText()).isEqualTo("req-patch-1");
    assertThat(Instant.parse(update.path("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
    JsonNode before = update.path("diff").path("before");
    JsonNode after = update.path("diff").path("after");
    assertThat(before.path("version").asInt()).isEqualTo(2);
    assertThat(after.path("version").asInt()).isEqualTo(3);
    assertThat(before.path("config").path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(after.path("config").path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(before.path("config").path("webhook").path("api_key").asText()).isEqualTo("[REDACTED]");
    assertThat(after.path("config").path("webhook").path("api_key").asText()).isEqualTo("[REDACTED]");
    assertThat(before.has("name")).isFalse();
    Object stored = database.dsl().fetchValue(
        "SELECT GROUP_CONCAT(diff) FROM audit_logs WHERE company_id = ?", tenant.companyId());
    assertThat(String.valueOf(stored)).doesNotContain(secret).contains("[REDACTED]");

    JsonNode create = rows.get(1);
    assertThat(create.path("diff").path("before").isEmpty()).isTrue();
    assertThat(create.path("diff").path("after").path("name").asText()).isEqualTo("support");
    assertThat(create.path("diff").path("after").path("version").asInt()).isEqualTo(1);
    assertThat(create.path("diff").path("after").path("config").path("provider").asText()).isEqualTo("offline");

    HttpJson.Response one = http().get("/v1/audit-logs/" + update.path("id").asText(), tenant.apiKey());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).isEqualTo(update);

    // Filters.
    String actor = update.path("actor_id").asText();
    assertThat(audit(tenant, "?actor_id=" + actor)).hasSize(2);
    assertThat(audit(tenant, "?actor_id=someone-else")).isEmpty();
    assertThat(audit(tenant, "?action=agent.create")).hasSize(1);
    String later = URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8);
    String earlier = URLEncoder.encode(Instant.now().minusSeconds(3600).toString(), StandardCharsets.UTF_8);
    assertThat(audit(tenant, "?from=" + later)).isEmpty();
    assertThat(audit(tenant, "?from=" + earlier + "&to=" + later)).hasSize(2);
    assertThat(http().get("/v1/audit-logs?from=yesterday", tenant.apiKey()).status()).isEqualTo(400);
    assertThat(http().get("/v1/audit-logs?from=" + later + "&to=" + earlier, tenant.apiKey()).status()).isEqualTo(400);

    // Pagination: every row once, newest first; a limit cap; a made-up cursor is 400.
    for (int i = 0; i < 3; i++) {
      patch(tenant, agentId, Map.of("config", config("temperature", i / 10.0)));
    }
    Set<String> seen = new HashSet<>();
    List<String> actions = new ArrayList<>();
    String cursor = null;
    do {
      HttpJson.Response page = http().get("/v1/audit-logs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), tenant.apiKey());
      assertThat(page.body().path("items").size()).isLessThanOrEqualTo(2);
      page.body().path("items").forEach(row -> {
        assertThat(seen.add(row.path("id").asText())).isTrue();
        actions.add(row.path("action").asText());
      });
      cursor = page.text("next_cursor");
    } while (cursor != null);
    assertThat(actions).hasSize(5).endsWith("agent.create");
    HttpJson.Response badCursor = http().get("/v1/audit-logs?cursor=bm90LWEtY3Vyc29y", tenant.apiKey());
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.body().path("field_errors").findValuesAsText("field")).containsExactly("cursor");
    assertThat(http().get("/v1/audit-logs?limit=201", tenant.apiKey()).status()).isEqualTo(400);

    // Another company sees none of it, and a foreign row id is simply not found.
    Tenant other = newCompany("sirius");
    newAgent(other, config());
    assertThat(audit(other, "?limit=200")).extracting(row -> row.path("id").asText()).doesNotContainAnyElementsOf(seen);
    assertThat(audit(other, "?target_id=" + agentId)).isEmpty();
    HttpJson.Response foreign = http().get("/v1/audit-logs/" + update.path("id").asText(), other.apiKey());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.text("code")).isEqualTo("NOT_FOUND");
  }

  @Test
  void givenKeyThatMayOnlyChat_whenChangingAgentsOrReadingAudit_itShouldBeForbidden() {
    Tenant tenant = newCompany("hooli");
    String agentId = newAgent(tenant, config());
    ApiKeys.NewKey key = ApiKeys.generate();
    keys.insert(CompanyId.of(tenant.companyId()), new ApiKeyRow(
        Ids.newId(), tenant.companyId(), null, "chat only", key.prefix(), key.hash(), "[\"chat\"]", "active",
        Instant.now(), null, null, null, null));
    Tenant chatOnly = new Tenant(tenant.companyId(), null, key.key());

    assertThat(http().get("/v1/agents/" + agentId + "/versions", chatOnly.apiKey()).status()).isEqualTo(200);
    assertThat(http().get("/v1/agents/" + agentId + "/versions/1", chatOnly.apiKey()).status()).isEqualTo(200);
    for (HttpJson.Response denied : List.of(
        patch(chatOnly, agentId, Map.of("name", "x")),
        http().post("/v1/agents/" + agentId + "/disable", chatOnly.apiKey(), null),
        http().post("/v1/agents/" + agentId + "/enable", chatOnly.apiKey(), null),
        http().get("/v1/audit-logs", chatOnly.apiKey()))) {
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.text("code")).isEqualTo("AUTH_FORBIDDEN");
    }
    assertThat(http().get("/v1/agents/" + agentId, tenant.apiKey()).body().path("version").asInt()).isEqualTo(1);
  }
}
