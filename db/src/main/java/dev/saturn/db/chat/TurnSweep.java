package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.TURNS;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.selectOne;

import dev.saturn.db.common.CompanyIdPages;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * The one deliberate cross-tenant read of the turn reconciler: which companies have turns still
 * running since before a cut-off. It returns company ids only; each company's turns are then read
 * through the tenant-scoped {@link TurnRepository#runningBefore}.
 */
@Repository
public class TurnSweep {

  private final DSLContext db;

  public TurnSweep(DSLContext db) {
    this.db = db;
  }

  /**
   * Up to {@code limit} ids of companies with a turn {@code running} since before
   * {@code createdBefore}, in id order after {@code afterCompanyId} (null: from the start). One
   * index probe per company ({@code ix_turns_running}).
   */
  public List<String> companiesWithRunningTurns(Instant createdBefore, String afterCompanyId, int limit) {
    return CompanyIdPages.page(db, exists(selectOne()
        .from(TURNS)
        .where(TURNS.COMPANY_ID.eq(COMPANIES.ID)
            .and(TURNS.STATUS.eq(TurnStatus.RUNNING.dbValue()))
            .and(TURNS.CREATED_AT.lt(Times.toDb(createdBefore))))), afterCompanyId, limit);
  }
}
