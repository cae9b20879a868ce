package dev.saturn.workflows.agents;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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
    @JsonProperty("max_tool_calls") Integer maxToolCalls,
    @JsonProperty("tools") List<String> tools,
    @JsonProperty("kb") KbSettings kb) {

  public static final String DEFAULT_PROVIDER = "offline";
  public static final int DEFAULT_HISTORY_WINDOW = 20;
  public static final int DEFAULT_MAX_TOOL_CALLS = 10;

  /** A config without tool settings (they are written by attach/detach and by max_tool_calls). */
  public AgentConfig(
      String systemPrompt, String provider, String model, Double temperature, Integer historyWindow,
      Integer historyTokenBudget) {
    this(systemPrompt, provider, model, temperature, historyWindow, historyTokenBudget, null, null, null);
  }

  /** The tool ids of the allowlist, empty when none are attached. */
  public List<String> toolIds() {
    return tools == null ? List.of() : tools;
  }

  /** How many tool calls one turn may make. */
  public int toolCallLimit() {
    return maxToolCalls == null ? DEFAULT_MAX_TOOL_CALLS : maxToolCalls;
  }

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
        maxToolCalls,
        tools,
        kb);
  }
}
