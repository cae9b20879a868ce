package dev.saturn.db.billing;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.selectOne;

import dev.saturn.db.common.CompanyIdPages;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * The one deliberate cross-tenant read of billing: which companies have events to bill in a period.
 * Only the billing run uses it, and it returns ids only; each draft is then computed per company
 * through the tenant-scoped {@link InvoiceRepository}.
 */
@Repository
public class BillingCatalog {

  private final DSLContext db;

  public BillingCatalog(DSLContext db) {
    this.db = db;
  }

  /**
   * Up to {@code limit} ids of companies with at least one event billed in {@code period}, in id
   * order after {@code afterCompanyId} (null: from the start). One index probe per company
   * ({@code ix_usage_events_billing}), never a scan of the events.
   */
  public List<String> companiesWithUsage(BillingPeriod period, String afterCompanyId, int limit) {
    return CompanyIdPages.page(db, exists(selectOne()
        .from(USAGE_EVENTS)
        .where(USAGE_EVENTS.COMPANY_ID.eq(COMPANIES.ID).and(USAGE_EVENTS.BILLING_PERIOD.eq(period.toString())))),
        afterCompanyId, limit);
  }
}
