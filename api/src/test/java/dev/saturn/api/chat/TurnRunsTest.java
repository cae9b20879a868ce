package dev.saturn.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolApprovalRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TurnRuns#await} over a real MariaDB, without Temporal (waiting never asks it): woken by the
 * turn's events, and, when the wake-up is lost, answered by the safety net within a second instead
 * of after the whole wait. The hub's listener polls every 5 s here, so only a worker of this process
 * (or the safety net) can wake the caller sooner.
 */
class TurnRunsTest {

  static TestDatabase database;
  static Repositories repos;
  CompanyId company;
  String agent;
  String session;
  String turnId;
  TurnEventHub hub;
  TurnRuns runs;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    repos = Repositories.over(database.dsl(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void turn() {
    company = Fixtures.company(database.dsl());
    agent = Fixtures.agent(database.dsl(), company, "{}");
    session = repos.sessions().create(company, agent).id();
    turnId = UUID.randomUUID().toString();
    repos.turns().insertRunning(company, turnId, session, agent, "wf-" + turnId);
    hub = new TurnEventHub(repos.events(), new TurnEventsProperties(Duration.ofSeconds(5), 16, 1, null, null));
    runs = new TurnRuns(null, new ChatProperties(null, 32000, null), hub, repos.turns(), repos.approvals());
  }

  @AfterEach
  void stopHub() {
    hub.destroy();
  }

  @Test
  void givenTheTurnEndsInThisProcess_whenAwaited_itShouldAnswerEnded() throws Exception {
    CompletableFuture<TurnRuns.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> runs.await(company, turnId, Duration.ofSeconds(30)));
    awaitWatch();

    hub.appended(company, event(1, TurnEventType.TURN_STARTED));
    hub.appended(company, event(2, TurnEventType.TURN_COMPLETED));

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(TurnRuns.Outcome.ENDED);
    assertThat(hub.topics()).as("the watch is gone").isZero();
  }

  /** The row says completed but no event woke the caller (e.g. the listener could not read): the safety net sees it. */
  @Test
  void givenALostWakeUp_whenTheTurnHasEnded_itShouldAnswerEndedLongBeforeTheWaitIsOver() {
    repos.turns().markCompleted(company, turnId, null, 1, 1);

    assertThat(runs.await(company, turnId, Duration.ofMinutes(5))).isEqualTo(TurnRuns.Outcome.ENDED);
  }

  @Test
  void givenAnApprovalRequested_whenAwaited_itShouldAnswerAwaitingApproval() {
    Instant now = Instant.now();
    repos.approvals().insertPendingOnce(company, new ToolApprovalRow(company.value(), turnId, "call-1", agent, session,
        "tool", "refund", "{}", ToolApprovalRow.PENDING, now, now.plusSeconds(3600), null, null, null));

    assertThat(runs.await(company, turnId, Duration.ofMinutes(5))).isEqualTo(TurnRuns.Outcome.AWAITING_APPROVAL);
  }

  /** An approval requested and decided already (an old event): the caller goes on waiting for the end. */
  @Test
  void givenAnApprovalAlreadyDecided_whenItsRequestWakesTheCaller_itShouldWaitOnUntilTheWaitIsOver() throws Exception {
    CompletableFuture<TurnRuns.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> runs.await(company, turnId, Duration.ofMillis(1500)));
    awaitWatch();

    hub.appended(company, event(1, TurnEventType.APPROVAL_REQUESTED));

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(TurnRuns.Outcome.WAITED_OUT);
  }

  private void awaitWatch() throws InterruptedException {
    while (hub.topics() == 0) {
      Thread.sleep(10);
    }
  }

  private TurnEventRow event(int seq, TurnEventType type) {
    return new TurnEventRow(turnId, seq, type, "{}", Instant.now());
  }
}
