package dev.saturn.workflows.tools;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Retries;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Options of the tool activities, one per kind. */
public final class ToolActivityOptions {

  private ToolActivityOptions() {}

  /** Codes no retry can change. TOOL_EXECUTION_FAILED is absent: the activity throws it retryable only when a retry can help. */
  private static final String[] NON_RETRYABLE = {
    ErrorCode.NOT_FOUND.name(), ErrorCode.VALIDATION_FAILED.name(), ErrorCode.TOOL_SCHEMA_INVALID.name()
  };

  /** A tool's own timeout is at most 2 minutes; connecting and reading the capped body fit in the rest. */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);

  /** Checks and records: database work, retried until the database answers. */
  public static final ActivityOptions STORE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(retry(0))
          .build();

  /**
   * A call of an idempotent tool (GET, PUT, DELETE, or marked idempotent; it carries an
   * Idempotency-Key): a retry is harmless, so transient failures get three attempts.
   */
  public static final ActivityOptions IDEMPOTENT_CALL =
      ActivityOptions.newBuilder().setStartToCloseTimeout(CALL_TIMEOUT).setRetryOptions(retry(3)).build();

  /**
   * Any other call runs at most once: if its worker dies mid-call nobody knows whether the side
   * effect happened, and the model is told the call failed rather than risk doing it twice.
   */
  public static final ActivityOptions SINGLE_CALL =
      ActivityOptions.newBuilder().setStartToCloseTimeout(CALL_TIMEOUT).setRetryOptions(retry(1)).build();

  private static RetryOptions retry(int attempts) {
    return Retries.backoff(Duration.ofMillis(500), Duration.ofSeconds(30), attempts, NON_RETRYABLE);
  }
}
