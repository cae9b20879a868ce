package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.PLANS;

import dev.saturn.db.common.CompanyId;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.springframework.stereotype.Repository;

/** Read-only view of a company's plan; plans themselves are platform-wide, not tenant data. */
@Repository
public class PlanRepository {

  private final DSLContext db;

  public PlanRepository(DSLContext db) {
    this.db = db;
  }

  /** The {@code rate_limits} JSON of the company's plan, or empty for an unknown company. */
  public Optional<String> rateLimitsJson(CompanyId company) {
    return db.select(PLANS.RATE_LIMITS)
        .from(COMPANIES)
        .join(PLANS).on(PLANS.ID.eq(COMPANIES.PLAN_ID))
        .where(COMPANIES.ID.eq(company.value()))
        .fetchOptional(PLANS.RATE_LIMITS)
        .map(JSON::data);
  }
}
