package dev.saturn.db.webhooks;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.WEBHOOK_EVENTS;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.selectOne;

import dev.saturn.db.common.CompanyIdPages;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * The one deliberate cross-tenant read of the webhook relay: which companies have events not yet
 * handed to their endpoints. Company ids only; each company's events are then read through the
 * tenant-scoped {@link WebhookEventRepository#undispatched}.
 */
@Repository
public class WebhookSweep {

  private final DSLContext db;

  public WebhookSweep(DSLContext db) {
    this.db = db;
  }

  /** Up to {@code limit} company ids, in id order after {@code afterCompanyId}; one index probe per company. */
  public List<String> companiesWithUndispatchedEvents(Instant before, String afterCompanyId, int limit) {
    return CompanyIdPages.page(db, exists(selectOne()
        .from(WEBHOOK_EVENTS)
        .where(WEBHOOK_EVENTS.COMPANY_ID.eq(COMPANIES.ID)
            .and(WEBHOOK_EVENTS.DISPATCHED_AT.isNull())
            .and(WEBHOOK_EVENTS.CREATED_AT.lt(Times.toDb(before))))), afterCompanyId, limit);
  }
}
