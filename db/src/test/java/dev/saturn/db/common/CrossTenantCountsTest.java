package dev.saturn.db.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.kb.KbDocumentStatus;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import java.time.Clock;
import java.time.Instant;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over a database of its own, through the tenant guard like every test statement. */
class CrossTenantCountsTest {

  static TestDatabase database;
  static DSLContext db;
  static CrossTenantCounts counts;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    counts = new CrossTenantCounts(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenApprovalsOfTwoCompanies_whenCounted_itShouldCountThePendingOnesOfBoth() {
    ToolApprovalRepository approvals = new ToolApprovalRepository(db, Clock.systemUTC());
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    long before = counts.pendingApprovals();
    approvals.insertPendingOnce(a, pending(a, "turn-a", "call-1"));
    approvals.insertPendingOnce(a, pending(a, "turn-a", "call-2"));
    approvals.insertPendingOnce(b, pending(b, "turn-b", "call-1"));
    assertThat(approvals.close(b, "turn-b", "call-1", "approved", "someone", null)).isTrue();
    assertThat(approvals.close(b, "turn-b", "call-1", "denied", "someone else", null))
        .as("a closed approval keeps its first outcome").isFalse();

    assertThat(counts.pendingApprovals()).isEqualTo(before + 2);
  }

  @Test
  void givenDocumentsOfTwoCompanies_whenCounted_itShouldGroupThemByStatus() {
    KbDocumentRepository documents = new KbDocumentRepository(db, Clock.systemUTC());
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    documents.insert(a, document(a, Fixtures.agent(db, a, "{}"), KbDocumentStatus.UPLOADED));
    documents.insert(a, document(a, Fixtures.agent(db, a, "{}"), KbDocumentStatus.UPLOADED));
    documents.insert(b, document(b, Fixtures.agent(db, b, "{}"), KbDocumentStatus.READY));

    assertThat(counts.kbDocumentsByStatus())
        .containsEntry(KbDocumentStatus.UPLOADED, 2L)
        .containsEntry(KbDocumentStatus.READY, 1L)
        .doesNotContainKey(KbDocumentStatus.FAILED);
  }

  private static ToolApprovalRow pending(CompanyId company, String turnId, String callId) {
    Instant now = Instant.now();
    return new ToolApprovalRow(company.value(), turnId, callId, "agent", "session", "tool", "lookup", "{}",
        ToolApprovalRow.PENDING, now, now.plusSeconds(60), null, null, null);
  }

  private static KbDocumentRow document(CompanyId company, String agentId, String status) {
    Instant now = Instant.now();
    return new KbDocumentRow(Ids.newId(), company.value(), agentId, "notes", "text/plain", 10, "blob", status, 1,
        null, null, 0, null, null, null, now, now, null);
  }
}
