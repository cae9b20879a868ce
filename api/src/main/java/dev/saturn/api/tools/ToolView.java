package dev.saturn.api.tools;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A tool as the API shows it (and as its audit rows record it): secret header values appear only
 * as {@code {"secret": true}}.
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
    Instant updatedAt) {}
