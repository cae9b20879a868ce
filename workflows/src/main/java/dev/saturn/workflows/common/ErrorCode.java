package dev.saturn.workflows.common;

/**
 * The one registry of error codes (documented in docs/error_codes.md). Activities throw
 * {@code ApplicationFailure}s whose type is a constant's name; the web edge renders the code with
 * its HTTP status as RFC 7807 problem+json.
 */
public enum ErrorCode {
  AUTH_INVALID(401, "Authentication failed"),
  AUTH_FORBIDDEN(403, "Forbidden"),
  WEBHOOK_SIGNATURE_INVALID(401, "Webhook signature invalid"),
  TENANT_NOT_FOUND(404, "Tenant not found"),
  TENANT_SUSPENDED(403, "Tenant suspended"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  VALIDATION_FAILED(400, "Validation failed"),
  CONFLICT(409, "Conflict"),
  IDEMPOTENCY_CONFLICT(409, "Idempotency key reused with a different request"),
  RATE_LIMITED(429, "Rate limited"),
  QUOTA_EXCEEDED(429, "Quota exceeded"),
  AGENT_DISABLED(409, "Agent disabled"),
  TOOL_NOT_ALLOWED(400, "Tool not allowed"),
  TOOL_SCHEMA_INVALID(400, "Tool arguments invalid"),
  TOOL_EXECUTION_FAILED(502, "Tool execution failed"),
  TOOL_APPROVAL_DENIED(409, "Tool call denied"),
  TOOL_APPROVAL_TIMEOUT(409, "Tool approval timed out"),
  TOOL_CALL_LIMIT(409, "Tool call limit reached"),
  MCP_SERVER_UNAVAILABLE(502, "MCP server unavailable"),
  LLM_PROVIDER_ERROR(502, "LLM provider error"),
  LLM_TIMEOUT(504, "LLM provider timed out"),
  LLM_RATE_LIMITED(503, "LLM provider rate limited"),
  KB_INDEXING_FAILED(422, "Knowledge base indexing failed"),
  KB_UNSUPPORTED_TYPE(415, "Unsupported document type"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  SERVICE_UNAVAILABLE(503, "Service unavailable"),
  TURN_ABANDONED(500, "Turn abandoned"),
  TURN_CANCELLED(409, "Turn cancelled"),
  INTERNAL_ERROR(500, "Internal error");

  private final int httpStatus;
  private final String title;

  ErrorCode(int httpStatus, String title) {
    this.httpStatus = httpStatus;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String title() {
    return title;
  }

  /** The code named by a failure type, or INTERNAL_ERROR for a type outside the registry. */
  public static ErrorCode fromType(String type) {
    if (type != null) {
      for (ErrorCode code : values()) {
        if (code.name().equals(type)) {
          return code;
        }
      }
    }
    return INTERNAL_ERROR;
  }
}
