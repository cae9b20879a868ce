package dev.saturn.api.mcp;

import dev.saturn.api.ApiController;
import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnErrors;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.ratelimit.ChatTurnLimit;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.workflows.common.ErrorCode;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tools SATURN offers over MCP: {@code list_agents} and {@code chat_with_agent}. Every call
 * acts as the {@link Caller} whose key came with the HTTP request ({@link McpCall}), so it sees only
 * that company's agents, sessions and turns; another company's agent id gets exactly what an id
 * that does not exist gets. A refused or failed call is a tool error ({@code isError: true}, text
 * {@code CODE: message}), never a JSON-RPC error: the calling model can read it and react.
 */
@Component
@ConditionalOnExpression(ApiController.API_ROLE_ENABLED)
class AgentTools {

  private static final Logger log = LoggerFactory.getLogger(AgentTools.class);

  static final String LIST_AGENTS = "list_agents";
  static final String CHAT_WITH_AGENT = "chat_with_agent";

  static final String COMPLETED = "completed";
  static final String AWAITING_APPROVAL = "awaiting_approval";
  static final String RUNNING = "running";
  static final String FAILED = "failed";

  private static final int AGENTS_PER_PAGE = 50;
  private static final int DESCRIPTION_CHARS = 200;
  private static final int MAX_ID_CHARS = 36;

  private final TurnStarter starter;
  private final AgentRepository agents;
  private final MessageRepository messages;
  private final ToolApprovalRepository approvals;
  private final ChatTurnLimit chatTurnLimit;
  private final McpProperties properties;
  private final McpJsonMapper mcpJson;
  /** The application's mapper, to read stored agent configs as they were written. */
  private final JsonMapper storedJson;

  AgentTools(
      TurnStarter starter,
      AgentRepository agents,
      MessageRepository messages,
      ToolApprovalRepository approvals,
      ChatTurnLimit chatTurnLimit,
      McpProperties properties,
      JsonMapper storedJson) {
    this.starter = starter;
    this.agents = agents;
    this.messages = messages;
    this.approvals = approvals;
    this.chatTurnLimit = chatTurnLimit;
    this.properties = properties;
    this.mcpJson = McpEndpoint.JSON;
    this.storedJson = storedJson;
  }

  /** The two tools with their handlers, as the SDK's server takes them. */
  List<SyncToolSpecification> specifications() {
    return List.of(
        new SyncToolSpecification(listAgentsTool(), (exchange, request) ->
            guarded(request, () -> listAgents(McpCall.from(exchange.transportContext()), request.arguments()))),
        new SyncToolSpecification(chatTool(), (exchange, request) ->
            guarded(request, () -> chat(McpCall.from(exchange.transportContext()), request.arguments()))));
  }

  private Tool listAgentsTool() {
    return Tool.builder()
        .name(LIST_AGENTS)
        .title("List agents")
        .description("Lists the enabled SATURN agents of your company: id, name and a description (the start of the"
            + " agent's system prompt). Pass an agent's id to chat_with_agent. Up to " + AGENTS_PER_PAGE
            + " agents per call; pass next_cursor back as cursor for more.")
        .inputSchema(schema("""
            {"type": "object",
             "properties": {"cursor": {"type": "string", "description": "next_cursor of the previous call"}},
             "additionalProperties": false}"""))
        .outputSchema(schema("""
            {"type": "object",
             "properties": {
               "agents": {"type": "array", "items": {"type": "object",
                 "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"}},
                 "required": ["id", "name", "description"]}},
               "next_cursor": {"type": "string"}},
             "required": ["agents"]}"""))
        .annotations(new ToolAnnotations("List agents", true, false, true, false, null))
        .build();
  }

  private Tool chatTool() {
    return Tool.builder()
        .name(CHAT_WITH_AGENT)
        .title("Chat with an agent")
        .description("Sends a message to a SATURN agent as one chat turn and answers with the agent's reply,"
            + " the session_id (pass it again to continue the conversation) and the turn_id. If the agent"
            + " needs a person to approve a tool call first, the answer says so (status awaiting_approval) with"
            + " the turn id and how to approve; if the turn takes longer than the server waits, status is"
            + " running: read the turn later with GET /v1/turns/{turn_id}.")
        .inputSchema(schema("""
            {"type": "object",
             "properties": {
               "agent_id": {"type": "string", "description": "an id from list_agents"},
               "message": {"type": "string", "minLength": 1, "description": "what to say to the agent"},
               "session_id": {"type": "string", "description": "continue this session (from an earlier answer); omit to start a new one"}},
             "required": ["agent_id", "message"],
             "additionalProperties": false}"""))
        .outputSchema(schema("""
            {"type": "object",
             "properties": {
               "status": {"type": "string", "enum": ["completed", "awaiting_approval", "running", "failed"]},
               "answer": {"type": "string"},
               "session_id": {"type": "string"},
               "turn_id": {"type": "string"},
               "agent_id": {"type": "string"},
               "pending_approvals": {"type": "array", "items": {"type": "object",
                 "properties": {"call_id": {"type": "string"}, "tool": {"type": "string"}, "approve": {"type": "string"}},
                 "required": ["call_id", "tool", "approve"]}},
               "error": {"type": "object",
                 "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                 "required": ["code", "message"]},
               "next": {"type": "string"}},
             "required": ["status", "session_id", "turn_id", "agent_id"]}"""))
        .annotations(new ToolAnnotations("Chat with an agent", false, false, false, true, null))
        .build();
  }

  /** {@code list_agents}: the company's enabled agents, newest first. */
  CallToolResult listAgents(McpCall call, Map<String, Object> arguments) {
    Caller caller = call.caller();
    caller.require(Permission.AGENTS_READ);
    Map<String, Object> args = arguments == null ? Map.of() : arguments;
    unknownArguments(args, Set.of("cursor"));
    String cursor = optionalString(args, "cursor", 512);
    Page<AgentRow> page;
    try {
      page = agents.list(caller.company(), cursor, AGENTS_PER_PAGE);
    } catch (Cursors.InvalidCursorException e) {
      throw ApiException.invalidField("cursor", "is not a cursor of list_agents");
    }
    List<Map<String, Object>> listed = new ArrayList<>();
    for (AgentRow agent : page.items()) {
      if (agent.enabled()) {
        listed.add(ordered("id", agent.id(), "name", agent.name(), "description", description(caller, agent)));
      }
    }
    Map<String, Object> structured = ordered("agents", listed, "next_cursor", page.nextCursor());
    StringBuilder text = new StringBuilder(listed.isEmpty() ? "No enabled agents." : "Enabled agents:");
    for (Map<String, Object> agent : listed) {
      text.append("\n- ").append(agent.get("name")).append(" (id ").append(agent.get("id")).append(")");
      if (!((String) agent.get("description")).isEmpty()) {
        text.append(": ").append(agent.get("description"));
      }
    }
    if (page.nextCursor() != null) {
      text.append("\nMore agents: call list_agents with cursor ").append(page.nextCursor());
    }
    return result(false, text.toString(), structured);
  }

  /**
   * {@code chat_with_agent}: one turn through {@link TurnStarter} (channel MCP), awaited up to
   * {@code saturn.mcp.result-wait}. The idempotency key comes from the MCP session and the JSON-RPC
   * request id, so the same request sent again in the same session attaches to the same turn.
   */
  CallToolResult chat(McpCall call, Map<String, Object> arguments) {
    Caller caller = call.caller();
    caller.require(Permission.CHAT);
    Map<String, Object> args = arguments == null ? Map.of() : arguments;
    unknownArguments(args, Set.of("agent_id", "message", "session_id"));
    String agentId = requiredString(args, "agent_id", MAX_ID_CHARS);
    String message = requiredString(args, "message", Integer.MAX_VALUE);
    String sessionId = optionalString(args, "session_id", MAX_ID_CHARS);
    if (message.isBlank()) {
      throw ApiException.invalidField("message", "must not be blank");
    }
    chatTurnLimit.take(caller);
    TurnRow turn = starter.startAndAwait(
        new TurnStarter.StartTurn(caller.company(), agentId, sessionId, message, call.idempotencyKey(), TurnChannel.MCP),
        properties.resultWait());
    return turnResult(caller, turn);
  }

  private CallToolResult turnResult(Caller caller, TurnRow turn) {
    Map<String, Object> structured = new LinkedHashMap<>();
    String text;
    boolean error = false;
    switch (turn.status()) {
      case COMPLETED -> {
        String answer = messages.find(caller.company(), turn.assistantMessageId()).map(MessageRow::content).orElse("");
        structured.put("status", COMPLETED);
        structured.put("answer", answer);
        text = answer;
      }
      case FAILED -> {
        String message = TurnErrors.publicMessage(turn.errorCode(), turn.errorMessage());
        structured.put("status", FAILED);
        structured.put("error", ordered("code", turn.errorCode(), "message", message));
        text = turn.errorCode() + ": turn " + turn.id() + " failed: " + message;
        error = true;
      }
      default -> {
        List<ToolApprovalRow> pending = approvals.pendingForTurn(caller.company(), turn.id());
        String poll = "GET /v1/turns/" + turn.id();
        if (pending.isEmpty()) {
          structured.put("status", RUNNING);
          text = "The agent is still working on turn " + turn.id() + "; read its answer later with " + poll + ".";
          structured.put("next", text);
        } else {
          List<Map<String, Object>> calls = new ArrayList<>();
          StringBuilder waiting = new StringBuilder("Turn " + turn.id() + " is waiting for a person to approve ")
              .append(pending.size() == 1 ? "a tool call" : pending.size() + " tool calls").append(':');
          for (ToolApprovalRow row : pending) {
            String approve = "POST /v1/turns/" + turn.id() + "/approvals/" + row.callId();
            calls.add(ordered("call_id", row.callId(), "tool", row.toolName(), "approve", approve));
            waiting.append("\n- ").append(row.toolName()).append(" (call ").append(row.callId()).append("): ")
                .append(approve).append(" with {\"decision\": \"approve\"} or {\"decision\": \"deny\"}");
          }
          String next = "Someone with the approvals_decide permission decides each call; then the turn goes on."
              + " Read its answer with " + poll + ".";
          structured.put("status", AWAITING_APPROVAL);
          structured.put("pending_approvals", calls);
          structured.put("next", next);
          text = waiting.append('\n').append(next).toString();
        }
      }
    }
    structured.put("session_id", turn.sessionId());
    structured.put("turn_id", turn.id());
    structured.put("agent_id", turn.agentId());
    return result(error, text, structured);
  }

  /** Runs a tool body; whatever it throws becomes a tool error the caller can read. */
  private CallToolResult guarded(CallToolRequest request, java.util.function.Supplier<CallToolResult> body) {
    try {
      return body.get();
    } catch (ApiException e) {
      return error(e.code(), e.detail());
    } catch (RuntimeException e) {
      log.error("MCP tool {} failed", request.name(), e);
      return error(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.title());
    }
  }

  static CallToolResult error(ErrorCode code, String message) {
    return CallToolResult.builder()
        .addTextContent(code.name() + ": " + message)
        .structuredContent(Map.of("error", ordered("code", code.name(), "message", message)))
        .isError(true)
        .build();
  }

  /**
   * The text a model reads, then the structured content serialised, as the protocol asks of a tool
   * with an output schema (for clients that read text only).
   */
  private CallToolResult result(boolean error, String text, Map<String, Object> structured) {
    String json;
    try {
      json = mcpJson.writeValueAsString(structured);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return CallToolResult.builder()
        .addTextContent(text)
        .addTextContent(json)
        .structuredContent(structured)
        .isError(error)
        .build();
  }

  /** The start of the agent's current system prompt on one line, or empty. */
  private String description(Caller caller, AgentRow agent) {
    String prompt = agents.findVersion(caller.company(), agent.id(), agent.currentVersion())
        .map(version -> {
          try {
            return storedJson.readTree(version.configJson()).path("system_prompt").asString("");
          } catch (JacksonException e) {
            return "";
          }
        })
        .orElse("");
    String line = prompt.strip().replaceAll("\\s+", " ");
    return line.length() <= DESCRIPTION_CHARS ? line : line.substring(0, DESCRIPTION_CHARS - 1).strip() + "…";
  }

  private static void unknownArguments(Map<String, Object> args, Set<String> known) {
    for (String name : args.keySet()) {
      if (!known.contains(name)) {
        throw ApiException.invalidField(name, "is not an argument of this tool");
      }
    }
  }

  private static String requiredString(Map<String, Object> args, String name, int maxChars) {
    String value = optionalString(args, name, maxChars);
    if (value == null) {
      throw ApiException.invalidField(name, "is required");
    }
    return value;
  }

  /** Strict: a number or boolean where a string belongs is refused, never turned into text. */
  private static String optionalString(Map<String, Object> args, String name, int maxChars) {
    Object value = args.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiException.invalidField(name, "must be a string");
    }
    if (text.length() > maxChars) {
      throw ApiException.invalidField(name, "must be at most " + maxChars + " characters");
    }
    return text;
  }

  /** A map in the given key order, without null values. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  private Map<String, Object> schema(String json) {
    try {
      return mcpJson.readValue(json, new io.modelcontextprotocol.json.TypeRef<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
