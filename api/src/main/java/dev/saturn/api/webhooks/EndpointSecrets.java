package dev.saturn.api.webhooks;

import dev.saturn.common.webhooks.WebhookSignatures;
import dev.saturn.db.webhooks.WebhookEndpointRow;
import dev.saturn.db.webhooks.WebhookSecrets;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Signing secrets of endpoints (webhooks and channels): made, sealed, rotated and opened here.
 * A new secret is returned to the caller once and stored only sealed.
 */
@Component
public class EndpointSecrets {

  /** A new secret and the endpoint row that stores it sealed. */
  public record Issued(String secret, WebhookEndpointRow endpoint) {}

  private final WebhookSecrets sealing;
  private final WebhookProperties properties;

  EndpointSecrets(WebhookSecrets sealing, WebhookProperties properties) {
    this.sealing = sealing;
    this.properties = properties;
  }

  /** A new secret for an endpoint about to be inserted. */
  public String sealNew(String secret, String companyId, String endpointId) {
    return sealing.seal(secret, companyId, endpointId);
  }

  /** A new secret; the current one keeps working for the grace period (both sign, both verify). */
  public Issued rotate(WebhookEndpointRow endpoint, Instant now) {
    String secret = WebhookSignatures.newSecret();
    return new Issued(secret, withSecrets(endpoint, sealing.seal(secret, endpoint.companyId(), endpoint.id()),
        endpoint.secretSealed(), now.plus(properties.secretRotationGrace()), now));
  }

  /** A new secret that replaces every old one at once (the endpoint's URL moved to another origin). */
  public Issued replace(WebhookEndpointRow endpoint, Instant now) {
    String secret = WebhookSignatures.newSecret();
    return new Issued(secret, withSecrets(endpoint, sealing.seal(secret, endpoint.companyId(), endpoint.id()), null, null, now));
  }

  /** The secrets a message received at {@code now} may be signed with: the current one, and the previous during its grace. */
  public List<String> verifying(WebhookEndpointRow endpoint, Instant now) {
    return sealing.openAll(endpoint.signingSecretsSealed(now), endpoint.companyId(), endpoint.id());
  }

  private static WebhookEndpointRow withSecrets(
      WebhookEndpointRow e, String sealed, String previous, Instant previousExpiresAt, Instant now) {
    return new WebhookEndpointRow(e.id(), e.companyId(), e.kind(), e.url(), e.description(), e.eventTypes(), e.status(),
        e.disabledReason(), e.disabledAt(), sealed, previous, previousExpiresAt, e.failingSince(), e.lastSuccessAt(),
        e.createdAt(), now);
  }
}
