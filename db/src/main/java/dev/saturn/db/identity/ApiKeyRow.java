package dev.saturn.db.identity;

import java.time.Instant;

/**
 * {@code keyHash} is the hex SHA-256 of the whole key; the key itself is never stored. A rotated
 * key has status {@code rotated}, {@code graceUntil} (when it stops working) and {@code replacedBy}
 * (the key that took its place).
 */
public record ApiKeyRow(
    String id,
    String companyId,
    String userId,
    String name,
    String prefix,
    String keyHash,
    String scopesJson,
    String status,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    Instant graceUntil,
    String replacedBy) {

  public static final String ACTIVE = "active";
  public static final String REVOKED = "revoked";
  public static final String ROTATED = "rotated";

  /** A key that was never rotated. */
  public ApiKeyRow(
      String id, String companyId, String userId, String name, String prefix, String keyHash, String scopesJson,
      String status, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Instant graceUntil) {
    this(id, companyId, userId, name, prefix, keyHash, scopesJson, status, createdAt, expiresAt, lastUsedAt, revokedAt,
        graceUntil, null);
  }
}
