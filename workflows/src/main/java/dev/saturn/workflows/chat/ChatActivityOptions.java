package dev.saturn.workflows.chat;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Options per activity kind of a chat turn: bounded attempts, and codes no retry can fix. */
final class ChatActivityOptions {

  private ChatActivityOptions() {}

  /** Codes that name a fact no retry can change. */
  private static final String[] NON_RETRYABLE = {
    ErrorCode.NOT_FOUND.name(), ErrorCode.AGENT_DISABLED.name(), ErrorCode.VALIDATION_FAILED.name()
  };

  /**
   * A model call may be slow, so start-to-close is long; the activity heartbeats while it waits,
   * so a dead worker is noticed after the heartbeat timeout, not after minutes.
   */
  static final ActivityOptions LLM =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofSeconds(30), 5))
          .build();

  /**
   * Database writes are short and retried until the database answers (0 = no attempt limit): a
   * turn must end recorded as completed or failed, never stranded as running by an outage.
   * What no retry can fix is thrown as non-retryable.
   */
  static final ActivityOptions STORE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(retry(Duration.ofMillis(500), Duration.ofMinutes(1), 0))
          .build();

  /**
   * The turn's own database steps as local activities: run by the worker inside the workflow task,
   * so they cost no server round trip. Retried locally for a few seconds only (the attempts hold the
   * workflow task, and a local activity retried beyond its local retry threshold would add a timer
   * to the history per attempt); when they give up, the workflow runs the same (idempotent) step as
   * the regular {@link #STORE} activity, retried by the server until the database answers.
   *
   * <p>The schedule-to-close timeout is what makes the SDK retry at all: a local activity without
   * one and without an attempt limit is not retried (Java SDK 1.38, {@code LocalActivityWorker}).
   * The arguments stay out of the marker: the workflow's input already holds them.
   */
  static final LocalActivityOptions STORE_LOCAL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setScheduleToCloseTimeout(Duration.ofSeconds(8))
          .setRetryOptions(retry(Duration.ofMillis(200), Duration.ofSeconds(2), 0))
          .setDoNotIncludeArgumentsIntoMarker(true)
          .build();

  private static RetryOptions retry(Duration initial, Duration maximum, int attempts) {
    return Retries.backoff(initial, maximum, attempts, NON_RETRYABLE);
  }
}
