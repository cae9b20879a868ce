package dev.saturn.api.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API's side of webhooks and channels ({@code saturn.webhooks.*}; delivery settings are the
 * worker's, {@code saturn.webhooks.delivery.*}).
 *
 * @param secretRotationGrace after a rotation, how long the previous secret keeps signing outbound
 *     messages (both signatures in {@code webhook-signature}) and keeps verifying inbound ones
 * @param inboundTolerance how far an inbound message's {@code webhook-timestamp} may be from now;
 *     an older one is refused as a possible replay
 */
@ConfigurationProperties("saturn.webhooks")
public record WebhookProperties(
    @DefaultValue("24h") Duration secretRotationGrace,
    @DefaultValue("5m") Duration inboundTolerance) {

  public WebhookProperties {
    if (secretRotationGrace == null || secretRotationGrace.isNegative()) {
      throw new IllegalArgumentException("saturn.webhooks.secret-rotation-grace must not be negative");
    }
    if (inboundTolerance == null || inboundTolerance.isNegative() || inboundTolerance.isZero()) {
      throw new IllegalArgumentException("saturn.webhooks.inbound-tolerance must be positive");
    }
  }
}
