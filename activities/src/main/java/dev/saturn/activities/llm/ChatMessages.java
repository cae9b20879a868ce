package dev.saturn.activities.llm;

import java.util.Locale;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/** SATURN's prompt and replies in langchain4j's terms, the same for every langchain4j-backed provider. */
final class ChatMessages {

  private ChatMessages() {}

  static List<ToolSpecification> toolSpecifications(List<ToolSpec> tools) {
    List<ToolSpecification> specs = new ArrayList<>(tools.size());
    for (ToolSpec tool : tools) {
      specs.add(ToolSpecification.builder()
          .name(tool.name())
          .description(tool.description())
          .parameters(ToolParameters.toSchema(tool.parametersJson()))
          .build());
    }
    return specs.isEmpty() ? null : specs;
  }

  static List<ChatMessage> toChatMessages(List<PromptMessage> messages) {
    List<ChatMessage> out = new ArrayList<>(messages.size());
    for (PromptMessage message : messages) {
      boolean blank = message.content().isBlank();
      switch (message.role()) {
        // An agent without instructions yields an empty system message; langchain4j refuses
        // blank text, and dropping it changes nothing the model would see.
        case PromptMessage.SYSTEM -> {
          if (!blank) {
            out.add(SystemMessage.from(message.content()));
          }
        }
        case PromptMessage.USER -> {
          if (blank) {
            throw LlmFailures.validation("A user message in the prompt is blank");
          }
          out.add(UserMessage.from(message.content()));
        }
        case PromptMessage.ASSISTANT -> {
          if (message.toolCalls().isEmpty()) {
            out.add(AiMessage.from(message.content()));
          } else {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            for (PromptMessage.ToolCall call : message.toolCalls()) {
              calls.add(ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments()).build());
            }
            out.add(blank ? AiMessage.from(calls) : AiMessage.from(message.content(), calls));
          }
        }
        case PromptMessage.TOOL -> out.add(
            ToolExecutionResultMessage.from(message.toolCallId(), message.toolName(), message.content()));
        default -> throw LlmFailures.validation(
            "Unknown prompt message role '" + message.role() + "'");
      }
    }
    return out;
  }

  /** The reply, with locally estimated token counts when the server reported none. */
  static ProviderReply toReply(ChatResponse response, ProviderRequest request, String model) {
    String content = response.aiMessage() == null ? null : response.aiMessage().text();
    if (content == null) {
      content = "";
    }
    List<PromptMessage.ToolCall> calls = new ArrayList<>();
    if (response.aiMessage() != null && response.aiMessage().hasToolExecutionRequests()) {
      for (ToolExecutionRequest call : response.aiMessage().toolExecutionRequests()) {
        calls.add(new PromptMessage.ToolCall(call.id(), call.name(), call.arguments() == null ? "{}" : call.arguments()));
      }
    }
    String answeredBy =
        response.modelName() == null || response.modelName().isBlank() ? model : response.modelName();
    TokenUsage usage = response.tokenUsage();
    String finishReason = finishReason(response.finishReason());
    if (usage == null || usage.inputTokenCount() == null || usage.outputTokenCount() == null) {
      // Some local servers omit usage; quotas still need a number, marked as estimated.
      return new ProviderReply(
          content,
          answeredBy,
          TokenEstimator.promptTokens(request.messages()),
          TokenEstimator.count(content),
          true,
          calls,
          finishReason);
    }
    return new ProviderReply(
        content, answeredBy, usage.inputTokenCount(), usage.outputTokenCount(), false, calls, finishReason);
  }

  /** Back to the wire's names, as the GenAI conventions record them. */
  static String finishReason(FinishReason reason) {
    if (reason == null) {
      return null;
    }
    return reason == FinishReason.TOOL_EXECUTION ? "tool_calls" : reason.name().toLowerCase(Locale.ROOT);
  }
}
