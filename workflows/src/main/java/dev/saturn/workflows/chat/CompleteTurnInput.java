package dev.saturn.workflows.chat;

/**
 * {@code usageKey} identifies the final LLM call (workflow id + step) so its usage event is
 * recorded once; {@code totalInputTokens}/{@code totalOutputTokens} sum every model call of the
 * turn (null: the reply's own counts, as for a turn of one call).
 */
public record CompleteTurnInput(
    String companyId,
    String turnId,
    String agentId,
    String sessionId,
    String usageKey,
    LlmCallResult reply,
    Long totalInputTokens,
    Long totalOutputTokens) {

  public CompleteTurnInput(
      String companyId, String turnId, String agentId, String sessionId, String usageKey, LlmCallResult reply) {
    this(companyId, turnId, agentId, sessionId, usageKey, reply, null, null);
  }
}
