package dev.saturn.workflows.chat.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The reconciler as the cron workflow the trigger installs on the test server, activities mocked. */
class TurnReconcilerWorkflowTest {

  static final TurnCandidate GONE = new TurnCandidate("c1", "t1", "chat-turn:c1:s1:t1");
  static final TurnCandidate BROKEN = new TurnCandidate("c1", "t2", "chat-turn:c1:s1:t2");
  static final ReconcileCursor STOPPED_AT = new ReconcileCursor("c1", "2026-01-01T00:00:00Z", "t2");

  static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  TestWorkflowEnvironment env;
  TurnReconcilerActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CHAT);
    worker.registerWorkflowImplementationTypes(TurnReconcilerWorkflowImpl.class);
    activities = mock(TurnReconcilerActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void givenACronReconciler_whenPassesFollowEachOther_eachShouldStartWhereTheLastStoppedAndSurviveAFailingTurn() {
    when(activities.abandonedTurnCandidates(isNull())).thenReturn(new CandidatePage(List.of(GONE, BROKEN), STOPPED_AT));
    when(activities.abandonedTurnCandidates(STOPPED_AT)).thenReturn(new CandidatePage(List.of(), null));
    when(activities.reconcileTurn(GONE)).thenReturn(true);
    when(activities.reconcileTurn(BROKEN)).thenThrow(ApplicationFailure.newFailure("database down", "INTERNAL_ERROR"));
    TurnReconcilerWorkflow cron = env.getWorkflowClient().newWorkflowStub(TurnReconcilerWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("turn-reconciler").setTaskQueue(TaskQueues.CHAT)
            .setCronSchedule("*/5 * * * *").build());

    WorkflowClient.start(cron::run);
    // Exactly two passes: the first at the next five-minute mark, the second five minutes later. A
    // fixed sleep saw a third pass (a new sweep from the start) whenever the test began just before a mark.
    long untilFirstPass = FIVE_MINUTES.toMillis() - env.currentTimeMillis() % FIVE_MINUTES.toMillis();
    env.sleep(Duration.ofMillis(untilFirstPass).plus(FIVE_MINUTES).plusMinutes(1));

    ArgumentCaptor<ReconcileCursor> from = ArgumentCaptor.forClass(ReconcileCursor.class);
    verify(activities, org.mockito.Mockito.atLeast(2)).abandonedTurnCandidates(from.capture());
    assertThat(from.getAllValues()).startsWith(null, STOPPED_AT);
    verify(activities).reconcileTurn(GONE);
    verify(activities, org.mockito.Mockito.times(3)).reconcileTurn(BROKEN); // its attempts, then the pass went on
  }
}
