package dev.saturn.api.mcp;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /mcp}: SATURN as an MCP server over Streamable HTTP. The front door has authenticated the
 * bearer credential and checked this handler's rule (a company caller with {@code chat}) before the
 * request gets here; this adapter then
 *
 * <ul>
 *   <li>reads the body (capped like every body) and refuses what is not one JSON-RPC message, so the
 *       SDK only sees well-formed envelopes;
 *   <li>lets a session id be used only by the company that opened it ({@link McpSessions});
 *   <li>hands the caller, the session and the JSON-RPC id to the tool handlers ({@link McpCall});
 *   <li>and passes the request to the SDK's transport ({@link McpEndpoint}).
 * </ul>
 *
 * POST carries every client message (a request or a notification: this server sends no requests, so
 * it takes no responses); DELETE ends a session. GET (a server-to-client event stream)
 * is not offered: SATURN sends nothing unasked, and the protocol lets a server answer it 405.
 * Not in the OpenAPI document: it is one JSON-RPC endpoint, described in docs/api.md.
 */
@ApiController
@Hidden
class McpController {

  static final String PATH = "/mcp";

  /** JSON-RPC's codes for a body that is not JSON, and for JSON that is not one request. */
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final McpEndpoint endpoint;
  private final McpSessions sessions;

  McpController(McpEndpoint endpoint, McpSessions sessions) {
    this.endpoint = endpoint;
    this.sessions = sessions;
  }

  @PostMapping(PATH)
  @Requires(Permission.CHAT)
  public void post(Caller caller, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    byte[] body = request.getInputStream().readAllBytes();
    Envelope envelope = Envelope.read(body);
    if (envelope.error() != null) {
      writeError(response, HttpServletResponse.SC_BAD_REQUEST, envelope.errorCode(), envelope.error());
      return;
    }
    String session = request.getHeader(HttpHeaders.MCP_SESSION_ID);
    if (envelope.initialize()) {
      // A new session; a stale id sent along is the SDK's to ignore.
      SessionCapture captured = new SessionCapture(response);
      forward(new McpCall(caller, null, envelope.requestId()), request, body, captured);
      if (captured.sessionId != null) {
        sessions.opened(captured.sessionId, caller.company());
      }
      return;
    }
    if (session != null && !sessions.belongsTo(session, caller.company())) {
      sessionNotFound(response, session);
      return;
    }
    forward(new McpCall(caller, session, envelope.requestId()), request, body, response);
  }

  @DeleteMapping(PATH)
  @Requires(Permission.CHAT)
  public void delete(Caller caller, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    String session = request.getHeader(HttpHeaders.MCP_SESSION_ID);
    if (session != null && !sessions.belongsTo(session, caller.company())) {
      sessionNotFound(response, session);
      return;
    }
    forward(new McpCall(caller, session, null), request, new byte[0], response);
    if (session != null && response.getStatus() == HttpServletResponse.SC_OK) {
      sessions.closed(session);
    }
  }

  private void forward(McpCall call, HttpServletRequest request, byte[] body, HttpServletResponse response)
      throws IOException, ServletException {
    Replayed replayed = new Replayed(request, body);
    call.attachTo(replayed);
    endpoint.service(replayed, response);
  }

  /** What the SDK answers for a session it does not know, so a foreign session looks the same. */
  private static void sessionNotFound(HttpServletResponse response, String session) throws IOException {
    writeError(response, HttpServletResponse.SC_NOT_FOUND, -32603, "Session not found: " + session);
  }

  /** A JSON-RPC error without an id, as the transport answers a message it cannot take. */
  static void writeError(HttpServletResponse response, int status, int code, String message) throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", "2.0");
    body.put("id", null);
    body.put("error", error);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }

  /**
   * The parts of a JSON-RPC message this adapter needs, or why it is not one.
   *
   * @param requestId the id with its JSON type ({@code n:} number, {@code s:} string), so 1 and "1" differ
   */
  record Envelope(boolean initialize, String requestId, int errorCode, String error) {

    static Envelope read(byte[] body) {
      JsonNode message;
      try {
        message = JSON.readTree(body);
      } catch (JacksonException e) {
        return invalid(PARSE_ERROR, "Parse error: the body is not JSON");
      }
      if (message == null || message.isMissingNode()) {
        return invalid(PARSE_ERROR, "Parse error: the body is empty");
      }
      if (!message.isObject()) {
        return invalid(INVALID_REQUEST, "Invalid Request: expected one JSON-RPC message object (batches are not supported)");
      }
      if (!"2.0".equals(message.path("jsonrpc").asString(null)) || !message.path("jsonrpc").isString()) {
        return invalid(INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
      }
      JsonNode id = message.get("id");
      String requestId = null;
      if (id != null && !id.isNull()) {
        if (id.isString()) {
          requestId = "s:" + id.asString();
        } else if (id.isIntegralNumber()) {
          requestId = "n:" + id.bigIntegerValue();
        } else {
          return invalid(INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
        }
      }
      JsonNode method = message.get("method");
      if (method != null) {
        if (!method.isString() || method.asString().isEmpty()) {
          return invalid(INVALID_REQUEST, "Invalid Request: method must be a non-empty string");
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
          return invalid(INVALID_REQUEST, "Invalid Request: params must be an object");
        }
        return new Envelope("initialize".equals(method.asString()) && requestId != null, requestId, 0, null);
      }
      if (message.has("result") || message.has("error")) {
        // The SDK fails a response to nothing with a 500; no request of this server ever waits for one.
        return invalid(INVALID_REQUEST, "Invalid Request: this server sends no requests, so it awaits no response");
      }
      return invalid(INVALID_REQUEST, "Invalid Request: neither a request nor a notification");
    }

    private static Envelope invalid(int code, String error) {
      return new Envelope(false, null, code, error);
    }
  }

  /** The request with its body, already read here, readable once more by the transport. */
  private static final class Replayed extends HttpServletRequestWrapper {

    private final byte[] body;

    Replayed(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }

  /** Notes the session id the transport gives a new session. */
  private static final class SessionCapture extends HttpServletResponseWrapper {

    private String sessionId;

    SessionCapture(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setHeader(String name, String value) {
      note(name, value);
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      note(name, value);
      super.addHeader(name, value);
    }

    private void note(String name, String value) {
      if (HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name)) {
        sessionId = value;
      }
    }
  }
}
