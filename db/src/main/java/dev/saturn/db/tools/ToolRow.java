package dev.saturn.db.tools;

import java.time.Instant;

/**
 * A stored tool. {@code kind} names the executor that runs its calls: {@link #HTTP} (method, URL
 * template and headers of this row) or {@link #MCP} (tool {@code remoteName} of MCP server
 * {@code mcpServerId}, whose row holds the URL and headers). {@code headersJson} maps header names
 * to a plain string or to {@code {"encrypted": "..."}} (a {@link ToolSecrets} ciphertext);
 * {@code parametersJson} is the JSON Schema of the arguments. {@code approvalTimeoutSeconds} is
 * null for the platform default. {@code idempotent} says a repeated call does no harm, so the call
 * may be retried. {@code status} is {@link #ACTIVE}, or {@link #UNAVAILABLE} for an MCP tool its
 * server no longer lists. {@code version} counts the definitions (description and schema) of a
 * versioned tool; older ones are in {@link ToolVersions}.
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
    String kind,
    String mcpServerId,
    String remoteName,
    int version) {

  /** The kind of a tool called over HTTP with this row's method, URL template and headers. */
  public static final String HTTP = "http";
  /** The kind of a tool of an MCP server. */
  public static final String MCP = "mcp";
  public static final String ACTIVE = "active";
  public static final String UNAVAILABLE = "unavailable";

  public ToolRow {
    kind = kind == null ? HTTP : kind;
    status = status == null ? ACTIVE : status;
    version = Math.max(version, 1);
  }

  /** An HTTP tool (no MCP server, version 1). */
  public ToolRow(
      String id, String companyId, String name, String description, String method, String urlTemplate,
      String headersJson, String parametersJson, int timeoutMs, boolean requiresApproval, Integer approvalTimeoutSeconds,
      String status, Instant createdAt, Instant updatedAt, boolean idempotent, String kind) {
    this(id, companyId, name, description, method, urlTemplate, headersJson, parametersJson, timeoutMs, requiresApproval,
        approvalTimeoutSeconds, status, createdAt, updatedAt, idempotent, kind, null, null, 1);
  }

  public boolean available() {
    return ACTIVE.equals(status);
  }

  /** This tool with another definition the model sees (a pinned older version of it). */
  public ToolRow withDefinition(String description, String parametersJson, int version) {
    return new ToolRow(id, companyId, name, description, method, urlTemplate, headersJson, parametersJson, timeoutMs,
        requiresApproval, approvalTimeoutSeconds, status, createdAt, updatedAt, idempotent, kind, mcpServerId, remoteName,
        version);
  }
}
