package dev.saturn.app.e2e;

import dev.saturn.app.e2e.TestApp.Tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/** Login, access tokens, user management and its rules, over real HTTP against the whole application. */
class UsersEndToEndTest extends BootedSaturn {

  @Test
  void givenUserWithPassword_whenLoggingIn_itShouldGetABearerTokenThatAuthenticatesAsTheUser() throws Exception {
    Tenant tenant = newCompany("login-ok");
    String userId = newUser(tenant, "dev@login-ok.test", "developer");

    HttpJson.Response login = login(tenant, "dev@login-ok.test", PASSWORD);

    assertThat(login.status()).isEqualTo(200);
    assertThat(login.text("token_type")).isEqualTo("Bearer");
    assertThat(login.body().path("expires_in").asLong()).isEqualTo(900);
    SignedJWT jwt = SignedJWT.parse(login.text("access_token"));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(userId);
    assertThat(jwt.getJWTClaimsSet().getStringClaim("company_id")).isEqualTo(tenant.companyId());
    assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("developer");
    assertThat(jwt.getJWTClaimsSet().getIssueTime()).isNotNull();
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(jwt.getJWTClaimsSet().getIssueTime().toInstant().plusSeconds(900));

    String token = login.text("access_token");
    assertThat(http().get("/v1/agents", token).status()).isEqualTo(200);
    HttpJson.Response agent = http().post("/v1/agents", token, Map.of("name", "built by a user", "config", Map.of()));
    assertThat(agent.status()).isEqualTo(201);
    assertThat(http().get("/v1/users/" + userId, token).text("email")).isEqualTo("dev@login-ok.test");
    // A developer may read users but not manage them.
    HttpJson.Response forbidden = http().post("/v1/users", token, Map.of("email", "x@login-ok.test", "role", "viewer"));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.text("code")).isEqualTo("AUTH_FORBIDDEN");
  }

  @Test
  void givenBadCredentials_whenLoggingIn_itShouldAnswerTheSame401WhateverWasWrong() {
    Tenant tenant = newCompany("login-bad");
    String userId = newUser(tenant, "v@login-bad.test", "viewer");
    newUser(tenant, "gone@login-bad.test", "viewer");
    String gone = idOf(tenant, "gone@login-bad.test");
    assertThat(http().post("/v1/users/" + gone + "/deactivate", tenant.apiKey(), null).status()).isEqualTo(200);
    Tenant other = newCompany("login-bad-other");

    List<HttpJson.Response> failures = List.of(
        login(tenant, "v@login-bad.test", "wrong password!"),
        login(tenant, "nobody@login-bad.test", PASSWORD),
        login(tenant, "gone@login-bad.test", PASSWORD),
        login(tenant, "owner@login-bad.test", PASSWORD), // the owner has no password
        login(other, "v@login-bad.test", PASSWORD),
        http().post("/v1/auth/login", null, Map.of("company_id", "no-such-company", "email", "v@login-bad.test",
            "password", PASSWORD)));

    assertThat(failures).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.text("code")).isEqualTo("AUTH_INVALID");
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    });
    assertThat(failures.stream().map(r -> r.text("detail")).distinct()).hasSize(1);
    assertThat(login(tenant, "v@login-bad.test", PASSWORD).status()).isEqualTo(200);
    assertThat(userId).isNotBlank();
    HttpJson.Response missingField = http().post("/v1/auth/login", null, Map.of("email", "v@login-bad.test"));
    assertThat(missingField.status()).isEqualTo(400);
    assertThat(missingField.text("code")).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void givenExpiredTamperedOrForeignTokens_whenUsed_itShouldAnswer401() throws Exception {
    Tenant tenant = newCompany("tokens");
    String viewerId = newUser(tenant, "v@tokens.test", "viewer");
    String token = token(tenant, "v@tokens.test");
    assertThat(http().get("/v1/agents", token).status()).isEqualTo(200);

    String expired = sign(JWT_SECRET, claims(tenant.companyId(), viewerId, Instant.now().minusSeconds(1)));
    String otherKey = sign("some-other-secret-some-other-secret-0000", claims(tenant.companyId(), viewerId,
        Instant.now().plusSeconds(600)));
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String tampered = parts[0] + "." + b64(payload.replace("\"viewer\"", "\"owner\"")) + "." + parts[2];
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String valid = sign(JWT_SECRET, claims(tenant.companyId(), viewerId, Instant.now().plusSeconds(600)));

    for (String bad : List.of(expired, otherKey, tampered, unsigned, "garbage", parts[0] + "." + parts[1])) {
      HttpJson.Response response = http().get("/v1/agents", bad);
      assertThat(response.status()).as(bad).isEqualTo(401);
      assertThat(response.text("code")).isEqualTo("AUTH_INVALID");
    }
    // The forging helper itself is right: the same claims, signed with the application's key, pass.
    assertThat(http().get("/v1/agents", valid).status()).isEqualTo(200);
    // A token of one company cannot be pointed at another company's user.
    Tenant other = newCompany("tokens-other");
    String crossed = sign(JWT_SECRET, claims(other.companyId(), viewerId, Instant.now().plusSeconds(600)));
    assertThat(http().get("/v1/agents", crossed).status()).isEqualTo(401);
  }

  @Test
  void givenUsers_whenManaged_itShouldApplyRoleRulesAndWriteAuditRows() {
    Tenant tenant = newCompany("crud");
    String adminId = newUser(tenant, "admin@crud.test", "admin");
    String adminToken = token(tenant, "admin@crud.test");

    // Create, read, list.
    HttpJson.Response created = http().post("/v1/users", adminToken,
        Map.of("email", "dev@crud.test", "name", "Dev", "role", "developer"));
    assertThat(created.status()).isEqualTo(201);
    String devId = created.text("id");
    assertThat(created.text("role")).isEqualTo("developer");
    assertThat(created.text("status")).isEqualTo("active");
    assertThat(created.body().has("password")).isFalse();
    assertThat(created.body().has("password_hash")).isFalse();
    assertThat(http().get("/v1/users/" + devId, adminToken).text("name")).isEqualTo("Dev");
    HttpJson.Response duplicate = http().post("/v1/users", adminToken, Map.of("email", "DEV@crud.test", "role", "viewer"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.text("code")).isEqualTo("CONFLICT");
    HttpJson.Response badRole = http().post("/v1/users", adminToken, Map.of("email", "r@crud.test", "role", "root"));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.body().path("field_errors").findValuesAsText("field")).containsExactly("role");
    HttpJson.Response shortPassword = http().post("/v1/users", adminToken,
        Map.of("email", "p@crud.test", "role", "viewer", "password", "short"));
    assertThat(shortPassword.body().path("field_errors").findValuesAsText("field")).containsExactly("password");

    List<String> listed = new ArrayList<>();
    String cursor = null;
    do {
      HttpJson.Response page = http().get("/v1/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), adminToken);
      assertThat(page.status()).isEqualTo(200);
      page.body().path("items").forEach(u -> listed.add(u.path("id").asText()));
      cursor = page.text("next_cursor");
    } while (cursor != null);
    assertThat(listed).containsExactlyInAnyOrder(tenant.ownerId(), adminId, devId);
    assertThat(http().get("/v1/users?limit=500", adminToken).status()).isEqualTo(400);
    assertThat(http().get("/v1/users?cursor=bm9wZQ", adminToken).status()).isEqualTo(400);

    // Role change by an admin; the owner role is out of an admin's reach.
    HttpJson.Response promoted = http().send("PATCH", "/v1/users/" + devId, adminToken, Map.of("role", "admin"), Map.of());
    assertThat(promoted.status()).isEqualTo(200);
    assertThat(promoted.text("role")).isEqualTo("admin");
    for (HttpJson.Response denied : List.of(
        http().send("PATCH", "/v1/users/" + devId, adminToken, Map.of("role", "owner"), Map.of()),
        http().send("PATCH", "/v1/users/" + tenant.ownerId(), adminToken, Map.of("role", "viewer"), Map.of()),
        http().post("/v1/users/" + tenant.ownerId() + "/deactivate", adminToken, null),
        http().post("/v1/users", adminToken, Map.of("email", "o@crud.test", "role", "owner")))) {
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.text("code")).isEqualTo("AUTH_FORBIDDEN");
    }
    assertThat(http().get("/v1/users/" + tenant.ownerId(), adminToken).text("role")).isEqualTo("owner");

    // Deactivation ends the user's access at once, reactivation restores it.
    String adminToken2 = token(tenant, "admin@crud.test");
    HttpJson.Response deactivated = http().post("/v1/users/" + adminId + "/deactivate", tenant.apiKey(), null);
    assertThat(deactivated.status()).isEqualTo(200);
    assertThat(deactivated.text("status")).isEqualTo("inactive");
    assertThat(http().get("/v1/agents", adminToken2).status()).isEqualTo(401);
    assertThat(login(tenant, "admin@crud.test", PASSWORD).status()).isEqualTo(401);
    assertThat(http().post("/v1/users/" + adminId + "/reactivate", tenant.apiKey(), null).text("status"))
        .isEqualTo("active");
    assertThat(http().get("/v1/agents", adminToken2).status()).isEqualTo(200);

    // A demotion applies to tokens already issued: the role comes from the database.
    assertThat(http().send("PATCH", "/v1/users/" + adminId, tenant.apiKey(), Map.of("role", "viewer"), Map.of())
        .status()).isEqualTo(200);
    assertThat(http().get("/v1/users", adminToken).status()).isEqualTo(403);

    // Unknown and foreign ids are 404.
    Tenant other = newCompany("crud-other");
    assertThat(http().get("/v1/users/" + devId, other.apiKey()).status()).isEqualTo(404);
    assertThat(http().send("PATCH", "/v1/users/" + devId, other.apiKey(), Map.of("role", "viewer"), Map.of())
        .status()).isEqualTo(404);
    assertThat(http().post("/v1/users/" + devId + "/deactivate", other.apiKey(), null).status()).isEqualTo(404);

    // Audit: one row per change, with the actor, and never a password.
    List<Record> audit = DATABASE.dsl().fetch(
        "SELECT actor_type, actor_id, action, target_id, diff FROM audit_logs WHERE company_id = ? ORDER BY created_at, id",
        tenant.companyId());
    assertThat(audit).extracting(r -> r.get("action", String.class)).containsExactlyInAnyOrder(
        "user.create", "user.create", "user.role_change", "user.deactivate", "user.reactivate", "user.role_change");
    assertThat(audit).filteredOn(r -> r.get("target_id", String.class).equals(devId))
        .extracting(r -> r.get("actor_type", String.class) + ":" + r.get("actor_id", String.class))
        .containsOnly("user:" + adminId);
    Record roleChange = audit.stream()
        .filter(r -> r.get("action", String.class).equals("user.role_change") && r.get("target_id", String.class).equals(devId))
        .findFirst().orElseThrow();
    JsonNode diff = json(roleChange.get("diff", String.class));
    assertThat(diff.path("before").path("role").asText()).isEqualTo("developer");
    assertThat(diff.path("after").path("role").asText()).isEqualTo("admin");
    assertThat(audit).allSatisfy(r -> assertThat(r.get("diff", String.class)).doesNotContain("$2a$").doesNotContain(PASSWORD));
  }

  @Test
  void givenAnOwnersKey_whenAnAdminRotatesOrRevokesIt_itShouldBeForbiddenWhileItsHolderAndOtherOwnersMay() {
    Tenant tenant = newCompany("owner-keys");
    String ownerKeyId = keyIdOf(tenant, tenant.ownerId());
    newUser(tenant, "admin@owner-keys.test", "admin");
    String adminToken = token(tenant, "admin@owner-keys.test");

    // An admin may neither rotate (which would hand them a working copy of the owner's key) nor revoke it.
    for (HttpJson.Response denied : List.of(
        http().post("/v1/api-keys/" + ownerKeyId + "/rotate", adminToken, null),
        http().post("/v1/api-keys/" + ownerKeyId + "/revoke", adminToken, null))) {
      assertThat(denied.status()).as(denied.body().toString()).isEqualTo(403);
      assertThat(denied.text("code")).isEqualTo("AUTH_FORBIDDEN");
      assertThat(denied.body().has("api_key")).isFalse();
    }
    assertThat(http().get("/v1/api-keys/" + ownerKeyId, tenant.apiKey()).text("status")).isEqualTo("active");
    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(200);

    // The admin's own keys stay the admin's to manage.
    HttpJson.Response adminKey = http().post("/v1/api-keys", adminToken, Map.of("name", "mine", "scopes", List.of("chat")));
    assertThat(adminKey.status()).isEqualTo(201);
    String adminKeyId = adminKey.body().path("key").path("id").asText();
    assertThat(http().post("/v1/api-keys/" + adminKeyId + "/rotate", adminToken, null).status()).isEqualTo(201);

    // Another owner may, and so may the key's holder.
    HttpJson.Response secondOwner = http().post("/v1/users", tenant.apiKey(),
        Map.of("email", "second@owner-keys.test", "role", "owner", "password", PASSWORD));
    assertThat(secondOwner.status()).isEqualTo(201);
    String ownerToken = token(tenant, "second@owner-keys.test");
    HttpJson.Response rotated = http().post("/v1/api-keys/" + ownerKeyId + "/rotate", ownerToken, null);
    assertThat(rotated.status()).as(rotated.body().toString()).isEqualTo(201);
    String newOwnerKey = rotated.text("api_key");
    String newOwnerKeyId = rotated.body().path("key").path("id").asText();
    assertThat(http().post("/v1/api-keys/" + newOwnerKeyId + "/rotate", newOwnerKey, null).status()).isEqualTo(201);
    // The second owner is an owner too: the admin cannot touch that owner's keys either.
    HttpJson.Response secondOwnersKey = http().post("/v1/api-keys", ownerToken, Map.of("name", "o2", "scopes", List.of("admin")));
    String secondOwnersKeyId = secondOwnersKey.body().path("key").path("id").asText();
    assertThat(http().post("/v1/api-keys/" + secondOwnersKeyId + "/revoke", adminToken, null).status()).isEqualTo(403);
    assertThat(http().post("/v1/api-keys/" + secondOwnersKeyId + "/revoke", ownerToken, null).status()).isEqualTo(200);
  }

  private String keyIdOf(Tenant tenant, String userId) {
    for (JsonNode key : http().get("/v1/api-keys?limit=200", tenant.apiKey()).body().path("items")) {
      if (userId.equals(key.path("user_id").asText(null))) {
        return key.path("id").asText();
      }
    }
    throw new AssertionError("no key of user " + userId);
  }

  @Test
  void givenRepeatedFailedLogins_whenTheAccountMustWait_itShouldAnswer429WithRetryAfterEvenForTheRightPassword() {
    Tenant tenant = newCompany("login-throttle");
    newUser(tenant, "u@login-throttle.test", "viewer");
    for (int i = 0; i < 5; i++) {
      assertThat(login(tenant, "u@login-throttle.test", "wrong password " + i).status()).isEqualTo(401);
    }
    HttpJson.Response waiting = login(tenant, "u@login-throttle.test", PASSWORD);
    assertThat(waiting.status()).isEqualTo(429);
    assertThat(waiting.text("code")).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(waiting.header("Retry-After"))).isBetween(1L, 30L);
    // Another account of the same company is not affected.
    newUser(tenant, "other@login-throttle.test", "viewer");
    assertThat(login(tenant, "other@login-throttle.test", PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void givenOneActiveOwner_whenDemotedOrDeactivated_itShouldAnswerConflictUntilThereIsAnother() {
    Tenant tenant = newCompany("owners");
    String owner = tenant.ownerId();

    for (HttpJson.Response last : List.of(
        http().send("PATCH", "/v1/users/" + owner, tenant.apiKey(), Map.of("role", "admin"), Map.of()),
        http().post("/v1/users/" + owner + "/deactivate", tenant.apiKey(), null))) {
      assertThat(last.status()).isEqualTo(409);
      assertThat(last.text("code")).isEqualTo("CONFLICT");
    }

    String second = newUser(tenant, "second@owners.test", "owner");
    String secondToken = token(tenant, "second@owners.test");
    HttpJson.Response demoted = http().send("PATCH", "/v1/users/" + owner, secondToken, Map.of("role", "admin"), Map.of());
    assertThat(demoted.status()).isEqualTo(200);
    // Now the second owner is the last one, whoever asks.
    assertThat(http().post("/v1/users/" + second + "/deactivate", secondToken, null).status()).isEqualTo(409);
    assertThat(http().send("PATCH", "/v1/users/" + second, secondToken, Map.of("role", "viewer"), Map.of()).status())
        .isEqualTo(409);
    assertThat(DATABASE.dsl().fetchValue(
        "SELECT COUNT(*) FROM memberships WHERE company_id = ? AND role = 'owner'", tenant.companyId()).toString())
        .isEqualTo("1");
  }

  @Test
  void givenKeyOfADeactivatedOwner_whenUsed_itShouldAnswer401AndOnlyKeysTouchLastUsed() {
    Tenant tenant = newCompany("keys");
    newUser(tenant, "second@keys.test", "owner");
    String secondToken = token(tenant, "second@keys.test");
    assertThat(http().get("/v1/agents", secondToken).status()).isEqualTo(200);
    assertThat(DATABASE.dsl().fetchValue(
        "SELECT COUNT(*) FROM api_keys WHERE company_id = ? AND last_used_at IS NOT NULL", tenant.companyId()).toString())
        .isEqualTo("1"); // the owner key, used to create the second owner

    assertThat(http().post("/v1/users/" + tenant.ownerId() + "/deactivate", secondToken, null).status()).isEqualTo(200);

    assertThat(http().get("/v1/agents", tenant.apiKey()).status()).isEqualTo(401);
  }

  private String idOf(Tenant tenant, String email) {
    for (JsonNode user : http().get("/v1/users?limit=200", tenant.apiKey()).body().path("items")) {
      if (user.path("email").asText().equals(email)) {
        return user.path("id").asText();
      }
    }
    throw new AssertionError("no user " + email);
  }

  private static JWTClaimsSet claims(String companyId, String userId, Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer("saturn")
        .subject(userId)
        .claim("company_id", companyId)
        .claim("role", "owner")
        .issueTime(Date.from(expires.minusSeconds(900)))
        .expirationTime(Date.from(expires))
        .build();
  }

  private static String sign(String secret, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(text, e);
    }
  }
}
