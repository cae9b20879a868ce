package dev.saturn.workflows.chat;

/**
 * Ids only: the activity reads the agent version's config and the session history up to (not
 * including) {@code userMessageSeq} from the database, so the payload stays small and a retry
 * sees the same prompt.
 */
public record LlmCallInput(
    String companyId,
    String agentId,
    int agentVersion,
    String sessionId,
    String turnId,
    long userMessageSeq) {}
