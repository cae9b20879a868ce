package dev.saturn.db.identity;

import java.time.Instant;

/** {@code keyHash} is the hex SHA-256 of the whole key; the key itself is never stored. */
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
    Instant graceUntil) {}
