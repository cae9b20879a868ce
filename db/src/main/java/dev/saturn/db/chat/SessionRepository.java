package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.SESSIONS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
public class SessionRepository {

  private final DSLContext db;
  private final Clock clock;

  public SessionRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public SessionRow create(CompanyId company, String agentId) {
    SessionRow row = new SessionRow(Ids.newId(), company.value(), agentId, Times.now(clock));
    db.insertInto(SESSIONS)
        .set(SESSIONS.ID, row.id())
        .set(SESSIONS.COMPANY_ID, company.value())
        .set(SESSIONS.AGENT_ID, agentId)
        .set(SESSIONS.CREATED_AT, Times.toDb(row.createdAt()))
        .set(SESSIONS.UPDATED_AT, Times.toDb(row.createdAt()))
        .execute();
    return row;
  }

  public Optional<SessionRow> find(CompanyId company, String sessionId) {
    return db.selectFrom(SESSIONS)
        .where(SESSIONS.COMPANY_ID.eq(company.value()).and(SESSIONS.ID.eq(sessionId)))
        .fetchOptional()
        .map(r -> new SessionRow(r.getId(), r.getCompanyId(), r.getAgentId(), Times.fromDb(r.getCreatedAt())));
  }

  /** The agent's sessions, newest first, at most {@code limit}. */
  public List<SessionRow> listForAgent(CompanyId company, String agentId, int limit) {
    return db.selectFrom(SESSIONS)
        .where(SESSIONS.COMPANY_ID.eq(company.value()).and(SESSIONS.AGENT_ID.eq(agentId)))
        .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
        .limit(limit)
        .fetch(r -> new SessionRow(r.getId(), r.getCompanyId(), r.getAgentId(), Times.fromDb(r.getCreatedAt())));
  }
}
