package dev.saturn.db.usage;

import static dev.saturn.db.jooq.Tables.PROVIDER_ATTEMPTS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Append-only, like usage events: one row per provider attempt, never updated or deleted. */
@Repository
public class ProviderAttemptRepository {

  private final DSLContext db;

  public ProviderAttemptRepository(DSLContext db) {
    this.db = db;
  }

  /** @return false when this (workflow, activity, attempt) was already recorded. */
  public boolean recordOnce(CompanyId company, ProviderAttempt a) {
    if (!company.value().equals(a.companyId())) {
      throw new IllegalArgumentException("attempt belongs to another company");
    }
    return DuplicateKeys.insertOnce(() -> insert.execute(db, a.id(), company.value(), a.agentId(), a.turnId(),
        a.workflowId(), a.activityId(), a.attempt(), a.provider(), a.model(), a.inputTokens(), a.outputTokens(),
        (byte) (a.estimated() ? 1 : 0), a.outcome(), a.errorCode(), Times.toDb(a.startedAt()),
        Times.toDb(a.finishedAt())));
  }

  /** Every model call's attempt, rendered once: binds the columns' values in the order set here. */
  private final RenderedStatement insert = new RenderedStatement(db -> db.insertInto(PROVIDER_ATTEMPTS)
      .set(PROVIDER_ATTEMPTS.ID, "")
      .set(PROVIDER_ATTEMPTS.COMPANY_ID, "")
      .set(PROVIDER_ATTEMPTS.AGENT_ID, "")
      .set(PROVIDER_ATTEMPTS.TURN_ID, "")
      .set(PROVIDER_ATTEMPTS.WORKFLOW_ID, "")
      .set(PROVIDER_ATTEMPTS.ACTIVITY_ID, "")
      .set(PROVIDER_ATTEMPTS.ATTEMPT, 0)
      .set(PROVIDER_ATTEMPTS.PROVIDER, "")
      .set(PROVIDER_ATTEMPTS.MODEL, "")
      .set(PROVIDER_ATTEMPTS.INPUT_TOKENS, 0L)
      .set(PROVIDER_ATTEMPTS.OUTPUT_TOKENS, 0L)
      .set(PROVIDER_ATTEMPTS.ESTIMATED, (byte) 0)
      .set(PROVIDER_ATTEMPTS.OUTCOME, "")
      .set(PROVIDER_ATTEMPTS.ERROR_CODE, "")
      .set(PROVIDER_ATTEMPTS.STARTED_AT, LocalDateTime.MIN)
      .set(PROVIDER_ATTEMPTS.FINISHED_AT, LocalDateTime.MIN));

  public List<ProviderAttempt> listForTurn(CompanyId company, String turnId) {
    return db.selectFrom(PROVIDER_ATTEMPTS)
        .where(PROVIDER_ATTEMPTS.COMPANY_ID.eq(company.value()).and(PROVIDER_ATTEMPTS.TURN_ID.eq(turnId)))
        .orderBy(PROVIDER_ATTEMPTS.ACTIVITY_ID, PROVIDER_ATTEMPTS.ATTEMPT)
        .fetch(ProviderAttemptRepository::toAttempt);
  }

  /** Attempts, failed attempts and their tokens started in [from, to). */
  public AttemptTotals totals(CompanyId company, Instant from, Instant to) {
    Record r = db.select(
            count(),
            sum(when(PROVIDER_ATTEMPTS.OUTCOME.eq(ProviderAttempt.FAILED), 1).otherwise(0)),
            sum(PROVIDER_ATTEMPTS.INPUT_TOKENS),
            sum(PROVIDER_ATTEMPTS.OUTPUT_TOKENS))
        .from(PROVIDER_ATTEMPTS)
        .where(PROVIDER_ATTEMPTS.COMPANY_ID.eq(company.value())
            .and(PROVIDER_ATTEMPTS.STARTED_AT.ge(Times.toDb(from)))
            .and(PROVIDER_ATTEMPTS.STARTED_AT.lt(Times.toDb(to))))
        .fetchOne();
    return new AttemptTotals(r.get(0, Long.class), longOf(r.get(1)), longOf(r.get(2)), longOf(r.get(3)));
  }

  public record AttemptTotals(long attempts, long failed, long inputTokens, long outputTokens) {}

  private static long longOf(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static ProviderAttempt toAttempt(Record r) {
    return new ProviderAttempt(
        r.get(PROVIDER_ATTEMPTS.ID),
        r.get(PROVIDER_ATTEMPTS.COMPANY_ID),
        r.get(PROVIDER_ATTEMPTS.AGENT_ID),
        r.get(PROVIDER_ATTEMPTS.TURN_ID),
        r.get(PROVIDER_ATTEMPTS.WORKFLOW_ID),
        r.get(PROVIDER_ATTEMPTS.ACTIVITY_ID),
        r.get(PROVIDER_ATTEMPTS.ATTEMPT),
        r.get(PROVIDER_ATTEMPTS.PROVIDER),
        r.get(PROVIDER_ATTEMPTS.MODEL),
        r.get(PROVIDER_ATTEMPTS.INPUT_TOKENS),
        r.get(PROVIDER_ATTEMPTS.OUTPUT_TOKENS),
        r.get(PROVIDER_ATTEMPTS.ESTIMATED) == 1,
        r.get(PROVIDER_ATTEMPTS.OUTCOME),
        r.get(PROVIDER_ATTEMPTS.ERROR_CODE),
        Times.fromDb(r.get(PROVIDER_ATTEMPTS.STARTED_AT)),
        Times.fromDb(r.get(PROVIDER_ATTEMPTS.FINISHED_AT)));
  }
}
