package dev.saturn.workflows.chat;

/**
 * Ids only: the activity reads the agent version's config, the session history up to (not
 * including) {@code userMessageSeq} and the turn's own tool messages from the database, so the
 * payload stays small and a retry sees the same prompt. {@code step} numbers the model calls of the
 * turn from 1; the activity keys what it stores (usage, the tool-call message, events) by it.
 */
public record LlmCallInput(
    String companyId,
    String agentId,
    int agentVersion,
    String sessionId,
    String turnId,
    long userMessageSeq,
    int step) {

  public LlmCallInput {
    step = step < 1 ? 1 : step;
  }

  public LlmCallInput(
      String companyId, String agentId, int agentVersion, String sessionId, String turnId, long userMessageSeq) {
    this(companyId, agentId, agentVersion, sessionId, turnId, userMessageSeq, 1);
  }
}
