package dev.saturn.api.identity;

import dev.saturn.db.identity.ApiKeyRow;
import java.time.Instant;

/**
 * The one rule for whether a key works, shared by authentication and the key list: an active key
 * until it expires, a rotated key until its grace period ends (and never past its own expiry), a
 * revoked key never.
 */
public enum ApiKeyStatus {
  ACTIVE,
  ROTATED,
  EXPIRED,
  REVOKED;

  public static ApiKeyStatus of(ApiKeyRow key, Instant now) {
    if (ApiKeyRow.REVOKED.equals(key.status())) {
      return REVOKED;
    }
    if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
      return EXPIRED;
    }
    if (ApiKeyRow.ACTIVE.equals(key.status())) {
      return ACTIVE;
    }
    if (ApiKeyRow.ROTATED.equals(key.status())) {
      return key.graceUntil() != null && key.graceUntil().isAfter(now) ? ROTATED : EXPIRED;
    }
    // A status this code does not know must not authenticate.
    return REVOKED;
  }

  public static boolean authenticates(ApiKeyRow key, Instant now) {
    ApiKeyStatus status = of(key, now);
    return status == ACTIVE || status == ROTATED;
  }

  /** The lower-case name the API shows. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
