package dev.saturn.worker.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The monthly billing trigger ({@code saturn.billing.schedule.*}).
 *
 * @param cron when to bill the month that has just ended, a five-field cron expression in UTC;
 *     the default is five minutes past midnight on the 1st
 */
@Validated
@ConfigurationProperties("saturn.billing.schedule")
public record BillingScheduleProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5 0 1 * *") String cron) {

  public BillingScheduleProperties {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("saturn.billing.schedule.cron must not be blank");
    }
  }
}
