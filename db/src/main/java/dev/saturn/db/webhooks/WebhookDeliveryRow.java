package dev.saturn.db.webhooks;

import java.time.Instant;

/** One delivery (one workflow) of an event to an endpoint; {@code seq} 0 is the first, n the n-th redelivery. */
public record WebhookDeliveryRow(
    String id,
    String companyId,
    String endpointId,
    String eventId,
    int seq,
    String workflowId,
    DeliveryStatus status,
    int attempts,
    Integer lastStatusCode,
    String lastError,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    Instant deliveredAt,
    Instant createdAt,
    Instant updatedAt) {}
