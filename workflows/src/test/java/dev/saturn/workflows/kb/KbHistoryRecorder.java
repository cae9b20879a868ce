package dev.saturn.workflows.kb;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the histories {@link KbReplayTest} replays; run only for a deliberately incompatible
 * change: {@code ./mvnw -pl workflows test -Dtest=KbHistoryRecorder -Dsaturn.recordHistories=true}.
 * (Histories recorded before a versioned change stay: they prove the old shape still replays;
 * {@code -Dtest=KbHistoryRecorder#recordIndexingWithTwoBatchesInFlight} records just the new one.)
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class KbHistoryRecorder {

  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @Test
  void recordIndexingWithARetriedBatch() throws Exception {
    record("kb-index-ready.json", kb -> kb.failOnceAtBatch.add(1), true);
  }

  /** Two batches in flight ({@code kb-batches-in-flight} version 1), one of them retried. */
  @Test
  void recordIndexingWithTwoBatchesInFlight() throws Exception {
    record("kb-index-two-in-flight.json", kb -> kb.failOnceAtBatch.add(1), true);
  }

  @Test
  void recordFailedIndexing() throws Exception {
    record("kb-index-failed.json", kb -> kb.prepareFailure = ApplicationFailure.newNonRetryableFailure(
        "the document contains no text", ErrorCode.KB_INDEXING_FAILED.name()), true);
  }

  @Test
  void recordDelete() throws Exception {
    record("kb-delete.json", kb -> { }, false);
  }

  private static void record(String file, Consumer<FakeKb> script, boolean index) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.KB);
      worker.registerWorkflowImplementationTypes(KbIndexingWorkflowImpl.class, KbDeleteWorkflowImpl.class);
      FakeKb kb = new FakeKb();
      script.accept(kb);
      worker.registerActivitiesImplementations(kb);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = file;
      WorkflowOptions options = WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.KB).build();
      try {
        if (index) {
          client.newWorkflowStub(KbIndexingWorkflow.class, options).index(new KbIndexInput("c1", "a1", "d1", 1, 0));
        } else {
          client.newWorkflowStub(KbDeleteWorkflow.class, options).delete(new KbDeleteInput("c1", "a1", "d1"));
        }
      } catch (RuntimeException expectedForFailures) {
        // a failed indexing ends in WorkflowExecutionFailed; that is what is recorded
      }
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(file), client.fetchHistory(id).toJson(true));
    }
  }
}
