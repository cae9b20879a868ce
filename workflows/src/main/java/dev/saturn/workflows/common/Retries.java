package dev.saturn.workflows.common;

import io.temporal.common.RetryOptions;
import java.time.Duration;

/** The platform's one retry shape: exponential backoff (×2) between bounds, and codes never retried. */
public final class Retries {

  private Retries() {}

  /** @param attempts the most attempts, 0 for no limit */
  public static RetryOptions backoff(Duration initial, Duration maximum, int attempts, String... doNotRetry) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(maximum)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(doNotRetry)
        .build();
  }
}
