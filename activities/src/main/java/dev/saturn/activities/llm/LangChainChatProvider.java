package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;

/**
 * A provider backed by a langchain4j chat model: the server's model built once, a company
 * endpoint's ({@link ProviderRequest#endpoint()}) on demand. Subclasses say how to build a model
 * for an endpoint and how to phrase a request's parameters.
 */
abstract class LangChainChatProvider implements ChatProvider {

  private static final int COMPANY_MODELS = 64;

  private final String name;
  private final ProviderEndpoint server;
  private final Duration timeout;
  private final ChatModel serverModel;
  private final ModelCache<ChatModel> companyModels;

  LangChainChatProvider(String name, ProviderEndpoint server, Duration timeout) {
    this.name = name;
    this.server = server;
    this.timeout = timeout;
    this.serverModel = build(server, timeout);
    this.companyModels = new ModelCache<>(COMPANY_MODELS, endpoint -> build(endpoint, timeout));
  }

  /**
   * A model for the endpoint. Always with {@code maxRetries(0)} (Temporal owns retries: an
   * in-process loop would hide attempts from the history and could outlive the heartbeat), request
   * and response logging off (they hold conversations and keys) and {@link ProviderHttpClient}.
   */
  abstract ChatModel build(ProviderEndpoint endpoint, Duration timeout);

  abstract ChatRequestParameters parameters(String model, ProviderRequest request);

  @Override
  public final String name() {
    return name;
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
          .parameters(parameters(model, request))
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
          e, name, LlmFailures.displayEndpoint(endpoint.baseUrl()), timeout, endpoint.apiKey());
    }
    return ChatMessages.toReply(response, request, model);
  }
}
