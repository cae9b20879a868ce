package dev.saturn.api.tools;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Request bodies of {@code /v1/tools}. Validation is {@link ToolDefinitions}'s, one path for create and update. */
final class ToolRequests {

  private ToolRequests() {}

  /**
   * {@code POST /v1/tools}. Header values are a string or {@code {"secret": "..."}}. {@code idempotent}
   * says a repeated call does no harm (calls with GET, PUT or DELETE are retried anyway).
   */
  record CreateTool(
      String name,
      String description,
      String method,
      String url,
      Map<String, JsonNode> headers,
      JsonNode parameters,
      Integer timeoutMs,
      Boolean requiresApproval,
      String approvalTimeout,
      Boolean idempotent) {}

  /**
   * {@code PATCH /v1/tools/{id}}: members present replace the stored ones, absent ones stay.
   * {@code headers} replaces the whole map; {@code {"secret": true}} keeps a stored secret.
   * {@code approval_timeout: null} clears it (hence a JsonNode: absent is null, null is NullNode).
   */
  record PatchTool(
      String name,
      String description,
      String method,
      String url,
      Map<String, JsonNode> headers,
      JsonNode parameters,
      Integer timeoutMs,
      Boolean requiresApproval,
      JsonNode approvalTimeout,
      Boolean idempotent) {}
}
