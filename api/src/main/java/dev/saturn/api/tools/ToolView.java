package dev.saturn.api.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A tool as the API shows it (and as its audit rows record it): secret header values appear only
 * as {@code {"secret": true}}. {@code kind} is {@code http} or {@code mcp}; an MCP tool has no
 * {@code method}, {@code url} or {@code headers} of its own (its server's are used) but names its
 * server and its name there. {@code status} is {@code active}, or {@code unavailable} for an MCP
 * tool its server no longer lists. {@code version} counts the definitions of an MCP tool (1 for an
 * HTTP tool). {@code sealedHeadersDropped} is only in the answer to a {@code PATCH} (and its audit
 * row): the secret headers that change dropped because the URL moved to another origin. (Its name
 * avoids the word "secret", which would make the audit redact it.)
 */
record ToolView(
    String id,
    String kind,
    String name,
    String description,
    @JsonInclude(JsonInclude.Include.NON_NULL) String method,
    @JsonInclude(JsonInclude.Include.NON_NULL) String url,
    JsonNode headers,
    JsonNode parameters,
    int timeoutMs,
    boolean requiresApproval,
    String approvalTimeout,
    boolean idempotent,
    String status,
    int version,
    @JsonInclude(JsonInclude.Include.NON_NULL) String mcpServerId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String mcpToolName,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sealedHeadersDropped) {

  ToolView withSealedHeadersDropped(List<String> names) {
    return new ToolView(id, kind, name, description, method, url, headers, parameters, timeoutMs, requiresApproval,
        approvalTimeout, idempotent, status, version, mcpServerId, mcpToolName, createdAt, updatedAt, List.copyOf(names));
  }
}
