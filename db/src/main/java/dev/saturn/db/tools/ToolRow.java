package dev.saturn.db.tools;

import java.time.Instant;

/**
 * A stored tool. {@code kind} names the executor that runs its calls ({@link #HTTP} for every tool
 * so far: method, URL template and headers of this row). {@code headersJson} maps header names to a plain string or to
 * {@code {"encrypted": "..."}} (a {@link ToolSecrets} ciphertext); {@code parametersJson} is the
 * JSON Schema of the arguments. {@code approvalTimeoutSeconds} is null for the platform default.
 * {@code idempotent} says a repeated call does no harm, so the call may be retried.
 */
public record ToolRow(
    String id,
    String companyId,
    String name,
    String description,
    String method,
    String urlTemplate,
    String headersJson,
    String parametersJson,
    int timeoutMs,
    boolean requiresApproval,
    Integer approvalTimeoutSeconds,
    String status,
    Instant createdAt,
    Instant updatedAt,
    boolean idempotent,
    String kind) {

  /** The kind of a tool called over HTTP with this row's method, URL template and headers. */
  public static final String HTTP = "http";

  public ToolRow {
    kind = kind == null ? HTTP : kind;
  }
}
