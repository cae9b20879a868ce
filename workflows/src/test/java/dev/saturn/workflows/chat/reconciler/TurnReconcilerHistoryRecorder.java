package dev.saturn.workflows.chat.reconciler;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the history {@link TurnReconcilerReplayTest} replays, only when a change is meant to
 * be incompatible:
 * {@code ./mvnw -pl workflows test -Dtest=TurnReconcilerHistoryRecorder -Dsaturn.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class TurnReconcilerHistoryRecorder {

  /** One pass: two candidates, one abandoned, one whose check keeps failing; stops at a cursor. */
  @Test
  void recordPass() throws Exception {
    TurnCandidate gone = new TurnCandidate("c1", "t1", "chat-turn:c1:s1:t1");
    TurnCandidate broken = new TurnCandidate("c1", "t2", "chat-turn:c1:s1:t2");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.CHAT);
      worker.registerWorkflowImplementationTypes(TurnReconcilerWorkflowImpl.class);
      TurnReconcilerActivities activities = mock(TurnReconcilerActivities.class, withSettings().withoutAnnotations());
      when(activities.abandonedTurnCandidates(null)).thenReturn(new CandidatePage(List.of(gone, broken),
          new ReconcileCursor("c1", "2026-01-01T00:00:00Z", "t2")));
      when(activities.reconcileTurn(gone)).thenReturn(true);
      when(activities.reconcileTurn(broken)).thenThrow(ApplicationFailure.newFailure("database down", "INTERNAL_ERROR"));
      worker.registerActivitiesImplementations(activities);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = "turn-reconciler";
      client.newWorkflowStub(TurnReconcilerWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CHAT).build()).run();
      Path dir = Path.of("src", "test", "resources", "histories");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("turn-reconciler-pass.json"), client.fetchHistory(id).toJson(true));
    }
  }
}
