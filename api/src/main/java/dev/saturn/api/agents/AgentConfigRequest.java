package dev.saturn.api.agents;

import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.agents.KbSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The agent config as a client sends it; validated here, stored as {@link AgentConfig} with defaults filled in. */
record AgentConfigRequest(
    @Size(max = 32000) String systemPrompt,
    @Pattern(regexp = "offline|openai|ollama", message = "must be one of: offline, openai, ollama") String provider,
    @Size(max = 200) String model,
    @DecimalMin("0.0") @DecimalMax("2.0") Double temperature,
    @Min(1) @Max(1000) Integer historyWindow,
    @Min(1) @Max(1_000_000) Integer historyTokenBudget,
    @Min(0) @Max(100) Integer maxToolCalls,
    @Valid Kb kb) {

  /** {@code config.kb}: chunking and retrieval settings of the agent's knowledge base. */
  record Kb(
      @Min(16) @Max(2000) Integer chunkTokens,
      @Min(0) @Max(1000) Integer chunkOverlap,
      @Min(1) @Max(50) Integer topK,
      Boolean hybrid,
      @DecimalMin("-1.0") @DecimalMax("1.0") Double minScore) {

    KbSettings toSettings() {
      return new KbSettings(chunkTokens, chunkOverlap, topK, hybrid, minScore);
    }
  }

  AgentConfig toConfig() {
    return new AgentConfig(systemPrompt, provider, model, temperature, historyWindow, historyTokenBudget, maxToolCalls,
        null, kb == null ? null : kb.toSettings()).withDefaults();
  }
}
