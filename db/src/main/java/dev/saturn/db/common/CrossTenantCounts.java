package dev.saturn.db.common;

import static dev.saturn.db.jooq.Tables.COMPANIES;
import static dev.saturn.db.jooq.Tables.KB_DOCUMENTS;
import static dev.saturn.db.jooq.Tables.TOOL_APPROVALS;

import dev.saturn.db.tools.ToolApprovalRow;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The deliberate cross-tenant reads behind the state gauges of {@code /actuator/prometheus}:
 * totals over all companies, never a row of tenant data. Each joins through {@code companies},
 * so it walks the per-company indexes ({@code company_id, status, ...}) one company at a time.
 */
@Repository
public class CrossTenantCounts {

  private final DSLContext db;

  public CrossTenantCounts(DSLContext db) {
    this.db = db;
  }

  /** Tool calls waiting for a person's decision. */
  public long pendingApprovals() {
    return db.selectCount()
        .from(COMPANIES)
        .join(TOOL_APPROVALS).on(TOOL_APPROVALS.COMPANY_ID.eq(COMPANIES.ID))
        .where(TOOL_APPROVALS.STATUS.eq(ToolApprovalRow.PENDING))
        .fetchOne(0, long.class);
  }

  /** Knowledge-base documents by status ({@code KbDocumentStatus}); statuses without documents are absent. */
  public Map<String, Long> kbDocumentsByStatus() {
    return db.select(KB_DOCUMENTS.STATUS, DSL.count())
        .from(COMPANIES)
        .join(KB_DOCUMENTS).on(KB_DOCUMENTS.COMPANY_ID.eq(COMPANIES.ID))
        .groupBy(KB_DOCUMENTS.STATUS)
        .fetchMap(KB_DOCUMENTS.STATUS, record -> record.value2().longValue());
  }
}
