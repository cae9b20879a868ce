package dev.saturn.workflows.billing;

import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

public class MonthlyBillingWorkflowImpl implements MonthlyBillingWorkflow {

  @Override
  public BillingRunResult run() {
    String period = previousMonth(Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    BillingRunWorkflow billingRun = Workflow.newChildWorkflowStub(
        BillingRunWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.billingRun(period))
            .setTaskQueue(TaskQueues.BILLING)
            .build());
    return billingRun.run(BillingRunInput.of(period));
  }

  /** The UTC month before the one {@code now} is in: the month that has just ended. */
  static String previousMonth(Instant now) {
    return YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1).toString();
  }
}
