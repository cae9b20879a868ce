package dev.saturn.db.common;

import static dev.saturn.db.jooq.Tables.COMPANIES;

import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * The shape of the deliberate cross-tenant reads (billing's companies with usage, the
 * reconciler's companies with running turns): a page of company ids, never tenant data, chosen by
 * a condition correlated on {@code companies.id}.
 */
public final class CompanyIdPages {

  private CompanyIdPages() {}

  /** Up to {@code limit} ids of companies matching {@code condition}, in id order after {@code afterCompanyId} (null: from the start). */
  public static List<String> page(DSLContext db, Condition condition, String afterCompanyId, int limit) {
    Condition where = afterCompanyId == null ? condition : condition.and(COMPANIES.ID.gt(afterCompanyId));
    return db.select(COMPANIES.ID).from(COMPANIES).where(where).orderBy(COMPANIES.ID).limit(limit).fetch(COMPANIES.ID);
  }
}
