package dev.saturn.db.identity;

import static dev.saturn.db.jooq.Tables.COMPANIES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
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

  private final DSLContext db;
  private final Clock clock;

  public CompanyRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Platform-level: creating a tenant is the one write that has no tenant yet. */
  public CompanyRow create(String name, String planId) {
    CompanyRow row = new CompanyRow(Ids.newId(), name, planId, "active", Times.now(clock));
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

  private static CompanyRow toRow(Record r) {
    return new CompanyRow(
        r.get(COMPANIES.ID),
        r.get(COMPANIES.NAME),
        r.get(COMPANIES.PLAN_ID),
        r.get(COMPANIES.STATUS),
        Times.fromDb(r.get(COMPANIES.CREATED_AT)));
  }
}
