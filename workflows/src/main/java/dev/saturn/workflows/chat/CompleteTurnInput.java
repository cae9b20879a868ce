package dev.saturn.workflows.chat;

/** {@code usageKey} identifies the LLM call (workflow id + step) so its usage event is recorded once. */
public record CompleteTurnInput(
    String companyId,
    String turnId,
    String agentId,
    String sessionId,
    String usageKey,
    LlmCallResult reply) {}
