package dev.saturn.db.tools;

import java.time.Instant;

/**
 * A registered MCP server. {@code headersJson} maps header names to a plain string or to
 * {@code {"encrypted": "..."}} (a {@link ToolSecrets} ciphertext bound to this server's id);
 * {@code serverInfoJson} is what the server said of itself at the last listing, null before one.
 */
public record McpServerRow(
    String id,
    String companyId,
    String name,
    String url,
    String headersJson,
    String serverInfoJson,
    Instant listedAt,
    Instant createdAt,
    Instant updatedAt) {

  public McpServerRow withListing(String serverInfoJson, Instant listedAt) {
    return new McpServerRow(id, companyId, name, url, headersJson, serverInfoJson, listedAt, createdAt, listedAt);
  }
}
