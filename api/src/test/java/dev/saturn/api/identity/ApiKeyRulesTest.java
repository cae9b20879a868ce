package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyRulesTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  static ApiKeyRow key(String status, Instant expiresAt, Instant graceUntil) {
    return new ApiKeyRow("k", "c", null, "n", "p", "h", "[\"chat\"]", status, NOW.minusSeconds(3600), expiresAt, null,
        null, graceUntil);
  }

  @Test
  void givenEachKeyState_whenAuthenticating_itShouldAcceptOnlyActiveOrRotatedInGrace() {
    assertThat(ApiKeyStatus.of(key("active", null, null), NOW)).isEqualTo(ApiKeyStatus.ACTIVE);
    assertThat(ApiKeyStatus.of(key("active", NOW, null), NOW)).isEqualTo(ApiKeyStatus.EXPIRED);
    assertThat(ApiKeyStatus.of(key("rotated", null, NOW.plusSeconds(1)), NOW)).isEqualTo(ApiKeyStatus.ROTATED);
    assertThat(ApiKeyStatus.of(key("rotated", null, NOW), NOW)).isEqualTo(ApiKeyStatus.EXPIRED);
    // The grace period never outlives the key's own expiry.
    assertThat(ApiKeyStatus.of(key("rotated", NOW.minusSeconds(1), NOW.plusSeconds(60)), NOW)).isEqualTo(ApiKeyStatus.EXPIRED);
    assertThat(ApiKeyStatus.of(key("revoked", null, null), NOW)).isEqualTo(ApiKeyStatus.REVOKED);
    assertThat(ApiKeyStatus.of(key("something-new", null, null), NOW)).isEqualTo(ApiKeyStatus.REVOKED);

    assertThat(ApiKeyStatus.authenticates(key("active", null, null), NOW)).isTrue();
    assertThat(ApiKeyStatus.authenticates(key("rotated", null, NOW.plusSeconds(1)), NOW)).isTrue();
    assertThat(ApiKeyStatus.authenticates(key("rotated", null, NOW.minusSeconds(1)), NOW)).isFalse();
    assertThat(ApiKeyStatus.authenticates(key("revoked", null, null), NOW)).isFalse();
  }

  @Test
  void givenCallerWithFewerPermissions_whenMintingAKey_itShouldBeForbiddenToGrantMore() {
    Caller limited = Caller.user(CompanyId.of("c"), "u", EnumSet.of(Permission.KEYS_MANAGE, Permission.CHAT, Permission.AGENTS_READ));

    assertThatCode(() -> ApiKeyService.mayGrant(limited, List.of("chat"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> ApiKeyService.mayGrant(limited, List.of("chat", "agents:write")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FORBIDDEN);
          assertThat(e.detail()).contains("agents_write");
        });
    assertThatThrownBy(() -> ApiKeyService.mayGrant(limited, List.of("admin")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FORBIDDEN));
  }

  @Test
  void givenUnknownScope_whenMintingAKey_itShouldNameTheScopesField() {
    Caller admin = Caller.user(CompanyId.of("c"), "u", EnumSet.allOf(Permission.class));

    assertThatThrownBy(() -> ApiKeyService.mayGrant(admin, List.of("chat", "root")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
          assertThat(e.fieldErrors()).extracting("field").containsExactly("scopes");
          assertThat(e.detail()).contains("root");
        });
  }
}
