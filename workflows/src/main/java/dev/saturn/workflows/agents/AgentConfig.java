package dev.saturn.workflows.agents;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An agent version's configuration document, as stored in {@code agent_versions.config} and
 * accepted by the API. The annotations are Jackson's shared ones, read by both Jackson 2
 * (activities) and Jackson 3 (the web layer).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentConfig(
    @JsonProperty("system_prompt") String systemPrompt,
    @JsonProperty("provider") String provider,
    @JsonProperty("model") String model,
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("history_window") Integer historyWindow,
    @JsonProperty("history_token_budget") Integer historyTokenBudget,
    @JsonProperty("kb") KbSettings kb) {

  public AgentConfig(
      String systemPrompt, String provider, String model, Double temperature, Integer historyWindow,
      Integer historyTokenBudget) {
    this(systemPrompt, provider, model, temperature, historyWindow, historyTokenBudget, null);
  }

  public static final String DEFAULT_PROVIDER = "offline";
  public static final int DEFAULT_HISTORY_WINDOW = 20;

  /**
   * The config with SATURN's defaults filled in (provider, history window, empty system prompt).
   * A missing {@code model} stays missing: it means the provider's configured default model.
   */
  public AgentConfig withDefaults() {
    return new AgentConfig(
        systemPrompt == null ? "" : systemPrompt,
        provider == null ? DEFAULT_PROVIDER : provider,
        model,
        temperature,
        historyWindow == null ? DEFAULT_HISTORY_WINDOW : historyWindow,
        historyTokenBudget,
        kb);
  }
}
