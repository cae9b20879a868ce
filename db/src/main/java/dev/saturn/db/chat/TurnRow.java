package dev.saturn.db.chat;

import java.time.Instant;

/**
 * {@code agentVersion} is null until the workflow pins it; token counts are set on completion.
 * {@code instructions}: what the channel asked to append to the agent's system prompt for this
 * turn, or null.
 */
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
    Instant completedAt,
    String instructions) {}
