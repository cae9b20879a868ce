package dev.saturn.api.webhooks;

import java.util.List;

/** Request bodies of {@code /v1/webhooks}. */
final class WebhookRequests {

  private WebhookRequests() {}

  /** {@code POST /v1/webhooks}: {@code events} names the event types the endpoint receives. */
  record CreateWebhook(String url, List<String> events, String description) {}

  /**
   * {@code PATCH /v1/webhooks/{id}}: members present replace the stored ones ({@code description: ""}
   * clears it); {@code enabled: true} re-enables a disabled endpoint, {@code false} disables it.
   */
  record PatchWebhook(String url, List<String> events, String description, Boolean enabled) {}
}
