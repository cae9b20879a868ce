package dev.saturn.db.common;

import static dev.saturn.db.jooq.Tables.TURNS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Statements rendered once ({@link RenderedStatement}, {@link RenderedSelect}): typed nulls, per dialect. */
class RenderedStatementTest {

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenARenderedUpdate_whenRunWithValuesAndNulls_itShouldChangeOnlyTheCompanysRowAndBindNullsAsTheColumnsType() {
    CompanyId company = Fixtures.company(db);
    CompanyId other = Fixtures.company(db);
    String agent = Fixtures.agent(db, company, "{}");
    String session = repos.sessions().create(company, agent).id();
    TurnRepository turns = repos.turns();
    String turnId = Ids.newId();
    turns.insertRunning(company, turnId, session, agent, null, "wf-" + turnId, null);
    AtomicInteger built = new AtomicInteger();
    RenderedStatement setError = new RenderedStatement(dsl -> {
      built.incrementAndGet();
      return dsl.update(TURNS).set(TURNS.ERROR_CODE, "").set(TURNS.AGENT_VERSION, 0)
          .where(TURNS.COMPANY_ID.eq("").and(TURNS.ID.eq("")));
    });

    assertThat(setError.execute(db, "E1", 3, other.value(), turnId)).isZero();
    assertThat(setError.execute(db, "E2", 4, company.value(), turnId)).isEqualTo(1);
    assertThat(setError.execute(db, null, null, company.value(), turnId)).isEqualTo(1);

    TurnRow row = turns.find(company, turnId).orElseThrow();
    assertThat(row.errorCode()).isNull();
    assertThat(row.agentVersion()).isNull();
    assertThat(row.instructions()).isNull();
    assertThat(built).hasValue(1);
    assertThatThrownBy(() -> setError.execute(db, "E3", 5, company.value()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenAContextOfAnotherDialect_whenItRunsARenderedStatement_itShouldRenderItsOwnText() {
    AtomicInteger built = new AtomicInteger();
    RenderedSelect select = new RenderedSelect(dsl -> {
      built.incrementAndGet();
      return dsl.select(DSL.val("").as("a"), DSL.val(0).as("b"));
    });
    DSLContext mysql = DSL.using(database.dataSource(), SQLDialect.MYSQL);

    assertThat(select.with(db, "x", 1).fetchOne().get("b")).isEqualTo(1);
    assertThat(select.with(mysql, "y", null).fetchOne().get("b")).isNull();
    assertThat(select.with(mysql, "z", 3).fetchOne().get("a")).isEqualTo("z");
    assertThat(select.with(db, "w", 4).fetchOne().get("a")).isEqualTo("w");
    assertThat(built).hasValue(3);
  }
}
