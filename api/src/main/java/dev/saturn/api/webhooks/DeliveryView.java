package dev.saturn.api.webhooks;

import dev.saturn.db.webhooks.WebhookDeliveryRow;
import java.time.Instant;

/**
 * One delivery of an event to an endpoint. {@code webhook_id} is the {@code webhook-id} header of
 * each of its attempts: the event's id, the same for every attempt and every redelivery.
 * {@code redelivery} is 0 for the delivery the event started with, n for the n-th redelivery.
 */
public record DeliveryView(
    String id,
    String eventId,
    String eventType,
    String webhookId,
    int redelivery,
    String status,
    int attempts,
    Integer lastStatusCode,
    String lastError,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    Instant deliveredAt,
    Instant createdAt,
    Instant updatedAt) {

  /** A page of deliveries, as both {@code /v1/webhooks/{id}/deliveries} and {@code /v1/channels/{id}/deliveries} answer. */
  public record DeliveryList(java.util.List<DeliveryView> items, String nextCursor) {
    public static DeliveryList of(dev.saturn.db.common.Page<DeliveryView> page) {
      return new DeliveryList(page.items(), page.nextCursor());
    }
  }

  public static DeliveryView of(WebhookDeliveryRow d, String eventType) {
    return new DeliveryView(d.id(), d.eventId(), eventType, d.eventId(), d.seq(), d.status().dbValue(), d.attempts(),
        d.lastStatusCode(), d.lastError(), d.lastAttemptAt(), d.nextAttemptAt(), d.deliveredAt(), d.createdAt(),
        d.updatedAt());
  }
}
