package dev.saturn.db.webhooks;

import static dev.saturn.db.jooq.Tables.WEBHOOK_EVENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** The event outbox; rows are written by {@link EventOutbox} only. */
@Repository
public class WebhookEventRepository {

  private final DSLContext db;

  public WebhookEventRepository(DSLContext db) {
    this.db = db;
  }

  /** @return false when the company already has an event for this fact key */
  boolean insertOnce(CompanyId company, WebhookEventRow row, Instant createdAt) {
    return DuplicateKeys.insertOnce(() -> insert.execute(db, row.id(), company.value(), row.factKey(), row.eventType(),
        row.targetEndpointId(), row.payload(), Times.toDb(row.occurredAt()), Times.toDb(row.dispatchedAt()),
        Times.toDb(createdAt)));
  }

  /** Every event (each turn records one), rendered once: binds the columns' values in the order set here. */
  private final RenderedStatement insert = new RenderedStatement(db -> db.insertInto(WEBHOOK_EVENTS)
      .set(WEBHOOK_EVENTS.ID, "")
      .set(WEBHOOK_EVENTS.COMPANY_ID, "")
      .set(WEBHOOK_EVENTS.FACT_KEY, "")
      .set(WEBHOOK_EVENTS.EVENT_TYPE, "")
      .set(WEBHOOK_EVENTS.TARGET_ENDPOINT_ID, "")
      .set(WEBHOOK_EVENTS.PAYLOAD, "")
      .set(WEBHOOK_EVENTS.OCCURRED_AT, LocalDateTime.MIN)
      .set(WEBHOOK_EVENTS.DISPATCHED_AT, LocalDateTime.MIN)
      .set(WEBHOOK_EVENTS.CREATED_AT, LocalDateTime.MIN));

  public Optional<WebhookEventRow> find(CompanyId company, String eventId) {
    return db.selectFrom(WEBHOOK_EVENTS)
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_EVENTS.ID.eq(eventId)))
        .fetchOptional()
        .map(WebhookEventRepository::toRow);
  }

  public Optional<WebhookEventRow> findByFact(CompanyId company, String factKey) {
    return db.selectFrom(WEBHOOK_EVENTS)
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_EVENTS.FACT_KEY.eq(factKey)))
        .fetchOptional()
        .map(WebhookEventRepository::toRow);
  }

  /** The types of the company's events among {@code eventIds}, by id. */
  public Map<String, String> typesOf(CompanyId company, Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Map.of();
    }
    return db.select(WEBHOOK_EVENTS.ID, WEBHOOK_EVENTS.EVENT_TYPE)
        .from(WEBHOOK_EVENTS)
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_EVENTS.ID.in(eventIds)))
        .fetchMap(WEBHOOK_EVENTS.ID, WEBHOOK_EVENTS.EVENT_TYPE);
  }

  /** Up to {@code limit} of the company's events not yet handed to their endpoints, recorded before {@code before}, oldest first. */
  public List<WebhookEventRow> undispatched(CompanyId company, Instant before, int limit) {
    return db.selectFrom(WEBHOOK_EVENTS)
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_EVENTS.DISPATCHED_AT.isNull())
            .and(WEBHOOK_EVENTS.CREATED_AT.lt(Times.toDb(before))))
        .orderBy(WEBHOOK_EVENTS.CREATED_AT, WEBHOOK_EVENTS.ID)
        .limit(limit)
        .fetch(WebhookEventRepository::toRow);
  }

  /** Every delivery of the event has been started; a repeat keeps the first time. */
  public void markDispatched(CompanyId company, String eventId, Instant at) {
    db.update(WEBHOOK_EVENTS)
        .set(WEBHOOK_EVENTS.DISPATCHED_AT, Times.toDb(at))
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_EVENTS.ID.eq(eventId))
            .and(WEBHOOK_EVENTS.DISPATCHED_AT.isNull()))
        .execute();
  }

  private static WebhookEventRow toRow(Record r) {
    return new WebhookEventRow(
        r.get(WEBHOOK_EVENTS.ID),
        r.get(WEBHOOK_EVENTS.COMPANY_ID),
        r.get(WEBHOOK_EVENTS.FACT_KEY),
        r.get(WEBHOOK_EVENTS.EVENT_TYPE),
        r.get(WEBHOOK_EVENTS.TARGET_ENDPOINT_ID),
        r.get(WEBHOOK_EVENTS.PAYLOAD),
        Times.fromDb(r.get(WEBHOOK_EVENTS.OCCURRED_AT)),
        Times.fromDb(r.get(WEBHOOK_EVENTS.DISPATCHED_AT)));
  }
}
