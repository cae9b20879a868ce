package dev.saturn.activities.llm;

/**
 * Where one call goes when it is not the server's configured endpoint: a company's own provider
 * settings. Checked against the SSRF guard by whoever built it, at call time.
 *
 * @param baseUrl as the provider's settings take it (OpenAI: up to {@code /v1}; Ollama: the root)
 * @param apiKey empty for none; never logged ({@link #toString()} masks it)
 * @param defaultModel used when the agent names no model; null for the server's default
 */
public record ProviderEndpoint(String baseUrl, String apiKey, String defaultModel) {

  public ProviderEndpoint {
    apiKey = apiKey == null ? "" : apiKey;
    defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel.strip();
  }

  public boolean hasApiKey() {
    return !apiKey.isEmpty();
  }

  @Override
  public String toString() {
    return "ProviderEndpoint[baseUrl=" + LlmFailures.displayEndpoint(baseUrl) + ", apiKey="
        + (hasApiKey() ? "****" : "<none>") + ", defaultModel=" + defaultModel + "]";
  }
}
