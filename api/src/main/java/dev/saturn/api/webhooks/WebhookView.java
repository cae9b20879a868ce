package dev.saturn.api.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint as the API shows it. {@code secret} is present only in the answer that made
 * it (create, rotation, a URL moved to another origin): it is never shown again.
 */
record WebhookView(
    String id,
    String url,
    List<String> events,
    String description,
    String status,
    String disabledReason,
    Instant disabledAt,
    Instant failingSince,
    Instant lastSuccessAt,
    Instant previousSecretExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

  static WebhookView of(WebhookEndpointRow e, Instant now) {
    return new WebhookView(e.id(), e.url(), e.eventTypes(), e.description(), e.status(), e.disabledReason(),
        e.disabledAt(), e.failingSince(), e.lastSuccessAt(), e.previousSecretValidUntil(now),
        e.createdAt(), e.updatedAt(), null);
  }

  WebhookView withSecret(String shownOnce) {
    return new WebhookView(id, url, events, description, status, disabledReason, disabledAt, failingSince, lastSuccessAt,
        previousSecretExpiresAt, createdAt, updatedAt, shownOnce);
  }
}
