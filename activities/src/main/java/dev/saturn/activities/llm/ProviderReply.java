package dev.saturn.activities.llm;

import java.util.List;

/**
 * A provider's answer.
 *
 * @param model the model that answered, as the server reported it when it did
 * @param estimated {@code true} when the token counts were computed locally because the provider
 *     did not report them (billing and quotas should treat them as approximate)
 * @param toolCalls the tool calls the model asked for instead of (or before) answering
 * @param finishReason why the model stopped, as OpenAI names it ({@code stop}, {@code length},
 *     {@code tool_calls}, {@code content_filter}); null when the provider did not say
 */
public record ProviderReply(
    String content, String model, long inputTokens, long outputTokens, boolean estimated,
    List<PromptMessage.ToolCall> toolCalls, String finishReason) {

  public ProviderReply {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public ProviderReply(
      String content, String model, long inputTokens, long outputTokens, boolean estimated,
      List<PromptMessage.ToolCall> toolCalls) {
    this(content, model, inputTokens, outputTokens, estimated, toolCalls, null);
  }

  public ProviderReply(String content, String model, long inputTokens, long outputTokens, boolean estimated) {
    this(content, model, inputTokens, outputTokens, estimated, List.of());
  }
}
