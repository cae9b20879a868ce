package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An Ollama server in its native API ({@code POST /api/chat}), tool calls included. Unlike Ollama's
 * OpenAI-compatible {@code /v1}, the native API reports its token counts on every answer and takes
 * Ollama's own options. The server's endpoint comes from {@code saturn.llm.ollama}; a request may
 * carry a company's own ({@link ProviderRequest#endpoint()}), whose key (for an Ollama behind an
 * authenticating proxy) goes out as a bearer token.
 */
@Component
public class OllamaChatProvider implements ChatProvider {

  static final String NAME = "ollama";
  private static final int COMPANY_MODELS = 64;

  private final ChatModel serverModel;
  private final ProviderEndpoint server;
  private final Duration timeout;
  private final ModelCache<ChatModel> companyModels;

  public OllamaChatProvider(LlmProperties properties) {
    LlmProperties.Ollama config = properties.ollama();
    this.server = new ProviderEndpoint(config.baseUrl(), "", config.model());
    this.timeout = config.timeout();
    this.serverModel = build(server, timeout);
    this.companyModels = new ModelCache<>(COMPANY_MODELS, endpoint -> build(endpoint, timeout));
  }

  private static ChatModel build(ProviderEndpoint endpoint, Duration timeout) {
    return OllamaChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .httpClientBuilder(ProviderHttpClient.builder())
        .customHeaders(endpoint.hasApiKey() ? Map.of("Authorization", "Bearer " + endpoint.apiKey()) : Map.of())
        .modelName(endpoint.defaultModel())
        .timeout(timeout)
        // Temporal owns retries, as for every provider.
        .maxRetries(0)
        .logRequests(false)
        .logResponses(false)
        .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProviderReply complete(ProviderRequest request) {
    LlmFailures.requireValid(request);
    ProviderEndpoint endpoint = request.endpoint() == null ? server : request.endpoint();
    String model = request.modelOr(server.defaultModel());
    ChatRequest chatRequest;
    try {
      chatRequest = ChatRequest.builder()
          .messages(ChatMessages.toChatMessages(request.messages()))
          .parameters(OllamaChatRequestParameters.builder()
              .modelName(model)
              .temperature(request.temperature())
              .toolSpecifications(ChatMessages.toolSpecifications(request.tools()))
              .build())
          .build();
    } catch (IllegalArgumentException e) {
      throw LlmFailures.validation("Invalid model request: " + e.getMessage());
    }
    ChatResponse response;
    try {
      ChatModel chatModel = request.endpoint() == null ? serverModel : companyModels.get(endpoint);
      response = chatModel.chat(chatRequest);
    } catch (RuntimeException e) {
      throw LlmFailures.fromProviderCall(
          e, NAME, LlmFailures.displayEndpoint(endpoint.baseUrl()), timeout, endpoint.apiKey());
    }
    return ChatMessages.toReply(response, request, model);
  }
}
