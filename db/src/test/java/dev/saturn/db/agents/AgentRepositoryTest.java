package dev.saturn.db.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Page;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
}
