package dev.saturn.workflows.billing;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the histories that {@link BillingReplayTest} replays. Run it only when a change to a
 * billing workflow is meant to be incompatible (and old runs are drained or versioned):
 * {@code ./mvnw -pl workflows test -Dtest=BillingHistoryRecorder -Dsaturn.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class BillingHistoryRecorder {

  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @Test
  void recordMonthlyRunWithAFinalizedInvoice() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
      Worker worker = env.newWorker(TaskQueues.BILLING);
      worker.registerWorkflowImplementationTypes(
          MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new BillingRunWorkflowTest.FakeBilling(List.of("c-1", "c-2", "c-3"), Set.of("c-2")));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      MonthlyBillingWorkflow monthly = client.newWorkflowStub(MonthlyBillingWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(WorkflowIds.MONTHLY_BILLING).setTaskQueue(TaskQueues.BILLING).build());
      BillingRunResult result = monthly.run();
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve("billing-monthly.json"), client.fetchHistory(WorkflowIds.MONTHLY_BILLING).toJson(true));
      String runId = WorkflowIds.billingRun(result.period());
      Files.writeString(DIR.resolve("billing-run.json"), client.fetchHistory(runId).toJson(true));
      Files.writeString(DIR.resolve("billing-invoice-draft.json"),
          client.fetchHistory(WorkflowIds.invoiceDraft("c-1", result.period())).toJson(true));
      Files.writeString(DIR.resolve("billing-invoice-draft-finalized.json"),
          client.fetchHistory(WorkflowIds.invoiceDraft("c-2", result.period())).toJson(true));
    }
  }
}
