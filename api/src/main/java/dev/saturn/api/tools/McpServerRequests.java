package dev.saturn.api.tools;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Request bodies of {@code /v1/mcp-servers}. Header values are as for tools: a string or {@code {"secret": "..."}}. */
final class McpServerRequests {

  private McpServerRequests() {}

  /** {@code POST /v1/mcp-servers}. */
  record CreateMcpServer(String name, String url, Map<String, JsonNode> headers) {}

  /**
   * {@code PATCH /v1/mcp-servers/{id}}: members present replace the stored ones. {@code headers}
   * replaces the whole map; {@code {"secret": true}} keeps a stored secret.
   */
  record PatchMcpServer(String name, String url, Map<String, JsonNode> headers) {}
}
