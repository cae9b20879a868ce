package dev.saturn.api.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An MCP server as the API shows it: secret header values only as {@code {"secret": true}};
 * {@code server} is what the server said of itself at the last listing ({@code name},
 * {@code version}, {@code protocol_version}); {@code tools} are its tools in SATURN (tool views).
 * {@code listing} is only in the answers to a listing (create, refresh); {@code sealedHeadersDropped}
 * only in the answer to a {@code PATCH}.
 */
record McpServerView(
    String id,
    String name,
    String url,
    JsonNode headers,
    JsonNode server,
    Instant listedAt,
    Instant createdAt,
    Instant updatedAt,
    List<ToolView> tools,
    @JsonInclude(JsonInclude.Include.NON_NULL) Listing listing,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sealedHeadersDropped) {

  /**
   * What a listing changed, by SATURN tool name: new tools, tools with a new definition (a new
   * version), tools the server no longer lists (now unavailable), and the server's tools SATURN
   * could not take, with why.
   */
  record Listing(List<String> added, List<String> changed, List<String> unavailable, List<Skipped> skipped) {}

  /** A tool of the server that is not a SATURN tool; {@code name} is the server's. */
  record Skipped(String name, String reason) {}

  McpServerView with(Listing listing, List<String> dropped) {
    return new McpServerView(id, name, url, headers, server, listedAt, createdAt, updatedAt, tools, listing,
        dropped == null ? null : List.copyOf(dropped));
  }
}
