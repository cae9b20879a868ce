package dev.saturn.db.common;

import static dev.saturn.db.jooq.Tables.TURNS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.chat.TurnStepReads;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

  CompanyId company;
  CompanyId other;
  String agent;
  String session;
  String turnId;

  @BeforeEach
  void tenants() {
    company = Fixtures.company(db);
    other = Fixtures.company(db);
    agent = Fixtures.agent(db, company, "{}");
    session = repos.sessions().create(company, agent).id();
    turnId = Ids.newId();
  }

  @Test
  void givenARenderedUpdate_whenRunWithValuesAndNulls_itShouldChangeOnlyTheCompanysRowAndBindNullsAsTheColumnsType() {
    TurnRepository turns = repos.turns();
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
  void givenAPlainTurn_whenItsStepsReadAndWrite_theRenderedStatementsShouldBindTheirValuesInOrderAndSeeOnlyTheCompany() {
    TurnStepReads reads = repos.stepReads();
    turns().insertRunning(company, turnId, session, agent, null, "wf-" + turnId, "be brief");

    for (int read = 0; read < 2; read++) {
      TurnStepReads.Start start = reads.start(company, turnId, agent).orElseThrow();
      assertThat(start.pinnedVersion()).isNull();
      assertThat(start.agentEnabled()).isTrue();
      assertThat(start.configJson()).isNotNull();
      assertThat(start.lastEventSeq()).isEqualTo(read);
      assertThat(reads.start(other, turnId, agent)).isEmpty();
      repos.events().appendAfter(company, turnId, read,
          List.of(new TurnEventRepository.NewEvent("k" + read, TurnEventType.TURN_STARTED, "{}")));
    }
    MessageRow question = repos.messages().insertOnce(company, session, turnId, "user", "hi", null);
    MessageRow again = repos.messages().insertOnce(company, session, turnId, "user", "again", null);
    assertThat(again.id()).isEqualTo(question.id());
    assertThat(again.content()).isEqualTo("hi");
    assertThat(again.seq()).isEqualTo(question.seq());
    TurnStepReads.Prompt prompt = reads.prompt(company, session, turnId, question.seq(), 10).orElseThrow();
    assertThat(prompt.question().orElseThrow().id()).isEqualTo(question.id());
    assertThat(prompt.history()).isEmpty();
    assertThat(prompt.instructions()).isEqualTo("be brief");
    assertThat(prompt.lastEventSeq()).isEqualTo(2);
    assertThat(reads.prompt(other, session, turnId, question.seq(), 10)).isEmpty();

    MessageRow answer = repos.messages().insertOnce(company, session, turnId, "assistant", "hello", 3);
    assertThat(turns().markCompleted(other, turnId, answer.id(), 5, 3)).isFalse();
    assertThat(turns().markCompleted(company, turnId, answer.id(), 5, 3)).isTrue();
    assertThat(turns().markCompleted(company, turnId, answer.id(), 5, 3)).isFalse();
    TurnStepReads.End end = reads.end(company, turnId, "turn:" + turnId + ":llm:1").orElseThrow();
    assertThat(end.turn().status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(end.turn().assistantMessageId()).isEqualTo(answer.id());
    assertThat(end.turn().inputTokens()).isEqualTo(5L);
    assertThat(end.usageRecorded()).isFalse();
    assertThat(end.webhookSubscribed()).isFalse();
    assertThat(end.lastEventSeq()).isEqualTo(2);
    assertThat(reads.end(other, turnId, "turn:" + turnId + ":llm:1")).isEmpty();
  }

  private static TurnRepository turns() {
    return repos.turns();
  }

  @Test
  void givenInlineValuesOrNamedParameters_whenTheBindTypesAreListed_onlyPositionalBindValuesShouldBeTyped() {
    // Inline values are in Query.getParams() but not bound: with them counted, the types of
    // another statement's inline constants would be given to its bind values.
    var positional = db.select(DSL.inline(java.math.BigDecimal.ZERO), DSL.val("", TURNS.ID), DSL.inline(1), DSL.val(0L));
    assertThat(RenderedSql.bindTypes(positional, 2))
        .containsExactly(TURNS.ID.getDataType(), org.jooq.impl.SQLDataType.BIGINT);
    // A named parameter is one entry however often it is bound: no positional types.
    var named = db.select(DSL.param("a", String.class), DSL.param("a", String.class), DSL.inline(2), DSL.inline(3));
    assertThat(RenderedSql.bindTypes(named, 2)).isNull();

    RenderedSelect select = new RenderedSelect(dsl -> dsl.select(
        DSL.inline(java.math.BigDecimal.ONE).as("one"), DSL.param("a", String.class).as("first"),
        DSL.inline(2).as("two"), DSL.param("a", String.class).as("second")));
    assertThat(select.with(db, "x", "y").fetchOne().intoMap()).containsEntry("first", "x").containsEntry("second", "y");
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
