package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Any server that speaks OpenAI chat-completions JSON: OpenAI itself, vLLM, llama.cpp's server,
 * Ollama's {@code /v1}, LiteLLM and the like. The server's endpoint comes from {@code
 * saturn.llm.openai}; a request may carry a company's own ({@link ProviderRequest#endpoint()}).
 */
@Component
public class OpenAiChatProvider implements ChatProvider {

  static final String NAME = "openai";
  private static final int COMPANY_MODELS = 64;

  private final ChatModel serverModel;
  private final ProviderEndpoint server;
  private final Duration timeout;
  private final ModelCache<ChatModel> companyModels;

  public OpenAiChatProvider(LlmProperties properties) {
    LlmProperties.OpenAi config = properties.openai();
    this.server = new ProviderEndpoint(config.baseUrl(), config.apiKey(), config.model());
    this.timeout = config.timeout();
    this.serverModel = build(server, timeout);
    this.companyModels = new ModelCache<>(COMPANY_MODELS, endpoint -> build(endpoint, timeout));
  }

  private static ChatModel build(ProviderEndpoint endpoint, Duration timeout) {
    return OpenAiChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .httpClientBuilder(ProviderHttpClient.builder())
        // langchain4j 1.11 accepts a null key and then sends no Authorization header at all,
        // which is what keyless local servers expect; a placeholder key would only be needed
        // with versions that insist on one, and some servers reject a bogus bearer token.
        .apiKey(endpoint.hasApiKey() ? endpoint.apiKey() : null)
        .modelName(endpoint.defaultModel())
        .timeout(timeout)
        // Temporal owns retries: an in-process retry loop would hide attempts from the
        // workflow history and could outlive the activity's heartbeat.
        .maxRetries(0)
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
  public ProviderReply complete(ProviderRequest request) {
    LlmFailures.requireValid(request);
    ProviderEndpoint endpoint = request.endpoint() == null ? server : request.endpoint();
    String model = request.modelOr(server.defaultModel());
    ChatRequest chatRequest;
    try {
      chatRequest =
          ChatRequest.builder()
              .messages(ChatMessages.toChatMessages(request.messages()))
              .parameters(
                  OpenAiChatRequestParameters.builder()
                      .modelName(model)
                      .temperature(request.temperature())
                      .toolSpecifications(ChatMessages.toolSpecifications(request.tools()))
                      .build())
              .build();
    } catch (IllegalArgumentException e) {
      // langchain4j's own checks (e.g. blank user text): a prompt problem, not a server one.
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
