package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.TURNS;
import static dev.saturn.db.jooq.Tables.TURN_EVENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The turn's event log. Appends are idempotent by {@code eventKey}; {@code seq} is the next number
 * of the turn. Writers of one turn (parallel tool calls) queue on the turn's row lock and read the
 * highest seq with a locking (current) read: a plain read inside a REPEATABLE READ transaction
 * would keep returning its snapshot's old maximum, so a loser could never find a free number. The
 * row lock also makes seq order commit order, so a stream resuming after seq n misses nothing.
 */
@Repository
public class TurnEventRepository {

  private static final int ATTEMPTS = 10;

  private final DSLContext db;
  private final Clock clock;

  public TurnEventRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @return the event's seq (the first one's when the key was already written) */
  public int appendOnce(CompanyId company, String turnId, String eventKey, String type, String dataJson) {
    db.select(TURNS.ID)
        .from(TURNS)
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId)))
        .forUpdate()
        .fetch();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Integer existing = seqOf(company, turnId, eventKey);
      if (existing != null) {
        return existing;
      }
      int next = db.select(DSL.coalesce(DSL.max(TURN_EVENTS.SEQ), 0))
          .from(TURN_EVENTS)
          .where(TURN_EVENTS.COMPANY_ID.eq(company.value()).and(TURN_EVENTS.TURN_ID.eq(turnId)))
          .forUpdate()
          .fetchOne(0, Integer.class) + 1;
      boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(TURN_EVENTS)
          .set(TURN_EVENTS.COMPANY_ID, company.value())
          .set(TURN_EVENTS.TURN_ID, turnId)
          .set(TURN_EVENTS.SEQ, next)
          .set(TURN_EVENTS.EVENT_KEY, eventKey)
          .set(TURN_EVENTS.EVENT_TYPE, type)
          .set(TURN_EVENTS.DATA, dataJson)
          .set(TURN_EVENTS.CREATED_AT, Times.toDb(clock.instant()))
          .execute());
      if (inserted) {
        return next;
      }
    }
    throw new IllegalStateException("could not append event " + eventKey + " to turn " + turnId);
  }

  /** Events with seq greater than {@code afterSeq}, in order. */
  public List<TurnEventRow> after(CompanyId company, String turnId, int afterSeq, int limit) {
    return db.selectFrom(TURN_EVENTS)
        .where(TURN_EVENTS.COMPANY_ID.eq(company.value())
            .and(TURN_EVENTS.TURN_ID.eq(turnId))
            .and(TURN_EVENTS.SEQ.gt(afterSeq)))
        .orderBy(TURN_EVENTS.SEQ.asc())
        .limit(limit)
        .fetch(r -> new TurnEventRow(
            r.getTurnId(), r.getSeq(), r.getEventType(), r.getData(), Times.fromDb(r.getCreatedAt())));
  }

  private Integer seqOf(CompanyId company, String turnId, String eventKey) {
    return db.select(TURN_EVENTS.SEQ)
        .from(TURN_EVENTS)
        .where(TURN_EVENTS.COMPANY_ID.eq(company.value())
            .and(TURN_EVENTS.TURN_ID.eq(turnId))
            .and(TURN_EVENTS.EVENT_KEY.eq(eventKey)))
        .fetchOptional(TURN_EVENTS.SEQ)
        .orElse(null);
  }
}
