package dev.saturn.db.audit;

import static dev.saturn.db.jooq.Tables.AUDIT_LOGS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
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
}
