package dev.saturn.db.tools;

import static dev.saturn.db.jooq.Tables.AGENT_TOOLS;
import static dev.saturn.db.jooq.Tables.AGENT_VERSION_TOOLS;
import static dev.saturn.db.jooq.Tables.TOOLS;
import static dev.saturn.db.jooq.Tables.TOOL_VERSIONS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.springframework.stereotype.Repository;

/**
 * Versions of tool definitions, and which version each agent version pinned. An agent version
 * pins the versions its tools have when it is written ({@link #pin}), so a turn, which runs one
 * agent version, shows the model and checks calls against the definitions of that moment even
 * after an MCP server changed a tool's schema. Tools that were never versioned (HTTP tools) stay
 * at version 1 and read their current row.
 */
@Repository
public class ToolVersions {

  /** A tool's description and schema at one version. */
  public record Definition(String description, String parametersJson) {}

  private final DSLContext db;

  public ToolVersions(DSLContext db) {
    this.db = db;
  }

  void record(CompanyId company, String toolId, int version, String description, String parametersJson, Instant at) {
    db.insertInto(TOOL_VERSIONS)
        .set(TOOL_VERSIONS.COMPANY_ID, company.value())
        .set(TOOL_VERSIONS.TOOL_ID, toolId)
        .set(TOOL_VERSIONS.VERSION, version)
        .set(TOOL_VERSIONS.DESCRIPTION, description)
        .set(TOOL_VERSIONS.PARAMETERS, JSON.valueOf(parametersJson))
        .set(TOOL_VERSIONS.CREATED_AT, Times.toDb(at))
        .execute();
  }

  /**
   * Pins, for the agent version just written, the tools attached to the agent now at their current
   * versions. Called by every writer of agent versions, inside its transaction, after the
   * attachments ({@code agent_tools}) are what the version's {@code config.tools} lists.
   */
  public void pin(CompanyId company, String agentId, int version) {
    db.insertInto(AGENT_VERSION_TOOLS,
            AGENT_VERSION_TOOLS.COMPANY_ID, AGENT_VERSION_TOOLS.AGENT_ID, AGENT_VERSION_TOOLS.VERSION,
            AGENT_VERSION_TOOLS.TOOL_ID, AGENT_VERSION_TOOLS.TOOL_VERSION)
        .select(db.select(AGENT_TOOLS.COMPANY_ID, AGENT_TOOLS.AGENT_ID, org.jooq.impl.DSL.inline(version),
                AGENT_TOOLS.TOOL_ID, TOOLS.VERSION)
            .from(AGENT_TOOLS)
            .join(TOOLS).on(TOOLS.ID.eq(AGENT_TOOLS.TOOL_ID).and(TOOLS.COMPANY_ID.eq(AGENT_TOOLS.COMPANY_ID)))
            .where(AGENT_TOOLS.COMPANY_ID.eq(company.value()).and(AGENT_TOOLS.AGENT_ID.eq(agentId))))
        .execute();
  }

  /** The tool versions the agent version pinned, by tool id; empty for versions written before pinning existed. */
  public Map<String, Integer> pinned(CompanyId company, String agentId, int version) {
    Map<String, Integer> pins = new HashMap<>();
    db.select(AGENT_VERSION_TOOLS.TOOL_ID, AGENT_VERSION_TOOLS.TOOL_VERSION)
        .from(AGENT_VERSION_TOOLS)
        .where(AGENT_VERSION_TOOLS.COMPANY_ID.eq(company.value())
            .and(AGENT_VERSION_TOOLS.AGENT_ID.eq(agentId))
            .and(AGENT_VERSION_TOOLS.VERSION.eq(version)))
        .forEach(r -> pins.put(r.value1(), r.value2()));
    return pins;
  }

  public Optional<Definition> find(CompanyId company, String toolId, int version) {
    return db.select(TOOL_VERSIONS.DESCRIPTION, TOOL_VERSIONS.PARAMETERS)
        .from(TOOL_VERSIONS)
        .where(TOOL_VERSIONS.COMPANY_ID.eq(company.value())
            .and(TOOL_VERSIONS.TOOL_ID.eq(toolId))
            .and(TOOL_VERSIONS.VERSION.eq(version)))
        .fetchOptional(r -> new Definition(r.value1(), r.value2().data()));
  }
}
