package dev.saturn.workflows.billing;

import io.temporal.workflow.Workflow;

public class InvoiceDraftWorkflowImpl implements InvoiceDraftWorkflow {

  private final BillingActivities billing =
      Workflow.newActivityStub(BillingActivities.class, BillingActivityOptions.DRAFT);

  @Override
  public InvoiceDraftResult run(InvoiceDraftInput input) {
    return billing.draftInvoice(input);
  }
}
