package dev.saturn.db.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.RenderedSelect;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statements rendered once ({@link RenderedSelect}): same rows as the built query, per company. */
class TurnViewReadsTest {

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static TurnViewReads reads;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, Clock.systemUTC());
    reads = new TurnViewReads(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  CompanyId company;
  CompanyId other;
  String agent;
  SessionRow session;

  @BeforeEach
  void tenants() {
    company = Fixtures.company(db);
    other = Fixtures.company(db);
    agent = Fixtures.agent(db, company, "{}");
    session = repos.sessions().create(company, agent);
  }

  @Test
  void givenACompletedTurnWithTwoUsageEvents_whenReadTwice_itShouldSumThemNameTheLastAndSeeNothingOfAnotherCompany() {
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(company, turnId, session.id(), agent, "wf-" + turnId);
    MessageRow answer = repos.messages().insertOnce(company, session.id(), turnId, "assistant", "hi there", 2);
    repos.turns().markCompleted(company, turnId, answer.id(), 10, 5);
    Instant now = Instant.now();
    record(company, agent, session.id(), turnId, "openai", "gpt-a", 7, 3, false, now.minusSeconds(2));
    record(company, agent, session.id(), turnId, "ollama", "llama", 3, 2, true, now.minusSeconds(1));
    // Another company's event under the same turn id is not this turn's.
    record(other, null, null, turnId, "other", "other", 1000, 1000, false, now);

    for (int i = 0; i < 2; i++) {
      TurnViewReads.TurnWithAnswer read = reads.find(company, turnId).orElseThrow();
      assertThat(read.turn().id()).isEqualTo(turnId);
      assertThat(read.turn().status()).isEqualTo(TurnStatus.COMPLETED);
      assertThat(read.answer()).map(MessageRow::content).contains("hi there");
      assertThat(read.usage()).isEqualTo(new TurnViewReads.UsageSummary(2, 10, 5, true, "ollama", "llama"));
    }
    assertThat(reads.find(other, turnId)).isEmpty();
  }

  @Test
  void givenARunningTurnWithoutEvents_whenRead_itShouldHaveNoAnswerAndZeroUsage() {
    String turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(company, turnId, session.id(), agent, "wf-" + turnId);

    TurnViewReads.TurnWithAnswer read = reads.find(company, turnId).orElseThrow();
    assertThat(read.answer()).isEmpty();
    assertThat(read.usage()).isEqualTo(new TurnViewReads.UsageSummary(0, 0, 0, false, null, null));
  }

  @Test
  void givenAnAgentAndASession_whenFoundWithTheSession_itShouldNameTheSessionsAgentOnlyForItsOwnCompany() {
    AgentRepository agents = repos.agents();

    assertThat(agents.findWithSession(company, agent, session.id()).orElseThrow().sessionAgentId()).contains(agent);
    assertThat(agents.findWithSession(company, agent, "no-such-session").orElseThrow().sessionAgentId()).isEmpty();
    assertThat(agents.findWithSession(other, agent, session.id())).isEmpty();
  }

  @Test
  void givenARenderedSelect_whenRunManyTimes_itShouldBuildItOnceAndRefuseTheWrongNumberOfValues() {
    AtomicInteger built = new AtomicInteger();
    RenderedSelect select = new RenderedSelect(dsl -> {
      built.incrementAndGet();
      return dsl.select(DSL.param("a", String.class).as("a"), DSL.param("b", Integer.class).as("b"));
    });
    for (int i = 0; i < 3; i++) {
      org.jooq.Record row = select.with(db, "x" + i, i).fetchOne();
      assertThat(row.get("a")).isEqualTo("x" + i);
      assertThat(row.get("b")).isEqualTo(i);
    }
    assertThat(built).hasValue(1);
    assertThatThrownBy(() -> select.with(db, "only one")).isInstanceOf(IllegalArgumentException.class);
  }

  private static void record(
      CompanyId company, String agent, String session, String turnId, String provider, String model, long in, long out,
      boolean estimated, Instant at) {
    repos.usage().recordOnce(company, new UsageEvent(
        Ids.newId(), company.value(), agent, session, turnId, "llm", provider, model, in, out, 1, estimated, Ids.newId(), at));
  }
}
