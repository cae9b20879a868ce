package dev.saturn.db.tools;

import static dev.saturn.db.jooq.Tables.TOOL_APPROVALS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Approvals of tool calls; written by the tool activities, read by the approvals API. */
@Repository
public class ToolApprovalRepository {

  private final DSLContext db;
  private final Clock clock;

  public ToolApprovalRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @return false when the call's approval was already recorded (a retried activity) */
  public boolean insertPendingOnce(CompanyId company, ToolApprovalRow row) {
    if (!company.value().equals(row.companyId())) {
      throw new IllegalArgumentException("approval belongs to another company");
    }
    return DuplicateKeys.insertOnce(() -> db.insertInto(TOOL_APPROVALS)
        .set(TOOL_APPROVALS.COMPANY_ID, company.value())
        .set(TOOL_APPROVALS.TURN_ID, row.turnId())
        .set(TOOL_APPROVALS.CALL_ID, row.callId())
        .set(TOOL_APPROVALS.AGENT_ID, row.agentId())
        .set(TOOL_APPROVALS.SESSION_ID, row.sessionId())
        .set(TOOL_APPROVALS.TOOL_ID, row.toolId())
        .set(TOOL_APPROVALS.TOOL_NAME, row.toolName())
        .set(TOOL_APPROVALS.ARGUMENTS, row.arguments())
        .set(TOOL_APPROVALS.STATUS, ToolApprovalRow.PENDING)
        .set(TOOL_APPROVALS.REQUESTED_AT, Times.toDb(row.requestedAt()))
        .set(TOOL_APPROVALS.EXPIRES_AT, Times.toDb(row.expiresAt()))
        .execute());
  }

  /**
   * Closes a pending approval; a closed one keeps its first outcome.
   *
   * @return whether this call closed it
   */
  public boolean close(CompanyId company, String turnId, String callId, String status, String decidedBy, String reason) {
    return db.update(TOOL_APPROVALS)
        .set(TOOL_APPROVALS.STATUS, status)
        .set(TOOL_APPROVALS.DECIDED_BY, decidedBy)
        .set(TOOL_APPROVALS.REASON, reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000))
        .set(TOOL_APPROVALS.DECIDED_AT, Times.toDb(clock.instant()))
        .where(TOOL_APPROVALS.COMPANY_ID.eq(company.value())
            .and(TOOL_APPROVALS.TURN_ID.eq(turnId))
            .and(TOOL_APPROVALS.CALL_ID.eq(callId))
            .and(TOOL_APPROVALS.STATUS.eq(ToolApprovalRow.PENDING)))
        .execute() == 1;
  }

  /**
   * Closes every approval of the turn that still waits as {@code cancelled} (the turn failed, so
   * nobody can decide it any more); closed ones keep their outcome, so running it again changes
   * nothing.
   *
   * @return how many approvals it closed
   */
  public int cancelPending(CompanyId company, String turnId, String reason) {
    return db.update(TOOL_APPROVALS)
        .set(TOOL_APPROVALS.STATUS, ToolApprovalRow.CANCELLED)
        .set(TOOL_APPROVALS.REASON, reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000))
        .set(TOOL_APPROVALS.DECIDED_AT, Times.toDb(clock.instant()))
        .where(TOOL_APPROVALS.COMPANY_ID.eq(company.value())
            .and(TOOL_APPROVALS.TURN_ID.eq(turnId))
            .and(TOOL_APPROVALS.STATUS.eq(ToolApprovalRow.PENDING)))
        .execute();
  }

  public Optional<ToolApprovalRow> find(CompanyId company, String turnId, String callId) {
    return db.selectFrom(TOOL_APPROVALS)
        .where(TOOL_APPROVALS.COMPANY_ID.eq(company.value())
            .and(TOOL_APPROVALS.TURN_ID.eq(turnId))
            .and(TOOL_APPROVALS.CALL_ID.eq(callId)))
        .fetchOptional()
        .map(ToolApprovalRepository::toRow);
  }

  /** The turn's approvals that still wait, oldest first. */
  public List<ToolApprovalRow> pendingForTurn(CompanyId company, String turnId) {
    return db.selectFrom(TOOL_APPROVALS)
        .where(TOOL_APPROVALS.COMPANY_ID.eq(company.value())
            .and(TOOL_APPROVALS.TURN_ID.eq(turnId))
            .and(TOOL_APPROVALS.STATUS.eq(ToolApprovalRow.PENDING)))
        .orderBy(TOOL_APPROVALS.REQUESTED_AT, TOOL_APPROVALS.CALL_ID)
        .fetch(ToolApprovalRepository::toRow);
  }

  /**
   * The company's pending approvals, oldest first (the workflow closes a row when its call is
   * decided or times out, and failing a turn cancels its pending rows); the cursor names the last
   * row of the previous page.
   */
  public Page<ToolApprovalRow> listPending(CompanyId company, String cursor, int limit) {
    Condition where = TOOL_APPROVALS.COMPANY_ID.eq(company.value())
        .and(TOOL_APPROVALS.STATUS.eq(ToolApprovalRow.PENDING));
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 3);
      if (key.length != 3) {
        throw new Cursors.InvalidCursorException();
      }
      java.time.LocalDateTime at;
      try {
        at = java.time.LocalDateTime.parse(key[0]);
      } catch (java.time.format.DateTimeParseException e) {
        throw new Cursors.InvalidCursorException();
      }
      where = where.and(TOOL_APPROVALS.REQUESTED_AT.gt(at)
          .or(TOOL_APPROVALS.REQUESTED_AT.eq(at).and(TOOL_APPROVALS.TURN_ID.gt(key[1])))
          .or(TOOL_APPROVALS.REQUESTED_AT.eq(at).and(TOOL_APPROVALS.TURN_ID.eq(key[1])).and(TOOL_APPROVALS.CALL_ID.gt(key[2]))));
    }
    List<ToolApprovalRow> rows = db.selectFrom(TOOL_APPROVALS)
        .where(where)
        .orderBy(TOOL_APPROVALS.REQUESTED_AT, TOOL_APPROVALS.TURN_ID, TOOL_APPROVALS.CALL_ID)
        .limit(limit + 1)
        .fetch(ToolApprovalRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    ToolApprovalRow last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit),
        Cursors.encode(Times.toDb(last.requestedAt()) + "|" + last.turnId() + "|" + last.callId()));
  }

  private static ToolApprovalRow toRow(Record r) {
    return new ToolApprovalRow(
        r.get(TOOL_APPROVALS.COMPANY_ID),
        r.get(TOOL_APPROVALS.TURN_ID),
        r.get(TOOL_APPROVALS.CALL_ID),
        r.get(TOOL_APPROVALS.AGENT_ID),
        r.get(TOOL_APPROVALS.SESSION_ID),
        r.get(TOOL_APPROVALS.TOOL_ID),
        r.get(TOOL_APPROVALS.TOOL_NAME),
        r.get(TOOL_APPROVALS.ARGUMENTS),
        r.get(TOOL_APPROVALS.STATUS),
        Times.fromDb(r.get(TOOL_APPROVALS.REQUESTED_AT)),
        Times.fromDb(r.get(TOOL_APPROVALS.EXPIRES_AT)),
        r.get(TOOL_APPROVALS.DECIDED_BY),
        r.get(TOOL_APPROVALS.REASON),
        Times.fromDb(r.get(TOOL_APPROVALS.DECIDED_AT)));
  }
}
