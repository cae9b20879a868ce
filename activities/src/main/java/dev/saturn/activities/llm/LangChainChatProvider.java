package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.saturn.activities.tracing.HttpClientSpans;
import java.time.Duration;

/**
 * A provider backed by a langchain4j streaming chat model: the server's model built once, a company
 * endpoint's ({@link ProviderRequest#endpoint()}) on demand. Every call streams; the text goes to
 * the caller's sink chunk by chunk, the completed response (text, tool calls, usage) is the reply.
 * Subclasses say how to build a model for an endpoint and how to phrase a request's parameters.
 */
abstract class LangChainChatProvider implements ChatProvider {

  private static final int COMPANY_MODELS = 64;

  private final String name;
  private final ProviderEndpoint server;
  private final Duration timeout;
  private final StreamingChatModel serverModel;
  private final ModelCache<StreamingChatModel> companyModels;
  private final HttpClientSpans spans;

  LangChainChatProvider(String name, ProviderEndpoint server, Duration timeout, HttpClientSpans spans) {
    this.name = name;
    this.server = server;
    this.timeout = timeout;
    this.spans = spans;
    this.serverModel = build(server, timeout);
    this.companyModels = new ModelCache<>(COMPANY_MODELS, endpoint -> build(endpoint, timeout));
  }

  /**
   * A streaming model for the endpoint. Never retrying in process (Temporal owns retries: an
   * in-process loop would hide attempts from the history and could outlive the heartbeat), request
   * and response logging off (they hold conversations and keys) and {@link ProviderHttpClient}, so a
   * refusal's {@code Retry-After} reaches the failure. {@code timeout} bounds connecting and the
   * response headers; the whole answer is bounded in {@link #stream}.
   */
  abstract StreamingChatModel build(ProviderEndpoint endpoint, Duration timeout);

  /** The HTTP client every model is built with: {@link ProviderHttpClient}, each request a client span with {@code traceparent}. */
  final dev.langchain4j.http.client.HttpClientBuilder httpClient() {
    return TracedHttpClient.builder(ProviderHttpClient.builder(), spans);
  }

  abstract ChatRequestParameters parameters(String model, ProviderRequest request);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public ProviderReply stream(ProviderRequest request, TextSink text) {
    LlmFailures.requireValid(request);
    ProviderEndpoint endpoint = request.endpoint() == null ? server : request.endpoint();
    String model = request.modelOr(server.defaultModel());
    String where = LlmFailures.displayEndpoint(endpoint.baseUrl());
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

    StreamedAnswer answer = new StreamedAnswer(text);
    ChatResponse response;
    try {
      StreamingChatModel chatModel = request.endpoint() == null ? serverModel : companyModels.get(endpoint);
      chatModel.chat(chatRequest, answer);
      response = answer.await(timeout);
    } catch (InterruptedException e) {
      // The activity gave up on this attempt: stop reading, keep the thread's interrupt.
      answer.cancel();
      Thread.currentThread().interrupt();
      throw LlmFailures.fromProviderCall(new IllegalStateException("the model call was abandoned", e),
          name, where, timeout, endpoint.apiKey());
    } catch (RuntimeException e) {
      answer.cancel();
      throw LlmFailures.fromProviderCall(e, name, where, timeout, endpoint.apiKey());
    }
    if (response == null || (response.id() == null && response.modelName() == null && response.finishReason() == null
        && response.tokenUsage() == null && !answer.receivedAnything())) {
      // A 200 whose body held no event of the provider's stream at all (an HTML page behind a wrong
      // base URL, or a server that ignored stream: true): no retry will make it one.
      throw LlmFailures.notAStream(name, where);
    }
    return ChatMessages.toReply(response, request, model);
  }
}
