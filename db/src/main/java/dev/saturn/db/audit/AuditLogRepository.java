package dev.saturn.db.audit;

import static dev.saturn.db.jooq.Tables.AUDIT_LOGS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.jooq.tables.records.AuditLogsRecord;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.springframework.stereotype.Repository;

/** Append-only: audit rows are written and read, never changed. */
@Repository
public class AuditLogRepository {

  private final DSLContext db;

  public AuditLogRepository(DSLContext db) {
    this.db = db;
  }

  public void append(CompanyId company, AuditEntry entry) {
    if (!company.value().equals(entry.companyId())) {
      throw new IllegalArgumentException("entry belongs to another company");
    }
    db.insertInto(AUDIT_LOGS)
        .set(AUDIT_LOGS.ID, entry.id())
        .set(AUDIT_LOGS.COMPANY_ID, company.value())
        .set(AUDIT_LOGS.ACTOR_TYPE, entry.actorType())
        .set(AUDIT_LOGS.ACTOR_ID, entry.actorId())
        .set(AUDIT_LOGS.ACTION, entry.action())
        .set(AUDIT_LOGS.TARGET_TYPE, entry.targetType())
        .set(AUDIT_LOGS.TARGET_ID, entry.targetId())
        .set(AUDIT_LOGS.DIFF, entry.diffJson() == null ? null : JSON.valueOf(entry.diffJson()))
        .set(AUDIT_LOGS.REQUEST_ID, entry.requestId())
        .set(AUDIT_LOGS.CREATED_AT, Times.toDb(entry.createdAt()))
        .execute();
  }

  public Optional<AuditEntry> find(CompanyId company, String id) {
    return db.selectFrom(AUDIT_LOGS)
        .where(AUDIT_LOGS.COMPANY_ID.eq(company.value()).and(AUDIT_LOGS.ID.eq(id)))
        .fetchOptional()
        .map(AuditLogRepository::toEntry);
  }

  /**
   * The company's rows that match {@code filter}, newest first (created_at, then id, descending);
   * the cursor is the (created_at, id) of the last row of the previous page.
   */
  public Page<AuditEntry> list(CompanyId company, AuditFilter filter, String cursor, int limit) {
    Condition where = AUDIT_LOGS.COMPANY_ID.eq(company.value());
    if (filter.targetType() != null) {
      where = where.and(AUDIT_LOGS.TARGET_TYPE.eq(filter.targetType()));
    }
    if (filter.targetId() != null) {
      where = where.and(AUDIT_LOGS.TARGET_ID.eq(filter.targetId()));
    }
    if (filter.action() != null) {
      where = where.and(AUDIT_LOGS.ACTION.eq(filter.action()));
    }
    if (filter.actorId() != null) {
      where = where.and(AUDIT_LOGS.ACTOR_ID.eq(filter.actorId()));
    }
    if (filter.from() != null) {
      where = where.and(AUDIT_LOGS.CREATED_AT.ge(Times.toDb(filter.from())));
    }
    if (filter.to() != null) {
      where = where.and(AUDIT_LOGS.CREATED_AT.lt(Times.toDb(filter.to())));
    }
    if (cursor != null) {
      String[] key = Cursors.decode(cursor).split("\\|", 2);
      if (key.length != 2) {
        throw new Cursors.InvalidCursorException();
      }
      LocalDateTime createdAt = parseTime(key[0]);
      where = where.and(AUDIT_LOGS.CREATED_AT.lt(createdAt)
          .or(AUDIT_LOGS.CREATED_AT.eq(createdAt).and(AUDIT_LOGS.ID.lt(key[1]))));
    }
    List<AuditEntry> rows = db.selectFrom(AUDIT_LOGS)
        .where(where)
        .orderBy(AUDIT_LOGS.CREATED_AT.desc(), AUDIT_LOGS.ID.desc())
        .limit(limit + 1)
        .fetch(AuditLogRepository::toEntry);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    AuditEntry last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), Cursors.encode(Times.toDb(last.createdAt()) + "|" + last.id()));
  }

  private static LocalDateTime parseTime(String value) {
    try {
      return LocalDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
  }

  private static AuditEntry toEntry(AuditLogsRecord r) {
    return new AuditEntry(
        r.getId(),
        r.getCompanyId(),
        r.getActorType(),
        r.getActorId(),
        r.getAction(),
        r.getTargetType(),
        r.getTargetId(),
        r.getDiff() == null ? null : r.getDiff().data(),
        r.getRequestId(),
        Times.fromDb(r.getCreatedAt()));
  }
}
