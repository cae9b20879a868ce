package dev.saturn.activities.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The turn reconciler ({@code saturn.chat.reconciler.*}).
 *
 * @param enabled whether a worker installs the periodic trigger at start
 * @param cron when a pass runs, a five-field cron expression in UTC (default: every 5 minutes)
 * @param gracePeriod how old a running turn must be before its workflow is asked about: a turn the
 *     API has just accepted may not have its workflow yet
 * @param batchSize how many turns one pass checks (one DescribeWorkflowExecution each); the next
 *     pass goes on from there
 */
@ConfigurationProperties("saturn.chat.reconciler")
public record TurnReconcilerProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("*/5 * * * *") String cron,
    @DefaultValue("15m") Duration gracePeriod,
    @DefaultValue("100") int batchSize) {

  public TurnReconcilerProperties {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("saturn.chat.reconciler.cron must not be blank");
    }
    if (gracePeriod == null || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("saturn.chat.reconciler.grace-period must not be negative");
    }
    if (batchSize < 1 || batchSize > 1000) {
      throw new IllegalArgumentException("saturn.chat.reconciler.batch-size must be between 1 and 1000");
    }
  }
}
