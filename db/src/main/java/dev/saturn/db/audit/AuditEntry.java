package dev.saturn.db.audit;

import java.time.Instant;

/** One change: who ({@code actorType}:{@code actorId}) did {@code action} to a target; {@code diffJson} is already redacted. */
public record AuditEntry(
    String id,
    String companyId,
    String actorType,
    String actorId,
    String action,
    String targetType,
    String targetId,
    String diffJson,
    String requestId,
    Instant createdAt) {}
