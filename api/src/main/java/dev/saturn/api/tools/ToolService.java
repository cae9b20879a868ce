package dev.saturn.api.tools;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentAllowlist;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Tool CRUD and agent allowlist changes; each change commits together with its audit row. */
@Service
public class ToolService {

  static final String SEALED = "encrypted";

  private final ToolRepository tools;
  private final AgentAllowlist allowlist;
  private final ToolDefinitions definitions;
  private final ToolSecrets secrets;
  private final AuditTrail audit;
  private final IdempotentRequests requests;
  private final TransactionTemplate transaction;
  private final JsonMapper json;
  private final Clock clock;

  ToolService(
      ToolRepository tools, AgentAllowlist allowlist, ToolDefinitions definitions, ToolSecrets secrets,
      AuditTrail audit, IdempotentRequests requests, TransactionTemplate transaction, JsonMapper json, Clock clock) {
    this.tools = tools;
    this.allowlist = allowlist;
    this.definitions = definitions;
    this.secrets = secrets;
    this.audit = audit;
    this.requests = requests;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  public record AllowlistView(String agentId, int version, List<String> toolIds, boolean changed) {}

  ToolView create(Caller caller, String idempotencyKey, ToolRequests.CreateTool request) {
    IdempotentRequests.validateKey(idempotencyKey);
    ValidTool tool = definitions.validate(request, Map.of());
    return requests.once(
        caller.company(),
        "tools.create",
        idempotencyKey,
        IdempotentRequests.hash(json.writeValueAsString(request)),
        "tool",
        id -> {
          Instant now = Times.now(clock);
          ToolRow row = toRow(caller, id, ToolRow.HTTP, tool, now, now);
          if (!tools.insert(caller.company(), row)) {
            throw ApiException.conflict("A tool named '" + tool.name() + "' already exists");
          }
          ToolView view = view(row);
          audit.record(caller, "tool.create", "tool", id, null, view);
          return view;
        },
        id -> get(caller, id));
  }

  ToolView get(Caller caller, String toolId) {
    return tools.find(caller.company(), toolId).map(this::view).orElseThrow(() -> notFound(toolId));
  }

  Page<ToolView> list(Caller caller, String cursor, int limit) {
    Page<ToolRow> page = tools.list(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  /**
   * Applies a patch. When the URL's origin (scheme, host, port) changes, the stored secret headers
   * are dropped, not carried over: the answer lists them in {@code sealed_headers_dropped} (empty
   * when none were); secrets sent anew in the same patch stay.
   */
  ToolView update(Caller caller, String toolId, ToolRequests.PatchTool patch) {
    return transaction.execute(status -> {
      ToolRow stored = tools.findForUpdate(caller.company(), toolId).orElseThrow(() -> notFound(toolId));
      ToolView before = view(stored);
      if (ToolRow.MCP.equals(stored.kind())) {
        return updateMcpTool(caller, stored, before, patch);
      }
      ValidTool tool = definitions.validate(merge(stored, before, patch), sealedHeaders(stored.headersJson()));
      // A stored secret was given for the stored origin only: it must not follow the URL to another host.
      List<String> dropped = UrlTemplates.sameOrigin(stored.urlTemplate(), tool.url()) ? List.of() : tool.keptSecrets();
      tool = tool.withoutHeaders(dropped);
      ToolRow row = toRow(caller, toolId, stored.kind(), tool, stored.createdAt(), Times.now(clock));
      if (!tools.update(caller.company(), row)) {
        throw ApiException.conflict("A tool named '" + tool.name() + "' already exists");
      }
      ToolView after = view(row).withSealedHeadersDropped(dropped);
      audit.record(caller, "tool.update", "tool", toolId, before, dropped.isEmpty() ? view(row) : after);
      return after;
    });
  }

  /** An MCP tool's definition is its server's: a patch may rename it and set how calls of it run. */
  private ToolView updateMcpTool(Caller caller, ToolRow stored, ToolView before, ToolRequests.PatchTool patch) {
    String name = patch.name() != null ? patch.name() : stored.name();
    int timeoutMs = patch.timeoutMs() != null ? patch.timeoutMs() : stored.timeoutMs();
    String approvalTimeout = mergedApprovalTimeout(before.approvalTimeout(), patch);
    Integer approvalSeconds = ToolDefinitions.validateMcpPatch(patch, name, timeoutMs, approvalTimeout);
    ToolRow row = new ToolRow(stored.id(), stored.companyId(), name, stored.description(), stored.method(),
        stored.urlTemplate(), stored.headersJson(), stored.parametersJson(), timeoutMs,
        patch.requiresApproval() != null ? patch.requiresApproval() : stored.requiresApproval(), approvalSeconds,
        stored.status(), stored.createdAt(), Times.now(clock), stored.idempotent(), stored.kind(), stored.mcpServerId(),
        stored.remoteName(), stored.version());
    if (!tools.update(caller.company(), row)) {
      throw ApiException.conflict("A tool named '" + name + "' already exists");
    }
    ToolView after = view(row).withSealedHeadersDropped(List.of());
    audit.record(caller, "tool.update", "tool", stored.id(), before, view(row));
    return after;
  }

  /** Refuses (409) while the tool is attached to any agent: detaching changes those agents, which is the caller's call. */
  void delete(Caller caller, String toolId) {
    transaction.executeWithoutResult(status -> {
      ToolRow stored = tools.findForUpdate(caller.company(), toolId).orElseThrow(() -> notFound(toolId));
      List<String> agents = tools.attachedAgents(caller.company(), toolId);
      if (!agents.isEmpty()) {
        throw ApiException.conflict("Tool " + toolId + " is attached to agents " + String.join(", ", agents)
            + "; detach it from them first");
      }
      tools.delete(caller.company(), toolId);
      audit.record(caller, "tool.delete", "tool", toolId, view(stored), null);
    });
  }

  public AllowlistView attach(Caller caller, String agentId, String toolId) {
    return changeAllowlist(caller, agentId, toolId, true);
  }

  AllowlistView detach(Caller caller, String agentId, String toolId) {
    return changeAllowlist(caller, agentId, toolId, false);
  }

  private AllowlistView changeAllowlist(Caller caller, String agentId, String toolId, boolean attach) {
    return transaction.execute(status -> {
      AgentAllowlist.Change change = attach
          ? allowlist.attach(caller.company(), agentId, toolId, caller.actor(), this::configWithTools)
          : allowlist.detach(caller.company(), agentId, toolId, caller.actor(), this::configWithTools);
      switch (change.outcome()) {
        case AGENT_NOT_FOUND -> throw ApiException.notFound("agent " + agentId);
        case TOOL_NOT_FOUND -> throw notFound(toolId);
        case LIMIT_REACHED -> throw ApiException.conflict(
            "Agent " + agentId + " already has the maximum of " + AgentAllowlist.MAX_TOOLS + " tools");
        case CHANGED -> audit.record(
            caller, attach ? "agent.tool.attach" : "agent.tool.detach", "agent", agentId,
            Map.of("version", change.versionBefore(), "tools", change.before()),
            Map.of("version", change.version(), "tools", change.after()));
        case UNCHANGED -> { }
      }
      return new AllowlistView(agentId, change.version(), change.after(), change.outcome() == AgentAllowlist.Outcome.CHANGED);
    });
  }

  /** The agent's tools, by name; 404 for an agent of another company. */
  Page<ToolView> agentTools(Caller caller, String agentId, boolean agentExists, String cursor, int limit) {
    if (!agentExists) {
      throw ApiException.notFound("agent " + agentId);
    }
    Page<ToolRow> page = tools.listByName(caller.company(), allowlist.toolIds(caller.company(), agentId), cursor, limit);
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  /** The next version's config: the current one with {@code tools} set to the allowlist. */
  private String configWithTools(String configJson, List<String> toolIds) {
    ObjectNode config = (ObjectNode) json.readTree(configJson);
    ArrayNode ids = config.putArray("tools");
    toolIds.forEach(ids::add);
    return json.writeValueAsString(config);
  }

  private ToolRequests.CreateTool merge(ToolRow stored, ToolView current, ToolRequests.PatchTool patch) {
    Map<String, JsonNode> headers = new LinkedHashMap<>();
    current.headers().properties().forEach(e -> headers.put(e.getKey(), e.getValue()));
    String approvalTimeout = mergedApprovalTimeout(current.approvalTimeout(), patch);
    return new ToolRequests.CreateTool(
        patch.name() != null ? patch.name() : stored.name(),
        patch.description() != null ? patch.description() : stored.description(),
        patch.method() != null ? patch.method() : stored.method(),
        patch.url() != null ? patch.url() : stored.urlTemplate(),
        patch.headers() != null ? patch.headers() : headers,
        patch.parameters() != null ? patch.parameters() : current.parameters(),
        patch.timeoutMs() != null ? patch.timeoutMs() : stored.timeoutMs(),
        patch.requiresApproval() != null ? patch.requiresApproval() : stored.requiresApproval(),
        approvalTimeout,
        patch.idempotent() != null ? patch.idempotent() : stored.idempotent());
  }

  /** The patch's {@code approval_timeout} over the stored one: absent keeps, null clears. */
  private static String mergedApprovalTimeout(String stored, ToolRequests.PatchTool patch) {
    if (patch.approvalTimeout() == null) {
      return stored;
    } else if (patch.approvalTimeout().isNull()) {
      return null;
    } else if (patch.approvalTimeout().isString()) {
      return patch.approvalTimeout().asString();
    }
    throw ApiException.invalidField("approval_timeout", "must be an ISO-8601 duration such as PT30M or P3D, or null");
  }

  private ToolRow toRow(Caller caller, String id, String kind, ValidTool tool, Instant createdAt, Instant updatedAt) {
    return new ToolRow(
        id, caller.company().value(), tool.name(), tool.description(), tool.method(), tool.url(),
        storedHeaders(caller, id, tool.headers()), json.writeValueAsString(tool.parameters()), tool.timeoutMs(),
        tool.requiresApproval(), tool.approvalTimeoutSeconds(), "active", createdAt, updatedAt, tool.idempotent(), kind);
  }

  ToolView view(ToolRow row) {
    boolean mcp = ToolRow.MCP.equals(row.kind());
    return new ToolView(
        row.id(), row.kind(), row.name(), row.description(), mcp ? null : row.method(), mcp ? null : row.urlTemplate(),
        shownHeaders(row.headersJson()), json.readTree(row.parametersJson()), row.timeoutMs(), row.requiresApproval(),
        row.approvalTimeoutSeconds() == null ? null : Duration.ofSeconds(row.approvalTimeoutSeconds()).toString(),
        row.idempotent(), row.status(), row.version(), row.mcpServerId(), row.remoteName(), row.createdAt(),
        row.updatedAt(), null);
  }

  /** Stored headers as the API shows them: a sealed value as {@code {"secret": true}}. */
  ObjectNode shownHeaders(String headersJson) {
    ObjectNode headers = json.createObjectNode();
    json.readTree(headersJson).properties().forEach(e -> {
      if (e.getValue().isString()) {
        headers.put(e.getKey(), e.getValue().asString());
      } else {
        headers.putObject(e.getKey()).put("secret", true);
      }
    });
    return headers;
  }

  /**
   * Headers to store: plain values as they are, secrets sealed for {@code ownerId} (a tool's or an
   * MCP server's id), kept ciphertexts as they were.
   */
  String storedHeaders(Caller caller, String ownerId, List<ValidTool.Header> given) {
    ObjectNode headers = json.createObjectNode();
    for (ValidTool.Header header : given) {
      if (!header.isSecret()) {
        headers.put(header.name(), header.plain());
      } else {
        String sealed = header.sealed() != null
            ? header.sealed()
            : secrets.encrypt(header.secret(), caller.company().value(), ownerId, header.name());
        headers.putObject(header.name()).put(SEALED, sealed);
      }
    }
    return json.writeValueAsString(headers);
  }

  /** Ciphertexts of stored secret headers by name, which {@code {"secret": true}} may keep. */
  Map<String, String> sealedHeaders(String headersJson) {
    Map<String, String> sealed = new LinkedHashMap<>();
    json.readTree(headersJson).properties().forEach(e -> {
      if (e.getValue().isObject() && e.getValue().has(SEALED)) {
        sealed.put(e.getKey(), e.getValue().get(SEALED).asString());
      }
    });
    return sealed;
  }

  private static ApiException notFound(String toolId) {
    return ApiException.notFound("tool " + toolId);
  }
}
