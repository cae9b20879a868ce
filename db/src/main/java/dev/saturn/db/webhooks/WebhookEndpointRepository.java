package dev.saturn.db.webhooks;

import static dev.saturn.db.jooq.Tables.WEBHOOK_ENDPOINTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.NewestFirst;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Webhook endpoints and channel reply endpoints of one company. */
@Repository
public class WebhookEndpointRepository {

  private final DSLContext db;

  public WebhookEndpointRepository(DSLContext db) {
    this.db = db;
  }

  public void insert(CompanyId company, WebhookEndpointRow row) {
    if (!company.value().equals(row.companyId())) {
      throw new IllegalArgumentException("endpoint belongs to another company");
    }
    db.insertInto(WEBHOOK_ENDPOINTS)
        .set(WEBHOOK_ENDPOINTS.ID, row.id())
        .set(WEBHOOK_ENDPOINTS.COMPANY_ID, company.value())
        .set(WEBHOOK_ENDPOINTS.KIND, row.kind())
        .set(WEBHOOK_ENDPOINTS.CREATED_AT, Times.toDb(row.createdAt()))
        .set(WEBHOOK_ENDPOINTS.URL, row.url())
        .set(WEBHOOK_ENDPOINTS.DESCRIPTION, row.description())
        .set(WEBHOOK_ENDPOINTS.EVENT_TYPES, JSON.valueOf(EventTypesJson.write(row.eventTypes())))
        .set(WEBHOOK_ENDPOINTS.STATUS, row.status())
        .set(WEBHOOK_ENDPOINTS.SECRET_SEALED, row.secretSealed())
        .set(WEBHOOK_ENDPOINTS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .execute();
  }

  /** Replaces every mutable field: URL, description, events, status, secrets, failure streak. */
  public void update(CompanyId company, WebhookEndpointRow row) {
    db.update(WEBHOOK_ENDPOINTS)
        .set(WEBHOOK_ENDPOINTS.URL, row.url())
        .set(WEBHOOK_ENDPOINTS.DESCRIPTION, row.description())
        .set(WEBHOOK_ENDPOINTS.EVENT_TYPES, JSON.valueOf(EventTypesJson.write(row.eventTypes())))
        .set(WEBHOOK_ENDPOINTS.STATUS, row.status())
        .set(WEBHOOK_ENDPOINTS.DISABLED_REASON, row.disabledReason())
        .set(WEBHOOK_ENDPOINTS.DISABLED_AT, Times.toDb(row.disabledAt()))
        .set(WEBHOOK_ENDPOINTS.SECRET_SEALED, row.secretSealed())
        .set(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_SEALED, row.previousSecretSealed())
        .set(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_EXPIRES_AT, Times.toDb(row.previousSecretExpiresAt()))
        .set(WEBHOOK_ENDPOINTS.FAILING_SINCE, Times.toDb(row.failingSince()))
        .set(WEBHOOK_ENDPOINTS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(row.id())))
        .execute();
  }

  public Optional<WebhookEndpointRow> find(CompanyId company, String endpointId) {
    return db.selectFrom(WEBHOOK_ENDPOINTS)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(endpointId)))
        .fetchOptional()
        .map(WebhookEndpointRepository::toRow);
  }

  /** An endpoint of one kind: a channel's endpoint is not a webhook of {@code /v1/webhooks}. */
  public Optional<WebhookEndpointRow> find(CompanyId company, String kind, String endpointId) {
    return find(company, endpointId).filter(e -> e.kind().equals(kind));
  }

  /** The endpoint, its row locked until the transaction ends: changes of one endpoint are serialized. */
  public Optional<WebhookEndpointRow> findForUpdate(CompanyId company, String endpointId) {
    return db.selectFrom(WEBHOOK_ENDPOINTS)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(endpointId)))
        .forUpdate()
        .fetchOptional()
        .map(WebhookEndpointRepository::toRow);
  }

  /** Endpoints of one kind, newest first. */
  public Page<WebhookEndpointRow> list(CompanyId company, String kind, String cursor, int limit) {
    List<WebhookEndpointRow> rows = db.selectFrom(WEBHOOK_ENDPOINTS)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_ENDPOINTS.KIND.eq(kind))
            .and(NewestFirst.after(cursor, WEBHOOK_ENDPOINTS.CREATED_AT, WEBHOOK_ENDPOINTS.ID)))
        .orderBy(WEBHOOK_ENDPOINTS.CREATED_AT.desc(), WEBHOOK_ENDPOINTS.ID.desc())
        .limit(limit + 1)
        .fetch(WebhookEndpointRepository::toRow);
    return NewestFirst.page(rows, limit, WebhookEndpointRow::createdAt, WebhookEndpointRow::id);
  }

  /** The company's active webhook endpoints (not channels); a company has few, so the event filter is the caller's. */
  public List<WebhookEndpointRow> activeWebhooks(CompanyId company) {
    return db.selectFrom(WEBHOOK_ENDPOINTS)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_ENDPOINTS.KIND.eq(WebhookEndpointRow.WEBHOOK))
            .and(WEBHOOK_ENDPOINTS.STATUS.eq(WebhookEndpointRow.ACTIVE)))
        .orderBy(WEBHOOK_ENDPOINTS.CREATED_AT, WEBHOOK_ENDPOINTS.ID)
        .fetch(WebhookEndpointRepository::toRow);
  }

  /**
   * Whether an active webhook of the company subscribes to {@code type}, as a column of another
   * read: what {@link EventOutbox} otherwise finds out from {@link #activeWebhooks}.
   */
  public static Field<Boolean> anyActiveFor(CompanyId company, WebhookEventType type) {
    // constants inline: the company is the statement's only bind value (TurnStepReads renders it once)
    Condition active = WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value())
        .and(WEBHOOK_ENDPOINTS.KIND.eq(DSL.inline(WebhookEndpointRow.WEBHOOK)))
        .and(WEBHOOK_ENDPOINTS.STATUS.eq(DSL.inline(WebhookEndpointRow.ACTIVE)));
    // webhook.disabled goes to every endpoint; an array candidate is contained when each of its elements is
    Condition subscribed = type == WebhookEventType.WEBHOOK_DISABLED ? DSL.trueCondition()
        : DSL.condition("json_contains({0}, {1})", WEBHOOK_ENDPOINTS.EVENT_TYPES,
            DSL.inline(EventTypesJson.write(List.of(type.wireName()))));
    return DSL.field(DSL.exists(DSL.selectOne().from(WEBHOOK_ENDPOINTS).where(active.and(subscribed))));
  }

  /** A delivery succeeded: the failure streak ends. */
  public void recordSuccess(CompanyId company, String endpointId, Instant at) {
    db.update(WEBHOOK_ENDPOINTS)
        .set(WEBHOOK_ENDPOINTS.LAST_SUCCESS_AT, Times.toDb(at))
        .setNull(WEBHOOK_ENDPOINTS.FAILING_SINCE)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(endpointId)))
        .execute();
  }

  /** An attempt failed: the failure streak starts now unless it already runs. */
  public void recordFailure(CompanyId company, String endpointId, Instant at) {
    db.update(WEBHOOK_ENDPOINTS)
        .set(WEBHOOK_ENDPOINTS.FAILING_SINCE,
            org.jooq.impl.DSL.coalesce(WEBHOOK_ENDPOINTS.FAILING_SINCE, org.jooq.impl.DSL.val(Times.toDb(at))))
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(endpointId)))
        .execute();
  }

  /** active → disabled; @return false when it was not active (disabled already, or gone) */
  public boolean disable(CompanyId company, String endpointId, String reason, Instant at) {
    return db.update(WEBHOOK_ENDPOINTS)
        .set(WEBHOOK_ENDPOINTS.STATUS, WebhookEndpointRow.DISABLED)
        .set(WEBHOOK_ENDPOINTS.DISABLED_REASON, reason.length() <= 500 ? reason : reason.substring(0, 500))
        .set(WEBHOOK_ENDPOINTS.DISABLED_AT, Times.toDb(at))
        .set(WEBHOOK_ENDPOINTS.UPDATED_AT, Times.toDb(at))
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value())
            .and(WEBHOOK_ENDPOINTS.ID.eq(endpointId))
            .and(WEBHOOK_ENDPOINTS.STATUS.eq(WebhookEndpointRow.ACTIVE)))
        .execute() == 1;
  }

  public boolean delete(CompanyId company, String endpointId) {
    return db.deleteFrom(WEBHOOK_ENDPOINTS)
        .where(WEBHOOK_ENDPOINTS.COMPANY_ID.eq(company.value()).and(WEBHOOK_ENDPOINTS.ID.eq(endpointId)))
        .execute() == 1;
  }

  private static WebhookEndpointRow toRow(Record r) {
    return new WebhookEndpointRow(
        r.get(WEBHOOK_ENDPOINTS.ID),
        r.get(WEBHOOK_ENDPOINTS.COMPANY_ID),
        r.get(WEBHOOK_ENDPOINTS.KIND),
        r.get(WEBHOOK_ENDPOINTS.URL),
        r.get(WEBHOOK_ENDPOINTS.DESCRIPTION),
        EventTypesJson.read(r.get(WEBHOOK_ENDPOINTS.EVENT_TYPES).data()),
        r.get(WEBHOOK_ENDPOINTS.STATUS),
        r.get(WEBHOOK_ENDPOINTS.DISABLED_REASON),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.DISABLED_AT)),
        r.get(WEBHOOK_ENDPOINTS.SECRET_SEALED),
        r.get(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_SEALED),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_EXPIRES_AT)),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.FAILING_SINCE)),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.LAST_SUCCESS_AT)),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.CREATED_AT)),
        Times.fromDb(r.get(WEBHOOK_ENDPOINTS.UPDATED_AT)));
  }
}
