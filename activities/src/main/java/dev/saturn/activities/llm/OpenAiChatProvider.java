package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
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
public class OpenAiChatProvider extends LangChainChatProvider {

  static final String NAME = "openai";

  public OpenAiChatProvider(LlmProperties properties) {
    super(NAME, new ProviderEndpoint(properties.openai().baseUrl(), properties.openai().apiKey(),
        properties.openai().model()), properties.openai().timeout());
  }

  @Override
  ChatModel build(ProviderEndpoint endpoint, Duration timeout) {
    return OpenAiChatModel.builder()
        .baseUrl(endpoint.baseUrl())
        .httpClientBuilder(ProviderHttpClient.builder())
        // langchain4j 1.11 accepts a null key and then sends no Authorization header at all,
        // which is what keyless local servers expect; a placeholder key would only be needed
        // with versions that insist on one, and some servers reject a bogus bearer token.
        .apiKey(endpoint.hasApiKey() ? endpoint.apiKey() : null)
        .modelName(endpoint.defaultModel())
        .timeout(timeout)
        .maxRetries(0)
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
