package dev.saturn.db.chat;

import java.time.Instant;

/** {@code agentVersion} is null until the workflow pins it; token counts are set on completion. */
public record TurnRow(
    String id,
    String companyId,
    String sessionId,
    String agentId,
    Integer agentVersion,
    String workflowId,
    TurnStatus status,
    String errorCode,
    String errorMessage,
    String assistantMessageId,
    Long inputTokens,
    Long outputTokens,
    Instant createdAt,
    Instant completedAt) {}
