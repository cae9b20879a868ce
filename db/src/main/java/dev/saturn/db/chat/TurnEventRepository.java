package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.TURNS;
import static dev.saturn.db.jooq.Tables.TURN_EVENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.ContextListeners;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Times;
import dev.saturn.db.jooq.tables.records.TurnEventsRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep7;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The turn's event log. Appends are idempotent by {@code eventKey}; {@code seq} is the next number
 * of the turn. Writers of one turn (parallel tool calls) queue on the turn's row lock and read the
 * highest seq with a locking (current) read: a plain read inside a REPEATABLE READ transaction
 * would keep returning its snapshot's old maximum, so a loser could never find a free number. The
 * row lock also makes seq order commit order, so a stream resuming after seq n misses nothing.
 *
 * <p>A writer that already knows the turn's last seq (it wrote it, or read it with the turn) appends
 * with {@link #appendAfter}: one multi-row insert at the next numbers, no lock, no read. The primary
 * key (turn, seq) and the unique event key make that safe: seqs have no gaps, so a stale guess
 * collides with a row that exists (or waits for an uncommitted one and then collides), and a
 * locking writer's max read waits for the insert's uncommitted rows; any collision falls back to
 * {@link #appendOnce}, event by event.
 */
@Repository
public class TurnEventRepository implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(TurnEventRepository.class);
  private static final int ATTEMPTS = 10;

  private final DSLContext db;
  private final Clock clock;
  /**
   * {@link #appendAfter}'s insert of 1 to {@value #RENDERED_ROWS} rows (a turn writes 1 and 2), rendered
   * once per row count: binds company, turn, seq, key, type, data, created at of each row.
   */
  private static final int RENDERED_ROWS = 4;
  private final RenderedStatement[] appendRows = IntStream.rangeClosed(1, RENDERED_ROWS)
      .mapToObj(rows -> new RenderedStatement(db -> {
        var insert = insertColumns(db);
        for (int i = 0; i < rows; i++) {
          insert = insert.values("", "", 0, "", "", "", LocalDateTime.MIN);
        }
        return insert;
      }))
      .toArray(RenderedStatement[]::new);
  /** Null without listeners. */
  private final ContextListeners<TurnEventListener> listeners;

  /** Without listeners: tests, and tools that only read. */
  public TurnEventRepository(DSLContext db, Clock clock) {
    this(db, clock, null);
  }

  /** @param listeners looked up lazily, so a listener may itself depend on this repository */
  @Autowired
  public TurnEventRepository(DSLContext db, Clock clock, ObjectProvider<TurnEventListener> listeners) {
    this.db = db;
    this.clock = clock;
    this.listeners = listeners == null ? null : new ContextListeners<>(listeners);
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (listeners != null) {
      listeners.resolve();
    }
  }

  /**
   * Appends the event unless its key was written already. Run it inside a transaction: the turn's
   * row lock is held until the commit, which is what keeps seq order equal to commit order.
   *
   * @return the event's seq (the first one's when the key was already written)
   */
  public int appendOnce(CompanyId company, String turnId, String eventKey, TurnEventType type, String dataJson) {
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
      Instant now = clock.instant();
      boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(TURN_EVENTS)
          .set(TURN_EVENTS.COMPANY_ID, company.value())
          .set(TURN_EVENTS.TURN_ID, turnId)
          .set(TURN_EVENTS.SEQ, next)
          .set(TURN_EVENTS.EVENT_KEY, eventKey)
          .set(TURN_EVENTS.EVENT_TYPE, type.wireName())
          .set(TURN_EVENTS.DATA, dataJson)
          .set(TURN_EVENTS.CREATED_AT, Times.toDb(now))
          .execute());
      if (inserted) {
        afterCommit(company, new TurnEventRow(turnId, next, type, dataJson, Times.fromDb(Times.toDb(now))));
        return next;
      }
    }
    throw new IllegalStateException("could not append event " + eventKey + " to turn " + turnId);
  }

  /** An event to append: its idempotency key, type and (redacted) data. */
  public record NewEvent(String key, TurnEventType type, String dataJson) {}

  /**
   * Appends {@code events} in order after seq {@code lastSeq}, which the caller read or wrote as the
   * turn's last; events whose key was written already are skipped (see the class comment). Run it
   * inside a transaction (the fallback needs the turn's row lock until the commit).
   *
   * @return the seq of the last of {@code events}
   */
  public int appendAfter(CompanyId company, String turnId, int lastSeq, List<NewEvent> events) {
    if (events.isEmpty()) {
      return lastSeq;
    }
    Instant now = clock.instant();
    LocalDateTime createdAt = Times.toDb(now);
    Object[] values = new Object[events.size() * 7];
    int seq = lastSeq;
    int v = 0;
    for (NewEvent event : events) {
      values[v++] = company.value();
      values[v++] = turnId;
      values[v++] = ++seq;
      values[v++] = event.key();
      values[v++] = event.type().wireName();
      values[v++] = event.dataJson();
      values[v++] = createdAt;
    }
    Supplier<Integer> insert = () -> {
      int inserted;
      if (events.size() <= RENDERED_ROWS) {
        inserted = appendRows[events.size() - 1].execute(db, values);
      } else {
        var rows = insertColumns(db);
        for (int i = 0; i < values.length; i += 7) {
          rows = rows.values(Arrays.asList(values).subList(i, i + 7));
        }
        inserted = rows.execute();
      }
      return inserted == events.size() ? 1 : 0;
    };
    if (DuplicateKeys.insertOnce(insert)) {
      int n = lastSeq;
      for (NewEvent event : events) {
        afterCommit(company, new TurnEventRow(turnId, ++n, event.type(), event.dataJson(), Times.fromDb(Times.toDb(now))));
      }
      return seq;
    }
    // Someone else wrote since (or this is a retry): the locking path, one event at a time.
    int last = lastSeq;
    for (NewEvent event : events) {
      last = appendOnce(company, turnId, event.key(), event.type(), event.dataJson());
    }
    return last;
  }

  private static InsertValuesStep7<TurnEventsRecord, String, String, Integer, String, String, String, LocalDateTime>
      insertColumns(DSLContext db) {
    return db.insertInto(TURN_EVENTS, TURN_EVENTS.COMPANY_ID, TURN_EVENTS.TURN_ID, TURN_EVENTS.SEQ,
        TURN_EVENTS.EVENT_KEY, TURN_EVENTS.EVENT_TYPE, TURN_EVENTS.DATA, TURN_EVENTS.CREATED_AT);
  }

  /** Events with seq greater than {@code afterSeq}, in order. */
  public List<TurnEventRow> after(CompanyId company, String turnId, int afterSeq, int limit) {
    return db.selectFrom(TURN_EVENTS)
        .where(TURN_EVENTS.COMPANY_ID.eq(company.value())
            .and(TURN_EVENTS.TURN_ID.eq(turnId))
            .and(TURN_EVENTS.SEQ.gt(afterSeq)))
        .orderBy(TURN_EVENTS.SEQ.asc())
        .limit(limit)
        .fetch(TurnEventRepository::row);
  }

  /** Where a reader of one turn's events stands: it has everything up to {@code afterSeq}. */
  public record Position(CompanyId company, String turnId, int afterSeq) {}

  /**
   * The events after each position, in one query, ordered by turn and seq: how one listener per API
   * process follows every turn it streams. Each position's condition carries its own company, so
   * the read stays tenant-scoped however many tenants one query covers; each is a range of the
   * primary key {@code (turn_id, seq)}.
   */
  public List<TurnEventRow> afterEach(List<Position> positions, int limit) {
    if (positions.isEmpty()) {
      return List.of();
    }
    List<Condition> ranges = new ArrayList<>(positions.size());
    for (Position p : positions) {
      ranges.add(TURN_EVENTS.COMPANY_ID.eq(p.company().value())
          .and(TURN_EVENTS.TURN_ID.eq(p.turnId()))
          .and(TURN_EVENTS.SEQ.gt(p.afterSeq())));
    }
    return db.selectFrom(TURN_EVENTS)
        .where(DSL.or(ranges))
        .orderBy(TURN_EVENTS.TURN_ID.asc(), TURN_EVENTS.SEQ.asc())
        .limit(limit)
        .fetch(TurnEventRepository::row);
  }

  /** The turn's highest seq, 0 before its first event. */
  public int lastSeq(CompanyId company, String turnId) {
    return db.select(lastSeqField(company, turnId)).fetchOne(0, Integer.class);
  }

  /** {@link #lastSeq} as a (non-locking) column of another read, for {@link #appendAfter}. */
  public static Field<Integer> lastSeqField(CompanyId company, String turnId) {
    return DSL.field(DSL.select(DSL.coalesce(DSL.max(TURN_EVENTS.SEQ), DSL.inline(0)))
        .from(TURN_EVENTS)
        .where(TURN_EVENTS.COMPANY_ID.eq(company.value()).and(TURN_EVENTS.TURN_ID.eq(turnId))));
  }

  /** Whether any event of the turn has a key starting with {@code keyPrefix}. */
  public boolean anyWithKeyPrefix(CompanyId company, String turnId, String keyPrefix) {
    return db.fetchExists(TURN_EVENTS, TURN_EVENTS.COMPANY_ID.eq(company.value())
        .and(TURN_EVENTS.TURN_ID.eq(turnId))
        .and(TURN_EVENTS.EVENT_KEY.startsWith(keyPrefix)));
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

  private static TurnEventRow row(TurnEventsRecord r) {
    return new TurnEventRow(
        r.getTurnId(), r.getSeq(), TurnEventType.fromStored(r.getEventType()), r.getData(), Times.fromDb(r.getCreatedAt()));
  }

  /** Listeners hear of an event only once it is visible to every reader, never of a rolled-back one. */
  private void afterCommit(CompanyId company, TurnEventRow event) {
    if (listeners == null) {
      return;
    }
    Runnable tell = () -> listeners.all().forEach(listener -> {
      try {
        listener.appended(company, event);
      } catch (RuntimeException e) {
        log.warn("turn event listener {} failed: {}", listener, e.toString());
      }
    });
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          tell.run();
        }
      });
    } else {
      tell.run();
    }
  }
}
