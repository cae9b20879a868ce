package dev.saturn.db.agents;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.AGENT_TOOLS;
import static dev.saturn.db.jooq.Tables.TOOLS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * Which tools an agent may call. {@code agent_tools} holds the current attachments, for queries;
 * every change also writes a new immutable agent version whose config lists the tool ids, so a
 * turn, which pins a version, uses the allowlist of that version. Attaching an attached tool or
 * detaching a detached one changes nothing and writes no version.
 *
 * <p>Run inside the caller's transaction: the agent row is locked first, so concurrent changes
 * to one agent's versions are serialized.
 */
@Repository
public class AgentAllowlist {

  /** Most tools one agent may have; model APIs refuse requests with many more. */
  public static final int MAX_TOOLS = 128;

  /** Builds the next version's config from the current one and the new allowlist. */
  @FunctionalInterface
  public interface ConfigWriter {
    String withTools(String currentConfigJson, List<String> toolIds);
  }

  public enum Outcome {
    CHANGED,
    UNCHANGED,
    AGENT_NOT_FOUND,
    TOOL_NOT_FOUND,
    LIMIT_REACHED
  }

  /** The allowlist before and after; {@code version} is the agent's current version afterwards. */
  public record Change(Outcome outcome, int versionBefore, int version, List<String> before, List<String> after) {
    static Change failed(Outcome outcome) {
      return new Change(outcome, 0, 0, List.of(), List.of());
    }
  }

  private final DSLContext db;
  private final AgentRepository agents;
  private final Clock clock;

  public AgentAllowlist(DSLContext db, AgentRepository agents, Clock clock) {
    this.agents = agents;
    this.db = db;
    this.clock = clock;
  }

  /** The agent's current tool ids, in attachment order. */
  public List<String> toolIds(CompanyId company, String agentId) {
    return db.select(AGENT_TOOLS.TOOL_ID)
        .from(AGENT_TOOLS)
        .where(AGENT_TOOLS.COMPANY_ID.eq(company.value()).and(AGENT_TOOLS.AGENT_ID.eq(agentId)))
        .orderBy(AGENT_TOOLS.CREATED_AT, AGENT_TOOLS.TOOL_ID)
        .fetch(AGENT_TOOLS.TOOL_ID);
  }

  public Change attach(CompanyId company, String agentId, String toolId, String createdBy, ConfigWriter configs) {
    Integer current = lockAgent(company, agentId);
    if (current == null) {
      return Change.failed(Outcome.AGENT_NOT_FOUND);
    }
    if (!toolExists(company, toolId)) {
      return Change.failed(Outcome.TOOL_NOT_FOUND);
    }
    List<String> before = toolIds(company, agentId);
    if (before.contains(toolId)) {
      return new Change(Outcome.UNCHANGED, current, current, before, before);
    }
    if (before.size() >= MAX_TOOLS) {
      return new Change(Outcome.LIMIT_REACHED, current, current, before, before);
    }
    LocalDateTime now = Times.toDb(clock.instant());
    DuplicateKeys.insertOnce(() -> db.insertInto(AGENT_TOOLS)
        .set(AGENT_TOOLS.COMPANY_ID, company.value())
        .set(AGENT_TOOLS.AGENT_ID, agentId)
        .set(AGENT_TOOLS.TOOL_ID, toolId)
        .set(AGENT_TOOLS.CREATED_AT, now)
        .execute());
    return newVersion(company, agentId, current, before, createdBy, configs);
  }

  public Change detach(CompanyId company, String agentId, String toolId, String createdBy, ConfigWriter configs) {
    Integer current = lockAgent(company, agentId);
    if (current == null) {
      return Change.failed(Outcome.AGENT_NOT_FOUND);
    }
    if (!toolExists(company, toolId)) {
      return Change.failed(Outcome.TOOL_NOT_FOUND);
    }
    List<String> before = toolIds(company, agentId);
    if (!before.contains(toolId)) {
      return new Change(Outcome.UNCHANGED, current, current, before, before);
    }
    db.deleteFrom(AGENT_TOOLS)
        .where(AGENT_TOOLS.COMPANY_ID.eq(company.value())
            .and(AGENT_TOOLS.AGENT_ID.eq(agentId))
            .and(AGENT_TOOLS.TOOL_ID.eq(toolId)))
        .execute();
    return newVersion(company, agentId, current, before, createdBy, configs);
  }

  /** The allowlist is part of the agent's config: a change is a new version, made the one way all are. */
  private Change newVersion(
      CompanyId company, String agentId, int current, List<String> before, String createdBy, ConfigWriter configs) {
    List<String> after = toolIds(company, agentId);
    String config = agents.findVersion(company, agentId, current).orElseThrow().configJson();
    int next = agents.newVersion(company, agentId, configs.withTools(config, after), createdBy).orElseThrow().version();
    return new Change(Outcome.CHANGED, current, next, before, after);
  }

  /** @return the agent's current version, the agent row locked; null when there is no such agent */
  private Integer lockAgent(CompanyId company, String agentId) {
    return db.select(AGENTS.CURRENT_VERSION)
        .from(AGENTS)
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.ID.eq(agentId)))
        .forUpdate()
        .fetchOptional(AGENTS.CURRENT_VERSION)
        .orElse(null);
  }

  /** Share-locks the tool, so it cannot be deleted while it is being attached. */
  private boolean toolExists(CompanyId company, String toolId) {
    return db.select(TOOLS.ID)
        .from(TOOLS)
        .where(TOOLS.COMPANY_ID.eq(company.value()).and(TOOLS.ID.eq(toolId)))
        .forShare()
        .fetchOptional()
        .isPresent();
  }
}
