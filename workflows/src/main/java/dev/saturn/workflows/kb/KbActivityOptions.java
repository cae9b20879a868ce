package dev.saturn.workflows.kb;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Options per activity kind of the knowledge base. */
public final class KbActivityOptions {

  private KbActivityOptions() {}

  /** A document that cannot be read or an agent that is gone stays so on every retry. */
  private static final String[] NON_RETRYABLE = {
    ErrorCode.KB_INDEXING_FAILED.name(), ErrorCode.KB_UNSUPPORTED_TYPE.name(), ErrorCode.NOT_FOUND.name()
  };

  /** Extracting a large PDF may take minutes; the activity heartbeats while the parser works. */
  static final ActivityOptions PREPARE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(15))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 5))
          .build();

  /**
   * One batch of embeddings: heartbeats after every few chunks, so a dead worker is noticed within
   * the heartbeat timeout and the retry resumes after the last chunk it reported.
   */
  static final ActivityOptions BATCH =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 10))
          .build();

  /** Database and vector-store bookkeeping, retried until the stores answer. */
  static final ActivityOptions STORE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(retry(Duration.ofMillis(500), Duration.ofMinutes(1), 0))
          .build();

  /** Retrieval inside a chat turn: short, a few attempts, then the turn fails with the cause. */
  public static final ActivityOptions RETRIEVE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setRetryOptions(retry(Duration.ofMillis(500), Duration.ofSeconds(10), 3))
          .build();

  private static RetryOptions retry(Duration initial, Duration maximum, int attempts) {
    return Retries.backoff(initial, maximum, attempts, NON_RETRYABLE);
  }
}
