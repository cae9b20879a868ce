package dev.saturn.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.identity.Caller;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.common.CompanyId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class AuditTrailTest {

  static final JsonMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
  final List<AuditEntry> written = new ArrayList<>();
  final AuditTrail trail = new AuditTrail(
      new AuditLogRepository(null) {
        @Override
        public void append(CompanyId company, AuditEntry entry) {
          written.add(entry);
        }
      },
      JSON,
      Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));
  final Caller caller = Caller.key(CompanyId.of("c1"), "k1", null, Set.of());

  record Target(String name, Map<String, Object> config) {}

  @Test
  void givenSecretLookingNames_whenChecked_itShouldRedactSecretsButNotSettingsThatMentionTokens() {
    assertThat(List.of("api_key", "apiKey", "X-Api-Key", "password", "client_secret", "Authorization", "access_token",
        "token", "authToken", "key_hash", "private_key", "credentials", "APIKEY"))
        .allSatisfy(name -> assertThat(AuditTrail.isSecret(name)).as(name).isTrue());
    assertThat(List.of("history_token_budget", "max_tokens", "input_tokens", "name", "keyboard", "monkey", "model", "temperature"))
        .allSatisfy(name -> assertThat(AuditTrail.isSecret(name)).as(name).isFalse());
  }

  @Test
  void givenChangeWithNestedSecret_whenRecorded_itShouldKeepOnlyChangedMembersWithSecretsRedacted() {
    Target before = new Target("bot", Map.of("temperature", 0.2, "history_token_budget", 500, "headers", Map.of("api_key", "sk-1")));
    Target after = new Target("bot", Map.of("temperature", 0.9, "history_token_budget", 500, "headers", Map.of("api_key", "sk-2")));

    trail.record(caller, "agent.update", "agent", "a1", before, after);

    AuditEntry entry = written.get(0);
    assertThat(entry.actorType()).isEqualTo("key");
    assertThat(entry.actorId()).isEqualTo("k1");
    assertThat(entry.diffJson()).doesNotContain("sk-1").doesNotContain("sk-2");
    JsonNode diff = JSON.readTree(entry.diffJson());
    assertThat(diff.path("before").has("name")).isFalse();
    assertThat(diff.path("before").path("config").path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(diff.path("after").path("config").path("temperature").asDouble()).isEqualTo(0.9);
    assertThat(diff.path("after").path("config").path("history_token_budget").asInt()).isEqualTo(500);
    assertThat(diff.path("after").path("config").path("headers").path("api_key").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void givenCreation_whenRecorded_itShouldHaveAnEmptyBefore() {
    trail.record(caller, "agent.create", "agent", "a1", null, new Target("bot", Map.of()));

    JsonNode diff = JSON.readTree(written.get(0).diffJson());
    assertThat(diff.path("before").isEmpty()).isTrue();
    assertThat(diff.path("after").path("name").asText()).isEqualTo("bot");
  }
}
