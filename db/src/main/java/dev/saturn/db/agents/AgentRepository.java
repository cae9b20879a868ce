package dev.saturn.db.agents;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.AGENT_VERSIONS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
public class AgentRepository {

  private final DSLContext db;
  private final Clock clock;

  public AgentRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
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
        .set(AGENTS.STATUS, "enabled")
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

  public Optional<AgentVersionRow> findVersion(CompanyId company, String agentId, int version) {
    return db.selectFrom(AGENT_VERSIONS)
        .where(AGENT_VERSIONS.COMPANY_ID.eq(company.value())
            .and(AGENT_VERSIONS.AGENT_ID.eq(agentId))
            .and(AGENT_VERSIONS.VERSION.eq(version)))
        .fetchOptional()
        .map(r -> new AgentVersionRow(
            r.getAgentId(), r.getVersion(), r.getConfig().data(), r.getCreatedBy(), Times.fromDb(r.getCreatedAt())));
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
}
