package dev.saturn.activities.llm;

import java.util.List;

/**
 * One message of a prompt; {@code role} is {@code "system"}, {@code "user"}, {@code "assistant"} or
 * {@code "tool"}. An assistant message may carry the tool calls the model asked for; a tool
 * message carries the id and name of the call it answers.
 */
public record PromptMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  /** A call the model asked for: its id, the tool's name and the arguments as JSON text. */
  public record ToolCall(String id, String name, String arguments) {}

  public PromptMessage {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public PromptMessage(String role, String content) {
    this(role, content, List.of(), null, null);
  }

  public static PromptMessage system(String content) {
    return new PromptMessage(SYSTEM, content);
  }

  public static PromptMessage user(String content) {
    return new PromptMessage(USER, content);
  }

  public static PromptMessage assistant(String content) {
    return new PromptMessage(ASSISTANT, content);
  }

  public static PromptMessage toolCalls(String content, List<ToolCall> calls) {
    return new PromptMessage(ASSISTANT, content == null ? "" : content, calls, null, null);
  }

  public static PromptMessage toolResult(String callId, String toolName, String content) {
    return new PromptMessage(TOOL, content, List.of(), callId, toolName);
  }
}
