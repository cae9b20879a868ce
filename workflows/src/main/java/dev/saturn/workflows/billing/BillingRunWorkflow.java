package dev.saturn.workflows.billing;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Drafts the invoices of every company with usage in a period, one child workflow per company; id {@code billing:{period}}. */
@WorkflowInterface
public interface BillingRunWorkflow {

  @WorkflowMethod
  BillingRunResult run(BillingRunInput input);
}
