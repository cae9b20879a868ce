package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.identity.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  AccessTokens at(Instant now) {
    return new AccessTokens(SECRET, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void givenIssuedToken_whenVerifiedBeforeExpiry_itShouldCarryUserCompanyAndRole() {
    AccessTokens.Issued issued = at(NOW).issue("company-1", "user-1", Role.DEVELOPER);

    assertThat(issued.expiresIn()).isEqualTo(Duration.ofMinutes(15));
    assertThat(at(NOW.plusSeconds(899)).verify(issued.token())).get().satisfies(claims -> {
      assertThat(claims.userId()).isEqualTo("user-1");
      assertThat(claims.companyId()).isEqualTo("company-1");
      assertThat(claims.role()).isEqualTo("developer");
      assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(900));
    });
  }

  @Test
  void givenExpiredToken_whenVerified_itShouldBeRefused() {
    String token = at(NOW).issue("c", "u", Role.OWNER).token();

    assertThat(at(NOW.plusSeconds(900)).verify(token)).isEmpty();
  }

  @Test
  void givenTamperedOrForeignTokens_whenVerified_itShouldRefuseThem() {
    String token = at(NOW).issue("c", "u", Role.VIEWER).token();
    String[] parts = token.split("\\.");
    String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"u\"", "\"v\"")
            .getBytes(StandardCharsets.UTF_8));
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    AccessTokens otherKey = new AccessTokens("another-secret-another-secret-another", Duration.ofMinutes(15),
        Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(at(NOW).verify(parts[0] + "." + forgedClaims + "." + parts[2])).isEmpty();
    assertThat(at(NOW).verify(none + "." + parts[1] + ".")).isEmpty();
    assertThat(otherKey.verify(token)).isEmpty();
    assertThat(at(NOW).verify("not-a-jwt")).isEmpty();
    assertThat(at(NOW).verify("")).isEmpty();
  }

  @Test
  void givenShortSecret_whenConstructed_itShouldRefuseToStart() {
    assertThatThrownBy(() -> new AccessTokens("short", Duration.ofMinutes(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32");
  }
}
