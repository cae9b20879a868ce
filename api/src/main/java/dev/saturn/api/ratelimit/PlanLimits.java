package dev.saturn.api.ratelimit;

/**
 * A plan's limits per minute; 0 means no limit at that level. Read from {@code plans.rate_limits}:
 * {@code requests_per_minute}, {@code chat_turns_per_minute} (per key or user) and the optional
 * {@code company_requests_per_minute}, {@code company_chat_turns_per_minute}.
 */
record PlanLimits(long requestsPerMinute, long chatTurnsPerMinute, long companyRequestsPerMinute,
    long companyChatTurnsPerMinute) {}
