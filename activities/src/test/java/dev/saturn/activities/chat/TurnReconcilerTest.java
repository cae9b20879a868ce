package dev.saturn.activities.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.chat.RealChatTurns.Turn;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.chat.TurnSweep;
import dev.saturn.db.common.Ids;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.workflows.chat.reconciler.CandidatePage;
import dev.saturn.workflows.chat.reconciler.ReconcileCursor;
import dev.saturn.workflows.chat.reconciler.ReconcileResult;
import dev.saturn.workflows.chat.reconciler.TurnCandidate;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflow;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The turn reconciler against real chat turns on the Temporal test server over MariaDB: a turn
 * whose workflow was terminated is failed TURN_ABANDONED with its approval cancelled; a turn whose
 * workflow still waits for a person, and a completed turn, are left alone.
 */
class TurnReconcilerTest {

  static TestDatabase database;
  static Repositories repos;

  RealChatTurns chat;
  TurnReconcilerActivitiesImpl reconciler;

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
  void setUp() {
    chat = new RealChatTurns(database, repos, repos.usage());
    reconciler = reconciler(100);
    chat.worker.registerWorkflowImplementationTypes(TurnReconcilerWorkflowImpl.class);
    chat.worker.registerActivitiesImplementations(reconciler);
    chat.start();
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  TurnReconcilerActivitiesImpl reconciler(int batchSize) {
    return new TurnReconcilerActivitiesImpl(new TurnSweep(database.dsl()), repos.turns(), chat.store,
        chat.env.getWorkflowClient(), new TurnReconcilerProperties(true, "*/5 * * * *", Duration.ZERO, batchSize),
        Clock.systemUTC());
  }

  @Test
  void givenATerminatedTurnAWaitingTurnAndACompletedTurn_whenTheReconcilerRuns_itShouldFailOnlyTheTerminatedOne() {
    ToolRow pay = chat.tool("pay", "POST", "/payments", true);
    chat.model = request -> request.messages().stream().anyMatch(m -> PromptMessage.TOOL.equals(m.role()))
        || request.tools().isEmpty()
        ? new ProviderReply("done", "scripted-1", 5, 1, false)
        : new ProviderReply("", "scripted-1", 5, 1, false, List.of(new PromptMessage.ToolCall("call_pay", "pay", "{}")));
    Turn waiting = awaitingApproval(chat.newTurn(pay, 5));
    Turn terminated = awaitingApproval(chat.newTurn(pay, 5));
    Turn completed = chat.newTurn(null, 0);
    chat.workflow(completed).run(completed.input());
    chat.env.getWorkflowClient().newUntypedWorkflowStub(terminated.workflowId()).terminate("operator stopped it");

    ReconcileResult pass = reconcilerPass();

    assertThat(pass.abandoned()).isGreaterThanOrEqualTo(1);
    TurnRow failed = turn(terminated);
    assertThat(failed.status()).isEqualTo(TurnStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("TURN_ABANDONED");
    assertThat(failed.errorMessage()).contains("terminated");
    assertThat(repos.approvals().find(chat.company, terminated.id(), "call_pay").orElseThrow().status())
        .isEqualTo(ToolApprovalRow.CANCELLED);
    assertThat(repos.events().after(chat.company, terminated.id(), 0, 100).toString()).contains("turn.failed");
    assertThat(turn(waiting).status()).isEqualTo(TurnStatus.RUNNING);
    assertThat(repos.approvals().pendingForTurn(chat.company, waiting.id())).hasSize(1);
    assertThat(turn(completed).status()).isEqualTo(TurnStatus.COMPLETED);

    // a second pass changes nothing: the failed turn is no candidate, the waiting one still waits
    reconcilerPass();
    assertThat(reconciler.reconcileTurn(new TurnCandidate(chat.company.value(), terminated.id(), terminated.workflowId())))
        .isFalse();
    assertThat(turn(terminated).errorCode()).isEqualTo("TURN_ABANDONED");
    assertThat(turn(waiting).status()).isEqualTo(TurnStatus.RUNNING);
  }

  @Test
  void givenMoreCandidatesThanTheBatch_whenPassesFollowTheCursor_theyShouldVisitEveryTurnOldestFirstAndFailThoseNeverStarted() {
    Turn first = chat.newTurn(null, 0);
    Turn second = chat.newTurn(null, 0); // neither was ever started: Temporal does not know them
    TurnReconcilerActivitiesImpl oneAtATime = reconciler(1);

    List<TurnCandidate> seen = new ArrayList<>();
    ReconcileCursor cursor = null;
    for (int pass = 0; pass < 1000; pass++) {
      CandidatePage page = oneAtATime.abandonedTurnCandidates(cursor);
      assertThat(page.turns()).hasSizeLessThanOrEqualTo(1);
      seen.addAll(page.turns());
      cursor = page.next();
      if (cursor == null) {
        break;
      }
    }

    assertThat(seen).extracting(TurnCandidate::turnId).containsSubsequence(first.id(), second.id());
    assertThat(oneAtATime.reconcileTurn(new TurnCandidate(chat.company.value(), first.id(), first.workflowId()))).isTrue();
    assertThat(turn(first).errorMessage()).contains("not found");
  }

  private Turn awaitingApproval(Turn turn) {
    WorkflowClient.start(chat.workflow(turn)::run, turn.input());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (repos.approvals().pendingForTurn(chat.company, turn.id()).isEmpty()) {
      assertThat(System.nanoTime()).as("approval pending in time").isLessThan(deadline);
      sleep();
    }
    return turn;
  }

  private ReconcileResult reconcilerPass() {
    return chat.env.getWorkflowClient().newWorkflowStub(TurnReconcilerWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId("turn-reconciler-" + Ids.newId()).setTaskQueue(TaskQueues.CHAT).build())
        .run();
  }

  private TurnRow turn(Turn turn) {
    return repos.turns().find(chat.company, turn.id()).orElseThrow();
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
