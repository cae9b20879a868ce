package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.time.Duration;
import java.util.Map;
import dev.saturn.activities.tracing.HttpClientSpans;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * An Ollama server in its native API ({@code POST /api/chat}), tool calls included. Unlike Ollama's
 * OpenAI-compatible {@code /v1}, the native API reports its token counts on every answer and takes
 * Ollama's own options. Always streams ({@code stream: true}, one JSON object a line). The server's
 * endpoint comes from {@code saturn.llm.ollama}; a request may carry a company's own ({@link ProviderRequest#endpoint()}), whose key (for an Ollama behind an
 * authenticating proxy) goes out as a bearer token.
 */
@Component
public class OllamaChatProvider extends LangChainChatProvider {

  static final String NAME = "ollama";

  public OllamaChatProvider(LlmProperties properties) {
    this(properties, HttpClientSpans.noop());
  }

  @Autowired
  public OllamaChatProvider(LlmProperties properties, HttpClientSpans spans) {
    super(NAME, new ProviderEndpoint(properties.ollama().baseUrl(), "", properties.ollama().model()),
        properties.ollama().timeout(), spans);
  }

  @Override
  StreamingChatModel build(ProviderEndpoint endpoint, Duration timeout) {
    return OllamaStreamingChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .httpClientBuilder(httpClient())
        .customHeaders(endpoint.hasApiKey() ? Map.of("Authorization", "Bearer " + endpoint.apiKey()) : Map.of())
        .modelName(endpoint.defaultModel())
        .timeout(timeout)
        .logRequests(false)
        .logResponses(false)
        .build();
  }

  @Override
  ChatRequestParameters parameters(String model, ProviderRequest request) {
    return OllamaChatRequestParameters.builder()
        .modelName(model)
        .temperature(request.temperature())
        .toolSpecifications(ChatMessages.toolSpecifications(request.tools()))
        .build();
  }
}
