package dev.saturn.workflows.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KbIndexingWorkflowTest {

  TestWorkflowEnvironment env;
  WorkflowClient client;
  FakeKb kb;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    kb = new FakeKb();
  }

  void start() {
    Worker worker = env.newWorker(TaskQueues.KB);
    worker.registerWorkflowImplementationTypes(KbIndexingWorkflowImpl.class, KbDeleteWorkflowImpl.class);
    worker.registerActivitiesImplementations(kb);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  KbIndexResult index(int version) {
    KbIndexingWorkflow workflow = client.newWorkflowStub(KbIndexingWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.kbIndex("d1", version)).setTaskQueue(TaskQueues.KB).build());
    return workflow.index(new KbIndexInput("c1", "a1", "d1", version, 0));
  }

  @Test
  void givenAnUploadedDocument_whenIndexed_itShouldGoUploadedIndexingReadyWithEveryBatchOnce() {
    start();

    KbIndexResult result = index(1);

    assertThat(result).isEqualTo(new KbIndexResult("d1", 1, "ready", 10));
    assertThat(kb.statuses).containsExactly("uploaded", "indexing", "ready");
    // Two batches are in flight, so neighbours may start in either order.
    assertThat(kb.calls.get(0)).isEqualTo("prepare");
    assertThat(kb.calls.subList(1, 5)).containsExactlyInAnyOrder(
        "batch 0 [0,3)", "batch 1 [3,6)", "batch 2 [6,9)", "batch 3 [9,10)");
    assertThat(kb.calls.subList(5, kb.calls.size())).containsExactly("activate 1", "deleteOlderVersions 1");
    assertThat(kb.vectorsByVersion.get(1)).hasSize(10);
  }

  @Test
  void givenSlowBatches_whenIndexed_itShouldRunTwoAtATimeAndNeverMore() {
    kb.chunks = 30;
    for (int batch = 0; batch < 10; batch++) {
      kb.slowBatchMillis.put(batch, 200L);
    }
    start();

    KbIndexResult result = index(1);

    assertThat(result.status()).isEqualTo("ready");
    assertThat(kb.mostInFlight.get()).isEqualTo(KbIndexingWorkflowImpl.IN_FLIGHT);
    assertThat(kb.vectorsByVersion.get(1)).hasSize(30);
  }

  @Test
  void givenABatchThatFailsWhileItsNeighbourIsStillRunning_whenCleaningUp_itShouldWaitForTheNeighbourFirst() throws Exception {
    kb.failForGoodAtBatch.add(0);
    // Batch 1 is still running when batch 0 fails, and writes its points at its end.
    kb.slowBatchMillis.put(1, 1_500L);
    start();

    assertThatThrownBy(() -> index(1)).isInstanceOf(WorkflowFailedException.class);
    while (kb.inFlight.get() > 0) {
      Thread.sleep(20);
    }

    assertThat(kb.calls).contains("batch 1 [3,6)");
    assertThat(kb.calls.get(kb.calls.size() - 1)).isEqualTo("deleteVersion 1");
    assertThat(kb.status).isEqualTo("failed");
    // Had the cleanup not waited for batch 1, its points would have landed after deleteVersion.
    assertThat(kb.vectorsByVersion.getOrDefault(1, Set.of())).isEmpty();
  }

  @Test
  void givenADocumentThatCannotBeRead_whenIndexed_itShouldEndFailedWithTheReasonAndLeaveNoVectors() {
    kb.prepareFailure = ApplicationFailure.newNonRetryableFailure(
        "the application/pdf document could not be read: IOException: Missing root object",
        ErrorCode.KB_INDEXING_FAILED.name());
    start();

    assertThatThrownBy(() -> index(1))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(failure.getOriginalMessage()).contains("Missing root object");
        });
    assertThat(kb.statuses).containsExactly("uploaded", "indexing", "failed");
    assertThat(kb.calls).containsExactly(
        "prepare",
        "fail KB_INDEXING_FAILED: the application/pdf document could not be read: IOException: Missing root object",
        "deleteVersion 1");
  }

  @Test
  void givenAnEmbeddingServerThatKeepsFailing_whenTheBatchRunsOutOfAttempts_itShouldEndFailedWithTheCause() {
    kb.alwaysFailAtBatch.add(1);
    start();

    assertThatThrownBy(() -> index(1)).isInstanceOf(WorkflowFailedException.class);

    assertThat(kb.embedCallsPerBatch.get(1).get()).isEqualTo(10);
    assertThat(kb.status).isEqualTo("failed");
    assertThat(kb.calls).anyMatch(c -> c.startsWith("fail KB_INDEXING_FAILED: embedding server answered 500"));
    assertThat(kb.vectorsByVersion).doesNotContainKey(1);
  }

  @Test
  void givenAReadyDocument_whenReindexed_itShouldWriteTheNewVersionSwitchThenDeleteTheOldNeverServingNothing() {
    kb.readyAt(1, 7);
    start();

    KbIndexResult result = index(2);

    assertThat(result.status()).isEqualTo("ready");
    assertThat(kb.invariantBreaches).isEmpty();
    assertThat(kb.calls.subList(kb.calls.size() - 2, kb.calls.size()))
        .containsExactly("activate 2", "deleteOlderVersions 2");
    assertThat(kb.readyVersion).isEqualTo(2);
    assertThat(kb.vectorsByVersion).containsOnlyKeys(2);
  }

  @Test
  void givenAReindexThatFails_whenItEnds_itShouldKeepServingTheOldVersion() {
    kb.readyAt(1, 7);
    kb.alwaysFailAtBatch.add(0);
    start();

    assertThatThrownBy(() -> index(2)).isInstanceOf(WorkflowFailedException.class);

    assertThat(kb.readyVersion).isEqualTo(1);
    assertThat(kb.vectorsByVersion).containsOnlyKeys(1);
    assertThat(kb.invariantBreaches).isEmpty();
  }

  @Test
  void givenAVersionOvertakenByAnother_whenIndexing_itShouldStopWithoutTouchingAnything() {
    kb.superseded = true;
    start();

    KbIndexResult result = index(1);

    assertThat(result.status()).isEqualTo("superseded");
    assertThat(kb.calls).containsExactly("prepare");
  }

  @Test
  void givenADocument_whenDeleted_itShouldRemoveTheVectorsBeforeTheRow() {
    kb.readyAt(1, 3);
    start();

    KbDeleteWorkflow workflow = client.newWorkflowStub(KbDeleteWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.kbDelete("d1")).setTaskQueue(TaskQueues.KB).build());
    workflow.delete(new KbDeleteInput("c1", "a1", "d1"));

    assertThat(kb.calls).containsExactly("deleteVectors", "deleteRecord");
    assertThat(kb.vectorsByVersion).isEmpty();
    assertThat(kb.deleted).isTrue();
  }
}
