package dev.saturn.activities.llm;

import java.util.List;

/**
 * A chat completion request.
 *
 * @param model the model to ask; {@code null} or blank selects the provider's configured default
 * @param temperature sampling temperature; {@code null} leaves it to the server
 * @param messages the prompt, oldest first
 * @param tools the tools the model may ask for; empty for none
 * @param endpoint the company's own endpoint for this provider, or {@code null} for the server's
 */
public record ProviderRequest(
    String model, Double temperature, List<PromptMessage> messages, List<ToolSpec> tools, ProviderEndpoint endpoint) {

  public ProviderRequest {
    // Immutable so a provider can't see the caller's list change under it during a retry.
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  public ProviderRequest(String model, Double temperature, List<PromptMessage> messages, List<ToolSpec> tools) {
    this(model, temperature, messages, tools, null);
  }

  public ProviderRequest(String model, Double temperature, List<PromptMessage> messages) {
    this(model, temperature, messages, List.of());
  }

  /** The model to ask: the agent's, else the endpoint's default, else {@code serverDefault}. */
  public String modelOr(String serverDefault) {
    if (model != null && !model.isBlank()) {
      return model.strip();
    }
    return endpoint != null && endpoint.defaultModel() != null ? endpoint.defaultModel() : serverDefault;
  }
}
