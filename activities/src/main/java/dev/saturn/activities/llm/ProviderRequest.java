package dev.saturn.activities.llm;

import java.util.List;

/**
 * A chat completion request.
 *
 * @param model the model to ask; {@code null} or blank selects the provider's configured default
 * @param temperature sampling temperature; {@code null} leaves it to the server
 * @param messages the prompt, oldest first
 * @param tools the tools the model may ask for; empty for none
 */
public record ProviderRequest(String model, Double temperature, List<PromptMessage> messages, List<ToolSpec> tools) {

  public ProviderRequest {
    // Immutable so a provider can't see the caller's list change under it during a retry.
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  public ProviderRequest(String model, Double temperature, List<PromptMessage> messages) {
    this(model, temperature, messages, List.of());
  }
}
