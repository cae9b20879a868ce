package dev.saturn.api.mcp;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.idempotency.IdempotentRequests;
import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a tool handler knows of the HTTP request that carried its JSON-RPC message: who called (the
 * {@link Caller} the bearer key authenticated), the MCP session and the JSON-RPC request id.
 *
 * <p>It travels as the SDK's {@link McpTransportContext}, built from the request by
 * {@link #context} on the request thread, and not through thread-locals: the SDK may run a handler
 * on another thread, where the security context of the request is not set.
 *
 * @param mcpSessionId the {@code Mcp-Session-Id} header, or null
 * @param requestId the JSON-RPC id with its type ({@code n:7} for a number, {@code s:abc} for a
 *     string), or null for a message without one
 */
record McpCall(Caller caller, String mcpSessionId, String requestId) {

  private static final String ATTRIBUTE = McpCall.class.getName();
  private static final String KEY = "saturn.mcp.call";

  McpCall {
    Objects.requireNonNull(caller, "caller");
  }

  /**
   * The idempotency key of a turn this call starts: the same JSON-RPC request in the same MCP
   * session (a client's retry) gives the same key, any other request another. Null without a
   * session or a request id: then every call is a turn of its own.
   */
  String idempotencyKey() {
    return mcpSessionId == null || requestId == null ? null : IdempotentRequests.hash(mcpSessionId, requestId);
  }

  /** Hands this call to {@link #context} through the request the transport is given. */
  void attachTo(HttpServletRequest request) {
    request.setAttribute(ATTRIBUTE, this);
  }

  /** The SDK's context extractor: the call attached to the request, as the transport context. */
  static McpTransportContext context(HttpServletRequest request) {
    Map<String, Object> values = new HashMap<>();
    if (request.getAttribute(ATTRIBUTE) instanceof McpCall call) {
      values.put(KEY, call);
    }
    return McpTransportContext.create(values);
  }

  /** @throws IllegalStateException when the transport ran a handler without a call (a request that bypassed the controller) */
  static McpCall from(McpTransportContext context) {
    if (context != null && context.get(KEY) instanceof McpCall call) {
      return call;
    }
    throw new IllegalStateException("MCP tool called without an authenticated caller");
  }
}
