package dev.saturn.db.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AgentRepositoryTest {

  static TestDatabase database;
  static DSLContext db;
  static AgentRepository agents;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    agents = new AgentRepository(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenNewAgent_whenCreated_itShouldHaveVersionOneWithItsConfig() {
    CompanyId company = Fixtures.company(db);

    AgentRow agent = agents.create(company, "support", "{\"model\": \"m\"}", "key:1");

    assertThat(agent.currentVersion()).isEqualTo(1);
    assertThat(agent.enabled()).isTrue();
    assertThat(agents.findVersion(company, agent.id(), 1)).get()
        .satisfies(v -> assertThat(v.configJson()).contains("\"model\"").contains("\"m\""));
  }

  @Test
  void givenEnabledDisabledAndForeignAgents_whenListedOrFoundByName_itShouldSeeOnlyTheCompanysOwn() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    AgentRow first = agents.create(a, "helper", "{}", null);
    AgentRow off = agents.create(a, "off", "{}", null);
    agents.setEnabled(a, off.id(), false);
    AgentRow twin = agents.create(a, "helper", "{}", null);
    agents.create(b, "helper", "{}", null);

    assertThat(agents.listEnabled(a, 10)).extracting(AgentRow::id).containsExactly(first.id(), twin.id());
    assertThat(agents.listEnabled(a, 1)).extracting(AgentRow::id).containsExactly(first.id());
    assertThat(agents.findByName(a, "helper", 5)).extracting(AgentRow::id).containsExactly(first.id(), twin.id());
    assertThat(agents.findByName(a, "off", 5)).extracting(AgentRow::id).containsExactly(off.id());
    assertThat(agents.findByName(a, "nobody", 5)).isEmpty();
  }

  @Test
  void givenAgentOfAnotherCompany_whenFound_itShouldBeMissing() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    AgentRow agent = agents.create(a, "support", "{}", null);

    assertThat(agents.find(b, agent.id())).isEmpty();
    assertThat(agents.findVersion(b, agent.id(), 1)).isEmpty();
    assertThat(agents.list(b, null, 50).items()).isEmpty();
  }

  @Test
  void givenSeveralAgents_whenPaged_itShouldListEachOnceNewestFirst() {
    CompanyId company = Fixtures.company(db);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(agents.create(company, "a" + i, "{}", null).id());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<AgentRow> page = agents.list(company, cursor, 2);
      page.items().forEach(a -> seen.add(a.id()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
    assertThat(seen.get(0)).isEqualTo(created.get(4));
  }

  @Test
  void givenAgent_whenNewVersionsAreCreated_itShouldIncrementAndLeaveOldVersionsAsTheyWere() {
    CompanyId company = Fixtures.company(db);
    AgentRow agent = agents.create(company, "support", "{\"model\": \"m1\"}", "key:1");
    AgentVersionRow v1 = agents.findVersion(company, agent.id(), 1).orElseThrow();

    AgentVersionRow v2 = agents.newVersion(company, agent.id(), "{\"model\": \"m2\"}", "user:2").orElseThrow();
    AgentVersionRow v3 = agents.newVersion(company, agent.id(), "{\"model\": \"m3\"}", "user:2").orElseThrow();

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v3.version()).isEqualTo(3);
    assertThat(v3.createdBy()).isEqualTo("user:2");
    assertThat(agents.find(company, agent.id()).orElseThrow().currentVersion()).isEqualTo(3);
    assertThat(agents.findVersion(company, agent.id(), 1)).contains(v1);
    assertThat(agents.findVersion(company, agent.id(), 2).orElseThrow().configJson()).contains("m2");
  }

  @Test
  void givenAgentOfAnotherCompany_whenNewVersionIsCreated_itShouldBeMissingAndChangeNothing() {
    CompanyId a = Fixtures.company(db);
    CompanyId b = Fixtures.company(db);
    AgentRow agent = agents.create(a, "support", "{}", null);

    assertThat(agents.newVersion(b, agent.id(), "{\"model\": \"x\"}", null)).isEmpty();
    assertThat(agents.setEnabled(b, agent.id(), false)).isFalse();
    assertThat(agents.rename(b, agent.id(), "stolen")).isFalse();
    assertThat(agents.listVersions(b, agent.id(), null, 50).items()).isEmpty();
    assertThat(agents.find(a, agent.id()).orElseThrow()).isEqualTo(agent);
  }

  @Test
  void givenConcurrentChanges_whenEachCreatesAVersion_itShouldGiveEachItsOwnNumber() throws Exception {
    CompanyId company = Fixtures.company(db);
    AgentRow agent = agents.create(company, "support", "{}", null);
    int writers = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String config = "{\"model\": \"w" + i + "\"}";
        results.add(pool.submit(() -> {
          start.await();
          // The application always calls newVersion inside a transaction; so does this test.
          return database.transactions().execute(status ->
              agents.newVersion(company, agent.id(), config, null).orElseThrow().version());
        }));
      }
      start.countDown();
      List<Integer> versions = new ArrayList<>();
      for (Future<Integer> result : results) {
        versions.add(result.get(60, TimeUnit.SECONDS));
      }
      assertThat(versions).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7);
    } finally {
      pool.shutdownNow();
    }
    assertThat(agents.find(company, agent.id()).orElseThrow().currentVersion()).isEqualTo(7);
    assertThat(agents.listVersions(company, agent.id(), null, 50).items()).extracting(AgentVersionRow::version)
        .containsExactly(7, 6, 5, 4, 3, 2, 1);
  }

  @Test
  void givenAgent_whenDisabledTwiceAndEnabled_itShouldReportOnlyRealChanges() {
    CompanyId company = Fixtures.company(db);
    AgentRow agent = agents.create(company, "support", "{}", null);

    assertThat(agents.setEnabled(company, agent.id(), false)).isTrue();
    assertThat(agents.setEnabled(company, agent.id(), false)).isFalse();
    assertThat(agents.find(company, agent.id()).orElseThrow().enabled()).isFalse();
    assertThat(agents.setEnabled(company, agent.id(), true)).isTrue();
    assertThat(agents.find(company, agent.id()).orElseThrow().enabled()).isTrue();
    assertThat(agents.find(company, agent.id()).orElseThrow().currentVersion()).isEqualTo(1);
  }

  @Test
  void givenManyVersions_whenPaged_itShouldListEachOnceNewestFirstAndRefuseAForeignCursor() {
    CompanyId company = Fixtures.company(db);
    AgentRow agent = agents.create(company, "support", "{}", null);
    for (int i = 0; i < 4; i++) {
      agents.newVersion(company, agent.id(), "{}", null);
    }
    List<Integer> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<AgentVersionRow> page = agents.listVersions(company, agent.id(), cursor, 2);
      page.items().forEach(v -> seen.add(v.version()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactly(5, 4, 3, 2, 1);
    String agentListCursor = dev.saturn.db.common.Cursors.encode("2026-01-01T00:00|x");
    assertThatThrownBy(() -> agents.listVersions(company, agent.id(), agentListCursor, 2))
        .isInstanceOf(dev.saturn.db.common.Cursors.InvalidCursorException.class);
  }
}
