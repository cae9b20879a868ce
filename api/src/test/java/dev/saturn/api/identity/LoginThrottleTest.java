package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.testing.MovableClock;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T10:00:00Z"));

  LoginThrottle throttle(int perIp) {
    AuthProperties.Login login = new AuthProperties.Login(
        perIp, 3, Duration.ofSeconds(30), Duration.ofMinutes(5), 0, 32, Duration.ofSeconds(5));
    return new LoginThrottle(new AuthProperties(null, Duration.ofMinutes(15), login, new AuthProperties.PasswordReset(Duration.ofHours(24), "", "saturn@localhost")), clock);
  }

  @Test
  void givenFailuresBeyondTheFreeOnes_whenTheAccountLogsInAgain_itShouldWaitTwiceAsLongAfterEachFurtherFailure() {
    LoginThrottle throttle = throttle(0);
    for (int i = 0; i < 2; i++) {
      throttle.admit("10.0.0.1", "c1", "User@Example.test");
      throttle.failed("c1", "user@example.test");
    }
    throttle.admit("10.0.0.1", "c1", "user@example.test");
    throttle.failed("c1", "user@example.test"); // third failure: 30 s

    assertThat(retryAfter(() -> throttle.admit("10.0.0.9", "c1", "USER@example.test"))).isEqualTo(30);
    clock.advance(Duration.ofSeconds(29));
    assertThat(retryAfter(() -> throttle.admit("10.0.0.1", "c1", "user@example.test"))).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    throttle.admit("10.0.0.1", "c1", "user@example.test");
    throttle.failed("c1", "user@example.test"); // fourth: 60 s
    assertThat(retryAfter(() -> throttle.admit("10.0.0.1", "c1", "user@example.test"))).isEqualTo(60);
    for (int i = 0; i < 10; i++) {
      throttle.failed("c1", "user@example.test");
    }
    assertThat(retryAfter(() -> throttle.admit("10.0.0.1", "c1", "user@example.test"))).isEqualTo(300);

    // The same email in another company is another account; a success clears the failures.
    throttle.admit("10.0.0.1", "c2", "user@example.test");
    throttle.succeeded("c1", "user@example.test");
    throttle.admit("10.0.0.1", "c1", "user@example.test");
  }

  @Test
  void givenTheApisLoginBudgetSpent_whenTheSameAddressUsesTheConsoleSignIn_itShouldHaveItsOwnBucketButShareAccountFailures() {
    LoginThrottle throttle = throttle(2);
    throttle.admit("203.0.113.7", "c1", "a@example.test");
    throttle.admit("203.0.113.7", "c1", "b@example.test");
    assertThat(retryAfter(() -> throttle.admit("203.0.113.7", "c1", "c@example.test"))).isBetween(1L, 60L);

    throttle.admit(LoginThrottle.Door.CONSOLE, "203.0.113.7", "console", "c@example.test");
    throttle.admit(LoginThrottle.Door.CONSOLE, "203.0.113.7", "console", "d@example.test");
    assertThat(retryAfter(() -> throttle.admit(LoginThrottle.Door.CONSOLE, "203.0.113.7", "console", "e@example.test")))
        .isBetween(1L, 60L);

    LoginThrottle unlimited = throttle(0);
    for (int i = 0; i < 3; i++) {
      unlimited.failed("c1", "f@example.test");
    }
    assertThat(retryAfter(() -> unlimited.admit(LoginThrottle.Door.CONSOLE, "203.0.113.9", "c1", "f@example.test")))
        .isEqualTo(30);
  }

  @Test
  void givenOneAddress_whenItTriesMoreThanItsLimitPerMinute_itShouldWaitWhileOtherAddressesGoOn() {
    LoginThrottle throttle = throttle(5);
    for (int i = 0; i < 5; i++) {
      throttle.admit("203.0.113.7", "c1", "guess" + i + "@example.test");
    }
    long wait = retryAfter(() -> throttle.admit("203.0.113.7", "c1", "guess6@example.test"));
    assertThat(wait).isBetween(1L, 60L);
    throttle.admit("203.0.113.8", "c1", "guess6@example.test");
  }

  private static long retryAfter(Runnable attempt) {
    try {
      attempt.run();
    } catch (ApiException refused) {
      assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
      return Long.parseLong(refused.headers().getFirst("Retry-After"));
    }
    throw new AssertionError("the attempt was admitted");
  }
}
