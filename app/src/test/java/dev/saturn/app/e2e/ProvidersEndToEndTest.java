package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.llm.testing.OllamaStandIn;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.db.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A company's own provider settings over real HTTP: the key is sealed and never shown again, the
 * company's agents use the company's Ollama (its key, its default model) instead of the server's,
 * tenant base URLs pass the SSRF guard, and every change is audited without the key.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvidersEndToEndTest {

  static final String ADMIN = "providers-e2e-operator-token";
  static final String KEY = "ollama-proxy-key-do-not-leak-0815";
  static TestDatabase database;
  static OllamaStandIn companyOllama;

  @LocalServerPort int port;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    companyOllama = OllamaStandIn.start().withUsage(13, 4);
  }

  @AfterAll
  static void stop() {
    companyOllama.close();
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "providers-e2e-data", ADMIN);
    // The server's own Ollama answers nothing: a reply proves the company's settings were used.
    registry.add("saturn.llm.ollama.base-url", () -> "http://server-ollama.invalid:11434");
    registry.add("saturn.outbound.allowed-hosts", () -> "127.0.0.1:" + companyOllama.baseUrl().replaceAll(".*:", ""));
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  HttpJson.Response put(Tenant tenant, String provider, Map<String, Object> body) {
    return http().send("PUT", "/v1/providers/" + provider, tenant.apiKey(), body, Map.of());
  }

  @Test
  void givenCompanyOllamaSettings_whenAnAgentChats_itShouldUseTheCompanysEndpointKeyAndModelAndNeverShowTheKey() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "prov-" + System.nanoTime());

    HttpJson.Response stored = put(tenant, "ollama",
        Map.of("base_url", companyOllama.baseUrl(), "api_key", KEY, "default_model", "qwen2.5:7b"));
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "ollama"));
    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Hi there"));

    assertThat(stored.status()).as(stored.body().toString()).isEqualTo(200);
    assertThat(stored.body().path("api_key_set").asBoolean()).isTrue();
    assertThat(stored.body().path("base_url").asText()).isEqualTo(companyOllama.baseUrl());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    assertThat(reply.body().path("message").path("content").asText()).startsWith("ollama reply #").endsWith("to: Hi there");
    assertThat(reply.body().path("usage").path("input_tokens").asLong()).isEqualTo(13);
    assertThat(companyOllama.lastRequest().model()).isEqualTo("qwen2.5:7b");
    assertThat(companyOllama.lastRequest().header("Authorization")).isEqualTo("Bearer " + KEY);
    HttpJson.Response one = http().get("/v1/providers/ollama", tenant.apiKey());
    HttpJson.Response all = http().get("/v1/providers", tenant.apiKey());
    HttpJson.Response audit = http().get("/v1/audit-logs?limit=50", tenant.apiKey());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().path("api_key_set").asBoolean()).isTrue();
    assertThat(all.body().path("items")).hasSize(1);
    assertThat(audit.raw().body()).contains("provider.put");
    for (HttpJson.Response shown : java.util.List.of(stored, one, all, audit)) {
      assertThat(shown.raw().body()).doesNotContain(KEY).doesNotContain("v1:");
    }
  }

  @Test
  void givenStoredSettings_whenPutWithoutAKey_itShouldKeepItOnTheSameServerAndDropItWhenTheUrlMoves() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "prov-keep-" + System.nanoTime());
    put(tenant, "openai", Map.of("base_url", "https://llm.example.test/v1", "api_key", KEY));

    HttpJson.Response sameServer = put(tenant, "openai", Map.of("base_url", "https://llm.example.test/v1", "default_model", "m2"));
    HttpJson.Response moved = put(tenant, "openai", Map.of("base_url", "https://other.example.test/v1"));
    HttpJson.Response keyed = put(tenant, "OpenAI", Map.of("api_key", KEY));
    HttpJson.Response cleared = put(tenant, "openai", Map.of("api_key", ""));

    assertThat(sameServer.body().path("api_key_set").asBoolean()).isTrue();
    assertThat(sameServer.body().path("default_model").asText()).isEqualTo("m2");
    assertThat(moved.body().path("api_key_set").asBoolean()).isFalse();
    assertThat(keyed.status()).isEqualTo(200);
    assertThat(keyed.body().path("provider").asText()).isEqualTo("openai");
    assertThat(keyed.body().path("base_url").isNull()).as("the server's base URL applies").isTrue();
    assertThat(keyed.body().path("api_key_set").asBoolean()).isTrue();
    assertThat(cleared.body().path("api_key_set").asBoolean()).isFalse();
  }

  @Test
  void givenBadSettings_whenPut_itShouldRefuseThemAndStoreNothing() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "prov-bad-" + System.nanoTime());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("base_url", "http://169.254.169.254/latest");

    HttpJson.Response ssrf = put(tenant, "ollama", metadata);
    HttpJson.Response loopback = put(tenant, "ollama", Map.of("base_url", "http://127.0.0.1:1/"));
    HttpJson.Response credentials = put(tenant, "openai", Map.of("base_url", "https://user:pw@llm.example.test/v1"));
    HttpJson.Response empty = put(tenant, "openai", Map.of());
    HttpJson.Response unknown = put(tenant, "anthropic", Map.of("default_model", "x"));
    HttpJson.Response offline = put(tenant, "offline", Map.of("default_model", "x"));

    assertThat(ssrf.status()).isEqualTo(400);
    assertThat(ssrf.body().path("field_errors").findValuesAsText("field")).containsExactly("base_url");
    assertThat(ssrf.raw().body()).contains("link-local");
    assertThat(loopback.status()).as(loopback.body().toString()).isEqualTo(400);
    assertThat(credentials.status()).isEqualTo(400);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(offline.status()).isEqualTo(404);
    assertThat(http().get("/v1/providers", tenant.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenSettings_whenDeleted_itShouldAnswer404AfterwardsAndTheAgentFallsBackToTheServer() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "prov-del-" + System.nanoTime());
    put(tenant, "ollama", Map.of("base_url", companyOllama.baseUrl()));
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "ollama"));

    HttpJson.Response deleted = http().send("DELETE", "/v1/providers/ollama", tenant.apiKey(), null, Map.of());
    HttpJson.Response again = http().send("DELETE", "/v1/providers/ollama", tenant.apiKey(), null, Map.of());
    int before = companyOllama.requests().size();
    HttpJson.Response reply = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "Hi"));

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(again.status()).isEqualTo(404);
    assertThat(http().get("/v1/providers/ollama", tenant.apiKey()).status()).isEqualTo(404);
    // The server's Ollama does not resolve: the turn fails at once instead of reaching the company's.
    assertThat(reply.status()).isGreaterThanOrEqualTo(500);
    assertThat(reply.text("code")).isEqualTo("LLM_PROVIDER_ERROR");
    assertThat(companyOllama.requests()).hasSize(before);
  }
}
