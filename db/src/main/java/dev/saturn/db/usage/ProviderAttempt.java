package dev.saturn.db.usage;

import java.time.Instant;

/**
 * One attempt at a provider call, whether it succeeded or not: what the platform paid, as opposed
 * to the usage event, which is what the customer is billed (once per logical call). Keyed by the
 * workflow, the activity and its attempt number, so a retried write of the same attempt is a no-op.
 *
 * @param outcome {@code succeeded} or {@code failed}
 * @param estimated token counts computed locally (a failed attempt's input tokens are an estimate
 *     of the prompt that was sent; its output tokens are unknown and recorded as 0)
 */
public record ProviderAttempt(
    String id,
    String companyId,
    String agentId,
    String turnId,
    String workflowId,
    String activityId,
    int attempt,
    String provider,
    String model,
    long inputTokens,
    long outputTokens,
    boolean estimated,
    String outcome,
    String errorCode,
    Instant startedAt,
    Instant finishedAt) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
}
