package dev.saturn.common.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.common.outbound.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A client of MCP's Streamable HTTP transport (protocol revisions 2025-03-26 to 2025-11-25), just
 * what SATURN needs of it: open a session ({@code initialize}, then
 * {@code notifications/initialized}), {@code tools/list}, {@code tools/call}, close the session
 * ({@code DELETE} with its {@code Mcp-Session-Id}). Every message is a JSON-RPC POST with
 * {@code Accept: application/json, text/event-stream}; an answer may be plain JSON or a
 * server-sent event stream, read until the response to our request arrives.
 *
 * <p>Every exchange goes through the {@link GuardedHttpClient}, so the SSRF guard checks each
 * connection (and each redirect) and the connection goes to the checked address. Neither MCP
 * library for Java lets a caller supply the connection that way (see architecture.md,
 * Decisions). One deadline covers a whole session; every answer is capped in size.
 */
public class McpClient {

  /** The revision we ask for; the server may answer with another one we speak. */
  public static final String PROTOCOL_VERSION = "2025-11-25";
  static final Set<String> SUPPORTED_VERSIONS = Set.of("2025-03-26", "2025-06-18", PROTOCOL_VERSION);
  /** Pages of {@code tools/list} we follow before giving up on a server. */
  static final int MAX_PAGES = 20;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where and how to connect.
   *
   * @param headers sent with every message (credentials already decrypted)
   * @param timeout the whole session's deadline
   * @param maxResponseBytes the largest answer to any one message
   */
  public record Endpoint(URI url, Map<String, String> headers, Duration timeout, int maxResponseBytes) {
    public Endpoint {
      headers = Map.copyOf(headers);
    }
  }

  /** The server as it introduced itself. */
  public record ServerInfo(String name, String version, String protocolVersion) {}

  /**
   * A tool as the server lists it; the hints are null when the server gives none.
   *
   * @param inputSchema the JSON Schema of the arguments
   */
  public record ListedTool(
      String name, String title, String description, JsonNode inputSchema, Boolean readOnlyHint, Boolean idempotentHint) {}

  /**
   * What {@code tools/call} answered.
   *
   * @param isError the tool reported a failure (MCP's {@code isError}); {@code content} then says why
   * @param content the structured content as JSON when the server gave one, else the text of the
   *     content items (non-text items named, not inlined)
   * @param httpStatus the HTTP status of the call's exchange
   */
  public record CallResult(boolean isError, String content, int httpStatus) {}

  private final GuardedHttpClient http;

  public McpClient(GuardedHttpClient http) {
    this.http = http;
  }

  /** Opens a session: the server's {@code initialize} answer, then our {@code initialized} notification. */
  public Session open(Endpoint endpoint) throws McpException {
    Session session = new Session(endpoint);
    try {
      session.initialize();
      return session;
    } catch (McpException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** One MCP session; not thread-safe. Closing it ends the session on the server, as well as it can. */
  public final class Session implements AutoCloseable {
    private final Endpoint endpoint;
    private final long deadline;
    private long nextId = 1;
    private String sessionId;
    private String protocolVersion;
    private ServerInfo server;

    private Session(Endpoint endpoint) {
      this.endpoint = endpoint;
      this.deadline = System.nanoTime() + endpoint.timeout().toNanos();
    }

    public ServerInfo server() {
      return server;
    }

    private void initialize() throws McpException {
      ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
      params.putObject("capabilities");
      params.putObject("clientInfo").put("name", "saturn").put("version", "1");
      Answer answer = request("initialize", params);
      JsonNode result = answer.result();
      String version = result.path("protocolVersion").asText("");
      if (!SUPPORTED_VERSIONS.contains(version)) {
        throw new McpException(McpException.Kind.PROTOCOL,
            "the server speaks MCP revision '" + version + "'; SATURN speaks " + String.join(", ", SUPPORTED_VERSIONS.stream().sorted().toList()),
            answer.httpStatus(), false);
      }
      protocolVersion = version;
      server = new ServerInfo(result.path("serverInfo").path("name").asText(null),
          result.path("serverInfo").path("version").asText(null), version);
      GuardedHttpClient.Response sent = post(JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized"), 0);
      if (!sent.ok()) {
        throw transport("notifications/initialized", sent, endpoint.timeout());
      }
    }

    /** Every tool the server lists, following {@code nextCursor}. */
    public List<ListedTool> listTools() throws McpException {
      List<ListedTool> tools = new ArrayList<>();
      String cursor = null;
      for (int page = 0; page < MAX_PAGES; page++) {
        ObjectNode params = JSON.createObjectNode();
        if (cursor != null) {
          params.put("cursor", cursor);
        }
        JsonNode result = request("tools/list", params).result();
        JsonNode listed = result.path("tools");
        if (!listed.isArray()) {
          throw new McpException(McpException.Kind.PROTOCOL, "tools/list answered without a tools array", 200, false);
        }
        for (JsonNode tool : listed) {
          String name = tool.path("name").asText("");
          if (name.isEmpty()) {
            throw new McpException(McpException.Kind.PROTOCOL, "tools/list answered a tool without a name", 200, false);
          }
          JsonNode annotations = tool.path("annotations");
          tools.add(new ListedTool(name, text(tool.get("title")), text(tool.get("description")), tool.get("inputSchema"),
              hint(annotations.get("readOnlyHint")), hint(annotations.get("idempotentHint"))));
        }
        cursor = text(result.get("nextCursor"));
        if (cursor == null || cursor.isEmpty()) {
          return tools;
        }
      }
      throw new McpException(McpException.Kind.PROTOCOL, "tools/list had more than " + MAX_PAGES + " pages", 200, false);
    }

    /**
     * Calls a tool. A tool that reports a failure ({@code isError}) is a result, not an exception;
     * a JSON-RPC error from the server is an {@link McpException} of kind {@code RPC_ERROR}.
     */
    public CallResult callTool(String name, JsonNode arguments) throws McpException {
      ObjectNode params = JSON.createObjectNode().put("name", name);
      params.set("arguments", arguments == null ? JSON.createObjectNode() : arguments);
      Answer answer = request("tools/call", params);
      JsonNode result = answer.result();
      return new CallResult(result.path("isError").asBoolean(false), content(result), answer.httpStatus());
    }

    /** Ends the session on the server ({@code DELETE}); best effort, a server may not allow it. */
    @Override
    public void close() {
      if (sessionId == null) {
        return;
      }
      long left = Math.min(deadline - System.nanoTime(), CLOSE_TIMEOUT.toNanos());
      if (left > TimeUnit.MILLISECONDS.toNanos(50)) {
        http.send(new GuardedHttpClient.Request("DELETE", endpoint.url(), headers(), null, Duration.ofNanos(left),
            endpoint.maxResponseBytes(), "the MCP server", null));
      }
      sessionId = null;
    }

    private record Answer(JsonNode result, int httpStatus) {}

    /** One request and its response's {@code result}. */
    private Answer request(String method, JsonNode params) throws McpException {
      long id = nextId++;
      ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
      message.set("params", params);
      GuardedHttpClient.Response response = post(message, id);
      if (!response.ok()) {
        throw transport(method, response, endpoint.timeout());
      }
      if (method.equals("initialize")) {
        sessionId = response.header("mcp-session-id");
      }
      JsonNode answer = McpMessages.response(response.body(), response.header("content-type"), id)
          .orElseThrow(() -> new McpException(McpException.Kind.PROTOCOL,
              method + " got no JSON-RPC response from the server", response.status(), false));
      JsonNode error = answer.get("error");
      if (error != null && !error.isNull()) {
        throw new McpException(McpException.Kind.RPC_ERROR, "the MCP server answered " + method + " with error "
            + error.path("code").asText("?") + ": " + error.path("message").asText(""), response.status(), false);
      }
      JsonNode result = answer.get("result");
      if (result == null || !result.isObject()) {
        throw new McpException(McpException.Kind.PROTOCOL, method + " got a response without a result", response.status(), false);
      }
      return new Answer(result, response.status());
    }

    /** POSTs one message; {@code id} 0 for a notification, whose answer has no body to wait for. */
    private GuardedHttpClient.Response post(JsonNode message, long id) throws McpException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new McpException(McpException.Kind.TRANSPORT,
            "no answer within " + endpoint.timeout().toMillis() + " ms", 0, true);
      }
      Map<String, String> headers = headers();
      headers.put("Content-Type", "application/json");
      GuardedHttpClient.BodyEnd end = id == 0 ? null
          : (body, contentType) -> McpMessages.isEventStream(contentType) && McpMessages.response(body, contentType, id).isPresent();
      return http.send(new GuardedHttpClient.Request("POST", endpoint.url(), headers, message.toString(),
          Duration.ofNanos(left), endpoint.maxResponseBytes(), "the MCP server", end));
    }

    private Map<String, String> headers() {
      Map<String, String> headers = new LinkedHashMap<>(endpoint.headers());
      headers.put("Accept", "application/json, text/event-stream");
      headers.put("User-Agent", "SATURN-mcp/1");
      if (sessionId != null) {
        headers.put("Mcp-Session-Id", sessionId);
      }
      if (protocolVersion != null) {
        headers.put("MCP-Protocol-Version", protocolVersion);
      }
      return headers;
    }
  }

  private static McpException transport(String method, GuardedHttpClient.Response response, Duration timeout) {
    if (response.refused()) {
      return new McpException(McpException.Kind.REFUSED, response.failure(), 0, false);
    }
    String why = response.failure() == null ? "HTTP " + response.status()
        // The exchange had what was left of the session's time; the caller set the whole.
        : response.failure().startsWith("no answer within") ? "no answer within " + timeout.toMillis() + " ms"
        : response.failure();
    return new McpException(McpException.Kind.TRANSPORT, method + " failed: " + why, response.status(),
        response.transientFailure());
  }

  /** The structured content as JSON, else the content items as text. */
  static String content(JsonNode result) {
    JsonNode structured = result.get("structuredContent");
    if (structured != null && !structured.isNull()) {
      return structured.toString();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode item : result.path("content")) {
      if (text.length() > 0) {
        text.append('\n');
      }
      String type = item.path("type").asText("");
      switch (type) {
        case "text" -> text.append(item.path("text").asText(""));
        case "resource" -> {
          JsonNode resource = item.path("resource");
          text.append(resource.has("text") ? resource.path("text").asText("")
              : "[resource " + resource.path("uri").asText("") + "]");
        }
        case "resource_link" -> text.append("[resource ").append(item.path("uri").asText("")).append(']');
        default -> text.append('[').append(type).append(' ').append(item.path("mimeType").asText("")).append(']');
      }
    }
    return text.toString();
  }

  private static String text(JsonNode node) {
    return node == null || !node.isTextual() ? null : node.asText();
  }

  private static Boolean hint(JsonNode node) {
    return node == null || !node.isBoolean() ? null : node.asBoolean();
  }

  /** Reading JSON-RPC responses out of plain JSON and server-sent event bodies. */
  static final class McpMessages {
    private McpMessages() {}

    static boolean isEventStream(String contentType) {
      return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    /** The response to request {@code id} in the body, if it is there (whole). */
    static Optional<JsonNode> response(String body, String contentType, long id) {
      if (body == null) {
        return Optional.empty();
      }
      if (!isEventStream(contentType)) {
        return matching(parse(body), id);
      }
      // Events end with a blank line; only whole events count.
      String normalized = body.replace("\r\n", "\n").replace('\r', '\n');
      int end = normalized.lastIndexOf("\n\n");
      if (end < 0) {
        return Optional.empty();
      }
      for (String event : normalized.substring(0, end).split("\n\n")) {
        StringBuilder data = new StringBuilder();
        for (String line : event.split("\n")) {
          if (line.startsWith("data:")) {
            if (data.length() > 0) {
              data.append('\n');
            }
            data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
          }
        }
        Optional<JsonNode> found = data.length() == 0 ? Optional.empty() : matching(parse(data.toString()), id);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }

    private static JsonNode parse(String json) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        return null;
      }
    }

    /** A response (result or error) with our id, alone or in a batch. */
    private static Optional<JsonNode> matching(JsonNode node, long id) {
      if (node == null) {
        return Optional.empty();
      }
      if (node.isArray()) {
        for (JsonNode item : node) {
          Optional<JsonNode> found = matching(item, id);
          if (found.isPresent()) {
            return found;
          }
        }
        return Optional.empty();
      }
      boolean isResponse = node.isObject() && (node.has("result") || node.has("error")) && !node.has("method");
      return isResponse && node.path("id").asLong(-1) == id ? Optional.of(node) : Optional.empty();
    }
  }
}
