package dev.saturn.db.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint as stored. {@code kind} is {@link #WEBHOOK} (of {@code /v1/webhooks}) or
 * {@link #CHANNEL} (an inbound channel's reply URL). Secrets are sealed ({@link WebhookSecrets}).
 */
public record WebhookEndpointRow(
    String id,
    String companyId,
    String kind,
    String url,
    String description,
    List<String> eventTypes,
    String status,
    String disabledReason,
    Instant disabledAt,
    String secretSealed,
    String previousSecretSealed,
    Instant previousSecretExpiresAt,
    Instant failingSince,
    Instant lastSuccessAt,
    Instant createdAt,
    Instant updatedAt) {

  public static final String WEBHOOK = "webhook";
  public static final String CHANNEL = "channel";
  public static final String ACTIVE = "active";
  public static final String DISABLED = "disabled";

  public boolean active() {
    return ACTIVE.equals(status);
  }

  /** When the previous secret stops signing, if it still signs at {@code now}; else null. */
  public Instant previousSecretValidUntil(Instant now) {
    return previousSecretSealed != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)
        ? previousSecretExpiresAt
        : null;
  }

  /** The sealed secrets that sign a message sent at {@code now}: the current one, and the previous one during its grace. */
  public List<String> signingSecretsSealed(Instant now) {
    return previousSecretValidUntil(now) != null ? List.of(secretSealed, previousSecretSealed) : List.of(secretSealed);
  }
}
