package dev.saturn.db.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditLogRepositoryTest {

  static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  static TestDatabase database;
  static DSLContext db;
  static AuditLogRepository log;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    log = new AuditLogRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  static AuditEntry entry(CompanyId company, String actor, String action, String target, Instant at) {
    return new AuditEntry(Ids.newId(), company.value(), "key", actor, action, "agent", target, "{\"before\":{},\"after\":{}}", "req-1", at);
  }

  @Test
  void givenRows_whenFiltered_itShouldReturnOnlyMatchingRowsNewestFirst() {
    CompanyId company = Fixtures.company(db);
    log.append(company, entry(company, "k1", "agent.create", "a1", T0));
    log.append(company, entry(company, "k1", "agent.update", "a1", T0.plusSeconds(60)));
    log.append(company, entry(company, "k2", "agent.update", "a2", T0.plusSeconds(120)));
    log.append(company, entry(company, "k2", "agent.disable", "a1", T0.plusSeconds(180)));

    assertThat(actions(log.list(company, AuditFilter.ALL, null, 50)))
        .containsExactly("agent.disable", "agent.update", "agent.update", "agent.create");
    assertThat(actions(log.list(company, new AuditFilter("agent", "a1", null, null, null, null), null, 50)))
        .containsExactly("agent.disable", "agent.update", "agent.create");
    assertThat(actions(log.list(company, new AuditFilter(null, null, "agent.update", null, null, null), null, 50)))
        .hasSize(2);
    assertThat(actions(log.list(company, new AuditFilter(null, null, null, "k2", null, null), null, 50)))
        .containsExactly("agent.disable", "agent.update");
    assertThat(actions(log.list(company, new AuditFilter(null, null, null, null, T0.plusSeconds(60), T0.plusSeconds(180)), null, 50)))
        .containsExactly("agent.update", "agent.update");
  }

  @Test
  void givenManyRowsAtTheSameTime_whenPaged_itShouldReturnEachOnce() {
    CompanyId company = Fixtures.company(db);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      AuditEntry e = entry(company, "k", "agent.update", "a", T0.plusSeconds(i / 3));
      log.append(company, e);
      ids.add(e.id());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<AuditEntry> page = log.list(company, AuditFilter.ALL, cursor, 3);
      assertThat(page.items().size()).isLessThanOrEqualTo(3);
      page.items().forEach(e -> seen.add(e.id()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    assertThatThrownBy(() -> log.list(company, AuditFilter.ALL, Cursors.encode("v3"), 3))
        .isInstanceOf(Cursors.InvalidCursorException.class);
    assertThatThrownBy(() -> log.list(company, AuditFilter.ALL, "%%%", 3))
        .isInstanceOf(Cursors.InvalidCursorException.class);
  }

  @Test
  void givenRowsOfAnotherCompany_whenListedOrFound_itShouldSeeNone() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    AuditEntry mine = entry(a, "k", "agent.create", "a1", T0);
    log.append(a, mine);

    // The JSON column gives the document back in its own formatting.
    assertThat(log.find(a, mine.id())).get().usingRecursiveComparison().ignoringFields("diffJson").isEqualTo(mine);
    assertThat(log.find(b, mine.id())).isEmpty();
    assertThat(log.list(b, AuditFilter.ALL, null, 50).items()).isEmpty();
    assertThatThrownBy(() -> log.append(b, mine)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> actions(Page<AuditEntry> page) {
    return page.items().stream().map(AuditEntry::action).toList();
  }
}
