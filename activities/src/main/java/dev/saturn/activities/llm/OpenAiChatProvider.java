package dev.saturn.activities.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.saturn.activities.tracing.HttpClientSpans;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Any server that speaks OpenAI chat-completions JSON: OpenAI itself, vLLM, llama.cpp's server,
 * Ollama's {@code /v1}, LiteLLM and the like. Always streams ({@code stream: true} with
 * {@code stream_options.include_usage}): the text goes to the caller's sink chunk by chunk, the
 * completed response (text, tool calls, usage) is the reply.
 */
@Component
public class OpenAiChatProvider implements ChatProvider {

  static final String NAME = "openai";

  private final StreamingChatModel chatModel;
  private final String defaultModel;
  private final String apiKey;
  private final String endpoint;
  private final Duration timeout;

  public OpenAiChatProvider(LlmProperties properties, HttpClientSpans spans) {
    LlmProperties.OpenAi config = properties.openai();
    this.defaultModel = config.model();
    this.apiKey = config.apiKey();
    this.endpoint = LlmFailures.displayEndpoint(config.baseUrl());
    this.timeout = config.timeout();
    this.chatModel =
        OpenAiStreamingChatModel.builder()
            .baseUrl(config.baseUrl())
            // The JDK client defaults to HTTP/2 and, over plain http://, sends an h2c upgrade
            // request whose body vLLM and Ollama (uvicorn) drop, answering 400/422; LM Studio
            // hangs. One exchange per call gains nothing from HTTP/2, so stay on 1.1.
            .httpClientBuilder(TracedHttpClient.builder(
                JdkHttpClient.builder()
                    .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)),
                spans))
            // langchain4j 1.11 accepts a null key and then sends no Authorization header at all,
            // which is what keyless local servers expect; a placeholder key would only be needed
            // with versions that insist on one, and some servers reject a bogus bearer token.
            .apiKey(config.hasApiKey() ? config.apiKey() : null)
            .modelName(config.model())
            // Connect and response headers; the whole answer is bounded in stream() below.
            // There is no in-process retry on the streaming model: Temporal owns retries.
            .timeout(config.timeout())
            // Request logs would contain user conversations and the Authorization header.
            .logRequests(false)
            .logResponses(false)
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProviderReply stream(ProviderRequest request, TextSink text) {
    LlmFailures.requireValid(request);
    String model =
        request.model() == null || request.model().isBlank() ? defaultModel : request.model().strip();
    ChatRequest chatRequest;
    try {
      chatRequest =
          ChatRequest.builder()
              .messages(toChatMessages(request.messages()))
              .parameters(
                  OpenAiChatRequestParameters.builder()
                      .modelName(model)
                      .temperature(request.temperature())
                      .toolSpecifications(toolSpecifications(request.tools()))
                      .build())
              .build();
    } catch (IllegalArgumentException e) {
      // langchain4j's own checks (e.g. blank user text): a prompt problem, not a server one.
      throw LlmFailures.validation("Invalid model request: " + e.getMessage());
    }

    StreamedAnswer answer = new StreamedAnswer(text);
    ChatResponse response;
    try {
      chatModel.chat(chatRequest, answer);
      response = answer.await(timeout);
    } catch (InterruptedException e) {
      // The activity gave up on this attempt: stop reading, keep the thread's interrupt.
      answer.cancel();
      Thread.currentThread().interrupt();
      throw LlmFailures.fromProviderCall(new IllegalStateException("the model call was abandoned", e), NAME, endpoint, timeout, apiKey);
    } catch (RuntimeException e) {
      answer.cancel();
      throw LlmFailures.fromProviderCall(e, NAME, endpoint, timeout, apiKey);
    }
    if (response == null || (response.id() == null && response.modelName() == null && response.finishReason() == null
        && response.tokenUsage() == null && !answer.receivedAnything())) {
      // A 200 whose body held no OpenAI event at all (an HTML page behind a wrong base URL, or a
      // server that ignored stream: true): no retry will make it one.
      throw LlmFailures.notAStream(NAME, endpoint);
    }

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

  private static List<ToolSpecification> toolSpecifications(List<ToolSpec> tools) {
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

  private static List<ChatMessage> toChatMessages(List<PromptMessage> messages) {
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
}
