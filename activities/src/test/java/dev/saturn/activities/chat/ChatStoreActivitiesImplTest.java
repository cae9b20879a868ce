package dev.saturn.activities.chat;

import dev.saturn.activities.common.BusinessMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.workflows.chat.CompleteTurnInput;
import dev.saturn.workflows.chat.FailTurnInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.chat.StartTurnInput;
import dev.saturn.workflows.chat.TurnStarted;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real MariaDB: every method may run twice (a retry after a lost reply) and change nothing more. */
class ChatStoreActivitiesImplTest {

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static ChatStoreActivitiesImpl activities;
  static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

  CompanyId company;
  AgentRow agent;
  String sessionId;
  String turnId;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    Clock clock = Clock.systemUTC();
    repos = Repositories.over(db, clock);
    activities = new ChatStoreActivitiesImpl(repos.stepReads(), repos.turns(), repos.messages(), repos.usage(),
        database.transactions(), clock, new ToolCatalog(repos.agents(), repos.tools(), repos.toolVersions()), new TurnJournal(repos.events()),
        repos.approvals(), null, null, new BusinessMetrics(METERS), // no knowledge base: chat alone, without retrieval
        TestWebhookFacts.over(db, clock));
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void turn() {
    company = Fixtures.company(db);
    agent = repos.agents().create(company, "support", "{\"provider\": \"offline\"}", null);
    sessionId = repos.sessions().create(company, agent.id()).id();
    turnId = Ids.newId();
    repos.turns().insertRunning(company, turnId, sessionId, agent.id(), "chat-turn:" + turnId);
  }

  @Test
  void givenStartRunTwice_whenRetried_itShouldKeepOneUserMessageAndTheSameVersion() {
    StartTurnInput input = new StartTurnInput(company.value(), turnId, agent.id(), sessionId, "hello");

    TurnStarted first = activities.startTurn(input);
    TurnStarted retry = activities.startTurn(input);

    assertThat(retry).isEqualTo(first);
    assertThat(first.agentVersion()).isEqualTo(1);
    assertThat(repos.messages().countByTurn(company, turnId)).isEqualTo(1);
    assertThat(repos.turns().find(company, turnId).orElseThrow().agentVersion()).isEqualTo(1);
  }

  @Test
  void givenCompleteRunTwice_whenRetried_itShouldStoreOneAnswerAndOneUsageEvent() {
    activities.startTurn(new StartTurnInput(company.value(), turnId, agent.id(), sessionId, "hello"));
    LlmCallResult reply = new LlmCallResult("hi", "openai", "gpt-test", 21, 4, false);
    CompleteTurnInput input = new CompleteTurnInput(company.value(), turnId, agent.id(), sessionId, "turn:" + turnId + ":llm:1", reply);

    String first = activities.completeTurn(input).assistantMessageId();
    String retry = activities.completeTurn(input).assistantMessageId();

    assertThat(retry).isEqualTo(first);
    assertThat(repos.messages().countByTurn(company, turnId)).isEqualTo(2);
    assertThat(repos.usage().listForTurn(company, turnId)).singleElement().satisfies(event -> {
      assertThat(event.inputTokens()).isEqualTo(21);
      assertThat(event.outputTokens()).isEqualTo(4);
      assertThat(event.model()).isEqualTo("gpt-test");
    });
    TurnRow row = repos.turns().find(company, turnId).orElseThrow();
    assertThat(row.status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(row.assistantMessageId()).isEqualTo(first);
  }

  @Test
  void givenDisabledAgent_whenTurnStarts_itShouldFailNonRetryablyWithAgentDisabled() {
    db.execute("UPDATE agents SET status = 'disabled' WHERE company_id = ? AND id = ?", company.value(), agent.id());

    assertThatThrownBy(() -> activities.startTurn(new StartTurnInput(company.value(), turnId, agent.id(), sessionId, "x")))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo("AGENT_DISABLED");
          assertThat(failure.isNonRetryable()).isTrue();
        });
    assertThat(repos.messages().countByTurn(company, turnId)).isZero();
  }

  @Test
  void givenTurnOfAnotherCompany_whenStarted_itShouldBeNotFound() {
    CompanyId other = Fixtures.company(db);

    assertThatThrownBy(() -> activities.startTurn(new StartTurnInput(other.value(), turnId, agent.id(), sessionId, "x")))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> assertThat(failure.getType()).isEqualTo("NOT_FOUND"));
  }

  @Test
  void givenFailedTurn_whenFailRunTwice_itShouldRecordTheCodeOnce() {
    FailTurnInput input = new FailTurnInput(company.value(), turnId, "LLM_TIMEOUT", "timed out");
    double failedBefore = failedTurns("LLM_TIMEOUT");
    activities.failTurn(input);
    activities.failTurn(input);

    TurnRow row = repos.turns().find(company, turnId).orElseThrow();
    assertThat(row.status()).isEqualTo(TurnStatus.FAILED);
    assertThat(row.errorCode()).isEqualTo("LLM_TIMEOUT");
    assertThat(failedTurns("LLM_TIMEOUT") - failedBefore).as("counted by the run that failed it").isEqualTo(1.0);
  }

  @Test
  void givenACompletedTurn_whenFailRunsLate_itShouldNeitherChangeNorCountIt() {
    activities.startTurn(new StartTurnInput(company.value(), turnId, agent.id(), sessionId, "hello"));
    activities.completeTurn(new CompleteTurnInput(company.value(), turnId, agent.id(), sessionId, "turn:" + turnId + ":llm:1",
        new LlmCallResult("hi", "openai", "gpt-test", 21, 4, false)));
    double failedBefore = failedTurns("TURN_ABANDONED");

    activities.failTurn(new FailTurnInput(company.value(), turnId, "TURN_ABANDONED", "late"));

    assertThat(repos.turns().find(company, turnId).orElseThrow().status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(failedTurns("TURN_ABANDONED")).isEqualTo(failedBefore);
  }

  private static double failedTurns(String errorCode) {
    var counter = METERS.find(BusinessMetrics.TURNS).tags("outcome", "failed", "error_code", errorCode).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void givenTurnFailingWhileACallWaitsForApproval_whenFailRunTwice_itShouldCancelThePendingRowOnceAndKeepDecidedOnes() {
    Instant now = Instant.now();
    for (String callId : new String[] {"c1", "c2"}) {
      repos.approvals().insertPendingOnce(company, new ToolApprovalRow(company.value(), turnId, callId, agent.id(), sessionId,
          "tool-1", "pay", "{}", ToolApprovalRow.PENDING, now, now.plusSeconds(60), null, null, null));
    }
    repos.approvals().close(company, turnId, "c2", "approved", "user:u1", "ok");
    // another turn's pending row is not touched
    String otherTurn = Ids.newId();
    repos.turns().insertRunning(company, otherTurn, sessionId, agent.id(), "chat-turn:" + otherTurn);
    repos.approvals().insertPendingOnce(company, new ToolApprovalRow(company.value(), otherTurn, "c1", agent.id(), sessionId,
        "tool-1", "pay", "{}", ToolApprovalRow.PENDING, now, now.plusSeconds(60), null, null, null));
    FailTurnInput input = new FailTurnInput(company.value(), turnId, "TOOL_EXECUTION_FAILED", "broken");

    activities.failTurn(input);
    ToolApprovalRow cancelled = repos.approvals().find(company, turnId, "c1").orElseThrow();
    activities.failTurn(input);

    assertThat(cancelled.status()).isEqualTo(ToolApprovalRow.CANCELLED);
    assertThat(cancelled.reason()).contains("TOOL_EXECUTION_FAILED");
    assertThat(repos.approvals().find(company, turnId, "c1").orElseThrow()).isEqualTo(cancelled);
    assertThat(repos.approvals().find(company, turnId, "c2").orElseThrow().status()).isEqualTo("approved");
    assertThat(repos.approvals().pendingForTurn(company, turnId)).isEmpty();
    assertThat(repos.approvals().listPending(company, null, 10).items())
        .extracting(ToolApprovalRow::turnId).containsExactly(otherTurn);
  }

  /** A cancel that arrives while the answer is being saved: the completed turn keeps its answer and its last event. */
  @Test
  void givenCompletedTurn_whenFailedAfterwards_itShouldStayCompletedAndWriteNoFailedEvent() {
    activities.startTurn(new StartTurnInput(company.value(), turnId, agent.id(), sessionId, "hi"));
    activities.completeTurn(new CompleteTurnInput(company.value(), turnId, agent.id(), sessionId, "turn:" + turnId + ":llm:1",
        new LlmCallResult("hello", "offline", "m", 3, 1, true), null, null));

    activities.failTurn(new FailTurnInput(company.value(), turnId, "TURN_CANCELLED", "the turn was cancelled"));

    assertThat(repos.turns().find(company, turnId).orElseThrow().status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(repos.events().after(company, turnId, 0, 100)).extracting(e -> e.type())
        .contains(TurnEventType.TURN_COMPLETED).doesNotContain(TurnEventType.TURN_FAILED);
  }
}
