package dev.saturn.db.webhooks;

import static dev.saturn.db.jooq.Tables.WEBHOOK_DELIVERIES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.NewestFirst;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Deliveries and their attempts; unique per (endpoint, event, seq). */
@Repository
public class WebhookDeliveryRepository {

  private final DSLContext db;

  public WebhookDeliveryRepository(DSLContext db) {
    this.db = db;
  }

  /** A new pending delivery; @return false when (endpoint, event, seq) exists already */
  public boolean insertOnce(CompanyId company, WebhookDeliveryRow row) {
    return DuplicateKeys.insertOnce(() -> db.insertInto(WEBHOOK_DELIVERIES)
        .set(WEBHOOK_DELIVERIES.ID, row.id())
        .set(WEBHOOK_DELIVERIES.COMPANY_ID, company.value())
        .set(WEBHOOK_DELIVERIES.ENDPOINT_ID, row.endpointId())
        .set(WEBHOOK_DELIVERIES.EVENT_ID, row.eventId())
        .set(WEBHOOK_DELIVERIES.SEQ, row.seq())
        .set(WEBHOOK_DELIVERIES.WORKFLOW_ID, row.workflowId())
        .set(WEBHOOK_DELIVERIES.STATUS, row.status().dbValue())
        .set(WEBHOOK_DELIVERIES.ATTEMPTS, row.attempts())
        .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, Times.toDb(row.nextAttemptAt()))
        .set(WEBHOOK_DELIVERIES.CREATED_AT, Times.toDb(row.createdAt()))
        .set(WEBHOOK_DELIVERIES.UPDATED_AT, Times.toDb(row.updatedAt()))
        .execute());
  }

  public Optional<WebhookDeliveryRow> find(CompanyId company, String deliveryId) {
    return db.selectFrom(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value()).and(WEBHOOK_DELIVERIES.ID.eq(deliveryId)))
        .fetchOptional()
        .map(WebhookDeliveryRepository::toRow);
  }

  public Optional<WebhookDeliveryRow> find(CompanyId company, String endpointId, String eventId, int seq) {
    return db.selectFrom(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(endpointId))
            .and(WEBHOOK_DELIVERIES.EVENT_ID.eq(eventId))
            .and(WEBHOOK_DELIVERIES.SEQ.eq(seq)))
        .fetchOptional()
        .map(WebhookDeliveryRepository::toRow);
  }

  /** The first deliveries (seq 0) of an event, one per endpoint it was fanned out to. */
  public List<WebhookDeliveryRow> firstDeliveries(CompanyId company, String eventId) {
    return db.selectFrom(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.EVENT_ID.eq(eventId))
            .and(WEBHOOK_DELIVERIES.SEQ.eq(0)))
        .fetch(WebhookDeliveryRepository::toRow);
  }

  /** The next redelivery number of an event to an endpoint. */
  public int nextSeq(CompanyId company, String endpointId, String eventId) {
    Integer max = db.select(DSL.max(WEBHOOK_DELIVERIES.SEQ))
        .from(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(endpointId))
            .and(WEBHOOK_DELIVERIES.EVENT_ID.eq(eventId)))
        .fetchOne(0, Integer.class);
    return max == null ? 0 : max + 1;
  }

  /** An endpoint's deliveries, newest first. */
  public Page<WebhookDeliveryRow> list(CompanyId company, String endpointId, String cursor, int limit) {
    List<WebhookDeliveryRow> rows = db.selectFrom(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(endpointId))
            .and(NewestFirst.after(cursor, WEBHOOK_DELIVERIES.CREATED_AT, WEBHOOK_DELIVERIES.ID)))
        .orderBy(WEBHOOK_DELIVERIES.CREATED_AT.desc(), WEBHOOK_DELIVERIES.ID.desc())
        .limit(limit + 1)
        .fetch(WebhookDeliveryRepository::toRow);
    return NewestFirst.page(rows, limit, WebhookDeliveryRow::createdAt, WebhookDeliveryRow::id);
  }

  /**
   * Records attempt {@code attempt} and where the delivery stands after it. Attempts only grow, and
   * an ended delivery (delivered, failed, cancelled) is never changed again, so a retried activity
   * that already recorded its attempt changes nothing that matters.
   */
  public void recordAttempt(
      CompanyId company, String deliveryId, int attempt, DeliveryStatus status, Integer statusCode, String error,
      Instant at, Instant nextAttemptAt) {
    db.update(WEBHOOK_DELIVERIES)
        .set(WEBHOOK_DELIVERIES.STATUS, status.dbValue())
        .set(WEBHOOK_DELIVERIES.ATTEMPTS, DSL.greatest(WEBHOOK_DELIVERIES.ATTEMPTS, DSL.val(attempt)))
        .set(WEBHOOK_DELIVERIES.LAST_STATUS_CODE, statusCode)
        .set(WEBHOOK_DELIVERIES.LAST_ERROR, error == null || error.length() <= 1000 ? error : error.substring(0, 1000))
        .set(WEBHOOK_DELIVERIES.LAST_ATTEMPT_AT, Times.toDb(at))
        .set(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT, Times.toDb(nextAttemptAt))
        .set(WEBHOOK_DELIVERIES.DELIVERED_AT, status == DeliveryStatus.DELIVERED ? Times.toDb(at) : null)
        .set(WEBHOOK_DELIVERIES.UPDATED_AT, Times.toDb(at))
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.ID.eq(deliveryId))
            .and(WEBHOOK_DELIVERIES.STATUS.eq(DeliveryStatus.PENDING.dbValue())))
        .execute();
  }

  /** Ends a pending delivery without an attempt (its endpoint was disabled or deleted, or it could not be started). */
  public void end(CompanyId company, String deliveryId, DeliveryStatus status, String reason, Instant at) {
    db.update(WEBHOOK_DELIVERIES)
        .set(WEBHOOK_DELIVERIES.STATUS, status.dbValue())
        .set(WEBHOOK_DELIVERIES.LAST_ERROR, reason)
        .setNull(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT)
        .set(WEBHOOK_DELIVERIES.UPDATED_AT, Times.toDb(at))
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_DELIVERIES.ID.eq(deliveryId))
            .and(WEBHOOK_DELIVERIES.STATUS.eq(DeliveryStatus.PENDING.dbValue())))
        .execute();
  }

  public int deleteForEndpoint(CompanyId company, String endpointId) {
    return db.deleteFrom(WEBHOOK_DELIVERIES)
        .where(WEBHOOK_DELIVERIES.COMPANY_ID.eq(company.value()).and(WEBHOOK_DELIVERIES.ENDPOINT_ID.eq(endpointId)))
        .execute();
  }

  private static WebhookDeliveryRow toRow(Record r) {
    return new WebhookDeliveryRow(
        r.get(WEBHOOK_DELIVERIES.ID),
        r.get(WEBHOOK_DELIVERIES.COMPANY_ID),
        r.get(WEBHOOK_DELIVERIES.ENDPOINT_ID),
        r.get(WEBHOOK_DELIVERIES.EVENT_ID),
        r.get(WEBHOOK_DELIVERIES.SEQ),
        r.get(WEBHOOK_DELIVERIES.WORKFLOW_ID),
        DeliveryStatus.fromDb(r.get(WEBHOOK_DELIVERIES.STATUS)),
        r.get(WEBHOOK_DELIVERIES.ATTEMPTS),
        r.get(WEBHOOK_DELIVERIES.LAST_STATUS_CODE),
        r.get(WEBHOOK_DELIVERIES.LAST_ERROR),
        Times.fromDb(r.get(WEBHOOK_DELIVERIES.LAST_ATTEMPT_AT)),
        Times.fromDb(r.get(WEBHOOK_DELIVERIES.NEXT_ATTEMPT_AT)),
        Times.fromDb(r.get(WEBHOOK_DELIVERIES.DELIVERED_AT)),
        Times.fromDb(r.get(WEBHOOK_DELIVERIES.CREATED_AT)),
        Times.fromDb(r.get(WEBHOOK_DELIVERIES.UPDATED_AT)));
  }
}
