package dev.saturn.activities.kb;

import dev.saturn.activities.chat.AgentConfigs;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.agents.KbSettings;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;

/** An agent version's {@code config.kb} with the platform defaults ({@code saturn.kb}) filled in. */
public final class KbSettingsResolver {

  /** The effective settings: every member set. */
  public record Effective(int chunkTokens, int chunkOverlap, int topK, boolean hybrid, double minScore) {}

  private final AgentRepository agents;
  private final KbProperties properties;

  public KbSettingsResolver(AgentRepository agents, KbProperties properties) {
    this.agents = agents;
    this.properties = properties;
  }

  /** The settings of the agent's current version: documents are chunked by what the agent says now. */
  public Effective current(CompanyId company, String agentId) {
    AgentRow agent = agents.find(company, agentId).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "agent " + agentId + " not found", ErrorCode.NOT_FOUND.name()));
    return of(company, agentId, agent.currentVersion());
  }

  public Effective of(CompanyId company, String agentId, int version) {
    String json = agents.findVersion(company, agentId, version)
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "agent version " + version + " not found", ErrorCode.NOT_FOUND.name()))
        .configJson();
    return merge(AgentConfigs.parse(json).kb());
  }

  Effective merge(KbSettings kb) {
    KbProperties.Chunking chunking = properties.chunking();
    KbProperties.Retrieval retrieval = properties.retrieval();
    KbSettings s = kb == null ? new KbSettings(null, null, null, null, null) : kb;
    return new Effective(
        s.chunkTokens() != null ? s.chunkTokens() : chunking.chunkTokens(),
        s.chunkOverlap() != null ? s.chunkOverlap() : chunking.chunkOverlap(),
        s.topK() != null ? s.topK() : retrieval.topK(),
        s.hybrid() != null ? s.hybrid() : retrieval.hybrid(),
        s.minScore() != null ? s.minScore() : retrieval.minScore());
  }
}
