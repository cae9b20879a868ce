package dev.saturn.db.usage;

import java.time.Instant;

/**
 * One metered fact. {@code idempotencyKey} names the step that produced it (e.g. the turn and its
 * LLM call number), so the same step can never be recorded twice.
 */
public record UsageEvent(
    String id,
    String companyId,
    String agentId,
    String sessionId,
    String turnId,
    String kind,
    String provider,
    String model,
    long inputTokens,
    long outputTokens,
    long quantity,
    boolean estimated,
    String idempotencyKey,
    Instant occurredAt) {}
