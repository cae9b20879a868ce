package dev.saturn.workflows.webhooks;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;

/** Options of the webhook activities. */
final class WebhookActivityOptions {

  private WebhookActivityOptions() {}

  /**
   * Database work (and starting workflows), retried until the database and Temporal answer: an
   * event must reach its endpoints some day.
   */
  static final ActivityOptions STORE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(60))
      .setRetryOptions(Retries.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0, ErrorCode.NOT_FOUND.name()))
      .build();

  /**
   * One HTTP request (at most {@code saturn.webhooks.attempt-timeout}, 60 s at most) and its
   * record. A failed request is a result, not an exception; an exception means the attempt could
   * not be recorded, and retrying it may send the same message again with the same
   * {@code webhook-id}, which receivers deduplicate.
   */
  static final ActivityOptions ATTEMPT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(90))
      .setRetryOptions(Retries.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0, ErrorCode.NOT_FOUND.name()))
      .build();
}
