package dev.saturn.workflows.billing;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * What the monthly schedule (or, without Schedules, the cron workflow) starts shortly after a month
 * ends: the billing run of the month that ended, as the child {@code billing:{period}}.
 */
@WorkflowInterface
public interface MonthlyBillingWorkflow {

  @WorkflowMethod
  BillingRunResult run();
}
