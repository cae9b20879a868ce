package dev.saturn.api.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.saturn.api.web.ApiException;
import dev.saturn.workflows.common.ErrorCode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing down at two levels: each client address has a token bucket of login
 * attempts per minute, and each account (company and email, whether it exists or not) must wait
 * after {@code free-failures} consecutive failures, twice as long after every further one, up to
 * {@code max-lockout}; a success clears its failures. A refused attempt costs no BCrypt work and
 * answers 429 {@code RATE_LIMITED} with {@code Retry-After}.
 *
 * <p>Each door has its own address buckets ({@link Door}): the console's sign-in forms cannot use up
 * the budget of {@code /v1/auth/login} from the same address, nor the other way round. An account's
 * failures count wherever they happen, so two doors never double the guesses at one password.
 *
 * <p>The account wait is a trade-off every lockout makes: someone who knows an email can keep its
 * owner waiting (never for more than {@code max-lockout} after the last failure); API keys are not
 * affected. State is per process and bounded in size.
 */
@Component
class LoginThrottle {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** Where a password or token is presented; each has its own per-address buckets. */
  enum Door {
    /** {@code POST /v1/auth/login} and {@code POST /v1/auth/password}. */
    API,
    /** The console's sign-in, operator sign-in and password forms. */
    CONSOLE
  }

  private record Failures(int count, Instant waitUntil) {}

  private final AuthProperties.Login settings;
  private final Clock clock;
  private final Cache<String, Bucket> addresses;
  private final Cache<String, Failures> accounts;

  LoginThrottle(AuthProperties properties, Clock clock) {
    this.settings = properties.login();
    this.clock = clock;
    this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    this.accounts = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterWrite(settings.maxLockout().plus(Duration.ofHours(1))).build();
  }

  /** The API's door; see {@link #admit(Door, String, String, String)}. */
  void admit(String clientAddress, String companyId, String email) {
    admit(Door.API, clientAddress, companyId, email);
  }

  /** @throws ApiException 429 when this address (at this door) or this account must wait */
  void admit(Door door, String clientAddress, String companyId, String email) {
    Failures failures = accounts.getIfPresent(account(companyId, email));
    Instant now = clock.instant();
    if (failures != null && failures.waitUntil() != null && now.isBefore(failures.waitUntil())) {
      throw refused(Duration.between(now, failures.waitUntil()), "Too many failed logins for this account");
    }
    if (settings.attemptsPerIpPerMinute() > 0) {
      ConsumptionProbe probe = addresses.get(door + "\n" + clientAddress, ignored -> Bucket.builder()
              .addLimit(limit -> limit.capacity(settings.attemptsPerIpPerMinute())
                  .refillGreedy(settings.attemptsPerIpPerMinute(), MINUTE))
              .build())
          .tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        throw refused(Duration.ofNanos(probe.getNanosToWaitForRefill()), "Too many login attempts from this address");
      }
    }
  }

  void failed(String companyId, String email) {
    Instant now = clock.instant();
    accounts.asMap().compute(account(companyId, email), (key, before) -> {
      int count = before == null ? 1 : before.count() + 1;
      int over = count - settings.freeFailures();
      if (over < 0) {
        return new Failures(count, null);
      }
      Duration wait = settings.firstLockout().multipliedBy(1L << Math.min(over, 30));
      if (wait.compareTo(settings.maxLockout()) > 0 || wait.isNegative()) {
        wait = settings.maxLockout();
      }
      return new Failures(count, now.plus(wait));
    });
  }

  void succeeded(String companyId, String email) {
    accounts.invalidate(account(companyId, email));
  }

  private static String account(String companyId, String email) {
    return companyId + "\n" + email.trim().toLowerCase(Locale.ROOT);
  }

  private static ApiException refused(Duration wait, String why) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return ApiException.of(ErrorCode.RATE_LIMITED, why + "; retry after " + seconds + " s")
        .withHeader("Retry-After", Long.toString(seconds));
  }
}
