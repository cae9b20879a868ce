package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import dev.saturn.activities.tracing.HttpClientSpans;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Any server that speaks OpenAI chat-completions JSON: OpenAI itself, vLLM, llama.cpp's server,
 * Ollama's {@code /v1}, LiteLLM and the like. Always streams ({@code stream: true} with
 * {@code stream_options.include_usage}). The server's endpoint comes from {@code
 * saturn.llm.openai}; a request may carry a company's own ({@link ProviderRequest#endpoint()}).
 */
@Component
public class OpenAiChatProvider extends LangChainChatProvider {

  static final String NAME = "openai";

  public OpenAiChatProvider(LlmProperties properties) {
    this(properties, HttpClientSpans.noop());
  }

  @Autowired
  public OpenAiChatProvider(LlmProperties properties, HttpClientSpans spans) {
    super(NAME, new ProviderEndpoint(properties.openai().baseUrl(), properties.openai().apiKey(),
        properties.openai().model()), properties.openai().timeout(), spans);
  }

  @Override
  StreamingChatModel build(ProviderEndpoint endpoint, Duration timeout) {
    return OpenAiStreamingChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .httpClientBuilder(httpClient())
        // langchain4j 1.11 accepts a null key and then sends no Authorization header at all,
        // which is what keyless local servers expect; a placeholder key would only be needed
        // with versions that insist on one, and some servers reject a bogus bearer token.
        .apiKey(endpoint.hasApiKey() ? endpoint.apiKey() : null)
        .modelName(endpoint.defaultModel())
        // Connect and response headers; the whole answer is bounded by the base class. The
        // streaming model has no in-process retry: Temporal owns retries.
        .timeout(timeout)
        // Request logs would contain user conversations and the Authorization header.
        .logRequests(false)
        .logResponses(false)
        .build();
  }

  @Override
  ChatRequestParameters parameters(String model, ProviderRequest request) {
    return OpenAiChatRequestParameters.builder()
        .modelName(model)
        .temperature(request.temperature())
        .toolSpecifications(ChatMessages.toolSpecifications(request.tools()))
        .build();
  }
}
