package dev.saturn.api.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jwtSecret the HS256 key of access tokens, at least 32 characters; blank: generated once
 *     into {@code <data-dir>/jwt-secret}
 * @param accessTokenTtl how long an access token from {@code POST /v1/auth/login} is valid
 */
@ConfigurationProperties("saturn.auth")
public record AuthProperties(String jwtSecret, @DefaultValue("15m") Duration accessTokenTtl) {

  public AuthProperties {
    if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
      throw new IllegalArgumentException("saturn.auth.access-token-ttl must be positive");
    }
  }
}
