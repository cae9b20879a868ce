package dev.saturn.workflows.chat;

import java.util.List;

/**
 * The model's answer and what it cost; {@code estimated} marks token counts not reported by a
 * provider. A non-empty {@code toolCalls} means the model asks for tools before it answers.
 */
public record LlmCallResult(
    String content,
    String provider,
    String model,
    long inputTokens,
    long outputTokens,
    boolean estimated,
    List<ToolCallRequest> toolCalls) {

  public LlmCallResult {
    // Histories recorded before the tool loop carry no toolCalls member.
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** A final answer, no tool calls. */
  public LlmCallResult(
      String content, String provider, String model, long inputTokens, long outputTokens, boolean estimated) {
    this(content, provider, model, inputTokens, outputTokens, estimated, List.of());
  }
}
