package dev.saturn.db.chat;

import java.time.Instant;

/**
 * One message of a session. {@code toolCallsJson} is set on an assistant message that asked for
 * tools (a JSON array of {@code {id, name, arguments}}); {@code toolCallId} and {@code toolName} on
 * a {@code tool} message, the result of that call. {@code citationsJson}: the knowledge-base
 * passages an assistant message drew on, as stored; null if none. {@code toolResultJson}: on a
 * {@code tool} message, what the call came to ({@code ok}, {@code error_code}, how it ran); null on
 * other messages and on tool messages stored before it existed.
 */
public record MessageRow(
    String id, String companyId, String sessionId, String turnId, long seq, String role, String content,
    Integer tokenCount, Instant createdAt, String toolCallsJson, String toolCallId, String toolName,
    String citationsJson, String toolResultJson) {

  public static final String TOOL = "tool";

  public boolean asksForTools() {
    return toolCallsJson != null;
  }
}
