package dev.saturn.common.mcp;

/**
 * An MCP exchange that did not produce a result: refused before connecting, no (usable) answer,
 * or a JSON-RPC error from the server. The message is for people and is safe to show the tenant
 * (it names no header values).
 */
public final class McpException extends Exception {

  /** Where it went wrong. */
  public enum Kind {
    /** The SSRF guard or the URL refused the target; nothing was sent. */
    REFUSED,
    /** No answer, a non-2xx answer, or an answer too large. */
    TRANSPORT,
    /** An answer that is not MCP: not JSON-RPC, no response to our request, an unsupported protocol version. */
    PROTOCOL,
    /** The server answered the request with a JSON-RPC error. */
    RPC_ERROR
  }

  private final Kind kind;
  private final int httpStatus;
  private final boolean transientFailure;

  McpException(Kind kind, String message, int httpStatus, boolean transientFailure) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.transientFailure = transientFailure;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the failing exchange, 0 when the server did not answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Another attempt may succeed (no answer, 429, 5xx). */
  public boolean transientFailure() {
    return transientFailure;
  }
}
