package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.COMPANIES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.IdPages;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Companies are the tenants themselves: their id is the company id. */
@Repository
public class CompanyRepository {

  public static final String DEFAULT_PLAN = "default";
  public static final String ACTIVE = "active";
  public static final String SUSPENDED = "suspended";

  private final DSLContext db;
  private final Clock clock;

  public CompanyRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Platform-level: creating a tenant is the one write that has no tenant yet. */
  public CompanyRow create(String name, String planId) {
    CompanyRow row = new CompanyRow(Ids.newId(), name, planId, ACTIVE, Times.now(clock));
    db.insertInto(COMPANIES)
        .set(COMPANIES.ID, row.id())
        .set(COMPANIES.NAME, row.name())
        .set(COMPANIES.PLAN_ID, row.planId())
        .set(COMPANIES.STATUS, row.status())
        .set(COMPANIES.CREATED_AT, Times.toDb(row.createdAt()))
        .execute();
    return row;
  }

  public Optional<CompanyRow> find(CompanyId company) {
    return db.selectFrom(COMPANIES)
        .where(COMPANIES.ID.eq(company.value()))
        .fetchOptional()
        .map(CompanyRepository::toRow);
  }

  /**
   * The operator's catalogue of every tenant, in id order after the cursor: the one listing of
   * {@code companies} (the tenant guard allows exactly this statement shape).
   */
  public Page<CompanyRow> list(String cursor, int limit) {
    return IdPages.page(db, COMPANIES, COMPANIES.ID, cursor, limit, CompanyRepository::toRow, CompanyRow::id);
  }

  /** Whether the company exists and is suspended: asked on every authenticated company request. */
  public boolean isSuspended(CompanyId company) {
    return db.fetchExists(COMPANIES, COMPANIES.ID.eq(company.value()).and(COMPANIES.STATUS.eq(SUSPENDED)));
  }

  /** @param status {@link #ACTIVE} or {@link #SUSPENDED}; @return whether the company exists */
  public boolean setStatus(CompanyId company, String status) {
    return db.update(COMPANIES).set(COMPANIES.STATUS, status).where(COMPANIES.ID.eq(company.value())).execute() == 1;
  }

  /** @return whether the company exists (the plan must exist: a foreign key) */
  public boolean setPlan(CompanyId company, String planId) {
    return db.update(COMPANIES).set(COMPANIES.PLAN_ID, planId).where(COMPANIES.ID.eq(company.value())).execute() == 1;
  }

  private static CompanyRow toRow(Record r) {
    return new CompanyRow(
        r.get(COMPANIES.ID),
        r.get(COMPANIES.NAME),
        r.get(COMPANIES.PLAN_ID),
        r.get(COMPANIES.STATUS),
        Times.fromDb(r.get(COMPANIES.CREATED_AT)));
  }
}
