package dev.saturn.db.chat;

import java.time.Instant;

/** {@code citationsJson}: the knowledge-base passages an assistant message drew on, as stored; null if none. */
public record MessageRow(
    String id, String companyId, String sessionId, String turnId, long seq, String role, String content,
    Integer tokenCount, Instant createdAt, String citationsJson) {

  public MessageRow(
      String id, String companyId, String sessionId, String turnId, long seq, String role, String content,
      Integer tokenCount, Instant createdAt) {
    this(id, companyId, sessionId, turnId, seq, role, content, tokenCount, createdAt, null);
  }
}
