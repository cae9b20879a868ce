package dev.saturn.db.audit;

import java.time.Instant;

/**
 * What to select from a company's audit log; every member is optional (null: no restriction).
 * {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditFilter(
    String targetType, String targetId, String action, String actorId, Instant from, Instant to) {

  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
