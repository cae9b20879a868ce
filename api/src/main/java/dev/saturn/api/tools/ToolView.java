package dev.saturn.api.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A tool as the API shows it (and as its audit rows record it): secret header values appear only
 * as {@code {"secret": true}}. {@code sealedHeadersDropped} is only in the answer to a
 * {@code PATCH} (and its audit row): the secret headers that change dropped because the URL moved
 * to another origin. (Its name avoids the word "secret", which would make the audit redact it.)
 */
record ToolView(
    String id,
    String name,
    String description,
    String method,
    String url,
    JsonNode headers,
    JsonNode parameters,
    int timeoutMs,
    boolean requiresApproval,
    String approvalTimeout,
    boolean idempotent,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sealedHeadersDropped) {

  ToolView withSealedHeadersDropped(List<String> names) {
    return new ToolView(id, name, description, method, url, headers, parameters, timeoutMs, requiresApproval,
        approvalTimeout, idempotent, createdAt, updatedAt, List.copyOf(names));
  }
}
