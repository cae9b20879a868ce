package dev.saturn.api.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jwtSecret the HS256 key of access tokens, at least 32 characters; blank: generated once
 *     into {@code <data-dir>/jwt-secret}
 * @param accessTokenTtl how long an access token from {@code POST /v1/auth/login} is valid
 * @param login throttling of password logins and the bounded pool that runs BCrypt
 * @param passwordReset password-reset tokens and their optional delivery by mail
 */
@ConfigurationProperties("saturn.auth")
public record AuthProperties(
    String jwtSecret, @DefaultValue("15m") Duration accessTokenTtl, @DefaultValue Login login,
    @DefaultValue PasswordReset passwordReset) {

  public AuthProperties {
    if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
      throw new IllegalArgumentException("saturn.auth.access-token-ttl must be positive");
    }
  }

  /**
   * @param ttl how long a reset token from {@code POST /v1/users/{id}/password-reset} is valid
   * @param link the link a reset mail carries, with {@code {token}} where the token goes; blank:
   *     the mail carries the token alone
   * @param mailFrom the sender of reset mails (sent only when {@code spring.mail.host} is set)
   */
  public record PasswordReset(
      @DefaultValue("24h") Duration ttl, @DefaultValue("") String link, @DefaultValue("saturn@localhost") String mailFrom) {

    public PasswordReset {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("saturn.auth.password-reset.ttl must be positive");
      }
    }
  }

  /**
   * @param attemptsPerIpPerMinute login attempts one client address may make per minute (0: no limit)
   * @param freeFailures consecutive failed logins of one account (company and email) before it must wait
   * @param firstLockout the wait after {@code freeFailures} failures; it doubles with every further failure
   * @param maxLockout the longest wait
   * @param hashingThreads threads that run BCrypt (0: one per processor)
   * @param hashingQueue checks that may wait for a thread; beyond that a login answers 429 at once
   * @param hashingWait how long a check may wait for a thread before the login answers 429
   */
  public record Login(
      @DefaultValue("20") int attemptsPerIpPerMinute,
      @DefaultValue("5") int freeFailures,
      @DefaultValue("30s") Duration firstLockout,
      @DefaultValue("15m") Duration maxLockout,
      @DefaultValue("0") int hashingThreads,
      @DefaultValue("32") int hashingQueue,
      @DefaultValue("5s") Duration hashingWait) {

    public Login {
      if (attemptsPerIpPerMinute < 0 || freeFailures < 1 || hashingThreads < 0 || hashingQueue < 0) {
        throw new IllegalArgumentException("saturn.auth.login: counts must not be negative (free-failures at least 1)");
      }
      if (isNotPositive(firstLockout) || maxLockout.compareTo(firstLockout) < 0 || isNotPositive(hashingWait)) {
        throw new IllegalArgumentException("saturn.auth.login: durations must be positive, max-lockout >= first-lockout");
      }
    }

    private static boolean isNotPositive(Duration duration) {
      return duration.isZero() || duration.isNegative();
    }

    int threads() {
      return hashingThreads == 0 ? Runtime.getRuntime().availableProcessors() : hashingThreads;
    }
  }
}
