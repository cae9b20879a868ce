package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.SaturnApplication;
import dev.saturn.db.testing.MovableClock;
import dev.saturn.db.testing.TenantGuard;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.ExecuteListenerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * API keys over real HTTP with the whole application booted: create, use, rotate with a grace
 * period, revoke, expire, scopes, tenant isolation; and plan-sized rate limits. Time moves by a
 * clock the test controls, so a day of expiry or an hour of grace takes no waiting.
 */
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ApiKeyLifecycleEndToEndTest.TestBeans.class)
class ApiKeyLifecycleEndToEndTest {

  static final String ADMIN = "e2e-keys-operator-token";
  /** How long this application authenticates a verified key without reading it again (VerifiedKeys). */
  static final Duration CACHE_TTL = Duration.ofSeconds(1);
  /** Everything in the application that asks for the time sees this clock. */
  static final MovableClock CLOCK = new MovableClock(Instant.now());
  static TestDatabase database;

  @LocalServerPort int port;

  @TestConfiguration
  static class TestBeans {
    @Bean
    ExecuteListenerProvider tenantGuard() {
      return TenantGuard.provider();
    }

    @Bean
    @Primary
    Clock testClock() {
      return CLOCK;
    }
  }

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
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "e2e-keys-data", ADMIN);
    registry.add("saturn.auth.key-rotation-grace", () -> "1h");
    registry.add("saturn.auth.api-key-cache-ttl", () -> CACHE_TTL.toMillis() + "ms");
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name);
  }

  HttpJson.Response createKey(String token, Map<String, Object> body) {
    return http().post("/v1/api-keys", token, body);
  }

  static void assertInvalidKey(HttpJson.Response response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.text("code")).isEqualTo("AUTH_INVALID");
    assertThat(response.text("detail")).isEqualTo("Invalid API key");
  }

  @Test
  void givenScopedKey_whenCreatedUsedRotatedAndRevoked_itShouldWorkExactlyAsLongAsItShould() {
    Tenant acme = newCompany("keys-acme");

    // Create: the secret once, the resource with prefix, scopes, owner and status.
    HttpJson.Response created = createKey(acme.apiKey(), Map.of("name", "ci", "scopes", List.of("chat")));
    assertThat(created.status()).isEqualTo(201);
    String chatKey = created.text("api_key");
    JsonNode key = created.body().path("key");
    String keyId = key.path("id").asText();
    assertThat(chatKey).startsWith("sat_" + key.path("prefix").asText() + "_");
    assertThat(key.path("status").asText()).isEqualTo("active");
    assertThat(key.path("scopes").findValuesAsText("")).isEmpty();
    assertThat(key.path("scopes").get(0).asText()).isEqualTo("chat");
    assertThat(key.path("user_id").asText()).isEqualTo(acme.ownerId());
    assertThat(key.has("key_hash")).isFalse();

    // Use: the scope allows reading agents and chatting, nothing else.
    assertThat(http().get("/v1/agents", chatKey).status()).isEqualTo(200);
    HttpJson.Response createAgent = http().post("/v1/agents", chatKey, Map.of("name", "x", "config", Map.of()));
    assertThat(createAgent.status()).isEqualTo(403);
    assertThat(createAgent.text("code")).isEqualTo("AUTH_FORBIDDEN");
    assertThat(http().get("/v1/api-keys", chatKey).status()).isEqualTo(403);
    assertThat(createKey(chatKey, Map.of("name", "more", "scopes", List.of("admin"))).status()).isEqualTo(403);

    // List and read: prefix, scopes, last use; never a secret or a hash.
    HttpJson.Response list = http().get("/v1/api-keys", acme.apiKey());
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().path("items").findValuesAsText("id")).contains(keyId);
    assertThat(list.raw().body()).doesNotContain(chatKey).doesNotContain("key_hash").doesNotContain("api_key");
    HttpJson.Response read = http().get("/v1/api-keys/" + keyId, acme.apiKey());
    assertThat(read.text("last_used_at")).isNotNull();

    // Rotate: a new secret; the old one works until the grace period (1h here) ends.
    HttpJson.Response rotated = http().post("/v1/api-keys/" + keyId + "/rotate", acme.apiKey(), null);
    assertThat(rotated.status()).isEqualTo(201);
    String newKey = rotated.text("api_key");
    String newKeyId = rotated.body().path("key").path("id").asText();
    assertThat(newKey).isNotEqualTo(chatKey);
    assertThat(rotated.body().path("key").path("name").asText()).isEqualTo("ci");
    assertThat(rotated.body().path("key").path("scopes").get(0).asText()).isEqualTo("chat");
    assertThat(rotated.body().path("previous").path("status").asText()).isEqualTo("rotated");
    assertThat(rotated.body().path("previous").path("replaced_by").asText()).isEqualTo(newKeyId);
    assertThat(http().get("/v1/agents", chatKey).status()).isEqualTo(200);
    assertThat(http().get("/v1/agents", newKey).status()).isEqualTo(200);
    HttpJson.Response again = http().post("/v1/api-keys/" + keyId + "/rotate", acme.apiKey(), null);
    assertThat(again.status()).isEqualTo(409);

    CLOCK.advance(Duration.ofMinutes(59));
    assertThat(http().get("/v1/agents", chatKey).status()).isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(2));
    assertInvalidKey(http().get("/v1/agents", chatKey));
    assertThat(http().get("/v1/agents", newKey).status()).isEqualTo(200);
    assertThat(http().get("/v1/api-keys/" + keyId, acme.apiKey()).text("status")).isEqualTo("expired");

    // Revoke: invalid at once; revoking again answers the same.
    HttpJson.Response revoked = http().post("/v1/api-keys/" + newKeyId + "/revoke", acme.apiKey(), null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.text("status")).isEqualTo("revoked");
    assertThat(revoked.text("revoked_at")).isNotNull();
    assertInvalidKey(http().get("/v1/agents", newKey));
    assertThat(http().post("/v1/api-keys/" + newKeyId + "/revoke", acme.apiKey(), null).text("status")).isEqualTo("revoked");
    assertThat(http().post("/v1/api-keys/" + newKeyId + "/rotate", acme.apiKey(), null).status()).isEqualTo(409);

    // Every change is audited, and no audit row holds a secret or a hash.
    List<String> actions = database.dsl().fetchValues(
        "SELECT action FROM audit_logs WHERE company_id = ? AND target_type = 'api_key' ORDER BY created_at", acme.companyId())
        .stream().map(Object::toString).toList();
    // The test clock stands still until it is advanced: create and rotate share one instant.
    assertThat(actions).containsExactlyInAnyOrder("api_key.create", "api_key.rotate", "api_key.create", "api_key.revoke");
    assertThat(actions.get(3)).isEqualTo("api_key.revoke");
    String diffs = String.join("\n", database.dsl().fetchValues(
        "SELECT diff FROM audit_logs WHERE company_id = ?", acme.companyId()).stream().map(Object::toString).toList());
    assertThat(diffs).doesNotContain(chatKey).doesNotContain(newKey.substring(17))
        .doesNotContain(chatKey.substring(17)).contains("\"status\"");
    String hash = database.dsl().fetchValue(
        "SELECT key_hash FROM api_keys WHERE company_id = ? AND id = ?", acme.companyId(), keyId).toString();
    assertThat(diffs).doesNotContain(hash);
  }

  @Test
  void givenVerifiedKey_whenAnotherProcessRevokesIt_itShouldStopWorkingWithinTheCacheTtl() throws InterruptedException {
    Tenant tenant = newCompany("keys-elsewhere");
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);

    // Another API process revokes it: this one learns of it only by reading the key again.
    long revokedAt = System.nanoTime();
    assertThat(database.dsl().execute("UPDATE api_keys SET status = 'revoked' WHERE company_id = ? AND prefix = ?",
        tenant.companyId(), tenant.apiKey().substring(4, 16))).isEqualTo(1);
    int status = 200;
    while (status == 200 && System.nanoTime() - revokedAt < CACHE_TTL.plusSeconds(5).toNanos()) {
      Thread.sleep(50);
      status = http().get("/v1/agents", tenant.apiKey()).status();
    }

    assertThat(status).isEqualTo(401);
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(CACHE_TTL.plusSeconds(2));
  }

  @Test
  void givenKeyInUse_whenTimePasses_itsLastUsedShouldAdvanceAtMostOncePerMinute() {
    Tenant tenant = newCompany("keys-last-used");
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);
    Instant first = lastUsed(tenant);
    assertThat(first).isNotNull();

    CLOCK.advance(Duration.ofSeconds(30));
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);
    assertThat(lastUsed(tenant)).isEqualTo(first);

    CLOCK.advance(Duration.ofSeconds(31));
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);
    assertThat(lastUsed(tenant)).isAfterOrEqualTo(first.plusSeconds(61));
  }

  /** The tenant's first key's {@code last_used_at}, from the database. */
  Instant lastUsed(Tenant tenant) {
    Object value = database.dsl().fetchValue(
        "SELECT DATE_FORMAT(last_used_at, '%Y-%m-%dT%H:%i:%s.%fZ') FROM api_keys WHERE company_id = ? AND prefix = ?",
        tenant.companyId(), tenant.apiKey().substring(4, 16));
    return value == null ? null : Instant.parse(value.toString());
  }

  @Test
  void givenKeyWithExpiry_whenTheExpiryPasses_itShouldStopWorking() {
    Tenant tenant = newCompany("keys-expiry");
    HttpJson.Response created = createKey(tenant.apiKey(), Map.of("name", "short", "scopes", List.of("agents:read"),
        "expires_in_days", 1));
    assertThat(created.status()).isEqualTo(201);
    String key = created.text("api_key");
    assertThat(http().get("/v1/agents", key).status()).isEqualTo(200);

    CLOCK.advance(Duration.ofHours(25));

    assertInvalidKey(http().get("/v1/agents", key));
    assertThat(http().get("/v1/api-keys/" + created.body().path("key").path("id").asText(), tenant.apiKey()).text("status"))
        .isEqualTo("expired");
    HttpJson.Response atTime = createKey(tenant.apiKey(), Map.of("name", "dated", "scopes", List.of("chat"),
        "expires_at", CLOCK.instant().plus(Duration.ofHours(2)).toString()));
    assertThat(atTime.status()).isEqualTo(201);
    assertThat(http().get("/v1/agents", atTime.text("api_key")).status()).isEqualTo(200);
    CLOCK.advance(Duration.ofHours(3));
    assertInvalidKey(http().get("/v1/agents", atTime.text("api_key")));
  }

  @Test
  void givenBadKeyRequests_whenSent_itShouldAnswerValidationFailedNamingTheField() {
    Tenant tenant = newCompany("keys-bad");
    HttpJson.Response unknownScope = createKey(tenant.apiKey(), Map.of("name", "x", "scopes", List.of("chat", "root")));
    assertThat(unknownScope.status()).isEqualTo(400);
    assertThat(unknownScope.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(unknownScope.body().path("field_errors").findValuesAsText("field")).containsExactly("scopes");
    HttpJson.Response past = createKey(tenant.apiKey(), Map.of("name", "x", "scopes", List.of("chat"),
        "expires_at", CLOCK.instant().minusSeconds(60).toString()));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.body().path("field_errors").findValuesAsText("field")).containsExactly("expires_at");
    HttpJson.Response both = createKey(tenant.apiKey(), Map.of("name", "x", "scopes", List.of("chat"),
        "expires_at", CLOCK.instant().plusSeconds(600).toString(), "expires_in_days", 2));
    assertThat(both.status()).isEqualTo(400);
    HttpJson.Response noScopes = createKey(tenant.apiKey(), Map.of("name", "x", "scopes", List.of()));
    assertThat(noScopes.status()).isEqualTo(400);
    assertThat(noScopes.body().path("field_errors").findValuesAsText("field")).containsExactly("scopes");
  }

  @Test
  void givenAnotherCompanysKey_whenReadRevokedOrRotated_itShouldBeNotFound() {
    Tenant first = newCompany("keys-first");
    Tenant second = newCompany("keys-second");
    HttpJson.Response created = createKey(first.apiKey(), Map.of("name", "mine", "scopes", List.of("chat")));
    String keyId = created.body().path("key").path("id").asText();

    for (HttpJson.Response foreign : List.of(
        http().get("/v1/api-keys/" + keyId, second.apiKey()),
        http().post("/v1/api-keys/" + keyId + "/revoke", second.apiKey(), null),
        http().post("/v1/api-keys/" + keyId + "/rotate", second.apiKey(), null),
        http().get("/v1/api-keys/" + java.util.UUID.randomUUID(), second.apiKey()))) {
      assertThat(foreign.status()).isEqualTo(404);
      assertThat(foreign.text("code")).isEqualTo("NOT_FOUND");
    }
    assertThat(http().get("/v1/api-keys", second.apiKey()).body().path("items").findValuesAsText("id")).doesNotContain(keyId);
    assertThat(http().get("/v1/agents", created.text("api_key")).status()).isEqualTo(200);
  }

  void putOnPlan(Tenant tenant, String planId, String rateLimitsJson) {
    database.dsl().execute(
        "INSERT INTO plans (id, name, currency, base_fee_minor, included_tokens, monthly_token_quota, tool_call_price_minor,"
            + " model_prices, rate_limits, created_at) VALUES (?, ?, 'USD', 0, 0, NULL, 0, '{}', ?, NOW(6))",
        planId, planId, rateLimitsJson);
    database.dsl().execute("UPDATE companies SET plan_id = ? WHERE id = ?", planId, tenant.companyId());
  }

  @Test
  void givenTinyPlan_whenAKeyGoesOverItsLimits_itShouldGet429WithRetryAfterWhileOtherKeysCarryOn() {
    Tenant tenant = newCompany("keys-limited");
    putOnPlan(tenant, "tiny", "{\"requests_per_minute\": 5, \"chat_turns_per_minute\": 1}");
    String owner = tenant.apiKey();

    HttpJson.Response agent = http().post("/v1/agents", owner, Map.of("name", "a", "config", Map.of()));
    assertThat(agent.status()).isEqualTo(201);
    assertThat(agent.header("RateLimit-Limit")).isEqualTo("5");
    assertThat(agent.header("RateLimit-Remaining")).isEqualTo("4");
    String other = createKey(owner, Map.of("name", "other", "scopes", List.of("chat"))).text("api_key");
    for (int i = 0; i < 3; i++) {
      assertThat(http().get("/v1/agents", owner).status()).isEqualTo(200);
    }
    HttpJson.Response limited = http().get("/v1/agents", owner);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.text("code")).isEqualTo("RATE_LIMITED");
    assertThat(limited.text("request_id")).isNotBlank();
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(limited.text("detail")).contains("5 requests per minute for this key");

    // Another key of the same company has buckets of its own; chat turns have a bucket of their own too.
    String agentId = agent.text("id");
    HttpJson.Response chat = http().post("/v1/agents/" + agentId + "/chat", other, Map.of("message", "hi"));
    assertThat(chat.status()).isEqualTo(200);
    HttpJson.Response secondTurn = http().post("/v1/agents/" + agentId + "/chat", other, Map.of("message", "again"));
    assertThat(secondTurn.status()).isEqualTo(429);
    assertThat(secondTurn.text("detail")).contains("1 chat turns per minute");
    assertThat(secondTurn.header("Retry-After")).isNotNull();
    assertThat(http().get("/v1/agents", other).status()).isEqualTo(200);
  }

  @Test
  void givenPlanWithACompanyLimit_whenItsKeysTogetherExceedIt_itShouldLimitTheCompany() {
    Tenant tenant = newCompany("keys-company-limited");
    // Before the company's first keyed request, so its plan is not cached yet.
    putOnPlan(tenant, "tiny-company", "{\"requests_per_minute\": 100, \"company_requests_per_minute\": 3}");

    String second = createKey(tenant.apiKey(), Map.of("name", "second", "scopes", List.of("chat"))).text("api_key");
    assertThat(http().get("/v1/agents", second).status()).isEqualTo(200);
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);
    HttpJson.Response limited = http().get("/v1/agents", second);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.text("detail")).contains("for this company");
  }
}
