package dev.saturn.workflows.chat;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
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

  private static RetryOptions retry(Duration initial, Duration maximum, int attempts) {
    return Retries.backoff(initial, maximum, attempts, NON_RETRYABLE);
  }
}
