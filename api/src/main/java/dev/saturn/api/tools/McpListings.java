package dev.saturn.api.tools;

import dev.saturn.api.web.FieldError;
import dev.saturn.common.mcp.McpClient;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.tools.McpServerRow;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what an MCP server lists into SATURN tools. A listed tool becomes a tool of kind
 * {@code mcp} when its input schema passes the checks every tool schema passes
 * ({@link ParameterSchemas}; a {@code $schema} member is dropped, the schema is read as draft
 * 2020-12); otherwise it is skipped, with the reason. Its SATURN name is the server's name, an
 * underscore and its own name in {@code [a-z0-9_-]} (other characters become {@code _}), at most
 * 64 characters, with {@code _2}, {@code _3}, ... when the company already has a tool of that name.
 * A tool is idempotent (retried after a transient failure) when the server annotates it
 * {@code idempotentHint} or {@code readOnlyHint}.
 */
@Component
class McpListings {

  static final int MAX_DESCRIPTION = 2000;
  /** Timeout of a new MCP tool's calls; settable per tool afterwards. */
  static final int DEFAULT_TIMEOUT_MS = ToolDefinitions.DEFAULT_TIMEOUT_MS;

  private final ToolRepository tools;
  private final ParameterSchemas schemas;
  private final JsonMapper json;

  McpListings(ToolRepository tools, ParameterSchemas schemas, JsonMapper json) {
    this.tools = tools;
    this.schemas = schemas;
    this.json = json;
  }

  /** A listed tool SATURN takes: its name on the server, what the model is shown, how calls run. */
  record Candidate(String remoteName, String description, JsonNode parameters, boolean idempotent) {}

  /** A listing, checked: the server's introduction as JSON, the tools taken and those skipped. */
  record Listed(String serverInfoJson, List<Candidate> candidates, List<McpServerView.Skipped> skipped) {}

  Listed read(McpClient.ServerInfo server, List<McpClient.ListedTool> listed, int maxTools) {
    ObjectNode info = json.createObjectNode()
        .put("name", server.name()).put("version", server.version()).put("protocol_version", server.protocolVersion());
    List<Candidate> candidates = new ArrayList<>();
    List<McpServerView.Skipped> skipped = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (McpClient.ListedTool tool : listed) {
      String reason = null;
      JsonNode parameters = null;
      if (!seen.add(tool.name())) {
        reason = "listed twice";
      } else if (candidates.size() >= maxTools) {
        reason = "the server lists more than " + maxTools + " tools";
      } else {
        parameters = parameters(tool);
        List<FieldError> errors = schemas.check(parameters, json.writeValueAsString(parameters).length());
        if (!errors.isEmpty()) {
          FieldError first = errors.get(0);
          reason = "inputSchema" + first.field().substring("parameters".length()) + " " + first.message();
        }
      }
      if (reason != null) {
        skipped.add(new McpServerView.Skipped(tool.name(), reason));
        continue;
      }
      candidates.add(new Candidate(tool.name(), description(tool), parameters,
          Boolean.TRUE.equals(tool.idempotentHint()) || Boolean.TRUE.equals(tool.readOnlyHint())));
    }
    return new Listed(json.writeValueAsString(info), candidates, skipped);
  }

  /**
   * Applies a listing to the server's tools (inside the caller's transaction, the server's row
   * locked): new tools are added, a changed description or schema is a new version, a tool back on
   * the list is active again, a tool missing from it becomes unavailable.
   */
  McpServerView.Listing apply(CompanyId company, McpServerRow server, Listed listed, Instant now) {
    Map<String, ToolRow> existing = new LinkedHashMap<>();
    tools.ofMcpServer(company, server.id()).forEach(tool -> existing.put(tool.remoteName(), tool));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (Candidate candidate : listed.candidates()) {
      String parameters = json.writeValueAsString(candidate.parameters());
      ToolRow tool = existing.remove(candidate.remoteName());
      if (tool == null) {
        added.add(insert(company, server, candidate, parameters, now));
      } else if (!tool.description().equals(candidate.description())
          || !json.readTree(tool.parametersJson()).equals(candidate.parameters())) {
        tools.newDefinition(company, tool.id(), candidate.description(), parameters, candidate.idempotent(), now);
        changed.add(tool.name());
      } else if (!tool.available() || tool.idempotent() != candidate.idempotent()) {
        tools.setListing(company, tool.id(), ToolRow.ACTIVE, candidate.idempotent(), now);
        if (!tool.available()) {
          added.add(tool.name());
        }
      }
    }
    for (ToolRow gone : existing.values()) {
      if (gone.available()) {
        tools.setListing(company, gone.id(), ToolRow.UNAVAILABLE, gone.idempotent(), now);
        unavailable.add(gone.name());
      }
    }
    return new McpServerView.Listing(added, changed, unavailable, listed.skipped());
  }

  /** Inserts a new MCP tool under the first free name; returns that name. */
  private String insert(CompanyId company, McpServerRow server, Candidate candidate, String parameters, Instant now) {
    String base = truncate(server.name() + "_" + sanitize(candidate.remoteName()), 64);
    for (int n = 1; ; n++) {
      String suffix = n == 1 ? "" : "_" + n;
      String name = truncate(base, 64 - suffix.length()) + suffix;
      if (tools.nameTaken(company, name)) {
        continue;
      }
      ToolRow row = new ToolRow(Ids.newId(), company.value(), name, candidate.description(), "MCP", "", "{}",
          parameters, DEFAULT_TIMEOUT_MS, false, null, ToolRow.ACTIVE, now, now, candidate.idempotent(), ToolRow.MCP,
          server.id(), candidate.remoteName(), 1);
      if (tools.insertMcpTool(company, row)) {
        return name;
      }
    }
  }

  /** The input schema as SATURN checks and stores it: an object schema, without {@code $schema}. */
  private JsonNode parameters(McpClient.ListedTool tool) {
    if (tool.inputSchema() == null || tool.inputSchema().isNull()) {
      return json.readTree("{\"type\":\"object\",\"properties\":{}}");
    }
    JsonNode schema = json.readTree(tool.inputSchema().toString());
    if (schema instanceof ObjectNode object) {
      object.remove("$schema");
    }
    return schema;
  }

  private static String description(McpClient.ListedTool tool) {
    String text = tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
    return truncate(text, MAX_DESCRIPTION);
  }

  static String sanitize(String remoteName) {
    StringBuilder out = new StringBuilder();
    for (char c : remoteName.toLowerCase(Locale.ROOT).toCharArray()) {
      out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
    }
    return out.toString();
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
