package dev.saturn.workflows.billing;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Billing activities are database work: retried until the database answers, except what no retry can fix. */
final class BillingActivityOptions {

  private BillingActivityOptions() {}

  private static final RetryOptions RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Duration.ofMinutes(1))
      .setMaximumAttempts(0)
      .setDoNotRetry(ErrorCode.CONFLICT.name(), ErrorCode.NOT_FOUND.name(), ErrorCode.VALIDATION_FAILED.name())
      .build();

  /** One page of company ids: an index probe per company. */
  static final ActivityOptions CATALOG = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RETRY)
      .build();

  /** One company's aggregation and upsert; a large company's month may take a while. */
  static final ActivityOptions DRAFT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setRetryOptions(RETRY)
      .build();
}
