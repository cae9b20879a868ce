package dev.saturn.api.ratelimit;

/**
 * The outcome for one request. {@code limit} and {@code remaining} describe the tightest bucket
 * checked; {@code retryAfterSeconds} and {@code reason} are set only when the request is refused.
 */
record RateLimitDecision(boolean allowed, long limit, long remaining, long retryAfterSeconds, String reason) {

  static final RateLimitDecision UNLIMITED = new RateLimitDecision(true, 0, 0, 0, null);
}
