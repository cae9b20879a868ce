package dev.saturn.db.agents;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.SESSIONS;
import static dev.saturn.db.jooq.Tables.AGENT_VERSIONS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.RenderedSelect;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.tools.ToolVersions;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents and their immutable versions. A version row is never updated: a change to an agent's
 * configuration is a new row with version + 1 (see {@link #newVersion}).
 */
@Repository
public class AgentRepository {

  private final DSLContext db;
  private final Clock clock;
  private final ToolVersions toolVersions;
  /** {@link #findWithSession}'s statement, on every chat request: rendered once. Binds session, company, agent. */
  private final RenderedSelect withSession = new RenderedSelect(db -> db.select(AGENTS.fields())
      .select(SESSIONS.AGENT_ID)
      .from(AGENTS)
      .leftJoin(SESSIONS).on(SESSIONS.COMPANY_ID.eq(AGENTS.COMPANY_ID).and(SESSIONS.ID.eq(DSL.param("session", String.class))))
      .where(AGENTS.COMPANY_ID.eq(DSL.param("company", String.class)).and(AGENTS.ID.eq(DSL.param("agent", String.class)))));

  public AgentRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.toolVersions = new ToolVersions(db);
  }

  public AgentRow create(CompanyId company, String name, String configJson, String createdBy) {
    return create(company, Ids.newId(), name, configJson, createdBy);
  }

  /** Creates the agent with its version 1 in one transaction. */
  @Transactional
  public AgentRow create(CompanyId company, String id, String name, String configJson, String createdBy) {
    LocalDateTime now = Times.toDb(clock.instant());
    db.insertInto(AGENTS)
        .set(AGENTS.ID, id)
        .set(AGENTS.COMPANY_ID, company.value())
        .set(AGENTS.NAME, name)
        .set(AGENTS.STATUS, AgentRow.ENABLED)
        .set(AGENTS.CURRENT_VERSION, 1)
        .set(AGENTS.CREATED_AT, now)
        .set(AGENTS.UPDATED_AT, now)
        .execute();
    db.insertInto(AGENT_VERSIONS)
        .set(AGENT_VERSIONS.COMPANY_ID, company.value())
        .set(AGENT_VERSIONS.AGENT_ID, id)
        .set(AGENT_VERSIONS.VERSION, 1)
        .set(AGENT_VERSIONS.CONFIG, JSON.valueOf(configJson))
        .set(AGENT_VERSIONS.CREATED_BY, createdBy)
        .set(AGENT_VERSIONS.CREATED_AT, now)
        .execute();
    return find(company, id).orElseThrow();
  }

  public Optional<AgentRow> find(CompanyId company, String agentId) {
    return db.selectFrom(AGENTS)
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.ID.eq(agentId)))
        .fetchOptional()
        .map(AgentRepository::toRow);
  }

  /**
   * An agent and, in the same statement, the agent of one of the company's sessions (for a turn that
   * continues a session: whether it is this agent's).
   *
   * @param sessionAgentId the agent of session {@code sessionId}; empty when the company has no such
   *     session (or none was asked for)
   */
  public record WithSession(AgentRow agent, Optional<String> sessionAgentId) {}

  /** Empty when the company has no such agent; {@code sessionId} null asks for the agent alone. */
  public Optional<WithSession> findWithSession(CompanyId company, String agentId, String sessionId) {
    if (sessionId == null) {
      return find(company, agentId).map(agent -> new WithSession(agent, Optional.empty()));
    }
    return withSession.with(db, sessionId, company.value(), agentId)
        .fetchOptional()
        .map(r -> new WithSession(toRow(r), Optional.ofNullable(r.get(SESSIONS.AGENT_ID))));
  }

  /** Newest first; the cursor is the (created_at, id) of the last agent of the previous page. */
  public Page<AgentRow> list(CompanyId company, String cursor, int limit) {
    Condition where = AGENTS.COMPANY_ID.eq(company.value());
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt = parseTime(key[0]);
      where = where.and(AGENTS.CREATED_AT.lt(createdAt)
          .or(AGENTS.CREATED_AT.eq(createdAt).and(AGENTS.ID.lt(key[1]))));
    }
    List<AgentRow> rows = db.selectFrom(AGENTS)
        .where(where)
        .orderBy(AGENTS.CREATED_AT.desc(), AGENTS.ID.desc())
        .limit(limit + 1)
        .fetch(AgentRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    AgentRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  /** Up to {@code limit} of the company's enabled agents, oldest first (by creation, then id). */
  public List<AgentRow> listEnabled(CompanyId company, int limit) {
    return db.selectFrom(AGENTS)
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.STATUS.eq(AgentRow.ENABLED)))
        .orderBy(AGENTS.CREATED_AT.asc(), AGENTS.ID.asc())
        .limit(limit)
        .fetch(AgentRepository::toRow);
  }

  /** Up to {@code limit} of the company's agents named exactly {@code name}: names are not unique. */
  public List<AgentRow> findByName(CompanyId company, String name, int limit) {
    return db.selectFrom(AGENTS)
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.NAME.eq(name)))
        .orderBy(AGENTS.CREATED_AT.asc(), AGENTS.ID.asc())
        .limit(limit)
        .fetch(AgentRepository::toRow);
  }

  /**
   * The agent, its row locked until the surrounding transaction ends ({@code SELECT ... FOR UPDATE}).
   * Read the current version through this before computing a new one from it, so that two
   * concurrent changes queue instead of both starting from the same version (a lost update).
   */
  public Optional<AgentRow> findForUpdate(CompanyId company, String agentId) {
    return db.selectFrom(AGENTS)
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.ID.eq(agentId)))
        .forUpdate()
        .fetchOptional()
        .map(AgentRepository::toRow);
  }

  /**
   * Stores {@code configJson} as version current + 1 and makes it the current version; older
   * versions are left as they are. Generic: any feature that changes an agent's configuration
   * (the API's PATCH, tool attach/detach) builds the whole new document and calls this inside its
   * own transaction, together with its audit row.
   *
   * <p>The new version pins the current version of each tool attached to the agent
   * ({@link ToolVersions#pin}): callers change {@code agent_tools} before, as the allowlist does.
   *
   * <p>Concurrency: the agent row is locked first, so concurrent calls get n + 1, n + 2, ... in
   * turn. The primary key (agent_id, version) and the conditional move of
   * {@code agents.current_version} guard that anyway: should either not hold, this throws
   * {@link ConcurrentVersionException} instead of overwriting or failing with a duplicate key.
   *
   * @return the new version, or empty when the company has no such agent
   */
  @Transactional
  public Optional<AgentVersionRow> newVersion(CompanyId company, String agentId, String configJson, String createdBy) {
    Optional<AgentRow> agent = findForUpdate(company, agentId);
    if (agent.isEmpty()) {
      return Optional.empty();
    }
    int current = agent.get().currentVersion();
    int next = current + 1;
    LocalDateTime now = Times.toDb(clock.instant());
    boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(AGENT_VERSIONS)
        .set(AGENT_VERSIONS.COMPANY_ID, company.value())
        .set(AGENT_VERSIONS.AGENT_ID, agentId)
        .set(AGENT_VERSIONS.VERSION, next)
        .set(AGENT_VERSIONS.CONFIG, JSON.valueOf(configJson))
        .set(AGENT_VERSIONS.CREATED_BY, createdBy)
        .set(AGENT_VERSIONS.CREATED_AT, now)
        .execute());
    if (!inserted) {
      throw new ConcurrentVersionException(agentId, next);
    }
    int moved = db.update(AGENTS)
        .set(AGENTS.CURRENT_VERSION, next)
        .set(AGENTS.UPDATED_AT, now)
        .where(AGENTS.COMPANY_ID.eq(company.value())
            .and(AGENTS.ID.eq(agentId))
            .and(AGENTS.CURRENT_VERSION.eq(current)))
        .execute();
    if (moved != 1) {
      throw new ConcurrentVersionException(agentId, next);
    }
    // Every version pins its tools' definitions as they are now (MCP tools change under it).
    toolVersions.pin(company, agentId, next);
    return findVersion(company, agentId, next);
  }

  /** @return whether the agent exists in this company (its name is then {@code name}) */
  public boolean rename(CompanyId company, String agentId, String name) {
    return db.update(AGENTS)
        .set(AGENTS.NAME, name)
        .set(AGENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(AGENTS.COMPANY_ID.eq(company.value()).and(AGENTS.ID.eq(agentId)))
        .execute() == 1;
  }

  /**
   * Enables or disables the agent.
   *
   * @return true if the status changed; false if it already was so, or there is no such agent
   */
  public boolean setEnabled(CompanyId company, String agentId, boolean enabled) {
    String status = enabled ? AgentRow.ENABLED : AgentRow.DISABLED;
    return db.update(AGENTS)
        .set(AGENTS.STATUS, status)
        .set(AGENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(AGENTS.COMPANY_ID.eq(company.value())
            .and(AGENTS.ID.eq(agentId))
            .and(AGENTS.STATUS.ne(status)))
        .execute() == 1;
  }

  /** The agent's versions, newest first; the cursor is the last version number of the previous page. */
  public Page<AgentVersionRow> listVersions(CompanyId company, String agentId, String cursor, int limit) {
    Condition where = AGENT_VERSIONS.COMPANY_ID.eq(company.value()).and(AGENT_VERSIONS.AGENT_ID.eq(agentId));
    if (cursor != null) {
      where = where.and(AGENT_VERSIONS.VERSION.lt(parseVersion(Cursors.decode(cursor))));
    }
    List<AgentVersionRow> rows = db.selectFrom(AGENT_VERSIONS)
        .where(where)
        .orderBy(AGENT_VERSIONS.VERSION.desc())
        .limit(limit + 1)
        .fetch(AgentRepository::toVersion);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, limit), Cursors.encode("v" + rows.get(limit - 1).version()));
  }

  public Optional<AgentVersionRow> findVersion(CompanyId company, String agentId, int version) {
    return db.selectFrom(AGENT_VERSIONS)
        .where(AGENT_VERSIONS.COMPANY_ID.eq(company.value())
            .and(AGENT_VERSIONS.AGENT_ID.eq(agentId))
            .and(AGENT_VERSIONS.VERSION.eq(version)))
        .fetchOptional()
        .map(AgentRepository::toVersion);
  }

  private static AgentVersionRow toVersion(dev.saturn.db.jooq.tables.records.AgentVersionsRecord r) {
    return new AgentVersionRow(
        r.getAgentId(), r.getVersion(), r.getConfig().data(), r.getCreatedBy(), Times.fromDb(r.getCreatedAt()));
  }

  private static int parseVersion(String key) {
    if (!key.matches("v[1-9][0-9]{0,8}")) {
      throw new Cursors.InvalidCursorException();
    }
    return Integer.parseInt(key.substring(1));
  }

  private static LocalDateTime parseTime(String value) {
    try {
      return LocalDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
  }

  private static AgentRow toRow(Record r) {
    return new AgentRow(
        r.get(AGENTS.ID),
        r.get(AGENTS.COMPANY_ID),
        r.get(AGENTS.NAME),
        r.get(AGENTS.STATUS),
        r.get(AGENTS.CURRENT_VERSION),
        Times.fromDb(r.get(AGENTS.CREATED_AT)),
        Times.fromDb(r.get(AGENTS.UPDATED_AT)));
  }

  /** Another change to the same agent got the version this one was about to create; the client may retry. */
  public static final class ConcurrentVersionException extends RuntimeException {
    public ConcurrentVersionException(String agentId, int version) {
      super("version " + version + " of agent " + agentId + " was created concurrently");
    }
  }
}
