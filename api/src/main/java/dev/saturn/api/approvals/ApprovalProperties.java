package dev.saturn.api.approvals;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param decisionWait how long {@code POST /v1/turns/{id}/approvals/{call_id}} waits for the turn's
 *     workflow to take the decision before answering 503 SERVICE_UNAVAILABLE (no worker polling,
 *     Temporal unreachable); also the {@code Retry-After} it sends, rounded up to whole seconds
 */
@Validated
@ConfigurationProperties("saturn.approvals")
public record ApprovalProperties(@NotNull @DefaultValue("10s") Duration decisionWait) {

  public ApprovalProperties {
    if (decisionWait != null && (decisionWait.isNegative() || decisionWait.isZero())) {
      throw new IllegalArgumentException("saturn.approvals.decision-wait must be positive");
    }
  }

  long retryAfterSeconds() {
    return Math.max(1, (decisionWait.toMillis() + 999) / 1000);
  }
}
