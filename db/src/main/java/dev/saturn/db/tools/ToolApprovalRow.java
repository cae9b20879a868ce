package dev.saturn.db.tools;

import java.time.Instant;

/** A tool call that waits (status {@code pending}) or waited for a human decision (then {@code approved},
 * {@code denied}, {@code timed_out} or {@code cancelled}); {@code arguments} are redacted. */
public record ToolApprovalRow(
    String companyId,
    String turnId,
    String callId,
    String agentId,
    String sessionId,
    String toolId,
    String toolName,
    String arguments,
    String status,
    Instant requestedAt,
    Instant expiresAt,
    String decidedBy,
    String reason,
    Instant decidedAt) {

  public static final String PENDING = "pending";
  /** The turn failed while the call waited; set by failing the turn. */
  public static final String CANCELLED = "cancelled";
}
