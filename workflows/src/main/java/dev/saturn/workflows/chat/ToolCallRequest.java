package dev.saturn.workflows.chat;

/**
 * One tool call the model asked for. {@code arguments} is the model's JSON as it sent it (the tool
 * needs it); {@code redactedArguments} is the same with secrets masked, the only form shown in the
 * turn's state, events, approvals and logs.
 */
public record ToolCallRequest(String callId, String name, String arguments, String redactedArguments) {}
