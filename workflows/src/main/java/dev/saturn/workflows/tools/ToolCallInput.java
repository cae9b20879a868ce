package dev.saturn.workflows.tools;

/**
 * One tool call of a turn, by ids and the model's arguments. The activity derives everything else
 * (the tool's definition, its secrets, the workflow id for the Idempotency-Key) itself.
 */
public record ToolCallInput(
    String companyId,
    String agentId,
    String sessionId,
    String turnId,
    int step,
    String callId,
    String toolName,
    String arguments) {}
