package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.TURNS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
public class TurnRepository {

  private final DSLContext db;
  private final Clock clock;
  /**
   * Every turn's row, rendered once: binds id, company, session, agent, agent version, workflow id,
   * status, instructions, created at.
   */
  private final RenderedStatement insertRunning = new RenderedStatement(db -> db.insertInto(TURNS)
      .set(TURNS.ID, "")
      .set(TURNS.COMPANY_ID, "")
      .set(TURNS.SESSION_ID, "")
      .set(TURNS.AGENT_ID, "")
      .set(TURNS.AGENT_VERSION, 0)
      .set(TURNS.WORKFLOW_ID, "")
      .set(TURNS.STATUS, "")
      .set(TURNS.INSTRUCTIONS, "")
      .set(TURNS.CREATED_AT, LocalDateTime.MIN));
  /**
   * Every completed turn, rendered once: binds status, answer, input and output tokens, completed at,
   * company, turn, then the status it must have.
   */
  private final RenderedStatement markCompleted = new RenderedStatement(db -> db.update(TURNS)
      .set(TURNS.STATUS, "")
      .set(TURNS.ASSISTANT_MESSAGE_ID, "")
      .set(TURNS.INPUT_TOKENS, 0L)
      .set(TURNS.OUTPUT_TOKENS, 0L)
      .set(TURNS.COMPLETED_AT, LocalDateTime.MIN)
      .where(TURNS.COMPANY_ID.eq("").and(TURNS.ID.eq("")).and(TURNS.STATUS.eq(""))));

  public TurnRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public TurnRow insertRunning(CompanyId company, String turnId, String sessionId, String agentId, String workflowId) {
    return insertRunning(company, turnId, sessionId, agentId, workflowId, null);
  }

  /** @param instructions appended to the agent's system prompt for this turn only; null for none */
  public TurnRow insertRunning(
      CompanyId company, String turnId, String sessionId, String agentId, String workflowId, String instructions) {
    return insertRunning(company, turnId, sessionId, agentId, null, workflowId, instructions);
  }

  /**
   * @param agentVersion the agent version the turn runs on, pinned as it is accepted (the caller read
   *     the agent), or null to have the workflow's first step pin the version current then
   * @param instructions appended to the agent's system prompt for this turn only; null for none
   */
  public TurnRow insertRunning(
      CompanyId company, String turnId, String sessionId, String agentId, Integer agentVersion, String workflowId,
      String instructions) {
    Instant createdAt = clock.instant();
    insertRunning.execute(db, turnId, company.value(), sessionId, agentId, agentVersion, workflowId,
        TurnStatus.RUNNING.dbValue(), instructions, Times.toDb(createdAt));
    // What a read would return: nothing else writes a turn before its workflow starts.
    return new TurnRow(turnId, company.value(), sessionId, agentId, agentVersion, workflowId, TurnStatus.RUNNING, null,
        null, null, null, null, Times.fromDb(Times.toDb(createdAt)), null, instructions);
  }

  public Optional<TurnRow> find(CompanyId company, String turnId) {
    return db.selectFrom(TURNS)
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId)))
        .fetchOptional()
        .map(TurnRepository::toRow);
  }

  /**
   * Up to {@code limit} of the company's turns {@code running} since before {@code createdBefore},
   * oldest first (by creation, then id), after the position ({@code afterCreatedAt}, {@code afterId})
   * when one is given.
   */
  public List<TurnRow> runningBefore(
      CompanyId company, Instant createdBefore, Instant afterCreatedAt, String afterId, int limit) {
    Condition where = TURNS.COMPANY_ID.eq(company.value())
        .and(TURNS.STATUS.eq(TurnStatus.RUNNING.dbValue()))
        .and(TURNS.CREATED_AT.lt(Times.toDb(createdBefore)));
    if (afterCreatedAt != null) {
      LocalDateTime after = Times.toDb(afterCreatedAt);
      where = where.and(TURNS.CREATED_AT.gt(after).or(TURNS.CREATED_AT.eq(after).and(TURNS.ID.gt(afterId))));
    }
    return db.selectFrom(TURNS).where(where).orderBy(TURNS.CREATED_AT.asc(), TURNS.ID.asc()).limit(limit)
        .fetch(TurnRepository::toRow);
  }

  /** The first version pinned wins, so a retried or replayed start keeps the turn on one version. */
  public int pinVersion(CompanyId company, String turnId, int version) {
    if (pinVersionIfUnset(company, turnId, version)) {
      return version;
    }
    return find(company, turnId).map(TurnRow::agentVersion).orElseThrow();
  }

  /** @return whether this call pinned {@code version} (false: the turn had one, or does not exist) */
  public boolean pinVersionIfUnset(CompanyId company, String turnId, int version) {
    return db.update(TURNS)
        .set(TURNS.AGENT_VERSION, version)
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId)).and(TURNS.AGENT_VERSION.isNull()))
        .execute() == 1;
  }

  /** @return whether this call completed the turn (false: it was no longer running, e.g. a retry) */
  public boolean markCompleted(CompanyId company, String turnId, String assistantMessageId, long inputTokens, long outputTokens) {
    return markCompleted.execute(db, TurnStatus.COMPLETED.dbValue(), assistantMessageId, inputTokens, outputTokens,
        Times.toDb(clock.instant()), company.value(), turnId, TurnStatus.RUNNING.dbValue()) == 1;
  }

  /**
   * Only a running turn can fail: a completed one keeps its answer.
   *
   * @return whether the turn was running (and is now failed)
   */
  public boolean markFailed(CompanyId company, String turnId, String errorCode, String errorMessage) {
    return db.update(TURNS)
        .set(TURNS.STATUS, TurnStatus.FAILED.dbValue())
        .set(TURNS.ERROR_CODE, errorCode)
        .set(TURNS.ERROR_MESSAGE, truncate(errorMessage, 2000))
        .set(TURNS.COMPLETED_AT, Times.toDb(clock.instant()))
        .where(TURNS.COMPANY_ID.eq(company.value())
            .and(TURNS.ID.eq(turnId))
            .and(TURNS.STATUS.eq(TurnStatus.RUNNING.dbValue())))
        .execute() == 1;
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  static TurnRow toRow(Record r) {
    return new TurnRow(
        r.get(TURNS.ID),
        r.get(TURNS.COMPANY_ID),
        r.get(TURNS.SESSION_ID),
        r.get(TURNS.AGENT_ID),
        r.get(TURNS.AGENT_VERSION),
        r.get(TURNS.WORKFLOW_ID),
        TurnStatus.fromDb(r.get(TURNS.STATUS)),
        r.get(TURNS.ERROR_CODE),
        r.get(TURNS.ERROR_MESSAGE),
        r.get(TURNS.ASSISTANT_MESSAGE_ID),
        r.get(TURNS.INPUT_TOKENS),
        r.get(TURNS.OUTPUT_TOKENS),
        Times.fromDb(r.get(TURNS.CREATED_AT)),
        Times.fromDb(r.get(TURNS.COMPLETED_AT)),
        r.get(TURNS.INSTRUCTIONS));
  }
}
