package dev.saturn.workflows.webhooks;

/**
 * What an attempt came to. {@code status} is the delivery's status after it ({@code delivered},
 * {@code failed}, {@code cancelled}, or {@code pending}); while pending, the workflow waits
 * {@code retryInMillis} (chosen by the worker's retry schedule, or longer when the endpoint asked
 * with Retry-After) and tries again.
 */
public record DeliveryAttempt(String status, Integer statusCode, long retryInMillis) {

  public static final String PENDING = "pending";

  public boolean ended() {
    return !PENDING.equals(status);
  }
}
