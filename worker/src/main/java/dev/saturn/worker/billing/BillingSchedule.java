package dev.saturn.worker.billing;

import dev.saturn.worker.schedule.PeriodicWorkflow;
import dev.saturn.workflows.billing.MonthlyBillingWorkflow;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import java.time.Duration;

/**
 * The monthly billing trigger {@code billing-monthly}: starts {@link MonthlyBillingWorkflow},
 * which bills the month that has just ended. A run missed while the cluster was down still
 * happens within a week.
 */
public class BillingSchedule extends PeriodicWorkflow {

  public BillingSchedule(WorkflowClient client, String cron) {
    super(client, WorkflowIds.MONTHLY_BILLING, MonthlyBillingWorkflow.class, TaskQueues.BILLING, cron, Duration.ofDays(7));
  }
}
