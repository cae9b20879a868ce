package dev.saturn.api.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled switch rate limiting off entirely (e.g. behind a gateway that does it)
 * @param maxBuckets the most buckets kept in memory; the least recently used are dropped first
 * @param idleBucketExpiry a bucket not used for this long is dropped (it would be full again anyway)
 * @param planCacheTtl how long a company's plan limits are cached before being read again
 * @param requestsPerMinute per key, when the plan's {@code rate_limits} does not say
 * @param chatTurnsPerMinute per key, when the plan's {@code rate_limits} does not say
 * @param companyRequestsPerMinute per company (all its keys and users), when the plan does not say
 * @param companyChatTurnsPerMinute per company, when the plan does not say
 * @param concurrentChatRequests chat requests of one company waiting for their answer at once
 * @param concurrentEventStreams event streams one company holds open at once
 */
@ConfigurationProperties("saturn.rate-limit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("100000") long maxBuckets,
    @DefaultValue("10m") Duration idleBucketExpiry,
    @DefaultValue("30s") Duration planCacheTtl,
    @DefaultValue("600") long requestsPerMinute,
    @DefaultValue("60") long chatTurnsPerMinute,
    @DefaultValue("6000") long companyRequestsPerMinute,
    @DefaultValue("600") long companyChatTurnsPerMinute,
    @DefaultValue("20") long concurrentChatRequests,
    @DefaultValue("50") long concurrentEventStreams) {}
