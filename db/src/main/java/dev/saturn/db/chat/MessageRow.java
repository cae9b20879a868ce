package dev.saturn.db.chat;

import java.time.Instant;

public record MessageRow(
    String id, String companyId, String sessionId, String turnId, long seq, String role, String content,
    Integer tokenCount, Instant createdAt) {}
