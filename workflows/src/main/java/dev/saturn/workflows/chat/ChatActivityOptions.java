package dev.saturn.workflows.chat;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Options per activity kind of a chat turn: bounded attempts, and codes no retry can fix. */
final class ChatActivityOptions {

  private ChatActivityOptions() {}

  /**
   * A model call may be slow, so start-to-close is long; the activity heartbeats while it waits,
   * so a dead worker is noticed after the heartbeat timeout, not after minutes.
   */
  static final ActivityOptions LLM =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(5)
                  .setDoNotRetry(
                      ErrorCode.NOT_FOUND.name(),
                      ErrorCode.AGENT_DISABLED.name(),
                      ErrorCode.VALIDATION_FAILED.name())
                  .build())
          .build();

  static final ActivityOptions STORE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(500))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(20))
                  .setMaximumAttempts(10)
                  .setDoNotRetry(
                      ErrorCode.NOT_FOUND.name(),
                      ErrorCode.AGENT_DISABLED.name(),
                      ErrorCode.VALIDATION_FAILED.name())
                  .build())
          .build();
}
