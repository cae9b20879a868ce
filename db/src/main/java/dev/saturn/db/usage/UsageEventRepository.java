package dev.saturn.db.usage;

import static dev.saturn.db.jooq.Tables.INVOICES;
import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;

import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.InvoiceStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Append-only by construction: this class has no update and no delete (and the tests' SQL guard
 * fails any UPDATE or DELETE on {@code usage_events}). Corrections are new events.
 */
@Repository
public class UsageEventRepository {

  /** Told about each event this repository inserts, once, inside the inserting transaction (metrics). */
  @FunctionalInterface
  public interface Listener {
    void recorded(UsageEvent event);
  }

  private final DSLContext db;
  private final Clock clock;
  private final List<Listener> listeners;

  public UsageEventRepository(DSLContext db, Clock clock) {
    this(db, clock, List.of());
  }

  @Autowired
  public UsageEventRepository(DSLContext db, Clock clock, ObjectProvider<Listener> listeners) {
    this(db, clock, listeners.orderedStream().toList());
  }

  public UsageEventRepository(DSLContext db, Clock clock, List<Listener> listeners) {
    this.db = db;
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Records the event unless one with the same idempotency key exists. The event is billed in the
   * month it occurred in, or, if that month's invoice is already finalized, in the first later month
   * whose invoice is not (see {@link #billingPeriodFor}).
   *
   * @return false when an event with the same idempotency key was already recorded.
   */
  @Transactional
  public boolean recordOnce(CompanyId company, UsageEvent event) {
    if (!company.value().equals(event.companyId())) {
      throw new IllegalArgumentException("event belongs to another company");
    }
    BillingPeriod occurred = BillingPeriod.containing(event.occurredAt());
    int insertedInto;
    try {
      insertedInto = insertUnlessFinalized(company, event, occurred);
    } catch (RuntimeException e) {
      if (DuplicateKeys.isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
    if (insertedInto == 1) {
      listeners.forEach(listener -> listener.recorded(event));
      return true;
    }
    // The month it occurred in is finalized (a late event): bill it in the first open month.
    BillingPeriod billingPeriod = billingPeriodFor(company, occurred);
    boolean inserted = DuplicateKeys.insertOnce(() -> db.insertInto(USAGE_EVENTS)
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
        .set(USAGE_EVENTS.BILLING_PERIOD, billingPeriod.toString())
        .set(USAGE_EVENTS.CREATED_AT, Times.toDb(clock.instant()))
        .execute());
    if (inserted) {
      listeners.forEach(listener -> listener.recorded(event));
    }
    return inserted;
  }

  /**
   * The common case in one statement: the event in the month it occurred in, unless that month's
   * invoice is finalized (then nothing, 0). The SELECT of an INSERT ... SELECT share-locks the rows
   * it reads (InnoDB under REPEATABLE READ, the server's default), so that invoice row, or the gap
   * where it would go, stays share-locked until the transaction ends, as {@link #billingPeriodFor}
   * locks it: a finalize waits for this transaction.
   */
  private int insertUnlessFinalized(CompanyId company, UsageEvent event, BillingPeriod occurred) {
    return insertUnlessFinalized.execute(db, event.id(), company.value(), event.agentId(), event.sessionId(),
        event.turnId(), event.kind(), event.provider(), event.model(), event.inputTokens(), event.outputTokens(),
        event.quantity(), (byte) (event.estimated() ? 1 : 0), event.idempotencyKey(), Times.toDb(event.occurredAt()),
        occurred.toString(), Times.toDb(clock.instant()), company.value(), occurred.toString(),
        InvoiceStatus.FINALIZED.dbValue());
  }

  /**
   * {@link #insertUnlessFinalized}'s statement (every usage event), rendered once: binds the 16
   * columns' values in order, then company, period and status of the invoice that refuses it.
   */
  private final RenderedStatement insertUnlessFinalized = new RenderedStatement(db -> db.insertInto(USAGE_EVENTS,
          USAGE_EVENTS.ID, USAGE_EVENTS.COMPANY_ID, USAGE_EVENTS.AGENT_ID, USAGE_EVENTS.SESSION_ID,
          USAGE_EVENTS.TURN_ID, USAGE_EVENTS.KIND, USAGE_EVENTS.PROVIDER, USAGE_EVENTS.MODEL,
          USAGE_EVENTS.INPUT_TOKENS, USAGE_EVENTS.OUTPUT_TOKENS, USAGE_EVENTS.QUANTITY, USAGE_EVENTS.ESTIMATED,
          USAGE_EVENTS.IDEMPOTENCY_KEY, USAGE_EVENTS.OCCURRED_AT, USAGE_EVENTS.BILLING_PERIOD, USAGE_EVENTS.CREATED_AT)
      .select(DSL.select(
              DSL.val("", USAGE_EVENTS.ID), DSL.val("", USAGE_EVENTS.COMPANY_ID), DSL.val("", USAGE_EVENTS.AGENT_ID),
              DSL.val("", USAGE_EVENTS.SESSION_ID), DSL.val("", USAGE_EVENTS.TURN_ID), DSL.val("", USAGE_EVENTS.KIND),
              DSL.val("", USAGE_EVENTS.PROVIDER), DSL.val("", USAGE_EVENTS.MODEL), DSL.val(0L, USAGE_EVENTS.INPUT_TOKENS),
              DSL.val(0L, USAGE_EVENTS.OUTPUT_TOKENS), DSL.val(0L, USAGE_EVENTS.QUANTITY),
              DSL.val((byte) 0, USAGE_EVENTS.ESTIMATED), DSL.val("", USAGE_EVENTS.IDEMPOTENCY_KEY),
              DSL.val(LocalDateTime.MIN, USAGE_EVENTS.OCCURRED_AT), DSL.val("", USAGE_EVENTS.BILLING_PERIOD),
              DSL.val(LocalDateTime.MIN, USAGE_EVENTS.CREATED_AT))
          .whereNotExists(DSL.selectOne().from(INVOICES).where(INVOICES.COMPANY_ID.eq("")
              .and(INVOICES.PERIOD.eq(""))
              .and(INVOICES.STATUS.eq(""))))));

  /**
   * The first period from {@code occurred} on whose invoice is not finalized. The company's invoice
   * rows from that period on are share-locked until the transaction ends, so an invoice cannot be
   * finalized between this read and the insert: finalizing waits for this transaction and then
   * sees the event, or this read waits for the finalize and then bills the event a month later.
   */
  BillingPeriod billingPeriodFor(CompanyId company, BillingPeriod occurred) {
    List<String> finalized = db.select(INVOICES.PERIOD, INVOICES.STATUS)
        .from(INVOICES)
        .where(INVOICES.COMPANY_ID.eq(company.value()).and(INVOICES.PERIOD.ge(occurred.toString())))
        .orderBy(INVOICES.PERIOD)
        .forShare()
        .fetch()
        .stream()
        .filter(r -> InvoiceStatus.FINALIZED.dbValue().equals(r.value2()))
        .map(r -> r.value1())
        .toList();
    BillingPeriod period = occurred;
    while (finalized.contains(period.toString())) {
      period = period.next();
    }
    return period;
  }

  /** Whether the company has a usage event with this idempotency key, as a column of another read. */
  public static Field<Boolean> recordedField(CompanyId company, String idempotencyKey) {
    return DSL.field(DSL.exists(DSL.selectOne().from(USAGE_EVENTS).where(
        USAGE_EVENTS.COMPANY_ID.eq(company.value()).and(USAGE_EVENTS.IDEMPOTENCY_KEY.eq(idempotencyKey)))));
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
