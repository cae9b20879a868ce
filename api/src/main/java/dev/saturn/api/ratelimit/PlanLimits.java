package dev.saturn.api.ratelimit;

/**
 * A plan's limits; 0 means no limit at that level. Read from {@code plans.rate_limits}:
 * {@code requests_per_minute}, {@code chat_turns_per_minute} (per key or user),
 * {@code company_requests_per_minute}, {@code company_chat_turns_per_minute},
 * {@code concurrent_chat_requests} and {@code concurrent_event_streams} (per company), each
 * falling back to the server's default in {@link RateLimitProperties}.
 */
record PlanLimits(long requestsPerMinute, long chatTurnsPerMinute, long companyRequestsPerMinute,
    long companyChatTurnsPerMinute, long concurrentChatRequests, long concurrentEventStreams) {

  long concurrent(CompanyConcurrency.Kind kind) {
    return switch (kind) {
      case CHAT_REQUESTS -> concurrentChatRequests;
      case EVENT_STREAMS -> concurrentEventStreams;
    };
  }
}
