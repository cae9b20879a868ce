package dev.saturn.api.agents;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.common.CompanyId;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes to agents. Each runs in one transaction that also writes its audit row, so a change
 * and its audit entry commit or roll back together. Changes to one agent are serialized by the
 * row lock {@link AgentRepository#findForUpdate} takes, so each change starts from the latest
 * version.
 */
@Service
class AgentService {

  static final String TARGET = "agent";

  private final AgentRepository agents;
  private final AgentConfigCodec configs;
  private final AgentConfigPatch patches;
  private final AuditTrail audit;

  AgentService(AgentRepository agents, AgentConfigCodec configs, AgentConfigPatch patches, AuditTrail audit) {
    this.agents = agents;
    this.configs = configs;
    this.patches = patches;
    this.audit = audit;
  }

  /** What an audit row shows of an agent; the diff keeps only the members that changed. */
  record AgentState(String name, String status, int version, JsonNode config) {}

  /** Creates the agent and its version 1; joins the caller's transaction (the idempotency record's). */
  @Transactional
  public AgentRow create(Caller caller, String id, String name, String configJson) {
    AgentRow agent = agents.create(caller.company(), id, name, configJson, caller.actor());
    audit.record(caller, "agent.create", TARGET, id, null, state(agent, configJson));
    return agent;
  }

  /**
   * Renames and/or applies a partial config; always creates the next version, even for a rename
   * alone, so every change has a version number.
   */
  @Transactional
  public AgentRow update(Caller caller, String agentId, String name, ObjectNode configPatch) {
    CompanyId company = caller.company();
    AgentRow before = locked(company, agentId);
    String currentConfig = agents.findVersion(company, agentId, before.currentVersion()).orElseThrow().configJson();
    String newConfig = configPatch == null ? currentConfig : patches.apply(currentConfig, configPatch);
    if (name != null && !name.equals(before.name())) {
      agents.rename(company, agentId, name);
    }
    agents.newVersion(company, agentId, newConfig, caller.actor()).orElseThrow();
    AgentRow after = agents.find(company, agentId).orElseThrow();
    audit.record(caller, "agent.update", TARGET, agentId, state(before, currentConfig), state(after, newConfig));
    return after;
  }

  /** Idempotent: enabling an enabled agent (or disabling a disabled one) changes and audits nothing. */
  @Transactional
  public AgentRow setEnabled(Caller caller, String agentId, boolean enabled) {
    CompanyId company = caller.company();
    AgentRow before = locked(company, agentId);
    if (!agents.setEnabled(company, agentId, enabled)) {
      return before;
    }
    AgentRow after = agents.find(company, agentId).orElseThrow();
    audit.record(caller, enabled ? "agent.enable" : "agent.disable", TARGET, agentId,
        new AgentState(before.name(), before.status(), before.currentVersion(), null),
        new AgentState(after.name(), after.status(), after.currentVersion(), null));
    return after;
  }

  private AgentRow locked(CompanyId company, String agentId) {
    return agents.findForUpdate(company, agentId).orElseThrow(() -> ApiException.notFound("agent " + agentId));
  }

  private AgentState state(AgentRow agent, String configJson) {
    return new AgentState(agent.name(), agent.status(), agent.currentVersion(), configs.toTree(configJson));
  }
}
