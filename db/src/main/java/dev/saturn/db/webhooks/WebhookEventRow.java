package dev.saturn.db.webhooks;

import java.time.Instant;

/**
 * One event of the outbox. {@code payload} is the body every delivery of it sends and signs,
 * byte for byte; {@code targetEndpointId} is set for an event meant for one endpoint only.
 */
public record WebhookEventRow(
    String id,
    String companyId,
    String factKey,
    String eventType,
    String targetEndpointId,
    String payload,
    Instant occurredAt,
    Instant dispatchedAt) {}
