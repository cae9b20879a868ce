package dev.saturn.activities.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay's sweep ({@code saturn.webhooks.relay.*}), the safety net for events whose fan-out
 * did not start right after their commit.
 *
 * @param enabled whether a worker installs the periodic trigger at start
 * @param cron when a sweep runs, a five-field cron expression in UTC (default: every minute)
 * @param gracePeriod how old an undispatched event must be before a sweep starts its fan-out: a
 *     younger one is normally being started by the process that recorded it
 * @param batchSize the most events one sweep starts; the next sweep goes on
 */
@ConfigurationProperties("saturn.webhooks.relay")
public record WebhookRelayProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("* * * * *") String cron,
    @DefaultValue("30s") Duration gracePeriod,
    @DefaultValue("500") int batchSize) {

  public WebhookRelayProperties {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("saturn.webhooks.relay.cron must not be blank");
    }
    if (gracePeriod == null || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("saturn.webhooks.relay.grace-period must not be negative");
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("saturn.webhooks.relay.batch-size must be between 1 and 10000");
    }
  }
}
