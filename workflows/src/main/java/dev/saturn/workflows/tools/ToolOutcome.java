package dev.saturn.workflows.tools;

/**
 * What a tool call came to, as the model will read it: {@code content} is the (redacted, size-capped)
 * response of a call that ran, or a JSON error object naming {@code errorCode}.
 */
public record ToolOutcome(String callId, String toolName, boolean ok, String errorCode, String content) {

  /** An error the model reads as the call's result, e.g. TOOL_NOT_ALLOWED. */
  public static ToolOutcome error(String callId, String toolName, String errorCode, String message) {
    return new ToolOutcome(callId, toolName, false, errorCode, errorJson(errorCode, message));
  }

  /** {@code {"error":{"code":"...","message":"..."}}}, built without a JSON library (workflow code). */
  public static String errorJson(String code, String message) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":" + quote(message) + "}}";
  }

  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
