package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.e2e.TestApp.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/** Password reset by single-use, expiring tokens, over real HTTP against the whole application. */
class PasswordResetEndToEndTest extends BootedSaturn {

  static final String NEW_PASSWORD = "a brand new passphrase";

  @Test
  void givenAUserCreatedWithoutAPassword_whenTheOwnerIssuesAResetToken_itShouldSetThePasswordOnceAndLetTheUserLogIn()
      throws Exception {
    Tenant tenant = newCompany("reset-first");
    HttpJson.Response created = http().post("/v1/users", tenant.apiKey(), Map.of("email", "new@reset-first.test", "role", "developer"));
    assertThat(created.status()).isEqualTo(201);
    String userId = created.text("id");
    assertThat(login(tenant, "new@reset-first.test", NEW_PASSWORD).status()).isEqualTo(401);

    Instant before = Instant.now();
    HttpJson.Response issued = http().post("/v1/users/" + userId + "/password-reset", tenant.apiKey(), null);

    assertThat(issued.status()).as(issued.body().toString()).isEqualTo(201);
    String token = issued.text("token");
    assertThat(token).startsWith("prt_" + tenant.companyId() + "_");
    assertThat(issued.text("user_id")).isEqualTo(userId);
    assertThat(issued.body().path("mailed").asBoolean(true)).as("no mail server configured").isFalse();
    Instant expires = Instant.parse(issued.text("expires_at"));
    assertThat(expires).isBetween(before.plus(Duration.ofHours(24)).minusSeconds(5), Instant.now().plus(Duration.ofHours(24)));
    // Only a hash is stored.
    List<Record> stored = DATABASE.dsl().fetch(
        "SELECT token_hash FROM password_resets WHERE company_id = ? AND user_id = ?", tenant.companyId(), userId);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("token_hash", String.class)).isEqualTo(sha256(token)).doesNotContain(token);

    HttpJson.Response set = http().post("/v1/auth/password", null, Map.of("token", token, "password", NEW_PASSWORD));
    assertThat(set.status()).as(set.body() == null ? "" : set.body().toString()).isEqualTo(204);
    assertThat(login(tenant, "new@reset-first.test", NEW_PASSWORD).status()).isEqualTo(200);

    HttpJson.Response again = http().post("/v1/auth/password", null, Map.of("token", token, "password", "yet another passphrase"));
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.text("code")).isEqualTo("AUTH_INVALID");
    assertThat(login(tenant, "new@reset-first.test", NEW_PASSWORD).status()).as("the old token changed nothing").isEqualTo(200);

    List<Record> audit = DATABASE.dsl().fetch(
        "SELECT actor_type, actor_id, action, diff FROM audit_logs WHERE company_id = ? AND target_id = ? ORDER BY created_at, id",
        tenant.companyId(), userId);
    assertThat(audit).extracting(r -> r.get("action", String.class))
        .containsExactly("user.create", "user.password_reset_issue", "user.password_set");
    assertThat(audit.get(2).get("actor_type", String.class) + ":" + audit.get(2).get("actor_id", String.class))
        .isEqualTo("user:" + userId);
    assertThat(audit).allSatisfy(r -> assertThat(r.get("diff", String.class))
        .doesNotContain(token).doesNotContain(NEW_PASSWORD).doesNotContain("$2a$"));
  }

  @Test
  void givenANewerToken_whenTheOlderIsUsed_itShouldBeRefusedAndTheNewerShouldWork() {
    Tenant tenant = newCompany("reset-newer");
    String userId = newUser(tenant, "u@reset-newer.test", "viewer");
    String older = http().post("/v1/users/" + userId + "/password-reset", tenant.apiKey(), null).text("token");
    String newer = http().post("/v1/users/" + userId + "/password-reset", tenant.apiKey(), null).text("token");

    assertThat(http().post("/v1/auth/password", null, Map.of("token", older, "password", NEW_PASSWORD)).status())
        .isEqualTo(401);
    assertThat(login(tenant, "u@reset-newer.test", PASSWORD).status()).as("old password unchanged").isEqualTo(200);
    assertThat(http().post("/v1/auth/password", null, Map.of("token", newer, "password", NEW_PASSWORD)).status())
        .isEqualTo(204);
    assertThat(login(tenant, "u@reset-newer.test", NEW_PASSWORD).status()).isEqualTo(200);
    assertThat(login(tenant, "u@reset-newer.test", PASSWORD).status()).isEqualTo(401);
  }

  @Test
  void givenAnExpiredToken_whenUsed_itShouldBeRefusedLikeAnUnknownOne() {
    Tenant tenant = newCompany("reset-expired");
    String userId = newUser(tenant, "u@reset-expired.test", "viewer");
    String token = http().post("/v1/users/" + userId + "/password-reset", tenant.apiKey(), null).text("token");
    DATABASE.dsl().execute("UPDATE password_resets SET expires_at = ? WHERE company_id = ? AND user_id = ?",
        java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1), tenant.companyId(), userId);

    HttpJson.Response expired = http().post("/v1/auth/password", null, Map.of("token", token, "password", NEW_PASSWORD));
    HttpJson.Response unknown = http().post("/v1/auth/password", null,
        Map.of("token", "prt_" + tenant.companyId() + "_" + "x".repeat(32), "password", NEW_PASSWORD));
    HttpJson.Response malformed = http().post("/v1/auth/password", null, Map.of("token", "garbage", "password", NEW_PASSWORD));

    assertThat(List.of(expired, unknown, malformed)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.text("code")).isEqualTo("AUTH_INVALID");
    });
    assertThat(List.of(expired, unknown, malformed).stream().map(r -> r.text("detail")).distinct()).hasSize(1);
    assertThat(login(tenant, "u@reset-expired.test", PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void givenAWeakPassword_whenSetWithAToken_itShouldNameTheFieldAndLeaveTheTokenUsable() {
    Tenant tenant = newCompany("reset-weak");
    String userId = newUser(tenant, "u@reset-weak.test", "viewer");
    String token = http().post("/v1/users/" + userId + "/password-reset", tenant.apiKey(), null).text("token");

    HttpJson.Response weak = http().post("/v1/auth/password", null, Map.of("token", token, "password", "short"));

    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.body().path("field_errors").findValuesAsText("field")).contains("password");
    assertThat(http().post("/v1/auth/password", null, Map.of("token", token, "password", NEW_PASSWORD)).status())
        .isEqualTo(204);
  }

  @Test
  void givenAnAdmin_whenResettingAnOwnersPassword_itShouldBeForbiddenButAnotherUsersAllowed() {
    Tenant tenant = newCompany("reset-roles");
    newUser(tenant, "admin@reset-roles.test", "admin");
    String viewerId = newUser(tenant, "v@reset-roles.test", "viewer");
    String admin = token(tenant, "admin@reset-roles.test");
    String viewer = token(tenant, "v@reset-roles.test");

    HttpJson.Response owner = http().post("/v1/users/" + tenant.ownerId() + "/password-reset", admin, null);
    assertThat(owner.status()).isEqualTo(403);
    assertThat(owner.text("code")).isEqualTo("AUTH_FORBIDDEN");
    assertThat(http().post("/v1/users/" + viewerId + "/password-reset", admin, null).status()).isEqualTo(201);
    assertThat(http().post("/v1/users/" + viewerId + "/password-reset", viewer, null).status()).isEqualTo(403);
    // Another company's user is not found, and no token is made for it.
    Tenant other = newCompany("reset-roles-other");
    assertThat(http().post("/v1/users/" + viewerId + "/password-reset", other.apiKey(), null).status()).isEqualTo(404);
    assertThat(http().post("/v1/users/" + tenant.ownerId() + "/password-reset", tenant.apiKey(), null).status())
        .as("the owner may").isEqualTo(201);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
