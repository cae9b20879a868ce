package dev.saturn.activities.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are delivered ({@code saturn.webhooks.delivery.*}).
 *
 * @param retrySchedule the waits after each failed attempt: the first attempt is immediate, the
 *     n-th failure waits the n-th entry, and when the list is used up the delivery is
 *     {@code failed}. The default follows the Standard Webhooks example (5 s, 5 min, 30 min, 2 h, 5 h,
 *     10 h, 14 h, 20 h, 24 h: ten attempts over about three days)
 * @param jitter each wait is lengthened by up to this fraction at random, so receivers that failed
 *     together are not retried together (0 to 1)
 * @param attemptTimeout how long one attempt may take (connect, send, answer), 1 to 60 s
 * @param maxRetryAfter the longest {@code Retry-After} of a receiver that is honoured; a longer one
 *     is cut to this
 * @param disableAfter a webhook endpoint whose every attempt has failed for this long (no success
 *     in between) is disabled at its next failure, and the company is told ({@code webhook.disabled})
 */
@ConfigurationProperties("saturn.webhooks.delivery")
public record WebhookDeliveryProperties(
    @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"}) List<Duration> retrySchedule,
    @DefaultValue("0.1") double jitter,
    @DefaultValue("15s") Duration attemptTimeout,
    @DefaultValue("1h") Duration maxRetryAfter,
    @DefaultValue("3d") Duration disableAfter) {

  /** An attempt must end well inside its activity's start-to-close timeout (90 s). */
  public static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

  public WebhookDeliveryProperties {
    retrySchedule = retrySchedule == null ? List.of() : List.copyOf(retrySchedule);
    if (retrySchedule.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
      throw new IllegalArgumentException("saturn.webhooks.delivery.retry-schedule must hold positive durations");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("saturn.webhooks.delivery.jitter must be between 0 and 1");
    }
    if (attemptTimeout == null || attemptTimeout.toMillis() < 1000 || attemptTimeout.compareTo(MAX_ATTEMPT_TIMEOUT) > 0) {
      throw new IllegalArgumentException("saturn.webhooks.delivery.attempt-timeout must be between 1 s and 60 s");
    }
    if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("saturn.webhooks.delivery.max-retry-after must not be negative");
    }
    if (disableAfter == null || disableAfter.isNegative() || disableAfter.isZero()) {
      throw new IllegalArgumentException("saturn.webhooks.delivery.disable-after must be positive");
    }
  }
}
