package dev.saturn.db.usage;

import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Append-only by construction: this class has no update and no delete. */
@Repository
public class UsageEventRepository {

  private final DSLContext db;
  private final Clock clock;

  public UsageEventRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @return false when an event with the same idempotency key was already recorded. */
  public boolean recordOnce(CompanyId company, UsageEvent event) {
    if (!company.value().equals(event.companyId())) {
      throw new IllegalArgumentException("event belongs to another company");
    }
    return DuplicateKeys.insertOnce(() -> db.insertInto(USAGE_EVENTS)
        .set(USAGE_EVENTS.ID, event.id())
        .set(USAGE_EVENTS.COMPANY_ID, company.value())
        .set(USAGE_EVENTS.AGENT_ID, event.agentId())
        .set(USAGE_EVENTS.SESSION_ID, event.sessionId())
        .set(USAGE_EVENTS.TURN_ID, event.turnId())
        .set(USAGE_EVENTS.KIND, event.kind())
        .set(USAGE_EVENTS.PROVIDER, event.provider())
        .set(USAGE_EVENTS.MODEL, event.model())
        .set(USAGE_EVENTS.INPUT_TOKENS, event.inputTokens())
        .set(USAGE_EVENTS.OUTPUT_TOKENS, event.outputTokens())
        .set(USAGE_EVENTS.QUANTITY, event.quantity())
        .set(USAGE_EVENTS.ESTIMATED, (byte) (event.estimated() ? 1 : 0))
        .set(USAGE_EVENTS.IDEMPOTENCY_KEY, event.idempotencyKey())
        .set(USAGE_EVENTS.OCCURRED_AT, Times.toDb(event.occurredAt()))
        .set(USAGE_EVENTS.CREATED_AT, Times.toDb(clock.instant()))
        .execute());
  }

  public List<UsageEvent> listForTurn(CompanyId company, String turnId) {
    return db.selectFrom(USAGE_EVENTS)
        .where(USAGE_EVENTS.COMPANY_ID.eq(company.value()).and(USAGE_EVENTS.TURN_ID.eq(turnId)))
        .orderBy(USAGE_EVENTS.OCCURRED_AT, USAGE_EVENTS.ID)
        .fetch(UsageEventRepository::toEvent);
  }

  private static UsageEvent toEvent(Record r) {
    return new UsageEvent(
        r.get(USAGE_EVENTS.ID),
        r.get(USAGE_EVENTS.COMPANY_ID),
        r.get(USAGE_EVENTS.AGENT_ID),
        r.get(USAGE_EVENTS.SESSION_ID),
        r.get(USAGE_EVENTS.TURN_ID),
        r.get(USAGE_EVENTS.KIND),
        r.get(USAGE_EVENTS.PROVIDER),
        r.get(USAGE_EVENTS.MODEL),
        r.get(USAGE_EVENTS.INPUT_TOKENS),
        r.get(USAGE_EVENTS.OUTPUT_TOKENS),
        r.get(USAGE_EVENTS.QUANTITY),
        r.get(USAGE_EVENTS.ESTIMATED) == 1,
        r.get(USAGE_EVENTS.IDEMPOTENCY_KEY),
        Times.fromDb(r.get(USAGE_EVENTS.OCCURRED_AT)));
  }
}
